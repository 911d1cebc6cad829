"""tests/integration/test_procps.py - /proc/<pid>, /proc/self and the tools
that read /proc (ps, free, uptime, df, mount, dmesg), and the text tools
(grep, sort, uniq, cut, tr, sed, find, xargs, hexdump, du) in pipelines
inside RayOS. Their exact formats are compared with GNU's on the host by
tests/unit/user-host.sh; here the kernel's side is what is checked.
"""
import re

import pytest


def ps_rows(out):
    """ps's default columns as a list of (pid, ppid, user, stat, cmd)."""
    rows = []
    for line in out.splitlines()[1:]:
        f = line.split()
        if len(f) >= 6 and f[0].isdigit():
            rows.append((int(f[0]), int(f[1]), f[2], f[3], f[5]))
    return rows


def test_ps_lists_init_sh_and_itself(rayos):
    out = rayos.run("ps")
    assert out.splitlines()[0].split() == ["PID", "PPID", "USER", "STAT",
                                           "TIME", "CMD"], out
    rows = ps_rows(out)
    by_pid = {r[0]: r for r in rows}
    assert by_pid[1][1] == 0 and by_pid[1][4] == "init", out
    shell = int(rayos.run("echo $$").strip())
    assert by_pid[shell][4] == "sh" and by_pid[shell][1] == 1, out
    me = [r for r in rows if r[4] == "ps"]
    assert len(me) == 1 and me[0][1] == shell and me[0][3] == "R", out


def test_ps_full_and_aux(rayos):
    out = rayos.run("ps -f")
    assert re.search(r"^root +1 +0 .* /sbin/init$", out, re.M), out
    assert re.search(r"^root +\d+ +\d+ .* ps -f$", out, re.M), out
    assert out.splitlines()[0].split() == ["UID", "PID", "PPID", "C", "STIME",
                                           "TTY", "TIME", "CMD"], out
    # STIME is the clock time the process started: today's HH:MM.
    assert re.search(r"^root +1 +0 +\d+ \d\d:\d\d \S+ +\d\d:\d\d:\d\d /sbin/init$",
                     rayos.run("ps -ef"), re.M)
    out = rayos.run("ps aux")
    assert out.splitlines()[0].split() == [
        "USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT", "START",
        "TIME", "COMMAND"], out
    assert re.search(r"^root +1 .* /sbin/init$", out, re.M), out
    assert re.search(r"^root +\d+ +\d+\.\d +\d+\.\d +\d+ +\d+ \S+ +R\S* +\d\d:\d\d "
                     r"+\d+:\d\d ps aux$", out, re.M), out


def test_ps_output_format_and_selection(rayos):
    shell = rayos.run("echo $$").strip()
    out = rayos.run(f"ps -o pid,ppid,stat,etime,comm,args -p 1,{shell}")
    lines = out.strip().splitlines()
    assert lines[0].split() == ["PID", "PPID", "STAT", "ELAPSED", "COMMAND",
                                "COMMAND"], out
    assert re.match(r"^ +1 +0 Ss? +(\d\d:)?\d\d:\d\d init +/sbin/init$",
                    lines[1]), out
    assert re.match(rf"^ *{shell} +1 +\S+ +\S+ sh +\S*sh", lines[2]), out
    assert len(lines) == 3, out
    assert rayos.run(f"ps -o pid= -p {shell}").strip() == shell
    assert rayos.run("ps --no-headers -o user,comm -p 1").split() == \
        ["root", "init"]
    assert rayos.status("ps -p 99999") == 1
    out = rayos.run("ps -o bogus; echo status=$?")
    assert "unknown user-defined format specifier" in out and "status=2" in out


