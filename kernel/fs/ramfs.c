/*
 * kernel/fs/ramfs.c - the in-memory file system: "/" and (later) tmpfs.
 *
 * Every inode lives only in memory. A directory is a singly linked list of
 * entries in creation order; each entry owns one reference to its inode,
 * so an inode stays alive exactly while it is linked somewhere or in use,
 * and evict() (reference count zero) frees it with its data: memory comes
 * back when the last name and the last open file are gone.
 *
 * Each entry gets a cookie from a per-directory counter when it is added;
 * readdir positions are cookies (0 ".", 1 "..", entries from 2), so an
 * iteration stays correct while entries come and go.
 *
 * Regular files keep their data in whole pages indexed by page number. A
 * hole (never written, or past a truncation) is a NULL slot and reads as
 * zeros. Invariant: bytes of an allocated page beyond i_size are zero, so
 * extending a file never exposes stale data.
 *
 * Locking: namespace ops run under vfs_ns_lock (VFS); file data and size
 * under inode->lock, taken here by read/write and by the VFS around
 * setattr.
 */
#include "ramfs.h"
#include "mm.h"
#include "task.h"
#include "vm.h"

struct ramfs_dirent {
	struct ramfs_dirent *next;
	struct inode *inode;
	off_t cookie;
	size_t len;
	char name[];
};

struct ramfs_node {
	/* directories */
	struct ramfs_dirent *head, *tail;
	off_t next_cookie;
	struct inode *parent;  /* not counted; NULL once removed */
	/* regular files */
	void **pages;
	size_t npages;         /* slots in pages[] */
	/* symlinks */
	char *target;
};

static const struct inode_ops ramfs_file_iops;
static const struct inode_ops ramfs_link_iops;
static const struct inode_ops ramfs_node_iops;
static const struct file_ops ramfs_file_ops;

static struct ramfs_node *RN(struct inode *ino)
{
	return ino->priv;
}

static struct inode *ramfs_new_inode(struct super_block *sb, mode_t mode,
                                     dev_t rdev)
{
	struct inode *ino = inode_alloc(sb, mode);
	if (!ino)
		return NULL;
	struct ramfs_node *n = kzalloc(sizeof(*n));
	if (!n) {
		inode_free(ino);
		return NULL;
	}
	ino->priv = n;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		ino->iops = &ramfs_dir_iops;
		ino->fops = &dir_file_ops;
		ino->nlink = 2;
		n->next_cookie = 2;
		break;
	case S_IFREG:
		ino->iops = &ramfs_file_iops;
		ino->fops = &ramfs_file_ops;
		ino->seals = F_SEAL_SEAL; /* as Linux's tmpfs: none may be added */
		break;
	case S_IFLNK:
		ino->iops = &ramfs_link_iops;
		break;
	case S_IFCHR:
		ino->iops = &ramfs_node_iops;
		ino->fops = &chrdev_file_ops;
		ino->rdev = rdev;
		break;
	case S_IFBLK:
		ino->iops = &ramfs_node_iops;
		ino->fops = &blkdev_file_ops;
		ino->rdev = rdev;
		break;
	case S_IFIFO:
		ino->iops = &ramfs_node_iops;
		ino->fops = &fifo_file_ops;
		break;
	default: /* sockets: a name only, until there are UNIX sockets */
		ino->iops = &ramfs_node_iops;
		break;
	}
	return ino;
}

static void free_pages_from(struct ramfs_node *n, size_t first)
{
	for (size_t i = first; i < n->npages; i++) {
		if (n->pages[i]) {
			page_free(virt_to_phys(n->pages[i]));
			n->pages[i] = NULL;
		}
	}
}

static void ramfs_evict(struct inode *ino)
{
	struct ramfs_node *n = RN(ino);
	if (n) {
		free_pages_from(n, 0);
		kfree(n->pages);
		kfree(n->target);
		/* A directory reaches zero only when empty (entries hold
		 * references), except a super block's root, never freed. */
		kfree(n);
	}
	inode_free(ino);
}

static int ramfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	memset(st, 0, sizeof(*st));
	st->type = sb->magic;
	st->bsize = PAGE_SIZE;
	st->blocks = pmm_total_pages();
	st->bfree = st->bavail = pmm_free_pages();
	st->files = st->ffree = st->bfree;
	st->namelen = NAME_MAX;
	return 0;
}

static const struct super_ops ramfs_super_ops = {
	.evict = ramfs_evict,
	.statfs = ramfs_statfs,
};

