#### b_echo
echo a b; echo -n no-newline; echo; echo -- -x
#### b_printf_formats
printf '%s-%d-%x-%o-%c-%%\n' str 42 255 8 xyz
#### b_printf_width
printf '[%5s][%-5s][%05d][%.2s]\n' ab ab 42 abcdef
#### b_printf_reuse
printf '%s=%s\n' a 1 b 2 c
#### b_printf_b
printf '%b\n' 'a\tb' 'c\\d'
#### b_printf_missing
printf '%s|%d|\n'
#### b_printf_char_arg
printf '%d\n' "'A"
#### b_printf_bad_number
printf '%d\n' abc; echo $?
#### b_read_basic
echo 'one two three' | { read a b; echo "$a|$b"; }
#### b_read_raw
printf 'a\\b\n' | { read -r x; printf '%s\n' "$x"; }
#### b_read_backslash
printf 'a\\b\n' | { read x; echo "$x"; }
#### b_read_eof
printf 'partial' | { read x; echo $? "$x"; }
#### b_read_ifs
echo 'a:b:c' | { IFS=: read x y z; echo $y; }
#### b_read_leading_spaces
echo '   lead  trail   ' | { read x; echo "[$x]"; }
#### b_read_reply
echo hi | { read; echo $REPLY; }
#### b_read_many_vars
echo 'a' | { read x y z; echo "[$x][$y][$z]"; }
#### b_test_strings
[ abc = abc ] && echo eq; [ abc != abd ] && echo ne; [ -z "" ] && echo z; [ -n x ] && echo n
#### b_test_numbers
[ 3 -lt 5 ] && echo lt; [ 5 -ge 5 ] && echo ge; [ 2 -eq 3 ] || echo neq
#### b_test_files
touch f; mkdir d; [ -f f ] && echo file; [ -d d ] && echo dir; [ -e nope ] || echo none
#### b_test_logic
[ 1 = 1 -a 2 = 2 ] && echo and; [ 1 = 2 -o 2 = 2 ] && echo or; [ ! 1 = 2 ] && echo not
#### b_test_builtin
test 5 -gt 2; echo $?
#### b_test_syntax_error
[ 1 -eq ]; echo $?
#### b_true_false
true; echo $?; false; echo $?; :; echo $?
#### b_cd_pwd
mkdir sub; cd sub; pwd | sed 's|.*/||'; cd ..; pwd | grep -c sub
#### b_cd_minus
mkdir a b; cd a; cd ../b; cd - | sed 's|.*/||'
#### b_cd_home
mkdir h; HOME=$(pwd)/h; cd; pwd | sed 's|.*/||'
#### b_cd_fail
cd /nonexistent-dir 2>/dev/null; echo $?
#### b_export_list
export ZZ_TEST=1; export -p | grep ZZ_TEST
#### b_unset
a=1; unset a; echo "[${a-unset}]"
#### b_set_positional
set -- x y z; echo $2; set --; echo $#
#### b_eval
cmd='echo evaluated'; eval $cmd; eval 'x=5'; echo $x
#### b_eval_complex
eval 'for i in 1 2; do echo $i; done'
#### b_eval_status
eval false; echo $?; eval; echo $?
#### b_source
echo 'sourced_var=hi' > inc.sh; . ./inc.sh; echo $sourced_var
#### b_source_args_return
printf 'echo in; return 3; echo no\n' > r.sh; . ./r.sh; echo $?
#### b_exec_cmd
exec echo replaced; echo never
#### b_type
type echo; type cd; f() { :; }; type f; type if
#### b_type_missing
type nosuchcmd; echo $?
#### b_command_v
command -v echo; command -v nosuchcmd; echo $?
#### b_alias
alias hi='echo hello'
hi
alias hi
unalias hi
hi 2>/dev/null || echo gone
#### b_alias_args
alias say='echo said'
say more
#### b_umask
umask 027; umask; umask 022; umask
#### b_trap_exit
trap 'echo bye' EXIT; echo main
#### b_trap_list
trap 'echo x' INT; trap
#### b_trap_signal
trap 'echo got USR1' USR1; kill -USR1 $$; echo after
#### b_trap_reset
trap 'echo t' EXIT; trap - EXIT; echo end
#### b_trap_exit_status
trap 'echo trap $?' EXIT; exit 3
#### b_trap_in_subshell
trap 'echo parent' EXIT; (echo child); echo main
#### b_kill_list
kill -l 9; kill -l 15
#### b_wait_status
(exit 5) & wait $!; echo $?
#### b_wait_all
(sleep 0; echo one) & (echo two) & wait; echo done
#### b_readonly_list
readonly ROVAR=1; readonly -p | grep ROVAR
#### b_exit_status
exit 42
#### b_exit_default
false; exit
#### b_times_ok
times > /dev/null; echo $?
#### b_getset_ifs_read
printf 'x y\n' | { read -r a b; echo "$b $a"; }
#### b_set_options
set -e -u; echo $-  | grep -c e; set +e +u
#### b_set_o
set -o noglob; echo *; set +o noglob
#### b_local_outside
local x=1; echo $?
#### b_break_outside_loop
break; echo after
