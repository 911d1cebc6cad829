"""tests/integration/test_programs.py - the kernel as the test programs in
/bin/t-* see it: faults, bad pointers, fork/wait, memory, signals, the
block device. Each program prints PASS/FAIL lines and ends with a line
"PASS" only if every check passed (user/tests/, user/README.md).
"""
import re

import pytest


def assert_pass(out):
    assert "FAIL" not in out, out
    assert re.search(r"^PASS$", out, re.M), out


def test_segv_kills_only_the_program(rayos):
    out = rayos.run("t-segv; echo \"status=$?\"")
    assert "Segmentation fault" in out, out
    assert "status=139" in out, out
    # The shell survived and works.
    assert rayos.run("echo alive").strip() == "alive"
    assert rayos.status("t-segv") == 139


def test_efault(rayos):
    assert_pass(rayos.run("t-efault"))


def test_fork_200(rayos):
    out = rayos.run("t-fork 200", timeout=120)
    assert "forked 200, reaped 200" in out, out
    assert_pass(out)


def test_mmap_64m(rayos):
    out = rayos.run("t-mmap", timeout=60)
    assert re.search(r"free before: +\d+ KiB", out), out
    assert_pass(out)


def test_signals(rayos):
    assert_pass(rayos.run("t-signal", timeout=30))


@pytest.mark.rayos_only
def test_blkread_root_partition(rayos):
    out = rayos.run("t-blkread /dev/vda2")
    assert "ext2 magic 0xef53" in out, out
    assert_pass(out)


def test_nice_weights_cpu_shares(rayos):
    # Two spinners on one CPU at nice 0 and nice 10 for 3 s: the first
    # gets clearly more user time (/proc/<pid>/stat), not the same slice.
    out = rayos.run("t-nice", timeout=60)
    assert "PASS" in out.splitlines()[-1], out
