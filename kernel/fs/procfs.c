/*
 * kernel/fs/procfs.c - the proc file system: directories and files made
 * from tables of proc_entry (procfs.h); what the files say is in
 * proc_files.c.
 *
 * Nothing is stored: lookup makes a fresh inode for the entry it finds,
 * and evict frees it when the last user is gone. Inode numbers are
 * derived from the position in the tables (parent number * 1024 + index
 * + 2, the root being 1), so lookup and readdir agree on them every time -
 * getcwd inside /proc depends on that.
 *
 * A file's text is generated at open into a private buffer (struct
 * proc_buf), so every read of one open file, at any offset, sees the same
 * snapshot; opening it again gives fresh numbers. Files report size 0, as
 * on Linux: readers go until read() returns 0.
 */
#include "vfs.h"
#include "mm.h"
#include "procfs.h"

#define PROC_ROOT_INO 1
#define PROC_BUF_START 1024
#define PROC_BUF_MAX (256 * 1024)

/* What an inode of ours is: its entry, the directory context handed to
 * the callbacks, and (for "..") the parent directory, counted. */
struct proc_inode {
	const struct proc_entry *entry;
	void *ctx;
	struct inode *parent;   /* NULL for the root */
};

static const struct proc_entry proc_root_entry = {
	.name = "",
	.mode = S_IFDIR | 0555,
};

static const struct inode_ops proc_dir_iops;
static const struct inode_ops proc_file_iops;
static const struct file_ops proc_file_ops;

static struct proc_inode *PI(struct inode *ino)
{
	return ino->priv;
}

/* The table of a directory inode: /proc's own for the root. */
static const struct proc_entry *dir_table(struct inode *dir, size_t *n)
{
	const struct proc_entry *e = PI(dir)->entry;
	if (e == &proc_root_entry) {
		*n = proc_root_nentries;
		return proc_root_entries;
	}
	*n = e->nchildren;
	return e->children;
}

void proc_printf(struct proc_buf *b, const char *fmt, ...)
{
	if (b->overflow)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->overflow = true;
		return;
	}
	b->len += (size_t)n;
}

/* ---- inodes ---- */

static struct inode *proc_new_inode(struct super_block *sb,
                                    const struct proc_entry *e, void *ctx,
                                    struct inode *parent, ino_t num)
{
	struct proc_inode *pi = kzalloc(sizeof(*pi));
	if (!pi)
		return NULL;
	struct inode *ino = inode_alloc(sb, e->mode);
	if (!ino) {
		kfree(pi);
		return NULL;
	}
	pi->entry = e;
	pi->ctx = ctx;
	pi->parent = parent ? inode_get(parent) : NULL;
	ino->priv = pi;
	ino->ino = num;
	ino->uid = ino->gid = 0;  /* whoever looks first, root owns it */
	if (S_ISDIR(e->mode)) {
		ino->nlink = 2;
		ino->iops = &proc_dir_iops;
		ino->fops = &dir_file_ops;
	} else {
		ino->iops = &proc_file_iops;
		ino->fops = &proc_file_ops;
	}
	return ino;
}

static void proc_evict(struct inode *ino)
{
	struct proc_inode *pi = PI(ino);
	if (pi) {
		inode_put(pi->parent);
		kfree(pi);
	}
	inode_free(ino);
}

static int proc_lookup(struct inode *dir, const char *name, size_t len,
                       struct inode **res)
{
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		struct inode *p = PI(dir)->parent;
		*res = inode_get(p ? p : dir);
		return 0;
	}
	size_t n;
	const struct proc_entry *t = dir_table(dir, &n);
	for (size_t i = 0; i < n; i++) {
		if (strlen(t[i].name) != len || memcmp(t[i].name, name, len))
			continue;
		/* A directory entry with its own table keeps the context. */
		struct inode *ino = proc_new_inode(dir->sb, &t[i], PI(dir)->ctx,
		                                   dir, dir->ino * 1024 + i + 2);
		if (!ino)
			return -ENOMEM;
		*res = ino;
		return 0;
	}
	return -ENOENT;
}

