#### g_star
touch a.c b.c c.h; echo *.c
#### g_question
touch x1 x2 x10; echo x?
#### g_bracket
touch f1 f2 f3; echo f[12] f[!1]
#### g_range
touch ga gb gc; echo g[a-b]
#### g_no_match
echo nomatch*
#### g_hidden
touch .hid vis; echo *
#### g_dot_explicit
touch .hid; echo .h*
#### g_dir
mkdir -p d/e; touch d/e/f d/g; echo d/*; echo d/*/*
#### g_sorted
touch zz aa mm; echo *
#### g_in_var
touch v1 v2; p='v*'; echo $p; echo "$p"
#### g_escaped
touch 'a*'; echo a\*; echo 'a'*
#### g_case_pattern_star
case foo.txt in *.txt) echo text;; esac
#### g_assignment_no_glob
touch q1; x=q*; echo "$x"
#### g_dir_slash
mkdir m1 m2; echo m*/
#### g_bracket_literal
touch '[x'; echo [x
#### g_class
touch A1 b2; echo [[:upper:]]*