struct super_block *ramfs_create_named(const char *type, uint64_t magic)
{
	struct super_block *sb = super_alloc(type, magic, &ramfs_super_ops);
	if (!sb)
		return NULL;
	struct inode *root = ramfs_new_inode(sb, S_IFDIR | 0755, 0);
	if (!root)
		return NULL; /* the super block itself is not reclaimed */
	root->uid = root->gid = 0;
	RN(root)->parent = root;
	sb->root = root;
	return sb;
}

struct inode *ramfs_new_unlinked(struct super_block *sb, mode_t mode)
{
	struct inode *ino = ramfs_new_inode(sb, S_IFREG | (mode & 07777), 0);
	if (ino)
		ino->nlink = 0;
	return ino;
}

bool ramfs_is_file(struct inode *ino)
{
	return ino->fops == &ramfs_file_ops;
}

struct super_block *ramfs_create(void)
{
	return ramfs_create_named("ramfs", RAMFS_MAGIC);
}

/* ---- directories ---- */

static struct ramfs_dirent *find(struct inode *dir, const char *name,
                                 size_t len, struct ramfs_dirent **prev)
{
	struct ramfs_dirent *p = NULL;
	for (struct ramfs_dirent *d = RN(dir)->head; d; p = d, d = d->next) {
		if (d->len == len && !memcmp(d->name, name, len)) {
			if (prev)
				*prev = p;
			return d;
		}
	}
	return NULL;
}

bool ramfs_has_entry(struct inode *dir, const char *name, size_t len)
{
	return find(dir, name, len, NULL) != NULL;
}

/* Fill d (allocated for at least len name bytes) and append it to dir's
 * entries: ino (reference consumed) appears in dir under name. */
static void link_dirent(struct inode *dir, struct ramfs_dirent *d, const char *name,
                        size_t len, struct inode *ino)
{
	struct ramfs_node *n = RN(dir);
	memcpy(d->name, name, len);
	d->len = len;
	d->inode = ino;
	d->cookie = n->next_cookie++;
	d->next = NULL;
	if (n->tail)
		n->tail->next = d;
	else
		n->head = d;
	n->tail = d;
	if (S_ISDIR(ino->mode)) {
		RN(ino)->parent = dir;
		dir->nlink++;
	}
	inode_touch(dir, false, true, true);
}

/* Link ino (reference consumed) into dir under name. */
static int add_entry(struct inode *dir, const char *name, size_t len,
                     struct inode *ino)
{
	struct ramfs_dirent *d = kmalloc(sizeof(*d) + len);
	if (!d)
		return -ENOMEM;
	link_dirent(dir, d, name, len, ino);
	return 0;
}

/* Unlink entry d (prev is its predecessor); returns its inode reference. */
static struct inode *remove_entry(struct inode *dir, struct ramfs_dirent *d,
                                  struct ramfs_dirent *prev)
{
	struct ramfs_node *n = RN(dir);
	if (prev)
		prev->next = d->next;
	else
		n->head = d->next;
	if (n->tail == d)
		n->tail = prev;
	struct inode *ino = d->inode;
	kfree(d);
	if (S_ISDIR(ino->mode))
		dir->nlink--;
	inode_touch(dir, false, true, true);
	return ino;
}

static int ramfs_lookup(struct inode *dir, const char *name, size_t len,
                        struct inode **res)
{
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		struct inode *p = RN(dir)->parent;
		if (!p)
			return -ENOENT; /* a removed directory */
		*res = inode_get(p);
		return 0;
	}
	struct ramfs_dirent *d = find(dir, name, len, NULL);
	if (!d)
		return -ENOENT;
	*res = inode_get(d->inode);
	return 0;
}

int ramfs_add_node(struct inode *dir, const char *name, size_t len,
                   mode_t mode, dev_t rdev, struct inode **res)
{
	if (find(dir, name, len, NULL))
		return -EEXIST;
	if (RN(dir)->parent == NULL)
		return -ENOENT; /* creating in a removed directory */
	struct inode *ino = ramfs_new_inode(dir->sb, mode, rdev);
	if (!ino)
		return -ENOSPC;
	if (res)
		*res = inode_get(ino);
	int err = add_entry(dir, name, len, ino);
	if (err) {
		if (res)
			inode_put(*res);
		inode_put(ino);
	}
	return err;
}

static int ramfs_create_file(struct inode *dir, const char *name, size_t len,
                             mode_t mode, struct inode **res)
{
	return ramfs_add_node(dir, name, len, S_IFREG | (mode & 07777), 0, res);
}

static int ramfs_mknod(struct inode *dir, const char *name, size_t len,
                       mode_t mode, dev_t rdev)
{
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		return ramfs_add_node(dir, name, len, mode, rdev, NULL);
	default:
		return -EINVAL;
	}
}

