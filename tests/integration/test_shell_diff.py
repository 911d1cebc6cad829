"""tests/integration/test_shell_diff.py - the shell's differential suite
(tests/sh) inside RayOS: every script runs under RayOS's /bin/sh and its
stdout, stderr and exit status are compared with dash's, recorded on the
host at build time (/usr/share/sh-tests). run.sh prints one FAIL line per
difference and a summary.
"""
import re


def test_differential_suite_under_rayos_sh(rayos):
    out = rayos.run("env -i PATH=/bin:/usr/bin sh /usr/share/sh-tests/run.sh "
                    "/bin/sh /usr/share/sh-tests", timeout=600)
    m = re.search(r"sh-tests: (\d+) cases, (\d+) failed", out)
    assert m, out[-3000:]
    assert int(m.group(1)) >= 300, out[-3000:]
    assert m.group(2) == "0", out[-3000:]
