"""tests/integration/test_poll.py - poll and select on the console tty:
readable only once a canonical line is finished (user/tests/t-ttypoll.c).
Pipes, eventfd and epoll are covered against Linux by test_abi.py."""
from rayos_qemu import PROMPT


def test_tty_poll_canonical(rayos):
    rayos.sendline("t-ttypoll")
    rayos.expect("waiting1")
    rayos.send("ab")                   # no Enter: not a line yet
    rayos.expect("waiting2", timeout=10)
    rayos.send("c\r")
    rayos.expect(r"(PASS|FAIL)\r*\n", timeout=30)
    out = rayos.child.before
    assert rayos.child.match.group(1) == "PASS", out
    rayos.expect(PROMPT)
    assert rayos.status("true") == 0
