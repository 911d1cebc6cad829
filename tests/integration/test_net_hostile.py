"""Hostile input: from the LAN host, tests/net/hostile.py sends thousands of
malformed and hostile frames at RayOS (truncated and inconsistent headers,
bad checksums and lengths, overlapping/duplicate/oversized/incomplete
fragments, SYN floods, RST/ACK injection, ARP spoofing). RayOS must not
panic, must keep answering, must not leak memory (two identical rounds
leave free memory where it was), and must not let ARP spoofing redirect its
traffic for the LAN host. The same frames again at the NICs whose frames
all go through GRO (kernel/net/gro.c): virtio-net without offloads, and
e1000."""
import importlib.util
import os
import re
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "net"))
from lan_tcp import download, offload_counters  # noqa: E402
from rayos_qemu import PROMPT, Machine  # noqa: E402
from testbed import TestBed, unavailable  # noqa: E402

pytestmark = [pytest.mark.rayos_only,
              pytest.mark.skipif(unavailable() is not None, reason=str(unavailable())),
              pytest.mark.skipif(importlib.util.find_spec("scapy") is None,
                                 reason="python3-scapy is missing (tools/deps.sh)")]
HOSTILE = os.path.join(os.path.dirname(__file__), "..", "net", "hostile.py")


@pytest.fixture(scope="module")
def lan(tmp_path_factory):
    with TestBed(guests=1, dhcp=False) as bed:
        img = bed.boot_cfg_image(tmp_path_factory.mktemp("img"), TestBed.ip_param(0))
        m = Machine(image=img, netns=bed.ns, extra=bed.nic_args(0))
        m.start()
        try:
            m.boot_to_prompt()
            yield bed, m
        finally:
            m.close()


def mem_free_kb(m):
    out = m.run("grep MemFree /proc/meminfo")
    return int(re.search(r"MemFree:\s+(\d+) kB", out).group(1))


def flood(bed, seed):
    r = bed.ns_run(["/usr/bin/python3", HOSTILE, "--iface", "br0", "--ip",
                    bed.guest_ip(0), "--mac", bed.guest_mac(0), "--seed", str(seed)],
                   timeout=300)
    m = re.search(r"^total (\d+)$", r.stdout, re.M)
    assert m, r.stdout
    return int(m.group(1))


def ping_ok(bed, n=5):
    r = bed.ns_run(["busybox", "ping", "-c", str(n), "-i", "0.2", "-W", "5",
                    bed.guest_ip(0)], timeout=60)
    return f"{n} packets received" in r.stdout


def test_survives_and_does_not_leak(lan):
    bed, m = lan
    assert ping_ok(bed)
    sent = flood(bed, seed=6)
    assert sent > 3000
    time.sleep(2)
    assert ping_ok(bed), "no answer after the first round"
    after_one = mem_free_kb(m)
    flood(bed, seed=6)   # the very same frames again
    time.sleep(2)
    assert ping_ok(bed), "no answer after the second round"
    after_two = mem_free_kb(m)
    # ~4000 frames of up to 2 KiB each: leaking even a tenth would show.
    assert after_one - after_two < 512, (after_one, after_two)
    log = m.run("dmesg")
    assert "panic" not in log.lower() and "BUG" not in log
    assert "claims our address" in log


def test_counters_saw_the_junk(lan):
    _, m = lan
    dev = m.run("cat /proc/net/dev")
    eth0 = [l for l in dev.splitlines() if l.strip().startswith("eth0:")][0]
    rx_errs = int(eth0.split(":")[1].split()[2])
    assert rx_errs > 100, eth0


def test_arp_spoofing_did_not_redirect_the_lan_host(lan):
    bed, m = lan
    real = bed.ns_run(["cat", "/sys/class/net/br0/address"]).stdout.strip()
    arp = m.run("cat /proc/net/arp")
    line = [l for l in arp.splitlines() if l.startswith("10.77.0.1 ")]
    assert line and real in line[0], (real, arp)
    assert "de:ad:be:ef:00:01" not in arp


SYN_FLOOD = r"""
import random, socket, sys
from scapy.all import IP, TCP, send, conf
conf.verb = 0
random.seed(8)
# From addresses on the LAN that nobody holds: the SYN-ACKs go nowhere.
send([IP(src=f"10.77.0.{random.randrange(160, 250)}", dst=sys.argv[1]) /
      TCP(sport=random.randrange(1024, 65536), dport=6002, flags="S",
          seq=random.getrandbits(32)) for _ in range(300)], iface="br0")
s = socket.create_connection((sys.argv[1], 6002), timeout=20)
s.close()
print("connected", flush=True)
"""


def syn_recv_count(m):
    out = m.run("cat /proc/net/tcp")
    return sum(1 for l in out.splitlines()
               if len(l.split()) > 3 and l.split()[0].endswith(":") and l.split()[3] == "03")


def test_syn_flood_from_silent_addresses_leaves_the_listener_usable(lan):
    """300 SYNs from addresses that never answer fill the listener's SYN
    queue (128). A real client connecting right after must get in (the
    oldest half-open child makes room) and the listener, which accepts
    one connection, must exit; the half-open children go as soon as ARP
    gives up on their addresses (host unreachable), not after two
    minutes of SYN-ACK retransmissions."""
    bed, m = lan
    m.run("t-tcp recv 6002 0 > /tmp/flood.out 2>&1 &")
    r = bed.ns_run(["/usr/bin/python3", "-c", SYN_FLOOD, bed.guest_ip(0)], timeout=120)
    assert "connected" in r.stdout, r.stdout
    out = m.run("wait; cat /tmp/flood.out", timeout=60)
    assert "recv ok: 0 bytes, 0 bad" in out, out
    deadline = time.monotonic() + 60   # ARP gives up after 3 s
    while syn_recv_count(m) and time.monotonic() < deadline:
        time.sleep(1)
    assert syn_recv_count(m) == 0, m.run("cat /proc/net/tcp")


GRO_NICS = {
    "virtio-offloads-off": dict(opts="csum=off,gso=off,guest_csum=off,guest_tso4=off,"
                                     "guest_tso6=off,host_tso4=off,host_tso6=off,"
                                     "mrg_rxbuf=off"),
    "e1000": dict(model="e1000"),
}


@pytest.mark.parametrize("nic", sorted(GRO_NICS))
def test_survives_through_gro(tmp_path, nic):
    """The hostile frames at a NIC whose received frames all pass through
    GRO: RayOS keeps answering and does not leak, and a 4 MiB download
    after the flood arrives intact with its segments merged."""
    with TestBed(guests=1, dhcp=False) as bed:
        img = bed.boot_cfg_image(tmp_path, TestBed.ip_param(0))
        with Machine(image=img, netns=bed.ns, mem="512M",
                     extra=bed.nic_args(0, **GRO_NICS[nic])) as m:
            m.boot_to_prompt()
            assert ping_ok(bed)
            assert flood(bed, seed=7) > 3000
            time.sleep(2)
            assert ping_ok(bed), "no answer after the first round"
            after_one = mem_free_kb(m)
            flood(bed, seed=7)
            time.sleep(2)
            assert ping_ok(bed), "no answer after the second round"
            assert after_one - mem_free_kb(m) < 512
            log = m.run("dmesg")
            assert "panic" not in log.lower() and "BUG" not in log
            g0 = offload_counters(m)["rx_gro"]
            assert download(bed, m, 6230, 4 << 20, PROMPT)
            assert offload_counters(m)["rx_gro"] > g0
