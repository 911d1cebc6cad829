"""tools/bench.py - RayOS against Linux under the same QEMU (run by
tools/bench.sh, i.e. `make bench`). Prints a table of:

  build    clean `make -j2` of a copy of this tree in /tmp (build/ untouched)
  boot     QEMU start -> shell prompt, median of 3 boots, and the kernel's own
           share: from the boot manager's "Starting kernel" line to the prompt
  memory   the smallest -m with which RayOS still reaches its prompt
           (binary search, 4 MiB steps)
  shell    RayOS's /bin/sh in the guest (tests/sh/bench/run.sh): a loop of
           10,000 iterations of arithmetic and test, a script running 1,000
           external commands, 20 interactive starts (exec -> first prompt ->
           "exit"); the same static binaries on the Linux reference guest
  Linux    Debian's kernel (/boot/vmlinuz-*) with a busybox initramfs built
           here; its /init prints a marker with /proc/uptime and powers off.
           Booted directly (-kernel/-initrd/-append): our boot manager loads
           only RayOS's ELF kernel, so the OVMF path for Linux is not measured
           here; the team's reference figures (measured 2026-11-24 on these
           machines, notes/linux-reference.md) are quoted instead.

Every QEMU runs under `timeout -s KILL` and is killed in a finally block.
The contracts used: PROMPT and the boot menu from tests/integration/
rayos_qemu.py, and the "Starting kernel" line of the boot manager.
"""
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from rayos_qemu import IMAGE, PROMPT, Machine, cpio_newc  # noqa: E402

