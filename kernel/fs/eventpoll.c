/*
 * kernel/fs/eventpoll.c - epoll_create(2), epoll_create1(2), epoll_ctl(2),
 * epoll_wait(2), epoll_pwait(2), epoll_pwait2(2).
 *
 * An epoll instance is a list of interest items (fd, file, events, data).
 * epoll_wait scans them the way poll does (kernel/fs/poll.c): queue on every
 * file's wait queues, collect the ready ones, sleep once if none is, scan
 * again. That is level-triggered epoll exactly, at O(items) per wake-up
 * rather than Linux's O(ready); EPOLLONESHOT disables an item after it has
 * reported an event, until EPOLL_CTL_MOD re-arms it. EPOLLET and
 * EPOLLEXCLUSIVE are refused with EINVAL: edge-triggering needs callbacks
 * from every wake-up, which the wait queues do not offer yet.
 *
 * Linux removes an item when its file is finally closed. An item here holds
 * no reference to its file (so closing the last descriptor still closes
 * the file, and a pipe's other end sees it); instead each scan drops items
 * whose descriptor no longer names the same file. The difference from
 * Linux: an item whose descriptor was closed while a dup() of it stays open
 * is dropped here, reported there.
 *
 * Files without a poll op (regular files, /dev/null) are refused with
 * EPERM, as in Linux. Nesting an epoll instance in another is refused
 * with EPERM (Linux allows it), and poll/select see an epoll descriptor as
 * always ready: it has no poll op yet.
 */
#include "kernel.h"
#include "ktime.h"
#include "mm.h"
#include "poll.h"
#include "signal.h"
#include "task.h"
#include "uaccess.h"

#define EPOLLIN 0x001
#define EPOLLPRI 0x002
#define EPOLLOUT 0x004
#define EPOLLERR 0x008
#define EPOLLHUP 0x010
#define EPOLLRDNORM 0x040
#define EPOLLRDBAND 0x080
#define EPOLLWRNORM 0x100
#define EPOLLWRBAND 0x200
#define EPOLLMSG 0x400
#define EPOLLRDHUP 0x2000
#define EPOLLEXCLUSIVE (1U << 28)
#define EPOLLWAKEUP (1U << 29)
#define EPOLLONESHOT (1U << 30)
#define EPOLLET (1U << 31)
#define EPOLL_EVENTS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLERR | EPOLLHUP | \
                      EPOLLRDNORM | EPOLLRDBAND | EPOLLWRNORM | EPOLLWRBAND | \
                      EPOLLMSG | EPOLLRDHUP)

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLL_CLOEXEC O_CLOEXEC
#define EP_MAX_EVENTS (0x7fffffff / 12)

/* struct epoll_event is packed on x86-64: 12 bytes. */
struct k_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

struct epitem {
	int fd;
	struct file *file;  /* not a reference: see the comment at the top */
	uint32_t events;    /* wanted events and EPOLLONESHOT */
	bool disarmed;      /* a oneshot item that has fired */
	uint64_t data;
	struct epitem *next;
};

struct eventpoll {
	mutex_t lock;
	struct epitem *items;
	int nitems;
};

static void ep_release(struct file *f)
{
	struct eventpoll *ep = f->priv;
	while (ep->items) {
		struct epitem *it = ep->items;
		ep->items = it->next;
		kfree(it);
	}
	kfree(ep);
}

static const struct file_ops eventpoll_ops = {
	.release = ep_release,
};

static long ep_create(int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct eventpoll *ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	mutex_init(&ep->lock, "eventpoll");
	struct file *f = anon_file_create("[eventpoll]", &eventpoll_ops, ep, O_RDWR);
	if (!f) {
		kfree(ep);
		return -ENOMEM;
	}
	int fd = fd_install(current->files, f, 0, flags & EPOLL_CLOEXEC);
	file_put(f);
	return fd;
}

long sys_epoll_create1(int flags) { return ep_create(flags); }

long sys_epoll_create(int size)
{
	return size <= 0 ? -EINVAL : ep_create(0);
}

