/*
 * kernel/fs/locks.c - advisory file locks: POSIX record locks (fcntl
 * F_GETLK, F_SETLK, F_SETLKW) and BSD whole-file locks (flock).
 *
 * Both kinds are kept in lists keyed by inode, so they work on any file
 * system. A record lock belongs to an owner and covers a byte range
 * [start, end] (end ~0 = to end of file); an owner's locks are split and
 * merged as Linux does, so F_GETLK reports the same ranges. The owner of
 * a POSIX lock is a process (its tgid): all its locks on a file go when
 * it closes any descriptor of that file, or exits. The owner of an open
 * file description lock (F_OFD_SETLK...) is the description (struct file
 * pointer: never equal to a pid): its locks go when its last reference
 * closes, and F_GETLK reports their pid as -1, as Linux. The two kinds
 * conflict like any two owners. A flock lock belongs to an open file
 * description and goes when it is unlocked or its last reference closes.
 *
 * One mutex guards both lists and one wait queue serves every blocked
 * locker: each unlock wakes all of them to look again. F_SETLKW detects the
 * simple deadlock of two processes each waiting for the other (EDEADLK).
 */
#include "kernel.h"
#include "mm.h"
#include "task.h"
#include "uaccess.h"
#include "vfs.h"

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define OFF_MAX 0x7fffffffffffffffLL

struct posix_lock {
	struct inode *inode;
	uint64_t owner;         /* a tgid, or an OFD lock's struct file */
	pid_t pid;              /* F_GETLK's l_pid: the tgid, or -1 (OFD) */
	int type;               /* F_RDLCK or F_WRLCK */
	int64_t start, end;     /* inclusive; end OFF_MAX = to EOF */
	struct posix_lock *next;
};

struct flock_lock {
	struct inode *inode;
	struct file *owner;
	int type;               /* LOCK_SH or LOCK_EX */
	struct flock_lock *next;
};

static mutex_t locks_lock;
static bool locks_ready;
static struct posix_lock *posix_locks;
static struct flock_lock *flock_locks;
static wait_queue_t locks_wq = WAIT_QUEUE_INIT("locks");
/* Who waits for whom (deadlock detection): a few blocked processes. */
#define MAX_WAITERS 64
static struct { pid_t waiter, holder; } waits[MAX_WAITERS];

static void locks_lock_init(void)
{
	if (!locks_ready) {
		mutex_init(&locks_lock, "locks");
		locks_ready = true;
	}
}

struct k_flock {
	int16_t type, whence;
	int32_t pad;
	int64_t start, len;
	int32_t pid, pad2;
};

static bool overlap(const struct posix_lock *a, int64_t start, int64_t end)
{
	return a->start <= end && start <= a->end;
}

/* The conflicting lock that starts first (Linux keeps each owner's locks
 * sorted, so F_GETLK reports that one). */
static struct posix_lock *conflict(struct inode *ino, uint64_t me, int type, int64_t start, int64_t end)
{
	struct posix_lock *best = NULL;
	for (struct posix_lock *l = posix_locks; l; l = l->next)
		if (l->inode == ino && l->owner != me && overlap(l, start, end) &&
		    (type == F_WRLCK || l->type == F_WRLCK) && (!best || l->start < best->start))
			best = l;
	return best;
}

static int add_lock(struct inode *ino, uint64_t owner, pid_t pid, int type, int64_t start,
                    int64_t end)
{
	struct posix_lock *n = kmalloc(sizeof(*n));
	if (!n)
		return -ENOLCK;
	n->inode = ino;
	n->owner = owner;
	n->pid = pid;
	n->type = type;
	n->start = start;
	n->end = end;
	n->next = posix_locks;
	posix_locks = n;
	return 0;
}

/* Remove [start, end] from owner's locks on ino, splitting as needed. */
static int punch(struct inode *ino, uint64_t owner, int64_t start, int64_t end)
{
	for (struct posix_lock **pp = &posix_locks; *pp;) {
		struct posix_lock *l = *pp;
		if (l->inode != ino || l->owner != owner || !overlap(l, start, end)) {
			pp = &l->next;
			continue;
		}
		if (l->start < start && l->end > end) {
			/* Split in two: keep the head here, add the tail. */
			int r = add_lock(ino, owner, l->pid, l->type, end + 1, l->end);
			if (r)
				return r;
			l->end = start - 1;
			pp = &l->next;
		} else if (l->start < start) {
			l->end = start - 1;
			pp = &l->next;
		} else if (l->end > end) {
			l->start = end + 1;
			pp = &l->next;
		} else {
			*pp = l->next;
			kfree(l);
		}
	}
	return 0;
}

