/*
 * user/tests/t-fuzz.c - t-fuzz [SEED] [CALLS]: throw random system calls
 * with hostile arguments at the kernel (kernel and unmapped pointers, huge
 * sizes, random descriptors, garbage in valid buffers). The kernel must
 * answer every one with a result or an error - never a panic, never a hang.
 *
 * The calls run in short-lived child processes, because many legitimately
 * hurt the caller (munmap of its own stack, garbage signal frames, blocking
 * forever on an empty pipe): the parent counts each child's progress in a
 * shared page and kills a child that makes none for 300 ms, then starts the
 * next. So that a call that blocks (a read of an empty pipe, pause, a long
 * nanosleep) does not cost a whole child and 300 ms, each child has an
 * interval timer whose SIGALRM (a handler without SA_RESTART) cuts such a
 * sleep short with EINTR every 20 ms: signals then also land inside random
 * calls at random points, which is hostile too. When a fuzzed call may have
 * disturbed that (alarm, setitimer, sigaction, sigprocmask, sigreturn), the
 * child sets it up again; a child whose timer is lost anyway still ends by
 * the 300 ms rule. Calls that would hurt the rest of the system rather than the child
 * (reboot, kill of other processes, changing the clock, the host name or the
 * console log level, fork and exec) are never made.
 *
 * Prints "fuzz: N calls in M children (K killed by signals, W stuck)" and
 * PASS. Runs on Linux too, with the same exclusions.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng;

static uint64_t next(void)
{
	/* xorshift64*: deterministic for a given seed, so a crash can be
	 * replayed with the same SEED. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static int excluded(long nr)
{
	switch (nr) {
	case SYS_reboot: case SYS_kill: case SYS_tkill: case SYS_tgkill:
	case SYS_fork: case SYS_vfork: case SYS_clone: case SYS_execve: case SYS_execveat:
	case SYS_exit: case SYS_exit_group:
	case SYS_sethostname: case SYS_setdomainname: case SYS_settimeofday:
	case SYS_clock_settime: case SYS_adjtimex: case SYS_clock_adjtime:
	case SYS_syslog: case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo:
	case SYS_pidfd_send_signal: case SYS_ptrace: case SYS_kexec_load:
	case SYS_kexec_file_load: case SYS_init_module: case SYS_finit_module:
	case SYS_delete_module: case SYS_swapon: case SYS_swapoff: case SYS_acct:
	case SYS_mount: case SYS_umount2: case SYS_pivot_root: case SYS_chroot:
	case SYS_setpriority: case SYS_sched_setscheduler: case SYS_sched_setparam:
	case SYS_iopl: case SYS_ioperm: case SYS_vhangup: case SYS_unshare: case SYS_setns:
	case SYS_fanotify_init: case SYS_perf_event_open: case SYS_bpf: case SYS_userfaultfd:
	case SYS_clone3: case SYS_process_vm_writev: case SYS_quotactl: case SYS_sync:
	case SYS_syncfs: case SYS_setrlimit: case SYS_prlimit64:
		return 1;
	}
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig; /* only here to interrupt a blocking call */
}

/* SIGALRM every 20 ms, handled, unblocked. */
static void arm_timer(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Calls after which the timer may be gone, blocked or unhandled. */
static int disturbs_timer(long nr)
{
	switch (nr) {
	case SYS_alarm: case SYS_setitimer: case SYS_rt_sigaction:
	case SYS_rt_sigprocmask: case SYS_rt_sigreturn:
		return 1;
	}
	return 0;
}

static unsigned char *scratch;
#define SCRATCH_SIZE (64 * 1024)

static uint64_t arg(void)
{
	switch (next() % 12) {
	case 0: return 0;
	case 1: return next() % 16;                          /* small numbers, fds */
	case 2: return (uint64_t)-1;
	case 3: return next();                               /* anything */
	case 4: return 0xffffffff80000000ULL + (next() % 0x100000); /* kernel */
	case 5: return 0xffff800000000000ULL + (next() % (1ULL << 30)); /* direct map */
	case 6: return next() % 0x10000;                     /* NULL page */
	case 7: return (uint64_t)scratch + next() % SCRATCH_SIZE;   /* valid memory */
	case 8: return (uint64_t)scratch + SCRATCH_SIZE - next() % 64; /* runs off the end */
	case 9: return 1ULL << (next() % 64);                /* huge sizes */
	case 10: return 0x00007ffffffff000ULL - (next() % 0x100000); /* near the stack */
	default: return next() % 4096;
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	long total = argc > 2 ? strtol(argv[2], NULL, 0) : 20000;
	volatile long *progress = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	                               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED) {
		perror("t-fuzz: mmap");
		return 1;
	}
	mkdir("/tmp/fuzz", 0755);
	long done = 0, children = 0, signalled = 0, stuck = 0;
	while (done < total) {
		*progress = 0;
		uint64_t child_seed = seed * 1000003 + children;
		pid_t pid = fork();
		if (pid < 0) {
			perror("t-fuzz: fork");
			return 1;
		}
		if (pid == 0) {
			rng = child_seed | 1;
			int null = open("/dev/null", O_RDWR);
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (chdir("/tmp/fuzz"))
				_exit(1);
			setpgid(0, 0); /* ^C at the console must not reach it */
			scratch = malloc(SCRATCH_SIZE);
			for (int i = 0; i < SCRATCH_SIZE; i++)
				scratch[i] = (next() % 8) ? (unsigned char)next() : 0;
			arm_timer();
			for (;;) {
				long nr = next() % 335;
				if (excluded(nr))
					continue;
				syscall(nr, arg(), arg(), arg(), arg(), arg(), arg());
				(*progress)++;
				if (disturbs_timer(nr))
					arm_timer();
			}
		}
		children++;
		long last = -1;
		int status = 0, idle_ms = 0;
		for (;;) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			pid_t r = waitpid(pid, &status, WNOHANG);
			long p = *progress;
			if (r == pid)
				break;
			if (p == last) {
				idle_ms += 10;
			} else {
				idle_ms = 0;
				last = p;
			}
			if (idle_ms >= 300 || p >= 2000) {
				if (idle_ms >= 300)
					stuck++;
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				break;
			}
		}
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
			signalled++;
		done += *progress + 1;
	}
	printf("fuzz: %ld calls in %ld children (%ld killed by signals, %ld stuck), seed %llu\n",
	       done, children, signalled, stuck, (unsigned long long)seed);
	puts("PASS");
	return 0;
}