def test_proc_self_stat_fields(rayos):
    out = rayos.run("cat /proc/self/stat").strip()
    m = re.match(r"^(\d+) \((cat)\) (\S) (.*)$", out)
    assert m, out
    rest = m.group(4).split()
    assert len(rest) == 52 - 3, out
    assert m.group(3) == "R"
    shell = int(rayos.run("echo $$").strip())
    assert int(rest[0]) == shell            # ppid
    assert all(re.fullmatch(r"-?\d+", x) for x in rest), out
    assert int(rest[19]) > 0                # vsize (field 23)
    assert int(rest[20]) > 0                # rss (field 24)


def test_proc_status_comm_cmdline(rayos):
    out = rayos.run("cat /proc/1/status")
    for want in ("Name:\tinit", "State:\tS (sleeping)", "Pid:\t1",
                 "PPid:\t0", "Threads:\t1"):
        assert want in out, out
    assert re.search(r"^VmRSS:\s+\d+ kB$", out, re.M), out
    assert rayos.run("cat /proc/1/comm").strip() == "init"
    assert rayos.run("cat /proc/1/cmdline | tr '\\0' '|'; echo").strip() \
        == "/sbin/init|"
    out = rayos.run("sh -c 'cat /proc/$$/cmdline' x y | tr '\\0' '|'; echo")
    assert "sh|-c|cat /proc/$$/cmdline|x|y|" in out, out


@pytest.mark.rayos_only
def test_proc_listing_and_self(rayos):
    out = rayos.run("ls /proc")
    names = out.split()
    for want in ("1", "self", "loadavg", "meminfo", "uptime"):
        assert want in names, out
    out = rayos.run("ls -l /proc/self")
    assert re.search(r"/proc/self -> \d+", out), out
    assert rayos.run("ls /proc/self/").split() == [
        "auxv", "cmdline", "comm", "cwd", "exe", "fd", "maps", "root", "stat",
        "status", "wchan"]
    # wchan: the wait queue a sleeping process is on (RayOS's names, one word
    # each, as Linux's symbol names are), 0 for one that runs; the shell
    # waiting for cat sleeps in child_wait.  The child may first wait for the
    # disk while exec loads sleep (virtio_blk_done), so poll until it is in
    # nanosleep's queue or 10 s have gone.
    out = rayos.run("sh -c 'sleep 30 & p=$!; i=0; "
                    "while [ \"$(cat /proc/$p/wchan)\" != sleep ] && [ $i -lt 100 ]; "
                    "do sleep 0.1; i=$((i+1)); done; cat /proc/$p/wchan; echo; "
                    "cat /proc/$$/wchan; echo; cat /proc/self/wchan; echo; kill $p'")
    assert out.split() == ["sleep", "child_wait", "0"], out
    assert rayos.run("ls /proc/1/fd").split()[:3] == ["0", "1", "2"]
    out = rayos.run("ls -l /proc/self/fd/ | grep pipe")
    assert re.search(r" 1 -> pipe:\[\d+\]$", out, re.M), out
    out = rayos.run("ls /proc/self/fd/99; echo status=$?")
    assert "No such file or directory" in out and "status=2" in out, out
    assert re.fullmatch(r"\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+",
                        rayos.run("cat /proc/loadavg").strip())


def test_proc_cwd_exe_root_links(rayos):
    rayos.run("mkdir -p /tmp/pcwd/in && cd /tmp/pcwd/in")
    shell = rayos.run("echo $$").strip()
    out = rayos.run(f"ls -l /proc/{shell}/cwd /proc/self/exe /proc/1/root")
    assert re.search(rf"/proc/{shell}/cwd -> /tmp/pcwd/in$", out, re.M), out
    assert re.search(r"/proc/self/exe -> /bin/ls$", out, re.M), out
    assert re.search(r"/proc/1/root -> /$", out, re.M), out
    # A program run by a relative name, and the links lead somewhere.
    rayos.run("cp /bin/cat ./mycat")
    out = rayos.run("./mycat /proc/self/stat >/dev/null; ls -l /proc/self/cwd/")
    assert "mycat" in out, out
    assert rayos.run("readlink /proc/self/exe").strip() == "/bin/readlink"
    assert rayos.run("readlink -f /proc/self/cwd/mycat").strip() == "/tmp/pcwd/in/mycat"
    out = rayos.run("sh -c 'ls -l /proc/$$/exe' | sed 's/.*-> //'")
    assert out.strip() == "/bin/sh", out
    rayos.run("cd /; rm -r /tmp/pcwd")
    assert rayos.run(f"ls -l /proc/{shell}/cwd").rstrip().endswith("-> /")


