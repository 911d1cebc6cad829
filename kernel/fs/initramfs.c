/*
 * kernel/fs/initramfs.c - unpack the boot cpio archive into the root ramfs.
 *
 * Entries are created relative to the system root, whatever the calling
 * task's root or cwd. Names are taken component by component: leading "/"
 * and "./" are dropped, ".." anywhere is refused (the entry would escape
 * the root), missing parent directories are created, and symlinks in the
 * archive are never followed while unpacking, so an entry cannot redirect
 * a later one outside the tree. An existing non-directory is replaced (as
 * Linux does). Hard links (newc nlink > 1) are joined by inode number: the
 * first entry creates the file, later ones link to it, and whichever
 * carries the data writes it.
 * Any malformed entry is reported with its archive offset and stops the
 * unpacking; what was unpacked before stays.
 */
#include "vfs.h"
#include "mm.h"
#include "cpio.h"
#include "path.h"

struct hardlink {
	uint32_t ino, devmajor, devminor;
	struct inode *inode;
	struct hardlink *next;
};

struct unpack {
	struct inode *root;
	struct hardlink *links;
	const char *why; /* for the error report */
};

static int ns_call_lookup(struct inode *dir, const char *n, size_t len,
                          struct inode **res)
{
	int err = vfs_lookup_child(dir, n, len, res);
	if (!err)
		*res = cross_mounts(*res);
	return err;
}

/* Walk to the parent of the last component of name, creating missing
 * directories. *dir: new reference; *last and *lastlen: the final component. */
static int walk_parent(struct unpack *u, const char *name, struct inode **dir,
                       const char **last, size_t *lastlen)
{
	struct inode *cur = inode_get(u->root);
	const char *p = name, *comp;
	size_t len = path_component(&p, &comp);
	int err = 0;
	while (len) {
		const char *next;
		const char *q = p;
		size_t nlen = path_component(&q, &next);
		if (path_is_dotdot(comp, len)) {
			u->why = "entry escapes the root (\"..\")";
			err = -EINVAL;
			break;
		}
		if (len > NAME_MAX) {
			u->why = "name component too long";
			err = -ENAMETOOLONG;
			break;
		}
		if (nlen == 0) {  /* comp is the last component */
			*dir = cur;
			*last = comp;
			*lastlen = len;
			return 0;
		}
		if (!path_is_dot(comp, len)) {
			struct inode *child;
			err = ns_call_lookup(cur, comp, len, &child);
			if (err == -ENOENT) {
				mutex_lock(&vfs_ns_lock);
				err = cur->iops->mkdir ? cur->iops->mkdir(cur, comp, len, S_IFDIR | 0755)
				                       : -EPERM;
				mutex_unlock(&vfs_ns_lock);
				if (!err)
					err = ns_call_lookup(cur, comp, len, &child);
			}
			if (err) {
				u->why = "cannot create parent directory";
				break;
			}
			if (!S_ISDIR(child->mode)) {
				inode_put(child);
				u->why = "parent is not a directory";
				err = -ENOTDIR;
				break;
			}
			inode_put(cur);
			cur = child;
		}
		p = q;
		comp = next;
		len = nlen;
	}
	inode_put(cur);
	*dir = NULL;
	if (!err) {
		u->why = "empty name";
		err = -EINVAL;
	}
	return err;
}

static void set_attrs(struct inode *ino, const struct cpio_entry *e)
{
	if (!ino->iops || !ino->iops->setattr)
		return;
	struct iattr a = {
		.valid = ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_ATIME | ATTR_MTIME,
		.mode = e->mode & 07777,
		.uid = e->uid,
		.gid = e->gid,
		.atime = { e->mtime, 0 },
		.mtime = { e->mtime, 0 },
	};
	mutex_lock(&ino->lock);
	ino->iops->setattr(ino, &a);
	mutex_unlock(&ino->lock);
}

static int write_data(struct inode *ino, const struct cpio_entry *e)
{
	if (!e->size)
		return 0;
	struct file *f = vfs_open_inode(ino, O_WRONLY);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	ssize_t n = kernel_write(f, e->data, e->size, 0);
	file_put(f);
	if (n < 0)
		return (int)n;
	return (size_t)n == e->size ? 0 : -ENOSPC;
}

static struct hardlink *find_link(struct unpack *u, const struct cpio_entry *e)
{
	for (struct hardlink *h = u->links; h; h = h->next)
		if (h->ino == e->ino && h->devmajor == e->devmajor &&
		    h->devminor == e->devminor)
			return h;
	return NULL;
}

