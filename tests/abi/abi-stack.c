/*
 * tests/abi/abi-stack.c - stacks (see tests/abi/README.md): MAP_GROWSDOWN
 * areas growing on faults below them, the guard gap to the area below,
 * RLIMIT_STACK on growth, MAP_GROWSDOWN|MAP_SHARED refused, and a stack
 * overflow of the main stack caught as SIGSEGV on an alternate stack.
 * Faults are taken in children with handlers (the code and whether
 * si_addr is right is the exit status), so no kernel logs a crash.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define PG 4096UL
#define MB (1024 * 1024UL)

static char *volatile fault_want; /* read by the handler */

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	_exit(sig * 10 + si->si_code + ((char *)si->si_addr == fault_want ? 0 : 128));
}

/* Touch (write) addr in a child; "ok" or the fault it got. */
static const char *touch(char *addr, rlim_t stack_limit)
{
	static char res[64];
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };
		sigaction(SIGBUS, &sa, NULL);
		sigaction(SIGSEGV, &sa, NULL);
		if (stack_limit) {
			struct rlimit rl = { stack_limit, stack_limit };
			setrlimit(RLIMIT_STACK, &rl);
		}
		fault_want = addr;
		*(volatile char *)addr = 1;
		_exit(*(volatile char *)addr == 1 ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st))
		return "killed";
	int e = WEXITSTATUS(st);
	if (e == 0)
		return "ok";
	if (e == 1)
		return "wrong value";
	snprintf(res, sizeof(res), "%s code %d%s", (e & 127) / 10 == SIGSEGV ? "SIGSEGV" : "other",
	         (e & 127) % 10, e & 128 ? " wrong si_addr" : "");
	return res;
}

/* Does /proc/self/maps have an area [start, end)? */
static int area(char *start, char *end)
{
	char want[64], buf[16384];
	snprintf(want, sizeof(want), "%08lx-%08lx ", (unsigned long)start, (unsigned long)end);
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return 0;
	int found = 0;
	while (fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, want, strlen(want)))
			found = 1;
	fclose(f);
	return found;
}

static void test_growsdown(void)
{
	/* A hole of 64 MiB to work in. */
	char *hole = mmap(NULL, 64 * MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, 64 * MB);
	char *top = hole + 48 * MB;
	char *g = mmap(top - PG, PG, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK("growsdown map", g == top - PG);
	g[0] = 1;
	g[-1] = 2; /* one page below: the area grows */
	CHECK("grew one page", g[-1] == 2 && area(g - PG, top));
	g[-100 * (long)PG] = 3;
	CHECK("grew 100 pages", g[-100 * (long)PG] == 3 && area(g - 100 * PG, top));
	CHECK("pages between are zero", g[-50 * (long)PG] == 0);
	printf("far below, within RLIMIT_STACK: %s\n", touch(top - 4 * MB, 0));
	printf("past RLIMIT_STACK 1 MiB: %s\n", touch(top - 2 * MB, MB));

	/* An accessible area 2 MiB below the bottom: growth stops 1 MiB
	 * (the guard gap) above it. */
	char *bottom = g - 100 * PG;
	char *low = mmap(bottom - 2 * MB - PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK("area below", low == bottom - 2 * MB - PG);
	printf("into the guard gap: %s\n", touch(bottom - 2 * MB + 512 * 1024, 0));
	printf("just above the gap: %s\n", touch(bottom - MB, 0));
	munmap(low, PG);
	/* A PROT_NONE area below does not count. */
	low = mmap(bottom - 2 * MB - PG, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("gap to PROT_NONE: %s\n", touch(bottom - 2 * MB + 512 * 1024, 0));
	munmap(low, PG);
	munmap(bottom, top - bottom);

	errno = 0;
	void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	printf("shared growsdown: %s\n", p == MAP_FAILED ? ename(errno) : "mapped");
	/* An ordinary area does not grow. */
	char *o = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(o - PG, PG);
	printf("below an ordinary area: %s\n", touch(o - 1, 0));
	munmap(o, PG);
}

static volatile long depth;

static volatile long limit = 1L << 40; /* never reached: not known to the compiler */

static long recurse(long n)
{
	volatile char frame[1024];
	frame[0] = (char)n;
	depth = n;
	if (n >= limit)
		return 0;
	return recurse(n + 1) + frame[0];
}

static void on_overflow(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	(void)si;
	stack_t ss;
	sigaltstack(NULL, &ss);
	/* On the alternate stack, after more than 1 MiB of frames. */
	_exit(sig == SIGSEGV && (ss.ss_flags & SS_ONSTACK) && depth > 1024 ? 42 : 1);
}

static void test_overflow(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 8 * MB, 8 * MB };
		setrlimit(RLIMIT_STACK, &rl);
		static char alt[64 * 1024];
		stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
		sigaltstack(&ss, NULL);
		struct sigaction sa = { .sa_sigaction = on_overflow, .sa_flags = SA_SIGINFO | SA_ONSTACK };
		sigaction(SIGSEGV, &sa, NULL);
		recurse(0);
		_exit(2);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK("overflow caught on the alternate stack", WIFEXITED(st) && WEXITSTATUS(st) == 42);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_growsdown();
	test_overflow();
	printf("DONE\n");
	return 0;
}