/* Merge owner's locks of one type that touch or overlap. */
static void coalesce(struct inode *ino, uint64_t owner)
{
	bool again = true;
	while (again) {
		again = false;
		for (struct posix_lock *a = posix_locks; a && !again; a = a->next) {
			if (a->inode != ino || a->owner != owner)
				continue;
			for (struct posix_lock **pp = &posix_locks; *pp; pp = &(*pp)->next) {
				struct posix_lock *b = *pp;
				if (b == a || b->inode != ino || b->owner != owner || b->type != a->type)
					continue;
				bool touch = (a->end == OFF_MAX || b->start <= a->end + 1) &&
				             (b->end == OFF_MAX || a->start <= b->end + 1);
				if (!touch)
					continue;
				a->start = MIN(a->start, b->start);
				a->end = MAX(a->end, b->end);
				*pp = b->next;
				kfree(b);
				again = true;
				break;
			}
		}
	}
}

static bool would_deadlock(pid_t me, pid_t holder)
{
	/* Follow holder's wait chain a few steps; reaching me is a cycle. */
	for (int step = 0; step < MAX_WAITERS; step++) {
		pid_t next = 0;
		for (int i = 0; i < MAX_WAITERS; i++)
			if (waits[i].waiter == holder)
				next = waits[i].holder;
		if (!next)
			return false;
		if (next == me)
			return true;
		holder = next;
	}
	return false;
}

/* Record that me waits for holder (0: no longer waits). */
static void set_waiting(pid_t me, pid_t holder)
{
	for (int i = 0; i < MAX_WAITERS; i++)
		if (waits[i].waiter == me) {
			waits[i].holder = holder;
			if (!holder)
				waits[i].waiter = 0;
			return;
		}
	for (int i = 0; holder && i < MAX_WAITERS; i++)
		if (!waits[i].waiter) {
			waits[i].waiter = me;
			waits[i].holder = holder;
			return;
		}
}

/* Turn a struct flock into an inclusive range. */
static int get_range(struct file *f, const struct k_flock *fl, int64_t *start, int64_t *end)
{
	int64_t base;
	switch (fl->whence) {
	case 0: base = 0; break;
	case 1: base = f->pos; break;
	case 2: base = (int64_t)file_size(f); break;
	default: return -EINVAL;
	}
	int64_t s = base + fl->start;
	if (s < 0)
		return -EINVAL;
	if (fl->len > 0) {
		*start = s;
		*end = fl->len - 1 > OFF_MAX - s ? OFF_MAX : s + fl->len - 1;
	} else if (fl->len < 0) {
		if (s + fl->len < 0)
			return -EINVAL;
		*start = s + fl->len;
		*end = s - 1;
	} else {
		*start = s;
		*end = OFF_MAX;
	}
	return 0;
}

