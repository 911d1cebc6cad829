#!/bin/sh
# tools/bench.sh - `make bench`: build time, boot time, kernel share and
# smallest memory of RayOS, against Debian's Linux kernel with a busybox
# initramfs under the same QEMU. Installs the Linux reference packages
# (linux-image-amd64, busybox-static) via tools/deps.sh --bench, then runs
# tools/bench.py (see there for the method). BENCH_BOOTS=n changes the
# number of boots per median (default 3); BENCH_ONLY=shell measures only
# the shell. Then the lmbench-style system-call benchmarks
# (tools/bench_syscalls.py), and tools/bench_net.py: the
# network figures - ping, TCP both ways, connects/s and guest to guest for
# virtio-net with and without offloads and e1000, RayOS and Linux on the
# same test bed (needs root for the test bed's namespace; BENCH_RUNS,
# BENCH_NET_MB and BENCH_NET_CONFIGS, see there).
set -e
cd "$(dirname "$0")/.."
if ! tools/deps.sh --bench; then
	echo "bench: the Linux reference packages are missing; measuring RayOS only" >&2
fi
/usr/bin/python3 tools/bench.py "$@"
/usr/bin/python3 tools/bench_syscalls.py
exec /usr/bin/python3 tools/bench_net.py
