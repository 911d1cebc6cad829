/*
 * kernel/fs/ext2/dir.c - directories: linear lists of variable-length
 * entries (inode, rec_len, name_len, file_type, name) filling each block
 * exactly; an entry with inode 0 is free space.
 *
 * Indexed (dir_index / htree) directories keep their index in blocks that
 * look like one free entry, so reading them linearly is correct. When we
 * change such a directory we clear EXT2_INDEX_FL, as Linux's ext2 does,
 * which tells other systems the index is stale.
 *
 * Every entry is checked before use (rec_len aligned, large enough for its
 * name, inside the block; inode number in range); a bad one makes the
 * directory operation fail with -EIO and a message naming the spot.
 *
 * readdir positions are byte offsets of entries. Entries never move once
 * written (deletion merges an entry into the one before it; insertion
 * splits the free tail of one), so a position stays meaningful while the
 * directory changes; a position inside merged space resumes at the next
 * entry.
 */
#include "ext2.h"

unsigned ext2_rec_len(struct ext2_sb_info *s, const struct ext2_dirent *d)
{
	unsigned len = d->rec_len;
	if (s->bs >= 65536 && (len == 65535 || len == 0))
		return 65536;
	return len;
}

static void set_rec_len(struct ext2_sb_info *s, struct ext2_dirent *d, unsigned len)
{
	d->rec_len = (uint16_t)(len >= 65536 && s->bs >= 65536 ? 65535 : len);
}

int ext2_check_dirent(struct inode *dir, const uint8_t *blk, unsigned off,
                      uint64_t lblk)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	const char *why = NULL;
	if (off + EXT2_DIRENT_HDR > s->bs)
		why = "entry header crosses the block";
	const struct ext2_dirent *d = (const struct ext2_dirent *)(blk + off);
	unsigned rl = why ? 0 : ext2_rec_len(s, d);
	if (why)
		;
	else if (rl < EXT2_DIR_REC_LEN(1) || rl % 4)
		why = "bad rec_len";
	else if (rl < EXT2_DIR_REC_LEN(d->name_len))
		why = "name longer than its record";
	else if (off + rl > s->bs)
		why = "record crosses the block";
	else if (d->inode > s->inodes_count)
		why = "bad inode number";
	if (!why)
		return 0;
	kprintf(KERN_ERR "ext2 (%s): directory %lu, block %lu, offset %u: %s\n",
	        s->bd->name, (unsigned long)dir->ino, (unsigned long)lblk, off, why);
	return -EIO;
}

/* Block lblk of a directory, read; a hole is damage. */
static struct buf *dir_block(struct inode *dir, uint64_t lblk)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	uint32_t phys;
	int err = ext2_bmap(dir, lblk, false, &phys, NULL);
	if (err)
		return ERR_PTR(err);
	if (!phys) {
		kprintf(KERN_ERR "ext2 (%s): directory %lu has a hole at block %lu\n",
		        s->bd->name, (unsigned long)dir->ino, (unsigned long)lblk);
		return ERR_PTR(-EIO);
	}
	return ext2_bread(s, phys);
}

static uint64_t dir_blocks(struct inode *dir)
{
	return dir->size / EXT2_SB(dir->sb)->bs;
}

int ext2_find_entry(struct inode *dir, const char *name, size_t len,
                    struct ext2_dirslot *slot, uint32_t *ino)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	for (uint64_t lb = 0; lb < dir_blocks(dir); lb++) {
		struct buf *b = dir_block(dir, lb);
		if (IS_ERR(b))
			return (int)PTR_ERR(b);
		unsigned prev = ~0u;
		for (unsigned off = 0; off < s->bs;) {
			int err = ext2_check_dirent(dir, b->data, off, lb);
			if (err) {
				brelse(b);
				return err;
			}
			struct ext2_dirent *d = (struct ext2_dirent *)(b->data + off);
			if (d->inode && d->name_len == len && !memcmp(d->name, name, len)) {
				slot->b = b;
				slot->off = off;
				slot->prev_off = prev;
				slot->lblk = lb;
				*ino = d->inode;
				return 0;
			}
			prev = off;
			off += ext2_rec_len(s, d);
		}
		brelse(b);
	}
	return -ENOENT;
}

