"""tests/integration/test_coreutils.py - the utilities of issue 3 (part A)
as a person uses them at the RayOS prompt: a directory tree in /tmp made,
copied, moved and removed; links; chmod and stat showing the mode; wc,
head and tail of files; test/[ in shell conditions; kill of a background
program; date formats; ids and the environment (user/coreutils/).
"""
import re


def lines(out):
    return [l.rstrip() for l in out.split("\n") if l.strip()]


def test_tree_copy_move_remove(rayos):
    assert rayos.status("mkdir -p /tmp/ct/a/b/c && cd /tmp/ct") == 0
    rayos.run("echo hello > a/b/c/f; echo second > a/top")
    assert rayos.run("mkdir a").strip() == \
        "mkdir: cannot create directory 'a': File exists"
    assert rayos.status("mkdir -p a/b") == 0
    assert rayos.status("cp -r a a2") == 0
    assert rayos.run("cat a2/b/c/f a2/top").split() == ["hello", "second"]
    assert "omitting directory 'a'" in rayos.run("cp a a3")
    # file -> file, files -> dir
    rayos.run("cp a/top t1; mkdir d; cp a/top a/b/c/f d")
    assert rayos.run("ls d").split() == ["f", "top"]
    assert rayos.run("cat t1").strip() == "second"
    # rename, move into a directory
    assert rayos.status("mv t1 t2 && mv t2 d") == 0
    assert rayos.run("ls d").split() == ["f", "t2", "top"]
    assert rayos.status("test -e t2") == 1
    assert rayos.status("mv a2 moved && test -d moved/b/c && test ! -e a2") == 0
    # remove
    assert rayos.run("rm nosuch").strip() == \
        "rm: cannot remove 'nosuch': No such file or directory"
    assert rayos.status("rm nosuch") == 1
    assert rayos.status("rm -f nosuch") == 0
    assert "Is a directory" in rayos.run("rm d")
    assert rayos.status("rm -r d moved a/b/c/f && rmdir a/b/c && test ! -e a/b/c") == 0
    assert rayos.run("rmdir a").strip() == \
        "rmdir: failed to remove 'a': Directory not empty"
    rayos.run("cd /")
    assert rayos.status("rm -rf /tmp/ct && test ! -e /tmp/ct") == 0


def test_links(rayos):
    rayos.run("mkdir -p /tmp/lk && cd /tmp/lk && echo data > file")
    assert rayos.status("ln -s file sym && ln file hard") == 0
    assert rayos.run("cat sym hard").split() == ["data", "data"]
    assert rayos.status("[ -L sym ] && [ ! -L hard ] && [ -f sym ]") == 0
    assert rayos.run("stat -c %h file").strip() == "2"
    assert "File exists" in rayos.run("ln -s file sym")
    assert rayos.status("ln -sf hard sym") == 0
    assert "sym -> hard" in rayos.run("ls -l sym")
    assert rayos.run("stat sym").split("\n")[0].strip() == "File: sym -> hard"
    rayos.run("cd /; rm -r /tmp/lk")


def test_chmod_and_stat(rayos):
    rayos.run("cd /tmp && touch perm && chmod 640 perm")
    assert rayos.run("stat -c '%a %A' perm").strip() == "640 -rw-r-----"
    rayos.run("chmod u+x,g+w,o+r perm")
    assert rayos.run("stat -c %a perm").strip() == "764"
    rayos.run("chmod 750 perm; chmod go-rwx perm")
    assert re.search(r"^-rwx------ ", rayos.run("ls -l perm"), re.M)
    out = rayos.run("stat perm")
    assert re.search(r"^  File: perm$", out, re.M), out
    assert re.search(r"^  Size: 0 +\tBlocks: \d+ +IO Block: \d+ +regular empty file$",
                     out, re.M), out
    assert re.search(r"^Access: \(0700/-rwx------\)  Uid: \(    0/    root\)"
                     r"   Gid: \(    0/    root\)$", out, re.M), out
    assert re.search(r"^Modify: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4}$",
                     out, re.M), out
    assert rayos.status("chmod 999 perm") == 1
    assert rayos.status("chown root:root perm && chown 0 perm") == 0
    assert rayos.run("mkdir -m 711 /tmp/md; stat -c %a /tmp/md").strip() == "711"
    assert rayos.run("stat /nosuch").strip() == \
        "stat: cannot statx '/nosuch': No such file or directory"
    rayos.run("rm -r perm /tmp/md; cd /")