def test_proc_fd_links_name_open_files(rayos):
    # ls -l shows where each descriptor leads: the file's path as it was
    # opened (through a symlink: the file itself), " (deleted)" once it is
    # removed, the console for init.
    rayos.run("mkdir -p /tmp/fdn && cd /tmp/fdn && echo hi > f && ln -s f l")
    out = rayos.run("ls -l /proc/self/fd/ 3<f 4<../fdn/l 5</tmp/fdn")
    assert re.search(r" 3 -> /tmp/fdn/f$", out, re.M), out
    assert re.search(r" 4 -> /tmp/fdn/f$", out, re.M), out
    assert re.search(r" 5 -> /tmp/fdn$", out, re.M), out
    rayos.run("exec 7>gone; rm gone")
    out = rayos.run("ls -l /proc/$$/fd/7; exec 7>&-")
    assert out.rstrip().endswith("-> /tmp/fdn/gone (deleted)"), out
    assert rayos.run("readlink /proc/1/fd/0").strip() == "/dev/console"
    rayos.run("cd /; rm -r /tmp/fdn")


@pytest.mark.rayos_only
def test_loadavg_follows_a_busy_program(rayos):
    # A program that never sleeps keeps one task runnable; the tick
    # samples every 5 s of guest time, so the 1-minute figure rises above
    # 0 within a few samples (polled, no fixed wait); the idle time in
    # /proc/uptime only grows.
    idle0 = float(rayos.run("cat /proc/uptime").split()[1])
    assert idle0 > 0  # the CPU idles while the shell waits for input
    rayos.run("t-spin &")
    figure = r"^(\d+\.\d\d) \d+\.\d\d \d+\.\d\d \d+/\d+ \d+$"
    try:
        for _ in range(60):
            out = rayos.run("sleep 1; cat /proc/loadavg")
            m = re.search(figure, out, re.M)
            assert m, out
            if m.group(1) != "0.00":
                break
    finally:
        rayos.run("kill $!; wait")
    assert float(m.group(1)) > 0, out
    assert float(rayos.run("cat /proc/uptime").split()[1]) >= idle0
    assert re.search(r"load average: \d+\.\d\d", rayos.run("uptime"))


def test_finished_process_disappears(rayos):
    pid = int(rayos.run("sh -c 'echo $$'").strip())
    out = rayos.run(f"ls /proc/{pid}; echo status=$?")
    assert "No such file or directory" in out and "status=2" in out, out
    assert str(pid) not in rayos.run("ls /proc").split()
    # A background sleeper is listed while it runs and gone once reaped.
    out = rayos.run("t-sleep 3 & t-sleep 1 >/dev/null; ps; wait; ps",
                    timeout=30)
    first, second = out.split("PID  PPID", 2)[1:]
    assert "t-sleep" in first and "t-sleep" not in second, out


def test_open_proc_file_outlives_its_process(rayos):
    # cat holds its own /proc/self/status open while reading it: the
    # snapshot was taken at open; the shell stays usable afterwards.
    for _ in range(3):
        assert "Name:\tcat" in rayos.run("cat /proc/self/status")
    assert rayos.run("echo alive").strip() == "alive"


def test_free(rayos):
    out = rayos.run("free")
    m = re.search(r"^Mem: +(\d+) +(\d+) +(\d+) +\d+ +\d+ +(\d+)$", out, re.M)
    assert m, out
    total, used, free, avail = map(int, m.groups())
    assert 100_000 < total < 1_000_000 and 0 < free <= total, out
    assert used == total - avail, out
    assert re.search(r"^Mem: +\d+Mi ", rayos.run("free -h"), re.M)
    assert re.search(r"^Mem: +\d+ ", rayos.run("free -m"), re.M)


