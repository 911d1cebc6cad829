"""The kernel's caches give memory back to a process that needs it
(kernel/mm/shrinker.c): on a 64 MiB machine, programs fill the buffer
cache, the file mapping page cache and exec's shared program pages; then a
process allocates more than is free. It must get its memory (the caches
shrank) rather than be killed, and what a process still maps or has not
written back must survive: t-reclaim hold keeps a private and a shared
mapping with stores in every page and checks them afterwards.

What the caches hold is read from /proc/caches (RayOS) and /proc/meminfo
(Buffers, Cached, MemAvailable) before and after, and printed."""
import re
import time

import pytest

pytestmark = pytest.mark.rayos_only

MEM = "64M"
HOLD_MB = 8
# Left free for the kernel while the filler runs (its page tables, the
# shell, the holder's own allocations): not a measured figure, a margin.
MARGIN_KIB = 4096
# Programs with distinct binaries, each run once so that exec's table
# keeps their pages (none of them waits for input).
PROGRAMS = ("ls uname id date true false pwd hostname whoami printenv env "
            "basename dirname wc head tail sort uniq uptime df free ps "
            "cat sha256sum")


def meminfo(m):
    out = m.run("cat /proc/meminfo")
    return {k: int(v) for k, v in re.findall(r"^(\w+):\s+(\d+) kB", out, re.M)}


def caches(m):
    """{name: (kB, reclaimable kB, reclaimed kB)} from /proc/caches."""
    out = m.run("cat /proc/caches")
    rows = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and not f[0].startswith("#"):
            rows[f[0]] = tuple(int(x) for x in f[1:])
    assert {"buffers", "filemap", "exec_pages"} <= rows.keys(), out
    return rows


def wait_for_file_text(m, path, pattern, timeout=120):
    end = time.monotonic() + timeout
    while True:
        out = m.run(f"cat {path}")
        if re.search(pattern, out, re.M):
            return out
        assert time.monotonic() < end, out
        time.sleep(1)


def test_caches_shrink_when_a_process_needs_memory(machine_factory):
    m = machine_factory(mem=MEM)
    m.boot_to_prompt()
    m.run(f"for p in {PROGRAMS}; do $p </dev/null >/dev/null 2>&1; done", timeout=180)
    m.run("mkdir -p /root/rc")
    m.run(f"t-reclaim hold /root/rc {HOLD_MB} >/tmp/hold.log 2>&1 &")
    wait_for_file_text(m, "/tmp/hold.log", r"^holding$", timeout=300)
    m.run("sync", timeout=120)  # the files' buffers become clean: reclaimable

    mem_before, caches_before = meminfo(m), caches(m)
    print("before:", mem_before, caches_before)
    # Every cache holds something the filler can take.
    assert caches_before["filemap"][1] >= HOLD_MB * 1024 * 3 // 4, caches_before
    assert caches_before["exec_pages"][1] > 0, caches_before
    assert caches_before["buffers"][1] > 0, caches_before
    fill_mib = (mem_before["MemAvailable"] - MARGIN_KIB) // 1024
    # The filler needs more than is free plus all the buffer cache can
    # give: the file and exec page caches must shrink too.
    need = fill_mib * 1024 - mem_before["MemFree"] - caches_before["buffers"][1]
    assert need >= 2048, (fill_mib, mem_before, caches_before)

    out = m.run(f"t-reclaim fill {fill_mib}; echo status=$?", timeout=600)
    mem_after, caches_after = meminfo(m), caches(m)
    print(f"fill {fill_mib} MiB:", out.strip())
    print("after:", mem_after, caches_after)
    assert f"filled {fill_mib} MiB" in out and "status=0" in out, out
    for name in ("buffers", "filemap", "exec_pages"):
        assert caches_after[name][2] > caches_before[name][2], (name, caches_before, caches_after)
    assert caches_after["filemap"][0] < caches_before["filemap"][0], caches_after

    # What the holder maps, and its unwritten stores, are intact.
    m.run("touch /root/rc/go")
    out = wait_for_file_text(m, "/tmp/hold.log", r"^(PASS|FAIL)$", timeout=120)
    assert "PASS" in out and "FAIL" not in out, out

    # Programs still run (exec's table fills again) and the kernel is well.
    assert "rc" in m.run("ls /root")
    log = m.log()
    assert "KERNEL PANIC" not in log, log[-4000:]
    # A fault the kernel cannot serve kills the process (SIGKILL), and
    # the shell says "Killed": no process here may have been.
    assert "Killed" not in log, log[-4000:]


def test_drop_caches(rayos):
    rayos.run("cat /bin/ls /bin/cat >/dev/null; ls / >/dev/null; sync")
    # TCP over loopback leaves packet buffers in pkt.c's caches.
    rayos.run("t-netbench serve 5001 > /dev/null & sleep 1")
    out = rayos.run("t-netbench put 127.0.0.1 5001 4194304")
    assert "MB/s" in out, out
    before = caches(rayos)
    assert before["pkt"][1] > 0, before
    assert rayos.status("echo 3 > /proc/sys/vm/drop_caches") == 0
    after = caches(rayos)
    print("before:", before, "after:", after)
    # Everything not in use went: the buffers and exec pages of programs
    # that have exited (the shell's and cat's own pages are mapped).
    assert after["buffers"][0] < before["buffers"][0], (before, after)
    assert after["buffers"][2] > before["buffers"][2], (before, after)
    assert after["exec_pages"][1] == 0 and after["filemap"][1] == 0, after
    assert after["pkt"][0] == 0 and after["pkt"][2] > before["pkt"][2], (before, after)
    # Linux's range: 1..4; anything else is EINVAL.
    assert rayos.status("echo 5 > /proc/sys/vm/drop_caches") != 0
    assert rayos.status("echo x > /proc/sys/vm/drop_caches") != 0
    assert rayos.status("echo 4 > /proc/sys/vm/drop_caches") == 0
