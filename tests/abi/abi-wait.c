/*
 * tests/abi/abi-wait.c - waiting for children and process attributes (see
 * tests/abi/README.md): waitid (WEXITED, WSTOPPED, WCONTINUED, WNOWAIT,
 * WNOHANG; P_PID, P_PGID, P_ALL; siginfo contents), wait4 statuses and
 * errors, vfork, prctl PR_SET_NAME/PR_GET_NAME, getpriority/setpriority,
 * sched_getaffinity and the scheduler-policy queries.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static const char *cld(int code)
{
	switch (code) {
	case CLD_EXITED: return "CLD_EXITED";
	case CLD_KILLED: return "CLD_KILLED";
	case CLD_DUMPED: return "CLD_DUMPED";
	case CLD_STOPPED: return "CLD_STOPPED";
	case CLD_CONTINUED: return "CLD_CONTINUED";
	default: return "0";
	}
}

static void show(const char *label, int r, siginfo_t *si, pid_t want)
{
	printf("%s: %d %s signo %d code %s status %d pid-ok %s\n", label, r, r < 0 ? ename(errno) : "0",
	       si->si_signo, cld(si->si_code), si->si_status,
	       si->si_pid == want ? "yes" : si->si_pid == 0 ? "zero" : "no");
}

static pid_t child_sleeping(void)
{
	pid_t p = fork();
	if (!p) {
		for (;;)
			pause();
	}
	return p;
}

static void test_waitid(void)
{
	siginfo_t si;
	int r;
	pid_t p = fork();
	if (!p)
		_exit(3);
	memset(&si, 0xff, sizeof(si));
	r = waitid(P_PID, p, &si, WEXITED | WNOWAIT);
	show("waitid WNOWAIT", r, &si, p);
	memset(&si, 0, sizeof(si));
	r = waitid(P_PID, p, &si, WEXITED);
	show("waitid again reaps", r, &si, p);
	errno = 0;
	r = waitid(P_PID, p, &si, WEXITED | WNOHANG);
	printf("waitid reaped child: %d %s\n", r, ename(errno));

	p = child_sleeping();
	memset(&si, 0xff, sizeof(si));
	r = waitid(P_PID, p, &si, WEXITED | WNOHANG);
	show("waitid WNOHANG running", r, &si, p);
	kill(p, SIGSTOP);
	r = waitid(P_PID, p, &si, WSTOPPED);
	show("waitid WSTOPPED", r, &si, p);
	r = waitid(P_PID, p, &si, WSTOPPED | WNOHANG);
	show("stop reported once", r, &si, p);
	kill(p, SIGCONT);
	r = waitid(P_PID, p, &si, WCONTINUED);
	show("waitid WCONTINUED", r, &si, p);
	kill(p, SIGKILL);
	r = waitid(P_ALL, 0, &si, WEXITED);
	show("waitid P_ALL killed", r, &si, p);

	p = fork();
	if (!p) {
		setpgid(0, 0);
		abi_msleep(20);
		_exit(5);
	}
	setpgid(p, p);
	r = waitid(P_PGID, p, &si, WEXITED);
	show("waitid P_PGID", r, &si, p);

	R("waitid no options", waitid(P_ALL, 0, &si, 0));
	R("waitid bad idtype", waitid(9, 0, &si, WEXITED));
	R("waitid bad option", waitid(P_ALL, 0, &si, WEXITED | 0x1000));
	R("waitid no children", waitid(P_ALL, 0, &si, WEXITED));
	R("waitid no such pid", waitid(P_PID, 999999, &si, WEXITED));
	p = fork();
	if (!p)
		_exit(0);
	R("waitid bad infop", syscall(SYS_waitid, P_PID, p, (void *)16, WEXITED, NULL));
	R("wait4 after", waitpid(p, NULL, WNOHANG));
}

static void test_wait4(void)
{
	int st;
	pid_t p = fork();
	if (!p)
		_exit(42);
	R("wait4 bad options", wait4(p, &st, 0x4000, NULL));
	R("wait4 exited pid-ok", wait4(p, &st, 0, NULL) == p);
	printf("status: exited %d code %d\n", WIFEXITED(st), WEXITSTATUS(st));
	p = child_sleeping();
	kill(p, SIGSTOP);
	R("wait4 WUNTRACED", waitpid(p, &st, WUNTRACED) == p);
	printf("stopped %d sig %d\n", WIFSTOPPED(st), WSTOPSIG(st));
	kill(p, SIGCONT);
	R("wait4 WCONTINUED", waitpid(p, &st, WCONTINUED) == p);
	printf("continued %d\n", WIFCONTINUED(st));
	kill(p, SIGTERM);
	waitpid(p, &st, 0);
	printf("signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
	p = fork();
	if (!p)
		abort();
	waitpid(p, &st, 0);
	printf("abort: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
	R("wait no children", wait(&st));
	R("wait4 bad status pointer", ({
		  pid_t q = fork();
		  if (!q)
			  _exit(0);
		  long r_ = syscall(SYS_wait4, q, (void *)16, 0, NULL);
		  r_;
	  }));
	while (wait(NULL) > 0)
		;
}

static void test_vfork(void)
{
	volatile int shared = 0;
	pid_t p = vfork();
	if (!p) {
		shared = 1; /* the parent's memory: it is suspended meanwhile */
		_exit(6);
	}
	printf("vfork: parent sees child's write: %d\n", shared);
	int st;
	waitpid(p, &st, 0);
	printf("vfork child exit: %d\n", WEXITSTATUS(st));
	p = vfork();
	if (!p) {
		char *argv[] = { "true", NULL };
		execv("/bin/true", argv);
		execv("/usr/bin/true", argv);
		_exit(127);
	}
	waitpid(p, &st, 0);
	printf("vfork+exec: %d\n", WEXITSTATUS(st));
}