def test_uptime(rayos):
    out = rayos.run("uptime")
    assert re.search(r"^ \d\d:\d\d:\d\d up .*, +1 user, +load average: "
                     r"\d+\.\d\d, \d+\.\d\d, \d+\.\d\d$", out, re.M), out
    assert rayos.run("uptime -p").startswith("up ")


@pytest.mark.rayos_only
def test_dmesg_has_the_kernel_banner(rayos):
    out = rayos.run("dmesg | grep RayOS")
    assert re.search(r"^\[ *\d+\.\d+\] .*RayOS", out, re.M), out
    assert rayos.run("dmesg -r | grep -c '^<[0-7]>'").strip() != "0"


@pytest.mark.rayos_only
def test_dev_kmsg_records(rayos):
    out = rayos.run("cat /dev/kmsg | grep RayOS")
    assert re.search(r"^6,\d+,\d+,-;RayOS .* booting", out, re.M), out
    lines = rayos.run("cat /dev/kmsg").splitlines()
    seqs = [int(x.split(",")[1]) for x in lines]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), lines
    assert all(re.match(r"^[0-7],\d+,\d+,-;", x) for x in lines), lines
    rayos.run("echo hello-kmsg > /dev/kmsg")
    assert re.search(r"^4,\d+,\d+,-;hello-kmsg$",
                     rayos.run("cat /dev/kmsg | grep hello-kmsg"), re.M)
    assert re.search(r"^\[ *\d+\.\d+\] hello-kmsg$",
                     rayos.run("dmesg | grep hello-kmsg"), re.M)


@pytest.mark.rayos_only
def test_dmesg_clear(rayos):
    # After the kmsg test: clearing must not disturb /dev/kmsg readers.
    out = rayos.run("dmesg")
    assert all(re.match(r"^\[ *\d+\.\d+\] ", x) for x in out.splitlines()), out
    rayos.run("echo mark-one > /dev/kmsg; dmesg -C; echo mark-two > /dev/kmsg")
    out = rayos.run("dmesg")
    assert "mark-two" in out and "mark-one" not in out, out
    assert "RayOS" not in out, out
    assert "mark-two" in rayos.run("dmesg -c")
    assert "mark-two" not in rayos.run("dmesg")
    assert "mark-one" in rayos.run("cat /dev/kmsg")
    out = rayos.run("dmesg -n 9; echo status=$?")
    assert "unknown level" in out and "status=2" in out, out


@pytest.mark.rayos_only
def test_df_and_mount(rayos):
    # The root is the ext2 partition (root=LABEL=rayos-root in boot.cfg).
    out = rayos.run("df")
    assert re.search(r"^/dev/vda2 +\d+ +\d+ +\d+ +\d+% /$", out, re.M), out
    assert re.search(r"^/dev/vda2 +\S+ +\S+ +\S+ +\d+% /$", rayos.run("df -h"),
                     re.M)
    out = rayos.run("mount")
    assert "/dev/vda2 on / type ext2 (rw)" in out, out
    assert "proc on /proc type proc (rw)" in out
    out = rayos.run("mount -t ramfs none /tmp; echo status=$?")
    assert "mount" in out and "status=32" in out, out
    # /etc is no mount point: refused (ENOSYS before umount2 exists,
    # EINVAL after), with util-linux's status.
    out = rayos.run("umount /etc; echo status=$?")
    assert "umount: /etc" in out and "status=32" in out, out
    out = rayos.run("umount; echo status=$?")
    assert "usage:" in out and "status=2" in out, out


