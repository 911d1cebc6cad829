"""tests/integration/test_bootmgr.py - the UEFI boot manager in QEMU/OVMF.

These tests boot build/tests/bootmgr/disk.img (tests/unit/bootmgr.mk): the
real boot manager with a stand-in kernel (tests/bootmgr/testkernel.c) that
checks the handoff, prints "TESTKERNEL: ALL CHECKS PASSED" on COM1 and ends
QEMU through isa-debug-exit. They depend only on boot-manager output, never
on the real kernel. Each Machine is bounded in time and killed afterwards.
"""
import os
import subprocess

import pytest

from rayos_qemu import ROOT, Machine, image_with_config

BOOTMGR_IMAGE = os.path.join(ROOT, "build", "tests", "bootmgr", "disk.img")
DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
COUNTDOWN = r"Boot .* in \d+"
STARTING = r"Starting kernel: "


@pytest.fixture(scope="module")
def image():
    subprocess.run(["make", "-s", "-C", ROOT, "build/tests/bootmgr/disk.img"],
                   check=True)
    return BOOTMGR_IMAGE


def boot(image, deadline=180):
    return Machine(image=image, extra=DEBUG_EXIT, deadline=deadline).start()


GOOD_AND_BROKEN = """\
timeout=5
default=broken

[broken]
title=Broken entry
kernel=/rayos/missing.elf

[good]
title=Good entry
kernel=\\rayos\\kernel.elf
initrd=\\rayos\\initrd.cpio
cmdline=console=ttyS0 from-test
"""


def test_menu_lists_entries_and_boots(image):
    with boot(image) as m:
        try:
            m.boot_to_menu()
            m.expect(r"  1\) RayOS  <")
            m.expect(r"  2\) RayOS \(reboot on panic\)")
            m.expect(r"\d\) Reboot")
            m.expect(r"\d\) Power off")
            m.expect(COUNTDOWN)
            m.sendline()
            m.expect(r"Loading \\rayos\\kernel.elf \(\d+ KiB\)")
            m.expect(r"Loading \\rayos\\initrd.cpio \(\d+ KiB\)")
            m.expect(STARTING + "RayOS")
            # the stand-in kernel checks the bootinfo and exits with 0x10
            m.expect(r"TESTKERNEL: ALL CHECKS PASSED", timeout=60)
            assert m.wait_exit() == 33
        finally:
            print(m.log()[-3000:])
        log = m.log()
        assert 'cmdline: "console=ttyS0 loglevel=6 root=LABEL=rayos-root"' in log
        assert 'title: "RayOS"' in log
        assert "TESTKERNEL FAIL" not in log


def test_missing_kernel_returns_to_menu(image, tmp_path):
    img = image_with_config(tmp_path, GOOD_AND_BROKEN, base=image)
    with boot(img) as m:
        try:
            m.boot_to_menu()
            m.expect(COUNTDOWN)
            m.sendline()  # boot the broken default at once
            m.expect(r"Error: \\rayos\\missing.elf: file not found "
                     r"\(entry \"broken\", \\rayos\\boot.cfg:4\)")
            m.expect("Press any key to return to the menu")
            m.send("x")
            m.boot_to_menu()
            # the countdown stays stopped after a failure
            idx = m.expect([r"Choose with arrows", COUNTDOWN])
            assert idx == 0, "countdown restarted after a failed boot"
            m.send("2")
            m.expect(r"  2\) Good entry  <")
            m.sendline()
            m.expect(STARTING + "Good entry")
            m.expect(r"TESTKERNEL: ALL CHECKS PASSED", timeout=60)
        finally:
            print(m.log()[-3000:])
        assert 'cmdline: "console=ttyS0 from-test"' in m.log()


def test_bad_elf_is_reported(image, tmp_path):
    cfg = ("timeout=1\n[notelf]\nkernel=\\rayos\\initrd.cpio\n"
           "[good]\nkernel=\\rayos\\kernel.elf\n")
    img = image_with_config(tmp_path, cfg, base=image)
    with boot(img) as m:
        try:
            m.boot_to_menu()
            m.expect(r"Error: \\rayos\\initrd.cpio: not an ELF file \(bad magic\) "
                     r"\(entry \"notelf\", \\rayos\\boot.cfg:2\)")
            m.expect("Press any key to return to the menu")
            # no key: the manager returns to the menu by itself after 10 s
            m.boot_to_menu(timeout=60)
            m.expect(r"Choose with arrows")
        finally:
            print(m.log()[-3000:])


