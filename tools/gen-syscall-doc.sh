#!/bin/sh
# tools/gen-syscall-doc.sh KERNEL.elf UNISTD_64_H - write docs/syscalls.md to
# stdout: every Linux x86-64 system call with its number and whether the
# kernel implements it. "Implemented" means a strong sys_NAME symbol exists in
# the kernel; everything else is the weak alias of sys_ni_syscall, which
# returns -ENOSYS and logs the name once (tools/gen-syscall-table.sh).
set -e
elf=$1 hdr=$2
impl=$(mktemp)
trap 'rm -f "$impl"' EXIT
nm "$elf" | awk '$2 == "T" && $3 ~ /^sys_/ { sub(/^sys_/, "", $3); print $3 }' > "$impl"
cat <<HDR
# System calls

RayOS implements the Linux x86-64 system-call ABI: the same numbers,
argument registers, structure layouts and negative errno values, so static
musl binaries built on Debian run unchanged. This file is generated from the
kernel binary by \`tools/gen-syscall-doc.sh\` (\`make docs\`); a unit test fails
when it is out of date.

A call marked **missing** returns \`-ENOSYS\`, and its first use is logged once
by name in the kernel log (\`syscall NAME (NR) is not implemented\`).

HDR
sed -n 's/^#define __NR_\([a-z0-9_]*\)[ \t]\+\([0-9]\+\)$/\2 \1/p' "$hdr" | sort -n |
awk -v implfile="$impl" '
	BEGIN { while ((getline n < implfile) > 0) impl[n] = 1 }
	{ nr[NR] = $1; name[NR] = $2; if ($2 in impl) count++ }
	END {
		printf "Implemented: %d of %d.\n\n| # | name | status |\n|---|---|---|\n", count, NR
		for (i = 1; i <= NR; i++)
			printf "| %s | %s | %s |\n", nr[i], name[i], (name[i] in impl) ? "implemented" : "**missing**"
	}'
# The hand-written list of known differences (test_abi.py reads it back).
cat "$(dirname "$0")/../tests/abi/differences.md"
