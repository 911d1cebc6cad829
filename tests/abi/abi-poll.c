/*
 * tests/abi/abi-poll.c - conformance of poll, ppoll, select, pselect,
 * epoll and eventfd (see tests/abi/README.md).
 *
 * Prints one canonical line per check: the call, its result and errno name,
 * and the events it reported. Nothing in the output depends on timing
 * beyond "the call waited at least this long", on descriptor numbers or on
 * addresses, so the output on Linux and on RayOS must be byte for byte the
 * same. Exits 0 after printing DONE; the comparison is the test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case EINTR: return "EINTR";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case EEXIST: return "EEXIST";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case EFAULT: return "EFAULT";
	default: return "E?";
	}
}

/* "ret errno" of the last call. */
#define R(label, expr)                                                        \
	do {                                                                  \
		errno = 0;                                                    \
		long r_ = (long)(expr);                                       \
		printf("%s: %ld %s\n", label, r_, r_ < 0 ? ename(errno) : "0"); \
	} while (0)

static void pev(const char *label, int ev)
{
	printf("%s:", label);
	static const struct { int bit; const char *name; } names[] = {
		{ POLLIN, "IN" }, { POLLPRI, "PRI" }, { POLLOUT, "OUT" },
		{ POLLERR, "ERR" }, { POLLHUP, "HUP" }, { POLLNVAL, "NVAL" },
		{ POLLRDNORM, "RDNORM" }, { POLLWRNORM, "WRNORM" },
	};
	if (!ev)
		printf(" -");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ev & names[i].bit)
			printf(" %s", names[i].name);
	printf("\n");
}

static long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int poll1(int fd, short events, int timeout)
{
	struct pollfd p = { fd, events, 0 };
	int r = poll(&p, 1, timeout);
	printf("poll fd %s: %d %s", events & POLLIN ? "in" : "out", r, r < 0 ? ename(errno) : "0");
	pev("", p.revents);
	return r;
}

static void test_poll_pipes(void)
{
	int p[2];
	char buf[16];
	printf("== poll pipes\n");
	pipe(p);
	poll1(p[0], POLLIN, 0);             /* empty: nothing */
	poll1(p[1], POLLOUT, 0);            /* room */
	write(p[1], "abc", 3);
	poll1(p[0], POLLIN, 0);             /* data */
	poll1(p[0], POLLIN | POLLOUT, 0);   /* read end: never OUT */
	close(p[1]);
	poll1(p[0], POLLIN, 0);             /* data and HUP */
	read(p[0], buf, sizeof(buf));
	poll1(p[0], POLLIN, 0);             /* HUP only */
	poll1(p[0], 0, 0);                  /* HUP even unasked */
	close(p[0]);

	pipe(p);
	close(p[0]);
	poll1(p[1], POLLOUT, 0);            /* reader gone: ERR */
	poll1(p[1], 0, 0);
	close(p[1]);

	/* Several entries: a bad descriptor, a negative one, a ready one. */
	pipe(p);
	write(p[1], "x", 1);
	struct pollfd ps[4] = { { p[0], POLLIN, 0 }, { -1, POLLIN, 7 },
	                        { 999, POLLIN, 0 }, { p[1], POLLIN, 0 } };
	int r = poll(ps, 4, 0);
	printf("poll 4: %d\n", r);
	for (int i = 0; i < 4; i++)
		pev(" entry", ps[i].revents);

	/* Timeout on an empty pipe. */
	read(p[0], buf, 1);
	long t0 = ms_now();
	r = poll(ps, 1, 60);
	long dt = ms_now() - t0;
	printf("poll timeout 60: %d waited>=55 %d\n", r, dt >= 55);

	/* A writer in another process wakes the sleeper. */
	pid_t c = fork();
	if (c == 0) {
		msleep(50);
		write(p[1], "y", 1);
		_exit(0);
	}
	ps[0].revents = 0;
	r = poll(ps, 1, -1);
	printf("poll woken: %d", r);
	pev("", ps[0].revents);
	waitpid(c, NULL, 0);
	close(p[0]);
	close(p[1]);

	R("poll nfds huge", poll(ps, 1u << 30, 0));
	R("poll efault", poll((struct pollfd *)8, 1, 0));
	t0 = ms_now();
	R("poll none 30", poll(NULL, 0, 30));
	printf("poll none waited>=25 %d\n", ms_now() - t0 >= 25);
}

