/*
 * kernel/fs/ext2/inode.c - in-memory inodes: reading them from the inode
 * table (with checks), writing them back, creating and evicting them,
 * attribute changes.
 *
 * One struct inode per inode number and mount: a hash under
 * sbi->icache_lock. evict() (reference count zero) writes the inode back
 * and removes it from the hash, or, when it has no links left, frees its
 * blocks and its number: that is how an unlinked file that is still open
 * lives on until its last close, with nothing left behind after it.
 * A lookup that finds an inode whose count already dropped to zero waits
 * for that evict to finish (inode_tryget fails; yield and look again).
 */
#include "ext2.h"
#include "mm.h"
#include "task.h"

static unsigned hash(uint32_t nr)
{
	return (nr * 2654435761u) >> 25; /* 7 bits: EXT2_ICACHE_BUCKETS */
}
_Static_assert(EXT2_ICACHE_BUCKETS == 128, "hash() gives 7 bits");

static struct ext2_inode **hash_slot(struct ext2_sb_info *s, uint32_t nr)
{
	struct ext2_inode **pp = &s->icache[hash(nr)];
	while (*pp && (*pp)->vfs->ino != nr)
		pp = &(*pp)->hnext;
	return pp;
}

static void hash_remove(struct ext2_sb_info *s, struct ext2_inode *ei)
{
	struct ext2_inode **pp = hash_slot(s, (uint32_t)ei->vfs->ino);
	if (*pp == ei)
		*pp = ei->hnext;
}

/* The inode-table buffer holding inode nr and the inode's offset in it. */
static struct buf *raw_inode_buf(struct ext2_sb_info *s, uint32_t nr,
                                 unsigned *off)
{
	uint32_t g = (nr - 1) / s->ipg, idx = (nr - 1) % s->ipg;
	uint64_t byte = (uint64_t)idx * s->inode_size;
	uint32_t blk = ext2_gd(s, g)->bg_inode_table + (uint32_t)(byte / s->bs);
	*off = (unsigned)(byte % s->bs);
	return ext2_bread(s, blk);
}

static unsigned extra_isize(struct ext2_sb_info *s, const struct ext2_disk_inode *r)
{
	if (s->inode_size <= EXT2_GOOD_OLD_INODE_SIZE ||
	    r->i_extra_isize > s->inode_size - EXT2_GOOD_OLD_INODE_SIZE)
		return 0;
	return r->i_extra_isize;
}

static struct ktimespec get_time(uint32_t sec, const uint32_t *extra)
{
	struct ktimespec t = { (int32_t)sec, 0 };
	if (extra) {
		t.sec += (int64_t)(*extra & 3) << 32;
		t.nsec = *extra >> 2;
		if (t.nsec >= 1000000000)
			t.nsec = 0;
	}
	return t;
}

static uint32_t put_time(struct ktimespec t, uint32_t *extra)
{
	if (extra)
		*extra = (uint32_t)(t.nsec << 2) |
		         (uint32_t)(((uint64_t)(t.sec - (int32_t)t.sec) >> 32) & 3);
	return (uint32_t)t.sec;
}

static bool fast_symlink(struct ext2_sb_info *s, const struct ext2_disk_inode *r)
{
	uint32_t ea = r->i_file_acl ? s->bs / 512 : 0;
	return r->i_blocks == ea;
}

void ext2_set_ops(struct inode *ino)
{
	switch (ino->mode & S_IFMT) {
	case S_IFDIR:
		ino->iops = &ext2_dir_iops;
		ino->fops = &dir_file_ops;
		break;
	case S_IFREG:
		ino->iops = &ext2_file_iops;
		ino->fops = &ext2_file_ops;
		break;
	case S_IFLNK:
		ino->iops = &ext2_symlink_iops;
		ino->fops = NULL;
		break;
	case S_IFCHR:
		ino->iops = &ext2_special_iops;
		ino->fops = &chrdev_file_ops;
		break;
	case S_IFBLK:
		ino->iops = &ext2_special_iops;
		ino->fops = &blkdev_file_ops;
		break;
	case S_IFIFO:
		ino->iops = &ext2_special_iops;
		ino->fops = &fifo_file_ops;
		break;
	default:
		ino->iops = &ext2_special_iops;
		ino->fops = NULL;
		break;
	}
}

