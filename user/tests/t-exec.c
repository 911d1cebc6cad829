/*
 * user/tests/t-exec.c - execve's error cases and #! scripts, checked
 * against what Linux does:
 *   missing file ENOENT, directory EACCES, file without x bit EACCES,
 *   garbage with x bit ENOEXEC, truncated ELF ENOEXEC, a #! loop ELOOP,
 *   one 200 KiB argument E2BIG, 3 MiB of arguments E2BIG, a bad pointer in
 *   argv EFAULT; and "#!/bin/echo first" run with argv {"s", "x"} prints
 *   "first /tmp/t-exec.sh x" (interpreter, its one argument, script path,
 *   the rest of argv).
 * Works on Linux too. Scratch files go to /tmp.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
extern char **environ;

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		printf("cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
	chmod(path, mode);
}

/* execve in a child, so that a wrong success cannot end this program. */
static void expect_errno(const char *what, const char *path, char *const argv[], int want)
{
	int pfd[2];
	if (pipe(pfd))
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		syscall(SYS_execve, path, argv, environ);
		int e = errno;
		write(pfd[1], &e, sizeof(e));
		_exit(0);
	}
	close(pfd[1]);
	int got = -1;
	ssize_t n = read(pfd[0], &got, sizeof(got));
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	if (n != sizeof(got)) {
		printf("FAIL %s: execve succeeded\n", what);
		failures++;
	} else if (got != want) {
		printf("FAIL %s: errno %d (%s), expected %d (%s)\n", what, got, strerror(got), want,
		       strerror(want));
		failures++;
	} else {
		printf("ok   %s: %s\n", what, strerror(got));
	}
}

static void check_script(void)
{
	const char *script = "#!/bin/echo first\nthis line is not read\n";
	write_file("/tmp/t-exec.sh", script, strlen(script), 0755);
	int pfd[2];
	if (pipe(pfd))
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		char *argv[] = { "s", "x", NULL };
		execve("/tmp/t-exec.sh", argv, environ);
		_exit(127);
	}
	close(pfd[1]);
	char buf[256] = { 0 };
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(buf) - 1 && (n = read(pfd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(pfd[0]);
	int status;
	waitpid(pid, &status, 0);
	if (strcmp(buf, "first /tmp/t-exec.sh x\n") || !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("FAIL #! script: output \"%s\", status %#x\n", buf, status);
		failures++;
	} else {
		printf("ok   #! script: %s", buf);
	}
}

int main(void)
{
	char *argv[] = { "x", NULL };
	expect_errno("missing file", "/tmp/no/such/file", argv, ENOENT);
	expect_errno("directory", "/tmp", argv, EACCES);
	write_file("/tmp/t-exec.noexec", "#!/bin/sh\n", 10, 0644);
	expect_errno("no x bit", "/tmp/t-exec.noexec", argv, EACCES);
	char junk[600];
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 37 + 11);
	junk[0] = 'Z';
	write_file("/tmp/t-exec.junk", junk, sizeof(junk), 0755);
	expect_errno("garbage", "/tmp/t-exec.junk", argv, ENOEXEC);

	/* The first 100 bytes of a real ELF: header fine, program headers cut. */
	int fd = open("/bin/t-exit", O_RDONLY);
	if (fd < 0)
		fd = open("/proc/self/exe", O_RDONLY); /* on a host without /bin/t-exit */
	char head[100];
	if (fd < 0 || read(fd, head, sizeof(head)) != sizeof(head)) {
		printf("cannot read an ELF file to truncate\n");
		return 1;
	}
	close(fd);
	write_file("/tmp/t-exec.trunc", head, sizeof(head), 0755);
	expect_errno("truncated ELF", "/tmp/t-exec.trunc", argv, ENOEXEC);

	const char *loop = "#!/tmp/t-exec.loop\n";
	write_file("/tmp/t-exec.loop", loop, strlen(loop), 0755);
	expect_errno("#! loop", "/tmp/t-exec.loop", argv, ELOOP);

	size_t big = 200 * 1024;
	char *huge = malloc(big + 1);
	memset(huge, 'a', big);
	huge[big] = 0;
	char *argv_huge[] = { "x", huge, NULL };
	const char *exe = access("/bin/t-exit", X_OK) == 0 ? "/bin/t-exit" : "/bin/true";
	expect_errno("200 KiB argument", exe, argv_huge, E2BIG);

	enum { N = 30 };
	char *many[N + 2];
	many[0] = "x";
	for (int i = 1; i <= N; i++) {
		many[i] = malloc(100 * 1024);
		memset(many[i], 'b', 100 * 1024 - 1);
		many[i][100 * 1024 - 1] = 0;
	}
	many[N + 1] = NULL;
	expect_errno("3 MiB of arguments", exe, many, E2BIG);

	char *bad[] = { "x", (char *)0x10, NULL };
	expect_errno("bad argv pointer", exe, bad, EFAULT);

	check_script();
	unlink("/tmp/t-exec.sh");
	unlink("/tmp/t-exec.noexec");
	unlink("/tmp/t-exec.junk");
	unlink("/tmp/t-exec.trunc");
	unlink("/tmp/t-exec.loop");
	puts(failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
