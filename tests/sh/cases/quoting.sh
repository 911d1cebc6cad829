#### q_single
printf '%s|' 'a  b' 'c"d' '$x' '\n'; echo
#### q_double
x=val; echo "x=$x" "a  b" "\$x" "\"q\"" "back\\slash" "keep\z"
#### q_backslash
echo a\ b \$x \\ \' \"
#### q_mixed
echo 'a'"b"c\ d"$HOME"x >/dev/null; echo 'it'\''s'
#### q_empty_args
set -- "" a ""; echo $#
#### q_empty_quoted
printf '[%s]\n' "" '' a""b
#### q_newline_in_quotes
echo "line1
line2"
#### q_continuation
echo abc\
def
#### q_dq_continuation
echo "abc\
def"
#### q_sq_backslash_newline
echo 'a\
b'
#### q_hash_not_comment
echo a#b '#c' # real comment
#### q_hash_comment_line
# just a comment
echo after
#### q_dollar_alone
echo $ "$" a$ '$'
#### q_dollar_dq_special
echo "$" "a$" "\`"
#### q_nested_quotes_subst
echo "$(echo "inner 'q'")"
#### q_backquote_escape
echo `echo \`echo nested\``
#### q_tilde
HOME=/home/me; echo ~ ~/x "~" '~' x~ a=~
#### q_tilde_assign
HOME=/h; x=~/a:~/b; echo $x
#### q_glob_quoted
touch a1 a2; echo "a*" 'a?' a\*; echo a*
#### q_printf_escapes
printf 'a\tb\\c\n'
#### q_ifs_quoted_no_split
x='a   b'; printf '[%s]\n' "$x" $x
#### q_dq_in_param_word
unset u; echo "${u:-"a b"}" ${u:-"c  d"}
#### q_sq_in_dq_param
unset u; echo "${u:-'x'}"
#### q_brace_literal
echo {a,b} { } a{b}
#### q_keyword_as_arg
echo if then fi do done case esac
#### q_special_chars_args
echo a=b -- -n-not