long fcntl_lock(struct file *f, unsigned cmd, void *uarg)
{
	struct k_flock fl;
	if (copy_from_user(&fl, uarg, sizeof(fl)))
		return -EFAULT;
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	if (ofd && fl.pid != 0)
		return -EINVAL;
	if (fl.type != F_RDLCK && fl.type != F_WRLCK && fl.type != F_UNLCK)
		return -EINVAL;
	int64_t start, end;
	int r = get_range(f, &fl, &start, &end);
	if (r)
		return r;
	locks_lock_init();
	pid_t me_pid = ofd ? -1 : current->tgid;
	uint64_t me = ofd ? (uint64_t)(uintptr_t)f : (uint64_t)current->tgid;
	bool wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
	struct inode *ino = f->inode;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (fl.type == F_UNLCK)
			return -EINVAL;
		mutex_lock(&locks_lock);
		struct posix_lock *c = conflict(ino, me, fl.type, start, end);
		if (c) {
			fl.type = c->type;
			fl.whence = 0;
			fl.start = c->start;
			fl.len = c->end == OFF_MAX ? 0 : c->end - c->start + 1;
			fl.pid = c->pid;
		} else {
			fl.type = F_UNLCK;
		}
		mutex_unlock(&locks_lock);
		return copy_to_user(uarg, &fl, sizeof(fl)) ? -EFAULT : 0;
	}
	unsigned acc = f->flags & O_ACCMODE;
	if ((fl.type == F_RDLCK && acc == O_WRONLY) || (fl.type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	mutex_lock(&locks_lock);
	for (;;) {
		struct posix_lock *c = fl.type == F_UNLCK ? NULL : conflict(ino, me, fl.type, start, end);
		if (!c)
			break;
		if (!wait) {
			mutex_unlock(&locks_lock);
			return -EAGAIN;
		}
		/* Deadlocks are detected between processes only (as Linux:
		 * an OFD lock has no process to follow). */
		pid_t holder = c->pid;
		bool track = !ofd && holder > 0;
		if (track && would_deadlock(me_pid, holder)) {
			mutex_unlock(&locks_lock);
			return -EDEADLK;
		}
		if (track)
			set_waiting(me_pid, holder);
		mutex_unlock(&locks_lock);
		int w = wait_event_interruptible(&locks_wq,
		                                 ({ mutex_lock(&locks_lock);
		                                    bool free_ = !conflict(ino, me, fl.type, start, end);
		                                    mutex_unlock(&locks_lock);
		                                    free_; }));
		mutex_lock(&locks_lock);
		if (track)
			set_waiting(me_pid, 0);
		if (w) {
			mutex_unlock(&locks_lock);
			return -ERESTARTSYS;
		}
	}
	r = punch(ino, me, start, end);
	if (!r && fl.type != F_UNLCK) {
		r = add_lock(ino, me, me_pid, fl.type, start, end);
		coalesce(ino, me);
	}
	mutex_unlock(&locks_lock);
	wake_up(&locks_wq);
	return r;
}

/* close(2) of any descriptor of the file ends the process's record locks. */
void locks_close(struct file *f, pid_t owner)
{
	if (!locks_ready || !f || !f->inode)
		return;
	mutex_lock(&locks_lock);
	bool any = false;
	for (struct posix_lock **pp = &posix_locks; *pp;) {
		struct posix_lock *l = *pp;
		if (l->inode == f->inode && l->owner == (uint64_t)owner) {
			*pp = l->next;
			kfree(l);
			any = true;
			continue;
		}
		pp = &l->next;
	}
	mutex_unlock(&locks_lock);
	if (any)
		wake_up(&locks_wq);
}

/* A process ends: all its record locks go. */
void locks_exit(pid_t owner)
{
	if (!locks_ready)
		return;
	mutex_lock(&locks_lock);
	bool any = false;
	for (struct posix_lock **pp = &posix_locks; *pp;) {
		struct posix_lock *l = *pp;
		if (l->owner == (uint64_t)owner) {
			*pp = l->next;
			kfree(l);
			any = true;
			continue;
		}
		pp = &l->next;
	}
	set_waiting(owner, 0);
	mutex_unlock(&locks_lock);
	if (any)
		wake_up(&locks_wq);
}

/* ---- flock ---- */

static struct flock_lock *flock_conflict(struct inode *ino, struct file *me, int type)
{
	for (struct flock_lock *l = flock_locks; l; l = l->next)
		if (l->inode == ino && l->owner != me && (type == LOCK_EX || l->type == LOCK_EX))
			return l;
	return NULL;
}

static void flock_remove(struct file *f)
{
	for (struct flock_lock **pp = &flock_locks; *pp; pp = &(*pp)->next)
		if ((*pp)->owner == f) {
			struct flock_lock *l = *pp;
			*pp = l->next;
			kfree(l);
			return;
		}
}

long sys_flock(int fd, int op)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int type = op & ~LOCK_NB;
	if (type != LOCK_SH && type != LOCK_EX && type != LOCK_UN) {
		file_put(f);
		return -EINVAL;
	}
	locks_lock_init();
	struct inode *ino = f->inode;
	long r = 0;
	mutex_lock(&locks_lock);
	if (type == LOCK_UN) {
		flock_remove(f);
		mutex_unlock(&locks_lock);
		wake_up(&locks_wq);
		file_put(f);
		return 0;
	}
	/* A conversion drops the old lock first (not atomic, as in Linux). */
	bool had = false;
	for (struct flock_lock *l = flock_locks; l; l = l->next)
		if (l->owner == f) {
			if (l->type == type) {
				mutex_unlock(&locks_lock);
				file_put(f);
				return 0;
			}
			had = true;
		}
	if (had) {
		flock_remove(f);
		wake_up(&locks_wq);
	}
	while (flock_conflict(ino, f, type)) {
		if (op & LOCK_NB) {
			r = -EAGAIN; /* EWOULDBLOCK */
			break;
		}
		mutex_unlock(&locks_lock);
		int w = wait_event_interruptible(&locks_wq,
		                                 ({ mutex_lock(&locks_lock);
		                                    bool free_ = !flock_conflict(ino, f, type);
		                                    mutex_unlock(&locks_lock);
		                                    free_; }));
		mutex_lock(&locks_lock);
		if (w) {
			r = -ERESTARTSYS;
			break;
		}
	}
	if (!r) {
		struct flock_lock *n = kmalloc(sizeof(*n));
		if (!n) {
			r = -ENOLCK;
		} else {
			n->inode = ino;
			n->owner = f;
			n->type = type;
			n->next = flock_locks;
			flock_locks = n;
		}
	}
	mutex_unlock(&locks_lock);
	file_put(f);
	return r;
}

/* The last reference to an open file description is gone. */
void locks_file_release(struct file *f)
{
	if (!locks_ready)
		return;
	mutex_lock(&locks_lock);
	bool any = false;
	for (struct flock_lock *l = flock_locks; l; l = l->next)
		any |= l->owner == f;
	if (any)
		flock_remove(f);
	/* The description's OFD record locks go with it. */
	for (struct posix_lock **pp = &posix_locks; *pp;) {
		struct posix_lock *l = *pp;
		if (l->owner == (uint64_t)(uintptr_t)f) {
			*pp = l->next;
			kfree(l);
			any = true;
			continue;
		}
		pp = &l->next;
	}
	mutex_unlock(&locks_lock);
	if (any)
		wake_up(&locks_wq);
}
