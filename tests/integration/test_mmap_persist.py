"""tests/integration/test_mmap_persist.py - stores through MAP_SHARED file
mappings reach the disk: t-mmapw writes three files on the ext2 root and
three on the FAT ESP through shared mappings (written back by msync, by
munmap and by a process's exit); after a power-off the host's debugfs
reads the data, e2fsck -fn and fsck.fat -n find nothing wrong, and a new
boot reads it back with read(). abi-mmap-shared also runs on the FAT ESP
and must print what it prints on the host. The cached pages of a mapped
file leave memory when it is unmapped."""
import os
import re
import subprocess

import pytest

import storage
from rayos_qemu import ROOT

pytestmark = pytest.mark.rayos_only

PG = 4096
LEN = 2 * PG + 100
OFFS = [10, PG + 20, 2 * PG + 30]
NAMES = ["by-msync", "by-munmap", "by-exit"]


def expected(name):
    """The bytes t-mmapw leaves in DIR/name."""
    b = bytearray(b"." * LEN)
    for off in OFFS:
        m = f"<{name}@{off}>".encode()
        b[off:off + len(m)] = m
    return bytes(b)


def has_vfat(m):
    return re.search(r"^\tvfat$", m.run("cat /proc/filesystems"), re.M) is not None


def test_shared_mapping_survives_reboot(tmp_path):
    img = storage.copy_image(tmp_path)
    m = storage.boot(img)
    try:
        dirs = ["/data-mm"]
        if has_vfat(m):
            dirs.append("/boot/efi/mm")
        for d in dirs:
            out = m.run(f"mkdir -p {d} && t-mmapw write {d}", timeout=60)
            assert out.strip() == "written", out
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)
    for name in NAMES:
        assert storage.debugfs(img, tmp_path, f"cat /data-mm/{name}") == expected(name), name
    m = storage.boot(img)
    try:
        for d in dirs:
            out = m.run(f"t-mmapw check {d}", timeout=60)
            assert out.splitlines() == [f"{d}/{n} ok" for n in NAMES], out
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)


def test_abi_mmap_shared_on_fat(tmp_path):
    """The conformance program in a directory of the FAT ESP."""
    binary = os.path.join(ROOT, "build", "abi", "abi-mmap-shared")
    hostdir = tmp_path / "host"
    hostdir.mkdir()
    want = subprocess.run([binary, str(hostdir)], capture_output=True, text=True, timeout=60)
    assert want.returncode == 0, want.stdout + want.stderr
    img = storage.copy_image(tmp_path)
    m = storage.boot(img)
    try:
        if not has_vfat(m):
            pytest.skip("no FAT driver in this build")
        got = m.run("mkdir -p /boot/efi/abi && /usr/libexec/abi/abi-mmap-shared /boot/efi/abi",
                    timeout=180)
        assert got.splitlines() == want.stdout.splitlines()
        assert m.status("rmdir /boot/efi/abi") == 0
        storage.poweroff(m)
    finally:
        m.close()
    storage.assert_clean(img, tmp_path)


def test_page_cache_freed_after_munmap(rayos):
    """8 MiB of a tmpfs file mapped shared and touched take about 8 MiB of
    free memory; after munmap MemFree is back within 1 MiB."""
    out = rayos.run("t-mmapw mem /tmp", timeout=120)
    assert out.splitlines()[-1] == "PASS", out


@pytest.mark.parametrize("where", ["/tmp", "/", "/boot/efi"])
def test_coherence_stress(rayos, where):
    """Random stores (also from children), pwrite, ftruncate, msync,
    remapping and private copies on one file: after every step the shared
    mapping, read() and a model of the file agree (t-mmapw stress; the
    same program passes on Linux). tmpfs, the ext2 root, the FAT ESP."""
    if where == "/boot/efi" and not has_vfat(rayos):
        pytest.skip("no FAT driver in this build")
    out = rayos.run(f"t-mmapw stress {where} 3000", timeout=300)
    assert out.splitlines()[-1] == "PASS", out
