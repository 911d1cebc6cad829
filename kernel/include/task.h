/*
 * kernel/include/task.h - tasks (threads), processes and the scheduler
 * (kernel/proc/).
 *
 * A task is a schedulable thread with its own kernel stack. Tasks of one
 * process (thread group, tgid == pid of its leader) share the address space
 * (struct mm), the descriptor table (struct files_struct), the file-system
 * context (struct fs_struct: cwd, root, umask) and the signal handlers; each
 * of those is reference counted so that clone() can share or copy it.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include "kernel.h"
#include "sync.h"
#include "signal.h"

struct mm;
struct files_struct;
struct fs_struct;
struct trap_frame;

enum task_state {
	TASK_RUNNABLE,      /* on the run queue or running */
	TASK_INTERRUPTIBLE, /* sleeping; a signal wakes it */
	TASK_UNINTERRUPTIBLE,
	TASK_STOPPED,       /* SIGSTOP/SIGTSTP */
	TASK_ZOMBIE,        /* exited, waiting for the parent's wait4 */
	TASK_DEAD,          /* reaped; its memory is being freed */
};

/* Identities (kernel/proc/cred.c). fsuid/fsgid decide file access; they
 * follow the effective ids unless setfsuid/setfsgid moved them. */
#define CRED_NGROUPS 32 /* supplementary groups kept (Linux: 65536) */
struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	int ngroups;
	gid_t groups[CRED_NGROUPS]; /* sorted */
};
/* Is gid the file-system gid or a supplementary group? */
static inline bool cred_in_group(const struct cred *c, gid_t gid)
{
	if (gid == c->fsgid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

struct task {
	pid_t tid;
	pid_t tgid;              /* process id */
	pid_t pgid, sid;         /* process group, session (of the process) */
	enum task_state state;
	char comm[16];           /* name, as prctl(PR_SET_NAME) */

	uint64_t kstack;         /* base of the kernel stack (KSTACK_SIZE) */
	uint64_t saved_rsp;      /* kernel rsp while switched out */
	struct trap_frame *frame; /* user registers on syscall/interrupt entry */
	uint8_t *fpu;            /* fxsave area, 512 bytes, 16-aligned */
	uint64_t fs_base;        /* arch_prctl(ARCH_SET_FS) */

	struct mm *mm;           /* NULL for kernel threads */
	struct files_struct *files;
	struct fs_struct *fs;
	struct sighand *sighand;
	struct cred cred;

	/* Signals: per-task blocked mask and pending set; the process-wide
	 * pending set is in the thread-group leader. */
	sigset_t blocked;
	sigset_t pending;
	sigset_t saved_blocked;  /* restored after rt_sigsuspend */
	bool restore_blocked;
	struct ksiginfo siginfo[NSIG + 1]; /* info of the pending signal */
	struct sigqueue *sigq;   /* queued real-time signals (sigqueue.c) */
	int sigq_count;

	/* Family. Parent/children link processes (thread-group leaders). */
	struct task *parent;
	struct task *children;   /* first child */
	struct task *sibling;    /* next child of parent */
	struct task *group_leader;
	struct task *next_in_group; /* other threads of the process */
	wait_queue_t child_wait; /* parent sleeps here in wait4 */

	uint64_t child_events;   /* bumped on every child state change */
	int exit_code;           /* wait status, as wait4 reports it */
	bool exit_reported;      /* stop/continue already reported */
	int stop_report;         /* pending WUNTRACED/WCONTINUED report */
	uint64_t clear_child_tid; /* set_tid_address */
	uint64_t robust_list;    /* set_robust_list head (user address) */
	bool exiting;            /* in do_exit: no longer a signal target */
	bool group_exit;         /* leader: exit_group or a fatal signal ran */
	int group_exit_code;     /* leader: the status every thread exits with */
	struct task *vfork_parent; /* woken when we exec or exit */
	bool vfork_done;

	/* Accounting */
	uint64_t start_ns;
	uint64_t utime_ns, stime_ns;
	uint64_t cutime_ns, cstime_ns; /* reaped children */
	uint64_t sleep_deadline; /* for timed sleeps */
	uint64_t run_since;      /* time_ns() it was last switched in */
	uint64_t syscall_nr;     /* rax at syscall entry, for restarts */
	uint64_t sas_sp, sas_size; /* sigaltstack */
	int sas_flags;
	unsigned personality;    /* personality(2); kept by clone and exec */

	/* Process-wide (kept in the thread-group leader): resource limits,
	 * interval and POSIX timers (kernel/proc/itimer.c), nice value. */
	struct k_rlimit { uint64_t cur, max; } rlim[16];
	struct proc_timers *timers;
	int nice;

	/* Scheduler */
	struct task *run_next;   /* run queue link */
	struct task *all_next;   /* list of all tasks */
	int ticks_left;
	bool need_resched;
	bool on_runqueue;
	struct wait_entry *waiting; /* the wait entry we sleep on, if any */
	const char *wchan;          /* its queue's name, for /proc/<pid>/wchan */
};

#define KSTACK_SIZE (16 * 1024)

/* The task running on this CPU. */
struct task *current_task(void);
#define current (current_task())

void sched_init(void);
/* Create a kernel thread running fn(arg); returns it or NULL. */
struct task *kthread_create(const char *name, void (*fn)(void *), void *arg);
void schedule(void);             /* give up the CPU */
void yield(void);
void task_wake(struct task *t);  /* make a sleeping task runnable */
void sched_tick(void);           /* from the timer interrupt */
/* Called on the way back to user mode: reschedule, deliver signals. */
void return_to_user_work(struct trap_frame *tf);

struct task *task_find(pid_t tid);      /* NULL if none */
struct task *process_find(pid_t pid);   /* thread-group leader */
/* Iterate over all tasks with the task list lock held (fn must not sleep). */
void for_each_task(void (*fn)(struct task *t, void *arg), void *arg);

/* Start /sbin/init (or init= from the command line) as PID 1. */
void start_init(const char *path, const char *cmdline);

/* Signals (kernel/proc/signal.c) */
int send_signal(struct task *t, int sig, const struct ksiginfo *info);
/* Thread-directed (tkill, SIGEV_THREAD_ID timers); interrupts may be off. */
int send_signal_thread(struct task *t, int sig, const struct ksiginfo *info);
int siginfo_to_user(void *uinfo, const struct ksiginfo *si);
int dequeue_signal(struct task *t, sigset_t mask, struct ksiginfo *si);
/* Real-time signal queue (kernel/proc/sigqueue.c); interrupts off. */
int sigqueue_add(struct task *t, int sig, const struct ksiginfo *info);
void sigqueue_take(struct task *t, int sig, struct ksiginfo *si);
void sigqueue_flush(struct task *t, sigset_t mask);
struct ksiginfo *sigqueue_find_timer(struct task *t, int sig, int timerid);
/* CPU time of a whole process (every live thread and the ones gone). */
uint64_t process_cpu_ns(struct task *leader);
int send_signal_process(pid_t pid, int sig, const struct ksiginfo *info);
bool may_signal(struct task *t, int sig); /* kill(2)'s permission check */
int send_signal_pgrp(pid_t pgid, int sig, const struct ksiginfo *info);
/* pidfds (kernel/proc/pidfd.c): a process exited or was reaped; the pid
 * and file flags of pidfd fd (-EBADF if it is none). */
void pidfd_notify_exit(void);
long pidfd_get_pid(int fd, pid_t *pid, unsigned *flags);
bool signal_pending(struct task *t); /* unblocked signal pending */
/* Force a fatal signal for a fault in user mode (SIGSEGV, SIGBUS, ...). */
void force_signal_fault(int sig, int code, uint64_t addr);

void do_exit(int status) __noreturn; /* exit this task */
void notify_parent(struct task *child, int code, int status);
void task_continue(struct task *t);
/* For wait.c: under tasks_lock / after the child is unlinked. */
void unlink_child(struct task *t);
void task_free(struct task *t);
void task_list_remove(struct task *t);
long do_clone(uint64_t flags, uint64_t newsp, uint64_t parent_tid, uint64_t child_tid, uint64_t tls);
void vfork_release(struct task *t);
void sched_boot_done(void) __noreturn;
int task_count(void);
extern spinlock_t tasks_lock;
extern struct task *all_tasks;
/* Futexes (kernel/proc/futex.c) */
struct mm;
int futex_wake_addr(struct mm *mm, uint64_t uaddr, int n);
void futex_exit_robust(struct task *t);
void rlimits_init(struct task *t);
#define RLIMIT_CPU 0
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_AS 9
#define RLIMIT_SIGPENDING 11
/* The calling process's soft limit (none for a task outside any process,
 * as in the host unit tests' stub task). */
#define rlimit_cur(r) (current->group_leader ? current->group_leader->rlim[(r)].cur : ~0ULL)
void exec_kill_other_threads(void); /* exec: end the other threads */
/* Run the pending signal actions before returning to user mode. */
void do_signal(struct trap_frame *tf);
void do_exit_group(int status) __noreturn;

#endif
