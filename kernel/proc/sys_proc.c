/*
 * kernel/proc/sys_proc.c - process identity and control: pids, process
 * groups and sessions (user and group ids: cred.c), arch_prctl, prctl, resource limits, usage, yield.
 */
#include "arch.h"
#include "kernel.h"
#include "ktime.h"
#include "task.h"
#include "uaccess.h"

long sys_getpid(void) { return current->tgid; }
long sys_gettid(void) { return current->tid; }
long sys_getppid(void)
{
	struct task *p = current->group_leader->parent;
	return p ? p->tgid : 0;
}
long sys_set_tid_address(int *tidptr)
{
	current->clear_child_tid = (uint64_t)tidptr;
	return current->tid;
}

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

long sys_arch_prctl(int code, uint64_t addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		current->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user((void *)addr, &current->fs_base, 8) ? -EFAULT : 0;
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EINVAL; /* GS belongs to the kernel here */
	default:
		return -EINVAL;
	}
}

#define PR_SET_NAME 15
#define PR_GET_NAME 16

long sys_prctl(int option, uint64_t arg2)
{
	char name[16];
	switch (option) {
	case PR_SET_NAME: {
		long n = strncpy_from_user(name, (const char *)arg2, sizeof(name));
		if (n == -EFAULT)
			return -EFAULT;
		name[15] = 0;
		strlcpy(current->comm, name, sizeof(current->comm));
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user((void *)arg2, current->comm, sizeof(current->comm)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

/* ---- process groups and sessions ---- */

static bool pgrp_in_session(pid_t pgid, pid_t sid)
{
	bool found = false;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->pgid == pgid && t->sid == sid && t->state != TASK_DEAD)
			found = true;
	spin_unlock(&tasks_lock);
	return found;
}

/* personality(2): the execution domain and flags. RayOS runs Linux
 * programs only and none of the flags changes what it does (no address
 * randomisation to turn off, no 32-bit layouts), so the value is only
 * kept: set and read back, inherited by fork and kept by exec, as Linux
 * keeps it (per thread, as Linux). 0xffffffff asks without changing; the argument is an
 * unsigned int, so the upper half of the register is ignored. */
long sys_personality(uint64_t arg)
{
	unsigned persona = (unsigned)arg;
	unsigned old = current->personality;
	if (persona != 0xffffffffu)
		current->personality = persona;
	return old;
}

long sys_setpgid(int pid, int pgid)
{
	struct task *me = current->group_leader;
	struct task *t = pid ? process_find(pid) : me;
	if (pgid < 0)
		return -EINVAL;
	if (!t || (t != me && t->parent != me))
		return -ESRCH;
	if (t->sid != me->sid)
		return -EPERM;
	if (t->tgid == t->sid)
		return -EPERM; /* a session leader */
	if (!pgid)
		pgid = t->tgid;
	if (pgid != t->tgid && !pgrp_in_session(pgid, me->sid))
		return -EPERM;
	for (struct task *o = t; o; o = o->next_in_group)
		o->pgid = pgid;
	return 0;
}

long sys_getpgid(int pid)
{
	struct task *t = pid ? process_find(pid) : current;
	return t ? t->pgid : -ESRCH;
}

long sys_getpgrp(void) { return current->pgid; }

long sys_getsid(int pid)
{
	struct task *t = pid ? process_find(pid) : current;
	return t ? t->sid : -ESRCH;
}

void tty_session_left(pid_t sid);

long sys_setsid(void)
{
	struct task *me = current->group_leader;
	if (pgrp_in_session(me->tgid, me->sid) && me->pgid == me->tgid)
		return -EPERM;
	/* Another process using our pid as its group id also forbids it. */
	spin_lock(&tasks_lock);
	bool busy = false;
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->pgid == me->tgid && t->group_leader != me)
			busy = true;
	spin_unlock(&tasks_lock);
	if (busy)
		return -EPERM;
	for (struct task *o = me; o; o = o->next_in_group) {
		o->sid = me->tgid;
		o->pgid = me->tgid;
	}
	return me->tgid;
}

long sys_sched_yield(void)
{
	current->need_resched = true;
	return 0;
}

/* ---- limits and usage ---- */

#define RLIM_INFINITY (~0ULL)
#define RLIMIT_NLIMITS 16

static const struct k_rlimit default_limits[RLIMIT_NLIMITS] = {
	[0] = { RLIM_INFINITY, RLIM_INFINITY },   /* CPU */
	[1] = { RLIM_INFINITY, RLIM_INFINITY },   /* FSIZE */
	[2] = { RLIM_INFINITY, RLIM_INFINITY },   /* DATA */
	[3] = { 8 << 20, RLIM_INFINITY },         /* STACK */
	[4] = { 0, RLIM_INFINITY },               /* CORE */
	[5] = { RLIM_INFINITY, RLIM_INFINITY },   /* RSS */
	[6] = { 4096, 4096 },                     /* NPROC */
	[7] = { 1024, 1024 },                     /* NOFILE */
	[8] = { 8 << 20, 8 << 20 },               /* MEMLOCK */
	[9] = { RLIM_INFINITY, RLIM_INFINITY },   /* AS */
	[10] = { RLIM_INFINITY, RLIM_INFINITY },  /* LOCKS */
	[11] = { 4096, 4096 },                    /* SIGPENDING */
	[12] = { 819200, 819200 },                /* MSGQUEUE */
	[13] = { 0, 0 },                          /* NICE */
	[14] = { 0, 0 },                          /* RTPRIO */
	[15] = { RLIM_INFINITY, RLIM_INFINITY },  /* RTTIME */
};

void rlimits_init(struct task *t)
{
	memcpy(t->rlim, default_limits, sizeof(t->rlim));
}

/*
 * Limits are per process (kept in the leader) and inherited across fork
 * and exec. Enforced: NOFILE (fd_install, dup2), NPROC (clone), AS
 * (mmap, brk, mremap), STACK (stack growth), CPU (itimers_tick); CORE is
 * kept but RayOS writes no core files. Raising a hard limit needs root.
 */
long sys_prlimit64(int pid, unsigned resource, const struct k_rlimit *unew, struct k_rlimit *uold)
{
	if (resource >= RLIMIT_NLIMITS)
		return -EINVAL;
	struct task *t = pid ? process_find(pid) : current->group_leader;
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	struct k_rlimit n;
	if (unew) {
		if (copy_from_user(&n, unew, sizeof(n)))
			return -EFAULT;
		if (n.cur > n.max)
			return -EINVAL;
		struct cred *c = &current->cred;
		if (t != current->group_leader && c->euid != 0 && c->uid != t->cred.uid)
			return -EPERM;
		if (n.max > t->rlim[resource].max && c->euid != 0)
			return -EPERM;
		if (resource == 7 && n.max > 1024 * 1024) /* NOFILE: Linux's nr_open */
			return -EPERM;
	}
	struct k_rlimit old = t->rlim[resource];
	if (unew)
		t->rlim[resource] = n;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_getrlimit(unsigned resource, struct k_rlimit *u)
{
	return sys_prlimit64(0, resource, NULL, u);
}

long sys_setrlimit(unsigned resource, const struct k_rlimit *u)
{
	return sys_prlimit64(0, resource, u, NULL);
}

struct k_rusage {
	int64_t utime_sec, utime_usec, stime_sec, stime_usec;
	int64_t rest[14];
};

long sys_getrusage(int who, struct k_rusage *u)
{
	struct task *t = current->group_leader;
	uint64_t ut = 0, st = 0;
	if (who == 0) {             /* SELF: every thread, live or gone */
		irq_push_off();
		for (struct task *o = t; o; o = o->next_in_group) {
			ut += o->utime_ns;
			st += o->stime_ns;
		}
		irq_pop_off();
	} else if (who == 1) {      /* THREAD */
		ut = current->utime_ns;
		st = current->stime_ns;
	} else if (who == -1) {     /* CHILDREN */
		ut = t->cutime_ns;
		st = t->cstime_ns;
	} else {
		return -EINVAL;
	}
	struct k_rusage ru;
	memset(&ru, 0, sizeof(ru));
	ru.utime_sec = ut / NSEC_PER_SEC;
	ru.utime_usec = ut % NSEC_PER_SEC / 1000;
	ru.stime_sec = st / NSEC_PER_SEC;
	ru.stime_usec = st % NSEC_PER_SEC / 1000;
	return copy_to_user(u, &ru, sizeof(ru)) ? -EFAULT : 0;
}

struct k_tms {
	int64_t utime, stime, cutime, cstime;
};

long sys_times(struct k_tms *u)
{
	struct task *t = current->group_leader;
	uint64_t per = NSEC_PER_SEC / 100;
	struct k_tms tms = { t->utime_ns / per, t->stime_ns / per, t->cutime_ns / per, t->cstime_ns / per };
	if (u && copy_to_user(u, &tms, sizeof(tms)))
		return -EFAULT;
	return jiffies();
}