KERNEL_MARK = r"Starting kernel"
LINUX_MARK = r"RAYOS-BENCH-INIT uptime ([0-9.]+)"
LINUX_CMDLINE = "console=ttyS0 quiet panic=-1"
BOOTS = int(os.environ.get("BENCH_BOOTS", "3"))
MEM = "256M"
# Linux 6.1 through OVMF (a small loader -> EFI stub), from the team's notes
# (linux-reference.md, 2026-11-24, same hosts and QEMU).
LINUX_OVMF_REF = {"boot": 8.90, "uptime": 2.02, "min_mem": 160}


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# ---- (a) clean build -------------------------------------------------------
def clean_build_time():
    """Copy the tracked and new files of the tree into /tmp and time make."""
    tmp = tempfile.mkdtemp(prefix="rayos-bench-build.")
    try:
        files = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, check=True, capture_output=True).stdout.split(b"\0")
        for f in files:
            if not f or not os.path.isfile(os.path.join(ROOT, f.decode())):
                continue
            dst = os.path.join(tmp, f.decode())
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, f.decode()), dst)
        t0 = time.monotonic()
        r = subprocess.run(["make", "-j2", "all"], cwd=tmp, capture_output=True,
                           text=True, timeout=600)
        dt = time.monotonic() - t0
        if r.returncode != 0:
            log("clean build failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])
            return None
        return dt
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- (b) RayOS boot ----------------------------------------------------------
def boot_rayos(mem=MEM, timeout=90):
    """One boot. Returns (total, kernel_share) in seconds, or None."""
    m = Machine(mem=mem, deadline=timeout + 30)
    try:
        t0 = time.monotonic()
        m.start()
        m.boot_to_menu(timeout=timeout)
        m.expect(r"Boot .* in \d+", timeout=timeout)
        m.sendline()  # skip the countdown, as the tests do
        m.expect(KERNEL_MARK, timeout=timeout)
        t_kernel = time.monotonic()
        m.expect(PROMPT, timeout=timeout)
        t_prompt = time.monotonic()
        return t_prompt - t0, t_prompt - t_kernel
    except (pexpect.TIMEOUT, pexpect.EOF):
        return None
    finally:
        m.close()


def median_boots(fn, n=BOOTS):
    runs = []
    for i in range(n):
        r = fn()
        log(f"  boot {i + 1}/{n}: {fmt_pair(r)}")
        if r is None:
            return None, runs
        runs.append(r)
    return tuple(statistics.median(x) for x in zip(*runs)), runs


# ---- (c) smallest memory -----------------------------------------------------
def smallest_mem(boots_ok, lo=16, hi=256, step=4):
    """Binary search for the smallest -m (MiB, multiple of step) at which
    boots_ok(mib) is true, assuming it holds at hi. None if not even at hi."""
    if not boots_ok(hi):
        return None
    if boots_ok(lo):
        return lo
    # Invariant: lo fails, hi boots.
    while hi - lo > step:
        mid = (lo + hi) // 2 // step * step
        if mid <= lo:
            mid = lo + step
        if boots_ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def rayos_boots_at(mib, timeout):
    r = boot_rayos(mem=f"{mib}M", timeout=timeout)
    log(f"  -m {mib}M: {'prompt' if r else 'no prompt'}")
    return r is not None


# ---- (d) Linux reference -----------------------------------------------------
def build_busybox_initrd(path):
    bb = shutil.which("busybox") or "/bin/busybox"
    with open(bb, "rb") as f:
        busybox = f.read()
    init = (b"#!/bin/busybox sh\n"
            b"/bin/busybox mount -t proc proc /proc\n"
            b"read up idle < /proc/uptime\n"
            b"echo \"RAYOS-BENCH-INIT uptime $up\"\n"
            b"/bin/busybox poweroff -f\n")
    entries = [
        ("bin", 0o40755, b""),
        ("bin/busybox", 0o100755, busybox),
        ("dev", 0o40755, b""),
        ("dev/console", 0o20600, b"", 5, 1),
        ("proc", 0o40755, b""),
        ("init", 0o100755, init),
    ]
    with open(path, "wb") as f:
        f.write(cpio_newc(entries))


def boot_linux(kernel, initrd, mem=MEM, timeout=90):
    """Direct boot. Returns (total, guest uptime at /init's line) or None."""
    cmd = ["timeout", "-s", "KILL", str(timeout + 30), "qemu-system-x86_64",
           "-machine", "q35", "-m", mem, "-display", "none", "-no-reboot",
           "-nic", "none", "-serial", "stdio", "-monitor", "none",
           "-kernel", kernel, "-initrd", initrd,
           "-append", LINUX_CMDLINE]
    t0 = time.monotonic()
    child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                          codec_errors="replace", timeout=timeout)
    try:
        child.expect(LINUX_MARK, timeout=timeout)
        return time.monotonic() - t0, float(child.match.group(1))
    except (pexpect.TIMEOUT, pexpect.EOF):
        return None
    finally:
        if child.isalive():
            child.kill(9)
        child.close(force=True)


# ---- (e) the shell ---------------------------------------------------------
SH_BENCH = r"sh-bench: loop (\d+) cs, spawn (\d+) cs, interactive 20 starts (\d+) cs"


def parse_sh_bench(text):
    """(loop s, spawn s, one interactive start in ms) from run.sh's line."""
    import re
    m = re.search(SH_BENCH, text)
    if not m:
        return None
    return (int(m.group(1)) / 100, int(m.group(2)) / 100,
            int(m.group(3)) * 10 / 20)


def shell_bench_rayos():
    m = Machine(deadline=900)
    try:
        m.start()
        m.boot_to_prompt()
        out = m.run("sh /usr/share/sh-tests/bench/run.sh /bin/sh", timeout=800)
        return parse_sh_bench(out)
    except (pexpect.TIMEOUT, pexpect.EOF):
        return None
    finally:
        m.close()


