"""tests/net/lan_tcp.py - what the network tests share on the LAN host's
side: TCP sender and receiver scripts (run with python3 -c in the test
bed's namespace) whose bytes follow one pattern, so either end can check
them, and the reader of RayOS's /proc/net/offload counters."""
import re
import subprocess

# argv: port, byte count. Connects to guest 0, sends the pattern, half-closes
# and waits for the guest to close.
TCP_SEND = r"""
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
data = bytes((i * 131 + (i >> 12) + 9) & 255 for i in range(n))
s = socket.create_connection(("10.77.0.31", port), timeout=60)
s.sendall(data)
s.shutdown(socket.SHUT_WR)
s.recv(1)
print("sent", n)
"""

# argv: port, byte count. Listens on the LAN host, takes one connection and
# prints whether what came is the pattern.
TCP_RECV = r"""
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("10.77.0.1", port))
l.listen(1)
print("listening", flush=True)
c, _ = l.accept()
got = bytearray()
while True:
    d = c.recv(1 << 20)
    if not d:
        break
    got += d
want = bytes((i * 131 + (i >> 12) + 9) & 255 for i in range(n))
print("recv", len(got), "ok" if got == want else "BAD", flush=True)
c.close()
"""

OFFLOAD_COLUMNS = ("tx_csum_offload", "rx_csum_offload", "rx_csum_bad", "tx_tso",
                   "rx_large", "rx_gro")


def offload_counters(m, dev="eth0"):
    """dev's counters from /proc/net/offload on machine m, by column name."""
    out = m.run("cat /proc/net/offload")
    assert re.search(r"^Iface " + " ".join(OFFLOAD_COLUMNS) + r"\r?$", out, re.M), out
    line = re.search(rf"^{dev}" + r" (\d+)" * len(OFFLOAD_COLUMNS) + r"\r?$", out, re.M)
    assert line, out
    return dict(zip(OFFLOAD_COLUMNS, (int(x) for x in line.groups())))


def download(bed, m, port, n, prompt):
    """The LAN host sends n pattern bytes that RayOS checks (t-tcp recv);
    True when all arrived intact. prompt: the shell's prompt pattern."""
    m.sendline(f"t-tcp recv {port} {n}")
    m.expect(f"recv: listening on {port}", timeout=30)
    r = bed.ns_run(["/usr/bin/python3", "-c", TCP_SEND, str(port), str(n)], timeout=600)
    assert "sent" in r.stdout, r.stdout
    i = m.expect([rf"recv ok: {n} bytes, 0 bad", r"recv FAILED.*"], timeout=300)
    m.expect(prompt)
    return i == 0


def upload(bed, m, port, n, host):
    """RayOS sends n pattern bytes (t-tcp send) to the LAN host at host,
    which checks them; returns what the LAN host printed ("recv N ok")."""
    p = bed.popen(["/usr/bin/python3", "-c", TCP_RECV, str(port), str(n)],
                  stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "listening"
    out = m.run(f"t-tcp send {host} {port} {n}", timeout=600)
    assert f"sent {n} bytes" in out, out
    got, _ = p.communicate(timeout=120)
    return got
