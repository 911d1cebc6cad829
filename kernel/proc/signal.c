/*
 * kernel/proc/signal.c - POSIX signals with the Linux x86-64 ABI.
 *
 * Sending marks the signal pending in the target task (a process-directed
 * signal goes to the first thread that does not block it; a real-time
 * signal is queued with its info, once per sending: sigqueue.c) and wakes the
 * task if it sleeps interruptibly. Nothing else happens until the target is
 * about to return to user mode: do_signal() then takes the lowest pending
 * unblocked signal and performs its action - ignore, stop, continue,
 * terminate (possibly "with core"), or build an rt_sigframe on the user
 * stack exactly as Linux does and enter the handler, which returns through
 * sa_restorer into rt_sigreturn.
 *
 * System calls interrupted by a signal return -ERESTARTSYS; do_signal turns
 * that into a restart (SA_RESTART, or no handler ran) or -EINTR.
 */
#include "arch.h"
#include "kernel.h"
#include "ktime.h"
#include "task.h"
#include "uaccess.h"
#include "vm.h"

enum sig_default { SD_TERM, SD_CORE, SD_STOP, SD_CONT, SD_IGN };

static enum sig_default default_action(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return SD_CORE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SD_STOP;
	case SIGCONT:
		return SD_CONT;
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return SD_IGN;
	default:
		return SD_TERM;
	}
}

#define UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))
#define STOP_SIGNALS (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))

static bool is_ignored(struct task *t, int sig)
{
	if (!t->sighand)
		return true;
	uint64_t h = t->sighand->action[sig].handler;
	if (h == SIG_IGN)
		return sig != SIGKILL && sig != SIGSTOP;
	return h == SIG_DFL && default_action(sig) == SD_IGN;
}

bool signal_pending(struct task *t)
{
	return (t->pending & ~t->blocked) != 0;
}

