"""tests/integration/test_fat.py - the FAT driver in a booted RayOS.

- The ESP (FAT32, made by mkfs.fat) is mounted on /boot/efi; files made
  there through the shell (long names, appends, truncation, renames and
  moves, deletions, a directory of many files) survive a power-off and a
  new boot, read the same in the host's mtools, and fsck.fat -n finds
  nothing wrong.
- A second disk that the host made with mkfs.fat + mcopy is mounted with
  `mount -t vfat -o uid=,gid=,fmask=,dmask=`: the files read back, modes
  and owners come from the options, hard and symbolic links are refused
  (EPERM), a full disk says ENOSPC and deleting frees it, and a third disk
  with a damaged boot sector is refused with a message in the kernel log.
"""
import os
import re
import subprocess

import pytest

import storage
from rayos_qemu import Machine

pytestmark = pytest.mark.rayos_only

ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1")

WORK = [
    "mkdir -p '/boot/efi/test dir/nested'",
    "echo hello > '/boot/efi/test dir/A Long File Name.txt'",
    "echo more >> '/boot/efi/test dir/A Long File Name.txt'",
    "seq 1 20000 > /boot/efi/big.txt",
    "cp /boot/efi/big.txt '/boot/efi/test dir/nested/copy of big.txt'",
    "echo 0123456789 > /boot/efi/trunc && : > /boot/efi/trunc && echo ab >> /boot/efi/trunc",
    "echo gone > /boot/efi/del && rm /boot/efi/del",
    "mkdir /boot/efi/emptydir && rmdir /boot/efi/emptydir",
    "echo moved > /boot/efi/m1 && mv /boot/efi/m1 '/boot/efi/test dir/moved.txt'",
    "echo old > /boot/efi/target && echo new > /boot/efi/src && mv /boot/efi/src /boot/efi/target",
    "mkdir /boot/efi/many",
] + [
    "; ".join(f"echo {i} > '/boot/efi/many/file number {i}'" for i in range(k, k + 20))
    for k in range(1, 121, 20)
] + [
    "rm '/boot/efi/many/file number 60'",
]

CHECK = ("cat '/boot/efi/test dir/A Long File Name.txt'; wc -c < /boot/efi/big.txt; "
         "tail -n 1 '/boot/efi/test dir/nested/copy of big.txt'; cat /boot/efi/trunc; "
         "ls /boot/efi; ls '/boot/efi/test dir'; cat '/boot/efi/test dir/moved.txt'; "
         "cat /boot/efi/target; ls /boot/efi/many | wc -l; cat '/boot/efi/many/file number 77'; "
         "ls /boot/efi/rayos")


def boot(img, extra=()):
    """A machine on img (written for real) at the prompt, with the ESP on
    /boot/efi: the kernel mounts it when it boots from the ext2 root; on
    the initramfs this mounts it by hand."""
    m = Machine(image=img, snapshot=False, extra=extra)
    m.start()
    try:
        m.boot_to_prompt()
        if not re.search(r"^\S+ /boot/efi ", m.run("cat /proc/mounts"), re.M):
            assert m.status("mkdir -p /boot/efi && mount -t vfat /dev/vda1 /boot/efi") == 0
    except Exception:
        m.close()
        raise
    return m


def mtype(part, path):
    return subprocess.run(["mtype", "-i", part, "::" + path], capture_output=True,
                          env=ENV, timeout=60).stdout


def test_esp_files_survive_reboot(tmp_path):
    img = storage.copy_image(tmp_path)
    m = boot(img)
    try:
        mounts = m.run("cat /proc/mounts")
        assert re.search(r"^/dev/vda1 /boot/efi vfat rw", mounts, re.M), mounts
        for cmd in WORK:
            assert m.status(cmd, timeout=180) == 0, cmd
        before = m.run(CHECK, timeout=60)
        assert "hello\nmore\n" in before and "20000\n" in before
        assert "119\n" in before and "kernel.elf" in before
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)
    # The host's mtools read what RayOS wrote.
    part = storage.extract(img, 1, os.path.join(str(tmp_path), "esp-read.fat"))
    assert mtype(part, "/test dir/A Long File Name.txt") == b"hello\nmore\n"
    big = "".join(f"{i}\n" for i in range(1, 20001)).encode()
    assert mtype(part, "/test dir/nested/copy of big.txt") == big
    assert mtype(part, "/target") == b"new\n"
    assert mtype(part, "/trunc") == b"ab\n"
    listing = subprocess.run(["mdir", "-b", "-i", part, "::/many"], capture_output=True,
                             text=True, env=ENV, timeout=60).stdout
    assert len(listing.split("\n")) - 1 == 119, listing
    # RayOS reads it back after a new boot, and the boot files are intact.
    m = boot(img)
    try:
        assert m.run(CHECK, timeout=60) == before
        assert m.status("test ! -e /boot/efi/del && test ! -e /boot/efi/m1 && "
                        "test ! -e /boot/efi/src") == 0
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)


