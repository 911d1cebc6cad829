"""tools/bench_syscalls.py - lmbench-style system-call micro-benchmarks
(user/tests/t-lmbench.c) on RayOS and on Linux under the same QEMU, part of
`make bench` (tools/bench.sh). Prints a table with RayOS/Linux ratios.

RayOS boots its image and runs /bin/t-lmbench at the prompt. Linux is
Debian's kernel (/boot/vmlinuz-*) booted directly with an initramfs of
busybox and the same t-lmbench binary; its /init mounts /proc and a tmpfs
on /tmp, runs the benchmark and powers off. One run each (each figure is
already the last of a series lasting at least 0.3 s; see t-lmbench.c).
Every QEMU runs under `timeout -s KILL` and is killed in a finally block.
"""
import glob
import os
import re
import shutil
import sys
import tempfile

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from rayos_qemu import Machine, cpio_newc  # noqa: E402

BIN = os.path.join(ROOT, "build", "user", "t-lmbench")
LINE = re.compile(r"BENCH (\S+) ([0-9.]+) (\S+)")
TIMEOUT = 1200


def parse(text):
    return {m.group(1): (float(m.group(2)), m.group(3)) for m in LINE.finditer(text)}


def rayos():
    m = Machine(mem="256M", deadline=TIMEOUT + 120)
    try:
        m.start()
        m.boot_to_prompt()
        return parse(m.run("/bin/t-lmbench /tmp", timeout=TIMEOUT))
    except (pexpect.TIMEOUT, pexpect.EOF):
        return {}
    finally:
        m.close()


def linux(kernel, tmp):
    bb = shutil.which("busybox") or "/bin/busybox"
    with open(bb, "rb") as f:
        busybox = f.read()
    with open(BIN, "rb") as f:
        bench = f.read()
    init = (b"#!/bin/busybox sh\n"
            b"/bin/busybox mount -t proc proc /proc\n"
            b"/bin/busybox mount -t tmpfs tmpfs /tmp\n"
            b"/bin/t-lmbench /tmp\n"
            b"/bin/busybox poweroff -f\n")
    entries = [
        ("bin", 0o40755, b""),
        ("bin/busybox", 0o100755, busybox),
        ("bin/t-lmbench", 0o100755, bench),
        ("dev", 0o40755, b""),
        ("dev/console", 0o20600, b"", 5, 1),
        ("proc", 0o40755, b""),
        ("tmp", 0o41777, b""),
        ("init", 0o100755, init),
    ]
    initrd = os.path.join(tmp, "lmbench-initrd.cpio")
    with open(initrd, "wb") as f:
        f.write(cpio_newc(entries))
    cmd = ["timeout", "-s", "KILL", str(TIMEOUT + 60), "qemu-system-x86_64",
           "-machine", "q35", "-m", "512M", "-display", "none", "-no-reboot",
           "-nic", "none", "-serial", "stdio", "-monitor", "none",
           "-kernel", kernel, "-initrd", initrd,
           "-append", "console=ttyS0 quiet panic=-1"]
    child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                          codec_errors="replace", timeout=TIMEOUT)
    try:
        child.expect("BENCH-DONE", timeout=TIMEOUT)
        return parse(child.before)
    except (pexpect.TIMEOUT, pexpect.EOF):
        return {}
    finally:
        if child.isalive():
            child.kill(9)
        child.close(force=True)


def main():
    if not os.path.exists(BIN):
        sys.exit("bench_syscalls: build/user/t-lmbench missing; run make first")
    print("system calls: RayOS ...", file=sys.stderr, flush=True)
    r = rayos()
    kernels = sorted(glob.glob("/boot/vmlinuz-*"))
    lx = {}
    if kernels:
        print(f"system calls: Linux {os.path.basename(kernels[-1])} ...",
              file=sys.stderr, flush=True)
        tmp = tempfile.mkdtemp(prefix="rayos-bench-lmbench.")
        try:
            lx = linux(kernels[-1], tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    names = list(r) or list(lx)
    w = max([len(n) for n in names] + [10])
    print()
    print(f"{'benchmark':{w}}  {'RayOS':>12}  {'Linux':>12}  {'RayOS/Linux':>11}")
    for n in names:
        a, b = r.get(n), lx.get(n)
        fa = f"{a[0]:.2f} {a[1]}" if a else "n/a"
        fb = f"{b[0]:.2f} {b[1]}" if b else "n/a"
        ra = f"{a[0] / b[0]:.2f}x" if a and b and b[0] else "n/a"
        print(f"{n:{w}}  {fa:>12}  {fb:>12}  {ra:>11}")
    print("(lower is better; QEMU TCG, one CPU, same binary on both)")
    return 0 if r else 1


if __name__ == "__main__":
    sys.exit(main())
