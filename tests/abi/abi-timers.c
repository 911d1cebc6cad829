/*
 * tests/abi/abi-timers.c - timers and clocks (see tests/abi/README.md):
 * alarm, setitimer/getitimer (REAL, VIRTUAL, PROF), POSIX timers
 * (timer_create/settime/gettime/getoverrun/delete, SIGEV_SIGNAL, NONE and
 * THREAD), timerfd (read, poll, nonblocking, absolute, intervals),
 * clock_nanosleep (relative, absolute, EINTR), CPU-time clocks, getrusage,
 * times and settimeofday/clock_settime permissions and arguments.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int got_alrm, got_vtalrm, got_prof, got_usr1;
static volatile int last_code, last_value, last_timerid_ok;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGALRM)
		got_alrm++;
	if (sig == SIGVTALRM)
		got_vtalrm++;
	if (sig == SIGPROF)
		got_prof++;
	if (sig == SIGUSR1) {
		got_usr1++;
		last_code = si->si_code;
		last_value = si->si_value.sival_int;
	}
}

static void handle(int sig)
{
	struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO | SA_RESTART };
	sigaction(sig, &sa, NULL);
}

static void spin_until(volatile int *flag, long max_ms)
{
	long t0 = abi_ms_now();
	while (!*flag && abi_ms_now() - t0 < max_ms)
		;
}

static void test_alarm(void)
{
	handle(SIGALRM);
	R("alarm first", alarm(5));
	R("alarm replace returns left", alarm(3));
	R("alarm cancel", alarm(0));
	R("alarm none left", alarm(0));
	got_alrm = 0;
	long t0 = abi_ms_now();
	alarm(1);
	pause();
	CHECK("alarm fired after ~1s", got_alrm == 1 && abi_ms_now() - t0 >= 900);
}

static void test_itimer(void)
{
	struct itimerval v = { { 0, 0 }, { 0, 0 } }, old;
	R("getitimer bad which", getitimer(7, &old));
	R("setitimer bad which", setitimer(7, &v, NULL));
	v.it_value.tv_usec = 1000000;
	R("setitimer bad usec", setitimer(ITIMER_REAL, &v, NULL));
	R("getitimer bad pointer", getitimer(ITIMER_REAL, (void *)16));
	R("getitimer unarmed", getitimer(ITIMER_REAL, &old));
	printf("unarmed value %ld.%06ld\n", (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);

	v.it_value.tv_sec = 10;
	v.it_value.tv_usec = 0;
	v.it_interval.tv_sec = 2;
	R("setitimer real", setitimer(ITIMER_REAL, &v, NULL));
	getitimer(ITIMER_REAL, &old);
	CHECK("left between 9 and 10 s", old.it_value.tv_sec == 9 || (old.it_value.tv_sec == 10 && !old.it_value.tv_usec));
	printf("interval %ld.%06ld\n", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
	struct itimerval zero = { { 0, 0 }, { 0, 0 } };
	R("disarm returns old", setitimer(ITIMER_REAL, &zero, &old));
	CHECK("old value was armed", old.it_value.tv_sec >= 9);

	/* A periodic REAL timer fires repeatedly. */
	got_alrm = 0;
	struct itimerval per = { { 0, 20000 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &per, NULL);
	while (got_alrm < 3)
		pause();
	setitimer(ITIMER_REAL, &zero, NULL);
	printf("periodic alarms >= 3: %s\n", got_alrm >= 3 ? "yes" : "no");

	/* VIRTUAL and PROF count CPU time: burn some. */
	handle(SIGVTALRM);
	handle(SIGPROF);
	struct itimerval cpu = { { 0, 0 }, { 0, 50000 } };
	R("setitimer virtual", setitimer(ITIMER_VIRTUAL, &cpu, NULL));
	R("setitimer prof", setitimer(ITIMER_PROF, &cpu, NULL));
	spin_until(&got_vtalrm, 5000);
	spin_until(&got_prof, 5000);
	CHECK("SIGVTALRM after CPU time", got_vtalrm == 1);
	CHECK("SIGPROF after CPU time", got_prof == 1);
	/* Sleeping does not count for VIRTUAL. */
	got_vtalrm = 0;
	setitimer(ITIMER_VIRTUAL, &cpu, NULL);
	abi_msleep(200);
	CHECK("no SIGVTALRM while asleep", got_vtalrm == 0);
	setitimer(ITIMER_VIRTUAL, &zero, NULL);
}

