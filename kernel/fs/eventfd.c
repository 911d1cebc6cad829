/*
 * kernel/fs/eventfd.c - eventfd(2), eventfd2(2): a 64-bit counter as a file.
 *
 * As in Linux: write adds its 8-byte value (0xffffffffffffffff is EINVAL)
 * and blocks, or fails with EAGAIN, while the sum would exceed
 * 0xfffffffffffffffe; read blocks (EAGAIN) while the counter is 0, then
 * returns it and resets it to 0, or with EFD_SEMAPHORE returns 1 and
 * decrements it. Buffers shorter than 8 bytes are EINVAL. The file is
 * readable while the counter is non-zero and writable while at least 1 can
 * be added. One wait queue serves both directions: every change wakes all
 * waiters, who re-check.
 */
#include "kernel.h"
#include "mm.h"
#include "poll.h"
#include "task.h"

#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK
#define EFD_MAX 0xfffffffffffffffeULL

struct eventfd {
	spinlock_t lock;
	uint64_t count;
	bool semaphore;
	wait_queue_t wq;
};

static ssize_t efd_read(struct file *f, void *buf, size_t n, off_t *off __unused)
{
	struct eventfd *e = f->priv;
	if (n < sizeof(uint64_t))
		return -EINVAL;
	for (;;) {
		spin_lock(&e->lock);
		if (e->count) {
			uint64_t v = e->semaphore ? 1 : e->count;
			e->count -= v;
			spin_unlock(&e->lock);
			memcpy(buf, &v, sizeof(v));
			wake_up(&e->wq);
			return sizeof(v);
		}
		spin_unlock(&e->lock);
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(&e->wq, READ_ONCE(e->count) != 0))
			return -ERESTARTSYS;
	}
}

static ssize_t efd_write(struct file *f, const void *buf, size_t n, off_t *off __unused)
{
	struct eventfd *e = f->priv;
	uint64_t v;
	if (n < sizeof(v))
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	if (v == ~0ULL)
		return -EINVAL;
	for (;;) {
		spin_lock(&e->lock);
		if (EFD_MAX - e->count >= v) {
			e->count += v;
			spin_unlock(&e->lock);
			if (v)
				wake_up(&e->wq);
			return sizeof(v);
		}
		spin_unlock(&e->lock);
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(&e->wq, EFD_MAX - READ_ONCE(e->count) >= v))
			return -ERESTARTSYS;
	}
}

static unsigned efd_poll(struct file *f, wait_queue_t *wq[2])
{
	struct eventfd *e = f->priv;
	if (wq)
		wq[0] = wq[1] = &e->wq;
	uint64_t c = READ_ONCE(e->count);
	unsigned ev = 0;
	if (c > 0)
		ev |= POLLIN | POLLRDNORM;
	if (c == ~0ULL)
		ev |= POLLERR;
	if (c < EFD_MAX)
		ev |= POLLOUT | POLLWRNORM;
	return ev;
}

static void efd_release(struct file *f)
{
	kfree(f->priv);
}

/* Linux's noop_llseek: succeeds without moving. */
static off_t efd_llseek(struct file *f, off_t off __unused, int whence __unused)
{
	return f->pos;
}

static const struct file_ops eventfd_ops = {
	.read = efd_read,
	.write = efd_write,
	.poll = efd_poll,
	.release = efd_release,
	.llseek = efd_llseek,
};

long sys_eventfd2(unsigned initval, int flags)
{
	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	struct eventfd *e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	spin_init(&e->lock, "eventfd");
	wait_queue_init(&e->wq, "eventfd");
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	struct file *f = anon_file_create("[eventfd]", &eventfd_ops, e, O_RDWR | (flags & EFD_NONBLOCK));
	if (!f) {
		kfree(e);
		return -ENOMEM;
	}
	int fd = fd_install(current->files, f, 0, flags & EFD_CLOEXEC);
	file_put(f); /* on failure this frees e through release */
	return fd;
}

long sys_eventfd(unsigned initval)
{
	return sys_eventfd2(initval, 0);
}
