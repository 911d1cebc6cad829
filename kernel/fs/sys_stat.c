/*
 * kernel/fs/sys_stat.c - reading metadata: the stat family, statx,
 * statfs, getdents64, readlink and access.
 *
 * Structure layouts are Linux x86-64's (asm/stat.h, linux/stat.h,
 * asm/statfs.h, linux_dirent64), checked by size at compile time.
 */
#include "syscalls.h"
#include "fstype.h"
#include "mm.h"
#include "task.h"
#include "uaccess.h"

struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t __pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	uint64_t st_atime, st_atime_nsec;
	uint64_t st_mtime, st_mtime_nsec;
	uint64_t st_ctime, st_ctime_nsec;
	int64_t __reserved[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "struct stat is 144 bytes");

static void fill_stat(struct inode *ino, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = ino->sb ? ino->sb->dev : 0;
	st->st_ino = ino->ino;
	st->st_nlink = ino->nlink;
	st->st_mode = ino->mode;
	st->st_uid = ino->uid;
	st->st_gid = ino->gid;
	st->st_rdev = ino->rdev;
	st->st_size = (int64_t)ino->size;
	st->st_blksize = ino->sb ? ino->sb->blocksize : 4096;
	st->st_blocks = (int64_t)ino->blocks;
	st->st_atime = (uint64_t)ino->atime.sec;
	st->st_atime_nsec = (uint64_t)ino->atime.nsec;
	st->st_mtime = (uint64_t)ino->mtime.sec;
	st->st_mtime_nsec = (uint64_t)ino->mtime.nsec;
	st->st_ctime = (uint64_t)ino->ctime.sec;
	st->st_ctime_nsec = (uint64_t)ino->ctime.nsec;
}

static long put_stat(struct inode *ino, void *ubuf)
{
	struct linux_stat st;
	fill_stat(ino, &st);
	return copy_to_user(ubuf, &st, sizeof(st));
}

long sys_newfstatat(int dirfd, const char *upath, void *statbuf, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */))
		return -EINVAL;
	struct inode *ino;
	int err = user_lookup_at(dirfd, upath, flags, LOOKUP_FOLLOW, &ino);
	if (err)
		return err;
	long r = put_stat(ino, statbuf);
	inode_put(ino);
	return r;
}

long sys_stat(const char *upath, void *statbuf)
{
	return sys_newfstatat(AT_FDCWD, upath, statbuf, 0);
}

long sys_lstat(const char *upath, void *statbuf)
{
	return sys_newfstatat(AT_FDCWD, upath, statbuf, AT_SYMLINK_NOFOLLOW);
}

long sys_fstat(int fd, void *statbuf)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = put_stat(f->inode, statbuf);
	file_put(f);
	return r;
}

/* ---- statx ---- */

struct statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};

struct linux_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t __spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t __spare2[14];
};
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx is 256 bytes");

#define STATX_BASIC_STATS 0x7ffu
#define AT_STATX_SYNC_TYPE 0x6000

long sys_statx(int dirfd, const char *upath, int flags, unsigned mask __unused,
               void *ubuf)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	struct inode *ino;
	int err = user_lookup_at(dirfd, upath, flags, LOOKUP_FOLLOW, &ino);
	if (err)
		return err;
	struct linux_statx sx;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS; /* no birth time */
	sx.stx_blksize = ino->sb ? ino->sb->blocksize : 4096;
	sx.stx_nlink = ino->nlink;
	sx.stx_uid = ino->uid;
	sx.stx_gid = ino->gid;
	sx.stx_mode = (uint16_t)ino->mode;
	sx.stx_ino = ino->ino;
	sx.stx_size = ino->size;
	sx.stx_blocks = ino->blocks;
	sx.stx_atime = (struct statx_timestamp){ ino->atime.sec, (uint32_t)ino->atime.nsec, 0 };
	sx.stx_mtime = (struct statx_timestamp){ ino->mtime.sec, (uint32_t)ino->mtime.nsec, 0 };
	sx.stx_ctime = (struct statx_timestamp){ ino->ctime.sec, (uint32_t)ino->ctime.nsec, 0 };
	sx.stx_rdev_major = MAJOR(ino->rdev);
	sx.stx_rdev_minor = MINOR(ino->rdev);
	dev_t dev = ino->sb ? ino->sb->dev : 0;
	sx.stx_dev_major = MAJOR(dev);
	sx.stx_dev_minor = MINOR(dev);
	inode_put(ino);
	return copy_to_user(ubuf, &sx, sizeof(sx));
}

