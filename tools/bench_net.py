"""tools/bench_net.py - network benchmarks of `make bench` (run by
tools/bench.sh after tools/bench.py): RayOS against Debian's Linux kernel
as a guest of the same QEMU, on the same isolated test bed
(tests/net/testbed.py), for each NIC configuration:

  virtio-net with its offloads (QEMU's defaults), virtio-net with every
  offload off, and e1000.

Measured: ping round-trip time from the LAN host to the guest (busybox
ping, 40 echoes 0.1 s apart after 5 warm-up ones; the median). The guest
has its address from the start (RayOS: the ip= boot parameter; Linux: its
/init runs `ip addr add`), so nothing else runs in it.

The Linux guest boots directly (-kernel/-initrd) with a busybox
initramfs that loads the NIC's modules from /lib/modules (virtio_ring,
virtio, virtio_pci*, failover, net_failover, virtio_net; or e1000).
Every QEMU runs under `timeout -s KILL` and is killed in a finally block;
the test bed tears itself down. Needs root and /dev/net/tun (else skipped).
"""
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "tests", "net"))
from rayos_qemu import Machine, cpio_newc  # noqa: E402
from testbed import TestBed  # noqa: E402

OFFLOADS_OFF = ("csum=off,gso=off,guest_csum=off,guest_tso4=off,guest_tso6=off,"
                "guest_ecn=off,guest_ufo=off,host_tso4=off,host_tso6=off,"
                "host_ecn=off,host_ufo=off,mrg_rxbuf=off,event_idx=off,"
                "indirect_desc=off")
CONFIGS = [
    ("virtio-net, offloads on", "virtio-net-pci", ""),
    ("virtio-net, offloads off", "virtio-net-pci", OFFLOADS_OFF),
    ("e1000", "e1000", ""),
]
VIRTIO_MODULES = ["kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko",
                  "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
                  "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
                  "kernel/drivers/virtio/virtio_pci.ko", "kernel/net/core/failover.ko",
                  "kernel/drivers/net/net_failover.ko", "kernel/drivers/net/virtio_net.ko"]
E1000_MODULES = ["kernel/drivers/net/ethernet/intel/e1000/e1000.ko"]
LINUX_READY = "RAYOS-BENCH-NET-READY"
PINGS = int(os.environ.get("BENCH_PINGS", "40"))


def log(msg):
    print(f"bench-net: {msg}", file=sys.stderr, flush=True)


def ping_median(bed, ip):
    """Median RTT in ms of PINGS echoes from the LAN host, or None."""
    bed.ns_run(["busybox", "ping", "-c", "5", "-i", "0.2", "-W", "5", ip], timeout=60)
    r = bed.ns_run(["busybox", "ping", "-c", str(PINGS), "-i", "0.1", "-W", "5", ip],
                   timeout=120)
    times = [float(t) for t in re.findall(r"time=([\d.]+) ms", r.stdout)]
    if len(times) < PINGS * 0.9:
        log(f"  only {len(times)} of {PINGS} replies")
        return None
    return statistics.median(times)


def rayos(model, opts, tmp):
    with TestBed(guests=1, dhcp=False, capture=False) as bed:
        img = bed.boot_cfg_image(tmp, TestBed.ip_param(0))
        m = Machine(image=img, netns=bed.ns, extra=bed.nic_args(0, model, opts))
        m.start()
        try:
            m.boot_to_prompt()
            return ping_median(bed, bed.guest_ip(0))
        except Exception as e:  # noqa: BLE001 - report and go on
            log(f"  RayOS failed: {e!r}")
            return None
        finally:
            m.close()


def linux_initrd(path, kver, modules):
    bb = shutil.which("busybox") or "/bin/busybox"
    with open(bb, "rb") as f:
        busybox = f.read()
    entries = [("bin", 0o40755), ("bin/busybox", 0o100755, busybox), ("dev", 0o40755),
               ("dev/console", 0o20600, b"", 5, 1), ("proc", 0o40755), ("sys", 0o40755),
               ("mod", 0o40755)]
    script = "#!/bin/busybox sh\n/bin/busybox mount -t proc proc /proc\n" \
             "/bin/busybox mount -t sysfs sys /sys\n"
    for i, mod in enumerate(modules):
        with open(f"/lib/modules/{kver}/{mod}", "rb") as f:
            entries.append((f"mod/{i}.ko", 0o100644, f.read()))
        script += f"/bin/busybox insmod /mod/{i}.ko\n"
    script += ("/bin/busybox ip link set lo up\n"
               "/bin/busybox ip link set eth0 up\n"
               f"/bin/busybox ip addr add {TestBed.guest_ip(0)}/24 dev eth0\n"
               f"echo {LINUX_READY}\n"
               "exec /bin/busybox sleep 100000\n")
    entries.append(("init", 0o100755, script.encode()))
    with open(path, "wb") as f:
        f.write(cpio_newc(entries))


def linux(kernel, model, opts, tmp):
    kver = os.path.basename(kernel)[len("vmlinuz-"):]
    initrd = os.path.join(tmp, f"linux-{model}.cpio")
    linux_initrd(initrd, kver, E1000_MODULES if model == "e1000" else VIRTIO_MODULES)
    with TestBed(guests=1, dhcp=False, capture=False) as bed:
        cmd = ["ip", "netns", "exec", bed.ns, "timeout", "-s", "KILL", "600",
               "qemu-system-x86_64", "-machine", "q35", "-m", "512M", "-display", "none",
               "-no-reboot", "-nic", "none", "-serial", "stdio", "-monitor", "none",
               "-kernel", kernel, "-initrd", initrd,
               "-append", "console=ttyS0 quiet panic=-1"] + bed.nic_args(0, model, opts)
        child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                              timeout=120)
        try:
            child.expect(LINUX_READY, timeout=120)
            time.sleep(1)   # let the link come up
            return ping_median(bed, bed.guest_ip(0))
        except (pexpect.TIMEOUT, pexpect.EOF):
            log("  Linux did not come up")
            return None
        finally:
            if child.isalive():
                child.kill(9)
            child.close(force=True)


def fmt(v):
    return "n/a" if v is None else f"{v:.3f} ms"


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def main():
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun"):
        log("skipped: needs root and /dev/net/tun for the test bed")
        return 0
    kernels = sorted(glob.glob("/boot/vmlinuz-*"))
    tmp = tempfile.mkdtemp(prefix="rayos-bench-net.")
    rows = []
    try:
        for name, model, opts in CONFIGS:
            log(f"ping RTT, {name}: RayOS ...")
            r = rayos(model, opts, tmp)
            lnx = None
            if kernels:
                log(f"ping RTT, {name}: Linux {os.path.basename(kernels[-1])} ...")
                lnx = linux(kernels[-1], model, opts, tmp)
            rows.append((f"ping RTT median, {name}", fmt(r), fmt(lnx), ratio(r, lnx)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    w = max(len(r[0]) for r in rows)
    print()
    print(f"{'':{w}}  {'RayOS':>10}  {'Linux':>10}  {'RayOS/Linux':>11}")
    for name, a, b, rt in rows:
        print(f"{name:{w}}  {a:>10}  {b:>10}  {rt:>11}")
    print()
    print(f"Ping: busybox ping from the test bed's LAN host to the guest, {PINGS} echoes "
          "0.1 s apart after 5 warm-up ones; median. Same QEMU (TCG), same test bed; "
          "Linux booted directly with a busybox initramfs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
