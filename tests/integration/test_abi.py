"""tests/integration/test_abi.py - the ABI conformance suite (tests/abi/):
every /usr/libexec/abi/abi-* program must print, byte for byte, what the
same binary prints on the Linux host running this test."""
import glob
import os
import subprocess

import pytest

from rayos_qemu import ROOT

PROGS = sorted(os.path.basename(p)[:-2]
               for p in glob.glob(os.path.join(ROOT, "tests", "abi", "abi-*.c")))


def host_output(prog):
    binary = os.path.join(ROOT, "build", "abi", prog)
    r = subprocess.run([binary], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


@pytest.mark.parametrize("prog", PROGS)
def test_abi(rayos, prog):
    want = host_output(prog)
    got = rayos.run(f"/usr/libexec/abi/{prog}", timeout=120)
    assert got.splitlines() == want.splitlines()
    assert rayos.status("true") == 0
