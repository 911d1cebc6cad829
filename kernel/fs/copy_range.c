/*
 * kernel/fs/copy_range.c - copy_file_range(2): copy bytes between two
 * regular files inside the kernel, through a bounce buffer (no file system
 * here shares or clones extents).
 *
 * As in Linux: flags must be 0; the input must be open for reading and the
 * output for writing without O_APPEND (EBADF); both must be regular files
 * (EISDIR for a directory, EINVAL otherwise) on the same file system
 * (EXDEV); overlapping ranges of one file are EINVAL. An offset pointer is
 * used and advanced instead of the file's position, which then stays.
 * Offsets are checked in Linux's order (see below): a negative one is
 * EOVERFLOW, and nothing at or past the input's end is copied.
 */
#include "vfs.h"
#include "mm.h"
#include "task.h"
#include "uaccess.h"

#define CHUNK 65536
#define MAX_COUNT 0x7ffff000L

static long check_file(struct file *f, bool out)
{
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	unsigned acc = f->flags & O_ACCMODE;
	if (out && (acc == O_RDONLY || (f->flags & O_APPEND)))
		return -EBADF;
	if (!out && acc == O_WRONLY)
		return -EBADF;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!S_ISREG(f->inode->mode) || !f->ops || (out && !f->ops->write) || (!out && !f->ops->read))
		return -EINVAL;
	return 0;
}

long sys_copy_file_range(int fd_in, off_t *uoff_in, int fd_out, off_t *uoff_out, size_t len,
                         unsigned flags)
{
	if (flags)
		return -EINVAL;
	struct file *in = fd_get(fd_in), *out = fd_get(fd_out);
	char *buf = NULL;
	long err = check_file(in, false);
	if (!err)
		err = check_file(out, true);
	off_t pin = 0, pout = 0;
	if (!err && ((uoff_in && copy_from_user(&pin, uoff_in, sizeof(pin))) ||
	             (uoff_out && copy_from_user(&pout, uoff_out, sizeof(pout)))))
		err = -EFAULT;
	long done = 0;
	if (err)
		goto out;
	if (in->inode->sb != out->inode->sb) {
		err = -EXDEV;
		goto out;
	}
	bool lock_in = !uoff_in, lock_out = !uoff_out && out != in;
	if (lock_in)
		mutex_lock(&in->pos_lock);
	if (lock_out)
		mutex_lock(&out->pos_lock);
	if (!uoff_in)
		pin = in->pos;
	if (!uoff_out)
		pout = out->pos;
	len = MIN(len, (size_t)MAX_COUNT);
	/* Linux's order: negative offsets, the copy cut at the input's end
	 * (nothing past it), then wrap-around and overlap. */
	off_t size_in = (off_t)READ_ONCE(in->inode->size);
	if (pin < 0 || pout < 0)
		err = -EOVERFLOW;
	else if (pin >= size_in)
		len = 0;
	else
		len = MIN(len, (size_t)(size_in - pin));
	if (err)
		;
	else if ((off_t)(pout + (off_t)len) < pout)
		err = -EOVERFLOW;
	else if (in->inode == out->inode && len && pin < pout + (off_t)len && pout < pin + (off_t)len)
		err = -EINVAL;
	else if (len && !(buf = kmalloc(MIN(len, (size_t)CHUNK))))
		err = -ENOMEM;
	while (!err && (size_t)done < len) {
		size_t want = MIN(len - (size_t)done, (size_t)CHUNK);
		ssize_t got = kernel_read(in, buf, want, pin);
		if (got <= 0) {
			err = got;
			break;
		}
		ssize_t put = kernel_write(out, buf, (size_t)got, pout);
		if (put <= 0) {
			err = put;
			break;
		}
		pin += put;
		pout += put;
		done += put;
		if (put < got || (size_t)got < want)
			break;
	}
	if (!uoff_in)
		in->pos = pin;
	if (!uoff_out)
		out->pos = pout;
	if (lock_out)
		mutex_unlock(&out->pos_lock);
	if (lock_in)
		mutex_unlock(&in->pos_lock);
	if (done) {
		err = 0;
		if ((uoff_in && copy_to_user(uoff_in, &pin, sizeof(pin))) ||
		    (uoff_out && copy_to_user(uoff_out, &pout, sizeof(pout))))
			err = -EFAULT;
	}
out:
	kfree(buf);
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return err ? err : done;
}
