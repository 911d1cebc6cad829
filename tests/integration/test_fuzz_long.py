"""The long fuzz run behind `make check-long`: 1,000,000 hostile system
calls (user/tests/t-fuzz.c, in batches of 100,000 with different seeds)
on one machine, then the kernel must still work and must not have lost
memory: MemFree in /proc/meminfo after the run, with every fuzz process
gone, is compared with the figure before it. Skipped in `make check`
(it takes long under TCG); RAYOS_LONG=1 runs it."""
import os
import re
import shutil

import pytest

from rayos_qemu import IMAGE

BATCHES = 10
CALLS = 100000
# Page tables, slab and caches may settle a little differently after the
# run; a leak of even a few bytes per call would be far above this.
SLACK_KIB = 2048

pytestmark = pytest.mark.skipif(not os.environ.get("RAYOS_LONG"),
                                reason="long run: make check-long")


def mem_free_kib(m):
    out = m.run("cat /proc/meminfo")
    match = re.search(r"MemFree:\s+(\d+) kB", out)
    assert match, out
    return int(match.group(1))


def test_million_calls_keep_kernel_memory(machine_factory, tmp_path):
    # A private copy: the run is long and the tree may be rebuilt meanwhile.
    image = tmp_path / "rayos.img"
    shutil.copy(IMAGE, image)
    # QEMU's own deadline must outlast the whole run (hours under TCG).
    m = machine_factory(image=str(image), deadline=6 * 3600)
    m.boot_to_prompt()
    # Warm up once so that first-use allocations (caches, the fuzzer's
    # binary pages) are not counted as a leak.
    assert "PASS" in m.run(f"t-fuzz 1 {CALLS // 10}", timeout=600)
    before = mem_free_kib(m)
    for seed in range(BATCHES):
        out = m.run(f"t-fuzz {100 + seed} {CALLS}", timeout=3600)
        assert "PASS" in out, out
    after = mem_free_kib(m)
    print(f"MemFree before {before} kB, after {after} kB, "
          f"{BATCHES * CALLS} calls")
    log = m.log()
    assert "KERNEL PANIC" not in log, log[-4000:]
    assert before - after <= SLACK_KIB, (before, after)
    assert "alive" in m.run("echo alive")
    assert m.status("t-fork 50") == 0
