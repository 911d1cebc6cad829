/*
 * user/tests/t-loadshare.c - programs that run one after the other see
 * their own file's bytes, however the kernel shares loaded pages between
 * them (RayOS keeps exec's pages: kernel/proc/exec_pages.c):
 *   - a process that makes its read-only data writable (mprotect) and
 *     changes it does not change what the next exec of the same file sees;
 *   - .data written by one run starts fresh in the next;
 *   - a copy of this program rewritten in place (pwrite, same size, same
 *     inode) or truncated and written again (O_TRUNC) runs the new bytes
 *     on the next exec.
 * Works on Linux too. Scratch file: /tmp/t-loadshare.copy.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define COPY "/tmp/t-loadshare.copy"

static const char marker[] = "MARK-AAAA";   /* .rodata, rewritten in the copy */
static const int konst = 1234;              /* .rodata, changed after mprotect */
static int data = 42;                       /* .data */
static int failures;

static void check(int ok, const char *what, const char *got)
{
	printf("%s %s: %s\n", ok ? "ok  " : "FAIL", what, got);
	if (!ok)
		failures++;
}

/* Run path with argument "child"; its output (one line) into buf. */
static void run_child(const char *path, char *buf, size_t size)
{
	int pfd[2];
	if (pipe(pfd))
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(path, path, "child", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	size_t len = 0;
	ssize_t n;
	while (len < size - 1 && (n = read(pfd[0], buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
}

static char *read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	ssize_t r;
	while (b && (r = read(fd, b + n, cap - n)) > 0) {
		n += r;
		if (n == cap)
			b = realloc(b, cap *= 2);
	}
	close(fd);
	*len = n;
	return b;
}

/* Write the bytes to COPY: in place (same inode) or truncating. */
static void write_copy(const char *b, size_t len, int flags)
{
	int fd = open(COPY, O_WRONLY | O_CREAT | flags, 0755);
	if (fd < 0 || pwrite(fd, b, len, 0) != (ssize_t)len) {
		printf("cannot write " COPY "\n");
		exit(1);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child")) {
		printf("%s %d %d\n", marker, *(const volatile int *)&konst, data);
		data = 7; /* the next run must not see this */
		return 0;
	}
	char buf[256], want[64];
	const char *self = argv[0][0] == '/' ? argv[0] : "/proc/self/exe";

	/* Make konst's page writable and change it: ours only. */
	long pg = sysconf(_SC_PAGESIZE);
	void *page = (void *)((unsigned long)&konst & ~(pg - 1));
	if (mprotect(page, pg, PROT_READ | PROT_WRITE)) {
		printf("FAIL mprotect\n");
		return 1;
	}
	*(volatile int *)&konst = 5678;
	run_child(self, buf, sizeof(buf));
	check(!strcmp(buf, "MARK-AAAA 1234 42"), "run after a run changed its rodata and data", buf);
	run_child(self, buf, sizeof(buf));
	check(!strcmp(buf, "MARK-AAAA 1234 42"), "and again", buf);
	snprintf(want, sizeof(want), "%d", *(const volatile int *)&konst);
	check(!strcmp(want, "5678"), "our own changed rodata", want);

	/* A copy, run once, then rewritten in place: the new bytes run. */
	size_t len;
	char *img = read_all(self, &len);
	if (!img) {
		printf("cannot read %s\n", self);
		return 1;
	}
	char needle[16] = "MARK-";
	for (int i = 0; i < 4; i++)
		needle[5 + i] = (char)('A' + (argc > 99)); /* not a literal in the file */
	/* With its NUL: the expected outputs below start with it too. */
	char *hit = memmem(img, len, needle, 10);
	if (!hit) {
		printf("FAIL marker not found in %s\n", self);
		return 1;
	}
	unlink(COPY);
	write_copy(img, len, O_TRUNC);
	run_child(COPY, buf, sizeof(buf));
	check(!strcmp(buf, "MARK-AAAA 1234 42"), "copy", buf);
	memcpy(hit + 5, "BBBB", 4);
	write_copy(img, len, 0);
	run_child(COPY, buf, sizeof(buf));
	check(!strcmp(buf, "MARK-BBBB 1234 42"), "copy rewritten in place", buf);
	memcpy(hit + 5, "CCCC", 4);
	write_copy(img, len, O_TRUNC);
	run_child(COPY, buf, sizeof(buf));
	check(!strcmp(buf, "MARK-CCCC 1234 42"), "copy rewritten with O_TRUNC", buf);
	unlink(COPY);
	free(img);
	puts(failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