static void test_prctl(void)
{
	char name[32] = "";
	R("PR_SET_NAME", prctl(PR_SET_NAME, "abi-worker"));
	R("PR_GET_NAME", prctl(PR_GET_NAME, name));
	printf("name: %s\n", name);
	R("PR_SET_NAME long", prctl(PR_SET_NAME, "a-very-long-thread-name-here"));
	prctl(PR_GET_NAME, name);
	printf("truncated: %s (%zu)\n", name, strlen(name));
	R("PR_SET_NAME bad pointer", prctl(PR_SET_NAME, (void *)16));
	R("prctl unknown", prctl(0x7777));
	prctl(PR_SET_NAME, "abi-wait");
}

static void test_priority(void)
{
	errno = 0;
	int pr = getpriority(PRIO_PROCESS, 0);
	printf("getpriority self: %d %s\n", pr, ename(errno));
	R("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
	errno = 0;
	printf("now: %d\n", getpriority(PRIO_PROCESS, 0));
	R("raw getpriority is 20-nice", syscall(SYS_getpriority, PRIO_PROCESS, 0));
	R("setpriority clamps 100", setpriority(PRIO_PROCESS, 0, 100));
	printf("clamped: %d\n", getpriority(PRIO_PROCESS, 0));
	R("getpriority bad which", getpriority(7, 0));
	R("getpriority no such pid", getpriority(PRIO_PROCESS, 999999));
	pid_t p = fork();
	if (!p) {
		printf("child inherits nice: %d\n", getpriority(PRIO_PROCESS, 0));
		setuid(4242);
		errno = 0;
		int r = setpriority(PRIO_PROCESS, 0, 0);
		printf("user raising priority: %d %s\n", r, ename(errno));
		r = setpriority(PRIO_PROCESS, 1, 19);
		printf("user renicing init: %d %s\n", r, ename(errno));
		_exit(0);
	}
	waitpid(p, NULL, 0);
	setpriority(PRIO_PROCESS, 0, 0);
	errno = 0;
	printf("nice(1): %d\n", nice(1));
	setpriority(PRIO_PROCESS, 0, 0);
}

static void test_affinity(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	R("sched_getaffinity", sched_getaffinity(0, sizeof(set), &set));
	CHECK("cpu 0 in set", CPU_ISSET(0, &set));
	CHECK("count >= 1", CPU_COUNT(&set) >= 1);
	uint64_t m;
	R("raw getaffinity returns mask bytes", syscall(SYS_sched_getaffinity, 0, 128, &m) >= 8);
	R("getaffinity len 3", syscall(SYS_sched_getaffinity, 0, 3, &m));
	R("getaffinity no such pid", syscall(SYS_sched_getaffinity, 999999, 8, &m));
	R("getaffinity bad pointer", syscall(SYS_sched_getaffinity, 0, 8, (void *)16));
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	R("sched_setaffinity cpu 0", sched_setaffinity(0, sizeof(set), &set));
	R("sched_getscheduler", syscall(SYS_sched_getscheduler, 0));
	R("priority max OTHER", sched_get_priority_max(SCHED_OTHER));
	R("priority max FIFO", sched_get_priority_max(SCHED_FIFO));
	R("priority min RR", sched_get_priority_min(SCHED_RR));
	R("priority max bad", sched_get_priority_max(42));
	R("sched_yield", sched_yield());
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_waitid();
	test_wait4();
	test_vfork();
	test_prctl();
	test_priority();
	test_affinity();
	printf("DONE\n");
	return 0;
}
