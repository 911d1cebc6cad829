"""The console terminal (the pty between QEMU and the test adds a CR to
every line end, so patterns allow several): canonical line editing (backspace, ^U, ^W, ^D),
raw mode through TCSETS, the window size, and preemption (a program that
never yields does not freeze the console)."""
from rayos_qemu import PROMPT


def test_backspace_and_kill_line(rayos):
    rayos.sendline("cat")
    rayos.send("abc\x7f\x7fd\r")       # two backspaces: "ad"
    rayos.expect(r"\n\r*ad\r*\n")
    rayos.send("xyz\x15q\r")           # ^U kills the line: "q"
    rayos.expect(r"\n\r*q\r*\n")
    rayos.send("one two\x17three\r")   # ^W erases a word: "one three"
    rayos.expect(r"\n\r*one three\r*\n")
    rayos.send("\x04")                 # ^D on an empty line: end of file
    rayos.expect(PROMPT)               # cat ended
    out = rayos.run("echo after-eof")
    assert "after-eof" in out


def test_raw_mode(rayos):
    rayos.sendline("t-tty")
    rayos.expect(r"winsize (\d+)x(\d+), foreground group (\d+), my group (\d+)")
    cols, rows, fg, mine = (int(x) for x in rayos.child.match.groups())
    assert (cols, rows) == (80, 24)
    assert fg == mine, "the shell should hand the terminal to the job"
    rayos.expect("ready")
    rayos.send("a")                    # no Enter: raw mode delivers at once
    rayos.expect("key 61")
    rayos.send("\x03")                 # ^C is a plain byte in raw mode
    rayos.expect("key 03")
    rayos.send("q")
    rayos.expect("key 71")
    rayos.expect("PASS")               # the old mode came back intact
    rayos.expect(PROMPT)
    out = rayos.run("echo $?")
    assert out.strip().splitlines()[-1] == "0", out


def test_spinning_program_does_not_freeze_the_console(machine_factory):
    m = machine_factory()
    m.boot_to_prompt()
    m.run("t-spin > /dev/null &")
    # The shell still answers while a program spins: the scheduler preempts.
    for i in range(3):
        out = m.run(f"echo alive-{i}", timeout=20)
        assert f"alive-{i}" in out
