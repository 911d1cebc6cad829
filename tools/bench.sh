#!/bin/sh
# tools/bench.sh - `make bench`: build time, boot time, kernel share and
# smallest memory of RayOS, against Debian's Linux kernel with a busybox
# initramfs under the same QEMU. Installs the Linux reference packages
# (linux-image-amd64, busybox-static) via tools/deps.sh --bench, then runs
# tools/bench.py (see there for the method). BENCH_BOOTS=n changes the
# number of boots per median (default 3). Then tools/bench_net.py: the
# network figures (needs root for the test bed's namespace).
set -e
cd "$(dirname "$0")/.."
if ! tools/deps.sh --bench; then
	echo "bench: the Linux reference packages are missing; measuring RayOS only" >&2
fi
/usr/bin/python3 tools/bench.py "$@"
# Networking: ping RTT (and more) against Linux on the same test bed.
exec /usr/bin/python3 tools/bench_net.py
