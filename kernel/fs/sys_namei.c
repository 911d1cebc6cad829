/*
 * kernel/fs/sys_namei.c - system calls that change the namespace: mkdir,
 * mknod, symlink, link, unlink, rmdir, rename (and their *at forms).
 *
 * Each resolves the parent directory of the last component (path_parent_at),
 * checks write and search permission on it, then, under vfs_ns_lock, checks
 * existence and types and calls the file system. Holding the one lock from
 * the check to the change makes each operation atomic with respect to the
 * others (EEXIST cannot race with a concurrent create).
 */
#include "syscalls.h"
#include "mm.h"
#include "task.h"
#include "uaccess.h"

/* Resolve the parent of a user path; *path must be kfree'd by the caller. */
static int get_parent(int dirfd, const char *upath, char **path,
                      struct walk_last *wl)
{
	*path = user_path(upath, false);
	if (IS_ERR(*path)) {
		int err = (int)PTR_ERR(*path);
		*path = NULL;
		return err;
	}
	int err = path_parent_at(dirfd, *path, wl);
	if (err) {
		kfree(*path);
		*path = NULL;
	}
	return err;
}

static void put_parent(char *path, struct walk_last *wl)
{
	inode_put(wl->dir);
	kfree(path);
}

static int may_create(struct inode *dir)
{
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

/* Sticky directories (/tmp): only the owner of the file or of the
 * directory (or root) may remove or rename an entry. */
static int sticky_ok(struct inode *dir, struct inode *victim)
{
	if (!(dir->mode & S_ISVTX))
		return 0;
	uid_t uid = current->cred.euid;
	return uid == 0 || uid == dir->uid || uid == victim->uid ? 0 : -EPERM;
}

/* Look name up in dir with vfs_ns_lock already held. */
static int lookup_locked(struct inode *dir, const char *name, size_t len,
                         struct inode **res)
{
	*res = NULL;
	return dir->iops && dir->iops->lookup
	       ? dir->iops->lookup(dir, name, len, res) : -ENOTDIR;
}

/* Common shape of mkdir/mknod/symlink: the name must not exist. */
enum make_kind { MAKE_DIR, MAKE_NODE, MAKE_SYMLINK };

static long do_make(int dirfd, const char *upath, enum make_kind kind,
                    mode_t mode, dev_t rdev, const char *target)
{
	char *path;
	struct walk_last wl;
	int err = get_parent(dirfd, upath, &path, &wl);
	if (err)
		return err;
	struct inode *dir = wl.dir, *old;
	if (wl.kind) {
		err = -EEXIST;
		goto out;
	}
	if (wl.trailing_slash && kind != MAKE_DIR) {
		err = -ENOENT; /* as Linux: "x/" can only name a directory */
		goto out;
	}
	err = may_create(dir);
	if (err)
		goto out;
	const struct inode_ops *op = dir->iops;
	mutex_lock(&vfs_ns_lock);
	err = lookup_locked(dir, wl.name, wl.len, &old);
	if (!err) {
		inode_put(old);
		err = -EEXIST;
	} else if (err == -ENOENT) {
		switch (kind) {
		case MAKE_DIR:
			err = op->mkdir ? op->mkdir(dir, wl.name, wl.len, mode) : -EPERM;
			break;
		case MAKE_NODE:
			if (S_ISREG(mode)) {
				struct inode *ino = NULL;
				err = op->create ? op->create(dir, wl.name, wl.len, mode, &ino)
				                 : -EPERM;
				inode_put(ino);
			} else {
				err = op->mknod ? op->mknod(dir, wl.name, wl.len, mode, rdev)
				                : -EPERM;
			}
			break;
		case MAKE_SYMLINK:
			err = op->symlink ? op->symlink(dir, wl.name, wl.len, target)
			                  : -EPERM;
			break;
		}
	}
	mutex_unlock(&vfs_ns_lock);
out:
	put_parent(path, &wl);
	return err;
}

long sys_mkdirat(int dirfd, const char *upath, mode_t mode)
{
	mode_t m = S_IFDIR | (mode & (0777 | S_ISVTX) & ~fs_umask());
	return do_make(dirfd, upath, MAKE_DIR, m, 0, NULL);
}

long sys_mkdir(const char *upath, mode_t mode)
{
	return sys_mkdirat(AT_FDCWD, upath, mode);
}

long sys_mknodat(int dirfd, const char *upath, mode_t mode, unsigned dev)
{
	mode_t type = mode & S_IFMT;
	switch (type) {
	case 0:
		type = S_IFREG;
		break;
	case S_IFREG: case S_IFIFO: case (mode_t)S_IFSOCK:
		break;
	case S_IFCHR: case S_IFBLK:
		if (current->cred.euid != 0)
			return -EPERM;
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	mode_t m = type | (mode & 07777 & ~fs_umask());
	return do_make(dirfd, upath, MAKE_NODE, m, (dev_t)dev, NULL);
}

long sys_mknod(const char *upath, mode_t mode, unsigned dev)
{
	return sys_mknodat(AT_FDCWD, upath, mode, dev);
}

long sys_symlinkat(const char *utarget, int dirfd, const char *upath)
{
	char *target = user_path(utarget, false);
	if (IS_ERR(target))
		return PTR_ERR(target);
	long r = do_make(dirfd, upath, MAKE_SYMLINK, S_IFLNK | 0777, 0, target);
	kfree(target);
	return r;
}

long sys_symlink(const char *utarget, const char *upath)
{
	return sys_symlinkat(utarget, AT_FDCWD, upath);
}

long sys_linkat(int olddirfd, const char *uold, int newdirfd,
                const char *unew, int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *src;
	int err = user_lookup_at(olddirfd, uold, flags & AT_EMPTY_PATH,
	                         (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0,
	                         &src);
	if (err)
		return err;
	char *path;
	struct walk_last wl;
	err = get_parent(newdirfd, unew, &path, &wl);
	if (err) {
		inode_put(src);
		return err;
	}
	struct inode *dir = wl.dir, *old;
	if (S_ISDIR(src->mode))
		err = -EPERM;
	else if (wl.kind)
		err = -EEXIST;
	else if (wl.trailing_slash)
		err = -ENOENT;
	else if (dir->sb != src->sb)
		err = -EXDEV;
	else
		err = may_create(dir);
	if (!err) {
		mutex_lock(&vfs_ns_lock);
		err = lookup_locked(dir, wl.name, wl.len, &old);
		if (!err) {
			inode_put(old);
			err = -EEXIST;
		} else if (err == -ENOENT) {
			err = src->nlink == 0 ? -ENOENT
			      : dir->iops->link ? dir->iops->link(dir, wl.name, wl.len, src)
			                        : -EPERM;
		}
		mutex_unlock(&vfs_ns_lock);
	}
	put_parent(path, &wl);
	inode_put(src);
	return err;
}

long sys_link(const char *uold, const char *unew)
{
	return sys_linkat(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

static long do_unlink(int dirfd, const char *upath)
{
	char *path;
	struct walk_last wl;
	int err = get_parent(dirfd, upath, &path, &wl);
	if (err)
		return err;
	struct inode *dir = wl.dir, *victim = NULL;
	if (wl.kind) {
		err = -EISDIR;
		goto out;
	}
	err = may_create(dir);
	if (err)
		goto out;
	mutex_lock(&vfs_ns_lock);
	err = lookup_locked(dir, wl.name, wl.len, &victim);
	if (!err) {
		if (S_ISDIR(victim->mode))
			err = -EISDIR;
		else if (wl.trailing_slash)
			err = -ENOTDIR;
		else
			err = sticky_ok(dir, victim);
	}
	if (!err)
		err = dir->iops->unlink ? dir->iops->unlink(dir, wl.name, wl.len) : -EPERM;
	if (!err)
		fname_unlinked(victim, dir, wl.name, wl.len); /* open files: "(deleted)" */
	mutex_unlock(&vfs_ns_lock);
	inode_put(victim);
out:
	put_parent(path, &wl);
	return err;
}

static long do_rmdir(int dirfd, const char *upath)
{
	char *path;
	struct walk_last wl;
	int err = get_parent(dirfd, upath, &path, &wl);
	if (err)
		return err;
	struct inode *dir = wl.dir, *victim = NULL;
	if (wl.kind) {
		err = wl.kind == '.' ? -EINVAL : wl.kind == 'd' ? -ENOTEMPTY : -EBUSY;
		goto out;
	}
	err = may_create(dir);
	if (err)
		goto out;
	struct inode *root = fs_get_root();
	mutex_lock(&vfs_ns_lock);
	err = lookup_locked(dir, wl.name, wl.len, &victim);
	if (!err) {
		if (!S_ISDIR(victim->mode))
			err = -ENOTDIR;
		else if (victim->mounted || victim == root)
			err = -EBUSY;
		else
			err = sticky_ok(dir, victim);
	}
	if (!err)
		err = dir->iops->rmdir ? dir->iops->rmdir(dir, wl.name, wl.len) : -EPERM;
	mutex_unlock(&vfs_ns_lock);
	inode_put(root);
	inode_put(victim);
out:
	put_parent(path, &wl);
	return err;
}

long sys_unlinkat(int dirfd, const char *upath, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return flags & AT_REMOVEDIR ? do_rmdir(dirfd, upath) : do_unlink(dirfd, upath);
}

long sys_unlink(const char *upath)
{
	return do_unlink(AT_FDCWD, upath);
}

long sys_rmdir(const char *upath)
{
	return do_rmdir(AT_FDCWD, upath);
}

/* Is dir inside (or equal to) the tree of anc? Both on one super block;
 * vfs_ns_lock held. Climbs ".." to the super block's root. */
static int is_descendant(struct inode *dir, struct inode *anc, bool *res)
{
	struct inode *cur = inode_get(dir);
	*res = false;
	for (;;) {
		if (cur == anc) {
			*res = true;
			break;
		}
		if (cur == cur->sb->root)
			break;
		struct inode *up;
		int err = lookup_locked(cur, "..", 2, &up);
		if (err) {
			inode_put(cur);
			return err;
		}
		if (up == cur) {
			inode_put(up);
			break;
		}
		inode_put(cur);
		cur = up;
	}
	inode_put(cur);
	return 0;
}

#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2

/* RENAME_EXCHANGE, under vfs_ns_lock: both names exist; either may be a
 * directory, but neither may end up inside itself. */
static int exchange_locked(struct walk_last *o, struct inode *src, struct walk_last *n,
                           struct inode *dst)
{
	if ((o->trailing_slash && !S_ISDIR(src->mode)) || (n->trailing_slash && !S_ISDIR(dst->mode)))
		return -ENOTDIR;
	int err = sticky_ok(o->dir, src);
	if (!err)
		err = sticky_ok(n->dir, dst);
	if (err)
		return err;
	if (src == dst)
		return 0;
	if (src->mounted || dst->mounted)
		return -EBUSY;
	bool inside = false;
	if (S_ISDIR(src->mode) && (err = is_descendant(n->dir, src, &inside)))
		return err;
	if (!inside && S_ISDIR(dst->mode) && (err = is_descendant(o->dir, dst, &inside)))
		return err;
	if (inside)
		return -EINVAL;
	/* A file system without an atomic exchange refuses it, as Linux. */
	if (!o->dir->iops->exchange)
		return -EINVAL;
	err = o->dir->iops->exchange(o->dir, o->name, o->len, n->dir, n->name, n->len);
	if (!err) {
		fname_moved(src, o->dir, o->name, o->len, n->dir, n->name, n->len);
		fname_moved(dst, n->dir, n->name, n->len, o->dir, o->name, o->len);
	}
	return err;
}

long sys_renameat2(int olddirfd, const char *uold, int newdirfd,
                   const char *unew, unsigned flags)
{
	if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) ||
	    (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) == (RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL; /* RENAME_WHITEOUT: unsupported */
	char *opath, *npath;
	struct walk_last o, n;
	int err = get_parent(olddirfd, uold, &opath, &o);
	if (err)
		return err;
	err = get_parent(newdirfd, unew, &npath, &n);
	if (err) {
		put_parent(opath, &o);
		return err;
	}
	struct inode *src = NULL, *dst = NULL;
	if (o.kind || n.kind)
		err = (o.kind == '/' || n.kind == '/') ? -EBUSY
		      : n.kind && !o.kind ? -EEXIST : -EBUSY;
	else if (o.dir->sb != n.dir->sb)
		err = -EXDEV;
	else if (!(err = may_create(o.dir)))
		err = may_create(n.dir);
	if (err)
		goto out;
	mutex_lock(&vfs_ns_lock);
	err = lookup_locked(o.dir, o.name, o.len, &src);
	if (err)
		goto unlock;
	int e2 = lookup_locked(n.dir, n.name, n.len, &dst);
	if (e2 && (e2 != -ENOENT || (flags & RENAME_EXCHANGE))) {
		err = e2;
		goto unlock;
	}
	if (flags & RENAME_EXCHANGE) {
		err = exchange_locked(&o, src, &n, dst);
		goto unlock;
	}
	if ((o.trailing_slash || n.trailing_slash) && !S_ISDIR(src->mode)) {
		err = -ENOTDIR;
		goto unlock;
	}
	err = sticky_ok(o.dir, src);
	if (err)
		goto unlock;
	if (dst) {
		if (flags & RENAME_NOREPLACE) {
			err = -EEXIST;
			goto unlock;
		}
		if (dst == src)
			goto unlock; /* same file: nothing to do, success */
		if (S_ISDIR(src->mode) && !S_ISDIR(dst->mode))
			err = -ENOTDIR;
		else if (!S_ISDIR(src->mode) && S_ISDIR(dst->mode))
			err = -EISDIR;
		else if (dst->mounted || src->mounted)
			err = -EBUSY;
		else
			err = sticky_ok(n.dir, dst);
		if (err)
			goto unlock;
	}
	if (S_ISDIR(src->mode)) {
		if (src->mounted) {
			err = -EBUSY;
			goto unlock;
		}
		bool inside;
		err = is_descendant(n.dir, src, &inside);
		if (!err && inside)
			err = -EINVAL; /* moving a directory into itself */
		if (err)
			goto unlock;
	}
	err = o.dir->iops->rename
	      ? o.dir->iops->rename(o.dir, o.name, o.len, n.dir, n.name, n.len)
	      : -EPERM;
	if (!err) {
		/* Open files follow, as Linux's dentries: the replaced one's
		 * name is gone, the renamed one's is the new name. */
		if (dst)
			fname_unlinked(dst, n.dir, n.name, n.len);
		fname_moved(src, o.dir, o.name, o.len, n.dir, n.name, n.len);
	}
unlock:
	mutex_unlock(&vfs_ns_lock);
out:
	inode_put(src);
	inode_put(dst);
	put_parent(opath, &o);
	put_parent(npath, &n);
	return err;
}

long sys_renameat(int olddirfd, const char *uold, int newdirfd, const char *unew)
{
	return sys_renameat2(olddirfd, uold, newdirfd, unew, 0);
}

long sys_rename(const char *uold, const char *unew)
{
	return sys_renameat2(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}
