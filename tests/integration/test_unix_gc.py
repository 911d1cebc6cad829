"""AF_UNIX garbage collection of descriptors in flight (kernel/net/unix_gc.c).

t-unixgc cycles N makes, N times, four kinds of unreachable SCM_RIGHTS
cycles (a socket's descriptor in its own queue, a datagram pair in each
other's queues with a pipe beside them, a datagram socket that sent itself,
a listener carried by its own unaccepted connection) and closes every
descriptor. Each round leaks about 30 kernel objects (files, inodes,
sockets, messages) when nothing collects them, so the kernel's objects in
use (/proc/slabinfo, summed over the kmalloc classes) after 5000 rounds
must be back within a few hundred of the count before.

Then three such programs run at once (one making a ring of 500): the
same must hold.

t-unixgc (no arguments) checks that what a program can still receive is
not collected: a socket in flight on an open socket, a pipe in the queue
of a socket reachable only through another in-flight socket, a socket
carried by a connection a live listener has not accepted yet; and that a socket only its own queue holds
is (its peer's send fails with EPIPE).

t-unixgc chain/ring N: 2000 sockets, each in the next one's queue, then
closed (each close closes the one its queue holds) or closed into a ring
that only the collector frees. Freeing them once nested a release per
socket and overran the kernel stack at about 100; memory must come back."""
import re

import pytest

pytestmark = pytest.mark.rayos_only

ROUNDS = 5000
# Objects the shell, cat and the kernel may hold on to between the two
# readings (a leak of one round in a hundred would already pass this).
SLACK = 600
# Sockets in a chain or ring: 20 times the depth that overran the stack.
LINKS = 2000


def slab_active(m):
    """{cache name: objects in use} from /proc/slabinfo."""
    out = m.run("cat /proc/slabinfo")
    rows = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) > 2 and f[0].startswith("kmalloc-"):
            rows[f[0]] = int(f[1])
    assert "kmalloc-large" in rows, out
    return rows


def test_unreachable_cycles_are_collected(machine_factory):
    m = machine_factory()
    m.boot_to_prompt()
    # Warm up: the first sockets make sockfs, the first run pages in.
    assert "cycles 50 done" in m.run("t-unixgc cycles 50", timeout=120)
    before = slab_active(m)
    out = m.run(f"t-unixgc cycles {ROUNDS}; echo status=$?", timeout=900)
    assert f"cycles {ROUNDS} done" in out and "status=0" in out, out
    after = slab_active(m)
    grew = {k: after[k] - before.get(k, 0) for k in after}
    total = sum(grew.values())
    print(f"objects in use: {sum(before.values())} before, "
          f"{sum(after.values())} after {ROUNDS} rounds; growth {grew}")
    assert total < SLACK, (total, grew)
    # Three processes at once: collections start while another is
    # freeing, and frees are left to another task.
    par = ("t-unixgc cycles 2000 & t-unixgc ring 500 & t-unixgc cycles 2000; "
           "wait; echo waited")
    out = m.run(par, timeout=900)
    assert out.count("cycles 2000 done") == 2 and "ring 500 done" in out, out
    again = slab_active(m)
    grew = {k: again[k] - after.get(k, 0) for k in again}
    print(f"after three at once: {sum(again.values())}; growth {grew}")
    assert sum(grew.values()) < SLACK, grew
    assert "KERNEL PANIC" not in m.log()


def test_reachable_descriptors_survive(machine_factory):
    m = machine_factory()
    m.boot_to_prompt()
    out = m.run("t-unixgc; echo status=$?", timeout=120)
    assert "FAIL" not in out and "status=0" in out, out
    assert len(re.findall(r"^PASS: ", out, re.M)) == 4, out
    assert "KERNEL PANIC" not in m.log()


def test_long_chains_and_rings(machine_factory):
    m = machine_factory()
    m.boot_to_prompt()
    assert "ring 50 done" in m.run("t-unixgc ring 50", timeout=120)
    before = slab_active(m)
    for kind in ("chain", "ring"):
        out = m.run(f"t-unixgc {kind} {LINKS}; echo status=$?", timeout=600)
        assert f"{kind} {LINKS} done" in out and "status=0" in out, out
    after = slab_active(m)
    grew = {k: after[k] - before.get(k, 0) for k in after}
    print(f"objects in use: {sum(before.values())} before, "
          f"{sum(after.values())} after; growth {grew}")
    assert sum(grew.values()) < SLACK, grew
    assert "KERNEL PANIC" not in m.log()