/* Deliver sig to exactly this task. */
static int signal_task(struct task *t, int sig, const struct ksiginfo *info)
{
	if (t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
		return 0;
	if (sig == SIGCONT || sig == SIGKILL) {
		/* Resume every stopped thread of the process. */
		for (struct task *o = t->group_leader; o; o = o->next_in_group) {
			o->pending &= ~STOP_SIGNALS;
			if (o->state == TASK_STOPPED) {
				task_continue(o);
				if (sig == SIGCONT && o == o->group_leader) {
					o->stop_report = 0xffff;
					notify_parent(o, CLD_CONTINUED, SIGCONT);
				}
			}
		}
	}
	if (sigmask(sig) & STOP_SIGNALS)
		t->pending &= ~sigmask(SIGCONT);
	if (is_ignored(t, sig) && !(t->blocked & sigmask(sig)))
		return 0;
	if (sig >= SIGRTMIN) {
		struct ksiginfo si = { .code = SI_KERNEL };
		if (info)
			si = *info;
		si.signo = sig;
		int r = sigqueue_add(t, sig, &si);
		if (r)
			return r;
	} else if (!(t->pending & sigmask(sig))) {
		struct ksiginfo *si = &t->siginfo[sig];
		if (info) {
			*si = *info;
		} else {
			memset(si, 0, sizeof(*si));
			si->code = SI_KERNEL;
		}
		si->signo = sig;
		t->pending |= sigmask(sig);
	}
	if (!(t->blocked & sigmask(sig)) || sig == SIGKILL) {
		t->need_resched = true;
		task_wake(t); /* only affects interruptible sleepers */
	}
	return 0;
}

int send_signal(struct task *t, int sig, const struct ksiginfo *info)
{
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	/* Process-directed: pick a thread that does not block it. */
	struct task *target = t->group_leader ? t->group_leader : t;
	for (struct task *o = target; o; o = o->next_in_group)
		if (!(o->blocked & sigmask(sig)) && !o->exiting) {
			target = o;
			break;
		}
	irq_push_off();
	int r = signal_task(target, sig, info);
	irq_pop_off();
	return r;
}

/* Linux's kill permission: root, or the sender's real or effective uid
 * is the target's real or saved uid; SIGCONT within the session always. */
bool may_signal(struct task *t, int sig)
{
	struct cred *c = &current->cred;
	if (c->euid == 0 || c->uid == t->cred.uid || c->uid == t->cred.suid ||
	    c->euid == t->cred.uid || c->euid == t->cred.suid)
		return true;
	return sig == SIGCONT && t->sid == current->sid;
}

int send_signal_process(pid_t pid, int sig, const struct ksiginfo *info)
{
	struct task *t = process_find(pid);
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (sig == 0)
		return 0;
	return send_signal(t, sig, info);
}

struct group_kill {
	pid_t pgid;
	int sig;
	const struct ksiginfo *info;
	struct task *targets[64];
	int n;
	bool more;
	bool all;     /* kill(-1): every process except init and the caller */
	pid_t after;  /* resume point for batches */
};

static void collect(struct task *t, void *arg)
{
	struct group_kill *g = arg;
	if (t->group_leader != t || t->state == TASK_ZOMBIE || t->state == TASK_DEAD || !t->mm)
		return;
	if (g->all ? (t->tgid == 1 || t->tgid == current->tgid) : t->pgid != g->pgid)
		return;
	if (t->tid <= g->after)
		return;
	if (g->n < (int)ARRAY_SIZE(g->targets))
		g->targets[g->n++] = t;
	else
		g->more = true;
}

static int kill_group(struct group_kill *g)
{
	int sent = 0, denied = 0;
	g->after = 0;
	do {
		g->n = 0;
		g->more = false;
		for_each_task(collect, g);
		pid_t maxpid = g->after;
		for (int i = 0; i < g->n; i++) {
			struct task *t = g->targets[i];
			maxpid = MAX(maxpid, t->tid);
			if (!may_signal(t, g->sig)) {
				denied++;
				continue;
			}
			if (g->sig)
				send_signal(t, g->sig, g->info);
			sent++;
		}
		g->after = maxpid;
	} while (g->more);
	return sent ? 0 : denied ? -EPERM : -ESRCH;
}

int send_signal_pgrp(pid_t pgid, int sig, const struct ksiginfo *info)
{
	struct group_kill g = { .pgid = pgid, .sig = sig, .info = info };
	return kill_group(&g);
}

long sys_kill(int pid, int sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	struct ksiginfo info = { .signo = sig, .code = SI_USER, .pid = current->tgid,
	                         .uid = current->cred.uid };
	if (pid > 0) {
		struct task *t = process_find(pid);
		if (!t || t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
			return -ESRCH;
		if (!may_signal(t, sig))
			return -EPERM;
		return sig ? send_signal(t, sig, &info) : 0;
	}
	struct group_kill g = { .sig = sig, .info = &info };
	if (pid == -1)
		g.all = true;
	else
		g.pgid = pid == 0 ? current->pgid : -pid;
	return kill_group(&g);
}

static long do_tkill(int tgid, int tid, int sig)
{
	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	struct task *t = task_find(tid);
	if (!t || (tgid > 0 && t->tgid != tgid) || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (!may_signal(t, sig))
		return -EPERM;
	if (!sig)
		return 0;
	struct ksiginfo info = { .signo = sig, .code = SI_TKILL, .pid = current->tgid,
	                         .uid = current->cred.uid };
	irq_push_off();
	int r = signal_task(t, sig, &info);
	irq_pop_off();
	return r;
}

int send_signal_thread(struct task *t, int sig, const struct ksiginfo *info)
{
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	irq_push_off();
	int r = signal_task(t, sig, info);
	irq_pop_off();
	return r;
}

long sys_tkill(int tid, int sig) { return do_tkill(-1, tid, sig); }
long sys_tgkill(int tgid, int tid, int sig) { return do_tkill(tgid, tid, sig); }

void force_signal_fault(int sig, int code, uint64_t addr)
{
	struct task *t = current;
	struct ksiginfo info = { .signo = sig, .code = code, .addr = addr };
	/* A fault signal that is blocked or ignored would only fault again:
	 * reset it to the default action, as Linux does. */
	if ((t->blocked & sigmask(sig)) || t->sighand->action[sig].handler == SIG_IGN) {
		t->blocked &= ~sigmask(sig);
		t->sighand->action[sig].handler = SIG_DFL;
	}
	if (t->sighand->action[sig].handler == SIG_DFL && sig != SIGKILL) {
		struct trap_frame *tf = t->frame;
		kprintf(KERN_NOTICE "%s[%d]: %s at %#lx ip %#lx sp %#lx\n", t->comm, t->tgid,
		        sig == SIGSEGV ? "segfault" : sig == SIGBUS ? "bus error" :
		        sig == SIGILL ? "illegal instruction" : sig == SIGFPE ? "arithmetic fault" : "trap",
		        (unsigned long)addr, tf ? tf->rip : 0, tf ? tf->rsp : 0);
	}
	irq_push_off();
	signal_task(t, sig, &info);
	irq_pop_off();
}

/* ---- the signal frame ---- */

struct k_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};

struct k_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
	struct k_sigcontext mc;
	sigset_t sigmask;
};

struct k_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	union {
		struct { int32_t pid; uint32_t uid; int32_t status; int32_t pad; int64_t utime, stime; } chld;
		struct { int32_t pid; uint32_t uid; } kill;
		struct { int32_t tid; int32_t overrun; uint64_t value; } timer;
		struct { int32_t pid; uint32_t uid; uint64_t value; } rt;
		struct { uint64_t addr; } fault;
		uint8_t raw[112];
	};
};

