/*
 * tests/abi/abi-signals.c - signal semantics (see tests/abi/README.md):
 * sigaction flags (SA_RESETHAND, SA_NODEFER, sa_mask, SA_ONSTACK,
 * SA_SIGINFO, SA_RESTART, SA_NOCLDSTOP, SA_NOCLDWAIT), siginfo contents
 * (si_code, si_pid, si_uid, si_addr, si_status, si_value), sigaltstack,
 * rt_sigtimedwait, sigqueue, sigpending, sigsuspend, kill errors, EINTR
 * versus restart, and poll resuming after a stop and continue.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int depth, max_depth, count;
static volatile siginfo_t last;
static volatile uintptr_t handler_sp;

static void reenter(int sig)
{
	depth++;
	count++;
	if (depth > max_depth)
		max_depth = depth;
	if (count < 2)
		raise(sig);
	depth--;
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	last = *si;
	int local;
	handler_sp = (uintptr_t)&local;
	count++;
}

static void set(int sig, void (*h)(int), int flags)
{
	struct sigaction sa = { .sa_handler = h, .sa_flags = flags };
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void set_info(int sig, int flags)
{
	struct sigaction sa = { .sa_sigaction = info_handler, .sa_flags = flags | SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static const char *code_name(int c)
{
	switch (c) {
	case SI_USER: return "SI_USER";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TKILL: return "SI_TKILL";
	case SI_TIMER: return "SI_TIMER";
	case SI_KERNEL: return "SI_KERNEL";
	default: return "other";
	}
}

static void test_flags(void)
{
	count = depth = max_depth = 0;
	set(SIGUSR1, reenter, 0);
	raise(SIGUSR1);
	printf("default: deliveries %d, max nesting %d\n", count, max_depth);
	count = depth = max_depth = 0;
	set(SIGUSR1, reenter, SA_NODEFER);
	raise(SIGUSR1);
	printf("SA_NODEFER: deliveries %d, max nesting %d\n", count, max_depth);

	count = 0;
	set_info(SIGUSR2, SA_RESETHAND);
	raise(SIGUSR2);
	struct sigaction cur;
	sigaction(SIGUSR2, NULL, &cur);
	CHECK("SA_RESETHAND reset to SIG_DFL", cur.sa_handler == SIG_DFL);
	printf("SA_RESETHAND deliveries: %d\n", count);

	/* sa_mask holds another signal back until the handler returns. */
	struct sigaction sa = { .sa_sigaction = info_handler, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t inside;
	sigprocmask(SIG_BLOCK, NULL, &inside);
	CHECK("SIGUSR2 not blocked outside", !sigismember(&inside, SIGUSR2));

	R("sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL));
	R("sigaction SIGSTOP", sigaction(SIGSTOP, &sa, NULL));
	R("sigaction 0", sigaction(0, &sa, NULL));
	R("sigaction 65", syscall(SYS_rt_sigaction, 65, NULL, NULL, 8));
	R("sigaction bad sigsetsize", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
	R("sigaction query SIGKILL", sigaction(SIGKILL, NULL, &cur));
	R("sigprocmask bad how", syscall(SYS_rt_sigprocmask, 7, &inside, NULL, 8));
	R("sigprocmask bad size", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &inside, NULL, 4));
}

static void test_siginfo(void)
{
	set_info(SIGUSR1, 0);
	kill(getpid(), SIGUSR1);
	printf("kill: %s pid-ok %s uid %d\n", code_name(last.si_code),
	       last.si_pid == getpid() ? "yes" : "no", (int)last.si_uid);
	raise(SIGUSR1);
	printf("raise: %s\n", code_name(last.si_code));
	union sigval v = { .sival_int = 1234 };
	sigqueue(getpid(), SIGUSR1, v);
	printf("sigqueue: %s value %d pid-ok %s\n", code_name(last.si_code), last.si_value.sival_int,
	       last.si_pid == getpid() ? "yes" : "no");
	set_info(SIGRTMIN + 1, 0);
	v.sival_int = 77;
	sigqueue(getpid(), SIGRTMIN + 1, v);
	printf("rt sigqueue: signo-ok %s value %d\n", last.si_signo == SIGRTMIN + 1 ? "yes" : "no",
	       last.si_value.sival_int);

}

static volatile int segv_code;
static volatile void *segv_addr;
static sigjmp_buf segv_jb;
static void segv_jump(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	segv_code = si->si_code;
	segv_addr = si->si_addr;
	siglongjmp(segv_jb, 1);
}

static void test_fault_info(void)
{
	struct sigaction sa = { .sa_sigaction = segv_jump, .sa_flags = SA_SIGINFO };
	sigaction(SIGSEGV, &sa, NULL);
	if (!sigsetjmp(segv_jb, 1))
		*(volatile int *)0x1000 = 1;
	printf("unmapped write: %s addr-ok %s\n", segv_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other",
	       segv_addr == (void *)0x1000 ? "yes" : "no");
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!sigsetjmp(segv_jb, 1))
		ro[8] = 1;
	printf("read-only write: %s addr-ok %s\n", segv_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other",
	       segv_addr == ro + 8 ? "yes" : "no");
	munmap(ro, 4096);
	signal(SIGSEGV, SIG_DFL);
}

