"""tests/integration/test_ext2.py - the ext2 driver as a user meets it: on
the root file system, the shell and utilities make files big enough for
double-indirect blocks, hard links, fast and slow symlinks, moves across
directories, a few hundred directory entries, deletions, owners and modes;
after a power-off the host's e2fsck -fn finds nothing wrong and debugfs
reads what RayOS wrote; after a second boot RayOS reads it all back, and
deleting it all gives every block and inode back.
"""
import re
import subprocess
import os

import pytest

import storage

pytestmark = pytest.mark.rayos_only

SLOW = "/" + "s" * 150 + "/target"   # longer than 60 bytes: a block of its own

WORK = [
    "mkdir -p /x/d1 /x/d2",
    "seq 1 100000 > /x/big",             # 588 KiB: double indirect at 1 KiB
    "cp /x/big /x/big2",
    "ln /x/big /x/bighard",
    "ln -s big /x/fast",
    "ln -s " + SLOW + " /x/slow",
    "mv /x/big2 /x/d1/moved",
    "mv /x/d1 /x/d2/d1",
] + [
    # (no loops in the shell yet: 30 commands a line, under the tty's
    # 1024-byte line)
    "; ".join(f"echo {i} > /x/d2/f{i}" for i in range(k, min(k + 30, 301)))
    for k in range(1, 301, 30)
] + [
    "rm /x/d2/f1*",
    "echo keep > /x/keep && chmod 600 /x/keep && chown 12:34 /x/keep",
    "touch /x/empty",
    "mkdir /x/gone && rmdir /x/gone",
]


def free_counts(img, tmp_path):
    out = storage.debugfs(img, tmp_path, "stats").decode()
    blocks = int(re.search(r"Free blocks:\s+(\d+)", out).group(1))
    inodes = int(re.search(r"Free inodes:\s+(\d+)", out).group(1))
    return blocks, inodes


def test_ext2_workload_crosschecked(tmp_path):
    img = storage.copy_image(tmp_path)
    before = free_counts(img, tmp_path)
    m = storage.boot(img)
    try:
        for cmd in WORK:
            assert m.status(cmd, timeout=300) == 0, cmd
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)

    seq = "".join(f"{i}\n" for i in range(1, 100001)).encode()
    dbg = lambda req: storage.debugfs(img, tmp_path, req).decode(errors="replace")
    out = os.path.join(str(tmp_path), "dump")
    for path in ("/x/big", "/x/d2/d1/moved"):
        dbg(f"dump {path} {out}")
        with open(out, "rb") as f:
            assert f.read() == seq, path
    assert "Links: 2" in dbg("stat /x/big")
    assert 'Fast link dest: "big"' in dbg("stat /x/fast")
    st = dbg("stat /x/slow")
    assert f"Size: {len(SLOW)}" in st and "Fast link" not in st, st
    dbg(f"dump /x/slow {out}")
    with open(out, "rb") as f:
        assert f.read() == SLOW.encode()
    st = dbg("stat /x/keep")
    assert re.search(r"User:\s+12\s+Group:\s+34", st) and "Mode:  0600" in st, st
    names = [l.split()[-1] for l in dbg("ls -l /x/d2").splitlines()
             if l.split() and l.split()[0] != "0"]
    assert len([n for n in names if n.startswith("f")]) == 300 - 111
    assert "d1" in names

    m = storage.boot(img)
    try:
        assert m.run("wc -c < /x/big").strip() == str(len(seq))
        assert m.run("grep -c '^100000$' /x/d2/d1/moved").strip() == "1"
        assert m.run("cat /x/fast | wc -l").strip() == "100000"
        assert m.run("stat -c '%a %u %g %h' /x/keep /x/big").split() == \
            ["600", "12", "34", "1", "644", "0", "0", "2"]
        assert m.run("ls /x/d2 | wc -l").strip() == str(300 - 111 + 1)
        assert m.run("cat /x/d2/f299").strip() == "299"
        assert m.status("rm -r /x", timeout=300) == 0
        # The shell's history file is the only other thing written: stop
        # it and remove it, so every block and inode comes back.
        m.run("HISTFILE=; rm -f /root/.sh_history")
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)
    assert free_counts(img, tmp_path) == before
