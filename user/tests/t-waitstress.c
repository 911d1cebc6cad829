/*
 * user/tests/t-waitstress.c - t-waitstress [WORKERS] [ROUNDS]: hunt lost
 * wake-ups in pipes and wait4/waitid. WORKERS processes run at once; each,
 * ROUNDS times, forks a child, plays ping-pong with it over two pipes (both
 * sides sleep on an empty pipe in turn), lets it write a burst bigger than
 * the pipe so that the writer sleeps for room, then reaps it with wait4 or
 * waitid; every third round the child instead yields the CPU and exits
 * while the parent already waits, so that the parent's scan finds it alive
 * and only the exit's wake-up can end the wait. Half the workers have an interval timer firing every millisecond
 * (a SIGALRM handler, with SA_RESTART on some and EINTR retries on others),
 * so sleeps are cut short by signals at random points; the other half have
 * no timer, so that a lost wake-up there is not hidden by a signal that
 * happens to wake the sleeper and make it look again.
 *
 * The parent watches each worker's progress in a shared page: a worker that
 * makes none for 20 s is reported as stuck (a lost wake-up: every sleep here
 * has a waker) and the run fails. Prints "waitstress: N rounds in W workers"
 * and PASS. Runs on Linux too.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 32
#define PINGS 16
#define BURST (100 * 1024) /* more than the 64 KiB a pipe holds */
#define STUCK_MS 20000

static volatile long *progress;
static volatile long alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void die(const char *what)
{
	fprintf(stderr, "t-waitstress: %s: %s\n", what, strerror(errno));
	_exit(2);
}

/* read/write exactly n bytes, retrying after signals. */
static int full_io(int fd, void *buf, size_t n, int writing)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = writing ? write(fd, (char *)buf + done, n - done)
		                    : read(fd, (char *)buf + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

static void child(int in, int out, int code, int quick)
{
	static char burst[BURST];
	char c;
	for (int i = 0; i < PINGS; i++) {
		if (full_io(in, &c, 1, 0) || full_io(out, &c, 1, 1))
			_exit(100);
	}
	if (quick) {
		/* Let the parent run first (one CPU: it is runnable since our
		 * last pong), so that it is in wait4 with us alive, then exit:
		 * only our exit's wake-up can end its wait. */
		sched_yield();
		_exit(code);
	}
	memset(burst, code, sizeof(burst));
	if (full_io(out, burst, sizeof(burst), 1))
		_exit(101);
	_exit(code);
}

/* Reap pid, retrying after signals; returns its exit code or -1. */
static int reap(pid_t pid, int use_waitid)
{
	for (;;) {
		if (use_waitid) {
			siginfo_t si;
			memset(&si, 0, sizeof(si));
			if (waitid(P_PID, (id_t)pid, &si, WEXITED) == 0)
				return si.si_code == CLD_EXITED ? si.si_status : -1;
		} else {
			int status;
			if (waitpid(pid, &status, 0) == pid)
				return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		if (errno != EINTR)
			die("wait");
	}
}

static void worker(int id, long rounds)
{
	static char burst[BURST];
	if (id % 2) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sa.sa_flags = id % 4 == 1 ? SA_RESTART : 0;
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
		setitimer(ITIMER_REAL, &it, NULL);
	}
	for (long r = 0; r < rounds; r++) {
		int to[2], from[2];
		if (pipe(to) || pipe(from))
			die("pipe");
		int code = (int)((id * 7 + r) % 200) + 1;
		int quick = r % 3 == 2; /* no burst: wait while the child runs */
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			struct itimerval off = { { 0, 0 }, { 0, 0 } };
			setitimer(ITIMER_REAL, &off, NULL);
			close(to[1]);
			close(from[0]);
			child(to[0], from[1], code, quick);
		}
		close(to[0]);
		close(from[1]);
		char c = 'x';
		for (int i = 0; i < PINGS; i++)
			if (full_io(to[1], &c, 1, 1) || full_io(from[0], &c, 1, 0))
				die("ping-pong");
		if (quick) {
			close(to[1]);
			close(from[0]);
			goto reap;
		}
		if (full_io(from[0], burst, sizeof(burst), 0))
			die("burst");
		if (burst[0] != (char)code || burst[BURST - 1] != (char)code) {
			fprintf(stderr, "t-waitstress: worker %d: burst corrupted\n", id);
			_exit(3);
		}
		ssize_t eof; /* end of file once it has gone */
		while ((eof = read(from[0], &c, 1)) < 0 && errno == EINTR)
			;
		if (eof != 0)
			die("eof");
		close(to[1]);
		close(from[0]);
	reap:;
		int got = reap(pid, (int)(r % 2));
		if (got != code) {
			fprintf(stderr, "t-waitstress: worker %d: child exit %d, want %d\n",
			        id, got, code);
			_exit(4);
		}
		progress[id]++;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int workers = argc > 1 ? atoi(argv[1]) : 8;
	long rounds = argc > 2 ? atol(argv[2]) : 100;
	if (workers < 1 || workers > MAX_WORKERS || rounds < 1) {
		fprintf(stderr, "usage: t-waitstress [WORKERS 1-%d] [ROUNDS]\n", MAX_WORKERS);
		return 2;
	}
	progress = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED)
		die("mmap");
	pid_t pids[MAX_WORKERS];
	long last[MAX_WORKERS];
	int idle_ms[MAX_WORKERS], done[MAX_WORKERS];
	for (int i = 0; i < workers; i++) {
		progress[i] = 0;
		last[i] = 0;
		idle_ms[i] = 0;
		done[i] = 0;
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0)
			worker(i, rounds);
	}
	/* The watchdog polls with a timed sleep, never waiting for a child:
	 * it must keep running when a worker's wake-up is lost. */
	int left = workers, failed = 0;
	while (left > 0) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		for (int i = 0; i < workers; i++) {
			if (done[i])
				continue;
			int status;
			if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				done[i] = 1;
				left--;
				if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
					printf("waitstress: worker %d failed (status %#x)\n", i, status);
					failed = 1;
				}
				continue;
			}
			if (progress[i] != last[i]) {
				last[i] = progress[i];
				idle_ms[i] = 0;
			} else if ((idle_ms[i] += 100) >= STUCK_MS) {
				printf("waitstress: worker %d (pid %d) stuck at round %ld\n",
				       i, pids[i], progress[i]);
				failed = 1;
				done[i] = 1;
				left--;
			}
		}
	}
	if (failed) {
		/* Leave stuck workers (and their children) for inspection with
		 * ps; they are killed when the machine goes. */
		puts("FAIL");
		return 1;
	}
	long total = 0;
	for (int i = 0; i < workers; i++)
		total += progress[i];
	printf("waitstress: %ld rounds in %d workers\n", total, workers);
	puts("PASS");
	return 0;
}
