#!/usr/bin/python3
"""tests/net/hostile.py - a generator of malformed and hostile frames for
RayOS's network stack, run on the LAN host inside the test bed namespace:

    ip netns exec NS /usr/bin/python3 tests/net/hostile.py \
        --iface br0 --ip 10.77.0.31 --mac 52:54:00:77:00:31 --rounds 1

Every frame is aimed at the guest (its MAC, or broadcast). Classes:
truncated and inconsistent Ethernet/IPv4 headers, bad checksums, bad
lengths, ICMP errors quoting garbage, UDP with bad length fields,
overlapping/duplicate/oversized/never-completed fragments, TCP SYN floods
and RST/ACK injection with random sequence numbers, ARP with bad sizes,
ARP spoofing of the LAN host's address and of the guest's own address,
and random bytes. The set is deterministic (seeded) so a failure repeats.
Prints one line per class with the number of frames sent.
"""
import argparse
import random
import struct
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, Raw, conf,  # noqa: E402
                       fragment)

HOST_IP = "10.77.0.1"


def frames(ip, mac, host_mac, rnd):
    """Yield (class, frame bytes)."""
    eth = Ether(dst=mac, src=host_mac)
    base_ip = IP(src=HOST_IP, dst=ip)

    # Truncated Ethernet frames and unknown EtherTypes.
    for n in range(0, 14):
        yield "eth-trunc", bytes(eth)[:n]
    for t in (0x86dd, 0x8100, 0x88cc, 0x0000, 0xffff):
        yield "eth-type", bytes(Ether(dst=mac, src=host_mac, type=t) / Raw(b"x" * 40))

    # IPv4 headers: truncated, bad version/IHL/length/checksum.
    good = bytes(base_ip / ICMP() / Raw(b"a" * 32))
    for n in range(0, 28):
        yield "ip-trunc", bytes(eth) + good[:n]
    for _ in range(300):
        b = bytearray(good)
        which = rnd.randrange(6)
        if which == 0:
            b[0] = (rnd.randrange(16) << 4) | (b[0] & 15)      # version
        elif which == 1:
            b[0] = 0x40 | rnd.randrange(16)                     # IHL
        elif which == 2:
            struct.pack_into("!H", b, 2, rnd.randrange(65536))  # total length
        elif which == 3:
            struct.pack_into("!H", b, 10, rnd.randrange(65536))  # checksum
        elif which == 4:
            b[9] = rnd.randrange(256)                           # protocol
        else:
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        yield "ip-bad", bytes(eth) + bytes(b)
    # Martian sources and foreign destinations.
    for src in ("127.0.0.1", "255.255.255.255", "224.0.0.1", "0.0.0.0"):
        yield "ip-martian", bytes(eth / IP(src=src, dst=ip) / ICMP())
    yield "ip-not-ours", bytes(eth / IP(src=HOST_IP, dst="10.77.0.99") / ICMP())
    # IP options (valid length) and unknown protocols.
    yield "ip-options", bytes(eth / IP(src=HOST_IP, dst=ip, options=b"\x01" * 8) / ICMP())
    for proto in (0, 2, 47, 50, 132, 255):
        yield "ip-proto", bytes(eth / IP(src=HOST_IP, dst=ip, proto=proto) / Raw(b"z" * 20))

    # ICMP: bad checksums, truncated, errors quoting junk or nothing.
    for _ in range(100):
        p = base_ip / ICMP(type=8, id=rnd.randrange(65536), chksum=rnd.randrange(65536))
        yield "icmp-csum", bytes(eth / p / Raw(b"q" * rnd.randrange(64)))
    for n in range(0, 8):
        yield "icmp-trunc", bytes(eth / IP(src=HOST_IP, dst=ip, proto=1) / Raw(b"\x08" * n))
    for t in (3, 4, 5, 11, 12, 13, 17, 255):
        for code in (0, 1, 3, 4, 255):
            junk = bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 60)))
            yield "icmp-err", bytes(eth / base_ip / ICMP(type=t, code=code) / Raw(junk))
        # An error that quotes a plausible header of ours.
        quote = bytes(IP(src=ip, dst=HOST_IP, proto=17) / UDP(sport=5353, dport=9))
        yield "icmp-err", bytes(eth / base_ip / ICMP(type=t, code=3) / Raw(quote))
        quote = bytes(IP(src=ip, dst=HOST_IP, ihl=15, proto=6))[:20]
        yield "icmp-err", bytes(eth / base_ip / ICMP(type=t, code=4) / Raw(quote))

    # UDP: bad length fields and checksums, closed ports.
    for _ in range(200):
        payload = b"u" * rnd.randrange(0, 100)
        u = UDP(sport=rnd.randrange(1, 65536), dport=rnd.randrange(1, 65536))
        b = bytearray(bytes(base_ip / u / Raw(payload)))
        which = rnd.randrange(3)
        if which == 0:
            struct.pack_into("!H", b, 24, rnd.choice([0, 1, 7, 8, 9, 65535,
                                                      len(payload) + 9]))
        elif which == 1:
            struct.pack_into("!H", b, 26, rnd.randrange(1, 65536))
        yield "udp-bad", bytes(eth) + bytes(b)

    # Fragments: overlapping, duplicated, beyond 64 KiB, never completed,
    # too small, non-multiple-of-8 middle pieces.
    for i in range(60):
        big = base_ip / ICMP(id=i) / Raw(bytes(rnd.randrange(256) for _ in range(2000)))
        frs = fragment(IP(bytes(big)), fragsize=504)
        frs[1].frag = frs[1].frag - 8  # overlaps the first by 64 bytes
        for f in frs:
            yield "frag-overlap", bytes(eth / f)
    for i in range(40):
        big = IP(src=HOST_IP, dst=ip, id=1000 + i) / ICMP() / Raw(b"d" * 1500)
        frs = fragment(big, fragsize=512)
        for f in frs + frs:   # every piece twice
            yield "frag-dup", bytes(eth / f)
    for i in range(100):
        f = IP(src=HOST_IP, dst=ip, id=2000 + i, flags="MF", frag=8189, proto=1) / Raw(b"o" * 64)
        yield "frag-oversize", bytes(eth / f)
    for i in range(800):   # never completed: exercises the memory bound
        f = IP(src=HOST_IP, dst=ip, id=3000 + i, flags="MF", frag=rnd.randrange(0, 100),
               proto=17) / Raw(b"n" * 1000)
        yield "frag-incomplete", bytes(eth / f)
    for i in range(50):
        f = IP(src=HOST_IP, dst=ip, id=5000 + i, flags="MF", frag=0, proto=1) / Raw(b"s" * 13)
        yield "frag-odd", bytes(eth / f)
    for i in range(50):   # a last fragment that disagrees with an earlier one
        yield "frag-conflict", bytes(eth / IP(src=HOST_IP, dst=ip, id=6000 + i, frag=10,
                                              proto=1) / Raw(b"l" * 16))
        yield "frag-conflict", bytes(eth / IP(src=HOST_IP, dst=ip, id=6000 + i, frag=20,
                                              proto=1) / Raw(b"l" * 16))

    # TCP: SYN flood from many sources, RST/ACK injection, junk flags.
    for i in range(500):
        src = f"10.77.0.{rnd.randrange(160, 250)}"
        yield "tcp-syn", bytes(eth / IP(src=src, dst=ip) /
                               TCP(sport=rnd.randrange(1024, 65536), dport=rnd.choice([22, 80, 7, 9]),
                                   flags="S", seq=rnd.randrange(1 << 32)))
    for i in range(300):
        yield "tcp-inject", bytes(eth / base_ip /
                                  TCP(sport=rnd.randrange(1, 65536), dport=rnd.randrange(1, 65536),
                                      flags=rnd.choice(["R", "RA", "A", "FA", "PA", "SA", "FSRPAU", ""]),
                                      seq=rnd.randrange(1 << 32), ack=rnd.randrange(1 << 32)) /
                                  Raw(b"x" * rnd.randrange(0, 40)))
    for _ in range(100):
        b = bytearray(bytes(base_ip / TCP(dport=80, flags="S")))
        b[32] = rnd.randrange(256)    # data offset byte
        yield "tcp-bad", bytes(eth) + bytes(b)

    # ARP: bad sizes, spoofing the LAN host and the guest, floods.
    for hl, pl in ((0, 4), (6, 0), (6, 16), (255, 255), (8, 4)):
        a = ARP(op=1, hwsrc=host_mac, psrc=HOST_IP, pdst=ip, hwlen=hl, plen=pl)
        yield "arp-bad", bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=host_mac) / a)
    for n in range(0, 28):
        yield "arp-trunc", bytes(Ether(dst=mac, src=host_mac, type=0x0806)) + \
            bytes(ARP(op=2, psrc=HOST_IP, pdst=ip))[:n]
    fake = "de:ad:be:ef:00:01"
    for i in range(50):
        # "10.77.0.1 is at de:ad:be:ef:00:01", as replies and as requests.
        yield "arp-spoof", bytes(Ether(dst=mac, src=fake) /
                                 ARP(op=2, hwsrc=fake, psrc=HOST_IP, hwdst=mac, pdst=ip))
        yield "arp-spoof", bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=fake) /
                                 ARP(op=1, hwsrc=fake, psrc=HOST_IP, pdst=HOST_IP))
        # "the guest's own address is at de:ad:be:ef:00:01".
        yield "arp-spoof", bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=fake) /
                                 ARP(op=1, hwsrc=fake, psrc=ip, pdst=ip))
        # Sender with a broadcast hardware address.
        yield "arp-spoof", bytes(Ether(dst=mac, src=fake) /
                                 ARP(op=1, hwsrc="ff:ff:ff:ff:ff:ff", psrc="10.77.0.77", pdst=ip))
    for i in range(300):  # requests for the guest from many addresses
        src = f"10.77.0.{rnd.randrange(2, 255)}"
        smac = "02:00:00:%02x:%02x:%02x" % (rnd.randrange(256), rnd.randrange(256), i & 255)
        yield "arp-flood", bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=smac) /
                                 ARP(op=1, hwsrc=smac, psrc=src, pdst=ip))

    # Random bytes behind valid Ethernet headers.
    for _ in range(300):
        t = rnd.choice([0x0800, 0x0806])
        junk = bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 200)))
        yield "random", bytes(Ether(dst=mac, src=host_mac, type=t)) + junk


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", default="br0")
    ap.add_argument("--ip", required=True)
    ap.add_argument("--mac", required=True)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--seed", type=int, default=6)
    args = ap.parse_args()
    conf.verb = 0
    with open(f"/sys/class/net/{args.iface}/address") as f:
        host_mac = f.read().strip()
    sock = conf.L2socket(iface=args.iface)
    counts = {}
    total = 0
    for r in range(args.rounds):
        rnd = random.Random(args.seed + r)
        for cls, frame in frames(args.ip, args.mac, host_mac, rnd):
            if len(frame) < 14:   # the kernel refuses to send these as is
                frame = frame + b"\0" * (14 - len(frame))
            try:
                sock.send(Raw(frame))
            except OSError:
                counts[cls + "-refused"] = counts.get(cls + "-refused", 0) + 1
                continue
            counts[cls] = counts.get(cls, 0) + 1
            total += 1
    sock.close()
    for cls, n in counts.items():
        print(f"{cls} {n}")
    print(f"total {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
