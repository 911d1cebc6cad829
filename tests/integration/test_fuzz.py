"""Hostile system calls (user/tests/t-fuzz.c) never panic or hang the
kernel: 20000 random calls with kernel, unmapped and runaway pointers, then
the system still works. The seed is fixed so a failure can be replayed."""


def test_syscall_fuzz_does_not_hurt_the_kernel(machine_factory):
    m = machine_factory()
    m.boot_to_prompt()
    out = m.run("t-fuzz 7 20000", timeout=240)
    assert "PASS" in out, out
    log = m.log()
    assert "KERNEL PANIC" not in log, log[-4000:]
    # The rest of the system is unharmed.
    assert "alive" in m.run("echo alive")
    assert m.status("t-fork 50") == 0