/* Fill a fresh VFS inode from the raw one; -EIO if it cannot be valid. */
static int decode(struct ext2_sb_info *s, struct inode *ino, struct ext2_inode *ei,
                  const struct ext2_disk_inode *r)
{
	mode_t type = r->i_mode & S_IFMT;
	if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK && type != S_IFCHR &&
	    type != S_IFBLK && type != S_IFIFO && type != S_IFSOCK)
		return -EIO;
	if (r->i_links_count == 0)
		return -EIO; /* a deleted inode named by a directory entry */
	ino->mode = r->i_mode;
	ino->uid = r->i_uid | (uint32_t)r->i_uid_high << 16;
	ino->gid = r->i_gid | (uint32_t)r->i_gid_high << 16;
	ino->nlink = r->i_links_count;
	ino->size = r->i_size;
	if (type == S_IFREG)
		ino->size |= (uint64_t)r->i_size_high << 32;
	ino->blocks = r->i_blocks;
	unsigned extra = extra_isize(s, r);
	bool ts = extra >= EXT2_EXTRA_TIMES_SIZE;
	ino->atime = get_time(r->i_atime, ts ? &r->i_atime_extra : NULL);
	ino->mtime = get_time(r->i_mtime, ts ? &r->i_mtime_extra : NULL);
	ino->ctime = get_time(r->i_ctime, ts ? &r->i_ctime_extra : NULL);
	memcpy(ei->block, r->i_block, sizeof(ei->block));
	ei->flags = r->i_flags;
	ei->dtime = r->i_dtime;
	ei->generation = r->i_generation;
	ei->file_acl = r->i_file_acl;
	if (type == S_IFCHR || type == S_IFBLK) {
		uint32_t old = r->i_block[0], nw = r->i_block[1];
		if (old)
			ino->rdev = MKDEV((old >> 8) & 0xff, old & 0xff);
		else
			ino->rdev = MKDEV((nw & 0xfff00) >> 8,
			                  (nw & 0xff) | ((nw >> 12) & 0xfff00));
	}
	if (ei->file_acl && !ext2_data_block_ok(s, ei->file_acl))
		return -EIO;
	if (type == S_IFDIR && (ino->size % s->bs || ino->size == 0))
		return -EIO;
	if ((type == S_IFREG || type == S_IFDIR) &&
	    ino->size > s->max_file_blocks * s->bs)
		return -EIO;
	if (type == S_IFLNK && (ino->size == 0 || ino->size >= s->bs ||
	    (fast_symlink(s, r) && ino->size >= sizeof(r->i_block))))
		return -EIO;
	return 0;
}

int ext2_iget(struct super_block *sb, uint32_t nr, struct inode **res)
{
	struct ext2_sb_info *s = EXT2_SB(sb);
	if (nr != EXT2_ROOT_INO && (nr < s->first_ino || nr > s->inodes_count)) {
		kprintf(KERN_ERR "ext2 (%s): bad inode number %u\n", s->bd->name, nr);
		return -EIO;
	}
	for (;;) {
		mutex_lock(&s->icache_lock);
		struct ext2_inode *ei = *hash_slot(s, nr);
		if (!ei)
			break;
		if (inode_tryget(ei->vfs)) {
			mutex_unlock(&s->icache_lock);
			*res = ei->vfs;
			return 0;
		}
		mutex_unlock(&s->icache_lock);
		yield(); /* its evict is under way */
	}
	unsigned off;
	struct buf *b = raw_inode_buf(s, nr, &off);
	if (IS_ERR(b)) {
		mutex_unlock(&s->icache_lock);
		return (int)PTR_ERR(b);
	}
	struct ext2_disk_inode r = { 0 };
	memcpy(&r, b->data + off, MIN(s->inode_size, (uint32_t)sizeof(r)));
	brelse(b);
	struct inode *ino = inode_alloc(sb, 0);
	struct ext2_inode *ei = kzalloc(sizeof(*ei));
	if (!ino || !ei) {
		mutex_unlock(&s->icache_lock);
		kfree(ei);
		if (ino)
			inode_free(ino);
		return -ENOMEM;
	}
	ino->ino = nr;
	ino->priv = ei;
	ei->vfs = ino;
	ei->group = (nr - 1) / s->ipg;
	int err = decode(s, ino, ei, &r);
	if (err) {
		mutex_unlock(&s->icache_lock);
		kprintf(KERN_ERR "ext2 (%s): inode %u is damaged (mode %#o, "
		        "links %u, size %u)\n", s->bd->name, nr, r.i_mode,
		        r.i_links_count, r.i_size);
		kfree(ei);
		inode_free(ino);
		return err;
	}
	ext2_set_ops(ino);
	ei->hnext = s->icache[hash(nr)];
	s->icache[hash(nr)] = ei;
	mutex_unlock(&s->icache_lock);
	*res = ino;
	return 0;
}

