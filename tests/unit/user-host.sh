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
printf 'foobar\nbar foo_x\nword foo.\none\ntwo\nthree foo\n' >> "$tmp/g/text"; printf 'foo\nthree\n' > "$tmp/g/pats"
expect_gnu 'grep -w foo text; grep -x foo text; grep -o foo text; grep -on "o[a-z]*" text; grep -ow foo text'
expect_gnu 'grep -e foo -e hello text; grep -i -e HELLO -e ABC text; grep -Fw foo text; grep -Fx one text; grep -f pats text'
expect_gnu 'grep -m 2 foo text; grep -m1 -c foo text; grep -A1 foo text; grep -B2 abc text; grep -C1 hello text'
expect_gnu 'grep -nA1 -B1 two text; grep -vC1 o text; grep -m1 -A2 foo text; grep -L foo text rows; grep -w "o*" text'
expect_gnu 'grep -oE "[0-9]+|foo" text; grep -n -C 1 -e foo -e one text rows; grep -A 1 -m 3 o text; grep "$(printf "one\ntwo")" text'
expect_gnu 'sort rows; sort -r rows; sort -n -k 2 rows; sort -u -k 3 rows; sort -t : -k 2 colon'
expect_gnu 'sort -rn -k2 rows; sort -k 2,2 rows; sort -u runs'
printf '%s\n' '-3 neg' '0.5 half' ' 1e3 sci' '10K big' '2M bigger' '1.5K mid' abc '' '-0 zero' '007 lead' 'B 2' 'b 10' > "$tmp/g/nums"
expect_gnu 'sort -n nums; sort -g nums; sort -h nums; sort -hr nums; sort -f nums; sort -d nums; sort -b nums'
expect_gnu 'sort -k2,2n -k1,1r rows; sort -k1.2 rows; sort -k1.2,1.3 rows; sort -k 3 -k 1 rows; sort -s -k3 rows'
expect_gnu 'sort -k1,1f -u nums; sort -fu nums; sort -k2b rows; sort -k2.2b,2.3n rows; sort -t: -k3 -u colon'
expect_gnu 'sort -c rows; sort -c runs; sort -cu runs; sort -C rows; cp rows r2 && sort -o r2 r2 && cat r2; sort nosuch'
expect_status 2 "$B/sort" -k0
expect_status 2 "$B/sort" -t ab
expect_gnu 'uniq runs; uniq -c runs; uniq -d runs; uniq -u runs'
printf 'a x\nA x\nb x\nb y\n1 b x\n2 b x\n ab\n ac\n' > "$tmp/g/u2"
expect_gnu 'uniq -i u2; uniq -ci u2; uniq -f 1 u2; uniq -f1 -c u2; uniq -s 1 u2; uniq -s 2 -w 1 u2; uniq -d -i u2; uniq -u -f 1 u2'
expect_gnu 'wc -L text rows; wc -m text; wc -lmL text; wc -cL < text; wc -L < colon'
expect_gnu 'cut -d: -f2 colon; cut -d: -f1,3 colon; cut -d: -f2- -s colon; cut -c2-4 text'
expect_gnu 'tr a-z A-Z < text; tr -d aeiou < text; tr -s "lo" < text; tr -cd "a-z\n" < text'
expect_gnu 'tr "[:lower:]" "[:upper:]" < text; tr -s " " < rows; tr a-c xy < text'
expect_gnu 'sed s/o/0/ text; sed s/o/0/g text; sed "s/foo/[&]/g" text; sed -n /foo/p text'
expect_gnu 'sed -E "s/([a-z]+) ([a-z]+)/\2 \1/" text; sed "s/\([a-z]*\) \([0-9]*\)/<\2|\1>/" text'
expect_gnu 'sed 2d text; sed "\$d" text; sed -n "\$p" text; sed "/^\$/d" text; sed 2,4d text'
expect_gnu 'sed "/Hello/,/abc/d" text; sed 2q text; sed -e s/a/A/g -e s/e/E/ text; sed "3!d" text'
expect_gnu 'sed "s/x*/-/g" text; sed s/o/0/2 text; sed = text; sed -n "2,\$p" text'
expect_gnu 'cp text t2 && chmod 640 t2 && sed -i s/foo/baz/g t2 && cat t2 && stat -c %a t2; sed -i 1d t2 nosuch; head -1 t2'
expect_gnu 'sed "\$!N;P;D" text; sed -n "H;\${x;s/\n/,/g;p}" text; sed -n "1!G;h;\$p" text; sed G runs; sed "n;d" text'
expect_gnu 'sed "1,2c X" text; sed "2!c X" runs; sed "a\  foo" runs; sed "\$a end" runs; sed "1i\\
top" runs; sed "2r pats" runs'
expect_gnu 'sed "0,/o/d" text; sed -n "1~2p" text; sed -n "2,+1p" text; sed -n "2,~4p" text; sed -n "/foo/,/abc/p" text; sed "/b/,/c/!d" runs'
expect_gnu 'sed "y/abc/xyz/" text; sed -e :a -e "s/o/0/" -e ta text; sed "s/hello/X/I" text; sed "/HELLO/Id" text; sed "s/x/-/gi" text'
expect_gnu 'sed -n "/o/{p;=}" text; sed "1{s/e/E/;}" text; sed "z;s/^\$/empty/" runs; sed -E "s/(\w+) (\w+)/\2 \1/" text; sed "s/\s/_/g" text'
expect_gnu 'sed "N;N;s/\n/+/g" text; sed "/foo/s//FOO/g" text; sed "bend;s/a/b/;:end" runs; sed -n l text; sed -n "l 5" text; sed 2q5 runs; echo $?'
expect_gnu 'sed -s -n "\$p" text runs; sed -n "\$p" text runs; sed 1Q runs; sed -n "/foo/w wout" text && cat wout; sed "s/o/0/w /dev/stdout" text'
expect_gnu 'printf "s/a/A/\n/c/d\n" > sf && sed -f sf runs; sed -n "\$=" text runs; sed "y/,/\n/" colon'
expect_gnu 'find . | sort; find . -name "*.c" | sort; find . -type d | sort; find . -maxdepth 1 | sort'
expect_gnu 'find sub -type f -name "*.c" -exec cat {} \; | sort'
expect_gnu 'find . -name "*.c" -o -type d | sort; find . ! -type d | sort; find . -name deep -prune -o -print | sort'
expect_gnu 'find . -size +0 -type f | sort; find . -empty | sort; find . -size -1k | sort; find . -perm -644 -type f | sort'
expect_gnu 'find . \( -name "*.c" -o -name zeros \) -a -type f | sort; find . -not -name "*e*" | sort; find sub -path "*deep*" | sort'
expect_gnu 'find sub -type f -exec echo X {} +; find sub -name "*.c" -exec echo "<{}>" \; | sort; find sub -print0 | tr "\0" "\n" | sort'
expect_gnu 'cp -r sub del && find del -name "*.c" -delete && find del | sort && find del -delete; ls'
expect_gnu 'find . -maxdepth 1 -name "s*" -print -quit; find . -depth -mindepth 2 | sort; find . -user root -links 1 -type f -iname TEXT'
expect_gnu 'find nosuch; find text nosuch sub/x.c'
expect_status 2 "$B/find" . -type q
expect_status 2 "$B/find" . -name
expect_status 2 "$B/find" . \( -name x
expect_gnu 'echo a b c d e | xargs -n 2; echo "x y" | xargs echo pre; ls sub | xargs'
expect_gnu 'printf "a b\nc\nd e f\n" | xargs -L 1 echo L; printf "a b\nc\nd e f\n" | xargs -L 2; printf "x\0y z\0" | xargs -0 echo'
expect_gnu 'printf "x,y z,w" | xargs -d , echo; printf "one\n  two\nthree four\n" | xargs -I {} echo "<{}>" pre{}post; printf "" | xargs -r echo no'
expect_gnu 'printf "" | xargs echo once; echo a | xargs false; echo a | xargs nosuchcmd; printf "a\nb\n" | xargs -I % sh -c "echo %; exit 3"'
expect_status 2 "$B/xargs" -n 0
expect_gnu 'du -s sub; du sub; du -a sub | sort; du -sk text'
expect_gnu 'du -c sub text; du -sc . sub; du -d 0 sub; du -d 1 . | sort; du -ad 1 sub | sort; du -hc sub; du nosuch'
expect_status 2 "$B/du" -d x
# ls: every option on a tree with a link, a dangling link, a FIFO, an
# executable, an old file and sizes that need units.
mkdir -p "$tmp/g/ls/d/e" "$tmp/g/ls/.dot" && (cd "$tmp/g/ls" && printf 'hi\n' > a &&
	head -c 5000 /dev/zero > big && head -c 2000000 /dev/zero > huge && chmod 755 a &&
	ln -s a lnk && ln -s nowhere broken && mkfifo fifo && touch -d 2020-01-01 old &&
	touch -d '2026-01-02 03:04' d/e/x && touch -d '2026-01-03 03:04' d/y)
expect_gnu 'cd ls; ls; ls -a; ls -A; ls -1; ls -C; ls -r; ls -t; ls -tr; ls -S; ls -F; ls -i'
expect_gnu 'cd ls; ls -l; ls -la; ls -lh; ls -lt; ls -ltr; ls -lhS; ls -n; ls -lF; ls -li'
expect_gnu 'cd ls; ls -d d; ls -ld d a; ls -R; ls -lR d; ls -CR; ls -dl .; ls a d big'
expect_gnu 'cd ls; ls nosuch; ls nosuch a d; ls -l /dev/null; ls -C /bin /usr/bin'
checks=$((checks + 1))
[ "$(cd "$tmp/g/ls" && "$B/ls" --color=always -d d a lnk)" = "$(printf '\033[01;32ma\033[0m\n\033[01;34md\033[0m\n\033[01;36mlnk\033[0m')" ] ||
	fail "ls --color=always: not GNU's default colours"
if command -v hexdump >/dev/null 2>&1; then
	expect_gnu 'hexdump -C text; hexdump -C sub/zeros; hexdump -C -n 20 -s 3 text; hexdump -C </dev/null'
fi
# follow_out TAIL [OPTS]: what TAIL -f prints for two files while a writer
# appends to each in turn, waiting each time until TAIL has shown the
# previous line (so no timing is assumed); --pid ends it with the writer.
follow_out() {
	d=$tmp/tf; rm -rf "$d"; mkdir "$d"; printf '1\n' > "$d/a"; printf '2\n' > "$d/b"; : > "$d/out"
	(
		wait_for() { i=0; while ! grep -q "^$1\$" "$d/out" && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; }
		wait_for 2; echo x >> "$d/a"; wait_for x; echo y >> "$d/b"; wait_for y
		if [ "$2" = -F ]; then mv "$d/a" "$d/a.old"; echo new > "$d/a"; wait_for new; fi
	) & w=$!
	(cd "$d" && timeout 60 "$1" $2 --pid=$w -s 0.1 a b > out 2>/dev/null)
	wait $w
	cat "$d/out"
}
for f in -f -F; do
	checks=$((checks + 1))
	ours=$(follow_out "$B/tail" $f); host=$(follow_out tail $f)
	[ "$ours" = "$host" ] || { fail "tail $f: got"; echo "$ours" | sed 's/^/    /'; echo "  expected"; echo "$host" | sed 's/^/    /'; }
done
expect_status 2 "$B/tail" -s x
expect_status 2 "$B/tail" --pid=x

# Prompts of rm -i, cp -i and mv -i, answered from a pipe.
expect_gnu 'mkdir -p ri/d/e && touch ri/a ri/b ri/d/f && printf "y\nn\ny\ny\ny\ny\n" | rm -ri ri/a ri/b ri/d; ls ri; rm -r ri'
expect_gnu 'echo 1 > m1; echo 2 > m2; echo n | mv -i m1 m2; cat m2; echo y | mv -i m1 m2; cat m2; rm m2'

expect_gnu 'echo 1 > c1; echo 2 > c2; echo n | cp -i c1 c2; cat c2; cp -n c1 c2; cat c2; echo y | cp -i c1 c2; cat c2; cp -v c1 c3; cp c1 c2 cx; mkdir cv cw; cp -rv cv c1 cw; rm -r c1 c2 c3 cv cw'

# printf, against GNU's /usr/bin/printf (not a shell's built-in one).
same_printf() {
	checks=$((checks + 1))
	ours=$("$B/printf" "$@" 2>&1; echo "status $?")
	host=$(/usr/bin/printf "$@" 2>&1; echo "status $?")
	[ "$ours" = "$host" ] || { fail "printf $*: got"; echo "$ours" | sed 's/^/    /'; echo "  expected"; echo "$host" | sed 's/^/    /'; }
}
same_printf '%s\n' a b c; same_printf '%d-%d\n' 1 2 3; same_printf '%5.2f|%-5s|%05d\n' 3.14159 ab 42
same_printf '%x %X %o %u\n' 255 255 8 -1; same_printf '%c%c\n' abc d; same_printf '%b\n' 'a\tb\\c'
same_printf '\101\x42\n'; same_printf '%s\c more\n' x; same_printf '%d\n' "'A"; same_printf '%*d|\n' 5 3
same_printf '%.3s\n' abcdef; same_printf '%e %g\n' 12345.678 0.0001; same_printf '%i %s %s\n' 0x10 one
expect_status 1 "$B/printf" '%d' abc; expect_status 2 "$B/printf"

# readlink and realpath: links, dangling links, missing parts, -s.
expect_gnu 'rm -rf rl && mkdir -p rl/d && cd rl && ln -s d ld && ln -s nowhere broken && ln -s ld/x lx && readlink ld; readlink d; readlink -f ld lx broken . ../rl/ld/ /; readlink -e lx broken; readlink -m lx/y/z; readlink -n ld; readlink -v d; readlink -f nosuch/x'
expect_gnu 'cd rl && realpath ld lx broken . / ../rl//d/.; realpath -e lx; realpath nosuch/x; realpath -s ld/../x /../a//b/./c/..; realpath -m nosuch/x/../y; realpath -sm /../a//b'

# -v of mkdir, rmdir, mv, ln, rm.
expect_gnu 'rm -rf vb; mkdir -pv vb/x/y; mkdir -v vb/z; rmdir -v vb/z; touch vb/f; mv -v vb/f vb/g; ln -sv g vb/l; ln -v vb/g vb/h; rmdir -pv vb/x/y; rm -rv vb | sort'

# pwd and clear.
same pwd; same pwd -P; same pwd -L
mkdir -p "$tmp/pwdreal" && ln -s pwdreal "$tmp/pwdlink"
expect_sh "$tmp/pwdlink
$tmp/pwdreal
$tmp/pwdreal" "cd $tmp/pwdlink && PWD=$tmp/pwdlink $B/pwd -L && $B/pwd && PWD=$tmp/pwdlink/../pwdlink $B/pwd -L"
expect_status 2 "$B/pwd" -x
if command -v clear >/dev/null 2>&1; then
	for a in "" -x; do
		checks=$((checks + 1))
		[ "$(TERM=xterm "$B/clear" $a | od -c)" = "$(TERM=xterm clear $a | od -c)" ] || fail "clear $a: not ncurses' bytes for xterm"
	done
fi
expect_status 2 "$B/clear" -y
expect_status 2 "$B/grep"
expect_status 2 "$B/sort" -z
expect_status 2 "$B/ps" -z
expect_status 0 "$B/ps"
# ps: procps's columns for process 1 and this shell (spaces squeezed:
# procps sizes PID to the host's pid_max); -o, -p, --no-headers, errors.
for args in "-f -p 1" "-o pid,ppid,user,stat,comm -p 1,$$" "-o pid=,comm= -p $$" \
	"--no-headers -o pid -p $$" "-o pid=P,user=WHO,args=WHAT -p 1"; do
	checks=$((checks + 1))
	ours=$("$B/ps" $args 2>&1 | sed 's/S<L*l* /S /; s/Ss*l* /S /' | tr -s ' '; echo "status $?")
	host=$(ps $args 2>&1 | sed 's/S<L*l* /S /; s/Ss*l* /S /' | tr -s ' '; echo "status $?")
	[ "$ours" = "$host" ] || { fail "ps $args: got"; echo "$ours" | sed 's/^/    /'; echo "  expected"; echo "$host" | sed 's/^/    /'; }
done
checks=$((checks + 1))
[ "$("$B/ps" aux | head -1 | tr -s ' ')" = "$(ps aux | head -1 | tr -s ' ')" ] || fail "ps aux: header not procps's"
checks=$((checks + 1))
[ "$("$B/ps" -ef | head -1 | tr -s ' ')" = "$(ps -ef | head -1 | tr -s ' ')" ] || fail "ps -ef: header not procps's"
expect_status 2 "$B/ps" -o nosuchfield; expect_status 1 "$B/ps" -p 999999
expect_status 0 "$B/free" -h
expect_status 0 "$B/uptime"
expect_status 0 "$B/df" /
# df: GNU's columns, header and mount point for a path (numbers change
# under a busy host, so only the names are compared), errors.
for args in "/" "-h /" "-T /" "-hT / /tmp" "/ nosuch" "-h /proc" "-a"; do
	checks=$((checks + 1))
	ours=$("$B/df" $args 2>&1 | awk '{print $1, $2, $NF}'; echo "status $?")
	host=$(df $args 2>&1 | awk '{print $1, $2, $NF}'; echo "status $?")
	[ "$ours" = "$host" ] || { fail "df $args: got"; echo "$ours" | sed 's/^/    /'; echo "  expected"; echo "$host" | sed 's/^/    /'; }
done
checks=$((checks + 1))
[ "$("$B/df" -h / | head -1)" = "$(df -h / | head -1)" ] || fail "df -h: header not GNU's"
same df nosuch
same mv nosuch x

echo "user-host: $checks checks, $fails failed"
[ "$fails" = 0 ]
