/*
 * user/tests/t-efault.c - t-efault: the kernel must check every user
 * pointer. read() and write() (raw syscall(), so libc cannot interfere) on
 * a pipe that has data / room, with these buffers:
 *   - a kernel address (0xffffffff80000000, the kernel image)
 *   - an unmapped user address (0x10)
 *   - a range that starts mapped and runs into an unmapped page
 *   - NULL
 * must each fail with -1/EFAULT (and not crash the kernel or this
 * process). So must open() with a bad path pointer. A fresh pipe is used
 * for every case so that one result cannot affect the next.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int failures;

static void expect_efault(long r, const char *what)
{
	int e = errno;

	if (r == -1 && e == EFAULT) {
		printf("PASS: %s -> EFAULT\n", what);
	} else {
		printf("FAIL: %s -> %ld (%s), expected -1/EFAULT\n", what, r,
		       r == -1 ? strerror(e) : "no error");
		failures++;
	}
}

static void check_read(void *buf, const char *name)
{
	int p[2];
	char what[96];

	if (pipe(p) < 0 || write(p[1], "0123456789abcdef", 16) != 16) {
		printf("FAIL: pipe setup: %s\n", strerror(errno));
		failures++;
		return;
	}
	snprintf(what, sizeof what, "read into %s", name);
	expect_efault(syscall(SYS_read, p[0], buf, 16), what);
	close(p[0]);
	close(p[1]);
}

static void check_write(const void *buf, const char *name)
{
	int p[2];
	char what[96];

	if (pipe(p) < 0) {
		printf("FAIL: pipe setup: %s\n", strerror(errno));
		failures++;
		return;
	}
	snprintf(what, sizeof what, "write from %s", name);
	expect_efault(syscall(SYS_write, p[1], buf, 16), what);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	void *kernel = (void *)0xffffffff80000000UL;
	void *low = (void *)0x10;
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *straddle;

	if (map == MAP_FAILED) {
		printf("FAIL: mmap: %s\n", strerror(errno));
		return 1;
	}
	memset(map, 'x', 2 * page);
	if (munmap(map + page, page) < 0) {
		printf("FAIL: munmap: %s\n", strerror(errno));
		return 1;
	}
	straddle = map + page - 8; /* 8 mapped bytes, then an unmapped page */

	check_read(kernel, "a kernel address");
	check_read(low, "unmapped address 0x10");
	check_read(straddle, "a range running into unmapped memory");
	check_read(NULL, "NULL");
	check_write(kernel, "a kernel address");
	check_write(low, "unmapped address 0x10");
	check_write(straddle, "a range running into unmapped memory");
	check_write(NULL, "NULL");
	expect_efault(syscall(SYS_open, low, O_RDONLY), "open with path 0x10");
	expect_efault(syscall(SYS_open, kernel, O_RDONLY), "open with a kernel path");
	expect_efault(syscall(SYS_open, NULL, O_RDONLY), "open with a NULL path");

	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
