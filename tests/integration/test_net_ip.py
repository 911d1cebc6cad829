"""The IPv4 core on virtio-net: with an address from the ip= boot parameter,
the LAN host of an isolated test bed (tests/net/testbed.py) pings RayOS -
small echoes and ones large enough to be fragmented both ways (our
reassembly, then our fragmentation of the reply). Every frame captured on
the test bed stays inside it. Then the same on an e1000, whose checksum
offload (context descriptors) fills in UDP checksums that the LAN host
accepts and tcpdump finds correct, and whose segmentation offload (TSO)
cuts TCP packets of up to 64 KiB into correct MSS-sized frames."""
import os
import re
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "net"))
from rayos_qemu import PROMPT, Machine  # noqa: E402
from lan_tcp import TCP_SEND, download, offload_counters, upload  # noqa: E402
from testbed import TestBed, unavailable  # noqa: E402

pytestmark = [pytest.mark.rayos_only,
              pytest.mark.skipif(unavailable() is not None, reason=str(unavailable()))]


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
            if os.environ.get("RAYOS_TEST_LOG"):
                print(m.log()[-4000:])
            m.close()


def ping(bed, *args):
    r = bed.ns_run(["busybox", "ping", *args, TestBed.guest_ip(0)], timeout=120)
    m = re.search(r"(\d+) packets transmitted, (\d+) packets received", r.stdout)
    assert m, r.stdout
    return int(m.group(1)), int(m.group(2)), r.stdout


def test_driver_and_interface_came_up(lan):
    bed, m = lan
    log = m.run("dmesg")
    assert re.search(r"virtio-net: eth0: queues \d+/\d+", log), log
    assert "52:54:00:77:00:31" in log


def test_lan_host_pings_rayos_without_loss(lan):
    bed, _ = lan
    sent, got, out = ping(bed, "-c", "20", "-i", "0.2", "-W", "5")
    assert (sent, got) == (20, 20), out


def test_fragmented_echo_both_ways(lan):
    # 4000 bytes: three fragments to RayOS, reassembled; the reply is as
    # large, so RayOS fragments it and Linux reassembles it.
    bed, _ = lan
    sent, got, out = ping(bed, "-c", "5", "-s", "4000", "-W", "5")
    assert (sent, got) == (5, 5), out
    # A reply larger than 64 KiB cannot exist; the largest legal one works.
    sent, got, out = ping(bed, "-c", "2", "-s", "65000", "-W", "10")
    assert (sent, got) == (2, 2), out


def test_traffic_stays_in_the_test_bed(lan):
    bed, _ = lan
    frames, outside = bed.check_capture()
    assert frames > 0
    assert outside == [], outside[:5]


def test_proc_net_files(lan):
    bed, m = lan
    dev = m.run("cat /proc/net/dev")
    line = [l for l in dev.splitlines() if l.strip().startswith("eth0:")]
    assert line, dev
    rx_bytes, rx_packets = (int(x) for x in line[0].split(":")[1].split()[:2])
    assert rx_packets > 20 and rx_bytes > 4000 * 5, line
    arp = m.run("cat /proc/net/arp")
    assert re.search(r"^10\.77\.0\.1 +0x1 +0x2 ", arp, re.M), arp
    route = m.run("cat /proc/net/route")
    # 10.77.0.0/24 on eth0, default via 10.77.0.1 (raw little-endian hex).
    assert re.search(r"^eth0\t00004D0A\t00000000\t0001\t.*\t00FFFFFF", route, re.M), route
    assert re.search(r"^eth0\t00000000\t01004D0A\t0003\t", route, re.M), route


def test_e1000_ping(tmp_path):
    with TestBed(guests=1, dhcp=False) as bed:
        img = bed.boot_cfg_image(tmp_path, TestBed.ip_param(0))
        with Machine(image=img, netns=bed.ns,
                     extra=bed.nic_args(0, model="e1000")) as m:
            m.boot_to_prompt()
            assert "e1000: eth0: 82540EM" in m.run("dmesg")
            sent, got, out = ping(bed, "-c", "10", "-i", "0.2", "-W", "5")
            assert (sent, got) == (10, 10), out
            sent, got, out = ping(bed, "-c", "3", "-s", "3000", "-W", "5")
            assert (sent, got) == (3, 3), out
        frames, outside = bed.check_capture()
        assert outside == [], outside[:5]


