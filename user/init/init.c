/*
 * user/init/init.c - /sbin/init, process 1.
 *
 * Design. init does four things, in this order:
 *   1. makes sure fds 0-2 are open on /dev/console, sets a minimal
 *      environment (PATH, HOME, TERM) and mounts /proc if the kernel has
 *      not (quietly);
 *   2. starts /bin/sh in a new session with the console as its controlling
 *      terminal and the shell's process group in the foreground;
 *   3. loops forever reaping every child (orphans are reparented to init),
 *      restarting the shell when it exits - rate-limited, so a shell that
 *      dies at once does not spin;
 *   4. on SIGTERM (reboot), SIGUSR2 (power off) or SIGUSR1 (halt), as
 *      busybox init does, shuts the system down (see shutdown.c).
 *
 * Signals never do work in their handlers: a handler records the signal in a
 * flag and writes one byte to a self-pipe. The main loop blocks in read() on
 * that pipe, so a signal that arrives while the loop is busy is never lost:
 * the byte is waiting and the next read() returns at once.
 *
 * On a Linux host init refuses to run unless it is process 1, except with
 * --test [shell]: then it runs the shell on the current terminal (in a new process
 * group of the caller's session rather than a new session), leaves mounts
 * alone, and "shutting down" only ends its own children and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

static const char *SHELL = "/bin/sh"; /* --test may name another */
#define CONSOLE "/dev/console"

/* Restart policy: a shell that lived less than QUICK_EXIT_SEC counts as a
 * quick exit; after MAX_QUICK_EXITS in a row init waits BACKOFF_SEC. */
#define QUICK_EXIT_SEC 2
#define MAX_QUICK_EXITS 5
#define BACKOFF_SEC 10

int init_test_mode;

static int sigpipe_fds[2] = { -1, -1 };
static volatile sig_atomic_t pending_shutdown; /* 0 or a SHUTDOWN_* action */

static void on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (sig == SIGTERM)
		pending_shutdown = SHUTDOWN_REBOOT;
	else if (sig == SIGUSR2)
		pending_shutdown = SHUTDOWN_POWEROFF;
	else if (sig == SIGUSR1)
		pending_shutdown = SHUTDOWN_HALT;
	/* SIGCHLD only needs the wake-up byte. A full pipe already holds one. */
	if (write(sigpipe_fds[1], &c, 1) < 0) {
		/* nothing to do: the loop is already due to wake up */
	}
	errno = saved;
}

static void setup_signals(void)
{
	struct sigaction sa;
	int sigs[] = { SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD };

	if (pipe2(sigpipe_fds, O_CLOEXEC) < 0) {
		fprintf(stderr, "init: pipe: %s\n", strerror(errno));
		sigpipe_fds[0] = sigpipe_fds[1] = -1;
		return;
	}
	/* The handler must never block: only the write end is non-blocking. */
	fcntl(sigpipe_fds[1], F_SETFL, O_NONBLOCK);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	/* ^C on the console goes to the shell's group, never to init. */
	if (!init_test_mode)
		signal(SIGINT, SIG_IGN);
}

/* Make fds 0, 1 and 2 refer to the console if any of them is closed. */
static void open_console(void)
{
	int fd;

	if (fcntl(0, F_GETFD) >= 0 && fcntl(1, F_GETFD) >= 0 &&
	    fcntl(2, F_GETFD) >= 0)
		return;
	fd = open(CONSOLE, O_RDWR | O_NOCTTY);
	if (fd < 0)
		return; /* nowhere to complain to */
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Child side of starting the shell: new session, console as controlling
 * terminal, own group in the foreground, default signal dispositions. */
static void exec_shell(void)
{
	char *argv[] = { "sh", NULL };

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	/* We are not yet in the terminal's foreground group: tcsetpgrp from
	 * the background would stop us with SIGTTOU. */
	signal(SIGTTOU, SIG_IGN);
	if (!init_test_mode) {
		if (setsid() < 0)
			fprintf(stderr, "init: setsid: %s\n", strerror(errno));
		/* Steal the console from a stale session if need be (arg 1). */
		if (ioctl(0, TIOCSCTTY, 1) < 0)
			fprintf(stderr, "init: TIOCSCTTY on %s: %s\n", CONSOLE,
				strerror(errno));
	} else {
		/* On a host terminal: a new group in the caller's session. */
		setpgid(0, 0);
	}
	if (tcsetpgrp(0, getpid()) < 0 && !init_test_mode)
		fprintf(stderr, "init: tcsetpgrp: %s\n", strerror(errno));
	signal(SIGTTOU, SIG_DFL);
	execv(SHELL, argv);
	fprintf(stderr, "init: cannot run %s: %s\n", SHELL, strerror(errno));
	_exit(127);
}

static pid_t start_shell(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0)
		exec_shell();
	return pid;
}

