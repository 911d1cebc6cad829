/*
 * kernel/fs/sys_rw.c - read, write and their vector and positional forms,
 * and lseek.
 *
 * File ops take kernel buffers, so data is bounced through a kernel buffer
 * of at most IO_CHUNK bytes at a time (unless the file copies to the user
 * itself, file_ops.read_user / write_user: a socket's read is its recv,
 * its write its send). The user range is checked before any
 * data is read, so a plainly bad pointer costs no data; a short transfer
 * ends the loop (a pipe or terminal gave what it had), and an error after
 * some progress returns the byte count, as Linux does.
 *
 * readv/writev: a file with file_ops.readv_user / writev_user (a socket)
 * takes the whole iovec in one operation - one datagram each way. Other
 * files get several small pieces (IO_CHUNK in all) as one write, and a
 * pipe or terminal is read once for all of them, as Linux's iov_iter
 * does: per-piece writes broke PIPE_BUF atomicity and split a /proc
 * command, and a second read after data came could block.
 *
 * The file position is only serialised (f->pos_lock) for seekable files:
 * for a terminal or pipe, a reader blocked on input must not stop a writer
 * sharing the same open file (the shell's stdin/stdout are one tty file).
 */
#include "syscalls.h"
#include "mm.h"
#include "vm.h"
#include "uaccess.h"

static bool seekable(struct file *f)
{
	mode_t m = f->inode->mode;
	return S_ISREG(m) || S_ISBLK(m) || S_ISDIR(m);
}

static struct file *get_readable(int fd, long *err)
{
	struct file *f = fd_get(fd);
	*err = -EBADF;
	if (!f)
		return NULL;
	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_WRONLY) {
		file_put(f);
		return NULL;
	}
	*err = 0;
	return f;
}

static struct file *get_writable(int fd, long *err)
{
	struct file *f = fd_get(fd);
	*err = -EBADF;
	if (!f)
		return NULL;
	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_RDONLY) {
		file_put(f);
		return NULL;
	}
	*err = 0;
	return f;
}

/* Read up to n bytes at *off into user memory. */
static long do_read(struct file *f, char *ubuf, size_t n, off_t *off)
{
	if (!f->ops || !f->ops->read)
		return -EINVAL;
	if (!user_range_ok((uint64_t)ubuf, n))
		return -EFAULT;
	if (n == 0)
		return 0;
	if (f->ops->read_user)
		return f->ops->read_user(f, ubuf, n);
	size_t bsz = MIN(n, (size_t)IO_CHUNK);
	char *kbuf = kmalloc(bsz);
	if (!kbuf)
		return -ENOMEM;
	size_t done = 0;
	long err = 0;
	while (done < n) {
		size_t want = MIN(n - done, bsz);
		off_t before = *off;
		ssize_t got = filemap_read(f, kbuf, want, off);
		if (got < 0) {
			err = got;
			break;
		}
		if (got > 0 && copy_to_user(ubuf + done, kbuf, (size_t)got)) {
			/* Undelivered bytes of a seekable file stay unread;
			 * a pipe or tty cannot take them back. */
			*off = before;
			err = -EFAULT;
			break;
		}
		done += (size_t)got;
		/* A pipe, tty or socket gave what it had: asking again
		 * could block although data was delivered. */
		if ((size_t)got < want || !seekable(f))
			break;
	}
	kfree(kbuf);
	return done ? (long)done : err;
}

static long do_write(struct file *f, const char *ubuf, size_t n, off_t *off)
{
	if (!f->ops || !f->ops->write)
		return -EINVAL;
	if (!user_range_ok((uint64_t)ubuf, n))
		return -EFAULT;
	if (n == 0)
		return 0;
	if (f->ops->write_user)
		return f->ops->write_user(f, ubuf, n);
	size_t bsz = MIN(n, (size_t)IO_CHUNK);
	char *kbuf = kmalloc(bsz);
	if (!kbuf)
		return -ENOMEM;
	size_t done = 0;
	long err = 0;
	while (done < n) {
		size_t want = MIN(n - done, bsz);
		if (copy_from_user(kbuf, ubuf + done, want)) {
			err = -EFAULT;
			break;
		}
		ssize_t put = filemap_write(f, kbuf, want, off);
		if (put < 0) {
			err = put;
			break;
		}
		done += (size_t)put;
		if ((size_t)put < want)
			break;
	}
	kfree(kbuf);
	return done ? (long)done : err;
}

