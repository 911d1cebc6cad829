/*
 * kernel/fs/pipe.c - pipes and FIFOs.
 *
 * A pipe is a 64 KiB ring buffer (Linux's default capacity; F_SETPIPE_SZ
 * resizes it) with counts of
 * open read and write ends. Readers sleep on rd_wait until there is data or
 * no writer is left (then read returns 0, end of file); writers sleep on
 * wr_wait until there is room. A write of at most PIPE_BUF bytes waits
 * until it fits as a whole, so it is never interleaved with other writers;
 * longer writes go in pieces. Writing with no reader raises SIGPIPE and
 * fails with EPIPE. O_NONBLOCK turns every wait into EAGAIN.
 *
 * pipe(2) makes an anonymous inode on the internal pipefs; a FIFO is an
 * S_IFIFO inode of any file system whose open attaches the shared pipe to
 * inode->pipe (created by the first opener, freed by the last closer, as in
 * Linux where unread FIFO data does not outlive its openers). Opening a
 * FIFO blocks until the other side is open too (POSIX).
 */
#include "vfs.h"
#include "mm.h"
#include "task.h"
#include "signal.h"
#include "uaccess.h"

#define PIPEFS_MAGIC 0x50495045
#define FIONREAD 0x541B

struct pipe {
	mutex_t lock;
	char *buf;
	size_t head, count;   /* read index, bytes stored */
	size_t cap;           /* size of buf: PIPE_SIZE, or F_SETPIPE_SZ's */
	int readers, writers;
	unsigned r_opens, w_opens; /* open generations, for FIFO open waits */
	wait_queue_t rd_wait, wr_wait, open_wait;
};

static mutex_t fifo_lock; /* inode->pipe attach/detach */
static bool pipe_ready;

static void pipe_init_once(void)
{
	if (!pipe_ready) {
		mutex_init(&fifo_lock, "fifo");
		pipe_ready = true;
	}
}

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));
	if (!p)
		return NULL;
	p->cap = PIPE_SIZE;
	p->buf = kmalloc(p->cap);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	mutex_init(&p->lock, "pipe");
	wait_queue_init(&p->rd_wait, "pipe_rd");
	wait_queue_init(&p->wr_wait, "pipe_wr");
	wait_queue_init(&p->open_wait, "pipe_open");
	return p;
}

static void pipe_free(struct pipe *p)
{
	kfree(p->buf);
	kfree(p);
}

static ssize_t pipe_read(struct file *f, void *buf, size_t n,
                         off_t *off __unused)
{
	struct pipe *p = f->priv;
	if (n == 0)
		return 0;
	mutex_lock(&p->lock);
	for (;;) {
		if (p->count > 0) {
			size_t done = 0, want = MIN(n, p->count);
			while (done < want) {
				size_t chunk = MIN(want - done, p->cap - p->head);
				memcpy((char *)buf + done, p->buf + p->head, chunk);
				p->head = (p->head + chunk) % p->cap;
				done += chunk;
			}
			p->count -= done;
			mutex_unlock(&p->lock);
			wake_up(&p->wr_wait);
			return (ssize_t)done;
		}
		if (p->writers == 0) {
			mutex_unlock(&p->lock);
			return 0;
		}
		mutex_unlock(&p->lock);
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(&p->rd_wait,
		                             READ_ONCE(p->count) > 0 ||
		                             READ_ONCE(p->writers) == 0))
			return -ERESTARTSYS; /* SA_RESTART restarts it */
		mutex_lock(&p->lock);
	}
}