static int ramfs_mkdir(struct inode *dir, const char *name, size_t len,
                       mode_t mode)
{
	return ramfs_add_node(dir, name, len, S_IFDIR | (mode & 07777), 0, NULL);
}

static int ramfs_symlink(struct inode *dir, const char *name, size_t len,
                         const char *target)
{
	char *t = kstrdup(target);
	if (!t)
		return -ENOMEM;
	struct inode *ino;
	int err = ramfs_add_node(dir, name, len, S_IFLNK | 0777, 0, &ino);
	if (err) {
		kfree(t);
		return err;
	}
	RN(ino)->target = t;
	ino->size = strlen(t);
	inode_put(ino);
	return 0;
}

static int ramfs_link(struct inode *dir, const char *name, size_t len,
                      struct inode *target)
{
	if (find(dir, name, len, NULL))
		return -EEXIST;
	if (S_ISDIR(target->mode))
		return -EPERM;
	int err = add_entry(dir, name, len, inode_get(target));
	if (err) {
		inode_put(target);
		return err;
	}
	target->nlink++;
	inode_touch(target, false, false, true);
	return 0;
}

static bool dir_empty(struct inode *dir)
{
	return RN(dir)->head == NULL;
}

static int ramfs_unlink(struct inode *dir, const char *name, size_t len)
{
	struct ramfs_dirent *prev = NULL, *d = find(dir, name, len, &prev);
	if (!d)
		return -ENOENT;
	if (S_ISDIR(d->inode->mode))
		return -EISDIR;
	struct inode *ino = remove_entry(dir, d, prev);
	ino->nlink--;
	inode_touch(ino, false, false, true);
	inode_put(ino);
	return 0;
}

static int ramfs_rmdir(struct inode *dir, const char *name, size_t len)
{
	struct ramfs_dirent *prev = NULL, *d = find(dir, name, len, &prev);
	if (!d)
		return -ENOENT;
	if (!S_ISDIR(d->inode->mode))
		return -ENOTDIR;
	if (!dir_empty(d->inode))
		return -ENOTEMPTY;
	if (d->inode->mounted)
		return -EBUSY;
	struct inode *ino = remove_entry(dir, d, prev);
	ino->nlink = 0;
	RN(ino)->parent = NULL;
	inode_put(ino);
	return 0;
}

static int ramfs_rename(struct inode *olddir, const char *oldname,
                        size_t oldlen, struct inode *newdir,
                        const char *newname, size_t newlen)
{
	struct ramfs_dirent *oprev = NULL, *od = find(olddir, oldname, oldlen, &oprev);
	if (!od)
		return -ENOENT;
	struct inode *ino = od->inode;
	struct ramfs_dirent *nprev = NULL, *nd = find(newdir, newname, newlen, &nprev);
	if (nd) {
		struct inode *victim = nd->inode;
		if (victim == ino)
			return 0;
		if (S_ISDIR(victim->mode)) {
			if (!S_ISDIR(ino->mode))
				return -EISDIR;
			if (!dir_empty(victim))
				return -ENOTEMPTY;
			if (victim->mounted)
				return -EBUSY;
		} else if (S_ISDIR(ino->mode)) {
			return -ENOTDIR;
		}
	}
	/* Allocate the new entry first so nothing can fail after the
	 * namespace starts to change. */
	struct ramfs_dirent *d = kmalloc(sizeof(*d) + newlen);
	if (!d)
		return -ENOMEM;
	if (nd) {
		struct inode *victim = remove_entry(newdir, nd, nprev);
		if (S_ISDIR(victim->mode)) {
			victim->nlink = 0;
			RN(victim)->parent = NULL;
		} else {
			victim->nlink--;
		}
		inode_touch(victim, false, false, true);
		inode_put(victim);
		/* od's predecessor may have been nd */
		oprev = NULL;
		find(olddir, oldname, oldlen, &oprev);
	}
	inode_get(ino);
	inode_put(remove_entry(olddir, od, oprev));
	link_dirent(newdir, d, newname, newlen, ino);
	inode_touch(ino, false, false, true);
	return 0;
}

/* RENAME_EXCHANGE: the two entries trade inodes; a directory moving to
 * the other parent takes its ".." (and the parents' link counts) along. */
