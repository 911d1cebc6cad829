"""tests/integration/test_job_control.py - ^C on the console: the tty sends
SIGINT to the foreground process group only, the shell takes the terminal
back and prints a fresh prompt. A separate machine (module fixture), so a
failure here cannot leave the machine of the other modules stuck.
"""
import time

from rayos_qemu import PROMPT


def interrupt(m, wait_for=None, settle=1.0):
    if wait_for:
        m.expect(wait_for, timeout=30)
    time.sleep(settle)
    m.send("\x03")
    m.expect(PROMPT, timeout=15)


def test_ctrl_c_stops_spinning_program(rayos):
    rayos.sendline("t-spin")
    interrupt(rayos, wait_for="spinning")
    assert rayos.run("echo $?").strip() == "130"
    assert rayos.run("echo alive").strip() == "alive"


def test_ctrl_c_stops_sleeping_program(rayos):
    rayos.sendline("t-sleep 100")
    interrupt(rayos)
    assert rayos.run("echo $?").strip() == "130"


def test_ctrl_c_in_pipeline(rayos):
    rayos.sendline("t-sleep 100 | cat")
    interrupt(rayos)
    assert rayos.run("echo after").strip() == "after"


def test_ctrl_c_at_prompt_gives_fresh_prompt(rayos):
    rayos.send("echo half-typed")
    time.sleep(0.5)
    rayos.send("\x03")
    rayos.expect(PROMPT, timeout=15)
    assert rayos.run("echo fresh").strip() == "fresh"

