/*
 * kernel/proc/timerfd.c - timerfd_create, timerfd_settime, timerfd_gettime:
 * a timer whose expirations are read from a file descriptor.
 *
 * A ktimer counts expirations into `ticks` and wakes the file's wait
 * queue from the timer interrupt; read(2) returns the count as 8 bytes and
 * resets it (EAGAIN or block while it is 0); poll reports POLLIN while it
 * is non-zero, so timerfds work with poll, select and epoll.
 */
#include "kernel.h"
#include "ktime.h"
#include "ktimer.h"
#include "mm.h"
#include "poll.h"
#include "task.h"
#include "uaccess.h"
#include "vfs.h"

#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2
#define TFD_CLOEXEC O_CLOEXEC
#define TFD_NONBLOCK O_NONBLOCK
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7

struct k_timespec {
	int64_t sec, nsec;
};
struct k_itimerspec {
	struct k_timespec interval, value;
};
int ktimer_set_from_user_spec(struct ktimer *kt, int clk, int flags,
                              const struct k_itimerspec *nv, uint64_t *interval);
void ktimer_read_spec(struct ktimer *kt, uint64_t interval, struct k_itimerspec *v);

struct timerfd {
	struct ktimer kt; /* first: the callback casts back */
	int clock;
	uint64_t interval;
	uint64_t ticks;
	wait_queue_t wq;
};

static void tfd_fire(struct ktimer *kt)
{
	struct timerfd *t = (struct timerfd *)kt;
	t->ticks++;
	if (t->interval) {
		uint64_t next = kt->expires + t->interval, now = time_ns();
		if (next <= now) {
			uint64_t missed = (now - next) / t->interval + 1;
			t->ticks += missed;
			next += missed * t->interval;
		}
		ktimer_arm(kt, next);
	}
	wake_up(&t->wq);
}

static ssize_t tfd_read(struct file *f, void *buf, size_t n, off_t *off __unused)
{
	struct timerfd *t = f->priv;
	if (n < sizeof(uint64_t))
		return -EINVAL;
	for (;;) {
		irq_push_off();
		uint64_t v = t->ticks;
		t->ticks = 0;
		irq_pop_off();
		if (v) {
			memcpy(buf, &v, sizeof(v));
			return sizeof(v);
		}
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(&t->wq, READ_ONCE(t->ticks) != 0))
			return -ERESTARTSYS;
	}
}

static ssize_t tfd_write(struct file *f __unused, const void *buf __unused, size_t n __unused,
                         off_t *off __unused)
{
	return -EINVAL; /* Linux: a timerfd has no write */
}

static unsigned tfd_poll(struct file *f, wait_queue_t *wq[2])
{
	struct timerfd *t = f->priv;
	if (wq) {
		wq[0] = &t->wq;
		wq[1] = NULL;
	}
	return READ_ONCE(t->ticks) ? POLLIN | POLLRDNORM : 0;
}

static void tfd_release(struct file *f)
{
	struct timerfd *t = f->priv;
	ktimer_cancel(&t->kt);
	kfree(t);
}

static off_t tfd_llseek(struct file *f, off_t off __unused, int whence __unused)
{
	return f->pos; /* Linux's noop_llseek */
}

static const struct file_ops timerfd_ops = {
	.read = tfd_read,
	.write = tfd_write,
	.poll = tfd_poll,
	.release = tfd_release,
	.llseek = tfd_llseek,
};

long sys_timerfd_create(int clk, int flags)
{
	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC && clk != CLOCK_BOOTTIME)
		return -EINVAL;
	struct timerfd *t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	ktimer_init_irq(&t->kt, tfd_fire, NULL);
	t->clock = clk;
	wait_queue_init(&t->wq, "timerfd");
	struct file *f = anon_file_create("[timerfd]", &timerfd_ops, t, O_RDWR | (flags & TFD_NONBLOCK));
	if (!f) {
		kfree(t);
		return -ENOMEM;
	}
	int fd = fd_install(current->files, f, 0, flags & TFD_CLOEXEC);
	file_put(f);
	return fd;
}

/* The timerfd behind fd, with a file reference in *fp. */
static struct timerfd *tfd_get(int fd, struct file **fp, long *err)
{
	struct file *f = fd_get(fd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (f->ops != &timerfd_ops) {
		file_put(f);
		*err = -EINVAL;
		return NULL;
	}
	*fp = f;
	return f->priv;
}

long sys_timerfd_settime(int fd, int flags, const struct k_itimerspec *unew, struct k_itimerspec *uold)
{
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	long err = 0;
	struct file *f;
	struct timerfd *t = tfd_get(fd, &f, &err);
	if (!t)
		return err;
	struct k_itimerspec nv, old;
	if (copy_from_user(&nv, unew, sizeof(nv))) {
		file_put(f);
		return -EFAULT;
	}
	ktimer_read_spec(&t->kt, t->interval, &old);
	irq_push_off();
	uint64_t interval = t->interval;
	int r = ktimer_set_from_user_spec(&t->kt, t->clock, flags & TFD_TIMER_ABSTIME, &nv, &interval);
	if (!r) {
		t->interval = interval;
		t->ticks = 0;
	}
	irq_pop_off();
	file_put(f);
	if (r)
		return r;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_timerfd_gettime(int fd, struct k_itimerspec *u)
{
	long err = 0;
	struct file *f;
	struct timerfd *t = tfd_get(fd, &f, &err);
	if (!t)
		return err;
	struct k_itimerspec v;
	ktimer_read_spec(&t->kt, t->interval, &v);
	file_put(f);
	return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
}