static void test_posix_timers(void)
{
	timer_t t;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	sev.sigev_value.sival_int = 42;
	handle(SIGUSR1);
	R("timer_create bad clock", timer_create(99, &sev, &t));
	struct sigevent badsig = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = 200 };
	R("timer_create bad signal", timer_create(CLOCK_MONOTONIC, &badsig, &t));
	struct sigevent badnotify = { .sigev_notify = 77, .sigev_signo = SIGUSR1 };
	R("timer_create bad notify", timer_create(CLOCK_MONOTONIC, &badnotify, &t));
	R("timer_create", timer_create(CLOCK_MONOTONIC, &sev, &t));
	struct itimerspec its = { { 0, 0 }, { 0, 30000000 } }, cur;
	R("timer_gettime unarmed", timer_gettime(t, &cur));
	printf("unarmed: %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
	got_usr1 = 0;
	R("timer_settime", timer_settime(t, 0, &its, NULL));
	R("timer_gettime armed", timer_gettime(t, &cur));
	CHECK("armed value <= 30ms", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	                                  cur.it_value.tv_nsec <= 30000000);
	while (!got_usr1)
		pause();
	printf("timer signal: code %s value %d\n", last_code == SI_TIMER ? "SI_TIMER" : "other", last_value);
	R("timer_getoverrun", timer_getoverrun(t));
	struct itimerspec bad = { { 0, 0 }, { 0, 1000000000 } };
	R("timer_settime bad nsec", timer_settime(t, 0, &bad, NULL));

	/* Absolute on CLOCK_REALTIME. */
	timer_t rt;
	timer_create(CLOCK_REALTIME, &sev, &rt);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct itimerspec abs = { { 0, 0 }, { now.tv_sec, now.tv_nsec + 20000000 } };
	if (abs.it_value.tv_nsec >= 1000000000) {
		abs.it_value.tv_sec++;
		abs.it_value.tv_nsec -= 1000000000;
	}
	got_usr1 = 0;
	R("timer_settime absolute", timer_settime(rt, TIMER_ABSTIME, &abs, NULL));
	while (!got_usr1)
		pause();
	CHECK("absolute timer fired", got_usr1 == 1);
	R("timer_delete", timer_delete(rt));

	/* Overruns: block the signal while a fast periodic timer runs. */
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &old);
	struct itimerspec fast = { { 0, 10000000 }, { 0, 10000000 } };
	timer_settime(t, 0, &fast, NULL);
	abi_msleep(200);
	got_usr1 = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	int overrun = timer_getoverrun(t);
	struct itimerspec stop = { { 0, 0 }, { 0, 0 } };
	timer_settime(t, 0, &stop, NULL);
	CHECK("a signal for many expiries", got_usr1 >= 1);
	CHECK("overrun counted", overrun >= 5);
	R("timer_delete", timer_delete(t));
	R("timer_delete again", timer_delete(t));
	R("timer_gettime deleted", timer_gettime(t, &cur));

	/* SIGEV_NONE: nothing is sent, but the time runs. */
	struct sigevent none = { .sigev_notify = SIGEV_NONE };
	timer_t n;
	R("timer_create SIGEV_NONE", timer_create(CLOCK_MONOTONIC, &none, &n));
	struct itimerspec one = { { 0, 0 }, { 1, 0 } };
	timer_settime(n, 0, &one, NULL);
	timer_gettime(n, &cur);
	CHECK("SIGEV_NONE timer counts down", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 500000000);
	timer_delete(n);
}