/* Transfer at the file position, updating it. */
#define MAX_RW_COUNT 0x7ffff000L /* Linux clamps every transfer to this */

static long rw_at_pos(struct file *f, char *ubuf, size_t n, bool write)
{
	if (!user_range_ok((uint64_t)ubuf, n))
		return -EFAULT;
	n = MIN(n, (size_t)MAX_RW_COUNT);
	bool lock = seekable(f);
	if (lock)
		mutex_lock(&f->pos_lock);
	off_t pos = f->pos;
	long r = write ? do_write(f, ubuf, n, &pos) : do_read(f, ubuf, n, &pos);
	f->pos = pos;
	if (lock)
		mutex_unlock(&f->pos_lock);
	return r;
}

long sys_read(int fd, char *buf, size_t count)
{
	long err;
	struct file *f = get_readable(fd, &err);
	if (!f)
		return err;
	long r = rw_at_pos(f, buf, count, false);
	file_put(f);
	return r;
}

long sys_write(int fd, const char *buf, size_t count)
{
	long err;
	struct file *f = get_writable(fd, &err);
	if (!f)
		return err;
	long r = rw_at_pos(f, (char *)buf, count, true);
	file_put(f);
	return r;
}

static long positional(int fd, char *buf, size_t count, off_t pos, bool write)
{
	long err;
	struct file *f = write ? get_writable(fd, &err) : get_readable(fd, &err);
	if (!f)
		return err;
	mode_t m = f->inode->mode;
	long r;
	if (S_ISFIFO(m) || (m & S_IFMT) == S_IFSOCK ||
	    (S_ISCHR(m) && !(f->ops && f->ops->llseek)))
		r = -ESPIPE;
	else if (pos < 0)
		r = -EINVAL;
	else if (!user_range_ok((uint64_t)buf, count))
		r = -EFAULT;
	else {
		count = MIN(count, (size_t)MAX_RW_COUNT);
		r = write ? do_write(f, buf, count, &pos) : do_read(f, buf, count, &pos);
	}
	file_put(f);
	return r;
}

long sys_pread64(int fd, char *buf, size_t count, off_t pos)
{
	return positional(fd, buf, count, pos, false);
}

long sys_pwrite64(int fd, const char *buf, size_t count, off_t pos)
{
	return positional(fd, (char *)buf, count, pos, true);
}

#define IOV_MAX 1024

/* Copy in and validate an iovec array (the total, in *total, must fit
 * ssize_t). */
static struct iovec *get_iov(const struct iovec *uiov, int cnt, size_t *total, long *err)
{
	*err = -EINVAL;
	if (cnt < 0 || cnt > IOV_MAX)
		return NULL;
	struct iovec *iov = kmalloc(sizeof(*iov) * (size_t)(cnt ? cnt : 1));
	*err = -ENOMEM;
	if (!iov)
		return NULL;
	*err = -EFAULT;
	if (copy_from_user(iov, uiov, sizeof(*iov) * (size_t)cnt))
		goto bad;
	*total = 0;
	for (int i = 0; i < cnt; i++) {
		*err = -EINVAL;
		if ((ssize_t)iov[i].iov_len < 0 ||
		    __builtin_add_overflow(*total, iov[i].iov_len, total) ||
		    (ssize_t)*total < 0)
			goto bad;
		*err = -EFAULT;
		if (!user_range_ok((uint64_t)iov[i].iov_base, iov[i].iov_len))
			goto bad;
	}
	*err = 0;
	return iov;
bad:
	kfree(iov);
	return NULL;
}

/* Move total bytes between the user's iovec and the file in one read
 * or write through a kernel buffer. */
static long rw_gathered(struct file *f, const struct iovec *iov, int cnt, size_t total,
                        bool write, off_t *pos)
{
	if (!f->ops || (write ? !f->ops->write : !f->ops->read))
		return -EINVAL;
	if (total == 0)
		return 0;
	char *kbuf = kmalloc(total);
	if (!kbuf)
		return -ENOMEM;
	long r = 0;
	size_t off = 0;
	if (write) {
		for (int i = 0; i < cnt && !r; i++) {
			if (copy_from_user(kbuf + off, iov[i].iov_base, iov[i].iov_len))
				r = -EFAULT;
			off += iov[i].iov_len;
		}
		if (!r)
			r = filemap_write(f, kbuf, total, pos);
	} else {
		off_t before = *pos;
		r = filemap_read(f, kbuf, total, pos);
		for (int i = 0; i < cnt && r > 0 && off < (size_t)r; i++) {
			size_t n = MIN(iov[i].iov_len, (size_t)r - off);
			if (copy_to_user(iov[i].iov_base, kbuf + off, n)) {
				*pos = before;
				r = -EFAULT;
				break;
			}
			off += n;
		}
	}
	kfree(kbuf);
	return r;
}