/* Positions: 0 ".", 1 "..", then 2 + index into the table. */
static int proc_readdir(struct inode *dir, off_t *pos, filldir_t fill,
                        void *ctx)
{
	size_t n;
	const struct proc_entry *t = dir_table(dir, &n);
	for (;;) {
		off_t p = *pos;
		if (p < 0)
			return -EINVAL;
		if (p == 0) {
			if (fill(ctx, ".", 1, dir->ino, DT_DIR))
				return 0;
		} else if (p == 1) {
			struct inode *up = PI(dir)->parent;
			if (fill(ctx, "..", 2, up ? up->ino : dir->ino, DT_DIR))
				return 0;
		} else if ((size_t)(p - 2) < n) {
			const struct proc_entry *e = &t[p - 2];
			if (fill(ctx, e->name, strlen(e->name),
			         dir->ino * 1024 + (ino_t)(p - 2) + 2,
			         mode_to_dtype(e->mode)))
				return 0;
		} else {
			return 0;
		}
		*pos = p + 1;
	}
}

/* Truncation is accepted and means nothing: a shell's `echo c >
 * /proc/sysrq-trigger` opens with O_TRUNC (as Linux allows). Nothing else
 * about a proc file can be changed. */
static int proc_setattr(struct inode *ino __unused, const struct iattr *a)
{
	return a->valid == ATTR_SIZE ? 0 : -EPERM;
}

static const struct inode_ops proc_dir_iops = {
	.lookup = proc_lookup,
	.readdir = proc_readdir,
};
static const struct inode_ops proc_file_iops = { .setattr = proc_setattr };

/* ---- open files ---- */

/* Run the generator into a buffer that grows until the text fits. */
static int proc_generate(struct proc_inode *pi, struct proc_buf **out)
{
	struct proc_buf *b = kzalloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (size_t cap = PROC_BUF_START;; cap *= 2) {
		b->data = kmalloc(cap);
		if (!b->data) {
			kfree(b);
			return -ENOMEM;
		}
		b->cap = cap;
		b->len = 0;
		b->overflow = false;
		int err = pi->entry->show(b, pi->ctx);
		if (!err && !b->overflow) {
			*out = b;
			return 0;
		}
		kfree(b->data);
		if (err || cap >= PROC_BUF_MAX) {
			kfree(b);
			return err ? err : -EFBIG;
		}
	}
}

static int proc_open(struct inode *ino, struct file *f)
{
	struct proc_inode *pi = PI(ino);
	f->priv = NULL;
	if ((f->flags & O_ACCMODE) == O_WRONLY || !pi->entry->show)
		return 0;
	struct proc_buf *b;
	int err = proc_generate(pi, &b);
	if (err)
		return err;
	f->priv = b;
	return 0;
}

static void proc_release(struct file *f)
{
	struct proc_buf *b = f->priv;
	if (b) {
		kfree(b->data);
		kfree(b);
	}
}

static ssize_t proc_read(struct file *f, void *buf, size_t n, off_t *off)
{
	struct proc_buf *b = f->priv;
	if (!b)
		return -EIO;   /* a write-only entry such as sysrq-trigger (Linux: EIO) */
	if (*off < 0)
		return -EINVAL;
	if ((uint64_t)*off >= b->len)
		return 0;
	size_t k = MIN(n, b->len - (size_t)*off);
	memcpy(buf, b->data + *off, k);
	*off += (off_t)k;
	return (ssize_t)k;
}

static ssize_t proc_write(struct file *f, const void *buf, size_t n,
                          off_t *off __unused)
{
	struct proc_inode *pi = PI(f->inode);
	if (!pi->entry->write)
		return -EIO;   /* as Linux, for files without a write handler */
	return pi->entry->write(buf, n, pi->ctx);
}

static const struct file_ops proc_file_ops = {
	.open = proc_open,
	.release = proc_release,
	.read = proc_read,
	.write = proc_write,
};

/* ---- the super block ---- */

static const struct super_ops proc_super_ops = { .evict = proc_evict };

struct super_block *procfs_create(void)
{
	static struct super_block *sb;
	if (sb)
		return sb;
	struct super_block *s = super_alloc("proc", PROC_SUPER_MAGIC,
	                                    &proc_super_ops);
	if (!s)
		return NULL;
	s->root = proc_new_inode(s, &proc_root_entry, NULL, NULL, PROC_ROOT_INO);
	if (!s->root)
		return NULL;  /* the super block stays on the list, unused */
	sb = s;
	return sb;
}