int ext2_write_inode(struct inode *ino)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	struct ext2_inode *ei = EXT2_I(ino);
	if (ext2_rdonly(s))
		return -EROFS;
	unsigned off;
	struct buf *b = raw_inode_buf(s, (uint32_t)ino->ino, &off);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	block_lock(b);
	struct ext2_disk_inode *r = (struct ext2_disk_inode *)(b->data + off);
	r->i_mode = (uint16_t)ino->mode;
	r->i_uid = (uint16_t)ino->uid;
	r->i_uid_high = (uint16_t)(ino->uid >> 16);
	r->i_gid = (uint16_t)ino->gid;
	r->i_gid_high = (uint16_t)(ino->gid >> 16);
	r->i_links_count = (uint16_t)ino->nlink;
	r->i_size = (uint32_t)ino->size;
	if (S_ISREG(ino->mode))
		r->i_size_high = (uint32_t)(ino->size >> 32);
	r->i_blocks = (uint32_t)ino->blocks;
	bool ts = extra_isize(s, r) >= EXT2_EXTRA_TIMES_SIZE;
	r->i_atime = put_time(ino->atime, ts ? &r->i_atime_extra : NULL);
	r->i_mtime = put_time(ino->mtime, ts ? &r->i_mtime_extra : NULL);
	r->i_ctime = put_time(ino->ctime, ts ? &r->i_ctime_extra : NULL);
	r->i_dtime = ei->dtime;
	r->i_flags = ei->flags;
	r->i_generation = ei->generation;
	r->i_file_acl = ei->file_acl;
	if (S_ISCHR(ino->mode) || S_ISBLK(ino->mode)) {
		unsigned ma = MAJOR(ino->rdev), mi = MINOR(ino->rdev);
		memset(r->i_block, 0, sizeof(r->i_block));
		if (ma < 256 && mi < 256)
			r->i_block[0] = ma << 8 | mi;
		else
			r->i_block[1] = (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
	} else {
		memcpy(r->i_block, ei->block, sizeof(r->i_block));
	}
	block_unlock(b);
	bdirty(b);
	brelse(b);
	if (ino->size > 0x7fffffff && S_ISREG(ino->mode) &&
	    !(s->ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		mutex_lock(&s->alloc_lock);
		s->ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		s->es->s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		if (s->es->s_rev_level == 0)
			s->es->s_rev_level = 1; /* features need revision 1 */
		ext2_sb_dirty(s);
		mutex_unlock(&s->alloc_lock);
	}
	return 0;
}

int ext2_new_inode(struct inode *dir, mode_t mode, dev_t rdev, struct inode **res)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	uint32_t nr;
	int err = ext2_new_inode_nr(s, EXT2_I(dir)->group, S_ISDIR(mode), &nr);
	if (err)
		return err;
	unsigned off;
	struct buf *b = raw_inode_buf(s, nr, &off);
	if (IS_ERR(b)) {
		ext2_free_inode_nr(s, nr, S_ISDIR(mode));
		return (int)PTR_ERR(b);
	}
	struct ext2_disk_inode *r = (struct ext2_disk_inode *)(b->data + off);
	if (r->i_links_count && r->i_mode && !r->i_dtime) {
		brelse(b);
		ext2_error(s, __func__, "inode bitmap marks inode %u free, "
		           "but it is in use", nr);
		return -EIO; /* its bit stays set: that is the truth */
	}
	struct inode *ino = inode_alloc(dir->sb, mode);
	struct ext2_inode *ei = kzalloc(sizeof(*ei));
	if (!ino || !ei) {
		brelse(b);
		kfree(ei);
		if (ino)
			inode_free(ino);
		ext2_free_inode_nr(s, nr, S_ISDIR(mode));
		return -ENOMEM;
	}
	block_lock(b);
	memset(r, 0, s->inode_size);
	if (s->inode_size > EXT2_GOOD_OLD_INODE_SIZE)
		r->i_extra_isize = (uint16_t)MIN(32u, s->inode_size - EXT2_GOOD_OLD_INODE_SIZE);
	block_unlock(b);
	bdirty(b);
	brelse(b);
	static uint32_t generation;
	ino->ino = nr;
	ino->priv = ei;
	ei->vfs = ino;
	ei->group = (nr - 1) / s->ipg;
	ei->generation = ++generation;
	if (dir->mode & S_ISGID) {
		ino->gid = dir->gid;
		if (S_ISDIR(mode))
			ino->mode |= S_ISGID;
	}
	ino->rdev = rdev;
	ext2_set_ops(ino);
	mutex_lock(&s->icache_lock);
	struct ext2_inode **pp = hash_slot(s, nr);
	bool dup = *pp != NULL;
	if (!dup) {
		ei->hnext = s->icache[hash(nr)];
		s->icache[hash(nr)] = ei;
	}
	mutex_unlock(&s->icache_lock);
	if (dup) { /* cannot happen unless the bitmap is wrong */
		kfree(ei);
		inode_free(ino);
		ext2_error(s, __func__, "inode %u allocated twice", nr);
		return -EIO;
	}
	err = ext2_write_inode(ino);
	if (err) {
		ino->nlink = 0;
		inode_put(ino);
		return err;
	}
	*res = ino;
	return 0;
}

