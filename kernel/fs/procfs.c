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
/* /proc/<pid> is inode PROC_PID_INO + pid; its files follow the usual
 * rule (times 1024, plus index + 2), far above the fixed tables' numbers. */
#define PROC_PID_INO (1ULL << 32)
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
static const struct inode_ops proc_link_iops;
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
	} else if (S_ISLNK(e->mode)) {
		ino->iops = &proc_link_iops;
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
	if (PI(dir)->entry == &proc_root_entry) {
		/* After the fixed table: "self", then one directory per pid. */
		if (len == 4 && !memcmp(name, "self", 4)) {
			*res = proc_new_inode(dir->sb, &proc_self_link, NULL, dir,
			                      dir->ino * 1024 + n + 2);
			return *res ? 0 : -ENOMEM;
		}
		pid_t pid = 0;
		size_t i;
		for (i = 0; i < len && i < 9 && name[i] >= '0' && name[i] <= '9'; i++)
			pid = pid * 10 + (name[i] - '0');
		if (i == len && len && name[0] != '0') {
			if (!proc_pid_alive(pid))
				return -ENOENT;
			*res = proc_new_inode(dir->sb, &proc_pid_dir,
			                      (void *)(uintptr_t)pid, dir,
			                      PROC_PID_INO + (ino_t)pid);
			return *res ? 0 : -ENOMEM;
		}
	}
	const struct proc_entry *de = PI(dir)->entry;
	if (de->next_number && len && len < 10 && name[0] >= '0' && name[0] <= '9' &&
	    (len == 1 || name[0] != '0')) {
		long k = 0;
		size_t i;
		for (i = 0; i < len && name[i] >= '0' && name[i] <= '9'; i++)
			k = k * 10 + (name[i] - '0');
		if (i == len) {
			if (de->next_number(PI(dir)->ctx, k - 1) != k)
				return -ENOENT;
			*res = proc_new_inode(dir->sb, de->numbered,
			                      de->numbered_ctx(PI(dir)->ctx, k), dir,
			                      dir->ino * 1024 + n + (ino_t)k + 2);
			return *res ? 0 : -ENOMEM;
		}
	}
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

/* The root's positions after its table: n + 2 "self", then n + 3 + pid
 * for each live process, so a reader resumes at the next pid even when
 * processes came and went in between. */
static int proc_readdir_pids(struct inode *dir, size_t n, off_t *pos,
                             filldir_t fill, void *ctx)
{
	off_t base = (off_t)n + 3;
	if (*pos == base - 1) {
		if (fill(ctx, "self", 4, dir->ino * 1024 + n + 2, DT_LNK))
			return 0;
		*pos = base;
	}
	for (;;) {
		pid_t pid = proc_next_pid((pid_t)(*pos - base));
		if (!pid)
			return 0;
		char name[16];
		int len = snprintf(name, sizeof(name), "%d", pid);
		if (fill(ctx, name, (size_t)len, PROC_PID_INO + (ino_t)pid, DT_DIR))
			return 0;
		*pos = base + pid + 1;
	}
}

/* A directory of numbered entries (/proc/<pid>/fd): after its table,
 * position n + 2 + k stands for number k. */
static int proc_readdir_numbers(struct inode *dir, size_t n, off_t *pos,
                                filldir_t fill, void *ctx)
{
	const struct proc_entry *de = PI(dir)->entry;
	off_t base = (off_t)n + 2;
	for (;;) {
		long k = de->next_number(PI(dir)->ctx, (long)(*pos - base) - 1);
		if (k < 0)
			return 0;
		char name[24];
		int len = snprintf(name, sizeof(name), "%ld", k);
		if (fill(ctx, name, (size_t)len, dir->ino * 1024 + n + (ino_t)k + 2,
		         mode_to_dtype(de->numbered->mode)))
			return 0;
		*pos = base + k + 1;
	}
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
		} else if (PI(dir)->entry == &proc_root_entry) {
			return proc_readdir_pids(dir, n, pos, fill, ctx);
		} else if (PI(dir)->entry->next_number) {
			return proc_readdir_numbers(dir, n, pos, fill, ctx);
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

static ssize_t proc_readlink(struct inode *ino, char *buf, size_t size)
{
	struct proc_inode *pi = PI(ino);
	return pi->entry->readlink(buf, size, pi->ctx);
}
static const struct inode_ops proc_link_iops = { .readlink = proc_readlink };

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