def test_touch_times(rayos):
    rayos.run("cd /tmp && touch -d '2021-05-06 07:08:09' old")
    out = rayos.run("stat -c %y old")
    assert out.strip().startswith("2021-05-06 07:08:09"), out
    rayos.run("touch old")
    assert not rayos.run("stat -c %y old").strip().startswith("2021")
    rayos.run("rm old; cd /")


def test_wc_head_tail(rayos):
    rayos.run("cd /tmp && seq 1 100 > hundred")
    assert rayos.run("wc -l hundred").strip() == "100 hundred"
    assert rayos.run("wc hundred").strip() == "100 100 292 hundred"
    assert rayos.run("echo one two three | wc -w").strip() == "3"
    out = rayos.run("wc -l hundred hundred")
    assert lines(out)[-1].split() == ["200", "total"], out
    assert lines(rayos.run("head -n 3 hundred")) == ["1", "2", "3"]
    assert lines(rayos.run("tail -n 2 hundred")) == ["99", "100"]
    assert rayos.run("head -c 4 hundred | wc -c").strip() == "4"
    assert lines(rayos.run("tail -n +99 hundred")) == ["99", "100"]
    assert lines(rayos.run("seq 10 | head -n 5 | tail -n 1")) == ["5"]
    assert rayos.run("seq -s , 1 5").strip() == "1,2,3,4,5"
    assert lines(rayos.run("seq -w 9 11")) == ["09", "10", "11"]
    assert lines(rayos.run("echo t | tee tf; cat tf")) == ["t", "t"]
    rayos.run("rm hundred tf; cd /")


def wait_for_lines(rayos, cmd, want, tries=60):
    """Run cmd until its output lines are want (polled, no fixed sleep)."""
    for _ in range(tries):
        got = lines(rayos.run(cmd))
        if got == want:
            return got
        rayos.run("sleep 0.2")
    return got


def test_tail_follow(rayos):
    rayos.run("cd /tmp && echo start > grow && echo other > grow2")
    rayos.run("tail -f grow > seen &")
    assert wait_for_lines(rayos, "cat seen", ["start"]) == ["start"]
    rayos.run("echo more >> grow")
    assert wait_for_lines(rayos, "cat seen", ["start", "more"]) == ["start", "more"]
    rayos.run("kill $!")
    rayos.run("wait")
    # Two files: a header whenever the output switches file; --pid ends it.
    rayos.run("t-sleep 60 & P=$!; tail -f --pid=$P -s 0.1 grow grow2 > seen2 &")
    both = ["==> grow <==", "start", "more", "==> grow2 <==", "other"]
    assert wait_for_lines(rayos, "cat seen2", both) == both
    rayos.run("echo third >> grow")
    want = both + ["==> grow <==", "third"]
    assert wait_for_lines(rayos, "cat seen2", want) == want
    # tail ends by itself once the process it watches is gone.
    rayos.run("kill $P; wait", timeout=30)
    assert rayos.status("kill -0 $!") == 1
    rayos.run("rm grow grow2 seen seen2; cd /")


def test_test_and_brackets(rayos):
    out = rayos.run("[ -d /tmp ] && echo dir; [ -f /tmp ] || echo notfile; "
                    "test 3 -lt 10 && echo lt; [ abc = abc -a -n x ] && echo and; "
                    "[ ! -e /nosuch ] && echo absent; [ \\( 1 -eq 2 \\) -o -x /bin/sh ] && echo or")
    assert lines(out) == ["dir", "notfile", "lt", "and", "absent", "or"]
    assert rayos.status("[ -z '' ]") == 0
    assert rayos.status("[ 1 -gt 2 ]") == 1
    assert rayos.status("[ 1 -gt x ]") == 2
    assert rayos.status("[ 1 = 1") == 2
    assert rayos.status("test -s /etc/passwd -a -r /etc/passwd -a -w /etc/passwd") == 0


