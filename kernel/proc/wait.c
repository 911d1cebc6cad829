/*
 * kernel/proc/wait.c - waiting for children: wait4 and waitid.
 *
 * A child's state changes are its exit (TASK_ZOMBIE, exit_code), a stop
 * (stop_report = the stop status) and a continue (stop_report = 0xffff);
 * do_wait() looks for one that the caller's options select, consumes it
 * unless WNOWAIT, and otherwise sleeps on the parent's child_wait until
 * child_events moves. Reaping adds the child's CPU times to the parent's
 * "children" totals (getrusage RUSAGE_CHILDREN, times).
 */
#include "kernel.h"
#include "ktime.h"
#include "task.h"
#include "uaccess.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000

#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3
#define O_NONBLOCK_ 04000 /* a pidfd's PIDFD_NONBLOCK */

struct k_rusage {
	int64_t utime_sec, utime_usec, stime_sec, stime_usec;
	int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
	int64_t msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

struct wait_result {
	pid_t pid;
	uid_t uid;
	int status;      /* wait4 status word */
	int code;        /* CLD_* for waitid */
	int si_status;
	uint64_t utime, stime;
};

static bool matches(struct task *c, int idtype, pid_t id)
{
	switch (idtype) {
	case P_PID: return c->tgid == id;
	case P_PGID: return c->pgid == id;
	default: return true;
	}
}

static void decode(int status, struct wait_result *r)
{
	r->status = status;
	if (status == 0xffff) {
		r->code = CLD_CONTINUED;
		r->si_status = SIGCONT;
	} else if ((status & 0xff) == 0x7f) {
		r->code = CLD_STOPPED;
		r->si_status = (status >> 8) & 0xff;
	} else if (status & 0x7f) {
		r->code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		r->si_status = status & 0x7f;
	} else {
		r->code = CLD_EXITED;
		r->si_status = (status >> 8) & 0xff;
	}
}

/* Returns the child's pid, 0 (WNOHANG, nothing yet), or -errno. */
static long do_wait(int idtype, pid_t id, int options, struct wait_result *res)
{
	struct task *me = current->group_leader;
	for (;;) {
		bool any = false;
		struct task *found = NULL;
		bool reap = false;
		int status = 0;
		spin_lock(&tasks_lock);
		/* Snapshot the event count under the lock, before the scan: a
		 * child that changes state after the scan bumps it after this
		 * read, so the sleep below cannot miss it. (Read after the
		 * unlock, it could already include a change the scan did not
		 * see, and the sleep would wait for another one: a parent hung
		 * in wait4 with its child a zombie.) */
		uint64_t events = me->child_events;
		for (struct task *c = me->children; c; c = c->sibling) {
			if (!matches(c, idtype, id))
				continue;
			any = true;
			if (c->state == TASK_ZOMBIE && (options & WEXITED)) {
				found = c;
				status = c->exit_code;
				if (!(options & WNOWAIT)) {
					reap = true;
					unlink_child(c);
					c->state = TASK_DEAD;
					me->cutime_ns += c->utime_ns + c->cutime_ns;
					me->cstime_ns += c->stime_ns + c->cstime_ns;
				}
				break;
			}
			int rep = c->stop_report;
			if (rep && ((rep == 0xffff && (options & WCONTINUED)) ||
			            (rep != 0xffff && (options & WSTOPPED)))) {
				found = c;
				status = rep;
				if (!(options & WNOWAIT))
					c->stop_report = 0;
				break;
			}
		}
		if (found) {
			res->pid = found->tgid;
			res->uid = found->cred.uid;
			res->utime = found->utime_ns + found->cutime_ns;
			res->stime = found->stime_ns + found->cstime_ns;
			decode(status, res);
		}
		spin_unlock(&tasks_lock);
		if (found) {
			if (reap) {
				task_list_remove(found);
				task_free(found);
				pidfd_notify_exit(); /* POLLHUP now */
			}
			return res->pid;
		}
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (wait_event_interruptible(&me->child_wait, READ_ONCE(me->child_events) != events))
			return -ERESTARTSYS;
	}
}

static void fill_rusage(struct k_rusage *ru, uint64_t u, uint64_t s)
{
	memset(ru, 0, sizeof(*ru));
	ru->utime_sec = u / NSEC_PER_SEC;
	ru->utime_usec = u % NSEC_PER_SEC / 1000;
	ru->stime_sec = s / NSEC_PER_SEC;
	ru->stime_usec = s % NSEC_PER_SEC / 1000;
}

long sys_wait4(int pid, int *ustatus, int options, struct k_rusage *uru)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == (int)0x80000000)
		return -ESRCH; /* INT_MIN cannot be negated (Linux) */
	int idtype = P_ALL;
	pid_t id = 0;
	if (pid > 0) {
		idtype = P_PID;
		id = pid;
	} else if (pid == 0) {
		idtype = P_PGID;
		id = current->pgid;
	} else if (pid < -1) {
		idtype = P_PGID;
		id = -pid;
	}
	struct wait_result res;
	long r = do_wait(idtype, id, options | WEXITED, &res);
	if (r <= 0)
		return r;
	if (ustatus && copy_to_user(ustatus, &res.status, sizeof(res.status)))
		return -EFAULT;
	if (uru) {
		struct k_rusage ru;
		fill_rusage(&ru, res.utime, res.stime);
		if (copy_to_user(uru, &ru, sizeof(ru)))
			return -EFAULT;
	}
	return r;
}

