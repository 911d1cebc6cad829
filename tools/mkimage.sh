#!/bin/sh
# tools/mkimage.sh OUT.img BOOTX64.EFI KERNEL INITRD BOOT.CFG ROOTDIR
#
# Build the RayOS GPT disk image with the standard tools:
#   partition 1  EFI System Partition, FAT32 (mkfs.fat + mtools)
#                  \EFI\BOOT\BOOTX64.EFI  the boot manager
#                  \rayos\boot.cfg        its configuration
#                  \rayos\kernel.elf      the kernel
#                  \rayos\initrd.cpio     the initramfs
#   partition 2  RayOS root, ext2 made from ROOTDIR (mke2fs -d), label "rayos-root"
set -e
out=$1 efi=$2 kernel=$3 initrd=$4 cfg=$5 rootdir=$6
ESP_MIB=64
ROOT_MIB=64
tmp=$(mktemp -d "${out%/*}/mkimage.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

esp=$tmp/esp.img
mkfs.fat -F 32 -s 1 -n RAYOS-ESP -C "$esp" $((ESP_MIB * 1024)) >/dev/null
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/rayos
mcopy -i "$esp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" "$cfg" ::/rayos/boot.cfg
mcopy -i "$esp" "$kernel" ::/rayos/kernel.elf
mcopy -i "$esp" "$initrd" ::/rayos/initrd.cpio

root=$tmp/root.img
truncate -s ${ROOT_MIB}M "$root"
mke2fs -q -F -t ext2 -L rayos-root -d "$rootdir" "$root"

# 1 MiB before the ESP, the root after it, and 1 MiB for the backup GPT.
total=$((1 + ESP_MIB + ROOT_MIB + 1))
rm -f "$tmp/disk.img"
truncate -s ${total}M "$tmp/disk.img"
# sgdisk -q silently writes nothing (sgdisk 1.0.9), so send stdout away.
sgdisk -o \
	-n 1:2048:+${ESP_MIB}M -t 1:ef00 -c 1:"EFI System" \
	-n 2:0:+${ROOT_MIB}M -t 2:8304 -c 2:"rayos-root" \
	"$tmp/disk.img" >/dev/null
root_start=$(( (1 + ESP_MIB) * 2048 ))
dd if="$esp" of="$tmp/disk.img" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$root" of="$tmp/disk.img" bs=512 seek=$root_start conv=notrunc,sparse status=none
mv "$tmp/disk.img" "$out"
