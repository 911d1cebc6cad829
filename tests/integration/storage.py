"""tests/integration/storage.py - helpers for the storage tests: a private
copy of the disk image, its GPT partitions as files, and the host's checkers
(e2fsck, debugfs, fsck.fat) run on what RayOS wrote.
"""
import os
import shutil
import struct
import subprocess

import pytest

from rayos_qemu import IMAGE, Machine

SECTOR = 512


def copy_image(tmpdir, name="disk.img"):
    path = os.path.join(str(tmpdir), name)
    shutil.copy(IMAGE, path)
    return path


def partitions(img):
    """[(first_byte, size_bytes)] of the GPT partitions, in table order."""
    with open(img, "rb") as f:
        f.seek(SECTOR)
        hdr = f.read(92)
        assert hdr[:8] == b"EFI PART", "no GPT"
        entries_lba, count, esize = struct.unpack_from("<QII", hdr, 72)
        f.seek(entries_lba * SECTOR)
        table = f.read(count * esize)
    parts = []
    for i in range(count):
        e = table[i * esize:(i + 1) * esize]
        if e[:16] == b"\0" * 16:
            continue
        first, last = struct.unpack_from("<QQ", e, 32)
        parts.append((first * SECTOR, (last - first + 1) * SECTOR))
    return parts


def extract(img, n, out):
    """Copy partition n (1-based) of img to the file out."""
    off, size = partitions(img)[n - 1]
    with open(img, "rb") as src, open(out, "wb") as dst:
        src.seek(off)
        left = size
        while left:
            chunk = src.read(min(left, 1 << 20))
            dst.write(chunk)
            left -= len(chunk)
    return out


def put_back(img, n, part):
    off, size = partitions(img)[n - 1]
    assert os.path.getsize(part) == size
    with open(img, "r+b") as dst, open(part, "rb") as src:
        dst.seek(off)
        shutil.copyfileobj(src, dst, 1 << 20)


def e2fsck(img, tmpdir, fix=False):
    """e2fsck -f on the root partition: (exit status, output). With fix,
    -y and the repaired partition is written back into img."""
    part = extract(img, 2, os.path.join(str(tmpdir), "root.ext2"))
    r = subprocess.run(["e2fsck", "-f", "-y" if fix else "-n", part],
                       capture_output=True, text=True, timeout=120)
    if fix:
        put_back(img, 2, part)
    return r.returncode, r.stdout + r.stderr


def fsck_fat(img, tmpdir):
    part = extract(img, 1, os.path.join(str(tmpdir), "esp.fat"))
    r = subprocess.run(["fsck.fat", "-n", part], capture_output=True,
                       text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


def assert_clean(img, tmpdir):
    """Every storage test ends here: both file systems without errors."""
    rc, out = e2fsck(img, tmpdir)
    assert rc == 0, "e2fsck -fn:\n" + out
    rc, out = fsck_fat(img, tmpdir)
    assert rc == 0, "fsck.fat -n:\n" + out


def debugfs_part(part, request):
    r = subprocess.run(["debugfs", "-R", request, part], capture_output=True,
                       timeout=120)
    return r.stdout


def debugfs(img, tmpdir, request):
    return debugfs_part(extract(img, 2, os.path.join(str(tmpdir), "root-dbg.ext2")),
                        request)


def boot(img, **kw):
    """A machine on img (written for real: snapshot off), at the prompt,
    with the disk root mounted; skips the test when this build cannot
    mount it (no ext2 driver)."""
    m = Machine(image=img, snapshot=False, **kw)
    m.start()
    try:
        m.boot_to_prompt()
    except Exception:
        m.close()
        raise
    first = m.run("head -n 1 /proc/mounts").split()
    if len(first) < 3 or first[1] != "/" or first[2] != "ext2":
        log = m.log()
        m.close()
        pytest.skip("the root is not the ext2 partition: " + " ".join(first) +
                    " / " + next((l for l in log.splitlines() if "root:" in l), ""))
    return m


def poweroff(m, timeout=120):
    """Power off through init and wait for QEMU to exit."""
    m.sendline("poweroff")
    m.wait_exit(timeout=timeout)
    assert "vfs: file systems synced and unmounted" in m.log(), m.log()[-3000:]
    m.close()
