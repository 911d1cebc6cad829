/*
 * tests/abi/abi-pidfd.c - process file descriptors (see tests/abi/README.md):
 * pidfd_open (errors, PIDFD_NONBLOCK, PIDFD_THREAD, close-on-exec, its
 * /proc/self/fd link, read), poll readable when the process exits and
 * POLLHUP once reaped, pidfd_send_signal (to a child, to oneself with and
 * without siginfo, errors: flags, descriptor, signal, siginfo rules, a
 * zombie, a reaped process), waitid(P_PIDFD) (status, WNOHANG, a
 * non-blocking pidfd, not a child, errors).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#define P_PIDFD_ 3
#define PIDFD_NONBLOCK_ O_NONBLOCK
#define PIDFD_THREAD_ O_EXCL

static int pidfd_open(pid_t pid, unsigned flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_send(int fd, int sig, siginfo_t *info, unsigned flags)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static int revents(int fd, int timeout)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, timeout);
	return r < 0 ? -1 : p.revents & (POLLIN | POLLHUP);
}

static const char *ev(int r)
{
	switch (r) {
	case 0: return "none";
	case POLLIN: return "POLLIN";
	case POLLIN | POLLHUP: return "POLLIN|POLLHUP";
	case POLLHUP: return "POLLHUP";
	default: return "error";
	}
}

static volatile sig_atomic_t got, got_code, got_pid_ok, got_value;

static void handler(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	got++;
	got_code = si->si_code;
	got_pid_ok = si->si_pid == getpid();
	got_value = si->si_value.sival_int;
}

/* A thread that tells its id and waits: args = { wait fd, ready fd, tid }. */
static void *idle(void *arg)
{
	int *a = arg;
	char c;
	a[2] = (int)syscall(SYS_gettid);
	write(a[1], "r", 1);
	read(a[0], &c, 1);
	return NULL;
}

