/*
 * kernel/fs/fs_struct.c - a process's file-system context: root directory,
 * working directory and umask, shared by CLONE_FS threads and copied by
 * fork. Both inodes are counted references. A task without an fs_struct
 * (early kernel threads) resolves paths against the system root.
 */
#include "vfs.h"
#include "mm.h"
#include "task.h"

struct fs_struct *fs_struct_new(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return NULL;
	fs->refcount = 1;
	spin_init(&fs->lock, "fs_struct");
	fs->root = vfs_root(); /* NULL before vfs_init: filled in lazily */
	fs->cwd = fs->root ? inode_get(fs->root) : NULL;
	fs->umask = 022;
	return fs;
}

struct fs_struct *fs_struct_clone(struct fs_struct *old)
{
	if (!old)
		return fs_struct_new();
	struct fs_struct *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return NULL;
	fs->refcount = 1;
	spin_init(&fs->lock, "fs_struct");
	spin_lock(&old->lock);
	fs->root = old->root ? inode_get(old->root) : NULL;
	fs->cwd = old->cwd ? inode_get(old->cwd) : NULL;
	fs->umask = old->umask;
	spin_unlock(&old->lock);
	return fs;
}

void fs_struct_get(struct fs_struct *fs)
{
	__atomic_add_fetch(&fs->refcount, 1, __ATOMIC_SEQ_CST);
}

void fs_struct_put(struct fs_struct *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->refcount, 1, __ATOMIC_SEQ_CST))
		return;
	inode_put(fs->root);
	inode_put(fs->cwd);
	kfree(fs);
}

static struct fs_struct *cur_fs(void)
{
	struct task *t = current;
	return t ? t->fs : NULL;
}

struct inode *fs_get_root(void)
{
	struct fs_struct *fs = cur_fs();
	struct inode *r = NULL;
	if (fs) {
		spin_lock(&fs->lock);
		if (fs->root)
			r = inode_get(fs->root);
		spin_unlock(&fs->lock);
	}
	return r ? r : vfs_root();
}

struct inode *fs_get_cwd(void)
{
	struct fs_struct *fs = cur_fs();
	struct inode *r = NULL;
	if (fs) {
		spin_lock(&fs->lock);
		if (fs->cwd)
			r = inode_get(fs->cwd);
		spin_unlock(&fs->lock);
	}
	return r ? r : fs_get_root();
}

void fs_set_cwd(struct inode *dir)
{
	struct fs_struct *fs = cur_fs();
	if (!fs)
		return;
	inode_get(dir);
	spin_lock(&fs->lock);
	struct inode *old = fs->cwd;
	fs->cwd = dir;
	spin_unlock(&fs->lock);
	inode_put(old);
}

mode_t fs_umask(void)
{
	struct fs_struct *fs = cur_fs();
	return fs ? fs->umask : 022;
}