def test_text_tools_in_pipelines(rayos):
    out = rayos.run("ls /bin | grep t- | sort -r | uniq -c")
    lines = out.splitlines()
    assert len(lines) > 5 and all(re.match(r"^ +1 t-", x) for x in lines), out
    names = [x.split()[1] for x in lines]
    assert names == sorted(names, reverse=True), out
    assert rayos.run("echo a:b:c | cut -d: -f2,3 | tr a-z A-Z | "
                     "sed 's/\\(.\\):/<\\1>/'").strip() == "<B>C"
    assert rayos.run("echo b a c a | tr ' ' '\\n' | sort | uniq -d").strip() \
        == "a"
    assert rayos.run("grep -c no-such-fs /proc/mounts; grep -q nothing /proc/mounts;"
                     " echo $?").split() == ["0", "1"]
    assert rayos.run("find /bin -name 't-e*' | sort").split() == \
        ["/bin/t-efault", "/bin/t-exec", "/bin/t-exit"]
    # The trailing slash follows the /proc/self symlink (find does not).
    assert "/proc/self/comm" in rayos.run("find /proc/self/ -name 'c*'")
    assert rayos.run("echo 1 2 3 | xargs -n 1 echo n | sed -n '$p'").strip() \
        == "n 3"
    out = rayos.run("echo hi | hexdump -C")
    assert out.splitlines() == [
        "00000000  68 69 0a                                          |hi.|",
        "00000003"], out
    assert re.match(r"^\d+\t/bin$", rayos.run("du -s /bin").strip())


def test_text_tools_options(rayos):
    rayos.run("mkdir -p /tmp/tt && cd /tmp/tt && "
              "echo -e 'b 10\\na 9\\nc 100\\nb 2' > rows && "
              "echo -e 'foo bar\\nfoobar\\nbaz foo\\nqux' > words")
    assert rayos.run("sort -k2,2n rows").split("\n")[0].strip() == "b 2"
    assert rayos.run("sort -k1,1 -k2,2nr rows").split() == \
        ["a", "9", "b", "10", "b", "2", "c", "100"]
    assert rayos.run("sort -c rows; echo status=$?").split()[-1] == "status=1"
    assert rayos.run("grep -w foo words").split("\n")[:2] == ["foo bar", "baz foo"]
    assert rayos.run("grep -o 'o*' words | sort -u").split() == ["oo"]
    assert rayos.run("grep -A1 qux words; grep -B1 -n qux words").split() == \
        ["qux", "3-baz", "foo", "4:qux"]
    assert rayos.run("grep -c -e bar -e qux words").strip() == "3"
    # sed: hold space, branches, blocks, a/i/c, y and -i
    assert rayos.run("sed -n '1!G;h;$p' rows").split() == \
        ["b", "2", "c", "100", "a", "9", "b", "10"]
    assert rayos.run("sed -e :a -e 's/o/0/' -e ta words | head -n 1").strip() == "f00 bar"
    assert rayos.run("sed -e '/qux/{s/q/Q/;a after' -e '}' words | tail -n 2").split() == \
        ["Qux", "after"]
    assert rayos.run("sed '1i top' words | head -n 1").strip() == "top"
    assert rayos.run("sed '2,3c gone' words").split("\n")[:3] == ["foo bar", "gone", "qux"]
    assert rayos.run("echo abc | sed 'y/abc/xyz/'").strip() == "xyz"
    assert rayos.run("sed '$!N;s/\\n/+/' rows").split("\n")[:2] == ["b 10+a 9", "c 100+b 2"]
    rayos.run("chmod 640 words; sed -i 's/foo/FOO/g' words")
    assert rayos.run("head -n 1 words; stat -c %a words").split() == ["FOO", "bar", "640"]
    # xargs and du
    assert rayos.run("echo -e 'a b\\nc' | xargs -L 1 echo L").split("\n")[:2] == \
        ["L a b", "L c"]
    assert rayos.run("echo -e 'x\\ny' | xargs -I {} echo '<{}>'").split() == \
        ["<x>", "<y>"]
    out = rayos.run("du -c rows words")
    assert re.search(r"^\d+\ttotal$", out, re.M), out
    rayos.run("cd /; rm -r /tmp/tt")
