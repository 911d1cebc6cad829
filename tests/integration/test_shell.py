"""tests/integration/test_shell.py - the first things a person types at the
RayOS prompt: init's start-up line, /bin/sh built-ins, pipelines,
redirections, exit statuses, and the basic utilities (echo, ls, cat, uname).

Console contracts relied on (user/init, user/sh):
  - init prints "init: starting /bin/sh on /dev/console" once at boot;
  - the prompt is user@host:cwd# (PROMPT in rayos_qemu.py);
  - "sh: NAME: not found" and status 127 for an unknown command.
"""
import re

import pytest


def lines(out):
    return [l for l in out.split("\n") if l.strip()]


def test_init_started_shell(rayos):
    assert "init: starting /bin/sh on /dev/console" in rayos.log()


def test_echo(rayos):
    assert rayos.run("echo hello").strip() == "hello"


def test_echo_quoting_and_variables(rayos):
    out = rayos.run("X=42; echo \"x is $X\" 'and $X' a\\ b")
    assert out.strip() == "x is 42 and $X a b"


def test_ls_root(rayos):
    names = rayos.run("ls /").split()
    for name in ("bin", "sbin", "etc", "dev"):
        assert name in names, f"{name} missing from ls /: {names}"


def test_ls_long(rayos):
    out = rayos.run("ls -l /bin")
    assert re.search(r"^-r[-w]x.* sh$", out, re.M), out


@pytest.mark.rayos_only
def test_uname(rayos):
    out = rayos.run("uname -a")
    assert "RayOS" in out and "x86_64" in out, out


def test_cat_hostname(rayos):
    assert rayos.run("cat /etc/hostname").strip() == "rayos"


def test_cat_missing_file(rayos):
    out = rayos.run("cat /nonexistent; echo \"status=$?\"")
    assert "cat: /nonexistent: No such file or directory" in out
    assert "status=1" in out


def test_exit_status(rayos):
    assert rayos.run("t-exit 3; echo $?").strip() == "3"
    assert rayos.status("true") == 0
    assert rayos.status("false") == 1


def test_and_or(rayos):
    out = rayos.run("true && echo yes; false && echo no; false || echo or")
    assert lines(out) == ["yes", "or"]


def test_not_found(rayos):
    out = rayos.run("nosuchcommand; echo \"status=$?\"")
    assert "sh: nosuchcommand: not found" in out
    assert "status=127" in out


def test_pipeline(rayos):
    assert rayos.run("echo piped | cat | cat").strip() == "piped"


def test_pipeline_status_is_last(rayos):
    assert rayos.status("t-exit 4 | t-exit 5") == 5


def test_redirections(rayos):
    out = rayos.run("echo one > /tmp/r; echo two >> /tmp/r; cat < /tmp/r")
    assert lines(out) == ["one", "two"]
    out = rayos.run("cat /nonexistent 2> /tmp/e; echo in-file; cat /tmp/e")
    assert lines(out) == ["in-file", "cat: /nonexistent: No such file or directory"]
    out = rayos.run("cat /nonexistent > /tmp/f 2>&1; cat /tmp/f")
    assert "No such file or directory" in out


def test_cd_pwd(rayos):
    assert rayos.run("cd /etc; pwd").strip() == "/etc"
    rayos.run("cd /")


def test_args(rayos):
    out = rayos.run("t-args a 'b c' d")
    assert "argc=4" in out
    assert "argv[2]=b c" in out
    assert "FAIL" not in out, out
    assert lines(out)[-1] == "PASS"


def test_background_job(rayos):
    # `wait` is typed well before the job ends, so its output comes after
    # the echoed command line (run() drops that first line).
    out = rayos.run("t-sleep 3 & echo started")
    assert "started" in out
    out = rayos.run("wait; echo waited", timeout=30)
    assert lines(out)[-2:] == ["slept 3 s", "waited"], out


def test_scripts(rayos):
    rayos.run("echo '# a comment' > /tmp/s.sh; echo 'echo from-script $1' >> /tmp/s.sh")
    assert rayos.run("sh /tmp/s.sh arg").strip() == "from-script arg"
    assert rayos.run("sh -c 'echo $0 $1' zero one").strip() == "zero one"
    assert rayos.status("sh -c 'exit 9'") == 9


def test_help_lists_builtins(rayos):
    out = rayos.run("help")
    for name in ("cd", "exit", "export", "pwd"):
        assert name in out
