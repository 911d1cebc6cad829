"""TCP on RayOS: the t-tcp self-checks over loopback (handshake, 4 MiB
each way, half-close, refused ports, options, resets, 100 connections)."""
import pytest

pytestmark = pytest.mark.rayos_only


def test_tcp_self_checks(rayos):
    out = rayos.run("t-tcp; echo status=$?", timeout=300)
    assert "FAIL" not in out, out
    assert "status=0" in out, out