/* The epoll instance behind epfd, with a reference to its file in *fp. */
static struct eventpoll *ep_get(int epfd, struct file **fp, long *err)
{
	struct file *f = fd_get(epfd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (f->ops != &eventpoll_ops) {
		file_put(f);
		*err = -EINVAL;
		return NULL;
	}
	*fp = f;
	return f->priv;
}

static struct epitem **ep_find(struct eventpoll *ep, int fd, struct file *file)
{
	for (struct epitem **pp = &ep->items; *pp; pp = &(*pp)->next)
		if ((*pp)->fd == fd && (*pp)->file == file)
			return pp;
	return NULL;
}

long sys_epoll_ctl(int epfd, int op, int fd, struct k_epoll_event *uev)
{
	struct k_epoll_event ev = { 0, 0 };
	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	/* The checks in Linux's order: both descriptors, pollability, then
	 * the epoll instance and the flags. */
	struct file *epf = fd_get(epfd);
	if (!epf)
		return -EBADF;
	struct file *tf = fd_get(fd);
	if (!tf) {
		file_put(epf);
		return -EBADF;
	}
	long err = 0;
	struct eventpoll *ep = epf->priv;
	if ((!tf->ops || !tf->ops->poll) && tf->ops != &eventpoll_ops)
		err = -EPERM;
	else if (epf == tf || epf->ops != &eventpoll_ops)
		err = -EINVAL;
	else if (tf->ops == &eventpoll_ops)
		err = -EPERM; /* nesting: not supported, see the top */
	else if (op != EPOLL_CTL_DEL && (ev.events & (EPOLLET | EPOLLEXCLUSIVE)))
		err = -EINVAL; /* not supported: see the comment at the top */
	else if (op != EPOLL_CTL_ADD && op != EPOLL_CTL_DEL && op != EPOLL_CTL_MOD)
		err = -EINVAL;
	if (err)
		goto out;
	mutex_lock(&ep->lock);
	struct epitem **pp = ep_find(ep, fd, tf);
	uint32_t events = (ev.events & (EPOLL_EVENTS | EPOLLONESHOT)) | EPOLLERR | EPOLLHUP;
	switch (op) {
	case EPOLL_CTL_ADD: {
		if (pp) {
			err = -EEXIST;
			break;
		}
		struct epitem *it = kzalloc(sizeof(*it));
		if (!it) {
			err = -ENOMEM;
			break;
		}
		it->fd = fd;
		it->file = tf;
		it->events = events;
		it->data = ev.data;
		/* Append, so that ready items come out in the order added. */
		struct epitem **tail = &ep->items;
		while (*tail)
			tail = &(*tail)->next;
		*tail = it;
		ep->nitems++;
		break;
	}
	case EPOLL_CTL_MOD:
		if (!pp) {
			err = -ENOENT;
			break;
		}
		(*pp)->events = events;
		(*pp)->data = ev.data;
		(*pp)->disarmed = false;
		break;
	case EPOLL_CTL_DEL:
		if (!pp) {
			err = -ENOENT;
			break;
		}
		struct epitem *it = *pp;
		*pp = it->next;
		kfree(it);
		ep->nitems--;
		break;
	}
	mutex_unlock(&ep->lock);
out:
	file_put(tf);
	file_put(epf);
	return err;
}

/* One scan: fill up to max events; queue on the files' queues if pt. */
static int ep_scan(struct eventpoll *ep, struct k_epoll_event *out, int max,
                   struct poll_table *pt)
{
	int n = 0;
	mutex_lock(&ep->lock);
	for (struct epitem **pp = &ep->items; *pp && n < max;) {
		struct epitem *it = *pp;
		struct file *f = fd_get(it->fd);
		if (f != it->file) {
			/* Its descriptor was closed: the item goes (see top). */
			if (f)
				file_put(f);
			*pp = it->next;
			kfree(it);
			ep->nitems--;
			continue;
		}
		if (!it->disarmed) {
			unsigned ev = vfs_poll(f, pt) & it->events;
			if (ev) {
				out[n].events = ev;
				out[n].data = it->data;
				n++;
				if (it->events & EPOLLONESHOT)
					it->disarmed = true;
			}
		}
		file_put(f);
		pp = &it->next;
	}
	mutex_unlock(&ep->lock);
	return n;
}

/* Wait for events: one scan if zero, else until the deadline (0: none). */
static long ep_wait(int epfd, struct k_epoll_event *uevents, int maxevents,
                    bool zero, uint64_t deadline)
{
	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok((uint64_t)uevents, (uint64_t)maxevents * sizeof(*uevents)))
		return -EFAULT;
	long err = -EINVAL;
	struct file *epf;
	struct eventpoll *ep = ep_get(epfd, &epf, &err);
	if (!ep)
		return err;
	int max = maxevents < 256 ? maxevents : 256;
	struct k_epoll_event *out = kmalloc(sizeof(*out) * (size_t)max);
	struct poll_table pt = { 0, 0, NULL };
	long r = -ENOMEM;
	if (!out)
		goto done;
	for (;;) {
		/* Room for every item's queues; another thread may have added
		 * items since the last scan. */
		int need = READ_ONCE(ep->nitems);
		if (!pt.ent || 2 * need + 1 > pt.cap) {
			poll_table_free(&pt);
			r = poll_table_init(&pt, need + 8);
			if (r)
				goto done;
		}
		poll_table_reset(&pt);
		r = ep_scan(ep, out, max, zero ? NULL : &pt);
		if (r || zero)
			break;
		r = poll_table_sleep(&pt, deadline);
		if (r == -ETIMEDOUT) {
			r = 0;
			break;
		}
		if (r)
			break;
	}
	if (r > 0 && copy_to_user(uevents, out, sizeof(*out) * (size_t)r))
		r = -EFAULT;
done:
	if (pt.ent)
		poll_table_free(&pt);
	kfree(out);
	file_put(epf);
	return r;
}

