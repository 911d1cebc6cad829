"""tests/integration/test_persist.py - the ext2 root on the disk: the
kernel mounts root=LABEL=rayos-root as /, with /dev, /proc, /tmp on it and
the ESP on /boot/efi; files made through the shell survive a power-off and
a new boot unchanged, what RayOS wrote reads the same in the host's
debugfs, and e2fsck -fn / fsck.fat -n find nothing wrong afterwards. The
superblock's clean flag: a power cut is reported at the next boot.
"""
import re
import subprocess

import pytest

import storage

pytestmark = pytest.mark.rayos_only

WORK = [
    "mkdir -p /data/d1/d2",
    "echo hello > /data/a",
    "echo more >> /data/a",
    "seq 1 20000 > /data/big",           # ~108 KiB: indirect blocks on 1 KiB ext2
    "cp /data/big /data/d1/d2/copy",
    "echo 0123456789 > /data/t && echo -n 0123 > /data/t",   # O_TRUNC
    "echo gone > /data/del && rm /data/del",
    "mkdir /data/emptydir && rmdir /data/emptydir",
    "echo moved > /data/m1 && mv /data/m1 /data/d1/m2",
    "ln -s ../a /data/d1/sym && ln /data/a /data/hard",
    "chmod 640 /data/a",
    "mkdir /data/many && cd /data/many && seq 1 150 | sed 's/^/file/' | xargs touch; cd /",
    "echo 77 > /data/many/file77",
]

CHECK = "cat /data/a; wc -c < /data/big; wc -l < /data/big; " \
        "tail -n 3 /data/d1/d2/copy; head -n 2 /data/d1/d2/copy; " \
        "cat /data/t; echo; ls /data; ls /data/d1; cat /data/d1/m2; test -L /data/d1/sym && echo islink; " \
        "cat /data/d1/sym; stat -c '%a %h' /data/a; ls /data/many | wc -l; cat /data/many/file77"


def test_root_is_ext2_with_mounts(tmp_path):
    img = storage.copy_image(tmp_path)
    m = storage.boot(img)
    try:
        mounts = m.run("cat /proc/mounts")
        assert re.search(r"^/dev/vda2 / ext2 rw\S* 0 0$", mounts, re.M), mounts
        for mp, typ in [("/dev", "devfs"), ("/proc", "proc"), ("/tmp", "tmpfs")]:
            assert re.search(rf"^\S+ {mp} {typ} ", mounts, re.M), (mp, mounts)
        if re.search(r"^\tvfat$", m.run("cat /proc/filesystems"), re.M):
            assert re.search(r"^/dev/vda1 /boot/efi vfat ", mounts, re.M), mounts
            assert "kernel.elf" in m.run("ls /boot/efi/rayos")
        assert m.status("test -x /bin/sh && ls /dev/console") == 0
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)


def test_files_survive_reboot(tmp_path):
    img = storage.copy_image(tmp_path)
    m = storage.boot(img)
    try:
        for cmd in WORK:
            assert m.status(cmd, timeout=120) == 0, cmd
        before = m.run(CHECK, timeout=60)
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)
    # The host reads what RayOS wrote.
    assert storage.debugfs(img, tmp_path, "cat /data/a") == b"hello\nmore\n"
    big = storage.debugfs(img, tmp_path, "cat /data/d1/d2/copy")
    assert big == "".join(f"{i}\n" for i in range(1, 20001)).encode()
    assert storage.debugfs(img, tmp_path, "cat /data/t") == b"0123"
    # RayOS reads it back after a new boot.
    m = storage.boot(img)
    try:
        after = m.run(CHECK, timeout=60)
        assert after == before
        assert "hello\nmore\n" in after and "0123" in after
        assert m.status("test ! -e /data/del && test ! -e /data/emptydir && "
                        "test ! -e /data/m1") == 0
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)


def test_unclean_shutdown_is_reported(tmp_path):
    """Killed without unmounting: the next boot says so, and e2fsck -fy
    (as a boot script would) leaves a clean file system."""
    img = storage.copy_image(tmp_path)
    m = storage.boot(img)
    try:
        assert m.status("echo x > /data-unclean && sync") == 0
    finally:
        m.close()                                # SIGKILL: a power cut
    m = storage.boot(img)
    try:
        log = m.log()
        assert re.search(r"ext2.*(not cleanly unmounted|was not cleanly|unclean|errors)",
                         log, re.I), log[-3000:]
        assert m.run("cat /data-unclean").strip() == "x"
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)
