#### m_many_commands
echo 1; echo 2; echo 3; echo 4; echo 5
#### m_long_script
i=0
while [ $i -lt 50 ]
do
  case $((i % 3)) in
    0) t=fizz ;;
    1) t=buzz ;;
    *) t=none ;;
  esac
  i=$((i + 1))
done
echo $i $t
#### m_string_ops
s=hello.world.txt; base=${s%%.*}; ext=${s##*.}; echo $base $ext
#### m_counting_words
set -- $(echo the quick brown fox); echo $#
#### m_join
join() { local IFS=$1; shift; echo "$*"; }; join , a b c
#### m_reverse_args
r=; for a in 1 2 3 4; do r="$a $r"; done; echo $r
#### m_fib
a=0 b=1; for i in 1 2 3 4 5 6 7 8 9 10; do t=$b; b=$((a+b)); a=$t; done; echo $a
#### m_env_passthrough
FOO=bar env | grep '^FOO='
#### m_pipe_to_while_subshell
n=0; echo x | while read l; do n=1; done; echo $n
#### m_here_string_loop
while read a b; do echo "$b-$a"; done <<EOF
1 one
2 two
EOF
#### m_nested_functions
outer() { inner() { echo inner; }; inner; }; outer; inner
#### m_semicolon_after_brace
{ echo a; }; { echo b; }
#### m_exit_code_pipe_not
! false | false; echo $?
#### m_var_in_redir_heredoc
f=x; cat > $f <<EOF
content
EOF
cat x
#### m_assign_from_arith_subst
x=$(( $(echo 2) + $(echo 3) )); echo $x
#### m_quote_preserve_spaces
x="a    b"; echo "$x"; echo $x
#### m_empty_command_subst
$(true); echo $?
#### m_colon_args
: ${x:=set-by-colon}; echo $x
#### m_dollar_at_in_func
f() { for a in "$@"; do echo "<$a>"; done; }; f "1 2" 3
#### m_unset_positional
set -- a b; set --; echo "[$*]"
#### m_sh_c_args
sh -c 'echo $0 $1 $2' zero one two
#### m_comment_after_cmd
echo visible # hidden
#### m_tab_separators
echo	tab	separated
#### m_getopts_like_loop
set -- -a -b file; while [ $# -gt 0 ]; do case $1 in -a) echo A;; -b) echo B;; *) echo arg $1;; esac; shift; done
#### m_exit_trap_order
trap 'echo exiting' EXIT; f() { echo in f; exit 2; }; f
#### m_background_output_order
echo before; (echo inbg) & wait; echo after
#### m_number_compare_strings
[ 10 -gt 9 ] && echo num; [ 10 \> 9 ] || echo str
#### m_while_false_status
while false; do :; done; echo $?
#### m_redir_stdin_builtin_read
echo line > f; read x < f; echo $x
#### m_var_named_like_keyword
if=1; echo $if
#### m_semicolons_in_case
case x in x) echo a; echo b;; esac