/* Make one entry (not a directory that exists already) in dir. */
static int make_entry(struct unpack *u, struct inode *dir, const char *name,
                      size_t len, const struct cpio_entry *e)
{
	const struct inode_ops *op = dir->iops;
	mode_t type = e->mode & S_IFMT, mode = e->mode & (S_IFMT | 07777);
	struct inode *ino = NULL;
	int err;

	/* An existing entry is replaced unless both are directories. */
	struct inode *old;
	if (!ns_call_lookup(dir, name, len, &old)) {
		bool both_dirs = S_ISDIR(old->mode) && type == S_IFDIR;
		bool old_dir = S_ISDIR(old->mode);
		inode_put(old);
		if (both_dirs) {
			/* e.g. "dev" when /dev exists: just update it */
			if (!ns_call_lookup(dir, name, len, &ino)) {
				set_attrs(ino, e);
				inode_put(ino);
			}
			return 0;
		}
		if (old_dir) {
			u->why = "a directory is in the way";
			return -EISDIR;
		}
		mutex_lock(&vfs_ns_lock);
		err = op->unlink ? op->unlink(dir, name, len) : -EPERM;
		mutex_unlock(&vfs_ns_lock);
		if (err) {
			u->why = "cannot replace existing file";
			return err;
		}
	}

	struct hardlink *hl = NULL;
	if (type == S_IFREG && e->nlink > 1)
		hl = find_link(u, e);
	mutex_lock(&vfs_ns_lock);
	switch (type) {
	case S_IFDIR:
		err = op->mkdir ? op->mkdir(dir, name, len, mode) : -EPERM;
		break;
	case S_IFREG:
		if (hl)
			err = op->link ? op->link(dir, name, len, hl->inode) : -EPERM;
		else
			err = op->create ? op->create(dir, name, len, mode, &ino) : -EPERM;
		if (!err && ino)
			inode_put(ino); /* looked up again below */
		break;
	case S_IFLNK: {
		char *target = kmalloc(e->size + 1);
		err = -ENOMEM;
		if (target) {
			memcpy(target, e->data, e->size);
			target[e->size] = '\0';
			err = (e->size == 0 || strlen(target) != e->size) ? -EINVAL
			      : op->symlink ? op->symlink(dir, name, len, target)
			                    : -EPERM;
			kfree(target);
		}
		break;
	}
	case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		err = op->mknod ? op->mknod(dir, name, len, mode,
		                            MKDEV(e->rdevmajor, e->rdevminor))
		                : -EPERM;
		break;
	default:
		err = -EINVAL;
	}
	mutex_unlock(&vfs_ns_lock);
	if (err) {
		u->why = type == S_IFLNK && err == -EINVAL ? "bad symlink target"
		         : err == -EINVAL ? "bad file type" : "cannot create entry";
		return err;
	}
	err = ns_call_lookup(dir, name, len, &ino);
	if (err) {
		u->why = "created entry vanished";
		return err;
	}
	if (type == S_IFREG) {
		err = write_data(ino, e);
		if (!err && e->nlink > 1 && !hl) {
			hl = kzalloc(sizeof(*hl));
			if (hl) {
				hl->ino = e->ino;
				hl->devmajor = e->devmajor;
				hl->devminor = e->devminor;
				hl->inode = inode_get(ino);
				hl->next = u->links;
				u->links = hl;
			}
		}
		if (err)
			u->why = "cannot write file data";
	}
	if (!err && type != S_IFLNK)
		set_attrs(ino, e);
	inode_put(ino);
	return err;
}

int initramfs_unpack(const void *cpio, size_t size)
{
	int err = vfs_mount_root();
	if (err)
		return err;
	struct unpack u = { .root = vfs_root() };
	struct cpio_reader r;
	struct cpio_entry e;
	cpio_init(&r, cpio, size);
	unsigned count = 0;
	int rc;
	while ((rc = cpio_next(&r, &e)) == 1) {
		const char *n = e.name;
		while (*n == '/' || (n[0] == '.' && n[1] == '/'))
			n += *n == '/' ? 1 : 2;
		if (!*n || (n[0] == '.' && !n[1]))
			continue; /* the root itself */
		struct inode *dir;
		const char *last;
		size_t len;
		err = walk_parent(&u, n, &dir, &last, &len);
		if (!err) {
			err = make_entry(&u, dir, last, len, &e);
			inode_put(dir);
		}
		if (err) {
			kprintf(KERN_ERR "initramfs: %s: \"%s\" at offset %zu (%d); "
			        "unpacking stopped\n", u.why ? u.why : "error",
			        e.name, e.offset, err);
			break;
		}
		count++;
	}
	if (rc < 0) {
		kprintf(KERN_ERR "initramfs: malformed archive: %s at offset %zu; "
		        "unpacking stopped\n", r.error, r.error_off);
		err = -EINVAL;
	}
	while (u.links) {
		struct hardlink *h = u.links;
		u.links = h->next;
		inode_put(h->inode);
		kfree(h);
	}
	inode_put(u.root);
	if (!err)
		kprintf("initramfs: %u entries unpacked\n", count);
	return err;
}