struct rt_sigframe {
	uint64_t pretcode;
	struct k_ucontext uc;
	struct k_siginfo info;
};

_Static_assert(sizeof(struct k_sigcontext) == 256, "sigcontext layout");
_Static_assert(sizeof(struct k_siginfo) == 128, "siginfo layout");

#define SS_ONSTACK 1
#define SS_DISABLE 2

static void fill_siginfo(struct k_siginfo *ksi, const struct ksiginfo *si)
{
	memset(ksi, 0, sizeof(*ksi));
	ksi->si_signo = si->signo;
	ksi->si_errno = si->errno_;
	ksi->si_code = si->code;
	switch (si->signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		if (si->code > 0 && si->code != SI_KERNEL) {
			ksi->fault.addr = si->addr;
			break;
		}
		/* fallthrough */
	default:
		if (si->code == SI_TIMER) {
			ksi->timer.tid = si->timerid;
			ksi->timer.overrun = si->overrun;
			ksi->timer.value = si->value;
			break;
		}
		ksi->kill.pid = si->pid;
		ksi->kill.uid = si->uid;
		if (si->code == SI_QUEUE || si->code == SI_MESGQ || si->code == SI_ASYNCIO)
			ksi->rt.value = si->value;
		if (si->signo == SIGCHLD && si->code > 0) {
			ksi->chld.status = si->status;
			ksi->chld.utime = si->utime;
			ksi->chld.stime = si->stime;
		}
	}
}

/* Copy a pending signal's info out in Linux's siginfo_t layout. */
int siginfo_to_user(void *uinfo, const struct ksiginfo *si)
{
	struct k_siginfo ksi;
	fill_siginfo(&ksi, si);
	return copy_to_user(uinfo, &ksi, sizeof(ksi)) ? -EFAULT : 0;
}

/* Take the lowest signal of mask pending for t; 0 if none. */
int dequeue_signal(struct task *t, sigset_t mask, struct ksiginfo *si)
{
	irq_push_off();
	sigset_t ready = t->pending & mask;
	int sig = ready ? __builtin_ctzll(ready) + 1 : 0;
	if (sig)
		sigqueue_take(t, sig, si);
	irq_pop_off();
	return sig;
}

static bool setup_frame(struct trap_frame *tf, int sig, struct k_sigaction *ka,
                        const struct ksiginfo *si, sigset_t oldmask)
{
	struct task *t = current;
	uint64_t sp = tf->rsp;
	if ((ka->flags & SA_ONSTACK) && t->sas_size && !(t->sas_flags & SS_DISABLE) &&
	    !(sp > t->sas_sp && sp <= t->sas_sp + t->sas_size))
		sp = t->sas_sp + t->sas_size;
	else
		sp -= 128; /* the red zone */
	uint64_t fp = ALIGN_DOWN(sp - 512, 64);
	uint64_t frame_addr = ALIGN_DOWN(fp - sizeof(struct rt_sigframe), 16) - 8;

	struct rt_sigframe f;
	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.uc.ss_sp = t->sas_sp;
	f.uc.ss_size = t->sas_size;
	f.uc.ss_flags = t->sas_size ? 0 : SS_DISABLE;
	struct k_sigcontext *mc = &f.uc.mc;
	mc->r8 = tf->r8; mc->r9 = tf->r9; mc->r10 = tf->r10; mc->r11 = tf->r11;
	mc->r12 = tf->r12; mc->r13 = tf->r13; mc->r14 = tf->r14; mc->r15 = tf->r15;
	mc->rdi = tf->rdi; mc->rsi = tf->rsi; mc->rbp = tf->rbp; mc->rbx = tf->rbx;
	mc->rdx = tf->rdx; mc->rax = tf->rax; mc->rcx = tf->rcx; mc->rsp = tf->rsp;
	mc->rip = tf->rip; mc->eflags = tf->rflags;
	mc->cs = USER_CS; mc->ss = USER_DS;
	mc->err = tf->vector < 32 ? tf->error : 0;
	mc->trapno = tf->vector < 32 ? tf->vector : 0;
	mc->oldmask = oldmask;
	mc->cr2 = si->addr;
	mc->fpstate = fp;
	f.uc.sigmask = oldmask;
	fill_siginfo(&f.info, si);

	fpu_save(t->fpu);
	if (copy_to_user((void *)fp, t->fpu, 512) ||
	    copy_to_user((void *)frame_addr, &f, sizeof(f)))
		return false;

	tf->rsp = frame_addr;
	tf->rip = ka->handler;
	tf->rdi = sig;
	tf->rsi = frame_addr + offsetof(struct rt_sigframe, info);
	tf->rdx = frame_addr + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rflags &= ~(1ULL << 8 | 1ULL << 10); /* TF, DF */
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	return true;
}

