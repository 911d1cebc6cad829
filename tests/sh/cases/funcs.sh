#### f_basic
greet() { echo "hello $1"; }; greet world
#### f_return
f() { return 5; }; f; echo $?
#### f_return_default
f() { false; return; }; f; echo $?
#### f_status_last
f() { true; false; }; f; echo $?
#### f_recursion
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 6
#### f_local
x=global; f() { local x=local; echo $x; }; f; echo $x
#### f_local_dynamic
x=g; inner() { echo $x; }; outer() { local x=o; inner; }; outer
#### f_global_modify
x=1; f() { x=2; }; f; echo $x
#### f_redefine
f() { echo one; }; f; f() { echo two; }; f
#### f_unset
f() { echo f; }; unset -f f; f 2>/dev/null; echo $?
#### f_subshell_body
f() ( x=inner; echo $x ); x=outer; f; echo $x
#### f_redirect
f() { echo redirected; } > out; f; cat out
#### f_pipe
f() { tr a-z A-Z; }; echo abc | f
#### f_multiline
f()
{
  echo multi
}
f
#### f_positional_count
f() { echo $# "$@"; }; f "a b" c
#### f_return_in_loop
f() { for i in 1 2 3; do [ $i = 2 ] && return $i; done; }; f; echo $?
#### f_break_outside
f() { break; }; for i in 1 2; do f; echo $i; done
#### f_name_with_underscore
_my_func1() { echo ok; }; _my_func1
#### f_over_builtin
echo() { printf 'wrapped:%s\n' "$*"; }; echo hi; unset -f echo; echo plain
#### f_command_skips_func
ls() { echo func; }; command ls /dev/null
#### f_exit_in_func
f() { exit 3; }; f; echo not
#### f_dollar0
f() { case $0 in *.sh) echo script;; *) echo other $0;; esac; }; f
#### f_errexit_in_func
set -e; f() { false; echo no; }; f; echo no2
#### f_define_in_if
if true; then g() { echo g; }; fi; g
#### f_in_subst
f() { echo sub; }; x=$(f); echo $x
#### f_assign_prefix
f() { echo $V; }; V=temp f; echo "[$V]"
