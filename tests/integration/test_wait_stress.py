"""Lost wake-ups in pipes and wait4/waitid (user/tests/t-waitstress.c):
worker processes fork children and play ping-pong with them over pipes,
push more than a pipe holds, and reap them with wait4 or waitid, half of
them under a 1 ms interval timer whose signals cut sleeps short. Every
sleep has a waker, so a worker that stops making progress for 20 s is a
lost wake-up (once, do_wait() read the child-event count after its scan and
could sleep past a child that had just become a zombie). The watchdog in
t-waitstress reports it and the run fails; the machine must stay usable.

The short run is part of `make check`; RAYOS_LONG=1 (`make check-long`)
also runs a long one."""
import os

import pytest


def run_stress(m, workers, rounds, timeout):
    out = m.run(f"t-waitstress {workers} {rounds}", timeout=timeout)
    assert "PASS" in out, out
    assert f"{workers * rounds} rounds in {workers} workers" in out, out
    log = m.log()
    assert "KERNEL PANIC" not in log, log[-4000:]
    assert "alive" in m.run("echo alive")


def test_pipes_and_wait_under_timers(machine_factory):
    m = machine_factory()
    m.boot_to_prompt()
    run_stress(m, 8, 100, timeout=300)


@pytest.mark.skipif(not os.environ.get("RAYOS_LONG"), reason="long run: make check-long")
def test_pipes_and_wait_long(machine_factory):
    m = machine_factory(deadline=3600)
    m.boot_to_prompt()
    run_stress(m, 16, 3000, timeout=3000)
