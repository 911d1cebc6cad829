/*
 * kernel/fs/sys_cwd.c - the working and root directories (getcwd, chdir,
 * fchdir, chroot) and flushing (sync, syncfs, fsync, fdatasync).
 *
 * getcwd keeps no names: it climbs from the cwd inode through ".." to the
 * process root, at each level searching the parent directory for the entry
 * with the child's inode number, and crossing from a mounted root to the
 * directory it covers. So the answer is always the current name of the
 * directory, whatever symlinks or ".." the chdir went through, and renames
 * made since are reflected. A cwd that was removed gives ENOENT.
 */
#include "syscalls.h"
#include "mm.h"
#include "task.h"
#include "uaccess.h"
#include "fstype.h"
#include "bcache.h"

struct find_ctx {
	ino_t ino;
	char name[NAME_MAX + 1];
	size_t len;
	bool found;
};

static int find_ino(void *ctx, const char *name, size_t len, ino_t ino,
                    unsigned dtype __unused)
{
	struct find_ctx *c = ctx;
	if (ino != c->ino || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	memcpy(c->name, name, len);
	c->len = len;
	c->found = true;
	return 1;
}

/* The name of child in dir (both borrowed); locked: the caller holds
 * vfs_ns_lock already. */
static int name_in_parent(struct inode *dir, struct inode *child,
                          struct find_ctx *c, bool locked)
{
	if (!dir->iops || !dir->iops->readdir)
		return -ENOENT;
	c->ino = child->ino;
	c->found = false;
	off_t pos = 0;
	if (!locked)
		mutex_lock(&vfs_ns_lock);
	int err = dir->iops->readdir(dir, &pos, find_ino, c);
	if (!locked)
		mutex_unlock(&vfs_ns_lock);
	if (err)
		return err;
	return c->found ? 0 : -ENOENT;
}

/* Build the path of cur into the end of buf[PATH_MAX]; returns its start.
 * Also used by /proc/mounts, and (locked, from readlink, which runs under
 * vfs_ns_lock) by /proc/<pid>/cwd; declared in vfs.h. */
static char *climb(struct inode *cur, struct inode *root, char *buf,
                   long *err, bool locked)
{
	char *p = buf + PATH_MAX - 1;
	*p = '\0';
	struct find_ctx *c = kmalloc(sizeof(*c));
	if (!c) {
		*err = -ENOMEM;
		return NULL;
	}
	cur = inode_get(cur);
	*err = 0;
	while (cur != root) {
		struct inode *covered = mount_covered(cur);
		if (covered) {
			inode_put(cur);
			cur = inode_get(covered);
			continue;
		}
		if (cur->sb && cur == cur->sb->root)
			break; /* outside the process root (after chroot) */
		struct inode *parent;
		if (!locked)
			*err = vfs_lookup_child(cur, "..", 2, &parent);
		else if (cur->iops && cur->iops->lookup)
			*err = cur->iops->lookup(cur, "..", 2, &parent);
		else
			*err = -ENOTDIR;
		if (*err)
			break;
		/* Names of the covered directory live in the parent, and
		 * the parent is on the same super block as cur here. */
		*err = name_in_parent(parent, cur, c, locked);
		inode_put(cur);
		cur = parent;
		if (*err)
			break;
		if ((size_t)(p - buf) < c->len + 1) {
			*err = -ENAMETOOLONG;
			break;
		}
		p -= c->len;
		memcpy(p, c->name, c->len);
		*--p = '/';
	}
	inode_put(cur);
	kfree(c);
	if (*err)
		return NULL;
	if (!*p)
		*--p = '/';
	return p;
}

char *inode_path(struct inode *cur, struct inode *root, char *buf, long *err)
{
	return climb(cur, root, buf, err, false);
}

char *inode_path_locked(struct inode *cur, struct inode *root, char *buf,
                        long *err)
{
	return climb(cur, root, buf, err, true);
}

long sys_getcwd(char *ubuf, unsigned long size)
{
	struct inode *root = fs_get_root(), *cwd = fs_get_cwd();
	char *buf = kmalloc(PATH_MAX);
	long err = -ENOMEM;
	if (buf && root && cwd) {
		char *p = inode_path(cwd, root, buf, &err);
		if (p) {
			size_t len = strlen(p) + 1;
			if (size < len)
				err = -ERANGE;
			else if (copy_to_user(ubuf, p, len))
				err = -EFAULT;
			else
				err = (long)len;
		}
	}
	kfree(buf);
	inode_put(root);
	inode_put(cwd);
	return err;
}

long sys_chdir(const char *upath)
{
	struct inode *ino;
	int err = user_lookup_at(AT_FDCWD, upath, 0,
	                         LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &ino);
	if (err)
		return err;
	err = inode_permission(ino, MAY_EXEC);
	if (!err)
		fs_set_cwd(ino);
	inode_put(ino);
	return err;
}

long sys_fchdir(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	struct inode *ino = f->inode;
	long err = !S_ISDIR(ino->mode) ? -ENOTDIR : inode_permission(ino, MAY_EXEC);
	if (!err)
		fs_set_cwd(ino);
	file_put(f);
	return err;
}

long sys_chroot(const char *upath)
{
	if (current->cred.euid != 0)
		return -EPERM;
	struct fs_struct *fs = current->fs;
	if (!fs)
		return -EPERM;
	struct inode *ino;
	int err = user_lookup_at(AT_FDCWD, upath, 0,
	                         LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &ino);
	if (err)
		return err;
	err = inode_permission(ino, MAY_EXEC);
	if (!err) {
		spin_lock(&fs->lock);
		struct inode *old = fs->root;
		fs->root = ino;
		spin_unlock(&fs->lock);
		inode_put(old);
		return 0;
	}
	inode_put(ino);
	return err;
}

long sys_sync(void)
{
	vfs_sync_all(); /* sync(2) cannot fail */
	return 0;
}

/* One file system's dirty state into the buffer cache, then its device's
 * buffers to the disk and the disk's write cache flushed: what fsync,
 * fdatasync and syncfs promise. A whole-file-system sync stands in for a
 * per-file one (correct, only slower). */
static long sync_sb(struct super_block *sb)
{
	long r = 0;
	if (!sb || (sb->flags & MS_RDONLY))
		return 0;
	if (sb->ops && sb->ops->sync)
		r = sb->ops->sync(sb);
	if (sb->bdev) {
		int e = bcache_sync(sb->bdev);
		if (e && !r)
			r = e;
	}
	return r;
}

static long sync_fd(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = 0;
	if (S_ISFIFO(f->inode->mode) || (f->inode->mode & S_IFMT) == S_IFSOCK)
		r = -EINVAL;
	else if (S_ISBLK(f->inode->mode))
		r = devfs_inode_blockdev(f->inode)
		    ? bcache_sync(devfs_inode_blockdev(f->inode)) : 0;
	else
		r = sync_sb(f->inode->sb);
	file_put(f);
	return r;
}

long sys_syncfs(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = sync_sb(f->inode->sb);
	file_put(f);
	return r;
}

long sys_fsync(int fd)
{
	return sync_fd(fd);
}

long sys_fdatasync(int fd)
{
	return sync_fd(fd);
}

#define SYNC_FILE_RANGE_ALL 7 /* WAIT_BEFORE | WRITE | WAIT_AFTER */

/* sync_file_range: RayOS writes back whole file systems, so any request
 * to write becomes fdatasync; flags 0 asks for nothing, as in Linux. */
long sys_sync_file_range(int fd, off_t offset, off_t nbytes, unsigned flags)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	mode_t m = f->inode->mode;
	long r = 0;
	uint64_t end = (uint64_t)offset + (uint64_t)nbytes;
	if ((flags & ~SYNC_FILE_RANGE_ALL) || offset < 0 || (int64_t)end < 0 ||
	    end < (uint64_t)offset)
		r = -EINVAL;
	else if (!S_ISREG(m) && !S_ISDIR(m) && !S_ISLNK(m) && !S_ISBLK(m))
		r = -ESPIPE;
	file_put(f);
	if (!r && flags)
		r = sync_fd(fd);
	return r;
}
