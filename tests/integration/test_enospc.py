"""tests/integration/test_enospc.py - filling the ext2 root: writing stops
with ENOSPC ("No space left on device"), df agrees the disk is full,
deleting gives the space back (df and a second fill agree), and the file
system is clean for e2fsck -fn after power-off.
"""
import re

import pytest

import storage

pytestmark = pytest.mark.rayos_only


def avail_kb(m):
    out = m.run("df /").splitlines()
    return int(out[-1].split()[3])


def test_fill_delete_refill(tmp_path):
    img = storage.copy_image(tmp_path)
    m = storage.boot(img)
    try:
        free0 = avail_kb(m)
        assert free0 > 1000
        out = m.run("cat /dev/zero > /fill1; echo status=$?", timeout=600)
        assert "No space left on device" in out, out
        assert "status=1" in out, out
        assert avail_kb(m) < 64, m.run("df /")
        # Small files and directories fail too, cleanly.
        out = m.run("mkdir /fulldir; for i in 1 2 3 4 5 6 7 8; do "
                    "seq 1 2000 > /small$i || break; done", timeout=120)
        assert "No space left on device" in out, out
        size1 = int(m.run("stat -c %s /fill1").strip())
        assert size1 > (free0 - 2048) * 1024 * 0.9, (size1, free0)
        assert m.status("rm -f /fill1 /small* && rmdir /fulldir 2>/dev/null; sync") == 0
        free1 = avail_kb(m)
        assert free1 >= free0 - 64, (free0, free1)
        out = m.run("cat /dev/zero > /fill2; echo status=$?", timeout=600)
        assert "No space left on device" in out, out
        size2 = int(m.run("stat -c %s /fill2").strip())
        assert abs(size2 - size1) <= 64 * 1024, (size1, size2)
        assert m.status("rm /fill2") == 0
        assert avail_kb(m) >= free0 - 64
        assert m.status("echo after > /after && cat /after") == 0
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)