def shell_bench_linux(kernel):
    """The same sh, true and scripts in a busybox initramfs on Linux."""
    user = os.path.join(ROOT, "build", "user")
    bench = os.path.join(ROOT, "tests", "sh", "bench")

    def blob(path):
        with open(path, "rb") as f:
            return f.read()
    with open(shutil.which("busybox") or "/bin/busybox", "rb") as f:
        busybox = f.read()
    init = (b"#!/bin/busybox sh\n"
            b"/bin/busybox mount -t proc proc /proc\n"
            b"/bin/busybox mount -t tmpfs tmpfs /tmp\n"
            b"/bin/sh /bench/run.sh /bin/sh\n"
            b"echo RAYOS-BENCH-SH-DONE\n"
            b"/bin/busybox poweroff -f\n")
    entries = [
        ("bin", 0o40755, b""),
        ("bin/busybox", 0o100755, busybox),
        ("bin/sh", 0o100755, blob(os.path.join(user, "sh"))),
        ("bin/true", 0o100755, blob(os.path.join(user, "true"))),
        ("bench", 0o40755, b""),
        ("dev", 0o40755, b""),
        ("dev/console", 0o20600, b"", 5, 1),
        ("dev/null", 0o20666, b"", 1, 3),
        ("proc", 0o40755, b""),
        ("tmp", 0o41777, b""),
        ("init", 0o100755, init),
    ]
    for name in ("run.sh", "loop.sh", "spawn.sh"):
        entries.append((f"bench/{name}", 0o100755, blob(os.path.join(bench, name))))
    tmp = tempfile.mkdtemp(prefix="rayos-bench-sh.")
    try:
        initrd = os.path.join(tmp, "sh-initrd.cpio")
        with open(initrd, "wb") as f:
            f.write(cpio_newc(entries))
        cmd = ["timeout", "-s", "KILL", "900", "qemu-system-x86_64",
               "-machine", "q35", "-m", MEM, "-display", "none", "-no-reboot",
               "-nic", "none", "-serial", "stdio", "-monitor", "none",
               "-kernel", kernel, "-initrd", initrd, "-append", LINUX_CMDLINE]
        child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                              codec_errors="replace", timeout=850)
        try:
            child.expect("RAYOS-BENCH-SH-DONE")
            return parse_sh_bench(child.before)
        except (pexpect.TIMEOUT, pexpect.EOF):
            return None
        finally:
            if child.isalive():
                child.kill(9)
            child.close(force=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def shell_rows():
    log("(e) the shell: loop, 1,000 commands, interactive start on RayOS ...")
    r = shell_bench_rayos()
    log(f"    RayOS: {r}")
    kernels = sorted(glob.glob("/boot/vmlinuz-*"))
    lx = None
    if kernels:
        log("    ... and on Linux with the same binaries ...")
        lx = shell_bench_linux(kernels[-1])
        log(f"    Linux: {lx}")
    names = ["sh: 10,000-iteration loop (arith + test)",
             "sh: 1,000 external commands",
             "sh: exec -> first prompt -> exit (ms)"]
    rows = []
    for i, name in enumerate(names):
        a = r[i] if r else None
        b = lx[i] if lx else None
        unit = "ms" if i == 2 else "s"
        fa = "n/a" if a is None else (f"{a:.1f} ms" if unit == "ms" else f"{a:.2f} s")
        fb = "n/a" if b is None else (f"{b:.1f} ms" if unit == "ms" else f"{b:.2f} s")
        rows.append((name, fa, fb, ratio(a, b)))
    return rows


def print_rows(rows):
    w = max(len(r[0]) for r in rows)
    print()
    print(f"{'':{w}}  {'RayOS':>10}  {'Linux':>10}  {'RayOS/Linux':>11}")
    for name, a, b, r in rows:
        print(f"{name:{w}}  {a:>10}  {b:>10}  {r:>11}")


# ---- report ------------------------------------------------------------------
def fmt_pair(r):
    return "failed" if r is None else f"{r[0]:.2f} s total, {r[1]:.2f} s kernel"


def fmt(v, unit="s", nd=2):
    if v is None:
        return "n/a"
    return f"{v:.{nd}f} {unit}" if unit == "s" else f"{v}{unit}"


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def main():
    if not os.path.exists(IMAGE):
        sys.exit(f"bench: {IMAGE} missing; run make first")
    if os.environ.get("BENCH_ONLY") == "shell":
        print_rows(shell_rows())
        return 0
    res = {}
    log("(a) clean build of a copy of the tree with make -j2 ...")
    res["build"] = clean_build_time()

    log(f"(b) RayOS boots to the prompt (-m {MEM}) ...")
    rb, _ = median_boots(boot_rayos)
    res["rayos_boot"], res["rayos_kernel"] = rb if rb else (None, None)

    res["rayos_mem"] = None
    if rb is None:
        log("(c) skipped: RayOS did not reach its prompt")
    else:
        log("(c) smallest -m for RayOS ...")
        per_try = max(30, int(3 * rb[0]) + 10)
        res["rayos_mem"] = smallest_mem(lambda m: rayos_boots_at(m, per_try))

    kernels = sorted(glob.glob("/boot/vmlinuz-*"))
    res["linux_boot"] = res["linux_kernel"] = res["linux_mem"] = None
    if not kernels:
        log("(d) no /boot/vmlinuz-*: Linux reference skipped "
            "(tools/deps.sh --bench installs linux-image-amd64)")
    else:
        kernel = kernels[-1]
        tmp = tempfile.mkdtemp(prefix="rayos-bench-linux.")
        try:
            initrd = os.path.join(tmp, "busybox-initrd.cpio")
            build_busybox_initrd(initrd)
            log(f"(d) Linux {os.path.basename(kernel)} + busybox, direct boot ...")
            lb, _ = median_boots(lambda: boot_linux(kernel, initrd))
            res["linux_boot"], res["linux_kernel"] = lb if lb else (None, None)
            log("    smallest -m for Linux (direct boot) ...")
            per_try = 60 if lb is None else max(30, int(3 * lb[0]) + 10)
            if lb is None:
                per_try = 0  # did not boot at all: no search

            def linux_ok(mib):
                r = boot_linux(kernel, initrd, mem=f"{mib}M", timeout=per_try)
                log(f"  -m {mib}M: {'init ran' if r else 'failed'}")
                return r is not None
            if per_try:
                res["linux_mem"] = smallest_mem(linux_ok)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    mem_r = f"{res['rayos_mem']}M" if res["rayos_mem"] else "n/a"
    mem_l = f"{res['linux_mem']}M" if res["linux_mem"] else "n/a"
    rows = [
        ("clean build, make -j2", fmt(res["build"]), "-", "-"),
        (f"boot: QEMU start -> prompt (median of {BOOTS})",
         fmt(res["rayos_boot"]), fmt(res["linux_boot"]),
         ratio(res["rayos_boot"], res["linux_boot"])),
        ("boot: the kernel's share", fmt(res["rayos_kernel"]),
         fmt(res["linux_kernel"]), ratio(res["rayos_kernel"], res["linux_kernel"])),
        ("smallest -m that boots", mem_r, mem_l,
         ratio(res["rayos_mem"], res["linux_mem"])),
    ]
    rows += shell_rows()
    print_rows(rows)
    print()
    print("Prompt: RayOS's shell prompt; Linux's: the first line of its /init.")
    print("Kernel's share: RayOS from the boot manager's 'Starting kernel' to "
          "the prompt; Linux: /proc/uptime when /init runs.")
    print("RayOS boots through OVMF and its boot manager; Linux is booted "
          "directly (-kernel, cmdline 'console=ttyS0 quiet'), which skips "
          "OVMF (about 4.1 s).")
    print("Linux through OVMF, reference figures (linux-reference.md): "
          f"{LINUX_OVMF_REF['boot']:.2f} s to /init, uptime "
          f"{LINUX_OVMF_REF['uptime']:.2f} s, smallest -m "
          f"{LINUX_OVMF_REF['min_mem']}M; RayOS/Linux(OVMF) boot ratio "
          f"{ratio(res['rayos_boot'], LINUX_OVMF_REF['boot'])}.")
    # Storage figures: their own module and table (tools/bench_storage.py).
    import bench_storage
    bench_storage.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
