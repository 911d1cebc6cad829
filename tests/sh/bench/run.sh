#!/bin/sh
# tests/sh/bench/run.sh SHELL - the shell benchmarks of `make bench`
# (tools/bench.py), run inside the guest (RayOS, or Linux with the same
# static binaries): loop.sh (10,000 iterations of arithmetic and test),
# spawn.sh (1,000 external commands) under SHELL, and 20 starts of an
# interactive SHELL (exec -> first prompt -> reads "exit"). Elapsed times
# come from /proc/uptime (centiseconds), read with the `read` built-in so
# that measuring starts no process. Prints one line:
#   sh-bench: loop CS cs, spawn CS cs, interactive 20 starts CS cs
SH=$1
DIR=${0%/*}
now() {
	read up idle </proc/uptime
	t=${up%.*}${up#*.}
	while [ "${t#0}" != "$t" ] && [ ${#t} -gt 1 ]; do t=${t#0}; done
}
now; t0=$t
"$SH" "$DIR/loop.sh" >/dev/null
now; loop=$((t - t0))
now; t0=$t
"$SH" "$DIR/spawn.sh" >/dev/null
now; spawn=$((t - t0))
now; t0=$t
k=0
while [ $k -lt 20 ]; do
	echo exit | "$SH" -i >/dev/null 2>&1
	k=$((k + 1))
done
now; inter=$((t - t0))
echo "sh-bench: loop $loop cs, spawn $spawn cs, interactive 20 starts $inter cs"
