"""tests/integration/test_panic.py - /proc, and the kernel's panic path
driven for real through /proc/sysrq-trigger.

Console contracts relied on (kernel/arch/x86_64/panic.c, trap.c,
kernel/drivers/sysrq.c, kernel/fs/proc_files.c):
  - a kernel fault prints "*** KERNEL PANIC: ...", the registers ("RIP
    ..."), "Backtrace:" with frames "  [<address>] name+0xoffset", then
    "System halted.";
  - with panic=reboot (boot menu entry 2) it prints "Rebooting ..." and
    resets the machine; the harness runs QEMU with -no-reboot, so a reset
    ends QEMU with status 0;
  - sysrq 'b' prints "sysrq: resetting" and 'o' "sysrq: powering off";
    either ends QEMU with status 0;
  - /proc/meminfo and /proc/uptime use Linux's formats.
Crashing tests use machines of their own; each is bounded and killed.
"""
import re

import pytest

pytestmark = pytest.mark.rayos_only

PANIC_TIMEOUT = 60


def crash(m):
    m.sendline("echo c > /proc/sysrq-trigger")
    m.expect(r"KERNEL PANIC", timeout=PANIC_TIMEOUT)


def test_sysrq_crash_panics_with_registers_and_backtrace(machine_factory):
    m = machine_factory()
    try:
        m.boot_to_prompt()
        crash(m)
        m.expect(r"System halted\.", timeout=PANIC_TIMEOUT)
    finally:
        print(m.log()[-3000:])
    log = m.log()
    panic = log[log.index("KERNEL PANIC"):]
    assert re.search(r"KERNEL PANIC: page fault at 0x0 .*in kernel mode", panic)
    # Lines may carry a "[ seconds]" time stamp before the text.
    assert re.search(r"^(\[[ 0-9.]+\] )?RIP [0-9a-f]{4}:[0-9a-f]{16}", panic, re.M), panic
    assert "Backtrace:" in panic
    frames = re.findall(r"\[<[0-9a-f]{16}>\] (\w+)\+0x[0-9a-f]+", panic)
    assert frames, panic
    # The fault is in the sysrq handler, reached from the write.
    assert frames[0].startswith("sysrq_"), frames
    assert "sysrq_write" in frames, frames
    # Halted: the machine stays up and says nothing more.
    assert m.child.isalive()


def test_sysrq_crash_with_panic_reboot_resets(machine_factory):
    m = machine_factory()
    try:
        m.boot_to_prompt(entry=2)
        assert "panic=reboot" in m.log()
        crash(m)
        m.expect(r"Rebooting", timeout=PANIC_TIMEOUT)
        # -no-reboot: the reset ends QEMU, successfully.
        status = m.wait_exit(timeout=PANIC_TIMEOUT)
    finally:
        print(m.log()[-3000:])
    assert status == 0
    log = m.log()
    assert "Backtrace:" in log
    assert "System halted" not in log


@pytest.mark.parametrize("key,message", [("b", "sysrq: resetting"),
                                         ("o", "sysrq: powering off")])
def test_sysrq_reset_and_power_off_end_qemu(machine_factory, key, message):
    m = machine_factory()
    try:
        m.boot_to_prompt()
        m.sendline(f"echo {key} > /proc/sysrq-trigger")
        m.expect(message, timeout=PANIC_TIMEOUT)
        status = m.wait_exit(timeout=PANIC_TIMEOUT)
    finally:
        print(m.log()[-2000:])
    assert status == 0


def test_sysrq_ignores_other_keys(rayos):
    out = rayos.run("echo z > /proc/sysrq-trigger; echo status=$?")
    assert "status=0" in out
    assert rayos.run("echo still-up").strip() == "still-up"


def test_meminfo(rayos):
    out = rayos.run("cat /proc/meminfo")
    values = {}
    for line in out.splitlines():
        mo = re.match(r"^(\w+):\s+(\d+) kB$", line)
        if mo:
            values[mo.group(1)] = int(mo.group(2))
    assert {"MemTotal", "MemFree", "MemAvailable"} <= values.keys(), out
    # The harness gives the guest 256 MiB; firmware and kernel keep some.
    assert 128 * 1024 < values["MemTotal"] <= 256 * 1024, out
    assert 0 < values["MemFree"] <= values["MemTotal"], out


def test_uptime(rayos):
    first = rayos.run("cat /proc/uptime").strip()
    mo = re.fullmatch(r"(\d+\.\d\d) (\d+\.\d\d)", first)
    assert mo, first
    up, idle = float(mo.group(1)), float(mo.group(2))
    assert up > 0 and idle >= 0
    second = rayos.run("cat /proc/uptime").split()
    assert float(second[0]) >= up


def test_version_and_mounts(rayos):
    assert rayos.run("cat /proc/version").startswith("RayOS version 0.1.0 ")
    mounts = [l.split() for l in rayos.run("cat /proc/mounts").splitlines() if l.strip()]
    points = {fields[1]: fields[2] for fields in mounts}
    assert points.get("/") == "ext2", mounts   # root=LABEL=rayos-root
    assert points.get("/tmp") == "tmpfs", mounts
    assert points.get("/dev") == "devfs", mounts
    assert points.get("/proc") == "proc", mounts
    assert all(len(fields) == 6 for fields in mounts), mounts


def test_proc_listing_and_refusals(rayos):
    names = rayos.run("ls /proc").split()
    for name in ("meminfo", "mounts", "sysrq-trigger", "uptime", "version"):
        assert name in names, names
    out = rayos.run("cat /proc/sysrq-trigger; echo status=$?")
    assert "status=1" in out, out
    out = rayos.run("cat /proc/nonexistent; echo status=$?")
    assert "status=1" in out, out
