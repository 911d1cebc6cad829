/*
 * tests/abi/abi-proc.c - what a process learns about itself (see
 * tests/abi/README.md): readlink of /proc/self/exe and /proc/self/fd/N,
 * /proc/self/auxv against getauxval, and the sysconf values musl derives
 * from system calls (page size, clock ticks, open files and child
 * processes from the resource limits, processors, memory).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <unistd.h>

#include "abi.h"

static void test_links(void)
{
	char buf[512];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	size_t len = strlen(buf);
	CHECK("exe names this program", len > 9 && !strcmp(buf + len - 9, "/abi-proc") && buf[0] == '/');
	n = readlink("/proc/self/exe", buf, 3);
	printf("short buffer: %zd\n", n);
	int fd = open("/proc/self/exe", O_RDONLY);
	CHECK("exe opens", fd >= 0);
	if (fd >= 0)
		close(fd);
	fd = open("/dev/null", O_RDONLY);
	char p[64];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("fd link: %s\n", buf);
	close(fd);
	int pp[2];
	pipe(pp);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", pp[0]);
	n = readlink(p, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK("pipe fd link is pipe:[N]", !strncmp(buf, "pipe:[", 6) && buf[n - 1] == ']');
	close(pp[0]);
	close(pp[1]);
	R("readlink closed fd", readlink(p, buf, sizeof(buf)));
	R("readlink exe bad buffer", readlink("/proc/self/exe", (char *)16, 64));
}

static void test_auxv(void)
{
	uint64_t v[128];
	int fd = open("/proc/self/auxv", O_RDONLY);
	ssize_t n = read(fd, v, sizeof(v));
	close(fd);
	CHECK("auxv read whole pairs", n > 0 && n % 16 == 0);
	int pagesz = 0, entry = 0, phdr = 0, random = 0, ends = 0;
	for (ssize_t i = 0; i + 1 < n / 8; i += 2) {
		if (v[i] == AT_PAGESZ)
			pagesz = v[i + 1] == 4096;
		if (v[i] == AT_ENTRY)
			entry = v[i + 1] == getauxval(AT_ENTRY);
		if (v[i] == AT_PHDR)
			phdr = v[i + 1] == getauxval(AT_PHDR);
		if (v[i] == AT_RANDOM)
			random = v[i + 1] == getauxval(AT_RANDOM);
		if (v[i] == AT_NULL)
			ends = i + 2 == n / 8;
	}
	CHECK("AT_PAGESZ 4096", pagesz);
	CHECK("AT_ENTRY as getauxval", entry);
	CHECK("AT_PHDR as getauxval", phdr);
	CHECK("AT_RANDOM as getauxval", random);
	CHECK("ends with AT_NULL", ends);
	printf("getauxval AT_UID: %lu\n", getauxval(AT_UID));
	printf("getauxval AT_CLKTCK: %lu\n", getauxval(AT_CLKTCK));
}

static void test_sysconf(void)
{
	struct rlimit r;
	printf("_SC_PAGESIZE: %ld\n", sysconf(_SC_PAGESIZE));
	printf("_SC_CLK_TCK: %ld\n", sysconf(_SC_CLK_TCK));
	getrlimit(RLIMIT_NOFILE, &r);
	CHECK("_SC_OPEN_MAX is RLIMIT_NOFILE", sysconf(_SC_OPEN_MAX) == (long)r.rlim_cur);
	getrlimit(RLIMIT_NPROC, &r);
	CHECK("_SC_CHILD_MAX is RLIMIT_NPROC", r.rlim_cur == RLIM_INFINITY ? sysconf(_SC_CHILD_MAX) == -1 :
	                                       sysconf(_SC_CHILD_MAX) == (long)r.rlim_cur);
	struct rlimit small = { 64, r.rlim_max };
	getrlimit(RLIMIT_NOFILE, &r);
	small.rlim_max = r.rlim_max;
	setrlimit(RLIMIT_NOFILE, &small);
	printf("_SC_OPEN_MAX after setrlimit 64: %ld\n", sysconf(_SC_OPEN_MAX));
	setrlimit(RLIMIT_NOFILE, &r);
	CHECK("_SC_NPROCESSORS_ONLN >= 1", sysconf(_SC_NPROCESSORS_ONLN) >= 1);
	CHECK("_SC_NPROCESSORS_CONF >= 1", sysconf(_SC_NPROCESSORS_CONF) >= 1);
	CHECK("_SC_PHYS_PAGES > 0", sysconf(_SC_PHYS_PAGES) > 0);
	CHECK("_SC_AVPHYS_PAGES <= _SC_PHYS_PAGES", sysconf(_SC_AVPHYS_PAGES) <= sysconf(_SC_PHYS_PAGES));
	printf("_SC_ARG_MAX: %ld\n", sysconf(_SC_ARG_MAX));
	printf("_SC_NGROUPS_MAX: %ld\n", sysconf(_SC_NGROUPS_MAX));
	printf("getpagesize: %d\n", getpagesize());
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_links();
	test_auxv();
	test_sysconf();
	printf("DONE\n");
	return 0;
}
