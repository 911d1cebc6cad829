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
expect_sh 'sh: -c: line 1: syntax error: unexpected ";;"' 'echo a;;'
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
expect_sh "f:x" 'f() { echo f:$1; }; f x'
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

# Utilities part A: compare with GNU coreutils on this host where the
# formats match. same CMD ARGS...: our build/user/CMD and the host's CMD,
# run in $tmp, must give the same stdout+stderr and exit status.
same() {
	checks=$((checks + 1))
	ours=$(cd "$tmp" && "$B/$@" 2>&1; echo "status $?")
	host=$(cd "$tmp" && "$@" 2>&1; echo "status $?")
	[ "$ours" = "$host" ] || { fail "$*: got"; echo "$ours" | sed 's/^/    /'; echo "  expected"; echo "$host" | sed 's/^/    /'; }
}
seq 1 25 > "$tmp/n25"; printf 'a b\n  c\td\n\nlast line no newline' > "$tmp/w"
for args in "n25" "-l w" "-w w" "-c w n25" "w n25" "-lc w"; do same wc $args; done
for args in "n25" "-n 3 n25" "-c 7 n25" "-n -22 n25" "-4 n25" "n25 w" "-n 2 w"; do same head $args; done
for args in "n25" "-n 3 n25" "-c 7 n25" "-n +23 n25" "-2 w" "n25 w"; do same tail $args; done
for args in "5" "3 7" "1 3 10" "10 -3 1" "-w 8 12" "-s , 1 5" "0 0.25 1" "-w -s: 1 10"; do same seq $args; done
for args in "/usr/lib/x.so .so" "/" "a/b//" "x" "-a /a/b /c/d" "-s .c a.c b.c"; do same basename $args; done
for args in "/usr/lib" "a" "/a" "a/b/" "//" "."; do same dirname $args; done
same id; same id -u; same id -Gn; same whoami
same date -u -d @1700000000; same date -u -d @0 "+%Y-%m-%d %H:%M:%S %j %a"
same stat -c "%a %A %F %s %h %U %G" w; same stat -c "%n %F" /dev/null
checks=$((checks + 1))
[ "$(cd "$tmp" && "$B/stat" w | grep -v Birth)" = "$(cd "$tmp" && stat w | grep -v Birth)" ] || fail "stat w: not like GNU stat"
expect_status 2 "$B/head" -z; expect_status 2 "$B/wc" -z; expect_status 2 "$B/mkdir"
expect_status 1 "$B/false"; expect_status 0 "$B/true"; expect_status 1 "$B/rm" "$tmp/nosuch"
expect_status 0 "$B/rm" -f "$tmp/nosuch"; expect_status 1 "$B/test" -e "$tmp/nosuch"
expect_status 2 "$B/test" 1 -eq x
expect_sh "y
y" 'yes | head -n 2'
expect_sh "0.2" 'sleep 0.2; echo 0.2'
expect_sh "b
data
a2" 'mkdir -p a/b/c && echo data > a/b/c/f && cp -r a a2 && ls a && cat a2/b/c/f && rm -r a && echo a*' 
expect_sh "rm: cannot remove 'x': No such file or directory" 'rm x'
expect_sh "700
-rwxr-----
640" 'mkdir -m 700 m; touch f; chmod 750 f; chmod g-x f; stat -c %a m; chmod u+x,o= f; stat -c "%A" f; chmod 640 f; stat -c %a f' 
expect_sh "g
g
gone" 'echo g > t1; mv t1 t2; cat t2; ln -s t2 l; cat l; test -L l && rm l t2 && test ! -e t2 && echo gone' 
expect_sh "2
1" 'echo x | tee o1 > o2; echo y | tee -a o1 >/dev/null; wc -l < o1 | tr -d " "; cat o2 | wc -l' 
expect_sh "ok
ok
ok
ok" '[ -d . ] && echo ok; test 3 -gt 2 -a abc = abc && echo ok; [ ! -f nosuch ] && echo ok; [ \( -n x -o -z x \) ] && echo ok' 
expect_sh "A=1" 'env -i A=1 printenv' 
expect_sh "$B/wc" 'which wc' 

# mv across file systems (rename gives EXDEV): copy and remove.
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$tmp")" ]; then
	xd=$(mktemp -d /dev/shm/rayos-mv.XXXXXX)
	expect_sh "moved
gone" "mkdir -p xd/sub && echo moved > xd/sub/f && mv xd $xd/ && cat $xd/xd/sub/f && test ! -e xd && echo gone"
	rm -rf "$xd"
fi
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
