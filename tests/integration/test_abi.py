"""tests/integration/test_abi.py - the ABI conformance suite (tests/abi/):
every /usr/libexec/abi/abi-* program must print, byte for byte, what the
same binary prints on the Linux host running this test, except for the
lines listed with their reason under "Differences from Linux" in
docs/syscalls.md."""
import glob
import os
import re
import subprocess

import pytest

from rayos_qemu import ROOT

PROGS = sorted(os.path.basename(p)[:-2]
               for p in glob.glob(os.path.join(ROOT, "tests", "abi", "abi-*.c")))


def allowed_differences():
    """{program: {label, ...}} from docs/syscalls.md."""
    allowed = {}
    with open(os.path.join(ROOT, "docs", "syscalls.md")) as f:
        for line in f:
            m = re.match(r"- `(abi-[\w-]+)` `([^`]+)`: \S", line)
            if m:
                allowed.setdefault(m.group(1), set()).add(m.group(2))
    return allowed


def without(lines, labels):
    return [l for l in lines if l.split(":", 1)[0] not in labels]


def host_output(prog):
    binary = os.path.join(ROOT, "build", "abi", prog)
    r = subprocess.run([binary], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


@pytest.mark.parametrize("prog", PROGS)
def test_abi(rayos, prog):
    want = host_output(prog)
    got = rayos.run(f"/usr/libexec/abi/{prog}", timeout=180)
    labels = allowed_differences().get(prog, set())
    assert without(got.splitlines(), labels) == without(want.splitlines(), labels)
    assert rayos.status("true") == 0
