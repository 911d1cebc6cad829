/*
 * kernel/fs/ext2/balloc.c - block allocation in the per-group bitmaps.
 *
 * A new block is taken near a goal (the block before it in the file, or
 * the inode's group) so files stay contiguous: first the rest of the
 * goal's group from the goal on, then the following groups in turn. The
 * group descriptor and superblock free counts change together with the
 * bit, all under sbi->alloc_lock, so they stay exact.
 *
 * The bitmaps are trusted as Linux trusts them, with one check: a block
 * the bitmap offers must not be metadata (superblock copy, descriptors,
 * bitmaps, inode table). If it is, the bitmap is damaged: the file system
 * goes read-only rather than let file data overwrite metadata. Freeing a
 * block that is already free, or outside the data area, is reported the
 * same way and changes nothing.
 */
#include "ext2.h"
#include "task.h"

static uint32_t group_blocks(struct ext2_sb_info *s, uint32_t g)
{
	uint32_t first = s->first_data_block + g * s->bpg;
	return MIN(s->bpg, s->blocks_count - first);
}

/* First clear bit in [from, n) of map, or n. */
static uint32_t find_zero(const uint8_t *map, uint32_t from, uint32_t n)
{
	uint32_t i = from;
	while (i < n) {
		if ((i & 7) == 0 && map[i >> 3] == 0xff) {
			i += 8;
			continue;
		}
		if (!(map[i >> 3] & (1u << (i & 7))))
			return i;
		i++;
	}
	return n;
}

/* Non-root users may not take the blocks reserved for root. */
static bool may_allocate(struct ext2_sb_info *s)
{
	uint32_t free = s->es->s_free_blocks_count;
	if (free == 0)
		return false;
	struct task *t = current;
	if (free <= s->es->s_r_blocks_count && t && t->cred.euid != 0 &&
	    t->cred.euid != s->es->s_def_resuid)
		return false;
	return true;
}

uint32_t ext2_new_block(struct ext2_sb_info *s, uint32_t goal, int *err)
{
	if (ext2_rdonly(s)) {
		*err = -EROFS;
		return 0;
	}
	mutex_lock(&s->alloc_lock);
	if (!may_allocate(s)) {
		mutex_unlock(&s->alloc_lock);
		*err = -ENOSPC;
		return 0;
	}
	if (goal < s->first_data_block || goal >= s->blocks_count)
		goal = s->first_data_block;
	uint32_t g0 = (goal - s->first_data_block) / s->bpg;
	*err = -ENOSPC;
	for (uint32_t k = 0; k <= s->ngroups; k++) {
		uint32_t g = (g0 + k) % s->ngroups;
		struct ext2_group_desc *gd = ext2_gd(s, g);
		if (gd->bg_free_blocks_count == 0)
			continue;
		struct buf *b = ext2_bread(s, gd->bg_block_bitmap);
		if (IS_ERR(b)) {
			*err = (int)PTR_ERR(b);
			break;
		}
		uint32_t n = group_blocks(s, g);
		uint32_t start = k == 0 ? goal - s->first_data_block - g * s->bpg : 0;
		uint32_t bit = find_zero(b->data, start, n);
		if (bit == n && start)
			bit = find_zero(b->data, 0, start);
		if (bit >= n) {
			brelse(b);
			continue; /* count said free, bitmap full: next group */
		}
		uint32_t blk = s->first_data_block + g * s->bpg + bit;
		if (!ext2_data_block_ok(s, blk)) {
			brelse(b);
			mutex_unlock(&s->alloc_lock);
			ext2_error(s, __func__, "block bitmap of group %u marks "
			           "metadata block %u free", g, blk);
			*err = -EIO;
			return 0;
		}
		b->data[bit >> 3] |= (uint8_t)(1u << (bit & 7));
		bdirty(b);
		brelse(b);
		gd->bg_free_blocks_count--;
		ext2_gd_dirty(s, g);
		s->es->s_free_blocks_count--;
		ext2_sb_dirty(s);
		mutex_unlock(&s->alloc_lock);
		*err = 0;
		return blk;
	}
	mutex_unlock(&s->alloc_lock);
	return 0;
}

void ext2_free_block(struct ext2_sb_info *s, uint32_t blk)
{
	if (!ext2_data_block_ok(s, blk)) {
		ext2_error(s, __func__, "freeing block %u outside the data area", blk);
		return;
	}
	uint32_t g = (blk - s->first_data_block) / s->bpg;
	uint32_t bit = blk - s->first_data_block - g * s->bpg;
	mutex_lock(&s->alloc_lock);
	struct ext2_group_desc *gd = ext2_gd(s, g);
	struct buf *b = ext2_bread(s, gd->bg_block_bitmap);
	if (IS_ERR(b)) {
		mutex_unlock(&s->alloc_lock);
		ext2_error(s, __func__, "cannot read block bitmap of group %u", g);
		return;
	}
	if (!(b->data[bit >> 3] & (1u << (bit & 7)))) {
		brelse(b);
		mutex_unlock(&s->alloc_lock);
		ext2_error(s, __func__, "block %u already free", blk);
		return;
	}
	b->data[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
	bdirty(b);
	brelse(b);
	gd->bg_free_blocks_count++;
	ext2_gd_dirty(s, g);
	s->es->s_free_blocks_count++;
	ext2_sb_dirty(s);
	mutex_unlock(&s->alloc_lock);
}
