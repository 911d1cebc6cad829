#### r_out_in
echo hi > f; cat < f
#### r_append
echo 1 > f; echo 2 >> f; cat f
#### r_stderr
cat /nonexistent-xyz 2>/dev/null; echo $?
#### r_stderr_to_stdout
{ echo out; echo err >&2; } 2>&1 | cat
#### r_stdout_to_stderr
echo to-err >&2
#### r_order
{ echo e >&2; } 2>&1 >/dev/null | cat
#### r_close
echo closed >&-; echo $?
#### r_fd3
exec 3>f3; echo three >&3; exec 3>&-; cat f3
#### r_dup_in
echo data > f; exec 4<f; read l <&4; echo $l; exec 4<&-
#### r_rdwr
echo abc > f; cat <> f
#### r_clobber
echo 1 > f; set -C; echo 2 > f; echo $?; echo 3 >| f; cat f
#### r_missing_file
cat < /nonexistent/file; echo $?
#### r_bad_fd
echo x >&7; echo $?
#### r_heredoc
cat <<EOF
line here
EOF
#### r_heredoc_vars
x=42; cat <<EOF
x is $x, sum $((x+1)), cmd $(echo sub)
EOF
#### r_heredoc_quoted
x=42; cat <<'EOF'
x is $x `no`
EOF
#### r_heredoc_dq_delim
cat <<"END"
$literal
END
#### r_heredoc_strip_tabs
cat <<-EOF
		indented
	EOF
#### r_heredoc_backslash
cat <<EOF
a\$b \\ \n c\
d
EOF
#### r_heredoc_two
cat <<A; cat <<B
first
A
second
B
#### r_heredoc_in_func
f() { cat <<EOF
in func $1
EOF
}; f arg
#### r_heredoc_pipe
cat <<EOF | tr a-z A-Z
upper
EOF
#### r_heredoc_loop
for i in 1 2; do cat <<EOF
iter $i
EOF
done
#### r_heredoc_empty
cat <<EOF
EOF
echo end
#### r_heredoc_quotes_inside
cat <<EOF
"double" 'single'
EOF
#### r_builtin_redirect_restore
echo a > f; echo b; cat f
#### r_redirect_only
> empty; ls empty; wc -c < empty
#### r_fd_for_group
{ read a; read b; } <<EOF
1
2
EOF
echo $b$a
#### r_noclobber_devnull
set -C; echo x > /dev/null; echo ok
#### r_redirect_expansion
n=out; echo x > $n.txt; cat out.txt
#### r_heredoc_long
i=0; { while [ $i -lt 800 ]; do echo "line $i abcdefghijklmnopqrstuvwxyz"; i=$((i+1)); done; } > big; cat <<EOF | wc -l
$(cat big)
EOF
#### r_exec_redirect_persist
exec > out; echo hidden; exec >&2; cat out >&2
