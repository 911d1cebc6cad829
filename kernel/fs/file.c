/*
 * kernel/fs/file.c - open file descriptions: opening by path or inode,
 * reference counting, kernel-side reads and writes, seeking, truncation.
 *
 * A struct file holds one reference to its inode and is itself shared by
 * every descriptor that dup()/fork() made from it. The last file_put()
 * calls ops->release (exactly once; a file whose ->open failed is never
 * released) and drops the inode.
 */
#include "vfs.h"
#include "fstype.h"
#include "mm.h"
#include "task.h"
#include "vm.h"

struct file *file_alloc(struct inode *ino, unsigned flags)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->refcount = 1;
	f->flags = flags;
	f->inode = inode_get(ino);
	f->ops = ino->fops;
	mutex_init(&f->pos_lock, "file_pos");
	return f;
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refcount, 1, __ATOMIC_SEQ_CST);
}

void file_put(struct file *f)
{
	if (!f)
		return;
	if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_SEQ_CST) != 0)
		return;
	locks_file_release(f); /* flock locks belong to this description */
	if (f->ops && f->ops->release)
		f->ops->release(f);
	file_name_release(f);   /* its record hangs off the inode: first */
	inode_put(f->inode);
	kfree(f);
}

mode_t file_mode(struct file *f)
{
	return f->inode->mode;
}

uint64_t file_size(struct file *f)
{
	return f->inode->size;
}

ssize_t kernel_read(struct file *f, void *buf, size_t n, off_t off)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_PATH))
		return -EBADF;
	if (!f->ops || !f->ops->read)
		return -EINVAL;
	return filemap_read(f, buf, n, &off);
}

ssize_t kernel_write(struct file *f, const void *buf, size_t n, off_t off)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_PATH))
		return -EBADF;
	if (!f->ops || !f->ops->write)
		return -EINVAL;
	return filemap_write(f, buf, n, &off);
}

int vfs_truncate(struct inode *ino, uint64_t size)
{
	if (S_ISDIR(ino->mode))
		return -EISDIR;
	if (!S_ISREG(ino->mode))
		return -EINVAL;
	if ((int64_t)size < 0)
		return -EINVAL;
	if (ino->sb && (ino->sb->flags & MS_RDONLY))
		return -EROFS;
	if (!ino->iops || !ino->iops->setattr)
		return -EPERM;
	struct iattr a = { .valid = ATTR_SIZE, .size = size };
	mutex_lock(&ino->lock);
	uint64_t old = ino->size;
	/* Seals (memfd.c): no shrinking or growing. */
	int err = (size < old && (ino->seals & F_SEAL_SHRINK)) ||
	          (size > old && (ino->seals & F_SEAL_GROW)) ? -EPERM : 0;
	if (!err)
		err = ino->iops->setattr(ino, &a);
	mutex_unlock(&ino->lock);
	if (!err)
		filemap_truncate(ino, old, size); /* mapped pages past the end go */
	return err;
}

off_t vfs_llseek(struct file *f, off_t off, int whence)
{
	if (f->flags & O_PATH)
		return -EBADF;
	if (f->ops && f->ops->llseek)
		return f->ops->llseek(f, off, whence);
	mode_t m = f->inode->mode;
	if (S_ISFIFO(m) || S_ISCHR(m) || (m & S_IFMT) == S_IFSOCK)
		return -ESPIPE;
	mutex_lock(&f->pos_lock);
	off_t base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = (off_t)f->inode->size; break;
	default:
		mutex_unlock(&f->pos_lock);
		return -EINVAL;
	}
	off_t pos;
	bool overflow = __builtin_add_overflow(base, off, &pos);
	if (overflow || pos < 0) {
		mutex_unlock(&f->pos_lock);
		return overflow ? -EOVERFLOW : -EINVAL;
	}
	f->pos = pos;
	mutex_unlock(&f->pos_lock);
	return pos;
}

static ssize_t dir_read(struct file *f __unused, void *buf __unused,
                        size_t n __unused, off_t *off __unused)
{
	return -EISDIR;
}

const struct file_ops dir_file_ops = { .read = dir_read };

/* check_perm is false for a file open(O_CREAT) just made: creating with
 * mode 0444 and O_WRONLY must still hand back a writable descriptor. */
