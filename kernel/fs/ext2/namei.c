/*
 * kernel/fs/ext2/namei.c - namespace operations: create, mknod, mkdir,
 * symlink, link, unlink, rmdir, rename.
 *
 * All run under the VFS's vfs_ns_lock. Order of changes: a new inode is
 * written before the entry naming it; a rename adds or redirects the new
 * name before it removes the old one, so at every moment the file has at
 * least one name (a crash may leave two, never none). A directory's link
 * count is 2 plus its subdirectories.
 */
#include "ext2.h"

static int check_rw(struct inode *dir)
{
	return ext2_rdonly(EXT2_SB(dir->sb)) ? -EROFS : 0;
}

/* Make an inode of mode and give it name in dir. *res (if not NULL): a
 * new reference. */
static int make_node(struct inode *dir, const char *name, size_t len,
                     mode_t mode, dev_t rdev, struct inode **res)
{
	int err = check_rw(dir);
	if (err)
		return err;
	struct inode *ino;
	err = ext2_new_inode(dir, mode, rdev, &ino);
	if (err)
		return err;
	err = ext2_add_entry(dir, name, len, ino);
	if (err) {
		ino->nlink = 0; /* evict frees it */
		inode_put(ino);
		return err;
	}
	if (res)
		*res = ino;
	else
		inode_put(ino);
	return 0;
}

static int ext2_create(struct inode *dir, const char *name, size_t len,
                       mode_t mode, struct inode **res)
{
	return make_node(dir, name, len, S_IFREG | (mode & 07777), 0, res);
}

static int ext2_mknod(struct inode *dir, const char *name, size_t len,
                      mode_t mode, dev_t rdev)
{
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	default:
		return -EINVAL;
	}
	if (!S_ISCHR(mode) && !S_ISBLK(mode))
		rdev = 0;
	return make_node(dir, name, len, mode, rdev, NULL);
}

