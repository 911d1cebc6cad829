"""tests/net/testbed.py - an isolated LAN for RayOS guests, for the length of
a test module.

    with TestBed(guests=2) as bed:
        m = Machine(netns=bed.ns, extra=bed.nic_args(0))
        ...
        bed.ns_run(["busybox", "ping", "-c", "3", bed.guest_ip(0)])
        bed.check_capture()         # no packet left the test bed

What one TestBed builds (design: /work/shared/notes/network-testbed.md):
- a network namespace of its own (rayos-tb-PID-N) holding only lo, a bridge
  br0 with the "LAN host" address 10.77.0.1/24 and one persistent tap
  device per guest enslaved to it. No veth, no default route, no IPv6, no
  forwarding: a guest can reach only the LAN host and the other guests.
- dnsmasq on br0 with no upstream (--no-resolv, authoritative for lan.test):
  DHCP range .100-.150, a fixed address per guest MAC (.31, .32, ...), the
  names www.lan.test and alias.lan.test, short T1/T2 when asked.
- optional servers started by tests through popen(), killed at close().
- tcpdump on br0 writing a pcap, checked by check_capture().

QEMU runs inside the namespace (Machine(netns=bed.ns)) with -nodefaults
semantics for networking (-nic none plus our own -netdev tap), so no
user-mode networking exists at all.

Teardown runs even when a test fails (context manager / fixture finally):
processes we started are killed by pid (dnsmasq daemonizes into its own
session, so by its pid file), then the namespace is deleted. A namespace
left by a run whose process is gone is removed at the next start.
"""
import ipaddress
import itertools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

SUBNET = "10.77.0"
HOST_IP = SUBNET + ".1"
NETMASK = "255.255.255.0"
DOMAIN = "lan.test"
NS_PREFIX = "rayos-tb-"
_counter = itertools.count()


def _run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=30, **kw)


