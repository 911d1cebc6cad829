/*
 * kernel/include/signal.h - signal numbers and the Linux x86-64 signal ABI.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "kernel.h"

#define NSIG 64
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32

typedef uint64_t sigset_t;
#define sigmask(sig) (1ULL << ((sig) - 1))

/* si_code values */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE -1
#define SI_TIMER -2
#define SI_MESGQ -3
#define SI_ASYNCIO -4
#define SI_TKILL -6
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define TRAP_BRKPT 1
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* What the kernel remembers about a pending signal. */
struct ksiginfo {
	int signo, code, errno_;
	pid_t pid;
	uid_t uid;
	int status;
	uint64_t addr;
	int timerid, overrun;    /* SI_TIMER */
	uint64_t value;          /* sigval: SI_TIMER, SI_QUEUE */
	uint64_t utime, stime;   /* SIGCHLD, in clock ticks */
};

/* struct sigaction as the kernel sees it (Linux x86-64 kernel_sigaction) */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	sigset_t mask;
};
#define SIG_DFL 0
#define SIG_IGN 1
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

/* The head of a user siginfo_t: the parts a queued signal carries
 * (rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal read it). */
struct k_siginfo_hdr {
	int32_t signo, errno_, code, pad;
	int32_t pid;
	uint32_t uid;
	uint64_t value;
};

struct sighand {
	spinlock_t lock;
	int refcount;
	struct k_sigaction action[NSIG + 1];
};

#endif
