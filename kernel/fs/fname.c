/*
 * kernel/fs/fname.c - the names of open files, for /proc/<pid>/fd/N,
 * /proc/<pid>/maps and /proc/<pid>/exe.
 *
 * An open file remembers where open found it: the directory that held
 * its last component (after symlinks, so the name is the file's own) and
 * that name, like a Linux dentry. The path is rebuilt from them when
 * asked, with getcwd's climb (inode_path, sys_cwd.c), so it is seen from
 * the reader's root and follows its directories when they move.
 *
 * The records of a file's open descriptions hang off its inode
 * (inode->named_files), so that the VFS can keep them current as Linux's
 * dentries are: rename moves the records of the name it renames
 * (fname_moved), unlink and a rename over the name mark them deleted
 * (fname_unlinked), and the link reads "path (deleted)" - also for a file
 * whose link count reached zero some other way. One spinlock guards every
 * list and record; names are buffers of NAME_MAX + 1 bytes, rewritten in
 * place.
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

static spinlock_t fname_lock = SPINLOCK_INIT("fname");

/* Hang f's record (name_dir set) on its inode; fname_lock held. */
static void link_record(struct file *f)
{
	f->name_next = f->inode->named_files;
	f->inode->named_files = f;
}

void file_set_name(struct file *f, struct walk_name *wn)
{
	if (!wn->dir)
		return;
	char *buf = NULL;
	if (S_ISDIR(f->inode->mode) || f->name || !(buf = kmalloc(NAME_MAX + 1))) {
		walk_name_release(wn);
		return;
	}
	memcpy(buf, wn->name, NAME_MAX + 1);
	spin_lock(&fname_lock);
	f->name = buf;
	f->name_dir = wn->dir;   /* the reference moves to the file */
	link_record(f);
	spin_unlock(&fname_lock);
	wn->dir = NULL;
}

void file_copy_name(struct file *dst, const struct file *src)
{
	if (src->anon_name)
		dst->anon_name = src->anon_name;
	char *buf;
	if (!src->name || dst->name || !(buf = kmalloc(NAME_MAX + 1)))
		return;
	spin_lock(&fname_lock);
	memcpy(buf, src->name, NAME_MAX + 1);
	dst->name = buf;
	dst->name_deleted = src->name_deleted;
	if (src->name_dir) {
		dst->name_dir = inode_get(src->name_dir);
		link_record(dst);
	}
	spin_unlock(&fname_lock);
}

void file_name_release(struct file *f)
{
	spin_lock(&fname_lock);
	struct inode *dir = f->name_dir;
	if (dir)
		for (struct file **pp = &f->inode->named_files; *pp; pp = &(*pp)->name_next)
			if (*pp == f) {
				*pp = f->name_next;
				break;
			}
	f->name_dir = NULL;
	spin_unlock(&fname_lock);
	inode_put(dir);
	kfree(f->name);
	f->name = NULL;
}

static bool same_name(const struct file *f, struct inode *dir, const char *name, size_t len)
{
	return f->name_dir == dir && strlen(f->name) == len && !memcmp(f->name, name, len);
}

void fname_moved(struct inode *ino, struct inode *odir, const char *oname, size_t olen,
                 struct inode *ndir, const char *nname, size_t nlen)
{
	if (S_ISDIR(ino->mode) || nlen > NAME_MAX)
		return;
	int moved = 0;
	spin_lock(&fname_lock);
	for (struct file *f = ino->named_files; f; f = f->name_next) {
		if (!same_name(f, odir, oname, olen) || f->name_deleted)
			continue;
		f->name_dir = inode_get(ndir);
		memcpy(f->name, nname, nlen);
		f->name[nlen] = '\0';
		moved++;
	}
	spin_unlock(&fname_lock);
	while (moved--)
		inode_put(odir);   /* the caller holds another reference */
}

void fname_unlinked(struct inode *ino, struct inode *dir, const char *name, size_t len)
{
	spin_lock(&fname_lock);
	for (struct file *f = ino->named_files; f; f = f->name_next)
		if (same_name(f, dir, name, len))
			f->name_deleted = true;
	spin_unlock(&fname_lock);
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
		spin_lock(&fname_lock);
		struct inode *dir = f->name_dir ? inode_get(f->name_dir) : NULL;
		memcpy(name, f->name, NAME_MAX + 1);
		bool gone = f->name_deleted || ino->nlink == 0;
		spin_unlock(&fname_lock);
		ssize_t r = dir ? path_text(dir, name, gone ? " (deleted)" : "", buf, size, locked)
		                : -ENOENT;
		inode_put(dir);
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
