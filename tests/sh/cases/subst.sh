#### s_basic
echo $(echo hello)
#### s_backquote
echo `echo hello`
#### s_nested
echo $(echo $(echo deep))
#### s_trailing_newlines
x=$(printf 'a\n\n\n'); echo "[$x]"
#### s_inner_newlines
x=$(printf 'a\nb'); echo "$x"
#### s_split
set -- $(echo a b c); echo $#
#### s_quoted_nosplit
set -- "$(echo a b c)"; echo $#
#### s_status
x=$(exit 3); echo $?
#### s_status_assign_only
x=$(false) y=1; echo $?
#### s_case_in_subst
x=$(case a in a) echo matched;; esac); echo $x
#### s_paren_in_quotes
echo $(echo ')' "(")
#### s_subshell_vars
x=1; y=$(x=2; echo $x); echo $x $y
#### s_pipe_inside
echo $(echo abc | tr a-z A-Z)
#### s_multiline
x=$(
  echo one
  echo two
); echo $x
#### s_backquote_dollar
x=5; echo `echo \$x`
#### s_in_for
for i in $(echo 1 2 3); do printf %s $i; done; echo
#### s_glob_result
touch c1 c2; echo $(echo 'c*')
#### s_stderr_passthrough
x=$(echo err >&2; echo out); echo $x
#### s_large_output
x=$(i=0; while [ $i -lt 2000 ]; do echo line; i=$((i+1)); done); echo ${#x}
#### s_heredoc_inside
x=$(cat <<EOF
from heredoc
EOF
); echo $x
#### s_exit_in_subst
x=$(echo a; exit 1; echo b); echo $x $?
#### s_func_output
f() { echo f-out; }; echo "got $(f)"
