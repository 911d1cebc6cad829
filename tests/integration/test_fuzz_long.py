"""The long fuzz run behind `make check-long`: 1,000,000 hostile system
calls (user/tests/t-fuzz.c, in batches of 100,000 with different seeds,
each batch a separate t-fuzz process) on one machine, then the kernel must
still work and must not have lost memory.

Memory is compared after a warm-up batch and after the run, both times with
every fuzz process gone, the files the fuzzer made in /tmp/fuzz removed
(tmpfs keeps them in memory, legitimately) and the caches emptied (sync,
then /proc/sys/vm/drop_caches): MemFree in /proc/meminfo, and the kernel
heap per size class in /proc/slabinfo (in use objects), so that a leak
shows as a size that keeps growing. Without emptying them, the buffer
cache's growth showed as a leak: every ext2 block the fuzzer touches for
the first time stays cached, one kmalloc-1024 object (the 1 KiB block)
and one kmalloc-256 (its struct buf) each, until the cache's limit (a
quarter of RAM); the first 100,000 calls touched 56 new blocks, later
batches none (+56 objects in each of the two classes, Buffers +56 kB). The heap is also read after each
batch and printed, with the calls per second, for the record (speed is not
asserted; under TCG on a loaded host it varies).

Skipped in `make check` (minutes under TCG); RAYOS_LONG=1 runs it."""
import os
import re
import shutil
import time

import pytest

from rayos_qemu import IMAGE

BATCHES = 10
CALLS = 100000
# Page tables, slab and caches may settle a little differently after the
# run; a leak of even a few bytes per call would be far above this.
SLACK_KIB = 2048
# Objects of one heap size class in use after the run beyond those before:
# caches (inodes, path lookups, sockets' buffers) may hold a few more; a
# leak of one object in a thousand calls would be 1000.
SLACK_OBJECTS = 300

pytestmark = pytest.mark.skipif(not os.environ.get("RAYOS_LONG"),
                                reason="long run: make check-long")


def meminfo_kib(m, name):
    out = m.run("cat /proc/meminfo")
    match = re.search(rf"^{name}:\s+(\d+) kB", out, re.M)
    assert match, out
    return int(match.group(1))


def heap_objects(m):
    """{cache: objects in use} from /proc/slabinfo."""
    out = m.run("cat /proc/slabinfo")
    caches = {}
    for line in out.splitlines():
        fields = line.split()
        if fields and fields[0].startswith("kmalloc-"):
            caches[fields[0]] = int(fields[1])
    assert "kmalloc-64" in caches and "kmalloc-large" in caches, out
    return caches


def settle(m):
    """Remove what the fuzzer left in tmpfs and empty the caches; then
    nothing of it is live, and what the heap holds is not cached blocks."""
    m.run("rm -rf /tmp/fuzz", timeout=300)
    assert "t-fuzz" not in m.run("ps")
    m.run("sync", timeout=300)
    assert m.status("echo 3 > /proc/sys/vm/drop_caches", timeout=120) == 0


def test_million_calls_keep_kernel_memory(machine_factory, tmp_path):
    # A private copy: the run is long and the tree may be rebuilt meanwhile.
    image = tmp_path / "rayos.img"
    shutil.copy(IMAGE, image)
    m = machine_factory(image=str(image), deadline=2 * 3600)
    m.boot_to_prompt()
    # Warm up once so that first-use allocations (caches, the fuzzer's
    # binary pages) are not counted as a leak.
    assert "PASS" in m.run(f"t-fuzz 1 {CALLS // 10}", timeout=600)
    settle(m)
    free_before = meminfo_kib(m, "MemFree")
    buffers_before = meminfo_kib(m, "Buffers")
    heap_before = heap_objects(m)
    total = 0
    start = time.monotonic()
    for seed in range(BATCHES):
        t = time.monotonic()
        out = m.run(f"t-fuzz {100 + seed} {CALLS} | tail -2", timeout=1800)
        assert "PASS" in out, out
        summary = re.search(r"fuzz: (\d+) calls.*", out)
        calls = int(summary.group(1))
        total += calls
        slab = meminfo_kib(m, "Slab")
        print(f"batch {seed}: {summary.group(0)}; "
              f"{calls / (time.monotonic() - t):.0f} calls/s; Slab {slab} kB")
    elapsed = time.monotonic() - start
    settle(m)
    free_after = meminfo_kib(m, "MemFree")
    buffers_after = meminfo_kib(m, "Buffers")
    heap_after = heap_objects(m)
    print(f"{total} calls in {elapsed:.0f} s ({total / elapsed:.0f} calls/s); "
          f"MemFree before {free_before} kB, after {free_after} kB; "
          f"Buffers (after drop_caches) before {buffers_before} kB, after {buffers_after} kB")
    for name in heap_before:
        print(f"  {name}: {heap_before[name]} objects before, {heap_after[name]} after")
    log = m.log()
    assert "KERNEL PANIC" not in log, log[-4000:]
    assert total >= BATCHES * CALLS
    assert free_before - free_after <= SLACK_KIB, (free_before, free_after)
    grown = {n: heap_after[n] - heap_before[n] for n in heap_before
             if heap_after[n] - heap_before[n] > SLACK_OBJECTS}
    assert not grown, grown
    assert "alive" in m.run("echo alive")
    assert m.status("t-fork 50") == 0