static int ramfs_exchange(struct inode *adir, const char *aname, size_t alen,
                          struct inode *bdir, const char *bname, size_t blen)
{
	struct ramfs_dirent *a = find(adir, aname, alen, NULL), *b = find(bdir, bname, blen, NULL);
	if (!a || !b)
		return -ENOENT;
	struct inode *ai = a->inode, *bi = b->inode;
	if (ai == bi)
		return 0;
	a->inode = bi;
	b->inode = ai;
	bool adir_ = S_ISDIR(ai->mode), bdir_ = S_ISDIR(bi->mode);
	if (adir != bdir) {
		if (adir_)
			RN(ai)->parent = bdir;
		if (bdir_)
			RN(bi)->parent = adir;
		if (adir_ && !bdir_) {
			adir->nlink--;
			bdir->nlink++;
		} else if (bdir_ && !adir_) {
			bdir->nlink--;
			adir->nlink++;
		}
	}
	inode_touch(adir, false, true, true);
	if (bdir != adir)
		inode_touch(bdir, false, true, true);
	inode_touch(ai, false, false, true);
	inode_touch(bi, false, false, true);
	return 0;
}

static int ramfs_readdir(struct inode *dir, off_t *pos, filldir_t fill,
                         void *ctx)
{
	struct ramfs_node *n = RN(dir);
	if (*pos == 0) {
		if (fill(ctx, ".", 1, dir->ino, DT_DIR))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		struct inode *p = n->parent ? n->parent : dir;
		if (fill(ctx, "..", 2, p->ino, DT_DIR))
			return 0;
		*pos = 2;
	}
	for (struct ramfs_dirent *d = n->head; d; d = d->next) {
		if (d->cookie < *pos)
			continue;
		if (fill(ctx, d->name, d->len, d->inode->ino,
		         mode_to_dtype(d->inode->mode)))
			return 0;
		*pos = d->cookie + 1;
	}
	return 0;
}

/* ---- attributes and symlinks ---- */

static int truncate_data(struct inode *ino, uint64_t size)
{
	struct ramfs_node *n = RN(ino);
	if (size < ino->size) {
		size_t keep = (size_t)((size + PAGE_SIZE - 1) / PAGE_SIZE);
		free_pages_from(n, keep);
		size_t in_page = size % PAGE_SIZE;
		if (in_page && keep - 1 < n->npages && n->pages[keep - 1])
			memset((char *)n->pages[keep - 1] + in_page, 0,
			       PAGE_SIZE - in_page);
		uint64_t used = 0;
		for (size_t i = 0; i < n->npages; i++)
			used += n->pages[i] != NULL;
		ino->blocks = used * (PAGE_SIZE / 512);
	}
	ino->size = size;
	inode_touch(ino, false, true, true);
	return 0;
}

/* Called with ino->lock held. */
static int ramfs_setattr(struct inode *ino, const struct iattr *a)
{
	if (a->valid & ATTR_SIZE) {
		if (!S_ISREG(ino->mode))
			return -EINVAL;
		int err = truncate_data(ino, a->size);
		if (err)
			return err;
	}
	if (a->valid & ATTR_MODE)
		ino->mode = (ino->mode & S_IFMT) | (a->mode & 07777);
	if (a->valid & ATTR_UID)
		ino->uid = a->uid;
	if (a->valid & ATTR_GID)
		ino->gid = a->gid;
	if (a->valid & ATTR_ATIME)
		ino->atime = a->atime;
	if (a->valid & ATTR_MTIME)
		ino->mtime = a->mtime;
	if (a->valid & ~(unsigned)(ATTR_ATIME | ATTR_MTIME | ATTR_SIZE))
		inode_touch(ino, false, false, true);
	return 0;
}

static ssize_t ramfs_readlink(struct inode *ino, char *buf, size_t size)
{
	const char *t = RN(ino)->target;
	size_t len = strlen(t);
	memcpy(buf, t, MIN(len, size));
	return (ssize_t)len;
}

const struct inode_ops ramfs_dir_iops = {
	.lookup = ramfs_lookup,
	.create = ramfs_create_file,
	.mkdir = ramfs_mkdir,
	.mknod = ramfs_mknod,
	.symlink = ramfs_symlink,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.rmdir = ramfs_rmdir,
	.rename = ramfs_rename,
	.exchange = ramfs_exchange,
	.setattr = ramfs_setattr,
	.readdir = ramfs_readdir,
};
static const struct inode_ops ramfs_file_iops = { .setattr = ramfs_setattr };
static const struct inode_ops ramfs_node_iops = { .setattr = ramfs_setattr };
static const struct inode_ops ramfs_link_iops = {
	.readlink = ramfs_readlink,
	.setattr = ramfs_setattr,
};

/* ---- regular file data ---- */