static void test_altstack(void)
{
	static char stack[16384];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack), .ss_flags = 0 }, old;
	stack_t small = { .ss_sp = stack, .ss_size = 100, .ss_flags = 0 };
	R("sigaltstack too small", sigaltstack(&small, NULL));
	stack_t badflags = { .ss_sp = stack, .ss_size = sizeof(stack), .ss_flags = 0x77 };
	R("sigaltstack bad flags", sigaltstack(&badflags, NULL));
	R("sigaltstack", sigaltstack(&ss, &old));
	printf("old disabled: %s\n", old.ss_flags & SS_DISABLE ? "yes" : "no");
	set_info(SIGUSR2, SA_ONSTACK);
	raise(SIGUSR2);
	CHECK("SA_ONSTACK handler ran on the alternate stack",
	      handler_sp >= (uintptr_t)stack && handler_sp < (uintptr_t)stack + sizeof(stack));
	set_info(SIGUSR2, 0);
	raise(SIGUSR2);
	CHECK("without SA_ONSTACK on the normal stack",
	      !(handler_sp >= (uintptr_t)stack && handler_sp < (uintptr_t)stack + sizeof(stack)));
	stack_t dis = { .ss_flags = SS_DISABLE };
	R("sigaltstack disable", sigaltstack(&dis, NULL));
	sigaltstack(NULL, &old);
	printf("now disabled: %s\n", old.ss_flags & SS_DISABLE ? "yes" : "no");
}

static void test_sigwait(void)
{
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &s, &old);
	struct timespec zero = { 0, 0 }, short_ = { 0, 30000000 };
	siginfo_t si;
	R("sigtimedwait nothing pending (poll)", sigtimedwait(&s, &si, &zero));
	long t0 = abi_ms_now();
	R("sigtimedwait timeout", sigtimedwait(&s, &si, &short_));
	CHECK("waited >= 25ms", abi_ms_now() - t0 >= 25);
	kill(getpid(), SIGUSR1);
	sigset_t pend;
	sigpending(&pend);
	CHECK("sigpending shows SIGUSR1", sigismember(&pend, SIGUSR1));
	R("sigtimedwait takes SIGUSR1", sigtimedwait(&s, &si, &zero));
	printf("info: %s\n", code_name(si.si_code));
	sigpending(&pend);
	CHECK("no longer pending", !sigismember(&pend, SIGUSR1));
	union sigval v = { .sival_int = 5 };
	sigqueue(getpid(), SIGRTMIN + 2, v);
	R("sigwaitinfo rt", sigwaitinfo(&s, &si) == SIGRTMIN + 2);
	printf("value %d code %s\n", si.si_value.sival_int, code_name(si.si_code));
	int sig = 0;
	pid_t p = fork();
	if (!p) {
		abi_msleep(30);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigwait(&s, &sig);
	printf("sigwait from child: %d\n", sig);
	waitpid(p, NULL, 0);
	R("rt_sigtimedwait bad size", syscall(SYS_rt_sigtimedwait, &s, NULL, NULL, 4));
	struct timespec bad = { 0, -5 };
	R("rt_sigtimedwait bad timeout", syscall(SYS_rt_sigtimedwait, &s, NULL, &bad, 8));
	R("rt_sigtimedwait bad set", syscall(SYS_rt_sigtimedwait, (void *)16, NULL, NULL, 8));
	sigprocmask(SIG_SETMASK, &old, NULL);

	siginfo_t fake;
	memset(&fake, 0, sizeof(fake));
	fake.si_code = SI_USER;
	R("rt_sigqueueinfo SI_USER to other", syscall(SYS_rt_sigqueueinfo, 1, SIGUSR1, &fake));
	R("rt_sigqueueinfo no such pid", syscall(SYS_rt_sigqueueinfo, 999999, SIGUSR1, &fake));
	R("rt_tgsigqueueinfo bad tid", syscall(SYS_rt_tgsigqueueinfo, getpid(), 999999, SIGUSR1, &fake));
}

