/*
 * kernel/fs/ext2/ialloc.c - inode allocation in the per-group bitmaps.
 *
 * Placement, simplified from Linux: a file goes into its directory's
 * group when that group has a free inode (so a directory's files sit
 * together with its blocks); a new directory goes into the group after the
 * last one used for a directory that has at least the average number of
 * free inodes and free blocks, which spreads the tree over the disk.
 * Bits below s_first_ino are reserved: a bitmap that offers one is damaged.
 */
#include "ext2.h"

static int take_in_group(struct ext2_sb_info *s, uint32_t g, bool dir,
                         uint32_t *ino)
{
	struct ext2_group_desc *gd = ext2_gd(s, g);
	struct buf *b = ext2_bread(s, gd->bg_inode_bitmap);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	uint32_t bit;
	for (bit = 0; bit < s->ipg; bit++) {
		if ((bit & 7) == 0 && b->data[bit >> 3] == 0xff) {
			bit += 7;
			continue;
		}
		if (!(b->data[bit >> 3] & (1u << (bit & 7))))
			break;
	}
	if (bit >= s->ipg) {
		brelse(b);
		return -ENOSPC;
	}
	uint32_t nr = g * s->ipg + bit + 1;
	if (nr < s->first_ino) {
		brelse(b);
		return -EUCLEAN;
	}
	b->data[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	bdirty(b);
	brelse(b);
	gd->bg_free_inodes_count--;
	if (dir)
		gd->bg_used_dirs_count++;
	ext2_gd_dirty(s, g);
	s->es->s_free_inodes_count--;
	ext2_sb_dirty(s);
	*ino = nr;
	return 0;
}

static bool good_for_dir(struct ext2_sb_info *s, uint32_t g)
{
	struct ext2_group_desc *gd = ext2_gd(s, g);
	uint32_t avg_i = s->es->s_free_inodes_count / s->ngroups;
	uint32_t avg_b = s->es->s_free_blocks_count / s->ngroups;
	return gd->bg_free_inodes_count && gd->bg_free_inodes_count >= avg_i &&
	       gd->bg_free_blocks_count >= avg_b;
}

int ext2_new_inode_nr(struct ext2_sb_info *s, uint32_t parent_group, bool dir,
                      uint32_t *ino)
{
	if (ext2_rdonly(s))
		return -EROFS;
	mutex_lock(&s->alloc_lock);
	int err = -ENOSPC;
	if (s->es->s_free_inodes_count == 0)
		goto out;
	uint32_t start = parent_group % s->ngroups;
	if (dir) {
		for (uint32_t k = 1; k <= s->ngroups; k++) {
			uint32_t g = (s->last_group + k) % s->ngroups;
			if (good_for_dir(s, g)) {
				start = g;
				break;
			}
		}
	}
	for (uint32_t k = 0; k < s->ngroups; k++) {
		uint32_t g = (start + k) % s->ngroups;
		if (ext2_gd(s, g)->bg_free_inodes_count == 0)
			continue;
		err = take_in_group(s, g, dir, ino);
		if (err == -EUCLEAN) {
			mutex_unlock(&s->alloc_lock);
			ext2_error(s, __func__, "inode bitmap of group %u offers a "
			           "reserved inode", g);
			return -EIO;
		}
		if (err != -ENOSPC) {
			if (!err && dir)
				s->last_group = g;
			break;
		}
	}
out:
	mutex_unlock(&s->alloc_lock);
	return err;
}

void ext2_free_inode_nr(struct ext2_sb_info *s, uint32_t ino, bool dir)
{
	if (ino < s->first_ino || ino > s->inodes_count) {
		ext2_error(s, __func__, "freeing reserved or bad inode %u", ino);
		return;
	}
	uint32_t g = (ino - 1) / s->ipg, bit = (ino - 1) % s->ipg;
	mutex_lock(&s->alloc_lock);
	struct ext2_group_desc *gd = ext2_gd(s, g);
	struct buf *b = ext2_bread(s, gd->bg_inode_bitmap);
	if (IS_ERR(b)) {
		mutex_unlock(&s->alloc_lock);
		ext2_error(s, __func__, "cannot read inode bitmap of group %u", g);
		return;
	}
	if (!(b->data[bit >> 3] & (1u << (bit & 7)))) {
		brelse(b);
		mutex_unlock(&s->alloc_lock);
		ext2_error(s, __func__, "inode %u already free", ino);
		return;
	}
	b->data[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
	bdirty(b);
	brelse(b);
	gd->bg_free_inodes_count++;
	if (dir && gd->bg_used_dirs_count)
		gd->bg_used_dirs_count--;
	ext2_gd_dirty(s, g);
	s->es->s_free_inodes_count++;
	ext2_sb_dirty(s);
	mutex_unlock(&s->alloc_lock);
}