long sys_rt_sigreturn(void)
{
	struct task *t = current;
	struct trap_frame *tf = t->frame;
	uint64_t frame_addr = tf->rsp - 8;
	struct rt_sigframe f;
	if (copy_from_user(&f, (void *)frame_addr, sizeof(f))) {
		force_signal_fault(SIGSEGV, SI_KERNEL, 0);
		return -EFAULT;
	}
	struct k_sigcontext *mc = &f.uc.mc;
	tf->r8 = mc->r8; tf->r9 = mc->r9; tf->r10 = mc->r10; tf->r11 = mc->r11;
	tf->r12 = mc->r12; tf->r13 = mc->r13; tf->r14 = mc->r14; tf->r15 = mc->r15;
	tf->rdi = mc->rdi; tf->rsi = mc->rsi; tf->rbp = mc->rbp; tf->rbx = mc->rbx;
	tf->rdx = mc->rdx; tf->rcx = mc->rcx; tf->rsp = mc->rsp; tf->rip = mc->rip;
	/* Only the flags a user may change; keep IF on. */
	const uint64_t user_flags = 0x40dd5;
	tf->rflags = (tf->rflags & ~user_flags) | (mc->eflags & user_flags) | (1 << 9);
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	t->blocked = f.uc.sigmask & ~UNBLOCKABLE;
	if (mc->fpstate) {
		uint8_t buf[512] __aligned(16);
		if (copy_from_user(buf, (void *)mc->fpstate, 512) == 0) {
			/* Reserved MXCSR bits would fault fxrstor. */
			uint32_t *mxcsr = (uint32_t *)(buf + 24);
			*mxcsr &= 0xffff;
			memcpy(t->fpu, buf, 512);
			fpu_restore(t->fpu);
		}
	}
	tf->vector = 0; /* not a restartable syscall any more */
	return mc->rax;
}

/* Stop the whole process with sig; returns when continued. */
static void do_stop(int sig)
{
	struct task *t = current, *leader = t->group_leader;
	irq_push_off();
	for (struct task *o = leader; o; o = o->next_in_group)
		if (o != t)
			o->pending |= sigmask(SIGSTOP);
	leader->stop_report = (sig << 8) | 0x7f;
	t->state = TASK_STOPPED;
	notify_parent(leader, CLD_STOPPED, sig);
	schedule();
	irq_pop_off();
}

void do_signal(struct trap_frame *tf)
{
	struct task *t = current;
	bool in_syscall = tf->vector == VECTOR_SYSCALL;
	for (;;) {
		irq_push_off();
		sigset_t ready = t->pending & ~t->blocked;
		if (!ready) {
			irq_pop_off();
			break;
		}
		int sig = __builtin_ctzll(ready) + 1;
		/* Synchronous faults first. */
		const sigset_t sync = sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) |
		                      sigmask(SIGFPE) | sigmask(SIGTRAP);
		if (ready & sync)
			sig = __builtin_ctzll(ready & sync) + 1;
		if (ready & sigmask(SIGKILL))
			sig = SIGKILL;
		struct ksiginfo si;
		sigqueue_take(t, sig, &si);
		struct k_sigaction ka = t->sighand->action[sig];
		irq_pop_off();

		if (sig == SIGKILL || ka.handler == SIG_DFL) {
			switch (sig == SIGKILL ? SD_TERM : default_action(sig)) {
			case SD_IGN:
			case SD_CONT:
				continue;
			case SD_STOP:
				do_stop(sig);
				continue;
			case SD_CORE:
				do_exit_group(sig | 0x80);
			case SD_TERM:
				do_exit_group(sig);
			}
		}
		if (ka.handler == SIG_IGN)
			continue;

		/* A handler runs: settle an interrupted system call first. */
		if (in_syscall && (int64_t)tf->rax == -ERESTARTNOHAND) {
			tf->rax = -EINTR;
		} else if (in_syscall && (int64_t)tf->rax == -ERESTARTSYS) {
			if (ka.flags & SA_RESTART) {
				tf->rax = t->syscall_nr;
				tf->rip -= 2;
			} else {
				tf->rax = -EINTR;
			}
		}
		sigset_t oldmask = t->restore_blocked ? t->saved_blocked : t->blocked;
		t->restore_blocked = false;
		if (!setup_frame(tf, sig, &ka, &si, oldmask)) {
			kprintf(KERN_NOTICE "%s[%d]: bad signal frame, killed\n", t->comm, t->tgid);
			do_exit_group(SIGSEGV);
		}
		t->blocked |= ka.mask & ~UNBLOCKABLE;
		if (!(ka.flags & SA_NODEFER))
			t->blocked |= sigmask(sig);
		if (ka.flags & SA_RESETHAND)
			t->sighand->action[sig].handler = SIG_DFL;
		return; /* one handler frame at a time */
	}
	/* No handler ran: restart an interrupted call transparently. */
	if (in_syscall && ((int64_t)tf->rax == -ERESTARTSYS || (int64_t)tf->rax == -ERESTARTNOHAND)) {
		tf->rax = t->syscall_nr;
		tf->rip -= 2;
	}
	if (t->restore_blocked) {
		t->blocked = t->saved_blocked;
		t->restore_blocked = false;
	}
}

