#### p_default
unset x; echo ${x-d1} ${x:-d2}; x=; echo ${x-d3} ${x:-d4}; x=v; echo ${x-d5} ${x:-d6}
#### p_assign_default
unset x; echo ${x=one} $x; y=; echo ${y:=two} $y; z=; echo "[${z=three}]"
#### p_alternate
unset x; echo "[${x+alt}]"; x=; echo "[${x+alt}] [${x:+alt}]"; x=v; echo "[${x:+alt}]"
#### p_error
unset x; echo ${x?custom message}; echo not reached
#### p_error_colon
x=; (echo ${x:?}) ; echo status $?
#### p_length
x=hello; echo ${#x}; unset y; echo ${#y}; z="a b c"; echo ${#z}
#### p_suffix
f=archive.tar.gz; echo ${f%.*} ${f%%.*}
#### p_prefix
p=/usr/local/bin; echo ${p#*/} ${p##*/}
#### p_pattern_quoted
x='a*b*c'; echo ${x%'*'*} ${x#*"*"}
#### p_pattern_class
x=abc123; echo ${x%%[0-9]*} ${x##*[a-z]}
#### p_trim_nomatch
x=abc; echo ${x%z} ${x#z} ${x%%} ${x#}
#### p_positional
set -- a b c d e f g h i j k; echo $1 $9 ${10} ${11} $#
#### p_shift
set -- a b c; shift; echo $@; shift 2; echo $#
#### p_shift_too_many
set -- a; shift 3; echo $?
#### p_at_quoted
set -- "a b" c ""; for i in "$@"; do echo "[$i]"; done
#### p_star_quoted
set -- "a b" c; IFS=:; echo "$*"; IFS=; echo "$*"; unset IFS; echo "$*"
#### p_at_unquoted
set -- "a  b" c; for i in $@; do echo "[$i]"; done
#### p_at_empty
set --; for i in "$@"; do echo x; done; echo "n=$#"; echo "[$@]"
#### p_at_prefix_suffix
set -- a b; for i in "x$@y"; do echo "$i"; done
#### p_star_unquoted_empty
set -- "" ""; for i in $*; do echo x; done; echo done
#### p_question
true; echo $?; false; echo $?; (exit 7); echo $?
#### p_dollar_dollar
test $$ -gt 0 && echo pid ok
#### p_subshell_pid
a=$$; b=$(echo $$); [ "$a" = "$b" ] && echo same
#### p_bang
sleep 0 & test "$!" -gt 0 && echo bg ok; wait
#### p_hash_in_func
f() { echo $#; }; f a b c; f
#### p_func_args_restore
set -- x y; f() { set -- 1; echo $1; }; f; echo $1 $2
#### p_dash_opts
set -u; case $- in *u*) echo has u;; esac
#### p_nounset
set -u; x=1; echo $x; echo $nope; echo after
#### p_nounset_default_ok
set -u; echo ${nope:-ok} ${nope-ok2}
#### p_brace_name
x=1; xy=2; echo ${x}y $xy
#### p_unset_var
x=1; unset x; echo "[$x]"
#### p_export_env
export E1=hello; sh -c 'echo $E1' 2>/dev/null || env | grep E1
#### p_assignment_prefix
x=outer; x=inner sh -c 'echo $x' ; echo $x
#### p_assign_multi
a=1 b=2 c=$a$b; echo $c
#### p_readonly
readonly r=1; r=2; echo not reached
#### p_readonly_unset
readonly r=1; unset r; echo $? $r
#### p_ppid_set
[ -n "$PPID" ] && echo ppid set
#### p_ifs_default
x=" a  b "; set -- $x; echo $#
#### p_ifs_colon
IFS=:; x=a:b::c; set -- $x; echo $#; for i in "$@"; do echo "[$i]"; done
#### p_ifs_mixed
IFS=': '; x='a : b  c:'; set -- $x; echo $#; printf '[%s]' "$@"; echo
#### p_ifs_empty
IFS=; x='a b'; set -- $x; echo $#
#### p_ifs_leading
IFS=:; x=:a; set -- $x; echo $#; printf '[%s]' "$@"; echo
#### p_length_positional
set -- hello; echo ${#1} ${#}
