"""tests/integration/test_drivers.py - the device layer (kernel/drivers/)
as the boot log and user space see it: ACPI, PCI, virtio-blk with MSI-X,
GPT partitions (also a corrupt primary GPT, a read-only disk and a disk
without a partition table), and several readers of the disk at once. The
keyboard and the framebuffer console are tested in test_console.py.
"""
import os
import re
import shutil
import subprocess

import pytest

from rayos_qemu import Machine

pytestmark = pytest.mark.rayos_only


def test_boot_log(rayos):
    log = rayos.log()
    for pat in [
        r"acpi: \d+ CPUs?, 1 I/O APIC, LAPIC 0xfee00000, HPET 0xfed00000, "
        r"ECAM 0x[0-9a-f]+ bus 0-255, PM1a 0x604, PM timer 0x608, S5 0/0, 8042 yes",
        r"pci 00:00\.0 8086:29c0 class 06\.00",
        r"pci 00:02\.0 1af4:10(01|42) class 01\.00",
        r"virtio-blk: vda: \d+ sectors \(\d+ MiB\), flush, queue \d+, MSI-X",
        r'gpt: vda: 2 partitions: vda1 "EFI System" \d+ MiB, vda2 "rayos-root" \d+ MiB',
        r"fbcon: \d+x\d+, 8x16 font \(PSF[12]\), \d+x\d+ text",
        r"ps2kbd: i8042 keyboard on IRQ 1",
    ]:
        assert re.search(pat, log), pat


def test_concurrent_readers(rayos):
    """Several requests in flight on one queue: whole-partition reads in
    the background while another program checks the root superblock."""
    out = rayos.run("cat /dev/vda1 > /dev/null & cat /dev/vda2 > /dev/null & "
                    "cat /dev/vda1 > /dev/null & t-blkread; wait; echo done",
                    timeout=240)
    assert "ext2 magic 0xef53" in out, out
    assert "done" in out, out
    assert rayos.status("t-blkread /dev/vda2") == 0


@pytest.fixture
def extra_disks(tmp_path):
    if not shutil.which("sgdisk"):
        pytest.skip("sgdisk (gdisk) not installed")
    gpt = os.path.join(str(tmp_path), "gpt.img")
    with open(gpt, "wb") as f:
        f.truncate(8 << 20)
    subprocess.run(["sgdisk", "-n1:2048:+2M", "-c1:data", gpt], check=True,
                   stdout=subprocess.DEVNULL)
    with open(gpt, "r+b") as f:  # break the primary header's signature
        f.seek(512)
        f.write(b"XXXX")
    blank = os.path.join(str(tmp_path), "blank.img")
    with open(blank, "wb") as f:
        f.truncate(1 << 20)
    return [
        "-drive", f"if=none,id=gpt,format=raw,file={gpt},readonly=on",
        "-device", "virtio-blk-pci,drive=gpt",
        "-drive", f"if=none,id=blank,format=raw,file={blank}",
        "-device", "virtio-blk-pci,drive=blank",
    ]


def test_backup_gpt_read_only_and_blank_disks(extra_disks):
    with Machine(extra=extra_disks) as m:
        m.boot_to_prompt()
        log = m.log()
        assert re.search(r"virtio-blk: vdb: 16384 sectors \(8 MiB\), read-only", log), log
        assert "gpt: vdb: primary GPT bad (bad signature), using the backup" in log, log
        assert 'gpt: vdb: 1 partition: vdb1 "data" 2 MiB' in log, log
        assert re.search(r"virtio-blk: vdc: 2048 sectors \(1 MiB\), flush", log), log
        assert "gpt: vdc: no partition table" in log, log
        # The partition found through the backup GPT reads back what the
        # host put there (zeros), and the main disk still works.
        assert m.status("cat /dev/vdb1 > /dev/null") == 0
        out = m.run("echo hello > /dev/vdb1; echo status=$?")
        # a failed redirection is status 2 in the shell (as in dash)
        assert "Read-only file system" in out and "status=2" in out, out
        assert m.status("t-blkread /dev/vda2") == 0


def test_timer_falls_back_to_the_pit_without_hpet(machine_factory):
    """Without an HPET the timer is calibrated against the PIT, and time
    still runs right: a 2 s sleep takes about 2 s of host time."""
    import time
    m = machine_factory(extra=["-machine", "hpet=off"])
    m.boot_to_prompt()
    log = m.log()
    assert "calibrated against the PIT" in log, log[-3000:]
    start = time.monotonic()
    m.run("t-sleep 2", timeout=30)
    took = time.monotonic() - start
    assert 1.5 < took < 10, took