static int ext2_mkdir(struct inode *dir, const char *name, size_t len,
                      mode_t mode)
{
	int err = check_rw(dir);
	if (err)
		return err;
	if (dir->nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	struct inode *ino;
	err = ext2_new_inode(dir, S_IFDIR | (mode & 07777), 0, &ino);
	if (err)
		return err;
	ino->nlink = 2;
	err = ext2_make_empty(ino, dir);
	if (!err)
		err = ext2_add_entry(dir, name, len, ino);
	if (err) {
		ino->nlink = 0;
		inode_put(ino);
		return err;
	}
	dir->nlink++;
	ext2_write_inode(dir);
	inode_put(ino);
	return 0;
}

static int ext2_symlink(struct inode *dir, const char *name, size_t len,
                        const char *target)
{
	int err = check_rw(dir);
	if (err)
		return err;
	size_t tlen = strlen(target);
	if (tlen == 0)
		return -ENOENT;
	if (tlen >= EXT2_SB(dir->sb)->bs)
		return -ENAMETOOLONG;
	struct inode *ino;
	err = ext2_new_inode(dir, S_IFLNK | 0777, 0, &ino);
	if (err)
		return err;
	err = ext2_write_symlink(ino, target, tlen);
	if (!err)
		err = ext2_add_entry(dir, name, len, ino);
	if (err)
		ino->nlink = 0;
	inode_put(ino);
	return err;
}

static int ext2_link(struct inode *dir, const char *name, size_t len,
                     struct inode *target)
{
	int err = check_rw(dir);
	if (err)
		return err;
	if (S_ISDIR(target->mode))
		return -EPERM;
	if (target->nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	err = ext2_add_entry(dir, name, len, target);
	if (err)
		return err;
	target->nlink++;
	inode_touch(target, false, false, true);
	return ext2_write_inode(target);
}

/* Find name in dir: its slot (buffer referenced) and inode (new ref). */
static int find_inode(struct inode *dir, const char *name, size_t len,
                      struct ext2_dirslot *slot, struct inode **res)
{
	uint32_t nr;
	int err = ext2_find_entry(dir, name, len, slot, &nr);
	if (err)
		return err;
	err = ext2_iget(dir->sb, nr, res);
	if (err)
		brelse(slot->b);
	return err;
}

static int ext2_unlink(struct inode *dir, const char *name, size_t len)
{
	int err = check_rw(dir);
	if (err)
		return err;
	struct ext2_dirslot slot;
	struct inode *victim;
	err = find_inode(dir, name, len, &slot, &victim);
	if (err)
		return err;
	if (S_ISDIR(victim->mode)) {
		brelse(slot.b);
		inode_put(victim);
		return -EISDIR;
	}
	ext2_delete_entry(dir, &slot);
	if (victim->nlink)
		victim->nlink--;
	inode_touch(victim, false, false, true);
	ext2_write_inode(victim);
	inode_put(victim); /* the last user's put frees it */
	return 0;
}

/* May directory victim go (rmdir, or be replaced by rename)? */
static int removable_dir(struct inode *victim)
{
	if (victim->mounted)
		return -EBUSY;
	int empty = ext2_dir_empty(victim);
	if (empty < 0)
		return empty;
	return empty ? 0 : -ENOTEMPTY;
}

static int ext2_rmdir(struct inode *dir, const char *name, size_t len)
{
	int err = check_rw(dir);
	if (err)
		return err;
	struct ext2_dirslot slot;
	struct inode *victim;
	err = find_inode(dir, name, len, &slot, &victim);
	if (err)
		return err;
	err = S_ISDIR(victim->mode) ? removable_dir(victim) : -ENOTDIR;
	if (err) {
		brelse(slot.b);
		inode_put(victim);
		return err;
	}
	ext2_delete_entry(dir, &slot);
	victim->nlink = 0;
	inode_touch(victim, false, false, true);
	ext2_write_inode(victim);
	if (dir->nlink > 2)
		dir->nlink--;
	ext2_write_inode(dir);
	inode_put(victim);
	return 0;
}

static int ext2_rename(struct inode *olddir, const char *oldname, size_t oldlen,
                       struct inode *newdir, const char *newname, size_t newlen)
{
	int err = check_rw(olddir);
	if (err)
		return err;
	struct ext2_dirslot oslot, nslot;
	struct inode *src, *victim = NULL;
	err = find_inode(olddir, oldname, oldlen, &oslot, &src);
	if (err)
		return err;
	brelse(oslot.b); /* found again below: adding an entry may split it */
	bool isdir = S_ISDIR(src->mode);
	err = find_inode(newdir, newname, newlen, &nslot, &victim);
	if (err == -ENOENT) {
		victim = NULL;
		err = 0;
		if (isdir && olddir != newdir && newdir->nlink >= EXT2_LINK_MAX)
			err = -EMLINK;
	} else if (!err) {
		if (victim == src)
			err = 1; /* same inode: nothing to do */
		else if (S_ISDIR(victim->mode))
			err = isdir ? removable_dir(victim) : -EISDIR;
		else if (isdir)
			err = -ENOTDIR;
		if (err)
			brelse(nslot.b);
	}
	if (err)
		goto out;
	/* The new name first ... */
	if (victim) {
		ext2_set_entry(newdir, &nslot, src);
	} else {
		err = ext2_add_entry(newdir, newname, newlen, src);
		if (err)
			goto out;
	}
	/* ... then the old one goes. */
	uint32_t nr;
	err = ext2_find_entry(olddir, oldname, oldlen, &oslot, &nr);
	if (!err && nr != src->ino) {
		brelse(oslot.b);
		err = -EIO;
	}
	if (err)
		goto out;
	ext2_delete_entry(olddir, &oslot);
	if (isdir && olddir != newdir) {
		err = ext2_set_dotdot(src, newdir);
		olddir->nlink--;
		newdir->nlink++;
	}
	inode_touch(src, false, false, true);
	ext2_write_inode(src);
	if (victim) {
		if (S_ISDIR(victim->mode)) {
			victim->nlink = 0;
			newdir->nlink--; /* its ".." is gone */
		} else if (victim->nlink) {
			victim->nlink--;
		}
		inode_touch(victim, false, false, true);
		ext2_write_inode(victim);
	}
	ext2_write_inode(olddir);
	if (newdir != olddir)
		ext2_write_inode(newdir);
out:
	inode_put(victim);
	inode_put(src);
	return err > 0 ? 0 : err;
}

const struct inode_ops ext2_dir_iops = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.mknod = ext2_mknod,
	.symlink = ext2_symlink,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
	.setattr = ext2_setattr,
	.readdir = ext2_readdir,
};
