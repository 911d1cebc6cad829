"""tools/bench_net.py - network benchmarks of `make bench` (run by
tools/bench.sh after tools/bench.py): RayOS against Debian's Linux kernel
as a guest of the same QEMU, on the same isolated test bed
(tests/net/testbed.py), for each NIC configuration:

  virtio-net with its offloads (QEMU's defaults), virtio-net with every
  offload off, and e1000.

For each configuration and each OS two guests boot on one test bed
(10.77.0.31 and .32, addresses from the start: RayOS's ip= boot
parameter, Linux's /init runs `ip addr add`), both run
`t-netbench serve` (user/tests/t-netbench.c: the same static musl binary
on both OSes), and the LAN host measures against the second:

  ping       busybox ping, 40 echoes 0.1 s apart after 5 warm-up ones;
             the median round trip
  TCP up     guest -> LAN host: the host reads BENCH_NET_MB MiB (default
             32) from the guest's source port, 64 KiB per recv
  TCP down   LAN host -> guest: the host writes as much into the guest's
             sink, 64 KiB per send, then waits for its close
  connects   the host opens and closes 200 connections one after another
             to the guest's accept-and-close port; connections per second
  guest->guest   the first guest runs `t-netbench put` into the second's
             sink: RayOS<->RayOS against Linux<->Linux
  ping, CPU busy   the ping again while the second guest runs a CPU-bound
             shell loop (last: the loop keeps running)

Throughput and connects are timed on the LAN host (guest->guest in the
sending guest; CLOCK_MONOTONIC follows host time under TCG); each is the
median of BENCH_RUNS (default 3) runs in the same boot. The two OSes run
back to back for each configuration so that they see the same machine
load. Ratios are RayOS/Linux: aim at >= 1 for throughput and connects,
<= 1 for ping.

The Linux guest boots directly (-kernel/-initrd) with a busybox
initramfs that loads the NIC's modules from /lib/modules (virtio_ring,
virtio, virtio_pci*, failover, net_failover, virtio_net; or e1000), same
-machine q35 -m 512M and one CPU as RayOS. Every QEMU runs under
`timeout -s KILL` and is killed in a finally block; the test bed tears
itself down. Needs root and /dev/net/tun (else skipped).
BENCH_NET_CONFIGS=0,2 picks configurations by index; BENCH_NET_LINUX=0
measures RayOS alone (for quick before/after comparisons while working).
"""
import glob
import os
import re
import shutil
import statistics
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
NETBENCH = os.path.join(ROOT, "build", "user", "t-netbench")
LINUX_READY = "RAYOS-BENCH-NET-READY"
LINUX_PROMPT = "LNXBENCH# "
PINGS = int(os.environ.get("BENCH_PINGS", "40"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SIZE = int(os.environ.get("BENCH_NET_MB", "32")) << 20
NCONNECT = 200
PORT = 5001
TIMEOUT = 600

# The LAN host's side: one measurement, one line "result X".
HOST_CLIENT = r"""
import socket, sys, time
mode, ip, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def conn(p):
    end = time.monotonic() + 20    # the guest's server may still be starting
    while True:
        try:
            return socket.create_connection((ip, p), timeout=60)
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)
conn(port + 2).close()
if mode == "get":
    buf = bytearray(65536); view = memoryview(buf); got = 0
    t0 = time.monotonic()
    s = conn(port + 1)
    while got < n:
        r = s.recv_into(view, min(65536, n - got))
        if not r:
            sys.exit("EOF after %d bytes" % got)
        got += r
    t = time.monotonic() - t0
    s.close()
    print("result", n / t / 1e6)
elif mode == "put":
    buf = bytes((i * 131 + (i >> 12) + 9) & 255 for i in range(65536))
    t0 = time.monotonic()
    s = conn(port); sent = 0
    while sent < n:
        k = min(65536, n - sent)
        s.sendall(buf[:k])
        sent += k
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    t = time.monotonic() - t0
    s.close()
    print("result", n / t / 1e6)
else:
    t0 = time.monotonic()
    for i in range(n):
        socket.create_connection((ip, port + 2), timeout=30).close()
    print("result", n / (time.monotonic() - t0))
"""


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


def host_measure(bed, mode, ip, n):
    r = bed.ns_run(["/usr/bin/python3", "-c", HOST_CLIENT, mode, ip, str(PORT), str(n)],
                   timeout=TIMEOUT)
    m = re.search(r"^result ([\d.e+]+)$", r.stdout, re.M)
    if not m:
        log(f"  {mode} failed: {r.stdout.strip()[-300:]}")
        return None
    return float(m.group(1))


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if len(xs) == RUNS else None


def measure(bed, guests):
    """guests[0] and guests[1] serve; returns the figures of one OS."""
    ip = bed.guest_ip(1)
    res = {"ping": ping_median(bed, ip)}
    log(f"  ping {res['ping']}")
    for key, mode, n in (("up", "get", SIZE), ("down", "put", SIZE),
                         ("connects", "connect", NCONNECT)):
        res[key] = median([host_measure(bed, mode, ip, n) for _ in range(RUNS)])
        log(f"  {key} {res[key]}")
    res["pair"] = median([guests[0].put(ip, SIZE) for _ in range(RUNS)])
    log(f"  guest->guest {res['pair']}")
    guests[1].shell(SPIN)
    res["ping_busy"] = ping_median(bed, ip)
    log(f"  ping, guest CPU busy {res['ping_busy']}")
    return res


# A CPU-bound shell loop in the guest being pinged, for "ping, CPU busy":
# how soon a busy guest gets to the frames it received.
SPIN = "sh -c 'while :; do :; done' > /dev/null &"

PUT_LINE = r"netbench: put \d+ bytes in [\d.]+ s, ([\d.]+) MB/s"


class RayGuest:
    def __init__(self, bed, i, model, opts, tmp):
        img = bed.boot_cfg_image(tempfile.mkdtemp(dir=tmp), TestBed.ip_param(i))
        self.m = Machine(image=img, netns=bed.ns, mem="512M", deadline=3 * 3600,
                         extra=bed.nic_args(i, model, opts))

    def start(self):
        self.m.start()
        self.m.boot_to_prompt()
        self.m.run(f"t-netbench serve {PORT} > /dev/null &")

    def put(self, ip, n):
        out = self.m.run(f"t-netbench put {ip} {PORT} {n}", timeout=TIMEOUT)
        m = re.search(PUT_LINE, out)
        if not m:
            log(f"  put failed: {out.strip()[-300:]}")
        return float(m.group(1)) if m else None

    def shell(self, cmd):
        self.m.run(cmd)

    def close(self):
        self.m.close()


def linux_initrd(path, kver, modules, ip):
    bb = shutil.which("busybox") or "/bin/busybox"
    with open(bb, "rb") as f:
        busybox = f.read()
    with open(NETBENCH, "rb") as f:
        netbench = f.read()
    entries = [("bin", 0o40755), ("bin/busybox", 0o100755, busybox),
               ("bin/t-netbench", 0o100755, netbench), ("dev", 0o40755),
               ("dev/console", 0o20600, b"", 5, 1),
               # sh gives a background command /dev/null as its stdin
               ("dev/null", 0o20666, b"", 1, 3),
               ("proc", 0o40755), ("sys", 0o40755), ("mod", 0o40755)]
    script = "#!/bin/busybox sh\n/bin/busybox mount -t proc proc /proc\n" \
             "/bin/busybox mount -t sysfs sys /sys\n"
    for i, mod in enumerate(modules):
        with open(f"/lib/modules/{kver}/{mod}", "rb") as f:
            entries.append((f"mod/{i}.ko", 0o100644, f.read()))
        script += f"/bin/busybox insmod /mod/{i}.ko\n"
    script += ("/bin/busybox ip link set lo up\n"
               "/bin/busybox ip link set eth0 up\n"
               f"/bin/busybox ip addr add {ip}/24 dev eth0\n"
               f"/bin/t-netbench serve {PORT} &\n"
               f"echo {LINUX_READY}\n"
               f"export PS1='{LINUX_PROMPT}'\n"
               "exec /bin/busybox sh\n")
    entries.append(("init", 0o100755, script.encode()))
    with open(path, "wb") as f:
        f.write(cpio_newc(entries))


class LinuxGuest:
    def __init__(self, bed, i, model, opts, tmp, kernel):
        kver = os.path.basename(kernel)[len("vmlinuz-"):]
        initrd = os.path.join(tmp, f"linux-{model}-{i}.cpio")
        linux_initrd(initrd, kver, E1000_MODULES if model == "e1000" else VIRTIO_MODULES,
                     bed.guest_ip(i))
        self.cmd = ["ip", "netns", "exec", bed.ns, "timeout", "-s", "KILL", str(3 * 3600),
                    "qemu-system-x86_64", "-machine", "q35", "-m", "512M", "-display", "none",
                    "-no-reboot", "-nic", "none", "-serial", "stdio", "-monitor", "none",
                    "-kernel", kernel, "-initrd", initrd,
                    "-append", "console=ttyS0 quiet panic=-1"] + bed.nic_args(i, model, opts)
        self.child = None

    def start(self):
        self.child = pexpect.spawn(self.cmd[0], self.cmd[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=120)
        self.child.expect(LINUX_READY, timeout=120)
        self.child.expect(LINUX_PROMPT, timeout=60)
        time.sleep(1)   # let the link come up

    def put(self, ip, n):
        self.child.sendline(f"/bin/t-netbench put {ip} {PORT} {n}")
        i = self.child.expect([PUT_LINE, r"netbench: (connect|write|read)[^\r\n]*\r?\n"],
                              timeout=TIMEOUT)
        ok = i == 0
        v = float(self.child.match.group(1)) if ok else None
        if not ok:
            log(f"  put failed: {self.child.after}")
        self.child.expect(LINUX_PROMPT, timeout=60)
        return v

    def shell(self, cmd):
        self.child.sendline(cmd)
        self.child.expect(LINUX_PROMPT, timeout=60)

    def close(self):
        if self.child is None:
            return
        if self.child.isalive():
            self.child.kill(9)
        self.child.close(force=True)


def run_os(make_guest, model, opts, tmp):
    with TestBed(guests=2, dhcp=False, capture=False) as bed:
        guests = [make_guest(bed, i, model, opts, tmp) for i in range(2)]
        try:
            for g in guests:
                g.start()
            return measure(bed, guests)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            log(f"  failed: {e!r}"[:400])
            return {}
        finally:
            for g in guests:
                g.close()


ROWS = [("ping", "ping RTT median", "ms", 3), ("up", "TCP guest->LAN host", "MB/s", 1),
        ("down", "TCP LAN host->guest", "MB/s", 1), ("connects", "connects/s", "", 0),
        ("pair", "TCP guest->guest", "MB/s", 1),
        ("ping_busy", "ping RTT median, guest CPU busy", "ms", 3)]


def fmt(v, unit, digits):
    return "n/a" if v is None else f"{v:.{digits}f} {unit}".strip()


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def main():
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun"):
        log("skipped: needs root and /dev/net/tun for the test bed")
        return 0
    if not os.path.exists(NETBENCH):
        log(f"skipped: {NETBENCH} is missing (make all)")
        return 0
    kernels = sorted(glob.glob("/boot/vmlinuz-*"))
    if os.environ.get("BENCH_NET_LINUX", "1") == "0":
        kernels = []
    pick = os.environ.get("BENCH_NET_CONFIGS")
    configs = [CONFIGS[int(i)] for i in pick.split(",")] if pick else CONFIGS
    tmp = tempfile.mkdtemp(prefix="rayos-bench-net.")
    table = []
    try:
        for name, model, opts in configs:
            log(f"{name}: RayOS ...")
            r = run_os(RayGuest, model, opts, tmp)
            lnx = {}
            if kernels:
                log(f"{name}: Linux {os.path.basename(kernels[-1])} ...")
                lnx = run_os(lambda bed, i, mo, op, t: LinuxGuest(bed, i, mo, op, t,
                                                                 kernels[-1]),
                             model, opts, tmp)
            table.append((name, r, lnx))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(f"Network, {time.strftime('%Y-%m-%d')}: RayOS against Linux "
          f"{os.path.basename(kernels[-1]) if kernels else '(none)'} on the same QEMU "
          f"and test bed; {SIZE >> 20} MiB transfers, medians of {RUNS} runs")
    print()
    print("| NIC | figure | RayOS | Linux | RayOS/Linux |")
    print("|---|---|---|---|---|")
    for name, r, lnx in table:
        for key, label, unit, digits in ROWS:
            a, b = r.get(key), lnx.get(key)
            print(f"| {name} | {label} | {fmt(a, unit, digits)} | {fmt(b, unit, digits)} "
                  f"| {ratio(a, b)} |")
    print()
    print(f"Ping: busybox ping from the LAN host, {PINGS} echoes 0.1 s apart after 5 "
          "warm-up ones. TCP: 64 KiB reads and writes on both ends (Python on the "
          "LAN host, t-netbench in the guests); guest->guest is RayOS<->RayOS against "
          "Linux<->Linux; 'CPU busy': the pinged guest runs a shell loop "
          "(`while :; do :; done`). Lower is better for ping, higher for the rest.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
