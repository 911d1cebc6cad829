"""tools/bench_storage.py - the storage figures of `make bench` (called by
tools/bench.py): on one scratch ext2 disk (256 MiB, `mke2fs -t ext2 -T
default`: 4 KiB blocks, 256-byte inodes), attached as a second virtio-blk
disk with cache=unsafe, the static t-fsbench (user/tests/t-fsbench.c) runs
on RayOS and on Debian's Linux (ext2 served by ext4.ko) under the same
QEMU:

  seqwrite   64 MiB in 1 MiB writes + fsync          MB/s
  seqread    the same file after a remount (cold)    MB/s
  create     2000 files of 100 bytes                  files/s
  lsl        readdir + lstat of those 2000 ("ls -l") ms
  delete     unlink the 2000 files                    files/s

Each side uses a fresh copy of the same freshly made disk. One run per
system (BENCH_STORAGE_RUNS=n for the median of n). Every QEMU is bounded
by `timeout -s KILL` and killed in a finally block.
"""
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from rayos_qemu import Machine, cpio_newc  # noqa: E402

FSBENCH = os.path.join(ROOT, "build", "user", "t-fsbench")
RUNS = int(os.environ.get("BENCH_STORAGE_RUNS", "1"))
METRICS = [("seqwrite", "MB/s", True), ("seqread", "MB/s", True),
           ("create", "files/s", True), ("lsl", "ms", False),
           ("delete", "files/s", True)]
LINUX_MODULES = [
    "drivers/virtio/virtio_ring", "drivers/virtio/virtio",
    "drivers/virtio/virtio_pci_legacy_dev", "drivers/virtio/virtio_pci_modern_dev",
    "drivers/virtio/virtio_pci", "drivers/block/virtio_blk",
    "lib/crc16", "fs/mbcache", "fs/jbd2/jbd2", "crypto/crc32c_generic", "fs/ext4/ext4",
]


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def make_disk(path):
    subprocess.run(["truncate", "-s", "256M", path], check=True)
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-T", "default", path],
                   check=True)


def parse(text):
    return {k: float(v) for k, v in re.findall(r"BENCH (\w+) ([0-9.]+)", text)}


def disk_args(img, dev_id):
    return ["-drive", f"if=none,id={dev_id},format=raw,file={img},cache=unsafe",
            "-device", f"virtio-blk-pci,drive={dev_id}"]


def rayos_run(tmp):
    disk = os.path.join(tmp, "scratch-rayos.img")
    make_disk(disk)
    m = Machine(extra=disk_args(disk, "disk1"), deadline=900)
    try:
        m.start()
        m.boot_to_prompt()
        out = ""
        steps = ["mkdir -p /mnt/b", "mount -t ext2 /dev/vdb /mnt/b",
                 "t-fsbench write /mnt/b", "umount /mnt/b",
                 "mount -t ext2 /dev/vdb /mnt/b", "t-fsbench read /mnt/b",
                 "t-fsbench files /mnt/b", "umount /mnt/b"]
        for cmd in steps:
            r = m.run(cmd, timeout=600)
            out += r
            if "BENCH" not in r and r.strip() and "mount" not in cmd:
                log(f"RayOS: {cmd}: {r.strip()[:200]}")
        return parse(out)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        log(f"RayOS storage run failed: {type(e).__name__}")
        return {}
    finally:
        m.close()


