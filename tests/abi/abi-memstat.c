/*
 * tests/abi/abi-memstat.c - memory accounting in /proc/self/status (see
 * tests/abi/README.md): the Vm and Rss lines in Linux's order, their
 * relations (RssAnon + RssFile + RssShmem = VmRSS, peaks not below the
 * current values; VmHWM is not checked after munmap: Linux's RSS counters
 * are per-CPU estimates), and how they move when private, shared anonymous,
 * memfd, disk-file (private and shared) and MAP_GROWSDOWN areas are
 * mapped, touched, written and unmapped.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

#define KB 1024L
#define F "/var/tmp/abi-memstat.f"

static char text[8192];

static void load(void)
{
	int fd = open("/proc/self/status", O_RDONLY);
	long n = 0, r;
	while ((r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	text[n] = 0;
	close(fd);
}

/* Field value in kB, or -1. */
static long field(const char *name)
{
	char key[32];
	snprintf(key, sizeof(key), "\n%s:", name);
	char *p = strstr(text, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void touch(char *p, long len, bool write)
{
	for (long i = 0; i < len; i += 4096) {
		if (write)
			p[i] = 1;
		else
			(void)*(volatile char *)(p + i);
	}
}

struct snap { long size, peak, rss, hwm, anon, file, shmem, data, stk; };

static struct snap snap(void)
{
	load();
	struct snap s = { field("VmSize"), field("VmPeak"), field("VmRSS"), field("VmHWM"),
	                  field("RssAnon"), field("RssFile"), field("RssShmem"),
	                  field("VmData"), field("VmStk") };
	return s;
}

static void relations(const char *when)
{
	struct snap s = snap();
	printf("%s: sum of Rss lines is VmRSS: %s, VmPeak >= VmSize: %s, VmHWM >= VmRSS: %s\n", when,
	       s.anon + s.file + s.shmem == s.rss ? "yes" : "no", s.peak >= s.size ? "yes" : "no",
	       s.hwm >= s.rss ? "yes" : "no");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	load();
	static const char *names[] = { "VmPeak", "VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS",
	                               "RssAnon", "RssFile", "RssShmem", "VmData", "VmStk",
	                               "VmExe", "VmLib", "VmPTE", "VmSwap" };
	char *last = text;
	bool order = true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char key[32];
		snprintf(key, sizeof(key), "\n%s:\t", names[i]);
		char *p = strstr(text, key);
		printf("%s present: %s\n", names[i], p ? "yes" : "no");
		if (!p || p < last)
			order = false;
		last = p ? p : last;
	}
	CHECK("in Linux's order", order);
	CHECK("VmStk, VmExe, VmPTE above 0", field("VmStk") > 0 && field("VmExe") > 0 && field("VmPTE") > 0);
	CHECK("nothing locked or swapped", field("VmLck") == 0 && field("VmSwap") == 0);
	relations("start");

	struct snap a = snap();
	char *p = mmap(NULL, 4096 * KB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct snap b = snap();
	printf("4 MiB private: VmSize +%ld VmData +%ld\n", b.size - a.size, b.data - a.data);
	CHECK("untouched: RSS grows less than 64 kB", b.rss - a.rss < 64);
	touch(p, 4096 * KB, true);
	struct snap c = snap();
	CHECK("touched: RssAnon grows at least 4096 kB", c.anon - b.anon >= 4096);
	relations("touched");
	munmap(p, 4096 * KB);
	struct snap d = snap();
	printf("unmapped: VmSize -%ld\n", c.size - d.size);
	CHECK("RssAnon drops at least 4096 kB", c.anon - d.anon >= 4096);
	CHECK("VmPeak keeps the peak", d.peak >= c.size);
	relations("unmapped");

	a = snap();
	p = mmap(NULL, 1024 * KB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	touch(p, 1024 * KB, true);
	b = snap();
	printf("1 MiB shared anonymous touched: RssShmem +%ld VmData +%ld\n", b.shmem - a.shmem,
	       b.data - a.data);
	munmap(p, 1024 * KB);

	int fd = (int)syscall(SYS_memfd_create, "memstat", 0);
	ftruncate(fd, 256 * KB);
	a = snap();
	p = mmap(NULL, 256 * KB, PROT_READ, MAP_SHARED, fd, 0);
	touch(p, 256 * KB, false);
	b = snap();
	printf("memfd 256 KiB read: RssShmem +%ld\n", b.shmem - a.shmem);
	munmap(p, 256 * KB);
	close(fd);

	mkdir("/var", 0755);      /* a disk directory on both systems */
	mkdir("/var/tmp", 01777);
	unlink(F);
	fd = open(F, O_CREAT | O_RDWR, 0644);
	char buf[4096];
	memset(buf, 'f', sizeof(buf));
	for (int i = 0; i < 64; i++)
		write(fd, buf, sizeof(buf));
	a = snap();
	p = mmap(NULL, 256 * KB, PROT_READ, MAP_SHARED, fd, 0);
	touch(p, 256 * KB, false);
	b = snap();
	printf("disk file 256 KiB shared read: RssFile +%ld\n", b.file - a.file);
	munmap(p, 256 * KB);
	a = snap();
	p = mmap(NULL, 256 * KB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	touch(p, 128 * KB, false);
	b = snap();
	/* Linux maps pages around the faulting one too: at least the 128 kB */
	CHECK("private file 128 KiB read: RssFile grows 128 to 256 kB",
	      b.file - a.file >= 128 && b.file - a.file <= 256);
	printf("RssAnon +%ld VmData +%ld\n", b.anon - a.anon, b.data - a.data);
	touch(p, 64 * KB, true);
	c = snap();
	printf("64 KiB of it written: RssFile -%ld RssAnon +%ld\n", b.file - c.file, c.anon - b.anon);
	relations("file mappings");
	munmap(p, 256 * KB);
	close(fd);
	unlink(F);

	a = snap();
	p = mmap(NULL, 64 * KB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	b = snap();
	printf("64 KiB MAP_GROWSDOWN: VmStk +%ld VmData +%ld\n", b.stk - a.stk, b.data - a.data);
	munmap(p, 64 * KB);
	printf("DONE\n");
	return 0;
}