/* The extended-attribute block is shared by reference count (h_refcount
 * at offset 4, magic 0xEA020000): drop our reference. */
static void release_xattr_block(struct inode *ino)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	struct ext2_inode *ei = EXT2_I(ino);
	uint32_t blk = ei->file_acl;
	ei->file_acl = 0;
	struct buf *b = ext2_bread(s, blk);
	if (IS_ERR(b))
		return;
	uint32_t *h = (uint32_t *)b->data;
	if (h[0] != 0xEA020000) {
		brelse(b);
		ext2_error(s, __func__, "inode %lu: bad xattr block %u",
		           (unsigned long)ino->ino, blk);
		return;
	}
	bool last = h[1] <= 1;
	if (!last) {
		h[1]--;
		bdirty(b);
	}
	brelse(b);
	if (last)
		ext2_free_block(s, blk);
	ino->blocks -= MIN(ino->blocks, (uint64_t)(s->bs / 512));
}

void ext2_evict(struct inode *ino)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	struct ext2_inode *ei = EXT2_I(ino);
	if (!s || !ei) {
		inode_free(ino);
		return;
	}
	mutex_lock(&s->icache_lock);
	bool delete = ino->nlink == 0 && !ext2_rdonly(s);
	if (!delete && !ext2_rdonly(s))
		ext2_write_inode(ino);
	hash_remove(s, ei);
	mutex_unlock(&s->icache_lock);
	if (delete) {
		/* No name and no user left: give everything back. The number
		 * goes last, so nobody reuses it while blocks are freed. */
		bool dir = S_ISDIR(ino->mode);
		if (S_ISREG(ino->mode) || dir || S_ISLNK(ino->mode))
			ext2_truncate_blocks(ino, 0);
		if (ei->file_acl)
			release_xattr_block(ino);
		ino->size = 0;
		ei->dtime = (uint32_t)current_time().sec;
		ext2_write_inode(ino);
		ext2_free_inode_nr(s, (uint32_t)ino->ino, dir);
	}
	kfree(ei);
	ino->priv = NULL;
	inode_free(ino);
}

void ext2_icache_drop_all(struct ext2_sb_info *s)
{
	mutex_lock(&s->icache_lock);
	for (unsigned i = 0; i < EXT2_ICACHE_BUCKETS; i++)
		if (s->icache[i])
			kprintf(KERN_WARNING "ext2 (%s): inode %lu still in use at "
			        "unmount\n", s->bd->name,
			        (unsigned long)s->icache[i]->vfs->ino);
	mutex_unlock(&s->icache_lock);
}

/* Called with ino->lock held (VFS). */
int ext2_setattr(struct inode *ino, const struct iattr *a)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	if (ext2_rdonly(s))
		return -EROFS;
	if (a->valid & ATTR_SIZE) {
		if (!S_ISREG(ino->mode))
			return -EINVAL;
		int err = ext2_set_size(ino, a->size);
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
	inode_touch(ino, false, false, true);
	return ext2_write_inode(ino);
}