int ext2_lookup(struct inode *dir, const char *name, size_t len,
                struct inode **res)
{
	struct ext2_dirslot slot;
	uint32_t nr;
	int err = ext2_find_entry(dir, name, len, &slot, &nr);
	if (err)
		return err;
	brelse(slot.b);
	return ext2_iget(dir->sb, nr, res);
}

static uint8_t file_type(struct ext2_sb_info *s, mode_t mode)
{
	if (!(s->incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
		return EXT2_FT_UNKNOWN;
	switch (mode & S_IFMT) {
	case S_IFREG: return EXT2_FT_REG_FILE;
	case S_IFDIR: return EXT2_FT_DIR;
	case S_IFCHR: return EXT2_FT_CHRDEV;
	case S_IFBLK: return EXT2_FT_BLKDEV;
	case S_IFIFO: return EXT2_FT_FIFO;
	case S_IFSOCK: return EXT2_FT_SOCK;
	case S_IFLNK: return EXT2_FT_SYMLINK;
	default: return EXT2_FT_UNKNOWN;
	}
}

static void fill_entry(struct ext2_sb_info *s, struct ext2_dirent *d,
                       const char *name, size_t len, struct inode *target)
{
	d->inode = (uint32_t)target->ino;
	d->name_len = (uint8_t)len;
	d->file_type = file_type(s, target->mode);
	memcpy(d->name, name, len);
}

/* The directory changed: times, and any htree index is now stale. */
static void dir_changed(struct inode *dir)
{
	EXT2_I(dir)->flags &= ~(uint32_t)EXT2_INDEX_FL;
	inode_touch(dir, false, true, true);
	ext2_write_inode(dir);
}

int ext2_add_entry(struct inode *dir, const char *name, size_t len,
                   struct inode *target)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	unsigned need = EXT2_DIR_REC_LEN(len);
	uint64_t nblocks = dir_blocks(dir);
	for (uint64_t lb = 0; lb < nblocks; lb++) {
		struct buf *b = dir_block(dir, lb);
		if (IS_ERR(b))
			return (int)PTR_ERR(b);
		for (unsigned off = 0; off < s->bs;) {
			int err = ext2_check_dirent(dir, b->data, off, lb);
			if (err) {
				brelse(b);
				return err;
			}
			struct ext2_dirent *d = (struct ext2_dirent *)(b->data + off);
			unsigned rl = ext2_rec_len(s, d);
			unsigned used = d->inode ? EXT2_DIR_REC_LEN(d->name_len) : 0;
			if (rl - used >= need) {
				if (used) {
					set_rec_len(s, d, used);
					d = (struct ext2_dirent *)(b->data + off + used);
					set_rec_len(s, d, rl - used);
				}
				fill_entry(s, d, name, len, target);
				bdirty(b);
				brelse(b);
				dir_changed(dir);
				return 0;
			}
			off += rl;
		}
		brelse(b);
	}
	/* No room: one more block holding just this entry. */
	uint32_t phys;
	bool fresh;
	int err = ext2_bmap(dir, nblocks, true, &phys, &fresh);
	if (err)
		return err;
	struct buf *b = bget(s->bd, phys, s->bs);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	memset(b->data, 0, s->bs);
	struct ext2_dirent *d = (struct ext2_dirent *)b->data;
	set_rec_len(s, d, s->bs);
	fill_entry(s, d, name, len, target);
	bdirty(b);
	brelse(b);
	dir->size += s->bs;
	dir_changed(dir);
	return 0;
}

int ext2_delete_entry(struct inode *dir, struct ext2_dirslot *slot)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	struct ext2_dirent *d = (struct ext2_dirent *)(slot->b->data + slot->off);
	if (slot->prev_off == ~0u) {
		d->inode = 0;
	} else {
		struct ext2_dirent *p = (struct ext2_dirent *)(slot->b->data + slot->prev_off);
		set_rec_len(s, p, ext2_rec_len(s, p) + ext2_rec_len(s, d));
	}
	bdirty(slot->b);
	brelse(slot->b);
	slot->b = NULL;
	dir_changed(dir);
	return 0;
}

