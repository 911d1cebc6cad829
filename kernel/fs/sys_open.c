/*
 * kernel/fs/sys_open.c - opening and closing descriptors, duplicating
 * them, pipes, fcntl and ioctl.
 */
#include "syscalls.h"
#include "mm.h"
#include "task.h"
#include "uaccess.h"

static struct files_struct *files(void)
{
	return current->files;
}

#define __O_TMPFILE 020000000

/* O_TMPFILE: checked as Linux does, then refused with EOPNOTSUPP, Linux's
 * answer for a file system that cannot make unnamed files (none here can). */
static struct file *open_tmpfile(int dirfd, const char *path, int flags)
{
	if ((flags & (__O_TMPFILE | O_DIRECTORY | O_CREAT)) != (__O_TMPFILE | O_DIRECTORY) ||
	    (flags & O_ACCMODE) == O_RDONLY)
		return ERR_PTR(-EINVAL);
	struct file *dir = vfs_open_at(dirfd, path, O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(dir))
		return dir;
	file_put(dir);
	return ERR_PTR(-EOPNOTSUPP);
}

long sys_openat(int dirfd, const char *upath, int flags, mode_t mode)
{
	char *path = user_path(upath, false);
	if (IS_ERR(path))
		return PTR_ERR(path);
	struct file *f = (flags & __O_TMPFILE) ? open_tmpfile(dirfd, path, flags)
	                                       : vfs_open_at(dirfd, path, flags, mode);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	int fd = fd_install(files(), f, 0, flags & O_CLOEXEC);
	file_put(f); /* the table holds its own reference */
	return fd;
}

long sys_open(const char *upath, int flags, mode_t mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

long sys_creat(const char *upath, mode_t mode)
{
	return sys_openat(AT_FDCWD, upath, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

long sys_close(int fd)
{
	return fd_close(fd);
}

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

long sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last)
		return -EINVAL;
	struct task *t = current;
	if ((flags & CLOSE_RANGE_UNSHARE) && t->files &&
	    __atomic_load_n(&t->files->refcount, __ATOMIC_SEQ_CST) > 1) {
		/* A private copy first (as unshare(CLONE_FILES)). */
		struct files_struct *mine = files_clone(t->files), *old = t->files;
		if (!mine)
			return -ENOMEM;
		irq_push_off();
		t->files = mine;
		irq_pop_off();
		files_put(old);
	}
	fd_close_range(first, last, flags & CLOSE_RANGE_CLOEXEC);
	return 0;
}

long sys_dup(int oldfd)
{
	struct file *f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	int fd = fd_install(files(), f, 0, false);
	file_put(f);
	return fd;
}

static long dup_to(int oldfd, int newfd, bool cloexec)
{
	struct file *f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	long r = fd_install_at(files(), f, newfd, cloexec);
	file_put(f);
	return r;
}

long sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd) {
		struct file *f = fd_get(oldfd);
		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	return dup_to(oldfd, newfd, false);
}

long sys_dup3(int oldfd, int newfd, int flags)
{
	if ((flags & ~O_CLOEXEC) || oldfd == newfd)
		return -EINVAL;
	return dup_to(oldfd, newfd, flags & O_CLOEXEC);
}

long sys_pipe2(int *ufds, int flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | 040000 /* O_DIRECT */))
		return -EINVAL;
	if (!user_range_ok((uint64_t)ufds, 2 * sizeof(int)))
		return -EFAULT;
	struct file *rd, *wr;
	int err = pipe_create(&rd, &wr, (unsigned)flags & O_NONBLOCK);
	if (err)
		return err;
	bool cloexec = flags & O_CLOEXEC;
	int fds[2];
	fds[0] = fd_install(files(), rd, 0, cloexec);
	fds[1] = fds[0] < 0 ? fds[0] : fd_install(files(), wr, 0, cloexec);
	file_put(rd);
	file_put(wr);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			fd_close(fds[0]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(int *ufds)
{
	return sys_pipe2(ufds, 0);
}

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
#define SETFL_MASK (O_APPEND | O_NONBLOCK | 020000 /* O_ASYNC */ | \
                    040000 /* O_DIRECT */ | 01000000 /* O_NOATIME */)

long sys_fcntl(int fd, unsigned cmd, unsigned long arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		r = arg >= MIN((unsigned long)NR_OPEN, rlimit_cur(RLIMIT_NOFILE)) ? -EINVAL
		    : fd_install(files(), f, (int)arg, cmd == F_DUPFD_CLOEXEC);
		break;
	case F_GETFD:
		r = fd_get_cloexec(fd) > 0 ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		r = fd_set_cloexec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = f->flags;
		break;
	case F_SETFL:
		if (f->flags & O_PATH) {
			r = -EBADF;
			break;
		}
		/* Access mode and creation flags are fixed at open. */
		__atomic_store_n(&f->flags, (f->flags & ~(unsigned)SETFL_MASK) |
		                 ((unsigned)arg & SETFL_MASK), __ATOMIC_SEQ_CST);
		r = 0;
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		r = pipe_fcntl(f, cmd, (unsigned)arg);
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		r = memfd_fcntl(f, cmd, arg);
		break;
	case 5: /* F_GETLK */
	case 6: /* F_SETLK */
	case 7: /* F_SETLKW */
	case 36: /* F_OFD_GETLK */
	case 37: /* F_OFD_SETLK */
	case 38: /* F_OFD_SETLKW */
		r = fcntl_lock(f, cmd, (void *)arg);
		break;
	default:
		r = -EINVAL; /* leases, signals: not supported */
	}
	file_put(f);
	return r;
}

#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIONBIO 0x5421
#define FIOASYNC 0x5452

long sys_ioctl(int fd, unsigned cmd, unsigned long arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		r = fd_set_cloexec(fd, cmd == FIOCLEX);
		break;
	case FIONBIO:
	case FIOASYNC: {
		int on;
		if (copy_from_user(&on, (void *)arg, sizeof(on))) {
			r = -EFAULT;
			break;
		}
		unsigned bit = cmd == FIONBIO ? O_NONBLOCK : 020000;
		if (on)
			__atomic_or_fetch(&f->flags, bit, __ATOMIC_SEQ_CST);
		else
			__atomic_and_fetch(&f->flags, ~bit, __ATOMIC_SEQ_CST);
		r = 0;
		break;
	}
	case 0x541B: { /* FIONREAD */
		/* A regular file: the bytes from the position to the end (as
		 * an int, negative past the end, as in Linux). */
		if (!S_ISREG(f->inode->mode) || (f->flags & O_PATH))
			goto dev;
		int n = (int)((int64_t)READ_ONCE(f->inode->size) - READ_ONCE(f->pos));
		r = copy_to_user((void *)arg, &n, sizeof(n)) ? -EFAULT : 0;
		break;
	}
	default:
	dev:
		r = (f->ops && f->ops->ioctl && !(f->flags & O_PATH))
		    ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
	}
	file_put(f);
	return r;
}
