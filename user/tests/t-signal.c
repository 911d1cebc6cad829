/*
 * user/tests/t-signal.c - t-signal: signal delivery and the related exit
 * statuses.
 *   1. a SIGUSR1 handler installed with sigaction runs on raise(), sees
 *      SIGUSR1 blocked inside the handler (no SA_NODEFER), and returns
 *      (sigreturn restores the interrupted state: a local survives);
 *   2. SIGCHLD is delivered when a child exits;
 *   3. with SIGPIPE ignored, writing to a pipe without a reader fails with
 *      EPIPE;
 *   4. a child killed by SIGTERM is reported with WIFSIGNALED and
 *      WTERMSIG == 15.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;
static volatile sig_atomic_t usr1_count, usr1_blocked_inside, chld_count;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (!ok)
		failures++;
}

static void on_usr1(int sig)
{
	sigset_t now;

	(void)sig;
	usr1_count++;
	if (sigprocmask(SIG_BLOCK, NULL, &now) == 0 && sigismember(&now, SIGUSR1))
		usr1_blocked_inside = 1;
}

static void on_chld(int sig)
{
	(void)sig;
	chld_count++;
}

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void test_handler(void)
{
	struct sigaction sa;
	volatile int canary = 0x1234;
	sigset_t after;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	check(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction(SIGUSR1)");
	raise(SIGUSR1);
	check(usr1_count == 1, "SIGUSR1 handler ran once");
	check(usr1_blocked_inside, "SIGUSR1 blocked while its handler runs");
	check(canary == 0x1234, "handler returned to the interrupted code");
	sigprocmask(SIG_BLOCK, NULL, &after);
	check(!sigismember(&after, SIGUSR1), "signal mask restored after handler");
}

static void test_sigchld(void)
{
	struct sigaction sa;
	pid_t pid;
	int st;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	pid = fork();
	if (pid == 0)
		_exit(0);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	for (int i = 0; i < 100 && !chld_count; i++)
		nap_ms(10);
	check(chld_count >= 1, "SIGCHLD delivered when a child exits");
	signal(SIGCHLD, SIG_DFL);
}

static void test_epipe(void)
{
	int p[2];
	ssize_t r;

	signal(SIGPIPE, SIG_IGN);
	if (pipe(p) < 0) {
		check(0, "pipe");
		return;
	}
	close(p[0]);
	r = write(p[1], "x", 1);
	check(r == -1 && errno == EPIPE, "write to a pipe with no reader: EPIPE");
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}

static void test_sigterm(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		for (;;)
			pause();
	}
	nap_ms(50);
	kill(pid, SIGTERM);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	printf("child status %#x\n", st);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
	      "child killed by SIGTERM: WTERMSIG == 15");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_handler();
	test_sigchld();
	test_epipe();
	test_sigterm();
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
