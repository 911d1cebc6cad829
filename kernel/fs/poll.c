/*
 * kernel/fs/poll.c - poll tables, poll(2), ppoll(2), select(2), pselect6(2),
 * and anonymous files for eventfd and epoll.
 *
 * The design is in kernel/include/poll.h: queue on every file's wait queues,
 * check readiness, sleep once, scan again after any wake-up. The table is
 * rebuilt on every scan; that costs a few list operations per file and keeps
 * the entries exactly matched to the queues the files name now.
 *
 * Semantics follow Linux: poll reports POLLNVAL for a descriptor that is
 * not open and ignores negative ones; select fails with EBADF on a set bit
 * for a closed descriptor. Both write back the remaining time where Linux
 * does (select's timeval, ppoll's and pselect6's timespec). A signal ends
 * the wait with EINTR; it is never restarted (Linux restarts these calls
 * only when no handler runs; see docs/syscalls.md). ppoll and pselect6 run
 * with the given signal mask and restore the old one on return, or, when
 * they return EINTR, after the handler has been set up (as sigsuspend).
 */
#include "kernel.h"
#include "ktime.h"
#include "mm.h"
#include "poll.h"
#include "signal.h"
#include "task.h"
#include "uaccess.h"

/* Nobody wakes this queue: a table with no files still has an entry to
 * sleep on, so poll(NULL, 0, t) and select(0, ..., t) sleep like nanosleep. */
static wait_queue_t poll_idle = WAIT_QUEUE_INIT("poll_idle");

int poll_table_init(struct poll_table *pt, int files)
{
	pt->n = 0;
	pt->cap = 2 * files + 1;
	pt->ent = kmalloc(sizeof(*pt->ent) * (size_t)pt->cap);
	return pt->ent ? 0 : -ENOMEM;
}

void poll_table_reset(struct poll_table *pt)
{
	for (int i = 0; i < pt->n; i++)
		wait_finish(pt->ent[i].wq, &pt->ent[i].we);
	pt->n = 0;
}

void poll_table_free(struct poll_table *pt)
{
	poll_table_reset(pt);
	kfree(pt->ent);
	pt->ent = NULL;
}

static void pt_add(struct poll_table *pt, wait_queue_t *wq)
{
	if (!wq || pt->n >= pt->cap)
		return;
	struct poll_entry *e = &pt->ent[pt->n++];
	e->wq = wq;
	wait_prepare(wq, &e->we);
}

unsigned vfs_poll(struct file *f, struct poll_table *pt)
{
	if (!f->ops || !f->ops->poll)
		return POLL_DEFAULT;
	wait_queue_t *wq[2] = { NULL, NULL };
	unsigned ev = f->ops->poll(f, pt ? wq : NULL);
	if (pt) {
		pt_add(pt, wq[0]);
		if (wq[1] != wq[0])
			pt_add(pt, wq[1]);
	}
	return ev;
}

int poll_table_sleep(struct poll_table *pt, uint64_t deadline_ns)
{
	if (pt->n == 0)
		pt_add(pt, &poll_idle);
	/* With interrupts off no waker can run between this check and
	 * wait_sleep() marking us asleep (one CPU; see sync.c). A wake-up of
	 * any entry makes task_wake() run us, and wait_sleep() then returns. */
	irq_push_off();
	for (int i = 0; i < pt->n; i++) {
		if (pt->ent[i].we.woken) {
			irq_pop_off();
			return 0;
		}
	}
	int r = wait_sleep(pt->ent[0].wq, &pt->ent[0].we, true, deadline_ns);
	irq_pop_off();
	return r;
}

/* ---- anonymous files ---- */

#define ANONFS_MAGIC 0x09041934 /* Linux ANON_INODE_FS_MAGIC */
static const struct super_ops anonfs_ops = { 0 };
static struct super_block *anonfs;

struct file *anon_file_create(const char *name, const struct file_ops *ops,
                              void *priv, unsigned flags)
{
	if (!anonfs) {
		struct super_block *sb = super_alloc("anon_inodefs", ANONFS_MAGIC, &anonfs_ops);
		if (!sb)
			return NULL;
		if (__atomic_exchange_n(&anonfs, sb, __ATOMIC_SEQ_CST))
			kprintf_once(KERN_WARNING "poll: anonfs raced\n");
	}
	struct inode *ino = inode_alloc(anonfs, 0600);
	if (!ino)
		return NULL;
	ino->fops = ops;
	struct file *f = file_alloc(ino, flags);
	inode_put(ino);
	if (f) {
		f->priv = priv;
		f->anon_name = name;
	}
	return f;
}