/* ---- statfs ---- */

struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags;
	int64_t f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs is 120 bytes");

static long put_statfs(struct inode *ino, void *ubuf)
{
	struct super_block *sb = ino->sb;
	struct kstatfs k = { .type = sb ? sb->magic : 0, .bsize = 4096,
	                     .namelen = NAME_MAX };
	if (sb && sb->ops && sb->ops->statfs) {
		int err = sb->ops->statfs(sb, &k);
		if (err)
			return err;
	}
	struct linux_statfs st;
	memset(&st, 0, sizeof(st));
	st.f_type = (int64_t)k.type;
	st.f_bsize = (int64_t)k.bsize;
	st.f_blocks = k.blocks;
	st.f_bfree = k.bfree;
	st.f_bavail = k.bavail;
	st.f_files = k.files;
	st.f_ffree = k.ffree;
	st.f_fsid[0] = sb ? (int32_t)sb->dev : 0;
	st.f_namelen = (int64_t)k.namelen;
	st.f_frsize = (int64_t)k.bsize;
	/* ST_RDONLY, ST_NOSUID, ST_NODEV, ST_NOEXEC, ST_SYNCHRONOUS have the
	 * MS_* values; ST_NOATIME is 1024 like MS_NOATIME. */
	st.f_flags = sb ? (int64_t)(sb->flags & (MS_RDONLY | MS_NOSUID | MS_NODEV |
	                                        MS_NOEXEC | MS_SYNCHRONOUS | MS_NOATIME)) : 0;
	return copy_to_user(ubuf, &st, sizeof(st));
}

long sys_statfs(const char *upath, void *buf)
{
	struct inode *ino;
	int err = user_lookup_at(AT_FDCWD, upath, 0, LOOKUP_FOLLOW, &ino);
	if (err)
		return err;
	long r = put_statfs(ino, buf);
	inode_put(ino);
	return r;
}

long sys_fstatfs(int fd, void *buf)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = put_statfs(f->inode, buf);
	file_put(f);
	return r;
}

/* ---- getdents64 ---- */

struct dirent_ctx {
	char *buf;
	size_t size, used;
	off_t *pos;          /* the walk position, for d_off */
	size_t last;         /* offset of the previous record, or SIZE_MAX */
	bool full;
};

#define DIRENT64_HDR 19 /* d_ino 8, d_off 8, d_reclen 2, d_type 1 */

static void set_doff(struct dirent_ctx *c, off_t off)
{
	if (c->last != (size_t)-1)
		memcpy(c->buf + c->last + 8, &off, sizeof(off));
}

static int fill_dirent64(void *ctx, const char *name, size_t len, ino_t ino,
                         unsigned dtype)
{
	struct dirent_ctx *c = ctx;
	size_t reclen = ALIGN_UP(DIRENT64_HDR + len + 1, 8);
	if (c->used + reclen > c->size) {
		c->full = true;
		return 1;
	}
	/* The file system advanced *pos past the previous entry before
	 * calling us: that is where reading resumes after it. */
	set_doff(c, *c->pos);
	char *d = c->buf + c->used;
	uint64_t i = ino;
	int64_t off = 0;
	uint16_t rl = (uint16_t)reclen;
	memcpy(d, &i, 8);
	memcpy(d + 8, &off, 8);
	memcpy(d + 16, &rl, 2);
	d[18] = (char)dtype;
	memcpy(d + 19, name, len);
	memset(d + 19 + len, 0, reclen - DIRENT64_HDR - len);
	c->last = c->used;
	c->used += reclen;
	return 0;
}

