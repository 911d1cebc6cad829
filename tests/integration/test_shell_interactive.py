"""tests/integration/test_shell_interactive.py - the shell as a person at
the serial console uses it: line editing keys, history (Up/Down, kept in
~/.sh_history), Tab completion, and job control (^Z, jobs, fg, bg,
kill %1, the Done/Stopped notices).

Keys are sent as a terminal sends them (Left = ESC [ D, Home = ESC [ H,
Delete = ESC [ 3 ~, ^A = \\x01 ...); the line editor echoes with cursor
movements, so results are checked on what the command then prints, on the
line after the Enter ("\\r\\n" from the editor).
"""
import time

from rayos_qemu import PROMPT

LEFT, RIGHT, HOME, END = "\x1b[D", "\x1b[C", "\x1b[H", "\x1b[F"
UP, DOWN, DELETE = "\x1b[A", "\x1b[B", "\x1b[3~"


def keys(m, *parts):
    """Type the parts one by one (a terminal sends keys apart), Enter,
    and return the output up to the next prompt."""
    for p in parts:
        m.send(p)
        time.sleep(0.05)
    m.send("\r")
    m.expect(PROMPT, timeout=30)
    out = m.child.before.replace("\r", "")
    # what the command printed starts after the editor's newline
    return out.split("\n", 1)[1] if "\n" in out else ""


def test_plain_line(rayos):
    assert keys(rayos, "echo plain").strip() == "plain"


def test_left_right_insert(rayos):
    assert keys(rayos, "echo wrld", LEFT * 3, "o").strip() == "world"
    assert keys(rayos, "echo ac", LEFT, "b", RIGHT, "d").strip() == "abcd"


def test_home_end_and_ctrl_a_e(rayos):
    assert keys(rayos, "cho hi", HOME, "e", END, "!").strip() == "hi!"
    assert keys(rayos, "cho yo", "\x01", "e", "\x05", "?").strip() == "yo?"


def test_backspace_and_delete(rayos):
    assert keys(rayos, "echo abx", "\x7f", "c").strip() == "abc"
    assert keys(rayos, "echo aXbc", LEFT * 3, DELETE).strip() == "abc"


def test_kill_keys(rayos):
    assert keys(rayos, "garbage here", "\x15", "echo after-u").strip() == "after-u"
    assert keys(rayos, "echo one two", "\x17").strip() == "one"
    assert keys(rayos, "echo abcXYZ", LEFT * 3, "\x0b").strip() == "abc"


def test_history_up_down(rayos):
    assert keys(rayos, "echo first-cmd").strip() == "first-cmd"
    assert keys(rayos, "echo second-cmd").strip() == "second-cmd"
    assert keys(rayos, UP).strip() == "second-cmd"
    assert keys(rayos, UP, UP).strip() == "first-cmd"
    # history is now ... first, second, first (each line run is added)
    assert keys(rayos, UP, UP, UP, DOWN).strip() == "second-cmd"


def test_history_file_and_builtin(rayos):
    keys(rayos, "echo remembered-line")
    out = rayos.run("cat ~/.sh_history")
    assert "echo remembered-line" in out
    out = rayos.run("history")
    assert "echo remembered-line" in out


def test_tab_completes_command(rayos):
    out = keys(rayos, "t-sle", "\t", "0")
    assert "slept 0 s" in out, out


def test_tab_completes_path(rayos):
    rayos.run("mkdir -p /tmp/compdir && touch /tmp/compdir/uniquefile")
    out = keys(rayos, "ls /tmp/compd", "\t", "uniq", "\t")
    assert out.strip() == "/tmp/compdir/uniquefile", out


def test_tab_lists_candidates(rayos):
    rayos.run("mkdir -p /tmp/lst && touch /tmp/lst/alpha1 /tmp/lst/alpha2")
    rayos.send("ls /tmp/lst/al")
    time.sleep(0.1)
    rayos.send("\t")       # common prefix: alpha
    time.sleep(0.3)
    rayos.send("\t")       # nothing more to add: the list
    rayos.expect(r"alpha1  alpha2", timeout=15)
    rayos.expect(r"# ls /tmp/lst/alpha", timeout=15)  # prompt and line again
    out = keys(rayos, "1")
    assert out.strip() == "/tmp/lst/alpha1", out


def test_ctrl_c_abandons_line(rayos):
    rayos.send("echo never-run")
    time.sleep(0.3)
    rayos.send("\x03")
    rayos.expect(PROMPT, timeout=15)
    assert "never-run" not in keys(rayos, "echo fresh")


def test_ctrl_z_jobs_bg_fg_kill(rayos):
    rayos.sendline("t-sleep 100")
    time.sleep(1.5)
    rayos.send("\x1a")                      # ^Z
    rayos.expect(r"\[1\]\+\s+Stopped\s+t-sleep 100", timeout=15)
    rayos.expect(PROMPT, timeout=15)
    assert rayos.run("echo $?").strip() == "148"
    assert "Stopped" in rayos.run("jobs")
    out = rayos.run("bg %1")
    assert "t-sleep 100 &" in out
    assert "Running" in rayos.run("jobs")
    out = rayos.run("kill %1")
    time.sleep(1)
    out += rayos.run("true")  # the notice comes before one of the prompts
    assert "Terminated" in out, out
    assert rayos.run("jobs").strip() == ""


def test_fg_brings_job_back(rayos):
    rayos.sendline("t-sleep 3")
    time.sleep(1.5)
    rayos.send("\x1a")
    rayos.expect(r"Stopped", timeout=15)
    rayos.expect(PROMPT, timeout=15)
    out = rayos.run("fg", timeout=30)
    assert "t-sleep 3" in out and "slept 3 s" in out, out
    assert rayos.run("echo $?").strip() == "0"


def test_ctrl_c_after_fg(rayos):
    rayos.sendline("t-sleep 100")
    time.sleep(1.5)
    rayos.send("\x1a")
    rayos.expect(PROMPT, timeout=15)
    rayos.sendline("fg")
    time.sleep(1.5)
    rayos.send("\x03")
    rayos.expect(PROMPT, timeout=15)
    assert rayos.run("echo $?").strip() == "130"
    assert rayos.run("jobs").strip() == ""


def test_done_notice(rayos):
    out = rayos.run("t-sleep 1 &")
    assert "[1]" in out
    time.sleep(4)
    out = rayos.run("true")
    assert "Done" in out and "t-sleep 1" in out, out


def test_ctrl_c_stops_shell_loop(rayos):
    rayos.sendline("while true; do :; done")
    time.sleep(2)
    rayos.send("\x03")
    rayos.expect(PROMPT, timeout=20)
    assert rayos.run("echo alive").strip() == "alive"


def test_continuation_prompt(rayos):
    rayos.sendline("for i in 1 2; do")
    rayos.expect("> ", timeout=15)
    rayos.sendline("echo loop$i")
    rayos.expect("> ", timeout=15)
    rayos.sendline("done")
    rayos.expect(PROMPT, timeout=15)
    out = rayos.child.before.replace("\r", "")
    assert "loop1" in out and "loop2" in out, out