/* One read or write per piece, until one comes up short. */
static long rw_each(struct file *f, const struct iovec *iov, int cnt, bool write, off_t *pos)
{
	long done = 0;
	for (int i = 0; i < cnt; i++) {
		long r = write ? do_write(f, iov[i].iov_base, iov[i].iov_len, pos)
		               : do_read(f, iov[i].iov_base, iov[i].iov_len, pos);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return done;
}

/* readv/writev at the file position, or preadv/pwritev at *at (which
 * leave the file position alone). */
static long rw_vec(int fd, const struct iovec *uiov, int cnt, bool write, const off_t *at)
{
	long err;
	struct file *f = write ? get_writable(fd, &err) : get_readable(fd, &err);
	if (!f)
		return err;
	if (at) {
		mode_t m = f->inode->mode;
		err = 0;
		if (S_ISFIFO(m) || (m & S_IFMT) == S_IFSOCK ||
		    (S_ISCHR(m) && !(f->ops && f->ops->llseek)))
			err = -ESPIPE;
		else if (*at < 0)
			err = -EINVAL;
		if (err) {
			file_put(f);
			return err;
		}
	}
	size_t total;
	struct iovec *iov = get_iov(uiov, cnt, &total, &err);
	if (!iov) {
		file_put(f);
		return err;
	}
	ssize_t (*whole)(struct file *, const struct iovec *, int) =
		at || !f->ops ? NULL : write ? f->ops->writev_user : f->ops->readv_user;
	if (whole) {
		long r = whole(f, iov, cnt);
		kfree(iov);
		file_put(f);
		return r;
	}
	bool lock = !at && seekable(f);
	if (lock)
		mutex_lock(&f->pos_lock);
	off_t pos = at ? *at : f->pos;
	long done = 0;
	/* Several small pieces go to the file as one write - a pipe takes
	 * up to PIPE_BUF bytes at once, a /proc file one command, a tty one
	 * burst - and a pipe or tty is read once for all of them: another
	 * read, after data came, could block. */
	if (cnt > 1 && total <= IO_CHUNK && (write || !seekable(f)))
		done = rw_gathered(f, iov, cnt, total, write, &pos);
	else
		done = rw_each(f, iov, cnt, write, &pos);
	if (!at)
		f->pos = pos;
	if (lock)
		mutex_unlock(&f->pos_lock);
	kfree(iov);
	file_put(f);
	return done;
}

long sys_readv(int fd, const struct iovec *iov, int iovcnt)
{
	return rw_vec(fd, iov, iovcnt, false, NULL);
}

long sys_writev(int fd, const struct iovec *iov, int iovcnt)
{
	return rw_vec(fd, iov, iovcnt, true, NULL);
}

/* The offset comes as two halves (pos_l, pos_h) for 32-bit callers; on
 * x86-64 pos_l holds all of it, as Linux's pos_from_hilo works out. */
long sys_preadv(int fd, const struct iovec *iov, int iovcnt, unsigned long pos_l,
                unsigned long pos_h __unused)
{
	off_t pos = (off_t)pos_l;
	return rw_vec(fd, iov, iovcnt, false, &pos);
}

long sys_pwritev(int fd, const struct iovec *iov, int iovcnt, unsigned long pos_l,
                 unsigned long pos_h __unused)
{
	off_t pos = (off_t)pos_l;
	return rw_vec(fd, iov, iovcnt, true, &pos);
}

#define RWF_HIPRI 1
#define RWF_DSYNC 2
#define RWF_SYNC 4

/* preadv2/pwritev2: an offset of -1 means the file position (readv,
 * writev). Of the RWF_ flags only the hints that change nothing here are
 * taken (polling, and sync: writes reach the cache as with O_SYNC);
 * the others (NOWAIT, APPEND, ...) are EOPNOTSUPP, as on a kernel that
 * does not know them. */
static long rw_vec2(int fd, const struct iovec *iov, int iovcnt, unsigned long pos_l, int flags,
                    bool write)
{
	if (flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC))
		return -EOPNOTSUPP;
	off_t pos = (off_t)pos_l;
	if (pos == -1)
		return rw_vec(fd, iov, iovcnt, write, NULL);
	return rw_vec(fd, iov, iovcnt, write, &pos);
}