static ssize_t pipe_write(struct file *f, const void *buf, size_t n,
                          off_t *off __unused)
{
	struct pipe *p = f->priv;
	size_t done = 0;
	if (n == 0)
		return 0;
	mutex_lock(&p->lock);
	for (;;) {
		if (p->readers == 0) {
			mutex_unlock(&p->lock);
			send_signal(current, SIGPIPE, NULL);
			return done ? (ssize_t)done : -EPIPE;
		}
		/* Small writes wait for room for all of it (atomicity). */
		size_t need = n <= PIPE_BUF ? n : 1;
		size_t space = p->cap - p->count;
		if (space >= need) {
			size_t want = MIN(space, n - done);
			size_t tail = (p->head + p->count) % p->cap, put = 0;
			while (put < want) {
				size_t chunk = MIN(want - put, p->cap - tail);
				memcpy(p->buf + tail, (const char *)buf + done + put, chunk);
				tail = (tail + chunk) % p->cap;
				put += chunk;
			}
			p->count += put;
			done += put;
			wake_up(&p->rd_wait);
			if (done == n) {
				mutex_unlock(&p->lock);
				return (ssize_t)done;
			}
			continue;
		}
		mutex_unlock(&p->lock);
		if (f->flags & O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		if (wait_event_interruptible(&p->wr_wait,
		                             READ_ONCE(p->cap) - READ_ONCE(p->count) >= need ||
		                             READ_ONCE(p->readers) == 0))
			return done ? (ssize_t)done : -ERESTARTSYS;
		mutex_lock(&p->lock);
	}
}

static long pipe_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct pipe *p = f->priv;
	if (cmd != FIONREAD)
		return -ENOTTY;
	int n = (int)READ_ONCE(p->count);
	return copy_to_user((void *)arg, &n, sizeof(n));
}

static unsigned pipe_poll(struct file *f, wait_queue_t *wq[2])
{
	struct pipe *p = f->priv;
	unsigned acc = f->flags & O_ACCMODE, ev = 0;
	if (wq) {
		wq[0] = &p->rd_wait;
		wq[1] = &p->wr_wait;
	}
	size_t count = READ_ONCE(p->count);
	if (acc != O_WRONLY) {
		if (count > 0)
			ev |= POLLIN | POLLRDNORM;
		if (READ_ONCE(p->writers) == 0)
			ev |= POLLHUP;
	}
	if (acc != O_RDONLY) {
		if (READ_ONCE(p->cap) - count >= PIPE_BUF)
			ev |= POLLOUT | POLLWRNORM;
		if (READ_ONCE(p->readers) == 0)
			ev |= POLLERR;
	}
	return ev;
}

/* Drop this end; the last one frees the pipe. */
static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	unsigned acc = f->flags & O_ACCMODE;
	pipe_init_once();
	mutex_lock(&fifo_lock);
	mutex_lock(&p->lock);
	if (acc == O_RDONLY || acc == O_RDWR)
		p->readers--;
	if (acc == O_WRONLY || acc == O_RDWR)
		p->writers--;
	bool last = p->readers == 0 && p->writers == 0;
	mutex_unlock(&p->lock);
	if (last && f->inode->pipe == p)
		f->inode->pipe = NULL;
	mutex_unlock(&fifo_lock);
	wake_up(&p->rd_wait);
	wake_up(&p->wr_wait);
	if (last)
		pipe_free(p);
}

static off_t pipe_llseek(struct file *f __unused, off_t off __unused,
                         int whence __unused)
{
	return -ESPIPE;
}

static const struct file_ops pipe_file_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
	.llseek = pipe_llseek,
	.poll = pipe_poll,
};

bool file_is_pipe(const struct file *f)
{
	return f->ops == &pipe_file_ops;
}

#define PIPE_MAX_SIZE (1024 * 1024) /* /proc/sys/fs/pipe-max-size */

/* F_GETPIPE_SZ and F_SETPIPE_SZ. As in Linux, a new size is rounded up
 * to a power of two of at least a page; more than pipe-max-size needs
 * root; shrinking below what the pipe holds is EBUSY. The stored bytes
 * move to the new buffer in order. */
long pipe_fcntl(struct file *f, unsigned cmd, unsigned arg)
{
	if (!file_is_pipe(f))
		return -EBADF;
	struct pipe *p = f->priv;
	if (cmd == F_GETPIPE_SZ)
		return (long)READ_ONCE(p->cap);
	if (arg > (1U << 31))
		return -EINVAL;
	size_t size = PAGE_SIZE;
	while (size < arg)
		size <<= 1;
	if (size > PIPE_MAX_SIZE && size > p->cap && current->cred.euid != 0)
		return -EPERM;
	char *nbuf = kmalloc(size);
	if (!nbuf)
		return -ENOMEM;
	mutex_lock(&p->lock);
	if (p->count > size) {
		mutex_unlock(&p->lock);
		kfree(nbuf);
		return -EBUSY;
	}
	for (size_t done = 0; done < p->count;) {
		size_t at = (p->head + done) % p->cap;
		size_t chunk = MIN(p->count - done, p->cap - at);
		memcpy(nbuf + done, p->buf + at, chunk);
		done += chunk;
	}
	kfree(p->buf);
	p->buf = nbuf;
	p->head = 0;
	p->cap = size;
	mutex_unlock(&p->lock);
	wake_up(&p->wr_wait);
	return (long)size;
}

