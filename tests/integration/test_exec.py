"""Programs as the kernel loads them: execve's errors and #! scripts, a
static PIE, unimplemented system calls, and the kernel log line for a
crashing program."""
import re


def test_exec_errors_and_scripts(rayos):
    out = rayos.run("t-exec", timeout=60)
    assert "#! script: first /tmp/t-exec.sh x" in out, out
    assert out.strip().endswith("PASS"), out


def test_static_pie(rayos):
    out = rayos.run("t-pie")
    assert out.strip().endswith("PASS"), out


def test_unimplemented_syscall_is_enosys_and_logged_once(rayos):
    out = rayos.run("t-nosys")
    assert out.strip().endswith("PASS"), out
    log = rayos.log()
    lines = [l for l in log.splitlines()
             if "syscall fanotify_init (300) is not implemented" in l]
    assert len(lines) == 1, lines
    # A second run logs nothing new.
    rayos.run("t-nosys")
    log = rayos.log()
    assert len([l for l in log.splitlines() if "fanotify_init (300)" in l]) == 1


def test_crash_is_logged_in_one_line(rayos):
    assert rayos.status("t-segv") == 139
    log = rayos.log()
    assert re.search(r"t-segv\[\d+\]: segfault at 0x0 ip 0x[0-9a-f]+ sp 0x[0-9a-f]+", log), log[-2000:]


def test_fork_is_copy_on_write(rayos):
    out = rayos.run("t-cow")
    assert "child saw parent's data: yes" in out, out
    assert "shared mapping after the child wrote: 2 3" in out, out
    assert out.strip().endswith("PASS"), out


def test_exec_sees_the_files_bytes(rayos):
    # exec shares loaded pages between runs (kernel/proc/exec_pages.c):
    # a run's writes stay its own, a rewritten file runs its new bytes.
    out = rayos.run("t-loadshare", timeout=60)
    assert "ok   copy rewritten in place: MARK-BBBB 1234 42" in out, out
    assert out.strip().endswith("PASS"), out
