#!/bin/sh
# tools/run-qemu.sh [--gui] IMAGE [QEMU ARGS...] - boot a RayOS disk image
# under QEMU with OVMF: q35, 256 MiB, serial console on this terminal.
# The disk is opened with snapshot=on unless RAYOS_PERSIST=1, and the UEFI
# variable store is a fresh copy each run.
set -e
gui=0
if [ "$1" = "--gui" ]; then gui=1; shift; fi
img=$1; shift
vars=$(mktemp /tmp/rayos-vars.XXXXXX)
trap 'rm -f "$vars"' EXIT
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"
snap=on
[ "${RAYOS_PERSIST:-0}" = 1 ] && snap=off
if [ $gui = 1 ]; then
	display="-display gtk -serial stdio"
else
	display="-display none -serial mon:stdio"
fi
exec qemu-system-x86_64 -machine q35 -m ${RAYOS_MEM:-256M} -no-reboot -nic none \
	-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
	-drive if=pflash,format=raw,file="$vars" \
	-drive if=none,id=disk0,format=raw,file="$img",snapshot=$snap \
	-device virtio-blk-pci,drive=disk0,bootindex=1 \
	$display "$@"