def make_vfat(path, size_kib, files):
    subprocess.run(["mkfs.fat", "-F", "32", "-C", path, str(size_kib)], check=True,
                   capture_output=True)
    for name, data in files.items():
        src = path + ".src"
        with open(src, "wb") as f:
            f.write(data)
        subprocess.run(["mcopy", "-i", path, src, "::" + name], check=True, env=ENV)


def disk_args(path, n):
    return ["-drive", f"if=none,id=extra{n},format=raw,file={path}",
            "-device", f"virtio-blk-pci,drive=extra{n}"]


def test_vfat_disk_from_host(tmp_path):
    img = storage.copy_image(tmp_path)
    usb = str(tmp_path / "usb.img")
    payload = bytes(range(256)) * 300
    make_vfat(usb, 40000, {"/Host Made File.bin": payload, "/README.TXT": b"readme\n"})
    bad = str(tmp_path / "bad.img")
    make_vfat(bad, 40000, {"/x": b"x"})
    with open(bad, "r+b") as f:
        f.seek(11)
        f.write(b"\x00\x00")                  # bytes per sector: 0
    m = boot(img, extra=disk_args(usb, 1) + disk_args(bad, 2))
    try:
        assert m.status("mkdir -p /mnt/usb && mount -t vfat "
                        "-o uid=1000,gid=100,fmask=0133,dmask=0022 /dev/vdb /mnt/usb") == 0
        assert re.search(r"^/dev/vdb /mnt/usb vfat rw", m.run("cat /proc/mounts"), re.M)
        out = m.run("ls /mnt/usb; cat /mnt/usb/readme.txt; wc -c < '/mnt/usb/Host Made File.bin'")
        assert "Host Made File.bin" in out and "readme\n" in out and str(len(payload)) in out
        assert m.run("stat -c '%a %u %g' '/mnt/usb/Host Made File.bin'").strip() == "644 1000 100"
        assert m.run("mkdir /mnt/usb/d && stat -c '%a %F' /mnt/usb/d").strip() == "755 directory"
        assert m.status("ln /mnt/usb/README.TXT /mnt/usb/hard") != 0
        assert m.status("ln -s README.TXT /mnt/usb/sym") != 0
        assert "not permitted" in m.run("ln -s README.TXT /mnt/usb/sym 2>&1")
        assert m.status("echo from rayos > '/mnt/usb/d/Written By RayOS.txt'") == 0
        # Fill the disk: ENOSPC, then deleting gives the space back.
        out = m.run("cat /dev/zero > /mnt/usb/fill", timeout=600)
        assert "No space left on device" in out, out
        assert m.run("df /mnt/usb | tail -n 1").split()[3] == "0"
        assert m.status("rm /mnt/usb/fill && echo ok > /mnt/usb/after") == 0
        assert int(m.run("df /mnt/usb | tail -n 1").split()[3]) > 30000
        assert m.status("umount /mnt/usb") == 0
        # The damaged disk is refused, with the reason in the log.
        assert m.status("mkdir -p /mnt/bad && mount -t vfat /dev/vdc /mnt/bad") != 0
        assert "fat vdc: not mounting: bytes per sector" in m.run("dmesg | grep 'fat vdc'")
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)
    r = subprocess.run(["fsck.fat", "-n", usb], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert mtype(usb, "/d/Written By RayOS.txt") == b"from rayos\n"
    assert mtype(usb, "/after") == b"ok\n"
    assert mtype(usb, "/Host Made File.bin") == payload
