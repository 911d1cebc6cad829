"""tests/integration/test_mount.py - mount(2), umount2(2) and remount as a
person at the shell sees them: tmpfs on /tmp at boot, more tmpfs mounts,
/proc/mounts with real sources and options, -o ro and remount,ro giving
EROFS, EBUSY for a mount in use, sync/statfs reaching the file systems.
"""
import re

import pytest

pytestmark = pytest.mark.rayos_only


def mounts(m):
    return m.run("cat /proc/mounts")


def test_tmp_is_tmpfs(rayos):
    out = mounts(rayos)
    assert re.search(r"^tmpfs /tmp tmpfs rw,nosuid,nodev 0 0$", out, re.M), out
    assert rayos.run("stat -c %a /tmp").strip() == "1777"
    assert rayos.status("echo hi > /tmp/x && cat /tmp/x | grep -q hi") == 0
    # statfs reaches tmpfs: its magic, as Linux's
    assert "tmpfs" in rayos.run("df -a /tmp")


def test_mount_umount_tmpfs(rayos):
    m = rayos
    assert m.status("mkdir -p /mnt/a") == 0
    assert m.status("mount -t tmpfs -o mode=700,size=1m scratch /mnt/a") == 0
    out = mounts(m)
    assert re.search(r"^scratch /mnt/a tmpfs rw,mode=700,size=1m 0 0$", out, re.M), out
    assert m.run("stat -c %a /mnt/a").strip() == "700"
    assert m.status("mkdir /mnt/a/d && echo data > /mnt/a/d/f") == 0
    # busy: a shell's cwd inside it
    assert "busy" in m.run("cd /mnt/a/d; umount /mnt/a; cd /")
    # an open file keeps it busy too
    m.run("sleep 4 < /mnt/a/d/f &")
    assert "busy" in m.run("umount /mnt/a")
    m.run("wait")
    assert m.status("umount /mnt/a") == 0
    assert "/mnt/a" not in mounts(m)
    assert m.status("test -e /mnt/a/d") != 0      # the plain directory again
    # not a mount point / not root / bad type
    assert "Invalid argument" in m.run("umount /mnt/a")
    assert "No such device" in m.run("mount -t nosuchfs x /mnt/a")


def test_readonly_and_remount(rayos):
    m = rayos
    m.run("mkdir -p /mnt/r")
    assert m.status("mount -t tmpfs -o ro none /mnt/r") == 0
    assert re.search(r"^none /mnt/r tmpfs ro 0 0$", mounts(m), re.M)
    out = m.run("touch /mnt/r/x; mkdir /mnt/r/d")
    assert out.count("Read-only file system") == 2, out
    assert m.status("mount -o remount,rw /mnt/r") == 0
    assert m.status("echo one > /mnt/r/f && mkdir /mnt/r/d && ln -s f /mnt/r/l") == 0
    # a file open for writing blocks remount,ro
    m.run("sleep 4 >> /mnt/r/f &")
    assert "busy" in m.run("mount -o remount,ro /mnt/r")
    m.run("wait")
    # open for reading only does not
    m.run("sleep 4 < /mnt/r/f &")
    assert m.status("mount -o remount,ro /mnt/r") == 0
    m.run("wait")
    assert m.status("mount -o remount,ro /mnt/r") == 0
    assert re.search(r"^none /mnt/r tmpfs ro 0 0$", mounts(m), re.M)
    for cmd in ["echo two >> /mnt/r/f", "rm /mnt/r/f", "rmdir /mnt/r/d",
                "mv /mnt/r/f /mnt/r/g", "chmod 600 /mnt/r/f", "touch /mnt/r/f",
                "ln /mnt/r/f /mnt/r/h"]:
        out = m.run(cmd)
        assert "Read-only file system" in out, (cmd, out)
    assert m.run("cat /mnt/r/f").strip() == "one"          # reading works
    assert m.run("cat /mnt/r/l").strip() == "one"
    assert m.status("mount -o remount,rw /mnt/r && echo two >> /mnt/r/f") == 0
    assert m.run("cat /mnt/r/f").split() == ["one", "two"]
    assert m.status("umount /mnt/r") == 0


def test_sync_family_and_root_only(rayos):
    m = rayos
    assert m.status("sync") == 0
    m.run("mkdir -p /mnt/t")
    out = m.run("t-mount /mnt/t")
    assert "t-mount: 0 failures" in out, out
    # /proc/mounts lists / first and /dev, /proc with their types
    lines = mounts(m).splitlines()
    assert lines[0].split()[1] == "/", lines
    assert any(l.split()[1:3] == ["/dev", "devfs"] for l in lines), lines
    assert any(l.split()[1:3] == ["/proc", "proc"] for l in lines), lines