def test_kill_background_sleep(rayos):
    # The shell's wait gives no status: check with signal 0 that the
    # program was running before and is gone after.
    for sig in ("-s TERM", "-KILL", "-9", ""):
        rayos.run("t-sleep 30 &")
        assert rayos.status("kill -0 $!") == 0
        assert rayos.status(f"kill {sig} $!") == 0
        rayos.run("wait")
        out = rayos.run("kill -0 $!; echo \"status=$?\"")
        assert "No such process" in out and "status=1" in out, (sig, out)
    assert rayos.run("kill -l 9").strip() == "KILL"
    assert rayos.run("kill -l 143").strip() == "TERM"
    assert "No such process" in rayos.run("kill 99999")
    assert rayos.status("kill -NOSUCH 1") == 2


def test_sleep_fractional(rayos):
    assert rayos.status("sleep 0.3") == 0
    assert "invalid time interval" in rayos.run("sleep abc")


def test_date(rayos):
    out = rayos.run("date").strip()
    assert re.match(r"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \w+ \d{4}$", out), out
    assert rayos.run("date -u -d @0").strip() == "Thu Jan  1 00:00:00 UTC 1970"
    assert rayos.run("date -u -d @1700000000 +%Y-%m-%dT%H:%M:%S").strip() == \
        "2023-11-14T22:13:20"
    assert re.match(r"^\d{4}-\d\d-\d\d$", rayos.run("date +%F").strip())
    assert int(rayos.run("date +%s").strip()) > 1600000000


def test_ids_env_and_names(rayos):
    assert rayos.run("id").strip() == "uid=0(root) gid=0(root) groups=0(root)"
    assert rayos.run("whoami").strip() == "root"
    assert rayos.run("id -u; id -gn").split() == ["0", "root"]
    assert rayos.run("which ls").strip() == "/bin/ls"
    assert rayos.status("which nosuchcmd") == 1
    assert rayos.run("env -i A=1 B=2 printenv").split() == ["A=1", "B=2"]
    assert rayos.run("env -i X=y printenv X").strip() == "y"
    assert rayos.run("printenv HOME").strip() == "/root"
    assert rayos.run("basename /usr/lib/libc.so .so; dirname /usr/lib/libc.so").split() \
        == ["libc", "/usr/lib"]
    assert rayos.run("yes | head -n 2").split() == ["y", "y"]
    assert rayos.status("true") == 0 and rayos.status("/bin/false") == 1
    assert rayos.status("sync") == 0


def test_hostname(rayos):
    old = rayos.run("hostname").strip()
    assert old
    assert rayos.status("hostname testhost") == 0
    assert rayos.run("hostname").strip() == "testhost"
    rayos.run(f"hostname '{old}'")
    assert rayos.run("uname -n").strip() == old


def test_ls_options(rayos):
    rayos.run("mkdir -p /tmp/lso/d/e /tmp/lso/.dot && cd /tmp/lso")
    rayos.run("yes | head -c 2000000 > big; echo hi > a; chmod 755 a; "
              "ln -s a lnk; touch -d 2020-01-01 old; touch d/e/x")
    assert rayos.run("ls -1").split() == ["a", "big", "d", "lnk", "old"]
    assert rayos.run("ls -1a").split()[:3] == [".", "..", ".dot"]
    assert rayos.run("ls -1A").split() == [".dot", "a", "big", "d", "lnk", "old"]
    assert rayos.run("ls -1r").split() == ["old", "lnk", "d", "big", "a"]
    assert rayos.run("ls -1t").split()[-1] == "old"
    assert rayos.run("ls -1S a big old").split() == ["big", "a", "old"]
    assert rayos.run("ls -1F").split() == ["a*", "big", "d/", "lnk@", "old"]
    assert rayos.run("ls -d d").strip() == "d"
    out = rayos.run("ls -lh big old")
    assert re.search(r"^-\S+ +1 root +root +2\.0M \w{3} [ \d]\d \d\d:\d\d big$",
                     out, re.M), out
    assert re.search(r" Jan  1  2020 old$", out, re.M), out
    assert re.match(r"^total \d+$", rayos.run("ls -l d").splitlines()[0])
    assert rayos.run("ls -R d").split() == ["d:", "e", "d/e:", "x"]
    # Columns and colours on the terminal: GNU's default colours.
    out = rayos.run("ls")
    assert out.split() == ["a", "big", "d", "lnk", "old"], out
    assert len(out.strip().splitlines()) == 1, out
    raw = rayos.child.before
    assert "\x1b[01;34md\x1b[0m" in raw and "\x1b[01;32ma\x1b[0m" in raw, raw
    assert "\x1b[01;36mlnk\x1b[0m" in raw, raw
    rayos.run("ls --color=never")
    assert "\x1b[" not in rayos.child.before
    out = rayos.run("ls nosuch; echo status=$?")
    assert "ls: cannot access 'nosuch': No such file or directory" in out
    assert "status=2" in out
    rayos.run("cd /; rm -r /tmp/lso")