static pid_t child_pausing(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	R("unknown flag", pidfd_open(getpid(), 1));
	R("pid 0", pidfd_open(0, 0));
	R("pid -1", pidfd_open(-1, 0));
	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	R("reaped process", pidfd_open(gone, 0));

	int self = pidfd_open(getpid(), 0);
	CHECK("pidfd_open self", self >= 0);
	CHECK("close-on-exec", fcntl(self, F_GETFD) == FD_CLOEXEC);
	CHECK("O_RDWR, blocking", (fcntl(self, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) == O_RDWR);
	char p[64], link[64];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", self);
	long n = readlink(p, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	printf("link: %s\n", link);
	char c;
	R("read", read(self, &c, 1));
	printf("poll of a live process: %s\n", ev(revents(self, 0)));
	int nb = pidfd_open(getpid(), PIDFD_NONBLOCK_);
	CHECK("PIDFD_NONBLOCK sets O_NONBLOCK", (fcntl(nb, F_GETFL) & O_NONBLOCK) != 0);
	close(nb);

	int tp[2], ready[2];
	pipe(tp);
	pipe(ready);
	int args[3] = { tp[0], ready[1], 0 };
	pthread_t th;
	pthread_create(&th, NULL, idle, args);
	read(ready[0], &c, 1);
	R("a thread's id", pidfd_open(args[2], 0));
	int tfd = pidfd_open(args[2], PIDFD_THREAD_);
	CHECK("a thread's id with PIDFD_THREAD", tfd >= 0);
	write(tp[1], "x", 1);
	pthread_join(th, NULL);
	close(tfd);
	close(tp[0]);
	close(tp[1]);
	close(ready[0]);
	close(ready[1]);

	/* signals to oneself */
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	R("send SIGUSR1 to self", pidfd_send(self, SIGUSR1, NULL, 0));
	printf("handled: %d code SI_USER: %s pid is ours: %s\n", (int)got,
	       got_code == SI_USER ? "yes" : "no", got_pid_ok ? "yes" : "no");
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_value.sival_int = 42;
	R("send with siginfo to self", pidfd_send(self, SIGUSR1, &si, 0));
	printf("handled: %d code SI_QUEUE: %s value: %d\n", (int)got,
	       got_code == SI_QUEUE ? "yes" : "no", (int)got_value);
	si.si_code = SI_USER;
	R("SI_USER siginfo to self", pidfd_send(self, SIGUSR1, &si, 0));
	R("siginfo with another signal", pidfd_send(self, SIGUSR2, &si, 0));
	R("bad siginfo", pidfd_send(self, SIGUSR1, (siginfo_t *)8, 0));
	R("signal 0", pidfd_send(self, 0, NULL, 0));
	R("bad signal", pidfd_send(self, 1000, NULL, 0));
	R("unknown flag", pidfd_send(self, SIGUSR1, NULL, 8));
	R("two scope flags", pidfd_send(self, SIGUSR1, NULL, 3));
	R("bad descriptor", pidfd_send(-1, SIGUSR1, NULL, 0));
	int devnull = open("/dev/null", O_RDONLY);
	R("not a pidfd", pidfd_send(devnull, SIGUSR1, NULL, 0));
	R("waitid on not a pidfd", waitid(P_PIDFD_, devnull, &si, WEXITED));
	close(devnull);
	R("waitid P_PIDFD -1", waitid(P_PIDFD_, -1, &si, WEXITED));
	R("waitid on oneself", waitid(P_PIDFD_, self, &si, WEXITED | WNOHANG));

	/* a child: signal, exit, poll, wait */
	pid_t pid = child_pausing();
	int fd = pidfd_open(pid, 0);
	int nfd = pidfd_open(pid, PIDFD_NONBLOCK_);
	printf("poll before: %s\n", ev(revents(fd, 0)));
	memset(&si, 0, sizeof(si));
	R("waitid WNOHANG, running", waitid(P_PIDFD_, fd, &si, WEXITED | WNOHANG));
	printf("si_pid is 0: %s\n", si.si_pid == 0 ? "yes" : "no");
	R("waitid with a non-blocking pidfd", waitid(P_PIDFD_, nfd, &si, WEXITED));
	si.si_signo = SIGTERM;
	si.si_code = SI_QUEUE;
	R("siginfo SI_USER to another", (si.si_code = SI_USER, pidfd_send(fd, SIGTERM, &si, 0)));
	R("siginfo SI_TKILL to another", (si.si_code = SI_TKILL, pidfd_send(fd, SIGTERM, &si, 0)));
	R("send SIGTERM", pidfd_send(fd, SIGTERM, NULL, 0));
	printf("poll after exit: %s\n", ev(revents(fd, 10000)));
	R("signal 0 to a zombie", pidfd_send(fd, 0, NULL, 0));
	R("SIGTERM to a zombie", pidfd_send(fd, SIGTERM, NULL, 0));
	memset(&si, 0, sizeof(si));
	R("waitid WNOWAIT", waitid(P_PIDFD_, fd, &si, WEXITED | WNOWAIT));
	CHECK("still a zombie", revents(fd, 0) == POLLIN);
	memset(&si, 0, sizeof(si));
	R("waitid", waitid(P_PIDFD_, fd, &si, WEXITED));
	printf("si_pid is the child: %s code CLD_KILLED: %s status SIGTERM: %s\n",
	       si.si_pid == pid ? "yes" : "no", si.si_code == CLD_KILLED ? "yes" : "no",
	       si.si_status == SIGTERM ? "yes" : "no");
	printf("poll after reaping: %s\n", ev(revents(fd, 0)));
	R("send to a reaped process", pidfd_send(fd, SIGTERM, NULL, 0));
	R("bad signal to a reaped process", pidfd_send(fd, 1000, NULL, 0));
	R("waitid after reaping", waitid(P_PIDFD_, fd, &si, WEXITED));
	close(fd);
	close(nfd);

	/* exit status through the pidfd of a child that exits by itself */
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		_exit(7);
	}
	fd = pidfd_open(pid, 0);
	printf("poll waiting for exit: %s\n", ev(revents(fd, 10000)));
	memset(&si, 0, sizeof(si));
	R("waitid", waitid(P_PIDFD_, fd, &si, WEXITED));
	printf("CLD_EXITED 7: %s\n", si.si_code == CLD_EXITED && si.si_status == 7 ? "yes" : "no");
	close(fd);
	close(self);
	printf("DONE\n");
	return 0;
}