def _alive(pid):
    """True if pid runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("State:"):
                    return "Z" not in line.split()[1]
    except OSError:
        return False
    return False


def _kill_pid(pid, timeout=3.0):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < end:
        time.sleep(0.05)
    if _alive(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def unavailable():
    """Why a test bed cannot be built here (None when it can): it needs
    root, /dev/net/tun, iproute2, dnsmasq and tcpdump."""
    if os.geteuid() != 0:
        return "the network test bed needs root"
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun"
    for tool in ("ip", "dnsmasq", "tcpdump", "busybox"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            return f"{tool} is missing (tools/deps.sh installs it)"
    return None


def remove_stale():
    """Delete test-bed namespaces whose creating process no longer exists
    (a run that was killed before its teardown)."""
    out = _run(["ip", "netns", "list"], check=False).stdout
    for line in out.splitlines():
        name = line.split()[0] if line.split() else ""
        m = re.match(NS_PREFIX + r"(\d+)-\d+$", name)
        if m and not _alive(int(m.group(1))):
            _kill_ns_pids(name)
            _run(["ip", "netns", "del", name], check=False)


def _kill_ns_pids(ns):
    out = _run(["ip", "netns", "pids", ns], check=False).stdout
    for pid in out.split():
        if pid.isdigit():
            _kill_pid(int(pid), timeout=1.0)


class TestBed:
    """One isolated LAN. guests: how many tap devices (tap0, tap1, ...)."""
    __test__ = False  # not a pytest test class

    def __init__(self, guests=1, dhcp=True, t1=None, t2=None, lease="1h",
                 capture=True, hosts=None):
        self.nguests = guests
        self.dhcp = dhcp
        self.t1, self.t2, self.lease = t1, t2, lease
        self.capture = capture
        self.hosts = dict(hosts or {})
        self.ns = f"{NS_PREFIX}{os.getpid()}-{next(_counter)}"
        self.tmp = tempfile.mkdtemp(prefix="rayos-tb-")
        self.procs = []
        self.dnsmasq_pid = None
        self.tcpdump = None
        self.pcap = os.path.join(self.tmp, "br0.pcap")
        self.created = False

    # --- addresses -------------------------------------------------------
    host_ip = HOST_IP
    netmask = NETMASK
    domain = DOMAIN

    @staticmethod
    def guest_mac(i):
        return f"52:54:00:77:00:{0x31 + i:02x}"

    @staticmethod
    def guest_ip(i):
        """The address dnsmasq gives guest i (and the one static tests use)."""
        return f"{SUBNET}.{31 + i}"

    def tap(self, i):
        return f"tap{i}"

    def nic_args(self, i, model="virtio-net-pci", opts=""):
        """QEMU arguments attaching guest i to its tap. opts: extra device
        properties, e.g. 'csum=off,guest_csum=off'."""
        dev = f"{model},netdev=n{i},mac={self.guest_mac(i)}"
        if opts:
            dev += "," + opts
        return ["-netdev", f"tap,id=n{i},ifname={self.tap(i)},script=no,downscript=no",
                "-device", dev]

    # --- set-up and teardown ---------------------------------------------
    def ip(self, *args, check=True):
        return _run(["ip", "-n", self.ns, *args], check=check)

    def ns_cmd(self, cmd):
        return ["ip", "netns", "exec", self.ns, *cmd]

    def ns_run(self, cmd, timeout=60, check=False, **kw):
        """Run cmd on the LAN host; returns the CompletedProcess."""
        return subprocess.run(self.ns_cmd(cmd), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              timeout=timeout, check=check, **kw)

    def popen(self, cmd, **kw):
        """Start a server on the LAN host; killed at close()."""
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        p = subprocess.Popen(self.ns_cmd(cmd), start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def start(self):
        remove_stale()
        _run(["ip", "netns", "add", self.ns])
        self.created = True
        for k in ("net.ipv6.conf.all.disable_ipv6=1",
                  "net.ipv6.conf.default.disable_ipv6=1",
                  "net.ipv4.ip_forward=0"):
            self.ns_run(["sysctl", "-q", "-w", k], check=True)
        self.ip("link", "set", "lo", "up")
        self.ip("link", "add", "br0", "type", "bridge", "stp_state", "0",
                "forward_delay", "0")
        for i in range(self.nguests):
            self.ip("tuntap", "add", "dev", self.tap(i), "mode", "tap")
            self.ip("link", "set", self.tap(i), "master", "br0")
            self.ip("link", "set", self.tap(i), "up")
        self.ip("addr", "add", f"{HOST_IP}/24", "dev", "br0")
        self.ip("link", "set", "br0", "up")
        if self.capture:
            self.tcpdump = self.popen(["tcpdump", "-i", "br0", "-n", "-U", "-Z", "root", "-s", "128",
                                       "-w", self.pcap])
        self._start_dnsmasq()
        if self.capture:  # let tcpdump open the interface before traffic
            end = time.monotonic() + 5
            while not os.path.exists(self.pcap) and time.monotonic() < end:
                time.sleep(0.05)
        return self

    def _start_dnsmasq(self):
        pidfile = os.path.join(self.tmp, "dnsmasq.pid")
        self.dnsmasq_log = os.path.join(self.tmp, "dnsmasq.log")
        args = ["dnsmasq", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--no-poll", "--bind-interfaces", "--interface=br0",
                f"--listen-address={HOST_IP}", f"--domain={DOMAIN}",
                f"--local=/{DOMAIN}/", f"--auth-server=ns.{DOMAIN},br0",
                f"--auth-zone={DOMAIN},{SUBNET}.0/24",
                f"--host-record=www.{DOMAIN},{HOST_IP}",
                f"--cname=alias.{DOMAIN},www.{DOMAIN}",
                f"--pid-file={pidfile}", f"--log-facility={self.dnsmasq_log}",
                "--log-queries", "--log-dhcp"]
        for name, addr in self.hosts.items():
            args.append(f"--host-record={name},{addr}")
        if self.dhcp:
            args += [f"--dhcp-range={SUBNET}.100,{SUBNET}.150,{NETMASK},{self.lease}",
                     "--dhcp-authoritative", "--no-ping",
                     f"--dhcp-leasefile={os.path.join(self.tmp, 'leases')}",
                     f"--dhcp-option=option:router,{HOST_IP}"]
            for i in range(self.nguests):
                args.append(f"--dhcp-host={self.guest_mac(i)},{self.guest_ip(i)},"
                            f"rayos{i},{self.lease}")
            if self.t1:
                args.append(f"--dhcp-option=option:T1,{self.t1}")
            if self.t2:
                args.append(f"--dhcp-option=option:T2,{self.t2}")
        r = self.ns_run(args)
        if r.returncode != 0:
            raise RuntimeError(f"dnsmasq failed: {r.stdout}")
        end = time.monotonic() + 5
        while time.monotonic() < end:
            try:
                with open(pidfile) as f:
                    self.dnsmasq_pid = int(f.read().strip())
                break
            except (OSError, ValueError):
                time.sleep(0.05)

    def dnsmasq_log_text(self):
        try:
            with open(self.dnsmasq_log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                if p is self.tcpdump:  # SIGINT flushes the pcap
                    try:
                        os.killpg(p.pid, signal.SIGINT)
                        p.wait(timeout=3)
                    except (ProcessLookupError, subprocess.TimeoutExpired):
                        pass
                if p.poll() is None:
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    p.wait(timeout=5)
        self.procs = []
        if self.dnsmasq_pid:
            _kill_pid(self.dnsmasq_pid)
            self.dnsmasq_pid = None
        if self.created:
            _kill_ns_pids(self.ns)
            _run(["ip", "netns", "del", self.ns], check=False)
            self.created = False

    def cleanup_files(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.close()
            self.cleanup_files()
            raise

    def __exit__(self, *exc):
        self.close()
        self.cleanup_files()

    # --- booting guests -------------------------------------------------
    def boot_cfg_image(self, tmpdir, cmdline_extra):
        """A copy of the disk image whose default entry's kernel command
        line has cmdline_extra appended (e.g. an ip= parameter)."""
        from rayos_qemu import ROOT, image_with_config
        with open(os.path.join(ROOT, "boot", "boot.cfg")) as f:
            cfg = f.read()
        cfg = re.sub(r"^(cmdline=.*)$", lambda m: m.group(1) + " " + cmdline_extra,
                     cfg, count=1, flags=re.M)
        return image_with_config(tmpdir, cfg)

    @staticmethod
    def ip_param(i):
        """Linux's ip= boot parameter giving guest i its static address."""
        return f"ip={TestBed.guest_ip(i)}::{HOST_IP}:{NETMASK}::eth0:off"

    # --- capture check ---------------------------------------------------
    def stop_capture(self):
        if self.tcpdump and self.tcpdump.poll() is None:
            os.killpg(self.tcpdump.pid, signal.SIGINT)
            try:
                self.tcpdump.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.tcpdump.pid, signal.SIGKILL)
                self.tcpdump.wait(timeout=5)

    def check_capture(self):
        """Stop the capture and return (frames, outside): outside lists the
        IPv4 packets whose source or destination lies outside the test bed
        (its /24, the limited broadcast and 0.0.0.0 for DHCP, link-local
        multicast), and the frames
        that are neither IPv4 nor ARP."""
        self.stop_capture()
        r = subprocess.run(["tcpdump", "-r", self.pcap, "-n", "-e", "-tt"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True, timeout=60)
        net = ipaddress.ip_network(f"{SUBNET}.0/24")
        ok_extra = {ipaddress.ip_address("0.0.0.0"),
                    ipaddress.ip_address("255.255.255.255")}
        # Link-local multicast (the LAN host's own IGMP reports) never
        # leaves a link.
        link_mcast = ipaddress.ip_network("224.0.0.0/24")
        frames, outside = 0, []
        for line in r.stdout.splitlines():
            frames += 1
            if "ethertype ARP" in line:
                continue
            if "ethertype IPv4" not in line:
                outside.append(line)
                continue
            m = re.search(r": (\d+\.\d+\.\d+\.\d+)(?:\.\d+)? > (\d+\.\d+\.\d+\.\d+)", line)
            if not m:
                outside.append(line)
                continue
            for a in m.groups():
                addr = ipaddress.ip_address(a)
                if addr not in net and addr not in ok_extra and addr not in link_mcast:
                    outside.append(line)
                    break
        return frames, outside
