/*
 * tests/unit/test_procfs.c - /proc on the host, through the system calls:
 * the files' exact text (the stubs fix memory at 2000 pages, 1000 free,
 * and the clock at 12.34 s), reads at offsets, the directory listing,
 * /proc/mounts, sysrq-trigger (the stub records the key) and its
 * permissions, refusals that must not crash, memory coming back,
 * /proc/<pid>/cwd and root, and the load average.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel.h"
#include "vfs.h"
#include "task.h"
#include "loadavg.h"
#include "shrinker.h"

extern long stub_allocs;
extern struct task stub_task;
extern int stub_sysrq_key;
long sys_readlink(const char *path, char *buf, int size);
int snprintf(char *, size_t, const char *, ...);

long sys_open(const char *, int, mode_t);
long sys_close(int);
long sys_read(int, void *, size_t);
long sys_write(int, const void *, size_t);
long sys_pread64(int, void *, size_t, off_t);
long sys_lseek(int, off_t, unsigned);
long sys_chdir(const char *);
long sys_getcwd(char *, unsigned long);
long sys_getdents64(int, void *, size_t);
long sys_mkdir(const char *, mode_t);
long sys_unlink(const char *);

static int setup(void **state)
{
	(void)state;
	vfs_init();
	stub_task.files = files_new();
	stub_task.fs = fs_struct_new();
	return 0;
}

/* The whole file, read in small pieces to exercise offsets. */
static void read_all(const char *path, char *out, size_t size)
{
	long fd = sys_open(path, O_RDONLY, 0);
	assert_true(fd >= 0);
	size_t used = 0;
	long n;
	while ((n = sys_read((int)fd, out + used, MIN((size_t)7, size - 1 - used))) > 0)
		used += (size_t)n;
	assert_int_equal(n, 0);
	out[used] = '\0';
	sys_close((int)fd);
}

static void test_meminfo(void **state)
{
	(void)state;
	char buf[512];
	read_all("/proc/meminfo", buf, sizeof(buf));
	assert_string_equal(buf,
	                    "MemTotal:           8000 kB\n"
	                    "MemFree:            4000 kB\n"
	                    "MemAvailable:       4000 kB\n"
	                    "Buffers:               0 kB\n"
	                    "Cached:                0 kB\n"
	                    "Dirty:                 0 kB\n"
	                    "Slab:                 16 kB\n");
}

char *strstr(const char *, const char *); /* not in the kernel's lib.h */

static void test_slabinfo(void **state)
{
	(void)state;
	char buf[2048];
	read_all("/proc/slabinfo", buf, sizeof(buf));
	assert_memory_equal(buf, "slabinfo - version: 2.1\n# name ", 31);
	assert_non_null(strstr(buf, "\nkmalloc-16             5    254     16  254    1 : tunables    0    0    0 : slabdata      1      1      0\n"));
	assert_non_null(strstr(buf, "\nkmalloc-2048           0      0   2048    1    1 : tunables    0    0    0 : slabdata      0      0      0\n"));
	assert_non_null(strstr(buf, "\nkmalloc-large          2      2      0    1    1 : tunables    0    0    0 : slabdata      3      3      0\n"));
}

static void test_uptime_version(void **state)
{
	(void)state;
	char buf[512];
	read_all("/proc/uptime", buf, sizeof(buf));
	assert_string_equal(buf, "12.34 0.00\n");
	read_all("/proc/version", buf, sizeof(buf));
	assert_memory_equal(buf, "RayOS version 0.1.0 ", 20);
	assert_int_equal(buf[strlen(buf) - 1], '\n');
}