/* ---- system calls ---- */

long sys_rt_sigaction(int sig, const struct k_sigaction *uact, struct k_sigaction *uold,
                      size_t sigsetsize)
{
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (sig < 1 || sig > NSIG || ((sig == SIGKILL || sig == SIGSTOP) && uact))
		return -EINVAL;
	struct k_sigaction act;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	struct sighand *sh = current->sighand;
	spin_lock(&sh->lock);
	struct k_sigaction old = sh->action[sig];
	if (uact) {
		act.mask &= ~UNBLOCKABLE;
		sh->action[sig] = act;
	}
	spin_unlock(&sh->lock);
	/* Setting a signal to be ignored discards it if pending (POSIX). */
	if (uact && is_ignored(current, sig)) {
		irq_push_off();
		for (struct task *o = current->group_leader; o; o = o->next_in_group)
			sigqueue_flush(o, sigmask(sig));
		irq_pop_off();
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

long sys_rt_sigprocmask(int how, const sigset_t *uset, sigset_t *uold, size_t sigsetsize)
{
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	struct task *t = current;
	sigset_t old = t->blocked, set;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK: t->blocked |= set; break;
		case SIG_UNBLOCK: t->blocked &= ~set; break;
		case SIG_SETMASK: t->blocked = set; break;
		default: return -EINVAL;
		}
		t->blocked &= ~UNBLOCKABLE;
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(sigset_t *uset, size_t sigsetsize)
{
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	sigset_t p = current->pending & current->blocked;
	return copy_to_user(uset, &p, sizeof(p)) ? -EFAULT : 0;
}

static wait_queue_t pause_wq = WAIT_QUEUE_INIT("pause");

long sys_rt_sigsuspend(const sigset_t *umask, size_t sigsetsize)
{
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	sigset_t mask;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	struct task *t = current;
	t->saved_blocked = t->blocked;
	t->restore_blocked = true;
	t->blocked = mask & ~UNBLOCKABLE;
	while (wait_event_interruptible(&pause_wq, false) == 0)
		;
	return -EINTR;
}

long sys_pause(void)
{
	while (wait_event_interruptible(&pause_wq, false) == 0)
		;
	return -EINTR;
}

struct k_stack {
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
};

long sys_sigaltstack(const struct k_stack *uss, struct k_stack *uold)
{
	struct task *t = current;
	struct k_stack old = { t->sas_sp, t->sas_size ? 0 : SS_DISABLE, 0, t->sas_size };
	uint64_t sp = t->frame->rsp;
	if (t->sas_size && sp > t->sas_sp && sp <= t->sas_sp + t->sas_size)
		old.ss_flags = SS_ONSTACK;
	if (uss) {
		struct k_stack ss;
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (old.ss_flags == SS_ONSTACK)
			return -EPERM;
		if (ss.ss_flags & ~SS_DISABLE)
			return -EINVAL;
		if (ss.ss_flags & SS_DISABLE) {
			t->sas_sp = t->sas_size = 0;
		} else {
			if (ss.ss_size < 2048)
				return -ENOMEM;
			t->sas_sp = ss.ss_sp;
			t->sas_size = ss.ss_size;
		}
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
