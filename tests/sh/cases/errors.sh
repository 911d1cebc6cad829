#### e_not_found
nosuchcommand; echo $?
#### e_not_found_path
./nosuch; echo $?
#### e_not_executable
echo 'echo hi' > s; ./s; echo $?
#### e_is_directory
mkdir dd; ./dd; echo $?
#### e_syntax_fi
if true; then echo x; fi fi
#### e_syntax_missing_done
while true; do echo x;
#### e_syntax_unexpected_paren
echo )
#### e_syntax_late_line
echo first
echo second
if then
#### e_syntax_in_eval
eval 'if'; echo $?
#### e_redirect_fail_builtin
echo x > /nonexistent/dir/f; echo $?
#### e_bad_substitution
echo ${x!y}
#### e_arith_error
echo $((1 +)); echo after
#### e_cd_too_many_shift
shift 5; echo $?
#### e_exit_bad
exit abc
#### e_script_runs_on_after_error
nosuch 2>/dev/null; echo continue
#### e_error_in_pipeline
nosuch | echo piped; echo $?
#### e_stderr_message_line
true
nosuch_on_line_2
#### e_dot_missing
. ./missing-file; echo not reached
#### e_return_value_big
f() { return 300; }; f; echo $?
#### e_unterminated_quote
echo 'abc
#### e_unterminated_dquote
echo "abc
#### e_missing_esac
case a in a) echo x;;
#### e_func_bad_body
f() echo x
#### e_empty_if
if; then :; fi