static ssize_t ramfs_read(struct file *f, void *buf, size_t n, off_t *off)
{
	struct inode *ino = f->inode;
	struct ramfs_node *rn = RN(ino);
	if (*off < 0)
		return -EINVAL;
	mutex_lock(&ino->lock);
	uint64_t pos = (uint64_t)*off;
	size_t done = 0;
	if (pos < ino->size)
		n = (size_t)MIN((uint64_t)n, ino->size - pos);
	else
		n = 0;
	while (done < n) {
		size_t pg = (size_t)(pos / PAGE_SIZE), in = pos % PAGE_SIZE;
		size_t chunk = MIN(n - done, PAGE_SIZE - in);
		if (pg < rn->npages && rn->pages[pg])
			memcpy((char *)buf + done, (char *)rn->pages[pg] + in, chunk);
		else
			memset((char *)buf + done, 0, chunk);
		done += chunk;
		pos += chunk;
	}
	ino->atime = current_time();
	mutex_unlock(&ino->lock);
	*off = (off_t)pos;
	return (ssize_t)done;
}

static int grow_slots(struct ramfs_node *rn, size_t need)
{
	if (need <= rn->npages)
		return 0;
	size_t cap = rn->npages ? rn->npages : 4;
	while (cap < need)
		cap *= 2;
	void **p = krealloc(rn->pages, cap * sizeof(void *));
	if (!p)
		return -ENOSPC;
	memset(p + rn->npages, 0, (cap - rn->npages) * sizeof(void *));
	rn->pages = p;
	rn->npages = cap;
	return 0;
}

#define RAMFS_MAX_SIZE (1ULL << 40) /* keeps page indexes and offsets sane */

static ssize_t ramfs_write(struct file *f, const void *buf, size_t n,
                           off_t *off)
{
	struct inode *ino = f->inode;
	struct ramfs_node *rn = RN(ino);
	mutex_lock(&ino->lock);
	if (f->flags & O_APPEND)
		*off = (off_t)ino->size;
	if (*off < 0) {
		mutex_unlock(&ino->lock);
		return -EINVAL;
	}
	uint64_t pos = (uint64_t)*off;
	if (n && pos >= RAMFS_MAX_SIZE) {
		mutex_unlock(&ino->lock);
		return -EFBIG;
	}
	n = (size_t)MIN((uint64_t)n, RAMFS_MAX_SIZE - pos);
	size_t done = 0;
	int err = 0;
	if (n)
		err = grow_slots(rn, (size_t)((pos + n + PAGE_SIZE - 1) / PAGE_SIZE));
	while (!err && done < n) {
		size_t pg = (size_t)(pos / PAGE_SIZE), in = pos % PAGE_SIZE;
		size_t chunk = MIN(n - done, PAGE_SIZE - in);
		if (!rn->pages[pg]) {
			phys_addr_t p = page_alloc_zero();
			if (!p) {
				err = -ENOSPC;
				break;
			}
			rn->pages[pg] = phys_to_virt(p);
			ino->blocks += PAGE_SIZE / 512;
		}
		memcpy((char *)rn->pages[pg] + in, (const char *)buf + done, chunk);
		done += chunk;
		pos += chunk;
	}
	if (pos > ino->size && done)
		ino->size = pos;
	if (done)
		inode_touch(ino, false, true, true);
	mutex_unlock(&ino->lock);
	*off = (off_t)pos;
	return done ? (ssize_t)done : err;
}

/* Pages are allocated when written, so making room is only growing the
 * size (mode 0); KEEP_SIZE has nothing to do. PUNCH_HOLE zeroes through
 * the write path, which keeps mapped pages coherent. */
static long ramfs_fallocate(struct file *f, int mode, off_t off, off_t len)
{
	struct inode *ino = f->inode;
	uint64_t end = (uint64_t)off + (uint64_t)len;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		char *zero = kzalloc(PAGE_SIZE);
		if (!zero)
			return -ENOMEM;
		uint64_t size = ino->size, pos = (uint64_t)off;
		long r = 0;
		while (pos < MIN(end, size) && r >= 0) {
			off_t o = (off_t)pos;
			r = filemap_write(f, zero, MIN(PAGE_SIZE - pos % PAGE_SIZE, MIN(end, size) - pos), &o);
			pos = (uint64_t)o;
		}
		kfree(zero);
		return r < 0 ? r : 0;
	}
	if (!(mode & FALLOC_FL_KEEP_SIZE) && end > ino->size) {
		mutex_lock(&ino->lock);
		int err = end > ino->size ? truncate_data(ino, end) : 0;
		mutex_unlock(&ino->lock);
		return err;
	}
	return 0;
}

static const struct file_ops ramfs_file_ops = {
	.read = ramfs_read,
	.write = ramfs_write,
	.fallocate = ramfs_fallocate,
};
