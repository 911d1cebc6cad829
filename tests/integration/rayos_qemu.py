"""tests/integration/rayos_qemu.py - boot a RayOS disk image in QEMU and drive
its serial console with pexpect.

Every Machine bounds its own life: start() arms a hard deadline, and close()
(also run by the context manager and by the pytest fixtures) kills QEMU.

    with Machine() as m:
        m.boot_to_prompt()
        m.run("echo hello")          # returns the command's output
        assert m.run("true; echo $?").strip() == "0"

Machine(netns=NS) runs QEMU inside network namespace NS (`ip netns exec`),
where tests/net/testbed.py has put the tap devices its -netdev args name.

Machine(monitor=True) also gives QEMU a human monitor on a unix socket, for
tests that act from outside the guest (m.monitor("sendkey a"),
m.monitor("screendump /tmp/x.ppm")).
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
IMAGE = os.path.join(ROOT, "build", "rayos.img")
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"

# Userland cross-check: with RAYOS_TEST_LINUX=/boot/vmlinuz-..., a Machine
# boots that Linux kernel directly (-kernel) with build/initrd.cpio, plus a
# /dev/console node, and rdinit=/sbin/init. RayOS's own init, shell and test
# programs then run on Linux, which checks them and these tests before the
# RayOS kernel can. Tests marked rayos_only are skipped in that mode.
LINUX_KERNEL = os.environ.get("RAYOS_TEST_LINUX")
INITRD = os.path.join(ROOT, "build", "initrd.cpio")

# The shell prompt of /bin/sh: user@host:cwd# (root) or $ (others).
PROMPT = r"\w+@[\w.-]+:[^\r\n]*[#$] $"
MENU = r"RayOS boot manager"
ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")

# Timeouts: a TCG boot through OVMF takes 4-13 s on a loaded 2-core host.
BOOT_TIMEOUT = 90
CMD_TIMEOUT = 30


def cpio_newc(entries):
    """A cpio newc archive; entries are (name, mode[, data[, major, minor]])."""
    out = bytearray()
    for ino, (name, mode, *rest) in enumerate(list(entries) + [("TRAILER!!!", 0)], 1):
        data = rest[0] if rest else b""
        rmaj, rmin = (rest[1], rest[2]) if len(rest) > 2 else (0, 0)
        nb = name.encode() + b"\0"
        out += ("070701" + "".join(f"{v:08x}" for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, rmaj, rmin, len(nb), 0))).encode()
        out += nb + b"\0" * (-(len(out) + len(nb)) % 4)
        out += data + b"\0" * (-(len(out) + len(data)) % 4)
    return bytes(out)


def strip_ansi(s):
    return ANSI.sub("", s).replace("\r", "")


class Machine:
    """One QEMU instance. image is copied (or opened with snapshot=on)."""

    def __init__(self, image=IMAGE, mem="256M", extra=(), snapshot=True,
                 deadline=600, monitor=False, netns=None):
        self.image = image
        self.netns = netns
        self.mem = mem
        self.extra = list(extra)
        self.snapshot = snapshot
        self.deadline = deadline
        self.child = None
        self.tmp = tempfile.mkdtemp(prefix="rayos-test-")
        self.log_path = os.path.join(self.tmp, "serial.log")
        self.exit_status = None
        self.monitor_path = (os.path.join(self.tmp, "monitor.sock")
                             if monitor else None)
        self.monitor_sock = None

    def monitor_args(self):
        if not self.monitor_path:
            return ["-monitor", "none"]
        return ["-monitor", f"unix:{self.monitor_path},server=on,wait=off"]

    def linux_command(self):
        initrd = os.path.join(self.tmp, "initrd.cpio")
        with open(INITRD, "rb") as f, open(initrd, "wb") as out:
            out.write(f.read())
            out.write(cpio_newc([("dev", 0o40755), ("dev/console", 0o20600, b"", 5, 1)]))
        return [
            "timeout", "-s", "KILL", str(self.deadline),
            "qemu-system-x86_64", "-machine", "q35", "-m", self.mem,
            "-display", "none", "-no-reboot", "-nic", "none",
            "-chardev", "stdio,id=ser0,signal=off", "-serial", "chardev:ser0",
            *self.monitor_args(), "-kernel", LINUX_KERNEL, "-initrd", initrd,
            "-append", "console=ttyS0 rdinit=/sbin/init quiet panic=-1",
        ] + self.extra

    def command(self):
        if LINUX_KERNEL:
            return self.linux_command()
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
            *self.monitor_args(),
            "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
            "-drive", f"if=pflash,format=raw,file={vars_fd}",
            "-drive", f"if=none,id=disk0,format=raw,file={self.image},snapshot={snap}",
            "-device", "virtio-blk-pci,drive=disk0,bootindex=1",
        ] + self.extra

    def start(self):
        cmd = self.command()
        if self.netns:
            cmd = ["ip", "netns", "exec", self.netns] + cmd
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

    def boot_to_prompt(self, timeout=BOOT_TIMEOUT, entry=None):
        """Boot the default entry without waiting for the countdown, or
        menu entry number `entry` (1-9) when given."""
        if LINUX_KERNEL:  # no boot manager in that mode
            self.expect(PROMPT, timeout=timeout)
            return
        self.boot_to_menu(timeout)
        self.expect(r"Boot .* in \d+", timeout=timeout)
        if entry is not None:
            self.send(str(entry))  # selects the entry and stops the countdown
            self.expect(rf"  {entry}\) .*  <", timeout=timeout)
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

    def _monitor_until_prompt(self, timeout):
        """Read monitor output up to its "(qemu) " prompt."""
        data = b""
        end = time.monotonic() + timeout
        while not data.endswith(b"(qemu) "):
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no monitor prompt; got {data!r}")
            self.monitor_sock.settimeout(left)
            chunk = self.monitor_sock.recv(4096)
            if not chunk:
                raise ConnectionError(f"monitor closed; got {data!r}")
            data += chunk
        return data.decode("utf-8", "replace")

    def monitor(self, cmd, timeout=CMD_TIMEOUT):
        """Run one QEMU human-monitor command (Machine(monitor=True)) and
        return its reply, without the echoed command and the prompt."""
        assert self.monitor_path, "Machine(monitor=True) is needed"
        if self.monitor_sock is None:
            end = time.monotonic() + timeout
            while True:  # QEMU creates the socket shortly after starting
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    sock.connect(self.monitor_path)
                    break
                except OSError:
                    sock.close()
                    if time.monotonic() > end:
                        raise
                    time.sleep(0.1)
            self.monitor_sock = sock
            self._monitor_until_prompt(timeout)  # the greeting
        self.monitor_sock.sendall(cmd.encode() + b"\n")
        reply = strip_ansi(self._monitor_until_prompt(timeout))
        reply = reply[:-len("(qemu) ")]
        # The monitor echoes the command line first.
        first_nl = reply.find("\n")
        return reply[first_nl + 1:] if first_nl >= 0 else ""

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
        if self.monitor_sock is not None:
            self.monitor_sock.close()
            self.monitor_sock = None
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
