/*
 * user/tests/t-mmap.c - t-mmap: anonymous memory comes from free RAM and
 * goes back to it. Reads free memory (sysinfo(2) freeram * mem_unit; also
 * /proc/meminfo MemFree when /proc is there), maps 64 MiB anonymous
 * memory, writes a pattern to every page, verifies it, reads free memory
 * again, unmaps, and reads it a third time. PASS if every page held its
 * pattern and free memory after munmap is within 1 MiB of before (given
 * up to 3 s to settle: Linux updates its counters lazily). All
 * three figures are printed in KiB. --no-free-check skips the free-memory
 * criterion (for a busy host, where other processes move the figure).
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#define SIZE (64UL << 20)
#define SLACK_KIB 1024

static long free_kib(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return -1;
	return (long)((uint64_t)si.freeram * si.mem_unit / 1024);
}

static long meminfo_free_kib(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "MemFree: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void report(const char *when, long kib)
{
	long mi = meminfo_free_kib();

	printf("free %-14s %8ld KiB", when, kib);
	if (mi >= 0)
		printf("  (/proc/meminfo MemFree %ld KiB)", mi);
	putchar('\n');
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	int free_check = 1;
	long before, during, after, bad = 0;
	uint64_t *p;

	if (argc == 2 && strcmp(argv[1], "--no-free-check") == 0)
		free_check = 0;
	else if (argc > 1) {
		fprintf(stderr, "usage: t-mmap [--no-free-check]\n");
		return 2;
	}
	before = free_kib();
	report("before:", before);
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED) {
		perror("t-mmap: mmap 64 MiB");
		printf("FAIL\n");
		return 1;
	}
	for (unsigned long off = 0; off < SIZE; off += page) {
		uint64_t *w = (uint64_t *)((char *)p + off);
		w[0] = off ^ 0x5a5aa5a5deadbeefULL;
		w[page / 8 - 1] = ~off;
	}
	for (unsigned long off = 0; off < SIZE; off += page) {
		uint64_t *w = (uint64_t *)((char *)p + off);
		if (w[0] != (off ^ 0x5a5aa5a5deadbeefULL) || w[page / 8 - 1] != ~off ||
		    w[1] != 0)
			bad++;
	}
	during = free_kib();
	report("with mapping:", during);
	if (munmap(p, SIZE) < 0) {
		perror("t-mmap: munmap");
		printf("FAIL\n");
		return 1;
	}
	/* Linux folds its per-CPU free-page counts about once a second, so
	 * give the figure up to 3 s to settle before judging it. */
	after = free_kib();
	for (int i = 0; free_check && i < 30 && after >= 0 && labs(after - before) > SLACK_KIB; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		after = free_kib();
	}
	report("after munmap:", after);

	int ok = 1;
	if (bad) {
		printf("FAIL: %ld pages lost their pattern\n", bad);
		ok = 0;
	}
	if (before < 0 || after < 0) {
		printf("FAIL: sysinfo failed\n");
		ok = 0;
	} else if (free_check && labs(after - before) > SLACK_KIB) {
		printf("FAIL: free memory after munmap differs by %ld KiB (limit %d)\n",
		       after - before, SLACK_KIB);
		ok = 0;
	}
	if (ok && before - during < 32 * 1024)
		printf("note: free memory fell by only %ld KiB while 64 MiB was mapped\n",
		       before - during);
	printf("%s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
