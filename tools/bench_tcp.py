#!/usr/bin/python3
"""tools/bench_tcp.py - TCP figures for `make bench` (run as root: it
builds a test-bed LAN, tests/net/testbed.py).

Boots RayOS on the test bed with virtio-net and measures, with 64 KiB
writes and reads on both ends:
  upload     guest -> LAN host, `t-tcp send` to a Python receiver
  download   LAN host -> guest, a Python sender to `t-tcp recv`
  connects   LAN host connecting to a RayOS listener (nc -l -k) and
             closing, connections per second
Each figure is the median of BENCH_RUNS (default 3). The Linux reference
figures on the same QEMU and test bed are in
/work/shared/notes/network-testbed.md (virtio-net, offloads on: upload
190-385 MB/s, download 140-395 MB/s); a Linux reference guest is not
booted here.
"""
import os
import re
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "tests", "net"))
from rayos_qemu import PROMPT, Machine  # noqa: E402
from testbed import TestBed  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SIZE = 32 << 20

RECEIVER = r"""
import socket, sys, time
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("10.77.0.1", int(sys.argv[1])))
l.listen(1)
print("ready", flush=True)
c, _ = l.accept()
t0 = time.monotonic(); n = 0
while True:
    d = c.recv(65536)
    if not d:
        break
    n += len(d)
print("bytes", n, "secs", time.monotonic() - t0, flush=True)
"""

SENDER = r"""
import socket, sys, time
n = int(sys.argv[2])
s = socket.create_connection(("10.77.0.31", int(sys.argv[1])))
# pattern(i) = (i*131 + (i>>12) + 9) & 255; for a 64 KiB-aligned chunk it
# is the first chunk's bytes plus a constant, so translate() makes it.
buf = bytes((i * 131 + (i >> 12) + 9) & 255 for i in range(65536))
t0 = time.monotonic(); sent = 0
while sent < n:
    c = (sent * 131 + (sent >> 12)) & 255
    chunk = buf.translate(bytes((x + c) & 255 for x in range(256)))
    chunk = chunk[:n - sent]
    s.sendall(chunk)
    sent += len(chunk)
s.shutdown(socket.SHUT_WR)
s.recv(1)
print("secs", time.monotonic() - t0, flush=True)
"""

CONNECTS = r"""
import socket, sys, time
n = int(sys.argv[1])
t0 = time.monotonic()
for i in range(n):
    s = socket.create_connection(("10.77.0.31", 6400), timeout=30)
    s.close()
print("rate", n / (time.monotonic() - t0), flush=True)
"""


def main():
    up, down, conn = [], [], []
    with TestBed(guests=1, dhcp=False, capture=False) as bed:
        img = bed.boot_cfg_image(tempfile.mkdtemp(), TestBed.ip_param(0))
        m = Machine(image=img, netns=bed.ns, extra=bed.nic_args(0), mem="512M")
        m.start()
        try:
            m.boot_to_prompt()
            for run in range(RUNS):
                port = 6200 + run
                import subprocess
                rx = bed.popen(["/usr/bin/python3", "-c", RECEIVER, str(port)],
                               stdout=subprocess.PIPE, text=True)
                assert rx.stdout.readline().strip() == "ready"
                m.run(f"t-tcp send 10.77.0.1 {port} {SIZE}", timeout=600)
                line = rx.stdout.readline().split()
                up.append(int(line[1]) / float(line[3]) / 1e6)

                port = 6300 + run
                m.sendline(f"t-tcp recv {port} {SIZE}")
                m.expect("listening")
                bed.ns_run(["/usr/bin/python3", "-c", SENDER, str(port), str(SIZE)],
                           timeout=600)
                m.expect(r"recv ok: \d+ bytes, 0 bad, ([\d.]+) MB/s", timeout=600)
                down.append(float(m.child.match.group(1)))
                m.expect(PROMPT)

            m.run("nc -l -k 6400 > /dev/null &")
            time.sleep(1)
            for run in range(RUNS):
                r = bed.ns_run(["/usr/bin/python3", "-c", CONNECTS, "200"], timeout=600)
                conn.append(float(re.search(r"rate ([\d.]+)", r.stdout).group(1)))
        finally:
            m.close()
    print("TCP over virtio-net (RayOS guest, TCG), medians of", RUNS)
    print(f"| upload guest->LAN host | {statistics.median(up):.1f} MB/s | Linux 190-385 MB/s |")
    print(f"| download LAN host->guest | {statistics.median(down):.1f} MB/s | Linux 140-395 MB/s |")
    print(f"| connects/s (LAN host to guest) | {statistics.median(conn):.0f} | |")


if __name__ == "__main__":
    main()