static void test_select(void)
{
	int p[2];
	fd_set r, w;
	struct timeval tv;
	printf("== select\n");
	pipe(p);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	int n = select(p[1] + 1, &r, &w, NULL, &tv);
	printf("select empty: %d r %d w %d\n", n, FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
	write(p[1], "a", 1);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	n = select(p[1] + 1, &r, &w, NULL, NULL);
	printf("select data: %d r %d w %d\n", n, FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
	char c;
	read(p[0], &c, 1);

	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 70000;
	long t0 = ms_now();
	n = select(p[0] + 1, &r, NULL, NULL, &tv);
	printf("select timeout 70: %d r %d waited>=65 %d\n", n, FD_ISSET(p[0], &r),
	       ms_now() - t0 >= 65);

	/* The bit for a closed descriptor: EBADF. */
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_SET(p[1] + 5, &r);
	tv.tv_sec = tv.tv_usec = 0;
	R("select closed fd", select(p[1] + 6, &r, NULL, NULL, &tv));
	/* ...unless it is at or above nfds. */
	FD_ZERO(&r);
	FD_SET(p[1] + 5, &r);
	tv.tv_sec = tv.tv_usec = 0;
	R("select above nfds", select(p[1] + 1, &r, NULL, NULL, &tv));
	tv.tv_sec = 0;
	tv.tv_usec = -1;
	R("select negative usec", select(1, NULL, NULL, NULL, &tv));
	tv.tv_sec = 0;
	tv.tv_usec = 1010000; /* folded into 1.01 s: valid */
	t0 = ms_now();
	R("select usec over 1e6", select(0, NULL, NULL, NULL, &tv));
	printf("select waited>=1000 %d\n", ms_now() - t0 >= 1000);
	tv.tv_sec = -1;
	tv.tv_usec = 0;
	R("select negative sec", select(1, NULL, NULL, NULL, &tv));
	R("select nfds<0", select(-1, NULL, NULL, NULL, NULL));

	/* Writer closed: the read end selects readable (EOF). */
	close(p[1]);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	n = select(p[0] + 1, &r, NULL, NULL, NULL);
	printf("select eof: %d r %d\n", n, FD_ISSET(p[0], &r));
	close(p[0]);

	struct timespec ts = { 0, 20000000 };
	t0 = ms_now();
	R("pselect none 20", pselect(0, NULL, NULL, NULL, &ts, NULL));
	printf("pselect waited>=15 %d\n", ms_now() - t0 >= 15);
}

static uint64_t ev_read(int fd, int *err)
{
	uint64_t v = 0;
	errno = 0;
	ssize_t n = read(fd, &v, sizeof(v));
	*err = n < 0 ? errno : 0;
	return n < 0 ? (uint64_t)-1 : v;
}

static void ev_print_read(const char *label, int fd)
{
	int e;
	uint64_t v = ev_read(fd, &e);
	if (e)
		printf("%s: -1 %s\n", label, ename(e));
	else
		printf("%s: %llu\n", label, (unsigned long long)v);
}

static void ev_write(const char *label, int fd, uint64_t v)
{
	R(label, write(fd, &v, sizeof(v)));
}

static void test_eventfd(void)
{
	printf("== eventfd\n");
	int fd = eventfd(3, EFD_NONBLOCK);
	ev_print_read("read initial", fd);
	ev_print_read("read empty", fd);
	poll1(fd, POLLIN | POLLOUT, 0);
	ev_write("write 5", fd, 5);
	ev_write("write 7", fd, 7);
	poll1(fd, POLLIN | POLLOUT, 0);
	ev_print_read("read sum", fd);
	uint32_t small = 1;
	R("write short", write(fd, &small, sizeof(small)));
	ev_write("write 1", fd, 1);
	R("read short", read(fd, &small, sizeof(small)));
	ev_write("write max+1", fd, UINT64_MAX);
	ev_write("write 0", fd, 0);
	ev_print_read("read after 0", fd);
	ev_write("write max", fd, UINT64_MAX - 1);
	poll1(fd, POLLIN | POLLOUT, 0);
	ev_write("write overflow", fd, 1);
	ev_write("write 0 full", fd, 0);
	ev_print_read("read max", fd);
	R("lseek", lseek(fd, 0, SEEK_CUR));
	close(fd);

	fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
	printf("cloexec %d nonblock %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC,
	       !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	ev_print_read("sem read 1", fd);
	ev_print_read("sem read 2", fd);
	ev_print_read("sem read 3", fd);
	close(fd);
	R("eventfd bad flags", eventfd(0, 0x10));

	/* A blocking read woken by another process's write. */
	fd = eventfd(0, 0);
	pid_t c = fork();
	if (c == 0) {
		msleep(40);
		uint64_t v = 9;
		write(fd, &v, sizeof(v));
		_exit(0);
	}
	ev_print_read("blocking read", fd);
	waitpid(c, NULL, 0);
	close(fd);
}

static int cmp_ev(const void *a, const void *b)
{
	const struct epoll_event *x = a, *y = b;
	return (x->data.u64 > y->data.u64) - (x->data.u64 < y->data.u64);
}

static void ep_show(const char *label, int ep, int max, int timeout)
{
	struct epoll_event evs[8];
	errno = 0;
	int n = epoll_wait(ep, evs, max, timeout);
	printf("%s: %d %s\n", label, n, n < 0 ? ename(errno) : "0");
	/* Linux orders ready items by when they became ready: sort. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && cmp_ev(&evs[j - 1], &evs[j]) > 0; j--) {
			struct epoll_event t = evs[j];
			evs[j] = evs[j - 1];
			evs[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		printf(" data %llu", (unsigned long long)evs[i].data.u64);
		pev("", (int)evs[i].events);
	}
}

static void test_epoll(void)
{
	printf("== epoll\n");
	R("epoll_create 0", syscall(SYS_epoll_create, 0));
	R("epoll_create -1", syscall(SYS_epoll_create, -1));
	R("epoll_create1 bad", epoll_create1(1));
	int ep = epoll_create1(EPOLL_CLOEXEC);
	printf("epoll cloexec %d\n", fcntl(ep, F_GETFD) & FD_CLOEXEC);
	int a[2], b[2], c[2];
	pipe(a);
	pipe(b);
	pipe(c);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 1 };
	R("add a", epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev));
	R("add a again", epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev));
	ev.data.u64 = 2;
	R("add b", epoll_ctl(ep, EPOLL_CTL_ADD, b[0], &ev));
	ev.data.u64 = 3;
	R("add c", epoll_ctl(ep, EPOLL_CTL_ADD, c[0], &ev));
	ev.events = EPOLLOUT;
	ev.data.u64 = 4;
	R("add c write end", epoll_ctl(ep, EPOLL_CTL_ADD, c[1], &ev));
	R("mod missing", epoll_ctl(ep, EPOLL_CTL_MOD, a[1], &ev));
	R("del missing", epoll_ctl(ep, EPOLL_CTL_DEL, b[1], &ev));
	R("add self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
	R("add bad fd", epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev));
	R("not epoll", epoll_ctl(a[0], EPOLL_CTL_ADD, b[0], &ev));
	R("bad op", epoll_ctl(ep, 77, b[0], &ev));
	int reg = open("/proc/self/exe", O_RDONLY);
	if (reg < 0)
		reg = open("/bin/sh", O_RDONLY);
	R("add regular file", epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev));
	close(reg);
	ep_show("wait write end only", ep, 8, 0);
	R("del c write end", epoll_ctl(ep, EPOLL_CTL_DEL, c[1], NULL));
	ep_show("wait nothing", ep, 8, 0);
	write(b[1], "b", 1);
	write(a[1], "a", 1);
	ep_show("wait a b", ep, 8, 0);
	/* Which of two ready items comes first is not specified (Linux: the
	 * one that became ready first); only the count is compared. */
	R("wait max 1", epoll_wait(ep, &ev, 1, 0));
	ev.events = EPOLLOUT;
	ev.data.u64 = 20;
	R("mod b to out", epoll_ctl(ep, EPOLL_CTL_MOD, b[0], &ev));
	ep_show("wait after mod", ep, 8, 0);
	R("wait maxevents 0", epoll_wait(ep, &ev, 0, 0));
	R("wait not epoll", epoll_wait(a[0], &ev, 1, 0));
	R("wait bad fd", epoll_wait(999, &ev, 1, 0));

	/* Writer closed: HUP, although not asked for. */
	close(c[1]);
	ep_show("wait hup", ep, 8, 0);
	R("del c", epoll_ctl(ep, EPOLL_CTL_DEL, c[0], NULL));

	/* Oneshot: one report, then silence until MOD. */
	char ch;
	read(a[0], &ch, 1);
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u64 = 30;
	R("del a", epoll_ctl(ep, EPOLL_CTL_DEL, a[0], NULL));
	R("del b", epoll_ctl(ep, EPOLL_CTL_DEL, b[0], NULL));
	R("add a oneshot", epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev));
	write(a[1], "a", 1);
	ep_show("oneshot 1", ep, 8, 0);
	ep_show("oneshot 2", ep, 8, 0);
	R("rearm", epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &ev));
	ep_show("oneshot rearmed", ep, 8, 0);
	read(a[0], &ch, 1);

	/* Timeout, then a wake-up from another process. */
	ev.events = EPOLLIN;
	ev.data.u64 = 40;
	epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &ev);
	long t0 = ms_now();
	ep_show("wait timeout 50", ep, 8, 50);
	printf("epoll waited>=45 %d\n", ms_now() - t0 >= 45);
	/* epoll_pwait2: the timeout as a timespec (no libc wrapper in musl). */
	struct timespec ts = { 0, 30000000 };
	t0 = ms_now();
	R("epoll_pwait2 30ms", syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8));
	printf("epoll_pwait2 waited>=25 %d\n", ms_now() - t0 >= 25);
	ts.tv_nsec = 1000000000;
	R("epoll_pwait2 bad timespec", syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8));
	ts.tv_nsec = 0;
	R("epoll_pwait2 bad sigsetsize", syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, &ts, 4));
	pid_t k = fork();
	if (k == 0) {
		msleep(40);
		write(a[1], "z", 1);
		_exit(0);
	}
	ep_show("wait woken", ep, 8, -1);
	waitpid(k, NULL, 0);

	/* An eventfd in the set. */
	int efd = eventfd(0, EFD_NONBLOCK);
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.u64 = 50;
	epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
	R("del a again", epoll_ctl(ep, EPOLL_CTL_DEL, a[0], NULL));
	ep_show("eventfd 0", ep, 8, 0);
	uint64_t one = 1;
	write(efd, &one, sizeof(one));
	ep_show("eventfd 1", ep, 8, 0);
	close(efd);
	close(ep);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	close(c[0]);
}

