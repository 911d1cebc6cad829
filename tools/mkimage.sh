#!/bin/sh
# tools/mkimage.sh - build the RayOS GPT disk image with the standard tools,
# in steps that make can run in parallel with the compilers:
#
#   mkimage.sh gpt OUT                       empty disk with its partition table
#   mkimage.sh esp OUT EFI KERNEL INITRD CFG the EFI System Partition (FAT32)
#   mkimage.sh root OUT ROOTDIR              the root partition (ext2)
#   mkimage.sh disk OUT GPT ESP ROOT         the disk: GPT + both partitions
#   mkimage.sh all OUT EFI KERNEL INITRD CFG ROOTDIR   all of it in one go
#
# Layout of the disk:
#   partition 1  EFI System Partition, FAT32 (mkfs.fat + mtools)
#                  \EFI\BOOT\BOOTX64.EFI  the boot manager
#                  \rayos\boot.cfg        its configuration
#                  \rayos\kernel.elf      the kernel
#                  \rayos\initrd.cpio     the initramfs
#   partition 2  RayOS root, ext2 made from ROOTDIR (mke2fs -d), label "rayos-root"
set -e
ESP_MIB=64
ROOT_MIB=64
step=$1
shift
case $step in
gpt)
	out=$1
	# 1 MiB before the ESP, the root after it, 1 MiB for the backup GPT.
	rm -f "$out.tmp"
	truncate -s $((1 + ESP_MIB + ROOT_MIB + 1))M "$out.tmp"
	# sgdisk -q silently writes nothing (sgdisk 1.0.9), so send stdout away.
	sgdisk -o \
		-n 1:2048:+${ESP_MIB}M -t 1:ef00 -c 1:"EFI System" \
		-n 2:0:+${ROOT_MIB}M -t 2:8304 -c 2:"rayos-root" \
		"$out.tmp" >/dev/null
	mv "$out.tmp" "$out"
	;;
esp)
	out=$1 efi=$2 kernel=$3 initrd=$4 cfg=$5
	rm -f "$out.tmp"
	mkfs.fat -F 32 -s 1 -n RAYOS-ESP -C "$out.tmp" $((ESP_MIB * 1024)) >/dev/null
	mmd -i "$out.tmp" ::/EFI ::/EFI/BOOT ::/rayos
	mcopy -i "$out.tmp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
	mcopy -i "$out.tmp" "$cfg" ::/rayos/boot.cfg
	mcopy -i "$out.tmp" "$kernel" ::/rayos/kernel.elf
	mcopy -i "$out.tmp" "$initrd" ::/rayos/initrd.cpio
	mv "$out.tmp" "$out"
	;;
root)
	out=$1 rootdir=$2
	rm -f "$out.tmp"
	truncate -s ${ROOT_MIB}M "$out.tmp"
	mke2fs -q -F -t ext2 -L rayos-root -d "$rootdir" "$out.tmp"
	mv "$out.tmp" "$out"
	;;
disk)
	out=$1 gpt=$2 esp=$3 root=$4
	cp --sparse=always "$gpt" "$out.tmp"
	# Partition 1 starts at 1 MiB, partition 2 right after the ESP.
	dd if="$esp" of="$out.tmp" bs=1M seek=1 conv=notrunc,sparse status=none
	dd if="$root" of="$out.tmp" bs=1M seek=$((1 + ESP_MIB)) conv=notrunc,sparse status=none
	mv "$out.tmp" "$out"
	;;
all)
	out=$1 efi=$2 kernel=$3 initrd=$4 cfg=$5 rootdir=$6
	tmp=$(mktemp -d "${out%/*}/mkimage.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	"$0" gpt "$tmp/gpt.img"
	"$0" esp "$tmp/esp.fat" "$efi" "$kernel" "$initrd" "$cfg"
	"$0" root "$tmp/root.ext2" "$rootdir"
	"$0" disk "$out" "$tmp/gpt.img" "$tmp/esp.fat" "$tmp/root.ext2"
	;;
*)
	echo "usage: mkimage.sh gpt|esp|root|disk|all OUT ..." >&2
	exit 2
	;;
esac