static long ep_wait_ms(int epfd, struct k_epoll_event *uevents, int maxevents,
                       int timeout_ms)
{
	uint64_t deadline = timeout_ms > 0 ? time_ns() + (uint64_t)timeout_ms * NSEC_PER_MSEC : 0;
	return ep_wait(epfd, uevents, maxevents, timeout_ms == 0, deadline);
}

long sys_epoll_wait(int epfd, struct k_epoll_event *uevents, int maxevents, int timeout)
{
	return ep_wait_ms(epfd, uevents, maxevents, timeout);
}

/* Run ep_wait with a temporary signal mask (epoll_pwait, epoll_pwait2). */
static long ep_pwait(int epfd, struct k_epoll_event *uevents, int maxevents,
                     bool zero, uint64_t deadline, const sigset_t *umask,
                     size_t sigsetsize)
{
	if (!umask)
		return ep_wait(epfd, uevents, maxevents, zero, deadline);
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	sigset_t m;
	if (copy_from_user(&m, umask, sizeof(m)))
		return -EFAULT;
	struct task *t = current;
	sigset_t old = t->blocked;
	t->blocked = m & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	long r = ep_wait(epfd, uevents, maxevents, zero, deadline);
	/* Interrupted: the handler runs with the temporary mask's effect,
	 * then the old mask comes back (as sigsuspend). */
	if (r == -EINTR) {
		t->saved_blocked = old;
		t->restore_blocked = true;
	} else {
		t->blocked = old;
	}
	return r;
}

long sys_epoll_pwait(int epfd, struct k_epoll_event *uevents, int maxevents,
                     int timeout, const sigset_t *umask, size_t sigsetsize)
{
	uint64_t deadline = timeout > 0 ? time_ns() + (uint64_t)timeout * NSEC_PER_MSEC : 0;
	return ep_pwait(epfd, uevents, maxevents, timeout == 0, deadline, umask, sigsetsize);
}

struct k_timespec {
	int64_t tv_sec, tv_nsec;
};

/* epoll_pwait2: the timeout is a timespec, NULL waiting for ever. */
long sys_epoll_pwait2(int epfd, struct k_epoll_event *uevents, int maxevents,
                      const struct k_timespec *uts, const sigset_t *umask,
                      size_t sigsetsize)
{
	bool zero = false;
	uint64_t deadline = 0;
	if (uts) {
		struct k_timespec ts;
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
			return -EINVAL;
		zero = ts.tv_sec == 0 && ts.tv_nsec == 0;
		/* Beyond ~290 years: no deadline at all. */
		if ((uint64_t)ts.tv_sec < (1ULL << 33))
			deadline = time_ns() + (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	}
	return ep_pwait(epfd, uevents, maxevents, zero, deadline, umask, sigsetsize);
}