static void report_shell_exit(int status)
{
	if (WIFEXITED(status))
		printf("init: %s exited with status %d, restarting it\n", SHELL,
		       WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("init: %s killed by signal %d, restarting it\n", SHELL,
		       WTERMSIG(status));
	fflush(stdout);
}

/* Sleep for sec seconds unless a shutdown signal arrives first. */
static void backoff(int sec)
{
	double until = now_sec() + sec;

	while (!pending_shutdown && now_sec() < until) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

int main(int argc, char **argv)
{
	pid_t shell = -1;
	double shell_started = 0;
	int quick_exits = 0;

	if (argc > 1 && strcmp(argv[1], "--test") == 0 && argc <= 3) {
		init_test_mode = 1;
		if (argc == 3)
			SHELL = argv[2];
	} else if (argc > 1) {
		fprintf(stderr, "usage: init [--test [shell]]\n");
		return 2;
	}
	if (getpid() != 1 && !init_test_mode) {
		fprintf(stderr, "init: must be run as process 1\n");
		return 1;
	}

	open_console();
	/* (--test keeps the caller's PATH, to find the programs under test.) */
	setenv("PATH", "/bin:/sbin:/usr/bin", !init_test_mode);
	setenv("HOME", "/root", 1);
	setenv("TERM", "linux", 1);
	if (!init_test_mode) {
		/* The RayOS kernel mounts /proc itself; mount it only where it
		 * is missing (a kernel that needs it, such as Linux). */
		struct stat st;
		if (stat("/proc/self", &st) < 0) {
			mkdir("/proc", 0555);
			mount("proc", "/proc", "proc", 0, NULL);
		}
		if (chdir("/root") < 0 && chdir("/") < 0) {
			/* stay wherever the kernel put us */
		}
	} else {
		/* Adopt orphans as process 1 would, to reap them in tests. */
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	}
	setup_signals();

	printf("init: starting %s on %s\n", SHELL, CONSOLE);
	fflush(stdout);

	for (;;) {
		int status;
		pid_t pid;
		char buf[64];

		if (pending_shutdown)
			shutdown_system(pending_shutdown, shell);

		/* Reap everything that has exited: the shell and orphans. */
		while ((pid = wait4(-1, &status, WNOHANG, NULL)) > 0) {
			if (pid != shell)
				continue;
			shell = -1;
			report_shell_exit(status);
			if (now_sec() - shell_started < QUICK_EXIT_SEC)
				quick_exits++;
			else
				quick_exits = 0;
		}
		if (pending_shutdown)
			continue;

		if (shell < 0) {
			if (quick_exits >= MAX_QUICK_EXITS) {
				printf("init: %s exits too quickly; waiting %d seconds\n",
				       SHELL, BACKOFF_SEC);
				fflush(stdout);
				backoff(BACKOFF_SEC);
				quick_exits = 0;
				continue;
			}
			shell_started = now_sec();
			shell = start_shell();
			if (shell < 0) {
				backoff(1);
				continue;
			}
		}

		/* Sleep until a signal (SIGCHLD included) writes to the pipe. */
		if (sigpipe_fds[0] >= 0) {
			if (read(sigpipe_fds[0], buf, sizeof buf) < 0 &&
			    errno != EINTR)
				backoff(1); /* should not happen; do not spin */
		} else {
			pid = wait4(-1, &status, 0, NULL); /* degraded mode */
			if (pid == shell && pid > 0) {
				shell = -1;
				report_shell_exit(status);
			}
		}
	}
}
