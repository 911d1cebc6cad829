/*
 * kernel/fs/ext2/bmap.c - the block map: logical file blocks to disk
 * blocks through i_block[] (12 direct, then single, double and triple
 * indirect blocks), filling holes on write, and truncation.
 *
 * A zero pointer is a hole: it reads as zeros and costs nothing, which is
 * what sparse files are. Every pointer read from disk is checked
 * (ext2_data_block_ok) before it is followed or freed; a bad one is
 * reported and gives -EIO, and freeing stops at the first damage, so a
 * garbage indirect block can neither send the driver through billions of
 * blocks nor make it free blocks that belong to someone else.
 */
#include "ext2.h"

/* Where logical block lb lives: depth 0 (direct) .. 3, the slot in
 * i_block and the index at each indirect level. */
static int map_path(struct ext2_sb_info *s, uint64_t lb, int *slot,
                    unsigned idx[3])
{
	uint64_t p = s->addr_per_block;
	if (lb < EXT2_NDIR_BLOCKS) {
		*slot = (int)lb;
		return 0;
	}
	lb -= EXT2_NDIR_BLOCKS;
	if (lb < p) {
		*slot = EXT2_IND_BLOCK;
		idx[0] = (unsigned)lb;
		return 1;
	}
	lb -= p;
	if (lb < p * p) {
		*slot = EXT2_DIND_BLOCK;
		idx[0] = (unsigned)(lb / p);
		idx[1] = (unsigned)(lb % p);
		return 2;
	}
	lb -= p * p;
	if (lb < p * p * p) {
		*slot = EXT2_TIND_BLOCK;
		idx[0] = (unsigned)(lb / (p * p));
		idx[1] = (unsigned)(lb / p % p);
		idx[2] = (unsigned)(lb % p);
		return 3;
	}
	return -EFBIG;
}

static int bad_pointer(struct inode *ino, uint32_t blk)
{
	kprintf(KERN_ERR "ext2 (%s): inode %lu: bad block pointer %u\n",
	        EXT2_SB(ino->sb)->bd->name, (unsigned long)ino->ino, blk);
	return -EIO;
}

/* A new block near goal, zeroed in the cache when it is an indirect
 * block (a data block is the caller's to fill). */
static int alloc_block(struct inode *ino, uint32_t goal, bool zero,
                       uint32_t *res)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	int err;
	uint32_t blk = ext2_new_block(s, goal, &err);
	if (!blk)
		return err;
	if (zero) {
		struct buf *b = bget(s->bd, blk, s->bs);
		if (IS_ERR(b)) {
			ext2_free_block(s, blk);
			return (int)PTR_ERR(b);
		}
		memset(b->data, 0, s->bs);
		bdirty(b);
		brelse(b);
	}
	ino->blocks += s->bs / 512;
	*res = blk;
	return 0;
}

static uint32_t goal_for(struct inode *ino, uint32_t near)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	if (near)
		return near + 1;
	return s->first_data_block + EXT2_I(ino)->group * s->bpg;
}

int ext2_bmap(struct inode *ino, uint64_t lb, bool alloc, uint32_t *phys,
              bool *fresh)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	struct ext2_inode *ei = EXT2_I(ino);
	int slot;
	unsigned idx[3];
	int depth = map_path(s, lb, &slot, idx);
	if (depth < 0)
		return depth;
	if (fresh)
		*fresh = false;
	*phys = 0;
	uint32_t blk = ei->block[slot];
	uint32_t near = slot > 0 ? ei->block[slot - 1] : 0;
	bool changed = false;
	int err = 0;
	if (!blk) {
		if (!alloc)
			return 0;
		err = alloc_block(ino, goal_for(ino, near), depth > 0, &blk);
		if (err)
			return err;
		ei->block[slot] = blk;
		changed = true;
		if (depth == 0 && fresh)
			*fresh = true;
	} else if (!ext2_data_block_ok(s, blk)) {
		return bad_pointer(ino, blk);
	}
	for (int level = 0; level < depth; level++) {
		struct buf *b = ext2_bread(s, blk);
		if (IS_ERR(b)) {
			err = (int)PTR_ERR(b);
			break;
		}
		uint32_t *map = (uint32_t *)b->data;
		uint32_t next = map[idx[level]];
		if (!next && alloc) {
			bool data = level == depth - 1;
			uint32_t n = idx[level] ? map[idx[level] - 1] : blk;
			err = alloc_block(ino, goal_for(ino, n), !data, &next);
			if (!err) {
				map[idx[level]] = next;
				bdirty(b);
				changed = true;
				if (data && fresh)
					*fresh = true;
			}
		} else if (next && !ext2_data_block_ok(s, next)) {
			err = bad_pointer(ino, next);
		}
		brelse(b);
		blk = next;
		if (err || !next)
			break;
	}
	if (changed)
		ext2_write_inode(ino);
	if (!err)
		*phys = blk; /* 0: a hole below an indirect block */
	return err;
}

