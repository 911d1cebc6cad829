/*
 * user/tests/t-nice.c - nice values change the share of the CPU: two
 * CPU-bound processes on one CPU, at nice 0 and nice 10, spin for
 * SECONDS; then the user CPU time each got (/proc/<pid>/stat, field 14,
 * in clock ticks) is compared. Linux gives weights 1024 : 110; RayOS
 * slices of 5 : 1 ticks. PASS when nice 0 got more than twice the time of
 * nice 10 (loose on purpose: shares, not timing, are checked).
 * Works on Linux too.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define SECONDS 3

static pid_t spinner(int nice)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (nice && setpriority(PRIO_PROCESS, 0, nice))
			_exit(1);
		for (volatile unsigned long i = 0;; i++)
			;
	}
	return pid;
}

/* utime in clock ticks, or -1. */
static long utime(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* comm may hold spaces */
	long v = -1;
	/* After ")": state is field 3, utime field 14. */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld", &v) != 1)
		return -1;
	return v;
}

int main(void)
{
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one); /* inherited by the spinners */
	pid_t a = spinner(0), b = spinner(10);
	sleep(SECONDS);
	long ua = utime(a), ub = utime(b);
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	printf("utime nice 0: %ld ticks, nice 10: %ld ticks\n", ua, ub);
	if (ua <= 0 || ub < 0) {
		puts("FAIL cannot read the CPU times");
		return 1;
	}
	bool ok = ua > 2 * ub;
	printf("nice 0 / nice 10: %s\n", ub ? (ok ? "more than 2x" : "2x or less") : "all");
	puts(ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