UDP_ECHO = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.1", int(sys.argv[1])))
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
"""


def test_e1000_checksum_offload(tmp_path):
    """UDP datagrams from RayOS leave the e1000 with checksums the
    controller filled in (TXSM, offsets from a context descriptor): the
    driver counts each one, the LAN host's kernel - which drops a datagram
    with a wrong checksum - echoes every one, and tcpdump checks each
    captured small one. TCP both ways (software checksums, receive checksum
    offload enabled) still carries a checked pattern."""
    with TestBed(guests=1, dhcp=False) as bed:
        img = bed.boot_cfg_image(tmp_path, TestBed.ip_param(0))
        with Machine(image=img, netns=bed.ns,
                     extra=bed.nic_args(0, model="e1000")) as m:
            m.boot_to_prompt()
            assert "checksum offload tx on" in m.run("dmesg | grep e1000")
            c = offload_counters(m)
            tx0, bad0 = c["tx_csum_offload"], c["rx_csum_bad"]
            bed.popen(["/usr/bin/python3", "-c", UDP_ECHO, "7100"])
            for size in (64, 1400):
                out = m.run(f"t-udp client 10.77.0.1 7100 30 {size}", timeout=90)
                assert re.search(r"^ok 30 ", out, re.M), out
            c = offload_counters(m)
            tx1, bad1 = c["tx_csum_offload"], c["rx_csum_bad"]
            assert tx1 - tx0 >= 60, (tx0, tx1)
            assert bad1 == bad0 == 0
            # TCP both ways through the same rings (a context descriptor
            # sits between UDP and non-offloaded frames).
            m.sendline("t-tcp recv 6500 1048576")
            m.expect("listening")
            r = bed.ns_run(["/usr/bin/python3", "-c", TCP_SEND, "6500", "1048576"],
                           timeout=300)
            assert "sent" in r.stdout, r.stdout
            m.expect(r"recv ok: 1048576 bytes, 0 bad", timeout=120)
            m.expect(PROMPT)
            bed.popen(["/usr/bin/python3", "-c", UDP_ECHO, "7101"])
            out = m.run("t-udp client 10.77.0.1 7101 5 64", timeout=90)
            assert re.search(r"^ok 5 ", out, re.M), out
        # libpcap hands tcpdump packets in blocks the kernel retires up to
        # a second after their first packet; stopping at once loses the
        # last block.
        time.sleep(2.5)
        bed.stop_capture()
        r = subprocess.run(["tcpdump", "-r", bed.pcap, "-n", "-vv",
                            f"udp and src host {TestBed.guest_ip(0)}"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True, timeout=60)
        assert r.stdout.count("[udp sum ok]") >= 35, r.stdout[-2000:]
        assert "bad udp cksum" not in r.stdout, r.stdout[-2000:]




def test_e1000_tso(tmp_path):
    """TCP segmentation offload on the e1000: an 8 MiB upload to the LAN
    host leaves the stack as packets of up to 64 KiB (tx_tso counts them,
    far fewer than the 5700 MSS-sized segments they make) that the
    controller cuts. The LAN host checks the pattern; a full capture shows
    every segment the guest sent fits the MTU, carries TCP and IP
    checksums tcpdump finds correct, and a fresh IP id (the controller
    numbers a packet's segments on from its id: ip_output reserves them)."""
    with TestBed(guests=1, dhcp=False) as bed:
        img = bed.boot_cfg_image(tmp_path, TestBed.ip_param(0))
        pcap = os.path.join(bed.tmp, "tso.pcap")
        cap = bed.popen(["tcpdump", "-i", "br0", "-n", "-U", "-s", "0", "-w", pcap,
                         f"tcp and src host {TestBed.guest_ip(0)}"])
        with Machine(image=img, netns=bed.ns, mem="512M",
                     extra=bed.nic_args(0, model="e1000")) as m:
            m.boot_to_prompt()
            assert re.search(r"e1000: eth0: .*tso on", m.run("dmesg | grep e1000"))
            n = 8 << 20
            t0 = offload_counters(m)["tx_tso"]
            got = upload(bed, m, 6210, n, TestBed.host_ip)
            assert f"recv {n} ok" in got, got
            sent = offload_counters(m)["tx_tso"] - t0
            assert 0 < sent < n // 1460, sent
        time.sleep(2.5)   # libpcap's last block (see above)
        os.killpg(cap.pid, signal.SIGINT)
        cap.wait(timeout=10)
        r = subprocess.run(["tcpdump", "-r", pcap, "-n", "-vv"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, timeout=120)
        # -vv: an IP header line (id, length, "bad cksum" when wrong), then
        # the TCP line with "cksum 0x... (correct)" or "(incorrect -> ...)".
        ids = [int(x) for x in re.findall(r"\bid (\d+),", r.stdout)]
        lens = [int(x) for x in re.findall(r"proto TCP \(6\), length (\d+)", r.stdout)]
        sums = re.findall(r"cksum 0x[0-9a-f]+ \((correct|incorrect)", r.stdout)
        assert len(ids) > n // 1460 and len(ids) == len(lens) == len(sums), \
            (len(ids), len(lens), len(sums))
        assert max(lens) <= 1500, max(lens)
        assert "bad cksum" not in r.stdout
        assert sums.count("correct") == len(sums), sums.count("incorrect")
        assert len(set(ids)) == len(ids), "IP ids repeat"


def test_e1000_receive_coalescing(tmp_path):
    """The e1000 driver hands what one interrupt takes to GRO
    (kernel/net/gro.c), which merges in-order TCP segments (checking each
    one's checksum, which QEMU's model never does) into one segment for
    TCP (rx_gro counts them): an 8 MiB download
    arrives intact, then a 1 MiB upload in the same boot still does."""
    with TestBed(guests=1, dhcp=False) as bed:
        img = bed.boot_cfg_image(tmp_path, TestBed.ip_param(0))
        with Machine(image=img, netns=bed.ns, mem="512M",
                     extra=bed.nic_args(0, model="e1000")) as m:
            m.boot_to_prompt()
            r0 = offload_counters(m)["rx_gro"]
            assert download(bed, m, 6220, 8 << 20, PROMPT)
            assert offload_counters(m)["rx_gro"] > r0
            got = upload(bed, m, 6221, 1 << 20, TestBed.host_ip)
            assert f"recv {1 << 20} ok" in got, got