struct k_siginfo_chld {
	int32_t signo, errno_, code, pad;
	int32_t pid;
	uint32_t uid;
	int32_t status, pad2;
	int64_t utime, stime;
	uint8_t rest[128 - 48];
};

long sys_waitid(int idtype, int id, struct k_siginfo_chld *uinfo, int options, struct k_rusage *uru)
{
	if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD |
	                __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	/* P_PIDFD: the child a pidfd names; a non-blocking pidfd makes the
	 * wait WNOHANG and "nothing yet" EAGAIN, as Linux. */
	bool nonblock = false;
	if (idtype == P_PIDFD) {
		if (id < 0)
			return -EINVAL;
		pid_t pid;
		unsigned fflags;
		long e = pidfd_get_pid(id, &pid, &fflags);
		if (e)
			return e;
		idtype = P_PID;
		id = pid;
		nonblock = fflags & O_NONBLOCK_;
	}
	if (idtype == P_PID || idtype == P_PGID) {
		if (id <= 0 && !(idtype == P_PGID && id == 0))
			return -EINVAL;
		if (idtype == P_PGID && id == 0)
			id = current->pgid;
	} else if (idtype != P_ALL) {
		return -EINVAL;
	}
	struct wait_result res;
	long r = do_wait(idtype, id, options | (nonblock ? WNOHANG : 0), &res);
	if (r < 0)
		return r;
	if (!r && nonblock && !(options & WNOHANG))
		return -EAGAIN;
	struct k_siginfo_chld si;
	memset(&si, 0, sizeof(si));
	if (r > 0) {
		si.signo = SIGCHLD;
		si.code = res.code;
		si.pid = res.pid;
		si.uid = res.uid;
		si.status = res.si_status;
		si.utime = res.utime / (NSEC_PER_SEC / 100);
		si.stime = res.stime / (NSEC_PER_SEC / 100);
	}
	if (uinfo && copy_to_user(uinfo, &si, sizeof(si)))
		return -EFAULT;
	if (uru) {
		struct k_rusage ru;
		fill_rusage(&ru, r > 0 ? res.utime : 0, r > 0 ? res.stime : 0);
		if (copy_to_user(uru, &ru, sizeof(ru)))
			return -EFAULT;
	}
	return 0;
}