def test_bad_line_reported_menu_still_shown(image, tmp_path):
    cfg = ("timeout=menu\n"
           "[rayos]\n"
           "kernal=\\rayos\\kernel.elf\n"
           "kernel=\\rayos\\kernel.elf\n"
           "title=Still here\n"
           "[nokernel]\n"
           "title=Incomplete\n")
    img = image_with_config(tmp_path, cfg, base=image)
    with boot(img) as m:
        try:
            m.expect(r"\\rayos\\boot.cfg:3: unknown key \"kernal\"", timeout=120)
            m.expect(r"\\rayos\\boot.cfg:6: missing kernel= in entry \"nokernel\"")
            m.boot_to_menu()
            m.expect(r"  1\) Still here  <")
            # timeout=menu: no countdown, the menu waits
            assert m.expect([r"Choose with arrows", COUNTDOWN]) == 0
        finally:
            print(m.log()[-3000:])
        assert "Incomplete" not in m.log()


def test_missing_config_offers_power_off(image, tmp_path):
    img = os.path.join(str(tmp_path), "nocfg.img")
    subprocess.run(["cp", image, img], check=True)
    subprocess.run(["mdel", "-i", f"{img}@@1M", "::/rayos/boot.cfg"], check=True)
    with boot(img) as m:
        try:
            m.expect(r"Error: \\rayos\\boot.cfg: file not found", timeout=120)
            m.boot_to_menu()
            m.expect(r"  1\) Reboot  <")
            m.expect(r"  2\) Power off")
            m.expect(r"Choose with arrows")
            m.send("\x1b[B")  # arrow down (VT100, as a serial terminal sends it)
            m.expect(r"  2\) Power off  <")
            m.sendline()
            m.expect("Powering off")
            assert m.wait_exit() == 0
        finally:
            print(m.log()[-3000:])


def test_out_of_memory_frees_and_recovers(image, tmp_path):
    """An initramfs larger than the RAM: the allocation fails, everything is
    freed, and the next entry still boots on the same small machine. The long
    title also exercises the shortened countdown line."""
    big = tmp_path / "big.cpio"
    with open(big, "wb") as f:
        f.truncate(55 << 20)
    cfg = tmp_path / "boot.cfg"
    cfg.write_text("timeout=2\n"
                   "[big]\n"
                   "title=An entry whose initramfs cannot fit in this machine\n"
                   "kernel=\\rayos\\kernel.elf\ninitrd=\\rayos\\initrd.cpio\n"
                   "[good]\nkernel=\\rayos\\kernel.elf\n")
    root = tmp_path / "root"
    root.mkdir()
    img = str(tmp_path / "oom.img")
    kernel = os.path.join(ROOT, "build", "tests", "bootmgr", "testkernel.elf")
    efi = os.path.join(ROOT, "build", "boot", "BOOTX64.EFI")
    subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "all", img, efi, kernel,
                    str(big), str(cfg), str(root)], check=True,
                   stdout=subprocess.DEVNULL)
    m = Machine(image=img, mem="64M", extra=DEBUG_EXIT, deadline=180).start()
    with m:
        try:
            m.boot_to_menu()
            m.expect(r"Boot \"An entry whose.*\" in \d+ s\.\.\. \(Enter boots")
            m.expect(r"Error: \\rayos\\initrd.cpio: out of memory "
                     r"\(entry \"big\", \\rayos\\boot.cfg:2\)", timeout=60)
            m.expect("Press any key to return to the menu")
            m.send("x")
            m.expect("Choose with arrows")
            m.send("2")
            m.expect(r"  2\) good  <")
            m.sendline()
            m.expect(STARTING + "good")
            m.expect(r"TESTKERNEL: ALL CHECKS PASSED", timeout=60)
        finally:
            print(m.log()[-3000:])


def test_handoff_with_ram_above_4g(image):
    """With 6 GiB the map goes past 4 GiB: the identity and direct maps must
    grow with it (the stand-in kernel touches the last usable word)."""
    m = Machine(image=image, mem="6G", extra=DEBUG_EXIT, deadline=180).start()
    with m:
        try:
            m.boot_to_menu()
            m.expect(COUNTDOWN)
            m.sendline()
            m.expect(STARTING + "RayOS")
            # Match up to the line end: serial output arrives in pieces.
            m.expect(r"top of usable RAM: 0x([0-9a-f]+)[\r\n]", timeout=60)
            assert int(m.child.match.group(1), 16) > (4 << 30)
            m.expect(r"TESTKERNEL: ALL CHECKS PASSED", timeout=60)
            assert m.wait_exit() == 33
        finally:
            print(m.log()[-3000:])


@pytest.mark.parametrize("timeout", [0, 1])
def test_countdown_boots_default_without_input(image, tmp_path, timeout):
    cfg = (f"timeout={timeout}\ndefault=second\n"
           "[first]\nkernel=\\rayos\\kernel.elf\n"
           "[second]\ntitle=Second\nkernel=\\rayos\\kernel.elf\ncmdline=second\n")
    img = image_with_config(tmp_path, cfg, base=image)
    with boot(img) as m:
        try:
            m.boot_to_menu()
            m.expect(r"  2\) Second  <")
            m.expect(STARTING + "Second")
            m.expect(r"TESTKERNEL: ALL CHECKS PASSED", timeout=60)
        finally:
            print(m.log()[-3000:])
        assert 'cmdline: "second"' in m.log()
