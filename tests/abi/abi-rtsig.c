/*
 * tests/abi/abi-rtsig.c - queued real-time signals (see tests/abi/README.md):
 * every sigqueue/kill of a real-time signal is queued with its own
 * si_value, delivered lowest signal number first and in sending order
 * within one signal (to handlers and to sigtimedwait), sigpending while any
 * instance is left, RLIMIT_SIGPENDING (EAGAIN for sigqueue and tkill, kill
 * still succeeds), SIG_IGN discarding the queue, a POSIX timer counting
 * overruns instead of queueing, instances sent by a child process.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

#define RT(n) (SIGRTMIN + (n))

static int queue(int sig, int value)
{
	union sigval v = { .sival_int = value };
	return sigqueue(getpid(), sig, v);
}

static const char *signame(int sig)
{
	static char buf[16];
	if (sig == SIGUSR1)
		return "SIGUSR1";
	if (sig == SIGUSR2)
		return "SIGUSR2";
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		snprintf(buf, sizeof(buf), "RTMIN+%d", sig - SIGRTMIN);
		return buf;
	}
	snprintf(buf, sizeof(buf), "sig%d", sig);
	return buf;
}

static const char *code_name(int c)
{
	switch (c) {
	case SI_USER: return "SI_USER";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TKILL: return "SI_TKILL";
	case SI_TIMER: return "SI_TIMER";
	default: return "other";
	}
}

/* Take every pending signal of set without waiting; print each. */
static int drain(const char *label, const sigset_t *set)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int n = 0, sig;
	while ((sig = sigtimedwait(set, &si, &zero)) > 0) {
		printf("%s: %s %s value %d\n", label, signame(sig), code_name(si.si_code),
		       si.si_code == SI_QUEUE ? si.si_value.sival_int : -1);
		n++;
	}
	printf("%s: then %s, %d taken\n", label, ename(errno), n);
	return n;
}

static sigset_t rt_set(void)
{
	sigset_t s;
	sigemptyset(&s);
	for (int i = 0; i <= 8; i++)
		sigaddset(&s, RT(i));
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	return s;
}

static void test_sigwait_order(void)
{
	sigset_t all = rt_set();
	sigprocmask(SIG_BLOCK, &all, NULL);
	R("queue RT+3 1", queue(RT(3), 1));
	R("queue RT+1 2", queue(RT(1), 2));
	R("queue RT+3 3", queue(RT(3), 3));
	R("queue RT+1 4", queue(RT(1), 4));
	R("queue SIGUSR2 5", queue(SIGUSR2, 5));
	R("queue SIGUSR2 6", queue(SIGUSR2, 6));
	R("kill RT+1", kill(getpid(), RT(1)));
	R("queue RT+1 7", queue(RT(1), 7));
	sigset_t p;
	sigpending(&p);
	CHECK("RT+1 pending", sigismember(&p, RT(1)));
	CHECK("RT+3 pending", sigismember(&p, RT(3)));
	CHECK("SIGUSR2 pending", sigismember(&p, SIGUSR2));

	/* Take one RT+3: the other keeps it pending. */
	sigset_t only3;
	sigemptyset(&only3);
	sigaddset(&only3, RT(3));
	siginfo_t si;
	int sig = sigwaitinfo(&only3, &si);
	printf("sigwaitinfo RT+3: %s value %d\n", signame(sig), si.si_value.sival_int);
	sigpending(&p);
	CHECK("RT+3 still pending", sigismember(&p, RT(3)));
	drain("drain", &all);
	sigpending(&p);
	CHECK("nothing pending after drain", !sigismember(&p, RT(1)) && !sigismember(&p, RT(3)));
}

static int order[32], order_val[32], norder;

static void record(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (norder < 32) {
		order[norder] = sig;
		order_val[norder++] = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
	}
}

