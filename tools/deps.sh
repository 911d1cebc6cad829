#!/bin/sh
# tools/deps.sh - install the Debian 12 packages that building, running and
# testing RayOS need, when any is missing. As root it runs apt-get; otherwise
# it prints the command to run. `--bench` adds what `make bench` boots as the
# Linux reference.
set -e

PKGS="gcc make binutils gnu-efi ovmf qemu-system-x86 musl-tools gdisk
dosfstools mtools e2fsprogs cpio libcmocka-dev python3 python3-pytest
python3-pexpect console-setup-linux linux-libc-dev
bsdextrautils coreutils findutils grep sed dash clang
libclang-rt-14-dev iproute2 procps dnsmasq-base tcpdump python3-scapy busybox-static"
if [ "$1" = "--bench" ]; then
	PKGS="$PKGS linux-image-amd64 busybox-static"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: missing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || true
	apt-get install -y -q --no-install-recommends $missing
else
	echo "deps: run as root:  apt-get install -y$missing" >&2
	exit 1
fi
