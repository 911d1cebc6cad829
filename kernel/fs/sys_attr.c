/*
 * kernel/fs/sys_attr.c - changing attributes: chmod, chown, truncate,
 * utimensat and umask. Every change goes through inode_ops.setattr under
 * the inode's lock.
 */
#include "syscalls.h"
#include "fstype.h"
#include "mm.h"
#include "task.h"
#include "uaccess.h"
#include "ktime.h"

static int setattr(struct inode *ino, struct iattr *a)
{
	if (ino->sb && (ino->sb->flags & MS_RDONLY))
		return -EROFS;
	if (!ino->iops || !ino->iops->setattr)
		return -EPERM;
	mutex_lock(&ino->lock);
	int err = ino->iops->setattr(ino, a);
	mutex_unlock(&ino->lock);
	return err;
}

static long chmod_inode(struct inode *ino, mode_t mode)
{
	if (!capable_owner(ino))
		return -EPERM;
	struct iattr a = { .valid = ATTR_MODE, .mode = mode & 07777 };
	/* Only members of the group may set set-group-ID. */
	if (current->cred.euid != 0 && current->cred.egid != ino->gid)
		a.mode &= ~(mode_t)S_ISGID;
	/* F_SEAL_EXEC (memfd.c) fixes the execute bits. */
	if ((ino->seals & F_SEAL_EXEC) && ((ino->mode ^ a.mode) & 0111))
		return -EPERM;
	return setattr(ino, &a);
}

long sys_fchmodat(int dirfd, const char *upath, mode_t mode)
{
	struct inode *ino;
	int err = user_lookup_at(dirfd, upath, 0, LOOKUP_FOLLOW, &ino);
	if (err)
		return err;
	long r = chmod_inode(ino, mode);
	inode_put(ino);
	return r;
}

long sys_chmod(const char *upath, mode_t mode)
{
	return sys_fchmodat(AT_FDCWD, upath, mode);
}

long sys_fchmod(int fd, mode_t mode)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = (f->flags & O_PATH) ? -EBADF : chmod_inode(f->inode, mode);
	file_put(f);
	return r;
}

/* Root may change anything; an owner may only change the group to one of
 * its own (here: its effective group). -1 leaves a field alone. */
static long chown_inode(struct inode *ino, uid_t uid, gid_t gid)
{
	struct cred *c = &current->cred;
	struct iattr a = { 0 };
	if (uid != (uid_t)-1) {
		if (c->euid != 0 && uid != ino->uid)
			return -EPERM;
		a.valid |= ATTR_UID;
		a.uid = uid;
	}
	if (gid != (gid_t)-1) {
		if (c->euid != 0 && (c->euid != ino->uid || gid != c->egid))
			return -EPERM;
		a.valid |= ATTR_GID;
		a.gid = gid;
	}
	if (!a.valid)
		return 0;
	/* Changing the owner clears set-user/group-ID on non-directories. */
	if (!S_ISDIR(ino->mode) && (ino->mode & (S_ISUID | S_ISGID))) {
		a.valid |= ATTR_MODE;
		a.mode = ino->mode & 07777 & ~(mode_t)(S_ISUID | S_ISGID);
	}
	return setattr(ino, &a);
}

long sys_fchownat(int dirfd, const char *upath, uid_t uid, gid_t gid, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *ino;
	int err = user_lookup_at(dirfd, upath, flags, LOOKUP_FOLLOW, &ino);
	if (err)
		return err;
	long r = chown_inode(ino, uid, gid);
	inode_put(ino);
	return r;
}

long sys_chown(const char *upath, uid_t uid, gid_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, 0);
}

long sys_lchown(const char *upath, uid_t uid, gid_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(int fd, uid_t uid, gid_t gid)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = (f->flags & O_PATH) ? -EBADF : chown_inode(f->inode, uid, gid);
	file_put(f);
	return r;
}

long sys_truncate(const char *upath, off_t length)
{
	if (length < 0)
		return -EINVAL;
	struct inode *ino;
	int err = user_lookup_at(AT_FDCWD, upath, 0, LOOKUP_FOLLOW, &ino);
	if (err)
		return err;
	if (S_ISDIR(ino->mode))
		err = -EISDIR;
	else if (!S_ISREG(ino->mode))
		err = -EINVAL;
	else
		err = inode_permission(ino, MAY_WRITE);
	if (!err)
		err = vfs_truncate(ino, (uint64_t)length);
	inode_put(ino);
	return err;
}

