#!/bin/sh
# tests/sh/run.sh SHELL [DIR] - run every case of the differential suite
# under SHELL and compare stdout, stderr and exit status with the reference
# outputs that mkref.sh recorded under dash (DIR: where run.sh is). Prints
# one line per failing case and a summary; status 1 if any failed.
#
# It also runs inside RayOS, where a process costs milliseconds, so each
# case costs two: mkdir and SHELL. Files are compared line by line with
# `read`, and our error prefix ("sh: NAME: line N: ") is removed with a
# pattern, all in the shell. ONLY=name runs one case, VERBOSE=1 shows the
# differences.
SH=$1
DIR=${2:-$(dirname "$0")}
case $SH in /*) ;; *) SH=$(pwd)/$SH ;; esac
case $DIR in /*) ;; *) DIR=$(pwd)/$DIR ;; esac
work=${TMPDIR:-/tmp}/sh-tests.$$
mkdir -p "$work" || exit 2
total=0 failed=0
skips=$(cat "$DIR/differences.txt")

# skipped CASE STREAM: is this a listed deliberate difference?
skipped() {
	case "
$skips" in
	*"
$1 $2 "*) return 0 ;;
	esac
	return 1
}

# same GOT WANT [strip]: the files have the same lines (and the same
# unterminated last line); with strip, GOT's lines lose our error prefix.
same() {
	exec 3<"$1" 4<"$2"
	while :; do
		IFS= read -r a <&3; ra=$?
		IFS= read -r b <&4; rb=$?
		if [ -n "${3:-}" ]; then
			a=${a#sh: *: line [0-9]*: }
		fi
		if [ "$a" != "$b" ] || [ $ra != $rb ]; then
			exec 3<&- 4<&-
			return 1
		fi
		[ $ra = 0 ] || break
	done
	exec 3<&- 4<&-
	return 0
}

show() {
	echo "--- expected $2:"
	cat "$1"
	echo "--- got $2:"
	cat "$3"
}

for s in "$DIR"/cases/*.sh; do
	n=${s%.sh}
	name=${n##*/}
	if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ]; then
		continue
	fi
	total=$((total + 1))
	d=$work/$total
	mkdir "$d"
	(cd "$d" && HOME=$d "$SH" "$s" >"$work/out" 2>"$work/err" </dev/null)
	st=$?
	read -r want <"$n.status"
	bad=
	if ! same "$work/out" "$n.out" && ! skipped "$name" stdout; then
		bad="$bad stdout"
	fi
	if ! same "$work/err" "$n.err" strip && ! skipped "$name" stderr; then
		bad="$bad stderr"
	fi
	if [ "$st" != "$want" ] && ! skipped "$name" status; then
		bad="$bad status($st, expected $want)"
	fi
	if [ -n "$bad" ]; then
		failed=$((failed + 1))
		echo "FAIL: $name:$bad"
		if [ -n "${VERBOSE:-}" ]; then
			show "$n.out" stdout "$work/out"
			show "$n.err" stderr "$work/err"
		fi
	fi
done
rm -rf "$work"
echo "sh-tests: $total cases, $failed failed"
[ $failed = 0 ]