void ext2_set_entry(struct inode *dir, struct ext2_dirslot *slot,
                    struct inode *target)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	struct ext2_dirent *d = (struct ext2_dirent *)(slot->b->data + slot->off);
	d->inode = (uint32_t)target->ino;
	d->file_type = file_type(s, target->mode);
	bdirty(slot->b);
	brelse(slot->b);
	slot->b = NULL;
	dir_changed(dir);
}

static bool is_dot_or_dotdot(const struct ext2_dirent *d)
{
	return (d->name_len == 1 && d->name[0] == '.') ||
	       (d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.');
}

int ext2_dir_empty(struct inode *dir)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	for (uint64_t lb = 0; lb < dir_blocks(dir); lb++) {
		struct buf *b = dir_block(dir, lb);
		if (IS_ERR(b))
			return (int)PTR_ERR(b);
		for (unsigned off = 0; off < s->bs;) {
			int err = ext2_check_dirent(dir, b->data, off, lb);
			if (err) {
				brelse(b);
				return err;
			}
			struct ext2_dirent *d = (struct ext2_dirent *)(b->data + off);
			if (d->inode && !is_dot_or_dotdot(d)) {
				brelse(b);
				return 0;
			}
			off += ext2_rec_len(s, d);
		}
		brelse(b);
	}
	return 1;
}

int ext2_make_empty(struct inode *dir, struct inode *parent)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	uint32_t phys;
	bool fresh;
	int err = ext2_bmap(dir, 0, true, &phys, &fresh);
	if (err)
		return err;
	struct buf *b = bget(s->bd, phys, s->bs);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	memset(b->data, 0, s->bs);
	struct ext2_dirent *d = (struct ext2_dirent *)b->data;
	set_rec_len(s, d, EXT2_DIR_REC_LEN(1));
	fill_entry(s, d, ".", 1, dir);
	d = (struct ext2_dirent *)(b->data + EXT2_DIR_REC_LEN(1));
	set_rec_len(s, d, s->bs - EXT2_DIR_REC_LEN(1));
	fill_entry(s, d, "..", 2, parent);
	bdirty(b);
	brelse(b);
	dir->size = s->bs;
	return ext2_write_inode(dir);
}

int ext2_set_dotdot(struct inode *dir, struct inode *parent)
{
	struct ext2_dirslot slot;
	uint32_t nr;
	int err = ext2_find_entry(dir, "..", 2, &slot, &nr);
	if (err)
		return err == -ENOENT ? -EIO : err;
	ext2_set_entry(dir, &slot, parent);
	return 0;
}

static const uint8_t ft_to_dt[8] = {
	DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, DT_SOCK, DT_LNK,
};

int ext2_readdir(struct inode *dir, off_t *pos, filldir_t fill, void *ctx)
{
	struct ext2_sb_info *s = EXT2_SB(dir->sb);
	if (*pos < 0)
		return -EINVAL;
	while ((uint64_t)*pos < dir->size) {
		uint64_t lb = (uint64_t)*pos / s->bs;
		unsigned start = (unsigned)((uint64_t)*pos % s->bs);
		struct buf *b = dir_block(dir, lb);
		if (IS_ERR(b))
			return (int)PTR_ERR(b);
		for (unsigned off = 0; off < s->bs;) {
			int err = ext2_check_dirent(dir, b->data, off, lb);
			if (err) {
				brelse(b);
				return err;
			}
			struct ext2_dirent *d = (struct ext2_dirent *)(b->data + off);
			unsigned rl = ext2_rec_len(s, d);
			if (off >= start && d->inode) {
				unsigned dt = d->file_type < 8 ? ft_to_dt[d->file_type]
				                               : DT_UNKNOWN;
				if (fill(ctx, d->name, d->name_len, d->inode, dt)) {
					brelse(b);
					*pos = (off_t)(lb * s->bs + off);
					return 0;
				}
			}
			off += rl;
		}
		brelse(b);
		*pos = (off_t)((lb + 1) * s->bs);
	}
	return 0;
}
