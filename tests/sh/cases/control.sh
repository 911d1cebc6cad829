#### c_if_else
if false; then echo a; elif true; then echo b; else echo c; fi
#### c_if_nested
x=3; if [ $x -gt 1 ]; then if [ $x -gt 2 ]; then echo big; fi; fi
#### c_if_status
if false; then :; fi; echo $?
#### c_if_multiline
if true
then
  echo yes
else
  echo no
fi
#### c_while
i=0; while [ $i -lt 5 ]; do i=$((i+1)); printf %s $i; done; echo
#### c_until
i=0; until [ $i -ge 3 ]; do i=$((i+1)); done; echo $i
#### c_for_list
for x in 1 2 3; do echo -n "$x "; done; echo
#### c_for_glob
touch b1 b2 b3; for f in b*; do echo $f; done
#### c_for_positional
set -- p q; for a; do echo $a; done
#### c_for_newline_do
for i in a b
do
echo $i
done
#### c_for_empty
for i in; do echo never; done; echo ok
#### c_break
for i in 1 2 3 4; do [ $i = 3 ] && break; echo $i; done
#### c_continue
for i in 1 2 3 4; do [ $i = 2 ] && continue; echo $i; done
#### c_break_n
for i in 1 2; do for j in a b; do echo $i$j; break 2; done; done; echo out
#### c_continue_n
for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; echo never; done
#### c_while_break_status
while true; do break; done; echo $?
#### c_loop_status
for i in 1; do false; done; echo $?
#### c_case_basic
for w in apple banana cherry x; do case $w in a*) echo A;; b*|c*) echo BC;; *) echo other;; esac; done
#### c_case_paren
case x in (x) echo paren;; esac
#### c_case_quoted_pattern
x='*'; case a in "$x") echo lit;; *) echo glob;; esac; case '*' in "*") echo star;; esac
#### c_case_var_pattern
p='a*'; case abc in $p) echo matched;; esac
#### c_case_empty_body
case a in a) ;; esac; echo $?
#### c_case_no_match_status
false; case a in b) echo;; esac; echo $?
#### c_case_last_no_dsemi
case a in a) echo last
esac
#### c_case_multiline
case hello in
  h*)
    echo one
    echo two
    ;;
  *)
    echo three
    ;;
esac
#### c_case_class
case 5 in [0-9]) echo digit;; esac; case b in [!a]) echo nota;; esac
#### c_and_or
true && echo 1; false && echo 2; false || echo 3; true || echo 4; false && true || echo 5
#### c_not
! true; echo $?; ! false; echo $?
#### c_not_pipeline
! echo x | grep -q y; echo $?
#### c_group
{ echo a; echo b; } | wc -l
#### c_group_vars
x=1; { x=2; }; echo $x
#### c_subshell_vars
x=1; (x=2; echo in $x); echo out $x
#### c_subshell_exit
(exit 3); echo $?; (true; exit); echo $?
#### c_subshell_cd
mkdir d; (cd d; pwd | sed 's|.*/||'); pwd | sed 's|.*/||' | grep -c d
#### c_semicolon_newlines
echo a;
echo b
#### c_background_wait
(echo bg) & wait; echo done
#### c_and_newline
true &&
echo continued
#### c_pipe_newline
echo piped |
tr a-z A-Z
#### c_pipeline_status
false | true; echo $?; true | false; echo $?
#### c_long_pipeline
echo hello | cat | cat | cat | tr h H
#### c_errexit
set -e; true; false; echo not reached
#### c_errexit_if
set -e; if false; then :; fi; false || true; ! true; echo survived
#### c_errexit_and
set -e; false && true; echo survived
#### c_errexit_subshell
set -e; (false); echo not reached
#### c_errexit_func
set -e; f() { false; echo in f; }; f || echo failed; echo end
#### c_while_read
printf 'a\nb\nc\n' | while read l; do echo "<$l>"; done
#### c_nested_loops
for i in 1 2; do j=0; while [ $j -lt 2 ]; do echo $i$j; j=$((j+1)); done; done
#### c_exit_in_loop
for i in 1 2 3; do [ $i = 2 ] && exit 4; echo $i; done
#### c_xtrace
set -x; echo traced; x=1; set +x; echo quiet
#### c_noglob
touch g1; set -f; echo g*; set +f; echo g*
#### c_noexec
set -n; echo never
#### c_if_compound_redirect
if true; then echo inside; fi > f; cat f
#### c_while_redirect_input
printf '1\n2\n' > f; while read x; do echo got $x; done < f
#### c_for_redirect
for i in 1 2; do echo $i; done | wc -l
#### c_keywords_in_case_words
case fi in fi) echo fi-ok;; esac
