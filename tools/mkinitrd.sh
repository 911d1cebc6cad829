#!/bin/sh
# tools/mkinitrd.sh SKELETON ROOTDIR OUT.cpio - copy the static files of the
# root file system (SKELETON: /etc and friends) over the programs that
# user/build.mk installed into ROOTDIR, then pack ROOTDIR as a cpio newc
# archive owned by root.
set -e
skel=$1 root=$2 out=$3
mkdir -p "$root"
cp -a "$skel"/. "$root"/
mkdir -p "$root/dev" "$root/proc" "$root/tmp" "$root/root" "$root/mnt" "$root/boot/efi"
chmod 1777 "$root/tmp"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