def linux_initrd(path, kver):
    bb = shutil.which("busybox") or "/bin/busybox"
    with open(bb, "rb") as f:
        busybox = f.read()
    with open(FSBENCH, "rb") as f:
        fsbench = f.read()
    entries = [("bin", 0o40755, b""), ("bin/busybox", 0o100755, busybox),
               ("bin/t-fsbench", 0o100755, fsbench), ("dev", 0o40755, b""),
               ("dev/console", 0o20600, b"", 5, 1), ("proc", 0o40755, b""),
               ("sys", 0o40755, b""), ("mnt", 0o40755, b""), ("lib", 0o40755, b"")]
    script = ["#!/bin/busybox sh", "B=/bin/busybox",
              "$B mount -t proc proc /proc", "$B mount -t sysfs sys /sys",
              "$B mount -t devtmpfs dev /dev"]
    for mod in LINUX_MODULES:
        src = f"/lib/modules/{kver}/kernel/{mod}.ko"
        name = os.path.basename(mod) + ".ko"
        with open(src, "rb") as f:
            entries.append((f"lib/{name}", 0o100644, f.read()))
        script.append(f"$B insmod /lib/{name}")
    script += [
        "i=0; while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do $B sleep 0.1; i=$((i+1)); done",
        "M='$B mount -t ext2 /dev/vda /mnt'",
        "eval $M && /bin/t-fsbench write /mnt && $B umount /mnt",
        "eval $M && /bin/t-fsbench read /mnt && /bin/t-fsbench files /mnt && $B umount /mnt",
        "echo RAYOS-BENCH-STORAGE-DONE",
        "$B poweroff -f",
    ]
    entries.append(("init", 0o100755, ("\n".join(script) + "\n").encode()))
    with open(path, "wb") as f:
        f.write(cpio_newc(entries))


def linux_run(tmp, kernel, kver):
    disk = os.path.join(tmp, "scratch-linux.img")
    make_disk(disk)
    initrd = os.path.join(tmp, "storage-initrd.cpio")
    linux_initrd(initrd, kver)
    cmd = ["timeout", "-s", "KILL", "900", "qemu-system-x86_64",
           "-machine", "q35", "-m", "256M", "-display", "none", "-no-reboot",
           "-nic", "none", "-serial", "stdio", "-monitor", "none",
           "-kernel", kernel, "-initrd", initrd,
           "-append", "console=ttyS0 quiet panic=-1"] + disk_args(disk, "disk1")
    child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                          codec_errors="replace", timeout=600)
    out = ""
    try:
        child.expect("RAYOS-BENCH-STORAGE-DONE", timeout=600)
        out = child.before
    except (pexpect.TIMEOUT, pexpect.EOF):
        log("Linux storage run failed: " + (child.before or "")[-500:])
    finally:
        if child.isalive():
            child.kill(9)
        child.close(force=True)
    return parse(out)


def median_runs(fn):
    runs = [fn() for _ in range(RUNS)]
    res = {}
    for name, _, _ in METRICS:
        vals = [r[name] for r in runs if name in r]
        res[name] = statistics.median(vals) if vals else None
    return res


def main():
    if not os.path.exists(FSBENCH):
        sys.exit("bench: build/user/t-fsbench missing; run make first")
    tmp = tempfile.mkdtemp(prefix="rayos-bench-storage.")
    try:
        log("(e) storage: RayOS on a scratch ext2 disk ...")
        rayos = median_runs(lambda: rayos_run(tmp))
        kernels = sorted(glob.glob("/boot/vmlinuz-*"))
        linux = {}
        if kernels:
            kernel = kernels[-1]
            kver = os.path.basename(kernel)[len("vmlinuz-"):]
            log(f"(e) storage: Linux {kver} on the same disk ...")
            linux = median_runs(lambda: linux_run(tmp, kernel, kver))
        else:
            log("(e) storage: no /boot/vmlinuz-*: Linux reference skipped")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(f"{'storage (ext2, 256 MiB virtio disk)':36}  {'RayOS':>10}  {'Linux':>10}  {'RayOS/Linux':>11}")
    for name, unit, higher_better in METRICS:
        a, b = rayos.get(name), linux.get(name)
        fa = "n/a" if a is None else f"{a:.1f}"
        fb = "n/a" if b is None else f"{b:.1f}"
        r = "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"
        print(f"{name + ' (' + unit + ')':36}  {fa:>10}  {fb:>10}  {r:>11}")
    print("RayOS/Linux above 1 is better for MB/s and files/s, below 1 for ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