/* ---- truncation ---- */

static uint64_t span(struct ext2_sb_info *s, int depth)
{
	uint64_t n = 1;
	while (depth-- > 0)
		n *= s->addr_per_block;
	return n;
}

/* Free blk and, for depth > 0, everything below it. Stops (returning
 * -EIO) at the first damage. */
static int free_tree(struct inode *ino, uint32_t blk, int depth)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	if (s->has_errors)
		return -EIO;
	if (!ext2_data_block_ok(s, blk))
		return bad_pointer(ino, blk);
	if (depth > 0) {
		struct buf *b = ext2_bread(s, blk);
		if (IS_ERR(b))
			return (int)PTR_ERR(b);
		uint32_t *map = (uint32_t *)b->data;
		int err = 0;
		for (unsigned i = 0; i < s->addr_per_block && !err; i++)
			if (map[i])
				err = free_tree(ino, map[i], depth - 1);
		brelse(b);
		if (err)
			return err;
	}
	ext2_free_block(s, blk);
	ino->blocks -= MIN(ino->blocks, (uint64_t)(s->bs / 512));
	return s->has_errors ? -EIO : 0;
}

/* Keep the first `keep` blocks of the subtree at blk (depth >= 1). */
static int trunc_tree(struct inode *ino, uint32_t blk, int depth, uint64_t keep)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	if (!ext2_data_block_ok(s, blk))
		return bad_pointer(ino, blk);
	struct buf *b = ext2_bread(s, blk);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	uint32_t *map = (uint32_t *)b->data;
	uint64_t child = span(s, depth - 1);
	int err = 0;
	for (unsigned i = 0; i < s->addr_per_block && !err; i++) {
		uint64_t base = i * child;
		if (!map[i] || keep >= base + child)
			continue;
		if (keep <= base) {
			err = free_tree(ino, map[i], depth - 1);
			if (!err) {
				map[i] = 0;
				bdirty(b);
			}
		} else if (depth > 1) {
			err = trunc_tree(ino, map[i], depth - 1, keep - base);
		}
	}
	brelse(b);
	return err;
}

int ext2_truncate_blocks(struct inode *ino, uint64_t keep)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	struct ext2_inode *ei = EXT2_I(ino);
	int err = 0;
	for (unsigned i = 0; i < EXT2_NDIR_BLOCKS && !err; i++) {
		if (i >= keep && ei->block[i]) {
			err = free_tree(ino, ei->block[i], 0);
			if (!err)
				ei->block[i] = 0;
		}
	}
	uint64_t base = EXT2_NDIR_BLOCKS;
	for (int d = 1; d <= 3 && !err; d++) {
		int slot = EXT2_NDIR_BLOCKS + d - 1;
		uint64_t n = span(s, d);
		if (ei->block[slot] && keep < base + n) {
			if (keep <= base) {
				err = free_tree(ino, ei->block[slot], d);
				if (!err)
					ei->block[slot] = 0;
			} else {
				err = trunc_tree(ino, ei->block[slot], d, keep - base);
			}
		}
		base += n;
	}
	int werr = ext2_write_inode(ino);
	return err ? err : werr;
}

/* Zero bytes [from, end of block) of logical block lb, if it exists. */
static int zero_tail(struct inode *ino, uint64_t lb, unsigned from)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	uint32_t phys;
	int err = ext2_bmap(ino, lb, false, &phys, NULL);
	if (err || !phys)
		return err;
	struct buf *b = ext2_bread(s, phys);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	memset(b->data + from, 0, s->bs - from);
	bdirty(b);
	brelse(b);
	return 0;
}

int ext2_set_size(struct inode *ino, uint64_t size)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	if (size > s->max_file_blocks * s->bs)
		return -EFBIG;
	uint64_t old = ino->size;
	int err = 0;
	if (size < old) {
		uint64_t keep = (size + s->bs - 1) / s->bs;
		err = ext2_truncate_blocks(ino, keep);
		if (!err && size % s->bs)
			err = zero_tail(ino, size / s->bs, (unsigned)(size % s->bs));
	} else if (size > old && old % s->bs) {
		/* the old last block's tail becomes file content: zeros */
		err = zero_tail(ino, old / s->bs, (unsigned)(old % s->bs));
	}
	if (err)
		return err;
	ino->size = size;
	inode_touch(ino, false, true, true);
	return ext2_write_inode(ino);
}
