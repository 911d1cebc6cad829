"""Two RayOS guests on one bridge: TCP transfers of 32 MiB each way
between them (t-tcp send/recv check every byte), and an http download
from one guest's httpd by the other."""
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "net"))
from rayos_qemu import PROMPT, Machine  # noqa: E402
from testbed import TestBed  # noqa: E402

pytestmark = pytest.mark.rayos_only

SIZE = 32 << 20


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    with TestBed(guests=2, dhcp=False) as bed:
        ms = []
        try:
            for i in range(2):
                img = bed.boot_cfg_image(tmp_path_factory.mktemp(f"img{i}"),
                                         TestBed.ip_param(i))
                m = Machine(image=img, netns=bed.ns, extra=bed.nic_args(i))
                m.start()
                ms.append(m)
            for m in ms:
                m.boot_to_prompt()
            yield bed, ms
        finally:
            for m in ms:
                m.close()


@pytest.mark.parametrize("sender,receiver", [(0, 1), (1, 0)])
def test_32mib_between_guests(pair, sender, receiver):
    bed, ms = pair
    rx, tx = ms[receiver], ms[sender]
    rx.sendline(f"t-tcp recv 5000 {SIZE}")
    rx.expect("recv: listening on 5000")
    out = tx.run(f"t-tcp send {TestBed.guest_ip(receiver)} 5000 {SIZE}", timeout=900)
    assert re.search(rf"sent {SIZE} bytes in [\d.]+ s", out), out
    assert rx.expect([rf"recv ok: {SIZE} bytes, 0 bad", "recv FAILED"], timeout=300) == 0
    rx.expect(PROMPT)


def test_http_between_guests(pair):
    bed, ms = pair
    ms[0].run("mkdir -p /tmp/www; head -c 1000000 /dev/urandom > /tmp/www/f; "
              "httpd -p 8000 -d /tmp/www -n 1 2>/dev/null &", timeout=120)
    want = re.search(r"^([0-9a-f]{64})", ms[0].run("sha256sum /tmp/www/f", timeout=60),
                     re.M).group(1)
    out = ms[1].run(f"http -q -o /tmp/f http://{TestBed.guest_ip(0)}:8000/f; "
                    "sha256sum /tmp/f", timeout=300)
    assert want in out, out
    ms[0].run("wait", timeout=60)
