/*
 * kernel/fs/fname.c - the names of open files, for /proc/<pid>/fd/N,
 * /proc/<pid>/maps and /proc/<pid>/exe.
 *
 * An open file remembers where open found it: the directory that held
 * its last component (after symlinks, so the name is the file's own) and
 * that name, like exec's record of the program. The path is rebuilt from
 * them when asked, with getcwd's climb (inode_path, sys_cwd.c), so it is
 * seen from the reader's root and follows the directories when they are
 * renamed. The name itself is checked again at that time: if it no
 * longer leads to the file, the file is looked for in the same directory
 * under another name (a rename within the directory); failing that a
 * file without links gets Linux's " (deleted)" suffix, and one renamed
 * into another directory keeps showing its old name (Linux follows it:
 * tests/abi/differences.md).
 *
 * Directories need no record: their path is climbed from the inode.
 * Files that have no name on Linux read as it prints them: pipe:[ino],
 * socket:[ino], anon_inode:[eventfd] (the name anon_file_create was
 * given), and a name without a directory (memfd.c: "memfd:x") as
 * "/memfd:x (deleted)".
 */
#include "vfs.h"
#include "mm.h"
#include "uaccess.h"

void file_set_name(struct file *f, struct walk_name *wn)
{
	if (!wn->dir)
		return;
	if (S_ISDIR(f->inode->mode) || f->name ||
	    !(f->name = kstrdup(wn->name))) {
		walk_name_release(wn);
		return;
	}
	f->name_dir = wn->dir;   /* the reference moves to the file */
	wn->dir = NULL;
}

void file_copy_name(struct file *dst, const struct file *src)
{
	if (src->anon_name)
		dst->anon_name = src->anon_name;
	if (!src->name || dst->name || !(dst->name = kstrdup(src->name)))
		return;
	if (src->name_dir)
		dst->name_dir = inode_get(src->name_dir);
}

void file_name_release(struct file *f)
{
	inode_put(f->name_dir);
	kfree(f->name);
	f->name_dir = NULL;
	f->name = NULL;
}

/* The name of f's inode in its directory now, into name[NAME_MAX + 1]:
 * the recorded one if it still leads there, else another entry of the
 * same directory with that inode. -ENOENT if there is none. */
static int current_name(struct file *f, char *name, bool locked)
{
	struct inode *dir = f->name_dir, *ino = NULL;
	int err;
	if (locked)
		err = dir->iops && dir->iops->lookup
		      ? dir->iops->lookup(dir, f->name, strlen(f->name), &ino) : -ENOTDIR;
	else
		err = vfs_lookup_child(dir, f->name, strlen(f->name), &ino);
	if (!err) {
		bool same = ino == f->inode;
		inode_put(ino);
		if (same) {
			snprintf(name, NAME_MAX + 1, "%s", f->name);
			return 0;
		}
	}
	return inode_name_in(dir, f->inode, name, locked);
}

/* dir's path from the reader's root, then "/name" and suffix. */
static ssize_t path_text(struct inode *dir, const char *name,
                         const char *suffix, char *buf, size_t size,
                         bool locked)
{
	struct inode *root = fs_get_root();
	char *tmp = kmalloc(PATH_MAX);
	ssize_t r = -ENOMEM;
	if (root && tmp) {
		long err;
		const char *p = locked ? inode_path_locked(dir, root, tmp, &err)
		                       : inode_path(dir, root, tmp, &err);
		r = err;
		if (p) {
			size_t n = strlen(p) + (name ? strlen(name) : 0) + strlen(suffix) + 2;
			char *out = kmalloc(n);
			r = -ENOMEM;
			if (out) {
				snprintf(out, n, "%s%s%s%s", p,
				         name && strcmp(p, "/") ? "/" : "",
				         name ? name : "", suffix);
				r = (ssize_t)MIN(strlen(out), size);
				memcpy(buf, out, (size_t)r);
				kfree(out);
			}
		}
	}
	kfree(tmp);
	inode_put(root);
	return r;
}

ssize_t inode_link_text(struct inode *dir, const char *name, char *buf,
                        size_t size, bool locked)
{
	return path_text(dir, name, "", buf, size, locked);
}

ssize_t file_path_text(struct file *f, char *buf, size_t size, bool locked)
{
	struct inode *ino = f->inode;
	if (S_ISDIR(ino->mode)) {
		ssize_t r = path_text(ino, NULL, "", buf, size, locked);
		if (r >= 0)
			return r;
	}
	if (f->name_dir) {
		char *name = kmalloc(NAME_MAX + 1);
		if (!name)
			return -ENOMEM;
		bool gone = false;
		if (current_name(f, name, locked)) {
			snprintf(name, NAME_MAX + 1, "%s", f->name);
			gone = ino->nlink == 0;
		}
		ssize_t r = path_text(f->name_dir, name, gone ? " (deleted)" : "",
		                      buf, size, locked);
		kfree(name);
		if (r >= 0)
			return r;
	}
	if (f->name && !f->name_dir) {
		/* A file made without a directory (memfd): Linux's path of a
		 * file on an internal mount, "/memfd:x (deleted)". */
		size_t n = strlen(f->name) + 12;
		char *out = kmalloc(n);
		if (!out)
			return -ENOMEM;
		snprintf(out, n, "/%s (deleted)", f->name);
		size_t k = MIN(strlen(out), size);
		memcpy(buf, out, k);
		kfree(out);
		return (ssize_t)k;
	}
	char text[48];
	const char *type = ino->sb ? ino->sb->type : "";
	if (!strcmp(type, "pipefs"))
		snprintf(text, sizeof(text), "pipe:[%lu]", (unsigned long)ino->ino);
	else if (!strcmp(type, "sockfs"))
		snprintf(text, sizeof(text), "socket:[%lu]", (unsigned long)ino->ino);
	else if (f->anon_name)
		snprintf(text, sizeof(text), "anon_inode:%s", f->anon_name);
	else
		snprintf(text, sizeof(text), "anon_inode:[%lu]", (unsigned long)ino->ino);
	size_t k = MIN(strlen(text), size);
	memcpy(buf, text, k);
	return (ssize_t)k;
}
