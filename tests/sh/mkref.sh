#!/bin/sh
# tests/sh/mkref.sh CASEDIR OUTDIR REFSHELL - split the case files into
# scripts and record the reference shell's stdout, stderr and status for
# each (see tests/sh/README.md). Each case runs in an empty directory that
# is also its HOME, with stdin from /dev/null, in the clean environment
# run.sh uses too (PATH=/bin:/usr/bin, nothing else but HOME).
set -eu
if [ -z "${SH_MKREF_CLEAN:-}" ]; then
	exec env -i SH_MKREF_CLEAN=1 PATH=/bin:/usr/bin LC_ALL=C "$0" "$@"
fi
unset SH_MKREF_CLEAN
cases=$1 out=$2 ref=$3
mkdir -p "$out" && out=$(cd "$out" && pwd)
rm -rf "$out/cases"
mkdir -p "$out/cases"
for f in "$cases"/*.sh; do
	awk -v dir="$out/cases" '
		/^#### / { if (file) close(file); file = dir "/" $2 ".sh"; next }
		file { print > file }
	' "$f"
done
cp "$(dirname "$0")/run.sh" "$(dirname "$0")/differences.txt" "$out/"
work=$(mktemp -d /tmp/sh-mkref.XXXXXX)
trap 'rm -rf "$work"' EXIT
i=0
for s in "$out"/cases/*.sh; do
	n=${s%.sh}
	i=$((i + 1))
	mkdir "$work/$i"
	(cd "$work/$i" && HOME="$work/$i" timeout 20 "$ref" "$s" >"$n.out" \
		2>"$n.err" </dev/null) && st=0 || st=$?
	echo "$st" >"$n.status"
	if [ -s "$n.err" ]; then
		sed -i 's/^[^ :]*: [0-9][0-9]*: //' "$n.err"
	fi
done
