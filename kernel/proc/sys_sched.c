/*
 * kernel/proc/sys_sched.c - scheduling parameters as Linux reports them:
 * getpriority/setpriority (nice values), sched_getaffinity and
 * sched_setaffinity (one CPU), sched_getscheduler and friends (SCHED_OTHER
 * only).
 *
 * The nice value is kept per process and inherited by fork. The round
 * robin scheduler weights each task's time slice by it (kernel/proc/
 * sched.c), so CPU-bound processes share the CPU roughly as on Linux.
 */
#include "kernel.h"
#include "task.h"
#include "uaccess.h"

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

struct prio_walk {
	int which, who;
	int best;     /* lowest nice seen (getpriority reports the highest priority) */
	int set;      /* for setpriority: the new nice, or 100 for "get" */
	int found, denied;
	uid_t uid, euid;
	bool root;
};

static bool prio_match(struct task *t, struct prio_walk *w)
{
	if (t->group_leader != t || t->state == TASK_ZOMBIE || t->state == TASK_DEAD || !t->mm)
		return false;
	switch (w->which) {
	case PRIO_PROCESS: return t->tgid == w->who;
	case PRIO_PGRP: return t->pgid == w->who;
	default: return t->cred.uid == (uid_t)w->who;
	}
}

static void prio_visit(struct task *t, void *arg)
{
	struct prio_walk *w = arg;
	if (!prio_match(t, w))
		return;
	w->found++;
	if (w->set == 100) {
		if (t->nice < w->best)
			w->best = t->nice;
		return;
	}
	if (!w->root && t->cred.uid != w->euid && t->cred.euid != w->euid) {
		w->denied = -EPERM;
		return;
	}
	if (w->set < t->nice && !w->root) {
		w->denied = -EACCES; /* only root may raise a priority */
		return;
	}
	t->nice = w->set;
}

static long prio_walk(int which, int who, int set)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	struct task *me = current->group_leader;
	if (!who)
		who = which == PRIO_PROCESS ? me->tgid : which == PRIO_PGRP ? me->pgid : (int)me->cred.uid;
	struct prio_walk w = { which, who, 20, set, 0, 0, me->cred.uid, me->cred.euid,
	                       me->cred.euid == 0 };
	for_each_task(prio_visit, &w);
	if (!w.found)
		return -ESRCH;
	if (set == 100)
		return 20 - w.best; /* the raw system call returns 20 - nice */
	return w.denied;
}

long sys_getpriority(int which, int who) { return prio_walk(which, who, 100); }

long sys_setpriority(int which, int who, int nice)
{
	if (nice < -20)
		nice = -20;
	if (nice > 19)
		nice = 19;
	return prio_walk(which, who, nice);
}

static long check_pid(int pid)
{
	if (pid < 0)
		return -ESRCH;
	if (pid && !task_find(pid))
		return -ESRCH;
	return 0;
}

long sys_sched_getaffinity(int pid, unsigned len, uint64_t *umask)
{
	long r = check_pid(pid);
	if (r)
		return r;
	if (len < sizeof(uint64_t) || (len & (sizeof(uint64_t) - 1)))
		return -EINVAL;
	uint64_t mask = 1; /* CPU 0 */
	if (copy_to_user(umask, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

long sys_sched_setaffinity(int pid, unsigned len, const uint64_t *umask)
{
	long r = check_pid(pid);
	if (r)
		return r;
	uint64_t mask = 0;
	if (copy_from_user(&mask, umask, MIN(len, sizeof(mask))))
		return -EFAULT;
	return (mask & 1) ? 0 : -EINVAL;
}

#define SCHED_OTHER 0

long sys_sched_getscheduler(int pid)
{
	long r = check_pid(pid);
	return r ? r : SCHED_OTHER;
}

long sys_sched_getparam(int pid, int *uparam)
{
	long r = check_pid(pid);
	if (r)
		return r;
	int prio = 0;
	return copy_to_user(uparam, &prio, sizeof(prio)) ? -EFAULT : 0;
}

/* SCHED_FIFO and SCHED_RR have 1..99; OTHER, BATCH and IDLE only 0. */
static long prio_range(int policy, long rt)
{
	if (policy == 1 || policy == 2)
		return rt;
	return policy == 0 || policy == 3 || policy == 5 ? 0 : -EINVAL;
}
long sys_sched_get_priority_max(int policy) { return prio_range(policy, 99); }
long sys_sched_get_priority_min(int policy) { return prio_range(policy, 1); }
