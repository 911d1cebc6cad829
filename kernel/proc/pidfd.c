/*
 * kernel/proc/pidfd.c - process file descriptors: pidfd_open(2),
 * pidfd_send_signal(2) and waitid(P_PIDFD) (wait.c), as Linux.
 *
 * Tasks have no reference count and pids are reused, so a pidfd names
 * its process by pid and start time: a task with that id and that start
 * time is the one; none means it has been reaped. The file is an
 * anonymous one ("anon_inode:[pidfd]"), always close-on-exec; it polls
 * readable (POLLIN) once the process has exited, and also POLLHUP once it
 * has been reaped. Exits wake one queue shared by every pidfd
 * (pidfd_notify_exit from do_exit): exits are rare enough for that.
 * read and write are not supported (EINVAL).
 */
#include "kernel.h"
#include "mm.h"
#include "poll.h"
#include "signal.h"
#include "task.h"
#include "uaccess.h"
#include "vfs.h"

#define PIDFD_NONBLOCK O_NONBLOCK
#define PIDFD_THREAD O_EXCL
#define PIDFD_SIGNAL_THREAD (1U << 0)
#define PIDFD_SIGNAL_THREAD_GROUP (1U << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP (1U << 2)

struct pidfd {
	pid_t pid;
	uint64_t start_ns;
	bool thread;        /* PIDFD_THREAD: one thread, not the process */
};

static wait_queue_t pidfd_wq = WAIT_QUEUE_INIT("pidfd");

void pidfd_notify_exit(void)
{
	wake_up(&pidfd_wq);
}

/* The task p names, or NULL once reaped; the caller holds tasks_lock. */
static struct task *pidfd_task(const struct pidfd *p)
{
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->tid == p->pid && t->start_ns == p->start_ns && t->state != TASK_DEAD)
			return t;
	return NULL;
}

static unsigned pidfd_poll(struct file *f, wait_queue_t *wq[2])
{
	const struct pidfd *p = f->priv;
	if (wq) {
		wq[0] = &pidfd_wq;
		wq[1] = NULL;
	}
	unsigned ev = 0;
	spin_lock(&tasks_lock);
	struct task *t = pidfd_task(p);
	if (!t)
		ev = POLLIN | POLLRDNORM | POLLHUP;
	else if (t->state == TASK_ZOMBIE || (p->thread && t->exiting))
		ev = POLLIN | POLLRDNORM;
	spin_unlock(&tasks_lock);
	return ev;
}

static void pidfd_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops pidfd_ops = {
	.poll = pidfd_poll,
	.release = pidfd_release,
};

long sys_pidfd_open(int pid, unsigned flags)
{
	if (flags & ~(unsigned)(PIDFD_NONBLOCK | PIDFD_THREAD))
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	struct pidfd *p = kzalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->pid = pid;
	p->thread = flags & PIDFD_THREAD;
	long err = -ESRCH;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next) {
		if (t->tid != pid || t->state == TASK_DEAD)
			continue;
		/* A thread's id names nothing without PIDFD_THREAD: ENOENT
		 * since Linux 6.9 (EINVAL before). */
		err = (t->tid == t->tgid || p->thread) ? 0 : -ENOENT;
		p->start_ns = t->start_ns;
		break;
	}
	spin_unlock(&tasks_lock);
	if (err) {
		kfree(p);
		return err;
	}
	struct file *f = anon_file_create("[pidfd]", &pidfd_ops, p,
	                                  O_RDWR | (flags & (PIDFD_NONBLOCK | PIDFD_THREAD)));
	if (!f) {
		kfree(p);
		return -ENOMEM;
	}
	int fd = fd_install(current->files, f, 0, true);
	file_put(f);
	return fd;
}

/* The process (or thread) a pidfd descriptor names: its pid and the
 * file's flags; -EBADF if fd is no pidfd. For waitid(P_PIDFD). */
long pidfd_get_pid(int fd, pid_t *pid, unsigned *flags)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long err = -EBADF;
	if (f->ops == &pidfd_ops) {
		*pid = ((struct pidfd *)f->priv)->pid;
		*flags = f->flags;
		err = 0;
	}
	file_put(f);
	return err;
}

long sys_pidfd_send_signal(int fd, int sig, const void *uinfo, unsigned flags)
{
	unsigned scope = flags & (PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP |
	                          PIDFD_SIGNAL_PROCESS_GROUP);
	if (flags != scope || (scope & (scope - 1)))
		return -EINVAL;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	struct pidfd p = { 0 };
	bool is_pidfd = f->ops == &pidfd_ops;
	if (is_pidfd)
		p = *(struct pidfd *)f->priv;
	file_put(f);
	if (!is_pidfd)
		return -EBADF;
	if (!scope)
		scope = p.thread ? PIDFD_SIGNAL_THREAD : PIDFD_SIGNAL_THREAD_GROUP;
	struct ksiginfo info = { .signo = sig, .code = SI_USER, .pid = current->tgid,
	                         .uid = current->cred.uid };
	if (uinfo) {
		struct k_siginfo_hdr h;
		if (copy_from_user(&h, uinfo, sizeof(h)))
			return -EFAULT;
		if (h.signo != sig)
			return -EINVAL;
		/* Only the kernel and kill() use these codes, except to oneself. */
		bool self = p.pid == current->tgid && scope == PIDFD_SIGNAL_THREAD_GROUP;
		if (!self && (h.code >= 0 || h.code == SI_TKILL))
			return -EPERM;
		info = (struct ksiginfo){ .signo = sig, .code = h.code, .errno_ = h.errno_,
		                          .pid = h.pid, .uid = h.uid, .value = h.value };
	} else if (scope == PIDFD_SIGNAL_THREAD) {
		info.code = SI_TKILL;
	}
	spin_lock(&tasks_lock);
	struct task *t = pidfd_task(&p);
	bool zombie = t && t->state == TASK_ZOMBIE;
	spin_unlock(&tasks_lock);
	if (!t)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (!may_signal(t, sig))
		return -EPERM;
	if (!sig || zombie)
		return 0;   /* a zombie takes signals and ignores them, as Linux */
	if (scope == PIDFD_SIGNAL_PROCESS_GROUP)
		return send_signal_pgrp(t->pgid, sig, &info);
	if (scope == PIDFD_SIGNAL_THREAD)
		return send_signal_thread(t, sig, &info);
	return send_signal(t, sig, &info);
}
