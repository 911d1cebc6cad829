"""DHCP, DNS and a second guest: RayOS gets its address from the test bed's
dnsmasq with dhcpcd (and renews the lease at the short T1 the server
gives), dhcpcd writes /etc/resolv.conf, musl's resolver then finds local
names through it (a CNAME too) and reports NXDOMAIN; ping reaches the LAN
host without loss. A second RayOS guest on the same bridge, configured
statically from /etc/network.conf by ifup, exchanges UDP datagrams and
pings with the first. No frame leaves the test bed."""
import os
import re
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "net"))
from rayos_qemu import Machine  # noqa: E402
from testbed import TestBed, unavailable  # noqa: E402

pytestmark = [pytest.mark.rayos_only,
              pytest.mark.skipif(unavailable() is not None, reason=str(unavailable()))]


@pytest.fixture(scope="module")
def lan():
    # T1 4 s, T2 7 s: renewals happen while the test runs (dnsmasq's
    # shortest lease is 2 minutes, but it hands out any T1/T2).
    with TestBed(guests=2, t1=4, t2=7, lease="2m") as bed:
        machines = []
        try:
            for i in range(2):
                m = Machine(netns=bed.ns, extra=bed.nic_args(i))
                m.start()
                machines.append(m)
            for m in machines:
                m.boot_to_prompt()
            yield bed, machines
        finally:
            for m in machines:
                m.close()


def test_dhcp_lease(lan):
    bed, (m, _) = lan
    out = m.run("dhcpcd eth0; echo status=$?", timeout=60)
    assert "status=0" in out and "forked to background" in out, out
    assert "leased 10.77.0.31, lease 120 s (renew 4 s, rebind 7 s)" in out, out
    out = m.run("ifconfig eth0")
    assert "inet 10.77.0.31  netmask 255.255.255.0  broadcast 10.77.0.255" in out, out
    assert re.search(r"^0\.0\.0\.0 +10\.77\.0\.1 +0\.0\.0\.0 +UG", m.run("route -n"), re.M)


def test_resolv_conf_written(lan):
    _, (m, _) = lan
    out = m.run("cat /etc/resolv.conf")
    assert "nameserver 10.77.0.1" in out and "search lan.test" in out, out


def test_lease_renewed(lan):
    bed, (m, _) = lan
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "renewed 10.77.0.31" in m.run("dmesg | grep dhcpcd"):
            break
        time.sleep(2)
    assert "renewed 10.77.0.31" in m.run("dmesg | grep dhcpcd")
    assert "DHCPACK(br0) 10.77.0.31" in bed.dnsmasq_log_text()


def test_ping_lan_host_no_loss(lan):
    _, (m, _) = lan
    out = m.run("ping -c 20 -i 0.2 10.77.0.1", timeout=60)
    assert "20 packets transmitted, 20 received, 0% packet loss" in out, out


def test_dns_lookups(lan):
    _, (m, _) = lan
    out = m.run("host www.lan.test; echo status=$?", timeout=30)
    assert "www.lan.test has address 10.77.0.1" in out and "status=0" in out, out
    out = m.run("host alias.lan.test", timeout=30)
    assert "alias.lan.test is an alias for www.lan.test." in out, out
    assert "www.lan.test has address 10.77.0.1" in out, out
    out = m.run("host www", timeout=30)   # through the search domain
    assert "has address 10.77.0.1" in out, out
    out = m.run("host nosuch.lan.test; echo status=$?", timeout=30)
    assert "Host nosuch.lan.test not found: 3(NXDOMAIN)" in out and "status=1" in out, out
    # /etc/hosts comes first.
    m.run("echo '10.77.0.200 fromhosts' >> /etc/hosts")
    assert "fromhosts has address 10.77.0.200" in m.run("host fromhosts", timeout=30)
    # ping resolves names too.
    out = m.run("ping -c 1 www.lan.test", timeout=30)
    assert "PING www.lan.test (10.77.0.1)" in out and "1 received" in out, out


def test_two_guests_udp_echo(lan):
    bed, (a, b) = lan
    b.run("echo 'eth0 static 10.77.0.32/24 gw 10.77.0.1 dns 10.77.0.1 domain lan.test'"
          " >> /etc/network.conf")
    assert b.status("ifup -a", timeout=60) == 0
    out = b.run("ifconfig eth0; cat /etc/resolv.conf; route -n")
    assert "inet 10.77.0.32  netmask 255.255.255.0" in out, out
    assert "nameserver 10.77.0.1" in out and "search lan.test" in out, out
    assert re.search(r"^0\.0\.0\.0 +10\.77\.0\.1 +0\.0\.0\.0 +UG", out, re.M), out
    b.sendline("t-udp echo 7777 40 &")
    b.expect("echo: listening on 7777")
    out = a.run("t-udp client 10.77.0.32 7777 20 200", timeout=120)
    assert re.search(r"^ok 20 ", out, re.M), out
    out = a.run("t-udp client 10.77.0.32 7777 20 5000", timeout=120)
    assert re.search(r"^ok 20 ", out, re.M), out
    b.expect("echoed 40", timeout=30)
    out = b.run("ping -c 3 -i 0.2 10.77.0.31", timeout=60)
    assert "3 received" in out, out


def test_capture_stays_in_the_test_bed(lan):
    bed, _ = lan
    frames, outside = bed.check_capture()
    assert frames > 50
    assert outside == [], outside[:5]