static volatile int got;
static void on_usr1(int s) { (void)s; got++; }

/* A child process signals us after 50 ms while we wait. */
static pid_t signal_later(void)
{
	pid_t parent = getpid();
	pid_t c = fork();
	if (c == 0) {
		msleep(50);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	return c;
}

static void test_eintr(void)
{
	printf("== signals\n");
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART; /* poll, select, epoll_wait: EINTR anyway */
	sigaction(SIGUSR1, &sa, NULL);
	int p[2];
	pipe(p);
	struct pollfd pf = { p[0], POLLIN, 0 };

	got = 0;
	pid_t c = signal_later();
	R("poll interrupted", poll(&pf, 1, -1));
	printf("handler ran %d\n", got);
	waitpid(c, NULL, 0);

	got = 0;
	c = signal_later();
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	R("select interrupted", select(p[0] + 1, &r, NULL, NULL, NULL));
	printf("handler ran %d\n", got);
	waitpid(c, NULL, 0);

	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 1 };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	got = 0;
	c = signal_later();
	R("epoll_wait interrupted", epoll_wait(ep, &ev, 1, -1));
	printf("handler ran %d\n", got);
	waitpid(c, NULL, 0);

	/* A pending blocked signal, unblocked only for the call: EINTR at
	 * once, the handler runs, and the old mask is back afterwards. */
	sigset_t block, empty, now;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, NULL);
	got = 0;
	kill(getpid(), SIGUSR1);
	R("ppoll unblocks", ppoll(&pf, 1, NULL, &empty));
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("handler ran %d still blocked %d\n", got, sigismember(&now, SIGUSR1));
	got = 0;
	kill(getpid(), SIGUSR1);
	R("pselect unblocks", pselect(p[0] + 1, &r, NULL, NULL, NULL, &empty));
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("handler ran %d still blocked %d\n", got, sigismember(&now, SIGUSR1));
	got = 0;
	kill(getpid(), SIGUSR1);
	R("epoll_pwait unblocks", epoll_pwait(ep, &ev, 1, -1, &empty));
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("handler ran %d still blocked %d\n", got, sigismember(&now, SIGUSR1));

	/* The other way: a mask that blocks the signal during the wait; it
	 * is delivered when the call returns. */
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	printf("pending delivered %d\n", got);
	got = 0;
	c = signal_later();
	struct timespec ts = { 0, 150000000 };
	R("ppoll masked", ppoll(&pf, 1, &ts, &block));
	printf("handler ran %d\n", got);
	waitpid(c, NULL, 0);
	close(ep);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_poll_pipes();
	test_select();
	test_eventfd();
	test_epoll();
	test_eintr();
	printf("DONE\n");
	return 0;
}
