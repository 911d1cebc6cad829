/*
 * kernel/proc/sigwait.c - synchronous signal calls: rt_sigtimedwait
 * (sigwait, sigwaitinfo, sigtimedwait) and queueing a signal with data
 * (rt_sigqueueinfo, rt_tgsigqueueinfo: sigqueue, pthread_sigqueue).
 *
 * rt_sigtimedwait takes a signal of the set out of the pending set
 * without running its handler. The caller normally blocks the set; while
 * it waits, the set is unblocked (as in Linux) so that a sender picks this
 * thread and wakes it, and restored before returning.
 */
#include "kernel.h"
#include "ktime.h"
#include "task.h"
#include "uaccess.h"

struct k_timespec {
	int64_t sec, nsec;
};

static wait_queue_t sigwait_wq = WAIT_QUEUE_INIT("sigwait");

#define UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))

long sys_rt_sigtimedwait(const sigset_t *uset, void *uinfo, const struct k_timespec *uts,
                         size_t sigsetsize)
{
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	sigset_t set;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	uint64_t deadline = 0;
	bool poll_only = false;
	if (uts) {
		struct k_timespec ts;
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC_PER_SEC)
			return -EINVAL;
		uint64_t ns = (uint64_t)ts.sec * NSEC_PER_SEC + ts.nsec;
		poll_only = ns == 0;
		deadline = time_ns() + ns;
	}
	struct task *t = current;
	struct ksiginfo si;
	int sig = dequeue_signal(t, set, &si);
	if (!sig && !poll_only) {
		sigset_t saved = t->blocked;
		t->blocked &= ~set;
		int r = wait_event_interruptible_timeout(&sigwait_wq, false, deadline);
		(void)r;
		t->blocked = saved;
		sig = dequeue_signal(t, set, &si);
		if (!sig)
			return r == -ETIMEDOUT ? -EAGAIN : -EINTR;
	}
	if (!sig)
		return -EAGAIN;
	if (uinfo && siginfo_to_user(uinfo, &si))
		return -EFAULT;
	return sig;
}

/* Read the user's siginfo; only the kernel may claim to be the kernel or
 * kill(2), so such codes may only be sent to oneself (Linux checks this
 * before looking for the target). */
static long get_queueinfo(const void *uinfo, pid_t self_check, int sig, struct ksiginfo *info)
{
	struct k_siginfo_hdr h;
	if (copy_from_user(&h, uinfo, sizeof(h)))
		return -EFAULT;
	if ((h.code >= 0 || h.code == SI_TKILL) && self_check != current->tgid)
		return -EPERM;
	struct ksiginfo i = { .signo = sig, .code = h.code, .errno_ = h.errno_, .pid = h.pid,
	                      .uid = h.uid, .value = h.value };
	*info = i;
	return 0;
}

long sys_rt_sigqueueinfo(int pid, int sig, const void *uinfo)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	struct ksiginfo info;
	long r = get_queueinfo(uinfo, pid, sig, &info);
	if (r)
		return r;
	struct task *t = process_find(pid);
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (!may_signal(t, sig))
		return -EPERM;
	return sig ? send_signal(t, sig, &info) : 0;
}

long sys_rt_tgsigqueueinfo(int tgid, int tid, int sig, const void *uinfo)
{
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	struct ksiginfo info;
	long r = get_queueinfo(uinfo, tid, sig, &info);
	if (r)
		return r;
	struct task *t = task_find(tid);
	if (!t || t->tgid != tgid || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (!may_signal(t, sig))
		return -EPERM;
	return sig ? send_signal_thread(t, sig, &info) : 0;
}
