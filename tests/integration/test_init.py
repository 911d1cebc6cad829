"""tests/integration/test_init.py - /sbin/init: restarting the shell, and
bringing the machine down. poweroff/reboot ask init (SIGUSR2/SIGTERM),
which prints "init: the system is going down for power off" (or reboot),
stops every process and calls reboot(2); QEMU then exits (-no-reboot turns
a reboot into an exit too) with status 0.
"""
from rayos_qemu import PROMPT


def test_shell_restarted_after_exit(rayos):
    rayos.sendline("exit 3")
    rayos.expect(r"init: /bin/sh exited with status 3, restarting it", timeout=30)
    rayos.expect(PROMPT, timeout=30)
    assert rayos.run("echo back").strip() == "back"


def test_init_refuses_to_run_twice(rayos):
    out = rayos.run("/sbin/init; echo \"status=$?\"")
    assert "init: must be run as process 1" in out
    assert "status=1" in out


def test_poweroff(machine_factory):
    m = machine_factory()
    m.boot_to_prompt()
    m.sendline("poweroff")
    m.expect(r"init: the system is going down for power off", timeout=30)
    assert m.wait_exit(timeout=60) == 0


def test_reboot_ends_qemu(machine_factory):
    m = machine_factory()
    m.boot_to_prompt()
    m.sendline("reboot")
    m.expect(r"init: the system is going down for reboot", timeout=30)
    # -no-reboot: a reset makes QEMU exit (status 0).
    assert m.wait_exit(timeout=60) == 0


def test_poweroff_force(machine_factory):
    m = machine_factory()
    m.boot_to_prompt()
    m.sendline("poweroff -f")
    assert m.wait_exit(timeout=60) == 0
