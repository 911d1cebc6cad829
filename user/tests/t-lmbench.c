/*
 * user/tests/t-lmbench.c - lmbench-style micro-benchmarks of the system
 * calls, the same static binary on RayOS and on Linux (tools/bench_syscalls.py,
 * part of `make bench`).
 *
 * Method (as in /work/shared/notes/linux-reference.md): each benchmark runs
 * n = 1, 10, 100, ... iterations until one run lasts at least 0.3 s; the
 * first run is never reported (under TCG it also pays for translating new
 * code); the figure is elapsed / n of the last run, timed with
 * CLOCK_MONOTONIC. Output: one "BENCH name value unit" line per benchmark,
 * then "BENCH-DONE".
 *
 * Usage: t-lmbench [DIR [NAME...]]   (DIR: a writable directory, default
 * /tmp; NAMEs: run only these benchmarks, e.g. fork_execve_wait)
 * The fork+execve benchmark runs this program itself (argv[0] must be a
 * path) with the argument "exit".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *self, *dir = "/tmp";

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the benchmarks: each runs n iterations ---- */

static void b_null(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static int p1[2], p2[2];
static void b_pipe(long n)
{
	pid_t c = fork();
	char b = 0;
	if (!c) {
		for (long i = 0; i < n; i++) {
			read(p1[0], &b, 1);
			write(p2[1], &b, 1);
		}
		_exit(0);
	}
	for (long i = 0; i < n; i++) {
		write(p1[1], &b, 1);
		read(p2[0], &b, 1);
	}
	waitpid(c, NULL, 0);
}

static void b_fork(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t c = fork();
		if (!c)
			_exit(0);
		waitpid(c, NULL, 0);
	}
}

static void b_exec(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t c = fork();
		if (!c) {
			execl(self, self, "exit", (char *)NULL);
			_exit(127);
		}
		waitpid(c, NULL, 0);
	}
}

static char path[256];
static void b_open(long n)
{
	for (long i = 0; i < n; i++)
		close(open(path, O_RDONLY));
}

static void b_create(long n)
{
	static char buf[4096];
	char p[300];
	snprintf(p, sizeof(p), "%s/lmbench-c", dir);
	for (long i = 0; i < n; i++) {
		int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		write(fd, buf, sizeof(buf));
		close(fd);
		unlink(p);
	}
}

static void b_mmap(long n)
{
	for (long i = 0; i < n; i++) {
		char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (int o = 0; o < (1 << 20); o += 4096)
			m[o] = 1;
		munmap(m, 1 << 20);
	}
}

static void b_yield(long n)
{
	/* Two processes on one CPU take turns: each yield is a switch. */
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	pid_t c = fork();
	if (!c) {
		for (long i = 0; i < n; i++)
			sched_yield();
		_exit(0);
	}
	for (long i = 0; i < n; i++)
		sched_yield();
	waitpid(c, NULL, 0);
}

static uint32_t fa, fb;
static long f_n;
static void fwait(uint32_t *w)
{
	while (!__atomic_exchange_n(w, 0, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, w, 128 /* WAIT_PRIVATE */, 0, NULL, NULL, 0);
}
static void fwake(uint32_t *w)
{
	__atomic_store_n(w, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, w, 129 /* WAKE_PRIVATE */, 1, NULL, NULL, 0);
}
static void *fpong(void *arg)
{
	(void)arg;
	for (long i = 0; i < f_n; i++) {
		fwait(&fa);
		fwake(&fb);
	}
	return NULL;
}
static void b_futex(long n)
{
	pthread_t t;
	f_n = n;
	fa = fb = 0;
	pthread_create(&t, NULL, fpong, NULL);
	for (long i = 0; i < n; i++) {
		fwake(&fa);
		fwait(&fb);
	}
	pthread_join(t, NULL);
}

static volatile int caught;
static void on_usr1(int s)
{
	(void)s;
	caught++;
}
static void b_signal(long n)
{
	for (long i = 0; i < n; i++)
		kill(getpid(), SIGUSR1); /* delivered before kill returns */
}

static char **only; /* benchmark names given on the command line, or NULL */

static void run(const char *name, void (*fn)(long), double scale, const char *unit)
{
	if (only) {
		char **o = only;
		while (*o && strcmp(*o, name))
			o++;
		if (!*o)
			return;
	}
	double dt = 0;
	long n = 1;
	bool first = true;
	for (;; n *= 10) {
		double t0 = now();
		fn(n);
		dt = now() - t0;
		if (!first && dt >= 0.3)
			break;
		first = false;
		if (n >= 100000000)
			break;
	}
	printf("BENCH %s %.3f %s\n", name, dt / n * scale, unit);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 0;
	self = argv[0];
	if (argc > 1)
		dir = argv[1];
	if (argc > 2)
		only = argv + 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	pipe(p1);
	pipe(p2);
	snprintf(path, sizeof(path), "%s/lmbench-o", dir);
	close(open(path, O_WRONLY | O_CREAT, 0644));
	signal(SIGUSR1, on_usr1);
	run("null_syscall", b_null, 1e9, "ns");
	run("pipe_round_trip", b_pipe, 1e6, "us");
	run("fork_exit_wait", b_fork, 1e6, "us");
	run("fork_execve_wait", b_exec, 1e6, "us");
	run("open_close", b_open, 1e6, "us");
	run("create_write4k_unlink", b_create, 1e6, "us");
	run("mmap1m_touch_munmap", b_mmap, 1e6, "us");
	run("sched_yield_pingpong", b_yield, 1e6, "us");
	run("futex_pingpong_threads", b_futex, 1e6, "us");
	run("signal_round_trip", b_signal, 1e6, "us");
	unlink(path);
	printf("BENCH-DONE\n");
	return 0;
}