/* ---- timeouts ---- */

struct k_timespec {
	int64_t tv_sec, tv_nsec;
};

/* Deadline for a relative timespec; 0 = none is impossible here because
 * time_ns() is never 0 after boot, so a zero timeout gives "now". */
static uint64_t deadline_after(int64_t sec, int64_t nsec)
{
	uint64_t now = time_ns();
	if ((uint64_t)sec > (~0ULL - now) / NSEC_PER_SEC / 2)
		return 0; /* further than the machine will run: no deadline */
	return now + (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
}

static uint64_t remaining(uint64_t deadline)
{
	uint64_t now = time_ns();
	return deadline > now ? deadline - now : 0;
}

/* ---- the scan loop shared by poll and select ---- */

struct pollfd_k {
	int fd;
	short events, revents;
};

/* Scan pfds until one is ready, the deadline passes or a signal arrives.
 * timeout_zero: return after one scan. Returns the count of ready entries
 * or -errno. */
static int do_poll(struct pollfd_k *pfds, unsigned nfds, bool timeout_zero,
                   uint64_t deadline)
{
	struct poll_table pt;
	int r = poll_table_init(&pt, (int)nfds);
	if (r)
		return r;
	for (;;) {
		int count = 0;
		poll_table_reset(&pt);
		for (unsigned i = 0; i < nfds; i++) {
			struct pollfd_k *p = &pfds[i];
			p->revents = 0;
			if (p->fd < 0)
				continue;
			struct file *f = fd_get(p->fd);
			if (!f) {
				p->revents = POLLNVAL;
				count++;
				continue;
			}
			unsigned ev = vfs_poll(f, (count || timeout_zero) ? NULL : &pt);
			file_put(f);
			p->revents = (short)(ev & ((unsigned short)p->events | POLLERR | POLLHUP));
			if (p->revents)
				count++;
		}
		if (count || timeout_zero) {
			r = count;
			break;
		}
		r = poll_table_sleep(&pt, deadline);
		if (r == -ETIMEDOUT) {
			r = 0;
			break;
		}
		if (r)
			break;
	}
	poll_table_free(&pt);
	return r;
}

#define RLIMIT_NOFILE_MAX NR_OPEN

static long poll_common(void *ufds, unsigned nfds, bool timeout_zero, uint64_t deadline)
{
	if (nfds > RLIMIT_NOFILE_MAX)
		return -EINVAL;
	struct pollfd_k *pfds = kmalloc(sizeof(*pfds) * (nfds ? nfds : 1));
	if (!pfds)
		return -ENOMEM;
	long r = -EFAULT;
	if (copy_from_user(pfds, ufds, sizeof(*pfds) * nfds))
		goto out;
	r = do_poll(pfds, nfds, timeout_zero, deadline);
	if (r >= 0 || r == -EINTR) {
		/* Linux writes back revents even when interrupted. */
		for (unsigned i = 0; i < nfds; i++)
			if (copy_to_user((char *)ufds + i * sizeof(*pfds) +
			                 offsetof(struct pollfd_k, revents),
			                 &pfds[i].revents, sizeof(short))) {
				r = -EFAULT;
				break;
			}
	}
out:
	kfree(pfds);
	return r;
}

long sys_poll(void *ufds, unsigned nfds, int timeout_ms)
{
	uint64_t deadline = 0;
	if (timeout_ms > 0)
		deadline = time_ns() + (uint64_t)timeout_ms * NSEC_PER_MSEC;
	long r = poll_common(ufds, nfds, timeout_ms == 0, deadline);
	/* A stop and continue (no handler) resumes an endless poll, as in
	 * Linux; a finite one returns EINTR rather than restart in full. */
	if (r == -EINTR && timeout_ms < 0)
		r = -ERESTARTNOHAND;
	return r;
}

/* Install a temporary signal mask for ppoll/pselect6. */
static int set_temp_mask(const sigset_t *umask, size_t size, sigset_t *old)
{
	if (size != sizeof(sigset_t))
		return -EINVAL;
	sigset_t m;
	if (copy_from_user(&m, umask, sizeof(m)))
		return -EFAULT;
	*old = current->blocked;
	current->blocked = m & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	return 0;
}

/* Undo it: at once, or, if the call was interrupted, after the signal's
 * handler frame is built (it must run with the temporary mask's effect). */
static void restore_temp_mask(sigset_t old, long r)
{
	struct task *t = current;
	if (r == -EINTR) {
		t->saved_blocked = old;
		t->restore_blocked = true;
	} else {
		t->blocked = old;
	}
}

static int get_timespec(const struct k_timespec *uts, struct k_timespec *ts)
{
	if (copy_from_user(ts, uts, sizeof(*ts)))
		return -EFAULT;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	return 0;
}

/* Write the time left back (Linux does this for ppoll, pselect6, select);
 * a failed write is ignored as Linux does once the call has done its work. */
static void put_remaining_ts(struct k_timespec *uts, uint64_t deadline)
{
	uint64_t left = deadline ? remaining(deadline) : 0;
	struct k_timespec ts = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
	(void)copy_to_user(uts, &ts, sizeof(ts));
}

long sys_ppoll(void *ufds, unsigned nfds, struct k_timespec *uts,
               const sigset_t *umask, size_t sigsetsize)
{
	struct k_timespec ts;
	uint64_t deadline = 0;
	bool zero = false;
	if (uts) {
		int e = get_timespec(uts, &ts);
		if (e)
			return e;
		zero = ts.tv_sec == 0 && ts.tv_nsec == 0;
		deadline = deadline_after(ts.tv_sec, ts.tv_nsec);
	}
	sigset_t old = 0;
	if (umask) {
		int e = set_temp_mask(umask, sigsetsize, &old);
		if (e)
			return e;
	}
	long r = poll_common(ufds, nfds, zero, deadline);
	if (umask)
		restore_temp_mask(old, r);
	if (uts && !zero && deadline)
		put_remaining_ts(uts, deadline);
	return r;
}

/* ---- select ---- */

#define FD_SETBITS 64
#define SEL_IN (POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define SEL_OUT (POLLOUT | POLLWRNORM | POLLERR)
#define SEL_EX POLLPRI

/* select as a poll over the descriptors set in any of the three sets. */
static long do_select(int n, uint64_t *uin, uint64_t *uout, uint64_t *uex,
                      bool timeout_zero, uint64_t deadline)
{
	if (n < 0)
		return -EINVAL;
	if (n > NR_OPEN)
		n = NR_OPEN;
	size_t words = ((size_t)n + FD_SETBITS - 1) / FD_SETBITS;
	size_t bytes = words * sizeof(uint64_t);
	uint64_t in[NR_OPEN / 64] = { 0 }, out[NR_OPEN / 64] = { 0 }, ex[NR_OPEN / 64] = { 0 };
	if ((uin && copy_from_user(in, uin, bytes)) ||
	    (uout && copy_from_user(out, uout, bytes)) ||
	    (uex && copy_from_user(ex, uex, bytes)))
		return -EFAULT;
	/* Bits at and above n are ignored. */
	if (n % FD_SETBITS && words) {
		uint64_t keep = (1ULL << (n % FD_SETBITS)) - 1;
		in[words - 1] &= keep;
		out[words - 1] &= keep;
		ex[words - 1] &= keep;
	}
	unsigned count = 0;
	for (int fd = 0; fd < n; fd++)
		if ((in[fd / 64] | out[fd / 64] | ex[fd / 64]) & (1ULL << (fd % 64)))
			count++;
	struct pollfd_k *pfds = kmalloc(sizeof(*pfds) * (count ? count : 1));
	if (!pfds)
		return -ENOMEM;
	unsigned k = 0;
	for (int fd = 0; fd < n; fd++) {
		uint64_t bit = 1ULL << (fd % 64);
		bool r = in[fd / 64] & bit, w = out[fd / 64] & bit, x = ex[fd / 64] & bit;
		if (!(r || w || x))
			continue;
		struct file *f = fd_get(fd);
		if (!f) {
			kfree(pfds);
			return -EBADF;
		}
		file_put(f);
		pfds[k].fd = fd;
		pfds[k].events = (short)((r ? SEL_IN : 0) | (w ? SEL_OUT : 0) | (x ? SEL_EX : 0));
		k++;
	}
	long ret = do_poll(pfds, count, timeout_zero, deadline);
	if (ret < 0) {
		kfree(pfds);
		return ret;
	}
	/* A descriptor closed during the wait shows as POLLNVAL: EBADF. */
	uint64_t rin[NR_OPEN / 64] = { 0 }, rout[NR_OPEN / 64] = { 0 }, rex[NR_OPEN / 64] = { 0 };
	ret = 0;
	for (unsigned i = 0; i < count; i++) {
		int fd = pfds[i].fd;
		unsigned ev = (unsigned short)pfds[i].revents;
		unsigned want = (unsigned short)pfds[i].events;
		uint64_t bit = 1ULL << (fd % 64);
		if (ev & POLLNVAL) {
			kfree(pfds);
			return -EBADF;
		}
		if ((want & SEL_IN) && (ev & SEL_IN)) {
			rin[fd / 64] |= bit;
			ret++;
		}
		if ((want & SEL_OUT) && (ev & SEL_OUT)) {
			rout[fd / 64] |= bit;
			ret++;
		}
		if ((want & SEL_EX) && (ev & SEL_EX)) {
			rex[fd / 64] |= bit;
			ret++;
		}
	}
	kfree(pfds);
	if ((uin && copy_to_user(uin, rin, bytes)) ||
	    (uout && copy_to_user(uout, rout, bytes)) ||
	    (uex && copy_to_user(uex, rex, bytes)))
		return -EFAULT;
	return ret;
}

struct k_timeval {
	int64_t tv_sec, tv_usec;
};

long sys_select(int n, uint64_t *uin, uint64_t *uout, uint64_t *uex,
                struct k_timeval *utv)
{
	struct k_timeval tv;
	uint64_t deadline = 0;
	bool zero = false;
	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		/* Linux folds whole seconds of tv_usec into tv_sec first, so
		 * only a negative result is invalid. */
		int64_t sec = tv.tv_sec + tv.tv_usec / 1000000;
		int64_t nsec = tv.tv_usec % 1000000 * (int64_t)NSEC_PER_USEC;
		if (sec < 0 || nsec < 0)
			return -EINVAL;
		zero = sec == 0 && nsec == 0;
		deadline = deadline_after(sec, nsec);
	}
	long r = do_select(n, uin, uout, uex, zero, deadline);
	if (utv && !zero && deadline) {
		uint64_t left = remaining(deadline);
		struct k_timeval t = { (int64_t)(left / NSEC_PER_SEC),
		                       (int64_t)(left % NSEC_PER_SEC / NSEC_PER_USEC) };
		(void)copy_to_user(utv, &t, sizeof(t));
	}
	/* Restart after a signal without handler: the timeout written back
	 * above is what is left, as in Linux. */
	return r == -EINTR ? -ERESTARTNOHAND : r;
}

/* pselect6's sixth argument: { const sigset_t *ss; size_t ss_len; }. */
struct k_sigset_arg {
	const sigset_t *ss;
	size_t ss_len;
};

long sys_pselect6(int n, uint64_t *uin, uint64_t *uout, uint64_t *uex,
                  struct k_timespec *uts, const struct k_sigset_arg *usig)
{
	struct k_timespec ts;
	uint64_t deadline = 0;
	bool zero = false;
	if (uts) {
		int e = get_timespec(uts, &ts);
		if (e)
			return e;
		zero = ts.tv_sec == 0 && ts.tv_nsec == 0;
		deadline = deadline_after(ts.tv_sec, ts.tv_nsec);
	}
	struct k_sigset_arg sa = { NULL, 0 };
	if (usig && copy_from_user(&sa, usig, sizeof(sa)))
		return -EFAULT;
	sigset_t old = 0;
	if (sa.ss) {
		int e = set_temp_mask(sa.ss, sa.ss_len, &old);
		if (e)
			return e;
	}
	long r = do_select(n, uin, uout, uex, zero, deadline);
	if (sa.ss)
		restore_temp_mask(old, r);
	if (uts && !zero && deadline)
		put_remaining_ts(uts, deadline);
	return r;
}