static const struct super_ops pipefs_ops = { 0 };
static struct super_block *pipefs;

int pipe_create(struct file **rd, struct file **wr, unsigned flags)
{
	pipe_init_once();
	if (!pipefs) {
		struct super_block *sb = super_alloc("pipefs", PIPEFS_MAGIC, &pipefs_ops);
		if (!sb)
			return -ENOMEM;
		if (__atomic_exchange_n(&pipefs, sb, __ATOMIC_SEQ_CST))
			kprintf_once(KERN_WARNING "pipe: pipefs raced\n");
	}
	struct pipe *p = pipe_alloc();
	if (!p)
		return -ENOMEM;
	struct inode *ino = inode_alloc(pipefs, S_IFIFO | 0600);
	if (!ino) {
		pipe_free(p);
		return -ENOMEM;
	}
	ino->fops = &pipe_file_ops;
	struct file *r = file_alloc(ino, O_RDONLY | (flags & O_NONBLOCK));
	struct file *w = file_alloc(ino, O_WRONLY | (flags & O_NONBLOCK));
	inode_put(ino);
	if (!r || !w) {
		/* Not yet counted as ends: free by hand, without release. */
		if (r) {
			inode_put(r->inode);
			kfree(r);
		}
		if (w) {
			inode_put(w->inode);
			kfree(w);
		}
		pipe_free(p);
		return -ENOMEM;
	}
	r->priv = w->priv = p;
	p->readers = p->writers = 1;
	*rd = r;
	*wr = w;
	return 0;
}

/* ---- FIFOs ---- */

static int fifo_open(struct inode *ino, struct file *f)
{
	unsigned acc = f->flags & O_ACCMODE;
	bool nonblock = f->flags & O_NONBLOCK;
	pipe_init_once();
	mutex_lock(&fifo_lock);
	struct pipe *p = ino->pipe;
	if (!p) {
		p = ino->pipe = pipe_alloc();
		if (!p) {
			mutex_unlock(&fifo_lock);
			return -ENOMEM;
		}
	}
	mutex_lock(&p->lock);
	if (acc == O_WRONLY && nonblock && p->readers == 0) {
		bool unused = p->writers == 0;
		mutex_unlock(&p->lock);
		if (unused) {
			ino->pipe = NULL;
			pipe_free(p);
		}
		mutex_unlock(&fifo_lock);
		return -ENXIO;
	}
	if (acc != O_WRONLY) {
		p->readers++;
		p->r_opens++;
	}
	if (acc != O_RDONLY) {
		p->writers++;
		p->w_opens++;
	}
	unsigned r_gen = p->r_opens, w_gen = p->w_opens;
	mutex_unlock(&p->lock);
	mutex_unlock(&fifo_lock);
	f->priv = p;
	f->ops = &pipe_file_ops;
	wake_up(&p->open_wait);
	wake_up(&p->rd_wait);

	int err = 0;
	if (acc == O_RDONLY && !nonblock)
		err = wait_event_interruptible(&p->open_wait,
		        READ_ONCE(p->writers) > 0 || READ_ONCE(p->w_opens) != w_gen);
	else if (acc == O_WRONLY)
		err = wait_event_interruptible(&p->open_wait,
		        READ_ONCE(p->readers) > 0 || READ_ONCE(p->r_opens) != r_gen);
	if (err) {
		pipe_release(f); /* undo our end: the VFS won't release it */
		return -ERESTARTSYS;
	}
	return 0;
}

const struct file_ops fifo_file_ops = { .open = fifo_open };

void fifo_inode_evict(struct inode *ino)
{
	/* The last closer frees the pipe, and an open FIFO holds its inode,
	 * so nothing should be left; be safe against leaks anyway. */
	if (ino->pipe) {
		pipe_free(ino->pipe);
		ino->pipe = NULL;
	}
}
