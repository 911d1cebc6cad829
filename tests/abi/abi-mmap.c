/*
 * tests/abi/abi-mmap.c - address-space calls (see tests/abi/README.md):
 * mremap (shrink, grow in place, move, MREMAP_FIXED, errors), msync
 * arguments, madvise (DONTNEED refilling with zeros, holes, errors, a huge
 * unmapped range), MAP_FIXED_NOREPLACE, MAP_POPULATE, MAP_SHARED anonymous
 * memory across fork, munmap/mprotect errors, and the areas and memory
 * figures in /proc/self/maps and /proc/self/status.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define PG 4096
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static void *map(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static int filled(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* Does /proc/self/maps list an area starting at p? */
static int in_maps(void *p)
{
	char want[32], buf[8192];
	snprintf(want, sizeof(want), "%lx-", (unsigned long)p);
	int fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, want, strlen(want)) ||
		    (line[0] == '0' && !strncmp(line + 1, want, strlen(want))))
			return 1;
	return 0;
}

static void test_mremap(void)
{
	char *p = map(4 * PG);
	memset(p, 'a', 4 * PG);
	char *q = mremap(p, 4 * PG, 2 * PG, 0);
	CHECK("shrink in place", q == p && filled(q, 2 * PG, 'a'));
	/* Grow in place into the pages just freed. */
	q = mremap(p, 2 * PG, 3 * PG, 0);
	CHECK("grow in place", q == p);
	CHECK("new page is zero", q != MAP_FAILED && filled(q + 2 * PG, PG, 0));
	CHECK("old contents kept", q != MAP_FAILED && filled(q, 2 * PG, 'a'));
	/* Block growth with a neighbour, then move. */
	char *wall = mmap(p + 3 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	errno = 0;
	q = mremap(p, 3 * PG, 8 * PG, 0);
	printf("grow blocked without MAYMOVE: %s\n", q == MAP_FAILED ? ename(errno) : "ok");
	q = mremap(p, 3 * PG, 8 * PG, MREMAP_MAYMOVE);
	CHECK("moved", q != MAP_FAILED && q != p);
	CHECK("contents moved", q != MAP_FAILED && filled(q, 2 * PG, 'a') && filled(q + 3 * PG, 5 * PG, 0));
	CHECK("old range unmapped", !in_maps(p));
	/* MREMAP_FIXED to a chosen address. */
	char *target = map(8 * PG);
	munmap(target, 8 * PG);
	char *r = mremap(q, 8 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	CHECK("fixed move", r == target && filled(r, 2 * PG, 'a'));
	munmap(r, 8 * PG);
	munmap(wall, PG);

	errno = 0;
	R("mremap unaligned", mremap(p + 1, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
	R("mremap bad flags", mremap(p, PG, 2 * PG, 0x80) == MAP_FAILED ? -1 : 0);
	R("mremap FIXED without MAYMOVE", mremap(p, PG, 2 * PG, MREMAP_FIXED, p) == MAP_FAILED ? -1 : 0);
	R("mremap zero new size", mremap(p, PG, 0, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
	R("mremap unmapped", mremap(p, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);

	/* A large realloc goes through mremap in musl. */
	char *big = malloc(1 << 20);
	memset(big, 'z', 1 << 20);
	big = realloc(big, 4 << 20);
	CHECK("realloc 1M to 4M keeps data", big && filled(big, 1 << 20, 'z'));
	free(big);
}

static void test_msync(void)
{
	char *p = map(2 * PG);
	R("msync", msync(p, 2 * PG, MS_SYNC));
	R("msync async", msync(p, PG, MS_ASYNC));
	R("msync both", msync(p, PG, MS_SYNC | MS_ASYNC));
	R("msync unaligned", msync(p + 1, PG, MS_SYNC));
	R("msync bad flags", msync(p, PG, 0x100));
	munmap(p + PG, PG);
	R("msync over a hole", msync(p, 2 * PG, MS_SYNC));
	munmap(p, PG);
}

static void test_madvise(void)
{
	char *p = map(4 * PG);
	memset(p, 'x', 4 * PG);
	R("madvise DONTNEED", madvise(p, 2 * PG, MADV_DONTNEED));
	CHECK("DONTNEED refills with zeros", filled(p, 2 * PG, 0) && filled(p + 2 * PG, 2 * PG, 'x'));
	R("madvise WILLNEED", madvise(p, 4 * PG, MADV_WILLNEED));
	R("madvise unaligned", madvise(p + 1, PG, MADV_DONTNEED));
	R("madvise unknown advice", madvise(p, PG, 7));
	R("madvise zero length", madvise(p, 0, MADV_DONTNEED));
	R("madvise length wraps", madvise(p, (size_t)-PG, MADV_DONTNEED));
	R("madvise length rounds to 0", madvise(p, (size_t)-1, MADV_DONTNEED));
	munmap(p + 2 * PG, PG);
	memset(p, 'y', 2 * PG);
	p[3 * PG] = 'y';
	R("madvise over a hole", madvise(p, 4 * PG, MADV_DONTNEED));
	CHECK("the mapped parts were cleared", filled(p, 2 * PG, 0) && p[3 * PG] == 0);
	R("madvise WILLNEED over a hole", madvise(p, 4 * PG, MADV_WILLNEED));
	/* 32 TiB from 1 TiB up, unmapped: must fail at once. RayOS once
	 * walked such a range page by page holding the mm lock, a hang
	 * that SIGKILL could not end. */
	R("madvise DONTNEED over 32 TiB", madvise((void *)(1ULL << 40), 1ULL << 45, MADV_DONTNEED));
	munmap(p, 4 * PG);
}

static void test_flags(void)
{
	char *p = map(2 * PG);
	void *r = mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("FIXED_NOREPLACE over a mapping: %s\n", r == MAP_FAILED ? ename(errno) : "mapped");
	munmap(p, 2 * PG);
	r = mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK("FIXED_NOREPLACE on free space", r == p);
	munmap(r, PG);
	char *pop = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	CHECK("MAP_POPULATE zero-filled", pop != MAP_FAILED && filled(pop, 16 * PG, 0));
	munmap(pop, 16 * PG);
	R("mmap zero length", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
	R("mmap no type", mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
	R("mmap bad fd", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED ? -1 : 0);
	R("mmap unaligned offset", mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 5) == MAP_FAILED ? -1 : 0);
	R("munmap unaligned", munmap((char *)p + 1, PG));
	R("munmap zero length", munmap(p, 0));
	R("munmap unmapped is fine", munmap(p, PG));
	R("mprotect unmapped", mprotect(p, PG, PROT_READ));
	R("mprotect bad prot", mprotect(p, PG, 0x100));

	/* MAP_SHARED anonymous memory stays shared across fork. */
	int *s = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*s = 1;
	pid_t c = fork();
	if (!c) {
		*s = 2;
		_exit(0);
	}
	waitpid(c, NULL, 0);
	printf("shared after child's write: %d\n", *s);
	munmap(s, PG);
}

static void test_proc(void)
{
	char *p = map(3 * PG);
	CHECK("new mapping in /proc/self/maps", in_maps(p));
	munmap(p, 3 * PG);
	CHECK("gone after munmap", !in_maps(p));
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	CHECK("status has VmSize", strstr(buf, "\nVmSize:") != NULL);
	CHECK("status has VmRSS", strstr(buf, "\nVmRSS:") != NULL);
	fd = open("/proc/self/maps", O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	CHECK("maps names the stack", strstr(buf, "[stack]") != NULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_mremap();
	test_msync();
	test_madvise();
	test_flags();
	test_proc();
	printf("DONE\n");
	return 0;
}