static struct file *open_inode(struct inode *ino, int flags, bool check_perm)
{
	int acc = flags & O_ACCMODE;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode))
		return ERR_PTR(-ENOTDIR);
	if (flags & O_PATH) {
		struct file *f = file_alloc(ino, (unsigned)flags &
		                            (O_PATH | O_DIRECTORY | O_NOFOLLOW));
		if (!f)
			return ERR_PTR(-ENOMEM);
		f->ops = NULL;
		return f;
	}
	if (acc == 3)
		return ERR_PTR(-EINVAL);
	if (S_ISLNK(ino->mode))
		return ERR_PTR(-ELOOP);
	if (S_ISDIR(ino->mode) && (acc != O_RDONLY || (flags & O_CREAT)))
		return ERR_PTR(-EISDIR);
	if ((ino->mode & S_IFMT) == S_IFSOCK)
		return ERR_PTR(-ENXIO);
	int mask = (acc == O_RDONLY ? MAY_READ : acc == O_WRONLY ? MAY_WRITE
	                                                    : MAY_READ | MAY_WRITE);
	if (check_perm) {
		int err = inode_permission(ino, mask);
		if (err)
			return ERR_PTR(err);
	}
	if ((flags & O_TRUNC) && acc != O_RDONLY && S_ISREG(ino->mode)) {
		int err = vfs_truncate(ino, 0);
		if (err)
			return ERR_PTR(err);
	}
	/* The driver's ->open still sees O_NOCTTY (a terminal decides on
	 * becoming the controlling tty); afterwards it goes, as in Linux. */
	struct file *f = file_alloc(ino, (unsigned)flags &
	                            (O_ACCMODE | O_APPEND | O_NONBLOCK | O_NOCTTY |
	                             O_DIRECTORY | O_NOFOLLOW | 040000 /* O_DIRECT */ |
	                             04010000 /* O_SYNC */ | 01000000 /* O_NOATIME */));
	if (!f)
		return ERR_PTR(-ENOMEM);
	if (f->ops && f->ops->open) {
		int err = f->ops->open(ino, f);
		if (err) {
			inode_put(f->inode);
			kfree(f);
			return ERR_PTR(err);
		}
	}
	f->flags &= ~(unsigned)O_NOCTTY;
	return f;
}

struct file *vfs_open_inode(struct inode *ino, int flags)
{
	return open_inode(ino, flags, true);
}

/* O_CREAT: find or make the last component under the namespace lock, so
 * that O_EXCL is atomic. */
static int open_create(int dirfd, const char *path, int flags, mode_t mode,
                       struct walk_name *wn, struct inode **res,
                       bool *created)
{
	struct walk_last wl;
	int err = path_parent_at(dirfd, path, &wl);
	if (err)
		return err;
	if (wl.kind || wl.trailing_slash) {
		inode_put(wl.dir);
		return -EISDIR;
	}
	struct inode *dir = wl.dir, *ino = NULL;
	err = inode_permission(dir, MAY_EXEC);
	if (err)
		goto out;
	mutex_lock(&vfs_ns_lock);
	err = dir->iops && dir->iops->lookup
	      ? dir->iops->lookup(dir, wl.name, wl.len, &ino) : -ENOTDIR;
	if (err == -ENOENT) {
		err = inode_permission(dir, MAY_WRITE);
		if (!err && (!dir->iops || !dir->iops->create))
			err = -EPERM;
		if (!err) {
			mode_t m = S_IFREG | (mode & 07777 & ~fs_umask());
			err = dir->iops->create(dir, wl.name, wl.len, m, &ino);
		}
		if (!err)
			*created = true;
	}
	mutex_unlock(&vfs_ns_lock);
	if (!err) {
		wn->dir = inode_get(dir);
		memcpy(wn->name, wl.name, wl.len);
		wn->name[wl.len] = '\0';
	}
	if (err || *created)
		goto out;
	if (flags & O_EXCL) {
		err = -EEXIST;
		goto out;
	}
	ino = cross_mounts(ino);
	if (S_ISLNK(ino->mode)) {
		if (flags & O_NOFOLLOW) {
			err = -ELOOP;
			goto out;
		}
		/* An existing symlink: open what it points to (a dangling
		 * one gives ENOENT; Linux would create the target). */
		inode_put(ino);
		ino = NULL;
		err = path_lookup_last_name(&wl, true, wn, &ino);
	}
out:
	inode_put(dir);
	if (err) {
		inode_put(ino);
		ino = NULL;
	}
	*res = ino;
	return err;
}

/* The file keeps the name it was found by (fname.c). */
struct file *vfs_open_at(int dirfd, const char *path, int flags, mode_t mode)
{
	struct inode *ino;
	bool created = false;
	int err;
	struct walk_name *wn = kzalloc(sizeof(*wn));
	if (!wn)
		return ERR_PTR(-ENOMEM);
	if ((flags & O_CREAT) && !(flags & O_PATH)) {
		err = open_create(dirfd, path, flags, mode, wn, &ino, &created);
	} else {
		unsigned lf = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
		if (flags & O_DIRECTORY)
			lf |= LOOKUP_DIRECTORY;
		err = path_lookup_name_at(dirfd, path, lf, wn, &ino);
	}
	if (err) {
		walk_name_release(wn);
		kfree(wn);
		return ERR_PTR(err);
	}
	if (created)
		flags &= ~O_TRUNC;
	struct file *f = open_inode(ino, flags, !created);
	inode_put(ino);
	if (!IS_ERR(f))
		file_set_name(f, wn);
	walk_name_release(wn);
	kfree(wn);
	return f;
}

struct file *vfs_open_kernel(const char *path, int flags, mode_t mode)
{
	return vfs_open_at(AT_FDCWD, path, flags, mode);
}
