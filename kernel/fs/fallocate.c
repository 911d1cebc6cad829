/*
 * kernel/fs/fallocate.c - fallocate(2): the descriptor, then the checks
 * of Linux's vfs_fallocate (6.x) in its order, then the file's op.
 *
 * tmpfs/ramfs (and memfds) have the op: mode 0 grows the size, KEEP_SIZE
 * only checks, PUNCH_HOLE|KEEP_SIZE zeroes. Other file systems answer
 * EOPNOTSUPP, as Linux's ext2 does (and ext4 for files without extents,
 * which is every file of an ext2 file system it mounts); Linux's vfat
 * would accept mode 0 and KEEP_SIZE (tests/abi/differences.md).
 */
#include "syscalls.h"

#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE 0x10
#define FALLOC_FL_INSERT_RANGE 0x20
#define FALLOC_FL_UNSHARE_RANGE 0x40
#define FALLOC_FL_WRITE_ZEROES 0x80
#define FALLOC_FL_MODE_MASK (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | \
                             FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | \
                             FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES)
#define MAX_FILE_SIZE 0x7fffffffffffffffLL

/* One operation (or plain allocation), KEEP_SIZE where it makes sense. */
static long check_mode(int mode)
{
	if (mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	switch (mode & FALLOC_FL_MODE_MASK) {
	case 0:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
	case FALLOC_FL_WRITE_ZEROES:
		return 0;
	case FALLOC_FL_PUNCH_HOLE:
		return (mode & FALLOC_FL_KEEP_SIZE) ? 0 : -EOPNOTSUPP;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
		return (mode & FALLOC_FL_KEEP_SIZE) ? -EOPNOTSUPP : 0;
	default:
		return -EOPNOTSUPP;
	}
}

long sys_fallocate(int fd, int mode, off_t off, off_t len)
{
	struct file *f = fd_get(fd);
	if (f && (f->flags & O_PATH)) {   /* not a descriptor for I/O */
		file_put(f);
		f = NULL;
	}
	if (!f)
		return -EBADF;
	struct inode *ino = f->inode;
	off_t end;
	long err;
	if (off < 0 || len <= 0)
		err = -EINVAL;
	else if ((err = check_mode(mode)))
		;
	else if ((f->flags & O_ACCMODE) == O_RDONLY)
		err = -EBADF;
	else if (S_ISFIFO(ino->mode) || file_is_pipe(f))
		err = -ESPIPE;
	else if (S_ISDIR(ino->mode))
		err = -EISDIR;
	else if (!S_ISREG(ino->mode) && !S_ISBLK(ino->mode))
		err = -ENODEV;
	else if (__builtin_add_overflow(off, len, &end) || end > MAX_FILE_SIZE)
		err = -EFBIG;
	else if (!f->ops || !f->ops->fallocate || !S_ISREG(ino->mode) ||
	         (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)))
		err = -EOPNOTSUPP;
	else if ((mode & FALLOC_FL_PUNCH_HOLE) &&
	         (ino->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		err = -EPERM;
	else if ((ino->seals & F_SEAL_GROW) && (uint64_t)end > ino->size)
		err = -EPERM;
	else
		err = f->ops->fallocate(f, mode, off, len);
	file_put(f);
	return err;
}
