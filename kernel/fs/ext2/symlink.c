/*
 * kernel/fs/ext2/symlink.c - symbolic links. A target shorter than the 60
 * bytes of i_block[] is stored there ("fast" symlink, no data block, as
 * Linux: i_blocks counts no block then); a longer one (up to a block less
 * one byte) lives in data block 0 ("slow" symlink).
 */
#include "ext2.h"

static bool is_fast(struct inode *ino)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	uint64_t ea = EXT2_I(ino)->file_acl ? s->bs / 512 : 0;
	return ino->blocks == ea;
}

static ssize_t ext2_readlink(struct inode *ino, char *buf, size_t size)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	size_t len = (size_t)ino->size;
	if (is_fast(ino)) {
		if (len >= sizeof(EXT2_I(ino)->block))
			return -EIO;
		memcpy(buf, EXT2_I(ino)->block, MIN(len, size));
		return (ssize_t)len;
	}
	if (len >= s->bs)
		return -EIO;
	uint32_t phys;
	int err = ext2_bmap(ino, 0, false, &phys, NULL);
	if (err)
		return err;
	if (!phys)
		return -EIO;
	struct buf *b = ext2_bread(s, phys);
	if (IS_ERR(b))
		return PTR_ERR(b);
	memcpy(buf, b->data, MIN(len, size));
	brelse(b);
	return (ssize_t)len;
}

int ext2_write_symlink(struct inode *ino, const char *target, size_t len)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	struct ext2_inode *ei = EXT2_I(ino);
	if (len < sizeof(ei->block)) {
		memset(ei->block, 0, sizeof(ei->block));
		memcpy(ei->block, target, len);
	} else {
		uint32_t phys;
		bool fresh;
		int err = ext2_bmap(ino, 0, true, &phys, &fresh);
		if (err)
			return err;
		struct buf *b = bget(s->bd, phys, s->bs);
		if (IS_ERR(b))
			return (int)PTR_ERR(b);
		memset(b->data, 0, s->bs);
		memcpy(b->data, target, len);
		bdirty(b);
		brelse(b);
	}
	ino->size = len;
	return ext2_write_inode(ino);
}

const struct inode_ops ext2_symlink_iops = {
	.readlink = ext2_readlink,
	.setattr = ext2_setattr,
};
