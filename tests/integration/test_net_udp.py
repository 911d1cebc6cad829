"""UDP and ping sockets on RayOS with a static address (ip= boot parameter):
the t-udp self-checks over loopback, datagrams to and from the LAN host
(small ones, and 4000-byte ones that are fragmented both ways), RayOS's
ping tool against the LAN host, and the interface/route tools."""
import os
import re
import socket
import sys
import threading

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "net"))
from rayos_qemu import Machine  # noqa: E402
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
            m.close()


ECHO_SERVER = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.1", int(sys.argv[1])))
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
"""

CLIENT = r"""
import socket, sys
host, port, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
ok = 0
for i in range(n):
    msg = bytes((i + j) & 255 for j in range(size))
    for attempt in range(5):
        s.sendto(msg, (host, port))
        try:
            data, _ = s.recvfrom(65535)
        except socket.timeout:
            continue
        if data == msg:
            ok += 1
        break
print("ok", ok)
"""


def test_udp_self_checks(lan):
    _, m = lan
    out = m.run("t-udp; echo status=$?", timeout=60)
    assert "FAIL" not in out and "status=0" in out, out
    assert out.count("PASS") >= 25


@pytest.mark.parametrize("size", [100, 4000])
def test_rayos_client_lan_host_echo_server(lan, size):
    bed, m = lan
    bed.popen(["/usr/bin/python3", "-c", ECHO_SERVER, str(7000 + size)])
    out = m.run(f"t-udp client 10.77.0.1 {7000 + size} 30 {size}", timeout=90)
    assert re.search(r"^ok 30 ", out, re.M), out


@pytest.mark.parametrize("size", [100, 4000])
def test_lan_host_client_rayos_echo_server(lan, size):
    bed, m = lan
    m.sendline(f"t-udp echo 9000 20 &")
    m.expect("echo: listening on 9000")
    r = bed.ns_run(["/usr/bin/python3", "-c", CLIENT, bed.guest_ip(0), "9000", "20",
                    str(size)], timeout=120)
    assert "ok 20" in r.stdout, r.stdout
    m.expect("echoed 20", timeout=30)
    m.run("wait")


def test_proc_net_udp_lists_a_bound_socket(lan):
    _, m = lan
    m.sendline("t-udp echo 5353 1 &")
    m.expect("listening on 5353")
    out = m.run("cat /proc/net/udp")
    # 0.0.0.0:5353 unconnected (state 07), as Linux prints it.
    assert re.search(r"^\s*\d+: 00000000:14E9 00000000:0000 07 ", out, re.M), out
    m.run("t-udp client 127.0.0.1 5353 1 8; wait")


def test_ping_tool(lan):
    _, m = lan
    out = m.run("ping -c 5 -i 0.2 10.77.0.1", timeout=60)
    assert "5 packets transmitted, 5 received, 0% packet loss" in out, out
    assert re.search(r"rtt min/avg/max/mdev = [\d.]+/[\d.]+/[\d.]+/[\d.]+ ms", out), out
    assert len(re.findall(r"64 bytes from 10\.77\.0\.1: icmp_seq=\d+ time=", out)) == 5
    out = m.run("ping -c 2 -s 3000 10.77.0.1; echo status=$?", timeout=60)
    assert "2 received" in out and "status=0" in out, out
    out = m.run("ping -c 2 -i 0.2 127.0.0.1; echo status=$?", timeout=60)
    assert "2 received" in out and "status=0" in out, out
    # Nobody has 10.77.0.99: ARP gives up, ping says so and fails.
    out = m.run("ping -c 2 -W 5 10.77.0.99; echo status=$?", timeout=60)
    assert "0 received" in out and "status=1" in out, out
    assert "Destination Host Unreachable" in out, out


def test_ifconfig_and_route(lan):
    bed, m = lan
    out = m.run("ifconfig eth0")
    assert "flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500" in out, out
    assert "inet 10.77.0.31  netmask 255.255.255.0  broadcast 10.77.0.255" in out, out
    assert "ether 52:54:00:77:00:31" in out, out
    # Move to another address; the LAN host reaches the new one only.
    m.run("ifconfig eth0 10.77.0.45/24")
    assert "inet 10.77.0.45 " in m.run("ifconfig eth0")
    r = bed.ns_run(["busybox", "ping", "-c", "2", "-W", "3", "10.77.0.45"], timeout=30)
    assert "2 packets received" in r.stdout, r.stdout
    out = m.run("route -n")
    assert re.search(r"^0\.0\.0\.0 +10\.77\.0\.1 +0\.0\.0\.0 +UG ", out, re.M), out
    assert re.search(r"^10\.77\.0\.0 +0\.0\.0\.0 +255\.255\.255\.0 +U ", out, re.M), out
    assert m.status("route del default gw 10.77.0.1") == 0
    assert "10.77.0.1" not in m.run("route -n")
    assert m.status("route add default gw 10.77.0.1") == 0
    assert "UG" in m.run("route -n")
    assert m.status("route add default gw 10.77.0.1") == 1   # EEXIST
    out = m.run("ifconfig nosuch0; echo status=$?")
    assert "Device not found" in out and "status=1" in out
    m.run("ifconfig eth0 10.77.0.31/24")


PROBE = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.connect((sys.argv[1], 9))
s.send(b"anyone?")
try:
    s.recv(100)
    print("answered")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
"""


def test_closed_port_answers_port_unreachable(lan):
    # Linux turns the ICMP port unreachable RayOS sends into ECONNREFUSED.
    bed, _ = lan
    r = bed.ns_run(["/usr/bin/python3", "-c", PROBE, bed.guest_ip(0)], timeout=30)
    assert r.stdout.strip() == "refused", r.stdout
