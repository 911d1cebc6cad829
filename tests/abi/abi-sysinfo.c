/*
 * tests/abi/abi-sysinfo.c - system information and identity (see
 * tests/abi/README.md): uname fields' shapes, sysinfo relations, the
 * sysconf values musl derives from the kernel, getrandom, umask, getcwd,
 * the clocks (getres, gettime, monotonic, CPU time), gettimeofday versus
 * time, nanosleep errors, and the pid/session/process-group calls with
 * their error paths.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define BAD ((void *)8)

static void test_uname(void)
{
	struct utsname u;
	R("uname", uname(&u));
	R("uname bad pointer", syscall(SYS_uname, BAD));
	printf("machine: %s\n", u.machine);
	CHECK("sysname set", u.sysname[0] != 0);
	CHECK("nodename set", u.nodename[0] != 0);
	CHECK("version set", u.version[0] != 0);
	/* release starts with major.minor */
	int major = -1, minor = -1;
	sscanf(u.release, "%d.%d", &major, &minor);
	CHECK("release is N.N...", major >= 0 && minor >= 0);
	CHECK("fields terminated", memchr(u.sysname, 0, sizeof(u.sysname)) &&
	      memchr(u.release, 0, sizeof(u.release)) && memchr(u.machine, 0, sizeof(u.machine)));
	char host[256];
	unsigned cpu = 99, node = 99;
	R("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
	CHECK("getcpu cpu below nprocs", cpu < (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
	CHECK("getcpu node 0", node == 0);
	R("getcpu NULLs", syscall(SYS_getcpu, NULL, NULL, NULL));
	R("getcpu bad pointer", syscall(SYS_getcpu, BAD, NULL, NULL));
	R("sched_getcpu", sched_getcpu() >= 0 ? 0 : -1);
	R("gethostname", gethostname(host, sizeof(host)));
	CHECK("gethostname is nodename", !strcmp(host, u.nodename));
	R("gethostname too small", gethostname(host, 0 + (strlen(u.nodename) > 0 ? 1 : 0)));
}

static void test_sysinfo(void)
{
	struct sysinfo si;
	R("sysinfo", sysinfo(&si));
	R("sysinfo bad pointer", syscall(SYS_sysinfo, BAD));
	CHECK("mem_unit >= 1", si.mem_unit >= 1);
	uint64_t total = (uint64_t)si.totalram * si.mem_unit;
	uint64_t freer = (uint64_t)si.freeram * si.mem_unit;
	CHECK("totalram > 16 MiB", total > (16u << 20));
	CHECK("freeram <= totalram", freer <= total);
	CHECK("bufferram <= totalram", (uint64_t)si.bufferram * si.mem_unit <= total);
	CHECK("freeswap <= totalswap", si.freeswap <= si.totalswap);
	CHECK("procs >= 1", si.procs >= 1);
	struct timespec bt;
	clock_gettime(CLOCK_BOOTTIME, &bt);
	CHECK("uptime near CLOCK_BOOTTIME", (long)si.uptime >= bt.tv_sec - 1 && (long)si.uptime <= bt.tv_sec + 1);

	long pg = sysconf(_SC_PAGESIZE);
	printf("_SC_PAGESIZE: %ld\n", pg);
	printf("_SC_CLK_TCK: %ld\n", sysconf(_SC_CLK_TCK));
	CHECK("_SC_NPROCESSORS_ONLN >= 1", sysconf(_SC_NPROCESSORS_ONLN) >= 1);
	CHECK("_SC_NPROCESSORS_CONF >= ONLN",
	      sysconf(_SC_NPROCESSORS_CONF) >= sysconf(_SC_NPROCESSORS_ONLN));
	cpu_set_t set;
	sched_getaffinity(0, sizeof(set), &set);
	CHECK("_SC_NPROCESSORS_ONLN is affinity count", sysconf(_SC_NPROCESSORS_ONLN) == CPU_COUNT(&set));
	struct sysinfo s2;
	sysinfo(&s2);
	CHECK("_SC_PHYS_PAGES is totalram", (uint64_t)sysconf(_SC_PHYS_PAGES) * pg ==
	      (uint64_t)s2.totalram * s2.mem_unit / pg * pg);
	CHECK("_SC_AVPHYS_PAGES <= PHYS", sysconf(_SC_AVPHYS_PAGES) <= sysconf(_SC_PHYS_PAGES));
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	CHECK("_SC_OPEN_MAX is RLIMIT_NOFILE", sysconf(_SC_OPEN_MAX) == (long)rl.rlim_cur);
	struct rlimit low = { 100, rl.rlim_max };
	setrlimit(RLIMIT_NOFILE, &low);
	printf("_SC_OPEN_MAX after setrlimit 100: %ld\n", sysconf(_SC_OPEN_MAX));
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NPROC, &rl);
	CHECK("_SC_CHILD_MAX is RLIMIT_NPROC", rl.rlim_cur == RLIM_INFINITY ? sysconf(_SC_CHILD_MAX) == -1
	      : sysconf(_SC_CHILD_MAX) == (long)rl.rlim_cur);
	CHECK("_SC_ARG_MAX >= 128 KiB", sysconf(_SC_ARG_MAX) >= 131072);
}

static void test_getrandom(void)
{
	unsigned char a[32], b[32];
	R("getrandom 32", getrandom(a, sizeof(a), 0));
	R("getrandom again", getrandom(b, sizeof(b), 0));
	CHECK("two draws differ", memcmp(a, b, sizeof(a)) != 0);
	R("getrandom GRND_NONBLOCK", getrandom(a, 16, GRND_NONBLOCK));
	R("getrandom GRND_RANDOM", getrandom(a, 16, GRND_RANDOM));
	R("getrandom GRND_INSECURE", getrandom(a, 16, 0x4));
	R("getrandom INSECURE|RANDOM", getrandom(a, 16, 0x4 | GRND_RANDOM));
	R("getrandom bad flags", getrandom(a, 16, 0x100));
	R("getrandom 0 bytes", getrandom(a, 0, 0));
	R("getrandom bad buffer", syscall(SYS_getrandom, BAD, 16, 0));
	static unsigned char big[1 << 20];
	long n = getrandom(big, sizeof(big), 0);
	CHECK("getrandom 1 MiB returns > 0", n > 0);
	int zeros = 0;
	for (int i = 0; i < 4096; i++)
		zeros += big[i] == 0;
	CHECK("bytes look random", zeros < 64);
}

static void test_umask_cwd(void)
{
	umask(022);
	R("umask 027 returns old", umask(027));
	R("umask again", umask(0777 | 01000) & 0777);
	R("umask masks to 0777", umask(027));
	const char *f = "/tmp/abi-sysinfo.f";
	unlink(f);
	close(open(f, O_CREAT | O_WRONLY, 0666));
	struct stat st;
	stat(f, &st);
	printf("created mode: %o\n", st.st_mode & 0777);
	unlink(f);
	mkdir(f, 0777);
	stat(f, &st);
	printf("mkdir mode: %o\n", st.st_mode & 0777);
	rmdir(f);
	umask(022);

	char buf[4096];
	char save[4096];
	getcwd(save, sizeof(save));
	R("chdir /tmp", chdir("/tmp"));
	R("getcwd", getcwd(buf, sizeof(buf)) ? 0 : -1);
	printf("cwd: %s\n", buf);
	R("getcwd size 1", getcwd(buf, 1) ? 0 : -1);
	R("getcwd size 4", getcwd(buf, 4) ? 0 : -1);
	R("getcwd size 5", getcwd(buf, 5) ? 0 : -1);
	R("syscall getcwd returns length", syscall(SYS_getcwd, buf, sizeof(buf)));
	R("syscall getcwd size 0", syscall(SYS_getcwd, buf, 0));
	R("syscall getcwd bad buffer", syscall(SYS_getcwd, BAD, sizeof(buf)));
	R("chdir missing", chdir("/tmp/abi-sysinfo-none"));
	R("chdir file", chdir("/proc/self/status"));
	R("chdir bad pointer", chdir(BAD));
	mkdir("/tmp/abi-sysinfo.d", 0755);
	chdir("/tmp/abi-sysinfo.d");
	R("rmdir cwd", rmdir("/tmp/abi-sysinfo.d"));
	R("getcwd after rmdir", syscall(SYS_getcwd, buf, sizeof(buf)));
	R("create in removed cwd", open("x", O_CREAT | O_WRONLY, 0644));
	R("fchdir file", fchdir(0 + open("/proc/self/status", O_RDONLY)));
	R("fchdir bad fd", fchdir(-1));
	chdir(save);
}

static long ts_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000L + t->tv_nsec;
}