long sys_preadv2(int fd, const struct iovec *iov, int iovcnt, unsigned long pos_l,
                 unsigned long pos_h __unused, int flags)
{
	return rw_vec2(fd, iov, iovcnt, pos_l, flags, false);
}

long sys_pwritev2(int fd, const struct iovec *iov, int iovcnt, unsigned long pos_l,
                  unsigned long pos_h __unused, int flags)
{
	return rw_vec2(fd, iov, iovcnt, pos_l, flags, true);
}

#define POSIX_FADV_NOREUSE 5

/* fadvise64 and readahead: advice about caching, which RayOS's page
 * cache does not act on; the arguments are checked as Linux does. */
long sys_fadvise64(int fd, off_t offset __unused, off_t len, int advice)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	mode_t m = f->inode->mode;
	long r = 0;
	if (f->flags & O_PATH)
		r = -EBADF;
	else if (S_ISFIFO(m))
		r = -ESPIPE;
	else if (advice < 0 || advice > POSIX_FADV_NOREUSE || len < 0)
		r = -EINVAL;
	file_put(f);
	return r;
}

long sys_readahead(int fd, off_t offset __unused, size_t count __unused)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = 0;
	if ((f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_PATH))
		r = -EBADF;
	else if (!S_ISREG(f->inode->mode) && !S_ISBLK(f->inode->mode))
		r = -EINVAL;
	file_put(f);
	return r;
}

long sys_lseek(int fd, off_t off, unsigned whence)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = vfs_llseek(f, off, (int)whence);
	file_put(f);
	return r;
}

/* sendfile(out, in, offset, count): copy through a kernel buffer. With an
 * offset pointer the input position is read from and stored back to it and
 * in's own position is untouched, as in Linux. */
long sys_sendfile(int out_fd, int in_fd, off_t *uoffset, size_t count)
{
	long err;
	struct file *in = get_readable(in_fd, &err);
	if (!in)
		return err;
	struct file *out = get_writable(out_fd, &err);
	if (!out) {
		file_put(in);
		return err;
	}
	off_t pos = 0;
	char *kbuf = NULL;
	long done = 0;
	err = 0;
	if (!in->ops || !in->ops->read || !out->ops || !out->ops->write)
		err = -EINVAL;
	else if (uoffset && copy_from_user(&pos, uoffset, sizeof(pos)))
		err = -EFAULT;
	else if (uoffset && pos < 0)
		err = -EINVAL;
	else if (!(kbuf = kmalloc(MIN(MAX(count, (size_t)1), (size_t)IO_CHUNK))))
		err = -ENOMEM;
	if (err)
		goto out;
	bool lock = !uoffset && seekable(in);
	if (lock)
		mutex_lock(&in->pos_lock);
	if (!uoffset)
		pos = in->pos;
	count = MIN(count, (size_t)MAX_RW_COUNT);
	while ((size_t)done < count) {
		size_t want = MIN(count - (size_t)done, (size_t)IO_CHUNK);
		off_t before = pos;
		ssize_t got = filemap_read(in, kbuf, want, &pos);
		if (got <= 0) {
			err = got;
			break;
		}
		bool outlock = seekable(out) && out != in;
		if (outlock)
			mutex_lock(&out->pos_lock);
		ssize_t put = filemap_write(out, kbuf, (size_t)got, &out->pos);
		if (outlock)
			mutex_unlock(&out->pos_lock);
		if (put < 0) {
			pos = before; /* nothing of this chunk was delivered */
			err = put;
			break;
		}
		done += put;
		if (put < got) {
			pos = before + put;
			break;
		}
		if ((size_t)got < want)
			break;
	}
	if (!uoffset)
		in->pos = pos;
	if (lock)
		mutex_unlock(&in->pos_lock);
	if (uoffset && copy_to_user(uoffset, &pos, sizeof(pos)) && !done)
		err = -EFAULT;
out:
	kfree(kbuf);
	file_put(in);
	file_put(out);
	return done ? done : err;
}