static void test_offsets(void **state)
{
	(void)state;
	long fd = sys_open("/proc/uptime", O_RDONLY, 0);
	assert_true(fd >= 0);
	char buf[32] = { 0 };
	assert_int_equal(sys_pread64((int)fd, buf, 4, 3), 4);
	assert_string_equal(buf, "34 0");
	assert_int_equal(sys_lseek((int)fd, 6, SEEK_SET), 6);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(sys_read((int)fd, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "0.00\n");
	assert_int_equal(sys_read((int)fd, buf, sizeof(buf)), 0);
	assert_int_equal(sys_pread64((int)fd, buf, 4, 1000), 0);
	assert_int_equal(sys_pread64((int)fd, buf, 4, -1), -EINVAL);
	sys_close((int)fd);
}

static void test_listing(void **state)
{
	(void)state;
	long fd = sys_open("/proc", O_RDONLY | O_DIRECTORY, 0);
	assert_true(fd >= 0);
	char buf[1024], names[256] = "";
	size_t used = 0;
	long n;
	/* A small buffer: the listing must resume where it stopped. */
	while ((n = sys_getdents64((int)fd, buf, 40)) > 0)
		for (long off = 0; off < n;) {
			uint16_t reclen;
			memcpy(&reclen, buf + off + 16, 2);
			used += (size_t)snprintf(names + used, sizeof(names) - used,
			                         "%s|", buf + off + 19);
			off += reclen;
		}
	assert_int_equal(n, 0);
	sys_close((int)fd);
	assert_string_equal(names, ".|..|caches|loadavg|meminfo|filesystems|mounts|net|slabinfo|sys|sysrq-trigger|uptime|version|self|");

	char cwd[64];
	assert_int_equal(sys_chdir("/proc"), 0);
	assert_true(sys_getcwd(cwd, sizeof(cwd)) > 0);
	assert_string_equal(cwd, "/proc");
	assert_int_equal(sys_chdir(".."), 0);
	assert_true(sys_getcwd(cwd, sizeof(cwd)) > 0);
	assert_string_equal(cwd, "/");
}

static void test_mounts(void **state)
{
	(void)state;
	char buf[512];
	read_all("/proc/mounts", buf, sizeof(buf));
	assert_string_equal(buf, "ramfs / ramfs rw 0 0\n"
	                         "devfs /dev devfs rw 0 0\n"
	                         "proc /proc proc rw 0 0\n");
}

static void test_sysrq(void **state)
{
	(void)state;
	/* As a shell's "echo c > /proc/sysrq-trigger": O_TRUNC is fine. */
	long fd = sys_open("/proc/sysrq-trigger", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(sys_write((int)fd, "b\n", 2), 2);
	assert_int_equal(stub_sysrq_key, 'b');
	assert_int_equal(sys_write((int)fd, "", 0), 0);
	assert_int_equal(stub_sysrq_key, 'b');
	sys_close((int)fd);
	/* Write-only: reading it is refused even for root. */
	fd = sys_open("/proc/sysrq-trigger", O_RDWR, 0);
	assert_true(fd >= 0);
	char c;
	assert_int_equal(sys_read((int)fd, &c, 1), -EIO);
	sys_close((int)fd);
	/* Root only. */
	stub_task.cred.euid = 1000;
	stub_task.cred.fsuid = 1000;
	stub_task.cred.uid = 1000;
	stub_task.cred.egid = 1000;
	stub_task.cred.fsgid = 1000;
	stub_task.cred.gid = 1000;
	assert_int_equal(sys_open("/proc/sysrq-trigger", O_WRONLY, 0), -EACCES);
	assert_int_equal(sys_open("/proc/meminfo", O_WRONLY, 0), -EACCES);
	fd = sys_open("/proc/meminfo", O_RDONLY, 0);
	assert_true(fd >= 0);
	sys_close((int)fd);
	stub_task.cred.euid = 0;
	stub_task.cred.fsuid = 0;
	stub_task.cred.uid = 0;
	stub_task.cred.egid = 0;
	stub_task.cred.fsgid = 0;
	stub_task.cred.gid = 0;
}

static void test_refusals(void **state)
{
	(void)state;
	assert_int_equal(sys_open("/proc/nonexistent", O_RDONLY, 0), -ENOENT);
	assert_int_equal(sys_open("/proc/new", O_WRONLY | O_CREAT, 0644), -EPERM);
	assert_int_equal(sys_mkdir("/proc/dir", 0755), -EPERM);
	assert_int_equal(sys_unlink("/proc/meminfo"), -EPERM);
	assert_int_equal(sys_open("/proc/meminfo/x", O_RDONLY, 0), -ENOTDIR);
	long fd = sys_open("/proc/meminfo", O_WRONLY, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_write((int)fd, "x", 1), -EIO);
	sys_close((int)fd);
	assert_int_equal(sys_open("/proc", O_WRONLY, 0), -EISDIR);
}

/* A cache of 10 pages, 4 of them reclaimable: /proc/caches and meminfo
 * show it, drop_caches empties what it can, and only a number 1-4 (or
 * blanks) may be written. */
static size_t fake_held = 10, fake_rec = 4, fake_scans;

static size_t fake_count(size_t *reclaimable)
{
	*reclaimable = fake_rec;
	return fake_held;
}

static size_t fake_scan(size_t npages)
{
	size_t n = npages < fake_rec ? npages : fake_rec;
	fake_scans++;
	fake_held -= n;
	fake_rec -= n;
	return n;
}

static struct shrinker fake_shrinker = {
	.name = "fake", .count = fake_count, .scan = fake_scan, .page_cache = true,
};

static void drop(const char *text, long want)
{
	long fd = sys_open("/proc/sys/vm/drop_caches", O_WRONLY | O_TRUNC, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_write((int)fd, text, strlen(text)), want);
	sys_close((int)fd);
}

static void test_caches_and_drop_caches(void **state)
{
	(void)state;
	shrinker_register(&fake_shrinker);
	char buf[512];
	read_all("/proc/caches", buf, sizeof(buf));
	assert_string_equal(buf, "# name               kB  reclaimable  reclaimed\n"
	                         "fake                 40           16          0\n");
	read_all("/proc/meminfo", buf, sizeof(buf));
	assert_non_null(strstr(buf, "MemAvailable:       4016 kB\n"));
	assert_non_null(strstr(buf, "Cached:               40 kB\n"));

	drop("5\n", -EINVAL);
	drop("0", -EINVAL);
	drop("x", -EINVAL);
	drop("3x", -EINVAL);
	drop("4\n", 2);
	drop("\n", 1);
	assert_int_equal(fake_scans, 0);
	drop("3\n", 2);
	assert_int_equal(fake_scans, 1);
	read_all("/proc/caches", buf, sizeof(buf));
	assert_string_equal(buf, "# name               kB  reclaimable  reclaimed\n"
	                         "fake                 24            0         16\n");
}

static void test_memory_returns(void **state)
{
	(void)state;
	long before = stub_allocs;
	char buf[512];
	for (int i = 0; i < 10; i++) {
		read_all("/proc/mounts", buf, sizeof(buf));
		read_all("/proc/meminfo", buf, sizeof(buf));
	}
	assert_int_equal(stub_allocs, before);
}

/* The stub task as process 7: listed, its files, /proc/self; gone again
 * when it is reaped (ESRCH on open, ENOENT on lookup). */
static void test_pid_dir(void **state)
{
	(void)state;
	char buf[512];
	stub_task.tid = stub_task.tgid = stub_task.pgid = stub_task.sid = 7;
	memcpy(stub_task.comm, "stub", 5);
	read_all("/proc/7/stat", buf, sizeof(buf));
	assert_memory_equal(buf, "7 (stub) R 0 7 7 0 -1 0 ", 24);
	int fields = 1;
	for (char *p = buf; *p; p++)
		fields += *p == ' ';
	assert_int_equal(fields, 52);
	read_all("/proc/self/comm", buf, sizeof(buf));
	assert_string_equal(buf, "stub\n");
	read_all("/proc/7/cmdline", buf, sizeof(buf));
	assert_string_equal(buf, "");
	read_all("/proc/7/status", buf, sizeof(buf));
	assert_memory_equal(buf, "Name:\tstub\nState:\tR (running)\nTgid:\t7\n", 38);
	/* wchan: the wait queue's name while asleep, else "0". */
	read_all("/proc/7/wchan", buf, sizeof(buf));
	assert_string_equal(buf, "0");
	stub_task.state = TASK_INTERRUPTIBLE;
	stub_task.wchan = "pipe_rd";
	read_all("/proc/7/wchan", buf, sizeof(buf));
	assert_string_equal(buf, "pipe_rd");
	stub_task.state = TASK_RUNNABLE;
	stub_task.wchan = NULL;
	assert_int_equal(sys_readlink("/proc/self", buf, sizeof(buf)), 1);
	/* cwd and root: the directories' paths, made at readlink time; exe:
	 * none without an address space. cwd leads back to the directory. */
	assert_int_equal(sys_chdir("/dev"), 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(sys_readlink("/proc/7/cwd", buf, sizeof(buf)), 4);
	assert_string_equal(buf, "/dev");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(sys_readlink("/proc/self/root", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "/");
	assert_int_equal(sys_readlink("/proc/7/exe", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(sys_chdir("/proc/self/cwd/.."), 0);
	char cwd[16];
	assert_true(sys_getcwd(cwd, sizeof(cwd)) > 0);
	assert_string_equal(cwd, "/");
	long fd = sys_open("/proc/7/stat", O_RDONLY, 0);
	assert_true(fd >= 0);
	stub_task.state = TASK_DEAD;
	assert_int_equal(sys_open("/proc/7/stat", O_RDONLY, 0), -ENOENT);
	assert_true(sys_read((int)fd, buf, sizeof(buf)) > 0);  /* its snapshot */
	sys_close((int)fd);
	stub_task.state = TASK_RUNNABLE;
	stub_task.tid = stub_task.tgid = 0;
}

/* The load average: a steady load of one task sampled every 5 s for five
 * minutes (61 samples) brings the means to about 1 - e^-5, 1 - e^-1 and
 * 1 - e^-1/3; Linux's fixed point with its rounding up while the load
 * rises gives exactly 1.00 0.65 0.29 (checked against a model of
 * kernel/sched/loadavg.c). The ticks that found the idle task add up in
 * /proc/uptime. Last: it changes the figures the other tests expect. */
static void test_loadavg(void **state)
{
	(void)state;
	char buf[128];
	read_all("/proc/loadavg", buf, sizeof(buf));
	assert_memory_equal(buf, "0.00 0.00 0.00 ", 15);
	stub_task.tid = stub_task.tgid = 7;
	for (int i = 0; i <= 60; i++)
		loadavg_tick((uint64_t)i * 5000000000ULL, false);
	loadavg_tick(300000000001ULL, true);  /* mid-period: no sample */
	read_all("/proc/loadavg", buf, sizeof(buf));
	assert_string_equal(buf, "1.00 0.65 0.29 0/1 7\n");
	read_all("/proc/uptime", buf, sizeof(buf));
	assert_string_equal(buf, "12.34 0.01\n");
	stub_task.tid = stub_task.tgid = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_slabinfo),
		cmocka_unit_test(test_uptime_version),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_pid_dir),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_sysrq),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_caches_and_drop_caches),
		cmocka_unit_test(test_memory_returns),
		cmocka_unit_test(test_loadavg),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