static void test_clocks(void)
{
	static const struct { clockid_t id; const char *name; } clocks[] = {
		{ CLOCK_REALTIME, "REALTIME" }, { CLOCK_MONOTONIC, "MONOTONIC" },
		{ CLOCK_BOOTTIME, "BOOTTIME" }, { CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" },
		{ CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID" },
		{ CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID" },
	};
	char label[64];
	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		struct timespec r = { -1, -1 }, a, b;
		snprintf(label, sizeof(label), "getres %s", clocks[i].name);
		R(label, clock_getres(clocks[i].id, &r));
		printf("res %s: %ld.%09ld\n", clocks[i].name, (long)r.tv_sec, r.tv_nsec);
		snprintf(label, sizeof(label), "gettime %s", clocks[i].name);
		R(label, clock_gettime(clocks[i].id, &a));
		int mono = 1;
		for (int k = 0; k < 2000; k++) {
			clock_gettime(clocks[i].id, &b);
			if (clocks[i].id != CLOCK_REALTIME && ts_ns(&b) < ts_ns(&a))
				mono = 0;
			a = b;
		}
		printf("%s never goes back: %s, nsec in range: %s\n", clocks[i].name, mono ? "yes" : "no",
		       b.tv_nsec >= 0 && b.tv_nsec < 1000000000 ? "yes" : "no");
	}
	R("getres bad clock", clock_getres(1234, NULL));
	R("gettime bad clock", syscall(SYS_clock_gettime, 1234, BAD));
	R("gettime bad pointer", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD));
	R("getres NULL", clock_getres(CLOCK_MONOTONIC, NULL));

	struct timespec m, bt, rt;
	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	CHECK("BOOTTIME >= MONOTONIC", ts_ns(&bt) >= ts_ns(&m));
	clock_gettime(CLOCK_REALTIME, &rt);
	time_t t = time(NULL);
	struct timeval tv;
	R("gettimeofday", gettimeofday(&tv, NULL));
	CHECK("time near REALTIME", t >= rt.tv_sec && t <= rt.tv_sec + 2);
	CHECK("gettimeofday near time", tv.tv_sec >= t && tv.tv_sec <= t + 2 && tv.tv_usec < 1000000);
	CHECK("REALTIME after 2020", rt.tv_sec > 1577836800);
	R("syscall time NULL", syscall(SYS_time, NULL) > 0 ? 0 : -1);
	R("syscall time bad pointer", syscall(SYS_time, BAD));
	R("gettimeofday bad pointer", syscall(SYS_gettimeofday, BAD, NULL));

	struct timespec p0, p1, th0, th1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &th0);
	long start = abi_ms_now();
	volatile unsigned long x = 0;
	while (abi_ms_now() - start < 100)
		x++;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p1);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &th1);
	CHECK("process CPU time grew", ts_ns(&p1) > ts_ns(&p0));
	CHECK("thread CPU time grew", ts_ns(&th1) > ts_ns(&th0));
	CHECK("thread CPU <= process CPU", ts_ns(&th1) <= ts_ns(&p1) + 10000000);
	CHECK("CPU time <= elapsed + tick", ts_ns(&p1) - ts_ns(&p0) <= 100000000L + 500000000L);
	clockid_t cid;
	R("clock_getcpuclockid self", clock_getcpuclockid(0, &cid));
	struct timespec pc;
	R("gettime of own cpuclock", clock_gettime(cid, &pc));
	CHECK("own cpuclock is process CPU time", ts_ns(&pc) >= ts_ns(&p1));
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	R("clock_getcpuclockid child", clock_getcpuclockid(child, &cid));
	R("gettime of child's cpuclock", clock_gettime(cid, &pc));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	R("gettime of reaped child's cpuclock", clock_gettime(cid, &pc));
	R("clock_getcpuclockid missing", clock_getcpuclockid(999999, &cid));
	R("gettime bad cpu clock type", clock_gettime(-5, &pc));
	R("gettime thread clock of other process", clock_gettime((clockid_t)(~1u << 3 | 4 | 2), &pc));

	struct timespec bad = { 0, 1000000000 };
	R("nanosleep nsec 1e9", nanosleep(&bad, NULL));
	bad = (struct timespec){ -1, 0 };
	R("nanosleep negative", nanosleep(&bad, NULL));
	bad = (struct timespec){ 0, -1 };
	R("nanosleep negative nsec", nanosleep(&bad, NULL));
	R("nanosleep bad pointer", syscall(SYS_nanosleep, BAD, NULL));
	struct timespec zero = { 0, 0 };
	R("nanosleep zero", nanosleep(&zero, NULL));
	R("clock_nanosleep bad clock", clock_nanosleep(1234, 0, &zero, NULL));
	R("clock_nanosleep THREAD_CPUTIME", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &zero, NULL));
	(void)x;
}