static void test_kill_errors(void)
{
	R("kill bad signal", kill(getpid(), 100));
	R("kill negative signal", kill(getpid(), -1));
	R("kill no such pid", kill(999999, 0));
	R("kill self 0", kill(getpid(), 0));
	R("kill no such group", kill(-999999, SIGUSR1));
	R("tgkill bad tid", syscall(SYS_tgkill, getpid(), -1, SIGUSR1));
}

static volatile int alarms;
static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void test_restart(void)
{
	int fds[2];
	pipe(fds);
	char c;
	/* No SA_RESTART: read fails with EINTR. */
	set(SIGALRM, on_alarm, 0);
	struct itimerval it = { { 0, 0 }, { 0, 30000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	R("read without SA_RESTART", read(fds[0], &c, 1));
	/* SA_RESTART: the read resumes and gets the byte written later. */
	set(SIGALRM, on_alarm, SA_RESTART);
	pid_t p = fork();
	if (!p) {
		abi_msleep(150);
		write(fds[1], "x", 1);
		_exit(0);
	}
	setitimer(ITIMER_REAL, &it, NULL);
	alarms = 0;
	R("read with SA_RESTART", read(fds[0], &c, 1));
	printf("handler ran: %d\n", alarms);
	waitpid(p, NULL, 0);
	/* Restarting never applies to sleeps: nanosleep gives EINTR. */
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec ts = { 2, 0 };
	R("nanosleep with SA_RESTART", nanosleep(&ts, NULL));
	/* sigsuspend always returns EINTR. */
	sigset_t empty;
	sigemptyset(&empty);
	setitimer(ITIMER_REAL, &it, NULL);
	R("sigsuspend", sigsuspend(&empty));
	close(fds[0]);
	close(fds[1]);
	signal(SIGALRM, SIG_DFL);
}

static void test_poll_stop_continue(void)
{
	int fds[2], res[2];
	pipe(fds);
	pipe(res);
	pid_t p = fork();
	if (!p) {
		struct pollfd pf = { fds[0], POLLIN, 0 };
		int r = poll(&pf, 1, -1);
		char msg[2] = { r == 1 ? 'Y' : 'N', errno == EINTR ? 'I' : '-' };
		write(res[1], msg, 2);
		_exit(0);
	}
	abi_msleep(50);
	kill(p, SIGSTOP);
	int st;
	waitpid(p, &st, WUNTRACED);
	printf("stopped: %s\n", WIFSTOPPED(st) ? "yes" : "no");
	kill(p, SIGCONT);
	abi_msleep(50);
	write(fds[1], "z", 1);
	char msg[2] = "??";
	read(res[0], msg, 2);
	printf("poll after stop/continue returned ready: %c, EINTR: %c\n", msg[0], msg[1]);
	waitpid(p, &st, 0);
	close(fds[0]);
	close(fds[1]);
	close(res[0]);
	close(res[1]);
}

static volatile int chld;
static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld++;
	last = *si;
}

static void test_sigchld_flags(void)
{
	struct sigaction sa = { .sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | SA_NOCLDSTOP };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	chld = 0;
	pid_t p = fork();
	if (!p) {
		for (;;)
			pause();
	}
	kill(p, SIGSTOP);
	int st;
	waitpid(p, &st, WUNTRACED);
	abi_msleep(20);
	printf("SA_NOCLDSTOP: SIGCHLD on stop: %d\n", chld);
	kill(p, SIGKILL);
	waitpid(p, &st, 0);
	abi_msleep(20);
	printf("SIGCHLD on kill: %s code %s status %d\n", chld >= 1 ? "yes" : "no",
	       last.si_code == CLD_KILLED ? "CLD_KILLED" : "other", last.si_status);

	chld = 0;
	p = fork();
	if (!p)
		_exit(7);
	waitpid(p, &st, 0);
	abi_msleep(20);
	printf("exit: code %s status %d pid-ok %s\n", last.si_code == CLD_EXITED ? "CLD_EXITED" : "other",
	       last.si_status, last.si_pid == p ? "yes" : "no");

	sa.sa_flags = SA_SIGINFO | SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	p = fork();
	if (!p)
		_exit(1);
	abi_msleep(50);
	R("SA_NOCLDWAIT: no zombie to wait for", waitpid(p, &st, 0));

	signal(SIGCHLD, SIG_IGN);
	p = fork();
	if (!p)
		_exit(1);
	abi_msleep(50);
	R("SIGCHLD ignored: no zombie", waitpid(p, &st, 0));
	signal(SIGCHLD, SIG_DFL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_flags();
	test_siginfo();
	test_fault_info();
	test_altstack();
	test_sigwait();
	test_kill_errors();
	test_restart();
	test_poll_stop_continue();
	test_sigchld_flags();
	printf("DONE\n");
	return 0;
}