long sys_ftruncate(int fd, off_t length)
{
	if (length < 0)
		return -EINVAL;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	if (f->flags & O_PATH)
		r = -EBADF;
	else if ((f->flags & O_ACCMODE) == O_RDONLY || !S_ISREG(f->inode->mode))
		r = -EINVAL;
	else
		r = vfs_truncate(f->inode, (uint64_t)length);
	file_put(f);
	return r;
}

long sys_umask(int mask)
{
	struct fs_struct *fs = current->fs;
	if (!fs)
		return 022;
	spin_lock(&fs->lock);
	mode_t old = fs->umask;
	fs->umask = (mode_t)mask & 0777;
	spin_unlock(&fs->lock);
	return old;
}

struct linux_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};
#define UTIME_NOW ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)

/* utimensat(dirfd, path, times[2], flags); path NULL means dirfd itself
 * (how glibc implements futimens). */
static long do_utimens(int dirfd, const char *upath, struct linux_timespec ts[2], int flags);

long sys_utimensat(int dirfd, const char *upath, const struct linux_timespec *utimes,
                   int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct linux_timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	if (utimes && copy_from_user(ts, utimes, sizeof(ts)))
		return -EFAULT;
	return do_utimens(dirfd, upath, ts, flags);
}

/* The older forms: microseconds (utimes, futimesat) or whole seconds
 * (utime); NULL means now. */
struct linux_timeval {
	int64_t tv_sec, tv_usec;
};

long sys_futimesat(int dirfd, const char *upath, const struct linux_timeval *utv)
{
	struct linux_timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	if (utv) {
		struct linux_timeval tv[2];
		if (copy_from_user(tv, utv, sizeof(tv)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			ts[i] = (struct linux_timespec){ tv[i].tv_sec, tv[i].tv_usec * 1000 };
		}
	}
	return do_utimens(dirfd, upath, ts, 0);
}

long sys_utimes(const char *upath, const struct linux_timeval *utv)
{
	return sys_futimesat(AT_FDCWD, upath, utv);
}

long sys_utime(const char *upath, const int64_t *ubuf) /* struct utimbuf */
{
	struct linux_timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	if (ubuf) {
		int64_t t[2];
		if (copy_from_user(t, ubuf, sizeof(t)))
			return -EFAULT;
		ts[0] = (struct linux_timespec){ t[0], 0 };
		ts[1] = (struct linux_timespec){ t[1], 0 };
	}
	return do_utimens(AT_FDCWD, upath, ts, 0);
}

static long do_utimens(int dirfd, const char *upath, struct linux_timespec ts[2], int flags)
{
	for (int i = 0; i < 2; i++)
		if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
		    (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000L))
			return -EINVAL;
	struct inode *ino;
	int err;
	if (!upath) {
		struct file *f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		ino = inode_get(f->inode);
		file_put(f);
	} else {
		err = user_lookup_at(dirfd, upath, flags, LOOKUP_FOLLOW, &ino);
		if (err)
			return err;
	}
	/* Setting explicit times needs ownership; "now" needs write access. */
	bool explicit_times = false;
	for (int i = 0; i < 2; i++)
		explicit_times |= ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT;
	if (!capable_owner(ino))
		err = explicit_times ? -EPERM : inode_permission(ino, MAY_WRITE);
	else
		err = 0;
	if (!err) {
		struct ktimespec now = current_time();
		struct iattr a = { 0 };
		if (ts[0].tv_nsec != UTIME_OMIT) {
			a.valid |= ATTR_ATIME;
			a.atime = ts[0].tv_nsec == UTIME_NOW ? now
			          : (struct ktimespec){ ts[0].tv_sec, ts[0].tv_nsec };
		}
		if (ts[1].tv_nsec != UTIME_OMIT) {
			a.valid |= ATTR_MTIME;
			a.mtime = ts[1].tv_nsec == UTIME_NOW ? now
			          : (struct ktimespec){ ts[1].tv_sec, ts[1].tv_nsec };
		}
		if (a.valid) {
			err = setattr(ino, &a);
			if (!err) {
				mutex_lock(&ino->lock);
				ino->ctime = now;
				mutex_unlock(&ino->lock);
			}
		}
	}
	inode_put(ino);
	return err;
}
