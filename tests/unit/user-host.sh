#!/bin/sh
# tests/unit/user-host.sh BINDIR - check RayOS's user programs on the Linux
# host: the t-* test programs must pass (t-mmap without its free-memory
# criterion, which a busy host cannot honour), and the shell and utilities
# must give the expected output and exit statuses. Prints one line per
# failure and a summary; exit status 1 if anything failed.
set -u
B=$(cd "${1:?usage: user-host.sh BINDIR}" && pwd)
tmp=$(mktemp -d /tmp/rayos-user-host.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0 checks=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect_status STATUS CMD...: run CMD, check its exit status.
expect_status() {
	want=$1; shift
	checks=$((checks + 1))
	"$@" >"$tmp/out" 2>&1
	got=$?
	[ "$got" = "$want" ] || { fail "$* -> status $got, expected $want"; sed 's/^/    /' "$tmp/out"; }
}

# expect_sh EXPECTED SCRIPT: run our sh -c SCRIPT, compare stdout+stderr.
expect_sh() {
	checks=$((checks + 1))
	got=$(cd "$tmp" && PATH="$B:/bin:/usr/bin" "$B/sh" -c "$2" 2>&1)
	[ "$got" = "$1" ] || fail "sh -c '$2': got '$got', expected '$1'"
}

# The test programs.
expect_status 3 "$B/t-exit" 3
expect_status 0 "$B/t-args" a "b c"
expect_status 0 "$B/t-efault"
expect_status 0 "$B/t-fork" 200
expect_status 0 "$B/t-signal"
expect_status 0 "$B/t-mmap" --no-free-check
expect_status 0 "$B/t-sleep" 0
expect_status 0 "$B/t-exec"
expect_status 0 "$B/t-pie"
expect_status 0 "$B/t-cow"
if command -v mke2fs >/dev/null 2>&1 || [ -x /sbin/mke2fs ]; then
	PATH=$PATH:/sbin:/usr/sbin mke2fs -q -t ext2 -F "$tmp/ext2.img" 1M >/dev/null 2>&1
	expect_status 0 "$B/t-blkread" "$tmp/ext2.img"
fi
expect_status 1 "$B/t-blkread" /dev/null
expect_status 1 "$B/init"

# The shell.
expect_sh "hello world" 'echo hello world'
expect_sh "a  b c'd \$x" "echo \"a  b\" c\\'d '\$x'"
expect_sh "3" 't-exit 3; echo $?'
expect_sh "Segmentation fault
139" 't-segv >/dev/null; echo $?'
expect_sh "sh: nosuch: not found
127" 'nosuch; echo $?'
expect_sh "sh: /etc/passwd: Permission denied
126" '/etc/passwd; echo $?'
expect_sh "and
or" 'true && echo and; false || echo or; false && echo no'
expect_sh "1" 'false; echo $?'
expect_sh "0" '! false; echo $?'
expect_sh "ONE TWO" 'echo one two | tr a-z A-Z | cat'
expect_sh "x=5 5 def" 'X=5; echo "x=$X ${X} ${Y:-def}"'
expect_sh "a
b" 'echo a > f; echo b >> f; cat < f'
expect_sh "err" 'sh -c "echo err >&2" 2>f; cat f'
expect_sh "both" 'sh -c "echo both >&2" > f 2>&1; cat f'
expect_sh "foo=bar A=1 A=" 'export FOO=bar; A=1 sh -c "echo foo=\$FOO A=\$A" | tr "\n" " "; echo A=$A'
expect_sh "7" 'sh -c "exit 7"; echo $?'
expect_sh "slept 0 s
done" 't-sleep 0 & wait; echo done'
expect_sh "sh: cd: /nonexistent: No such file or directory
1" 'cd /nonexistent; echo $?'
expect_sh "/" 'cd /; pwd'
expect_sh "f" 'mkdir e && cd e && touch f && ls'
expect_sh "sh: -c: line 1: syntax error: unexpected ;" 'echo a;;'
expect_sh "x y" 'A="x y"; sh -c "echo \$1 \$2" sh $A'
expect_sh "$(cd "$tmp" && echo *)" 'echo *'

# Scripts: comments, continuation lines, arguments, exit.
cat > "$tmp/script.sh" <<'SCRIPT'
# a comment
echo "first $1" \
  "$2"
false ||
  echo recovered
exit 4
echo not reached
SCRIPT
expect_sh "first a b
recovered
4" 'sh script.sh a b; echo $?'
expect_sh "zero one" "sh -c 'echo \$0 \$1' zero one"

# The utilities.
expect_sh "a	b" 'echo -e "a\tb"'
expect_sh "a	b
x." "$B/echo -e 'a\\tb'; $B/echo -n x; $B/echo ." 
expect_sh "sh: -c: line 1: syntax error: unexpected '(' (subshells and functions are not supported yet)" 'f() { :; }'
expect_sh "     1	x" 'echo x | cat -n'
expect_sh "cat: /nonexistent: No such file or directory" 'cat /nonexistent'
expect_status 1 "$B/cat" /nonexistent
expect_status 2 "$B/cat" -z
expect_status 2 "$B/ls" -z
expect_sh "$(uname -s -m)" 'uname -s -m'
mkdir "$tmp/d" && touch "$tmp/d/b" "$tmp/d/a" "$tmp/d/.h"
expect_sh "a
b" 'ls d'
expect_sh ".
..
.h
a
b" 'ls -a d'
checks=$((checks + 1))
(cd "$tmp" && "$B/ls" -l d) | grep -q '^-rw-.* 0 .* a$' || fail "ls -l d: no '-rw-... 0 ... a' line"

# Text tools and friends against the host's GNU coreutils, grep, sed,
# findutils and util-linux: the same command line, once with our programs
# first on PATH and once with the host's, must print the same and exit
# the same (LC_ALL=C, where GNU's formats and collation are plain bytes).
expect_gnu() {
	checks=$((checks + 1))
	ours=$(cd "$tmp/g" && LC_ALL=C PATH="$B:/usr/bin:/bin" /bin/sh -c "$1" 2>&1; echo "status=$?")
	gnu=$(cd "$tmp/g" && LC_ALL=C PATH="/usr/bin:/bin" /bin/sh -c "$1" 2>&1; echo "status=$?")
	[ "$ours" = "$gnu" ] || { fail "not as on the host: $1"; printf '%s\n' "$ours" | sed 's/^/    ours: /'; printf '%s\n' "$gnu" | sed 's/^/    host: /'; }
}
mkdir -p "$tmp/g/sub/deep"
printf 'Hello world\nfoo bar foo\n\nabc 123 def\nhello again\nlast line\n' > "$tmp/g/text"
printf 'b 10 x\na 9 y\nc 100 x\n  d 2 z\nb 10 x\nA 1 q\n' > "$tmp/g/rows"
printf 'a:b:c:d\nno delim\n1:2\n' > "$tmp/g/colon"
printf 'a\na\nb\nc\nc\nc\nd\n' > "$tmp/g/runs"
printf 'x\n' > "$tmp/g/sub/x.c"; printf 'hello y\n' > "$tmp/g/sub/deep/y.c"
head -c 300 /dev/zero > "$tmp/g/sub/zeros"
expect_gnu 'grep hello text; grep -i hello text; grep -v o text; grep -c o text'
expect_gnu 'grep -n -E "o+ [a-z]" text; grep -l hello text rows; grep -q nothing text'
expect_gnu 'grep -r hello . | sort; grep -rn hello sub; grep -F "." text; grep x nosuch'
expect_gnu 'sort rows; sort -r rows; sort -n -k 2 rows; sort -u -k 3 rows; sort -t : -k 2 colon'
expect_gnu 'sort -rn -k2 rows; sort -k 2,2 rows; sort -u runs'
expect_gnu 'uniq runs; uniq -c runs; uniq -d runs; uniq -u runs'
expect_gnu 'cut -d: -f2 colon; cut -d: -f1,3 colon; cut -d: -f2- -s colon; cut -c2-4 text'
expect_gnu 'tr a-z A-Z < text; tr -d aeiou < text; tr -s "lo" < text; tr -cd "a-z\n" < text'
expect_gnu 'tr "[:lower:]" "[:upper:]" < text; tr -s " " < rows; tr a-c xy < text'
expect_gnu 'sed s/o/0/ text; sed s/o/0/g text; sed "s/foo/[&]/g" text; sed -n /foo/p text'
expect_gnu 'sed -E "s/([a-z]+) ([a-z]+)/\2 \1/" text; sed "s/\([a-z]*\) \([0-9]*\)/<\2|\1>/" text'
expect_gnu 'sed 2d text; sed "\$d" text; sed -n "\$p" text; sed "/^\$/d" text; sed 2,4d text'
expect_gnu 'sed "/Hello/,/abc/d" text; sed 2q text; sed -e s/a/A/g -e s/e/E/ text; sed "3!d" text'
expect_gnu 'sed "s/x*/-/g" text; sed s/o/0/2 text; sed = text; sed -n "2,\$p" text'
expect_gnu 'cp text t2 && sed -i s/foo/baz/g t2 && cat t2'
expect_gnu 'find . | sort; find . -name "*.c" | sort; find . -type d | sort; find . -maxdepth 1 | sort'
expect_gnu 'find sub -type f -name "*.c" -exec cat {} \; | sort'
expect_gnu 'echo a b c d e | xargs -n 2; echo "x y" | xargs echo pre; ls sub | xargs'
expect_gnu 'du -s sub; du sub; du -a sub | sort; du -sk text'
if command -v hexdump >/dev/null 2>&1; then
	expect_gnu 'hexdump -C text; hexdump -C sub/zeros; hexdump -C -n 20 -s 3 text; hexdump -C </dev/null'
fi
expect_status 2 "$B/grep"
expect_status 2 "$B/sort" -z
expect_status 2 "$B/ps" -z
expect_status 0 "$B/ps"
expect_status 0 "$B/free" -h
expect_status 0 "$B/uptime"
expect_status 0 "$B/df" /

echo "user-host: $checks checks, $fails failed"
[ "$fails" = 0 ]
