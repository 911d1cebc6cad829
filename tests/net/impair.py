"""tests/net/impair.py - netem in user space: loss, delay and reordering
between a QEMU guest and the test bed's bridge.

This machine's kernel has no sch_netem, so the guest's NIC uses QEMU's
UDP socket backend (-netdev socket,udp=...) and this relay, run inside
the test bed's namespace, moves its Ethernet frames to and from the
guest's tap device. Each frame (ARP excepted, so neighbours still
resolve) is dropped with probability LOSS, else delivered after DELAY
plus a uniform random JITTER, which reorders frames. Both directions
are impaired alike. Seeded, so a run is repeatable.

    python3 impair.py TAP QEMU_PORT RELAY_PORT LOSS DELAY_MS JITTER_MS SEED
"""
import fcntl
import heapq
import os
import random
import select
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def main():
    tap, qport, rport = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    loss, delay, jitter = float(sys.argv[4]), float(sys.argv[5]) / 1e3, float(sys.argv[6]) / 1e3
    rnd = random.Random(int(sys.argv[7]))
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", tap.encode(), IFF_TAP | IFF_NO_PI))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", rport))
    qemu = ("127.0.0.1", qport)
    heap, n = [], 0
    print("impair: ready", flush=True)
    while True:
        now = time.monotonic()
        while heap and heap[0][0] <= now:
            _, _, to_tap, frame = heapq.heappop(heap)
            try:
                if to_tap:
                    os.write(fd, frame)
                else:
                    u.sendto(frame, qemu)
            except OSError:
                pass
        timeout = max(0.0, heap[0][0] - now) if heap else 1.0
        r, _, _ = select.select([fd, u], [], [], timeout)
        for src in r:
            if src is u:
                frame, to_tap = u.recv(65536), True
            else:
                frame, to_tap = os.read(fd, 65536), False
            is_arp = len(frame) >= 14 and frame[12:14] == b"\x08\x06"
            if not is_arp and rnd.random() < loss:
                continue
            n += 1
            due = time.monotonic() + (0 if is_arp else delay + rnd.uniform(0, jitter))
            heapq.heappush(heap, (due, n, to_tap, frame))


if __name__ == "__main__":
    main()