static volatile int thread_notified;
static void notify_fn(union sigval v)
{
	thread_notified = v.sival_int;
}

static void test_sigev_thread(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = notify_fn };
	sev.sigev_value.sival_int = 9;
	timer_t t;
	R("timer_create SIGEV_THREAD", timer_create(CLOCK_MONOTONIC, &sev, &t));
	struct itimerspec its = { { 0, 0 }, { 0, 20000000 } };
	timer_settime(t, 0, &its, NULL);
	for (int i = 0; i < 500 && !thread_notified; i++)
		abi_msleep(2);
	printf("SIGEV_THREAD ran with %d\n", thread_notified);
	timer_delete(t);
}

static void test_timerfd(void)
{
	R("timerfd_create bad clock", timerfd_create(99, 0));
	R("timerfd_create bad flags", timerfd_create(CLOCK_MONOTONIC, 0x1234));
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	CHECK("timerfd_create", fd >= 0);
	uint64_t v;
	R("read unarmed nonblocking", read(fd, &v, 8));
	R("read short buffer", read(fd, &v, 4));
	struct itimerspec its = { { 0, 20000000 }, { 0, 20000000 } }, cur;
	R("settime bad flags", timerfd_settime(fd, 0x100, &its, NULL));
	R("settime bad fd", timerfd_settime(-1, 0, &its, NULL));
	R("settime not a timerfd", timerfd_settime(0, 0, &its, NULL));
	R("gettime bad fd", timerfd_gettime(99, &cur));
	R("settime", timerfd_settime(fd, 0, &its, NULL));
	struct pollfd p = { fd, POLLIN, 0 };
	R("poll waits for expiry", poll(&p, 1, 2000));
	printf("revents IN: %s\n", (p.revents & POLLIN) ? "yes" : "no");
	abi_msleep(100);
	R("read", read(fd, &v, 8));
	CHECK("several expirations counted", v >= 3);
	R("gettime", timerfd_gettime(fd, &cur));
	printf("interval %ld.%09ld\n", (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	timerfd_settime(fd, 0, &off, &cur);
	CHECK("old value returned", cur.it_interval.tv_nsec == 20000000);
	R("read after disarm", read(fd, &v, 8));
	close(fd);

	/* Blocking read with an absolute expiry. */
	fd = timerfd_create(CLOCK_REALTIME, 0);
	long t0 = abi_ms_now();
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct itimerspec abs = { { 0, 0 }, { now.tv_sec, now.tv_nsec + 30000000 } };
	if (abs.it_value.tv_nsec >= 1000000000) {
		abs.it_value.tv_sec++;
		abs.it_value.tv_nsec -= 1000000000;
	}
	R("settime absolute", timerfd_settime(fd, TFD_TIMER_ABSTIME, &abs, NULL));
	R("blocking read", read(fd, &v, 8));
	printf("value %llu waited: %s\n", (unsigned long long)v, abi_ms_now() - t0 >= 20 ? "yes" : "no");
	R("write is EINVAL", write(fd, &v, 8));
	close(fd);
}

static void test_sleep(void)
{
	struct timespec rel = { 0, 30000000 };
	long t0 = abi_ms_now();
	R("clock_nanosleep relative", clock_nanosleep(CLOCK_MONOTONIC, 0, &rel, NULL));
	CHECK("slept >= 25ms", abi_ms_now() - t0 >= 25);
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 30000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	t0 = abi_ms_now();
	R("clock_nanosleep absolute", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	CHECK("slept >= 25ms", abi_ms_now() - t0 >= 25);
	struct timespec past = { 0, 0 };
	R("absolute in the past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
	struct timespec bad = { 0, -1 };
	printf("clock_nanosleep bad nsec: %s\n", ename(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL)));
	printf("clock_nanosleep bad clock: %s\n", ename(clock_nanosleep(99, 0, &rel, NULL)));
	printf("clock_nanosleep thread cputime: %s\n",
	       ename(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &rel, NULL)));

	/* EINTR with the time left. */
	handle(SIGALRM);
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec longer = { 5, 0 }, rem = { 0, 0 };
	int r = clock_nanosleep(CLOCK_MONOTONIC, 0, &longer, &rem);
	printf("interrupted sleep: %s rem between 4 and 5 s: %s\n", ename(r),
	       rem.tv_sec == 4 ? "yes" : "no");
	errno = 0;
	struct timespec longer2 = { 5, 0 };
	setitimer(ITIMER_REAL, &it, NULL);
	R("nanosleep EINTR", nanosleep(&longer2, NULL));
}

static long tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static long cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Spin until the process has used ms more CPU (or 20 s went by on a
 * crowded machine); true if it did. */
static int burn_cpu(long ms)
{
	long c0 = cpu_ms(), t0 = abi_ms_now();
	while (cpu_ms() - c0 < ms)
		if (abi_ms_now() - t0 > 20000)
			return 0;
	return 1;
}

static void test_cpu_clocks(void)
{
	struct timespec a, b;
	R("process cputime", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	CHECK("process cputime grew while spinning", burn_cpu(200));
	R("thread cputime", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a));
	abi_msleep(200);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	long used = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	CHECK("thread cputime still while asleep", used < 100);
	R("clock_gettime bad clock", clock_gettime(99, &a));
	R("clock_gettime bad pointer", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)16));
	R("clock_getres monotonic", clock_getres(CLOCK_MONOTONIC, &a));

	struct rusage ru;
	R("getrusage self", getrusage(RUSAGE_SELF, &ru));
	CHECK("self CPU >= 0.15 s", tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime) >= 150);
	R("getrusage thread", getrusage(RUSAGE_THREAD, &ru));
	R("getrusage bad who", getrusage(5, &ru));
	R("getrusage children before", getrusage(RUSAGE_CHILDREN, &ru));
	long before = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
	pid_t p = fork();
	if (!p)
		_exit(!burn_cpu(200));
	struct rusage cru;
	int st;
	wait4(p, &st, 0, &cru);
	CHECK("wait4 rusage has the child's CPU", tv_ms(cru.ru_utime) + tv_ms(cru.ru_stime) >= 150);
	getrusage(RUSAGE_CHILDREN, &ru);
	CHECK("children CPU grew", tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime) - before >= 150);
	struct tms tm;
	clock_t c = times(&tm);
	CHECK("times", c != (clock_t)-1 && tm.tms_cutime + tm.tms_cstime >= 15);
}

static void test_settime(void)
{
	/* Nothing here changes the clock: this runs on the host too. */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	R("clock_settime monotonic", clock_settime(CLOCK_MONOTONIC, &now));
	struct timespec bad = { 0, 2000000000 };
	R("clock_settime bad nsec", clock_settime(CLOCK_REALTIME, &bad));
	struct timeval tv;
	gettimeofday(&tv, NULL);
	R("settimeofday nothing as root", syscall(SYS_settimeofday, NULL, NULL));
	pid_t p = fork();
	if (!p) {
		setuid(1000);
		int r1 = clock_settime(CLOCK_REALTIME, &now);
		int e1 = errno;
		int r2 = settimeofday(&tv, NULL);
		int e2 = errno;
		printf("as user: clock_settime %d %s, settimeofday %d %s\n", r1, ename(e1), r2, ename(e2));
		_exit(0);
	}
	waitpid(p, NULL, 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_alarm();
	test_itimer();
	test_posix_timers();
	test_sigev_thread();
	test_timerfd();
	test_sleep();
	test_cpu_clocks();
	test_settime();
	printf("DONE\n");
	return 0;
}