static void test_handler_order(void)
{
	struct sigaction sa = { .sa_sigaction = record, .sa_flags = SA_SIGINFO };
	/* A full sa_mask makes each handler run alone, so the order of the
	 * handlers is the order of delivery. */
	sigfillset(&sa.sa_mask);
	for (int i = 0; i <= 2; i++)
		sigaction(RT(i), &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t all = rt_set();
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (int i = 0; i < 3; i++) {
		queue(RT(2), 20 + i);
		queue(RT(0), i);
		queue(SIGUSR1, 100 + i);
		queue(RT(1), 10 + i);
	}
	norder = 0;
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	printf("handlers ran: %d\n", norder);
	for (int i = 0; i < norder; i++)
		printf("handler %d: %s value %d\n", i, signame(order[i]), order_val[i]);

	/* Unblocked: each sigqueue runs its handler at once. */
	norder = 0;
	for (int i = 0; i < 3; i++)
		queue(RT(0), 50 + i);
	printf("unblocked deliveries: %d values %d %d %d\n", norder, order_val[0], order_val[1],
	       order_val[2]);
	for (int i = 0; i <= 2; i++)
		signal(RT(i), SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

static void test_limit(void)
{
	sigset_t all = rt_set();
	sigprocmask(SIG_BLOCK, &all, NULL);
	struct rlimit old, rl;
	getrlimit(RLIMIT_SIGPENDING, &old);
	rl = old;
	rl.rlim_cur = 4;
	R("setrlimit SIGPENDING 4", setrlimit(RLIMIT_SIGPENDING, &rl));
	/* Linux counts the user's pending signals of every process: only
	 * print how the queue behaves, not how many fit. */
	int ok = 0, eagain = 0, other = 0;
	for (int i = 0; i < 6; i++) {
		int r = queue(RT(2), i);
		if (r == 0 && !eagain)
			ok++;
		else if (r < 0 && errno == EAGAIN)
			eagain++;
		else
			other++;
	}
	CHECK("limit: at most 4 queued", ok <= 4);
	CHECK("limit: then only EAGAIN", eagain == 6 - ok && !other);
	R("limit kill", kill(getpid(), RT(2)));
	R("limit tkill", syscall(SYS_tkill, gettid(), RT(2)));
	R("limit kill other signal", kill(getpid(), RT(4)));
	R("limit sigqueue other signal", queue(RT(4), 9));
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int taken = 0, in_order = 1, sig;
	/* The queued instances, then (only if none was queued) kill's. */
	while ((sig = sigtimedwait(&all, &si, &zero)) == RT(2)) {
		if (si.si_code == SI_USER && taken == ok && !ok)
			continue;
		in_order &= si.si_code == SI_QUEUE && si.si_value.sival_int == taken;
		taken++;
	}
	CHECK("limit: every queued instance taken in order", taken == ok && in_order);
	printf("limit: next %s %s\n", signame(sig), code_name(si.si_code));
	drain("limit drain", &all);

	rl.rlim_cur = 0;
	R("setrlimit SIGPENDING 0", setrlimit(RLIMIT_SIGPENDING, &rl));
	R("zero sigqueue", queue(RT(5), 1));
	R("zero kill", kill(getpid(), RT(5)));
	R("zero kill again", kill(getpid(), RT(5)));
	drain("zero drain", &all);
	R("restore SIGPENDING", setrlimit(RLIMIT_SIGPENDING, &old));
	R("after restore sigqueue", queue(RT(5), 2));
	drain("restore drain", &all);
}

static void test_ignore(void)
{
	sigset_t all = rt_set();
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (int i = 0; i < 3; i++)
		queue(RT(6), i);
	signal(RT(6), SIG_IGN);
	sigset_t p;
	sigpending(&p);
	CHECK("SIG_IGN discards queued", !sigismember(&p, RT(6)));
	R("queue while ignored", queue(RT(6), 7));
	sigpending(&p);
	CHECK("ignored blocked signal pending", sigismember(&p, RT(6)));
	signal(RT(6), SIG_DFL);
	drain("ignore drain", &all);
}

static void test_timer(void)
{
	sigset_t all = rt_set();
	sigprocmask(SIG_BLOCK, &all, NULL);
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = RT(7) };
	ev.sigev_value.sival_int = 42;
	timer_t id;
	R("timer_create", timer_create(CLOCK_MONOTONIC, &ev, &id));
	struct itimerspec its = { { 0, 10000000 }, { 0, 10000000 } };
	R("timer_settime", timer_settime(id, 0, &its, NULL));
	abi_msleep(150);
	/* Linux (6.14 on) drops a pending timer signal when the timer is
	 * disarmed or deleted: keep it running. Its later expiries queue
	 * behind the sigqueue'd instance. */
	queue(RT(7), 5);
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int sig = sigtimedwait(&all, &si, &zero);
	printf("timer first: %s %s value %d overrun>0 %s\n", signame(sig), code_name(si.si_code),
	       si.si_value.sival_int, si.si_overrun > 0 ? "yes" : "no");
	sig = sigtimedwait(&all, &si, &zero);
	printf("timer second: %s %s value %d\n", signame(sig), code_name(si.si_code),
	       si.si_value.sival_int);
	timer_delete(id);
	while (sigtimedwait(&all, &si, &zero) > 0)
		;
}

static void test_child(void)
{
	sigset_t all = rt_set();
	sigprocmask(SIG_BLOCK, &all, NULL);
	pid_t parent = getpid();
	pid_t c = fork();
	if (c == 0) {
		for (int i = 0; i < 5; i++) {
			union sigval v = { .sival_int = 200 + i };
			sigqueue(parent, RT(8), v);
		}
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	sigset_t only;
	sigemptyset(&only);
	sigaddset(&only, RT(8));
	siginfo_t si;
	for (int i = 0; i < 5; i++) {
		int sig = sigwaitinfo(&only, &si);
		printf("from child %d: %s value %d pid-ok %s\n", i, signame(sig), si.si_value.sival_int,
		       si.si_pid == c ? "yes" : "no");
	}
	drain("child drain", &all);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_sigwait_order();
	test_handler_order();
	test_limit();
	test_ignore();
	test_timer();
	test_child();
	puts("DONE");
	return 0;
}