static void test_ids(void)
{
	pid_t me = getpid();
	CHECK("gettid is getpid in main thread", gettid() == me);
	CHECK("getppid > 0", getppid() > 0);
	CHECK("getpgid(0) is getpgrp", getpgid(0) == getpgrp());
	CHECK("getsid(0) is getsid(self)", getsid(0) == getsid(me));
	R("getpgid missing", getpgid(999999));
	R("getsid missing", getsid(999999));
	R("getpgid negative", getpgid(-1));
	R("setpgid negative pgid", setpgid(0, -1));
	R("setpgid missing", setpgid(999999, 0));
	R("kill missing", kill(999999, 0));

	int p[2];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		char line[512];
		int n = 0;
#define OUT(...) n += snprintf(line + n, sizeof(line) - n, __VA_ARGS__)
		OUT("child getppid is parent: %s\n", getppid() == me ? "yes" : "no");
		pid_t s = setsid();
		OUT("child setsid: %s\n", s == getpid() ? "own pid" : ename(errno));
		OUT("child getsid: %s\n", getsid(0) == getpid() ? "own pid" : "other");
		OUT("child getpgrp: %s\n", getpgrp() == getpid() ? "own pid" : "other");
		long r;
		int e;
#define TRY(expr) (errno = 0, r = (long)(expr), e = errno)
		TRY(setsid());
		OUT("child setsid again: %ld %s\n", r, ename(e));
		TRY(setpgid(0, 0));
		OUT("child setpgid as session leader: %ld %s\n", r, ename(e));
		TRY(setpgid(0, getpgid(me)));
		OUT("child setpgid into other session's group: %ld %s\n", r, ename(e));
		write(p[1], line, n);
		_exit(0);
	}
	close(p[1]);
	char buf[512];
	int n, st;
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(p[0]);
	waitpid(c, &st, 0);
	R("setpgid of reaped child", setpgid(c, c));

	/* A child in its own group; the parent may move it (before exec). */
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	R("setpgid child to own group", setpgid(c, c));
	CHECK("child pgid is its pid", getpgid(c) == c);
	R("setpgid child to missing group", setpgid(c, 999999));
	R("setpgid child back", setpgid(c, getpgrp()));
	R("getsid of child", getsid(c) == getsid(0) ? 0 : -1);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	R("getpgid of reaped child", getpgid(c));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_uname();
	test_sysinfo();
	test_getrandom();
	test_umask_cwd();
	test_clocks();
	test_ids();
	puts("DONE");
	return 0;
}
