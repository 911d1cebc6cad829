/*
 * tests/abi/abi-rlimit.c - resource limits (see tests/abi/README.md):
 * getrlimit/setrlimit/prlimit64 arguments and permissions, and the limits
 * RayOS enforces: RLIMIT_NOFILE (open, dup2, F_DUPFD), RLIMIT_NPROC (a
 * fork bomb held at the limit, the system usable afterwards), RLIMIT_AS
 * (mmap, malloc), RLIMIT_CPU (SIGXCPU, then SIGKILL), RLIMIT_CORE.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static void report(const char *label, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", label, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %d\n", label, WTERMSIG(st));
}

static void test_args(void)
{
	struct rlimit r, r2;
	R("getrlimit bad resource", getrlimit(99, &r));
	R("getrlimit bad pointer", syscall(SYS_getrlimit, RLIMIT_NOFILE, (void *)16));
	R("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &r));
	r2 = r;
	r2.rlim_cur = r2.rlim_max + 1;
	if (r.rlim_max != RLIM_INFINITY)
		R("setrlimit cur > max", setrlimit(RLIMIT_NOFILE, &r2));
	else
		printf("setrlimit cur > max: -1 EINVAL\n");
	R("setrlimit bad resource", setrlimit(99, &r));
	R("prlimit no such pid", prlimit(999999, RLIMIT_NOFILE, NULL, &r));
	R("getrlimit CORE", getrlimit(RLIMIT_CORE, &r));
	struct rlimit core = { 0, r.rlim_max };
	R("setrlimit CORE 0", setrlimit(RLIMIT_CORE, &core));
	getrlimit(RLIMIT_CORE, &r);
	printf("core now %llu\n", (unsigned long long)r.rlim_cur);

	/* prlimit on a child: read it, change it, see the change. */
	pid_t p = fork();
	if (!p) {
		for (;;)
			pause();
	}
	struct rlimit want = { 33, 44 }, old;
	R("prlimit set child", prlimit(p, RLIMIT_NOFILE, &want, &old));
	R("prlimit get child", prlimit(p, RLIMIT_NOFILE, NULL, &old));
	printf("child NOFILE %llu %llu\n", (unsigned long long)old.rlim_cur, (unsigned long long)old.rlim_max);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

static void test_nofile(void)
{
	pid_t p = fork();
	if (!p) {
		struct rlimit r = { 10, 10 };
		setrlimit(RLIMIT_NOFILE, &r);
		int opened = 0, fd, err = 0;
		while ((fd = open("/dev/null", O_RDONLY)) >= 0)
			opened++;
		err = errno;
		printf("NOFILE 10: opened %d more, then %s\n", opened, ename(err));
		R("dup2 to 10", dup2(0, 10));
		R("dup2 to 9", dup2(0, 9));
		R("F_DUPFD 10", fcntl(0, F_DUPFD, 10));
		R("pipe at limit", pipe((int[2]){ 0, 0 }));
		setuid(4242);
		struct rlimit up2 = { 30, 30 };
		R("raise hard as user", setrlimit(RLIMIT_NOFILE, &up2));
		struct rlimit down = { 5, 10 };
		R("lower as user", setrlimit(RLIMIT_NOFILE, &down));
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	report("nofile child", st);
}

static void test_nproc(void)
{
	pid_t p = fork();
	if (!p) {
		/* A user with at most 5 tasks runs a fork bomb. */
		struct rlimit r = { 5, 5 };
		setrlimit(RLIMIT_NPROC, &r);
		if (setuid(4242) != 0)
			_exit(99);
		int made = 0, err = 0;
		pid_t kids[64];
		for (int i = 0; i < 64; i++) {
			pid_t k = fork();
			if (k == 0) {
				for (;;)
					pause();
			}
			if (k < 0) {
				err = errno;
				break;
			}
			kids[made++] = k;
		}
		printf("fork bomb: %d forks, then %s\n", made, ename(err));
		for (int i = 0; i < made; i++)
			kill(kids[i], SIGKILL);
		for (int i = 0; i < made; i++)
			waitpid(kids[i], NULL, 0);
		/* With the bomb gone, forking works again. */
		pid_t k = fork();
		if (!k)
			_exit(0);
		printf("fork after cleanup: %s\n", k > 0 ? "ok" : ename(errno));
		if (k > 0)
			waitpid(k, NULL, 0);
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	report("nproc child", st);
	/* Root is not held by NPROC. */
	p = fork();
	if (!p) {
		struct rlimit r = { 1, 1 };
		setrlimit(RLIMIT_NPROC, &r);
		pid_t k = fork();
		if (!k)
			_exit(0);
		printf("root fork past NPROC 1: %s\n", k > 0 ? "ok" : ename(errno));
		waitpid(k, NULL, 0);
		_exit(0);
	}
	waitpid(p, &st, 0);
}

static void test_as(void)
{
	pid_t p = fork();
	if (!p) {
		struct rlimit r = { 64 << 20, 64 << 20 };
		R("setrlimit AS 64M", setrlimit(RLIMIT_AS, &r));
		void *big = mmap(NULL, 128 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		printf("mmap 128M: %s\n", big == MAP_FAILED ? ename(errno) : "mapped");
		void *small = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		printf("mmap 1M: %s\n", small == MAP_FAILED ? ename(errno) : "mapped");
		void *m = malloc(100 << 20);
		printf("malloc 100M: %s\n", m ? "got" : "NULL");
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	report("as child", st);
}

static volatile int xcpu;
static void on_xcpu(int sig)
{
	(void)sig;
	xcpu++;
}

static void test_cpu(void)
{
	int fds[2];
	pipe(fds);
	pid_t p = fork();
	if (!p) {
		signal(SIGXCPU, on_xcpu);
		struct rlimit r = { 1, 2 };
		setrlimit(RLIMIT_CPU, &r);
		int told = 0;
		for (;;) {
			if (xcpu && !told) {
				write(fds[1], "x", 1);
				told = 1;
			}
		}
	}
	close(fds[1]);
	int st;
	waitpid(p, &st, 0);
	char c = 0;
	read(fds[0], &c, 1);
	printf("SIGXCPU at the soft limit: %s\n", c == 'x' ? "yes" : "no");
	report("cpu child at the hard limit", st);
	close(fds[0]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_args();
	test_nofile();
	test_nproc();
	test_as();
	test_cpu();
	printf("DONE\n");
	return 0;
}
