"""tests/integration/rayos_qemu.py - boot a RayOS disk image in QEMU and drive
its serial console with pexpect.

Every Machine bounds its own life: start() arms a hard deadline, and close()
(also run by the context manager and by the pytest fixtures) kills QEMU.

    with Machine() as m:
        m.boot_to_prompt()
        m.run("echo hello")          # returns the command's output
        assert m.run("true; echo $?").strip() == "0"
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
IMAGE = os.path.join(ROOT, "build", "rayos.img")
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"

# The shell prompt of /bin/sh: user@host:cwd# (root) or $ (others).
PROMPT = r"\w+@[\w.-]+:[^\r\n]*[#$] $"
MENU = r"RayOS boot manager"
ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")

# Timeouts: a TCG boot through OVMF takes 4-13 s on a loaded 2-core host.
BOOT_TIMEOUT = 90
CMD_TIMEOUT = 30


def strip_ansi(s):
    return ANSI.sub("", s).replace("\r", "")


class Machine:
    """One QEMU instance. image is copied (or opened with snapshot=on)."""

    def __init__(self, image=IMAGE, mem="256M", extra=(), snapshot=True,
                 deadline=600):
        self.image = image
        self.mem = mem
        self.extra = list(extra)
        self.snapshot = snapshot
        self.deadline = deadline
        self.child = None
        self.tmp = tempfile.mkdtemp(prefix="rayos-test-")
        self.log_path = os.path.join(self.tmp, "serial.log")
        self.exit_status = None

    def command(self):
        vars_fd = os.path.join(self.tmp, "vars.fd")
        shutil.copy(OVMF_VARS, vars_fd)
        snap = "on" if self.snapshot else "off"
        return [
            "timeout", "-s", "KILL", str(self.deadline),
            "qemu-system-x86_64", "-machine", "q35", "-m", self.mem,
            "-display", "none", "-no-reboot", "-nic", "none",
            # signal=off: a ^C the tests send goes to the guest, instead of
            # making the pty send SIGINT to QEMU.
            "-chardev", "stdio,id=ser0,signal=off", "-serial", "chardev:ser0",
            "-monitor", "none",
            "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
            "-drive", f"if=pflash,format=raw,file={vars_fd}",
            "-drive", f"if=none,id=disk0,format=raw,file={self.image},snapshot={snap}",
            "-device", "virtio-blk-pci,drive=disk0,bootindex=1",
        ] + self.extra

    def start(self):
        cmd = self.command()
        self.logfile = open(self.log_path, "w", encoding="utf-8", errors="replace")
        self.child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=BOOT_TIMEOUT,
                                   dimensions=(50, 200), echo=False)
        self.child.logfile_read = self.logfile
        return self

    def expect(self, pattern, timeout=CMD_TIMEOUT):
        """Wait for a regex (or list); return the index matched."""
        return self.child.expect(pattern, timeout=timeout)

    def send(self, s):
        self.child.send(s)

    def sendline(self, s=""):
        # The console is a serial line: a terminal sends CR for Enter.
        self.child.send(s + "\r")

    def boot_to_menu(self, timeout=BOOT_TIMEOUT):
        self.expect(MENU, timeout=timeout)

    def boot_to_prompt(self, timeout=BOOT_TIMEOUT):
        """Boot the default entry without waiting for the countdown."""
        self.boot_to_menu(timeout)
        self.expect(r"Boot .* in \d+", timeout=timeout)
        self.sendline()
        self.expect(PROMPT, timeout=timeout)

    def run(self, cmd, timeout=CMD_TIMEOUT):
        """Type a command line; return what it printed (without the echo and
        the next prompt), ANSI codes and CRs removed."""
        self.sendline(cmd)
        self.expect(PROMPT, timeout=timeout)
        out = strip_ansi(self.child.before)
        # Drop the echoed command line.
        first_nl = out.find("\n")
        return out[first_nl + 1:] if first_nl >= 0 else ""

    def status(self, cmd, timeout=CMD_TIMEOUT):
        """Run cmd and return its exit status as the shell reports it."""
        out = self.run(f"{cmd}; echo \"status=$?\"", timeout=timeout)
        m = re.search(r"status=(\d+)", out)
        assert m, f"no status in output: {out!r}"
        return int(m.group(1))

    def wait_exit(self, timeout=CMD_TIMEOUT):
        """Wait for QEMU to end; return its exit status."""
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.close()
        self.exit_status = self.child.exitstatus
        return self.exit_status

    def log(self):
        try:
            self.logfile.flush()
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return strip_ansi(f.read())
        except OSError:
            return ""

    def close(self):
        if self.child is not None and self.child.isalive():
            self.child.kill(signal.SIGKILL)
            self.child.close(force=True)
        if self.child is not None:
            self.logfile.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()


def image_with_config(tmpdir, cfg_text, base=IMAGE):
    """Copy the disk image and replace \\rayos\\boot.cfg on its ESP."""
    img = os.path.join(str(tmpdir), "rayos-cfg.img")
    shutil.copy(base, img)
    cfg = os.path.join(str(tmpdir), "boot.cfg")
    with open(cfg, "w") as f:
        f.write(cfg_text)
    subprocess.run(["mcopy", "-o", "-i", f"{img}@@1M", cfg, "::/rayos/boot.cfg"],
                   check=True)
    return img
