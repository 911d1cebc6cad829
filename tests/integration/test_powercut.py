"""tests/integration/test_powercut.py - power cuts during fsync-heavy
writing. t-fsyncw writes files on the ext2 root, fsyncing each (and the
directory) before it reports "SYNCED fN SIZE". QEMU is killed at a random
moment; then the host's e2fsck -fy repairs the file system, and every file
reported as synced must be there, byte for byte. The repaired image is the
next round's disk, so damage cannot hide by being overwritten.

RAYOS_POWERCUTS sets the number of cuts (default 6; the report quotes a run of 20); the counts of cuts,
files checked and problems found are printed (pytest -s) for the report.
"""
import os
import random
import re

import pexpect

import pytest

import storage

pytestmark = pytest.mark.rayos_only


def size_of(i):
    x = (i * 2654435761 + 12345) & 0xffffffff
    return 1 + (x >> 8) % (300 * 1024)


def content(i):
    n = size_of(i)
    return bytes(((j * 31 + i * 7 + (j >> 12)) & 0xff) for j in range(n))


def test_power_cuts(tmp_path):
    cuts = int(os.environ.get("RAYOS_POWERCUTS", "6"))
    rng = random.Random(os.environ.get("RAYOS_POWERCUT_SEED", "4"))
    img = storage.copy_image(tmp_path)
    stats = {"cuts": 0, "synced": 0, "checked": 0, "fsck_fixed": 0, "lost": 0}
    for rnd in range(cuts):
        m = storage.boot(img)
        try:
            d = f"/pc{rnd}"
            # The previous round's files were checked: make room.
            assert m.status(f"rm -rf /pc{rnd - 1}; mkdir -p {d}") == 0
            m.sendline(f"t-fsyncw {d}")
            # Cut after a random delay counted from the first sync.
            m.expect(r"SYNCED f0 ", timeout=120)
            # Keep reading the console meanwhile, so the log has every
            # SYNCED line printed before the cut.
            m.child.expect([pexpect.TIMEOUT, "t-fsyncw: done"],
                           timeout=rng.uniform(0.0, 8.0))
            log = m.log()
        finally:
            m.close()                       # SIGKILL: the power cut
        stats["cuts"] += 1
        synced = [(int(a), int(b)) for a, b in
                  re.findall(rf"SYNCED f(\d+) (\d+)", log.split(f"t-fsyncw {d}")[-1])]
        stats["synced"] += len(synced)
        rc, out = storage.e2fsck(img, tmp_path, fix=True)
        assert rc in (0, 1), f"round {rnd}: e2fsck -fy exit {rc}:\n{out}"
        if rc == 1:
            stats["fsck_fixed"] += 1
            fixes = [l for l in out.splitlines()
                     if re.search(r"Fix\? yes|count wrong|differences|Clear\? yes|"
                                  r"was not cleanly|Salvage\? yes", l)]
            if not fixes:   # e.g. only the "not clean" state was reset
                fixes = [l for l in out.splitlines()
                         if l and not l.startswith(("Pass ", "e2fsck "))][:3]
            print(f"round {rnd}: e2fsck -fy fixed:", "; ".join(fixes[:8]))
        rc, out = storage.e2fsck(img, tmp_path)
        assert rc == 0, f"round {rnd}: not clean after -fy:\n{out}"
        part = storage.extract(img, 2, os.path.join(str(tmp_path), "check.ext2"))
        for i, size in synced:
            assert size == size_of(i)
            got = storage.debugfs_part(part, f"cat {d}/f{i}")
            stats["checked"] += 1
            if got != content(i):
                stats["lost"] += 1
        print(f"round {rnd}: {len(synced)} synced files, e2fsck rc fixed={stats['fsck_fixed']}")
    print("power-cut summary:", stats)
    assert stats["lost"] == 0, stats
    # A final clean boot and power-off on the repaired disk.
    m = storage.boot(img)
    try:
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)