def test_pwd_and_clear(rayos):
    rayos.run("mkdir -p /tmp/pw/real && ln -s real /tmp/pw/link && cd /tmp/pw/link")
    assert rayos.run("/bin/pwd").strip() == "/tmp/pw/real"
    assert rayos.run("/bin/pwd -P").strip() == "/tmp/pw/real"
    assert rayos.run("PWD=/tmp/pw/link /bin/pwd -L").strip() == "/tmp/pw/link"
    assert rayos.run("PWD=/tmp /bin/pwd -L").strip() == "/tmp/pw/real"
    rayos.run("cd /; rm -r /tmp/pw")
    out = rayos.run("clear | hexdump -C")
    assert out.splitlines()[0].startswith(
        "00000000  1b 5b 48 1b 5b 32 4a 1b  5b 33 4a"), out
    assert rayos.run("TERM=dumb clear | wc -c").strip() == "0"


def test_find_expressions(rayos):
    rayos.run("mkdir -p /tmp/fx/sub/deep && cd /tmp/fx && echo x > sub/a.c && "
              "echo y > sub/deep/b.c && touch empty && chmod 755 sub/a.c")
    assert rayos.run("find . -name '*.c' -o -name empty | sort").split() == \
        ["./empty", "./sub/a.c", "./sub/deep/b.c"]
    assert rayos.run("find . ! -type d | sort").split() == \
        ["./empty", "./sub/a.c", "./sub/deep/b.c"]
    assert rayos.run("find . -name deep -prune -o -type f -print | sort").split() == \
        ["./empty", "./sub/a.c"]
    assert rayos.run("find . -empty").split() == ["./empty"]
    assert rayos.run("find . -perm -111 -type f").split() == ["./sub/a.c"]
    out = rayos.run("find sub -type f -exec echo X {} +").split()
    assert out[0] == "X" and sorted(out[1:]) == ["sub/a.c", "sub/deep/b.c"], out
    assert rayos.run("find . -size +0 \\( -name a.c -o -name b.c \\) | sort").split() \
        == ["./sub/a.c", "./sub/deep/b.c"]
    assert rayos.status("find sub -name '*.c' -delete && test ! -e sub/a.c && "
                        "test -d sub/deep") == 0
    out = rayos.run("find nosuch; echo status=$?")
    assert "find: 'nosuch': No such file or directory" in out and "status=1" in out
    out = rayos.run("find . -bogus; echo status=$?")
    assert "unknown predicate" in out and "status=2" in out, out
    rayos.run("cd /; rm -r /tmp/fx")


def test_bad_options_usage(rayos):
    for cmd in ("mkdir -z x", "wc -z", "head -z", "cp -z a b", "rm -z x", "seq -z 1",
                "chmod -z 1 x", "tail -z", "date -z", "ln -z a b", "ls -z",
                "ps -z", "df -z", "du -z", "find . -z", "/bin/pwd -z", "clear -z",
                "dmesg -z", "sort -z", "grep -z x", "sed -z p"):
        out = rayos.run(f"{cmd}; echo \"status=$?\"")
        assert "usage:" in out and "status=2" in out, (cmd, out)