long sys_getdents64(int fd, void *dirp, size_t count)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	struct inode *dir = f->inode;
	long r;
	if (f->flags & O_PATH) {
		r = -EBADF;
		goto out;
	}
	if (!S_ISDIR(dir->mode) || !dir->iops || !dir->iops->readdir) {
		r = -ENOTDIR;
		goto out;
	}
	if (!user_range_ok((uint64_t)dirp, count)) {
		r = -EFAULT;
		goto out;
	}
	struct dirent_ctx c = { .size = MIN(count, (size_t)IO_CHUNK),
	                        .last = (size_t)-1 };
	c.buf = kmalloc(c.size ? c.size : 1);
	if (!c.buf) {
		r = -ENOMEM;
		goto out;
	}
	mutex_lock(&f->pos_lock);
	off_t pos = f->pos;
	c.pos = &pos;
	mutex_lock(&vfs_ns_lock);
	r = dir->iops->readdir(dir, &pos, fill_dirent64, &c);
	mutex_unlock(&vfs_ns_lock);
	set_doff(&c, pos);
	if (!r && c.used == 0 && c.full)
		r = -EINVAL; /* buffer too small for one entry */
	else if (!r && c.used && copy_to_user(dirp, c.buf, c.used))
		r = -EFAULT; /* position not advanced: nothing delivered */
	else if (!r) {
		f->pos = pos;
		r = (long)c.used;
	}
	mutex_unlock(&f->pos_lock);
	kfree(c.buf);
out:
	file_put(f);
	return r;
}

/* ---- readlink, access ---- */

long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int bufsiz)
{
	if (bufsiz <= 0)
		return -EINVAL;
	struct inode *ino;
	int err = user_lookup_at(dirfd, upath, AT_EMPTY_PATH, 0, &ino);
	if (err)
		return err;
	long r = -EINVAL;
	if (S_ISLNK(ino->mode) && ino->iops && ino->iops->readlink) {
		size_t n = MIN((size_t)bufsiz, (size_t)PATH_MAX);
		char *k = kmalloc(n);
		r = -ENOMEM;
		if (k) {
			mutex_lock(&vfs_ns_lock);
			ssize_t len = ino->iops->readlink(ino, k, n);
			mutex_unlock(&vfs_ns_lock);
			r = len;
			if (len >= 0) {
				r = (long)MIN((size_t)len, n);
				if (copy_to_user(ubuf, k, (size_t)r))
					r = -EFAULT;
			}
			kfree(k);
		}
	}
	inode_put(ino);
	return r;
}

long sys_readlink(const char *upath, char *ubuf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, bufsiz);
}

#define AT_EACCESS 0x200

long sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *ino;
	int err = user_lookup_at(dirfd, upath, flags, LOOKUP_FOLLOW, &ino);
	if (err)
		return err;
	/* Without AT_EACCESS the real ids are checked: Linux runs the
	 * check with fsuid/fsgid set to them. */
	if (mode) {
		struct cred *c = &current->cred;
		uid_t fsuid = c->fsuid;
		gid_t fsgid = c->fsgid;
		if (!(flags & AT_EACCESS)) {
			c->fsuid = c->uid;
			c->fsgid = c->gid;
		}
		err = inode_permission(ino, mode);
		c->fsuid = fsuid;
		c->fsgid = fsgid;
	}
	inode_put(ino);
	return err;
}

long sys_faccessat(int dirfd, const char *upath, int mode)
{
	return sys_faccessat2(dirfd, upath, mode, 0);
}

long sys_access(const char *upath, int mode)
{
	return sys_faccessat2(AT_FDCWD, upath, mode, 0);
}
