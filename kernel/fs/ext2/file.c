/*
 * kernel/fs/ext2/file.c - reading and writing regular files, block by
 * block through the buffer cache.
 *
 * Reads: holes read as zeros; a read that continues where the last one
 * ended (or starts the file, unless block 0 was also the last block
 * read) starts read-ahead (breadahead) of the next blocks, in runs of
 * contiguous disk blocks, half a window (512 KiB) before it is needed. atime follows
 * Linux's "relatime": only when it is older than mtime/ctime or a day old,
 * so reading does not dirty the inode table every time.
 * Writes: a block that becomes new is zeroed before the data goes in, so a
 * partial write never exposes stale disk contents; a whole-block write
 * does not read the block first. The size grows block by block, so a
 * write cut short by ENOSPC leaves a consistent file.
 */
#include "ext2.h"

#define RA_BYTES (512 * 1024) /* read ahead, at most */

static void readahead(struct inode *ino, uint64_t lb)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	struct ext2_inode *ei = EXT2_I(ino);
	if (lb != ei->last_read && lb != 0)
		return; /* not sequential */
	if (lb == 0 && ei->last_read == 1)
		return; /* block 0 again (exec reads the headers several times) */
	uint64_t window = RA_BYTES / s->bs;
	if (lb + window / 2 < ei->ra_next)
		return; /* enough in flight */
	uint64_t nblocks = (ino->size + s->bs - 1) / s->bs;
	uint64_t from = MAX(lb + 1, ei->ra_next), end = MIN(lb + window, nblocks);
	uint32_t run = 0, len = 0;
	for (uint64_t l = from; l < end; l++) {
		uint32_t phys;
		if (ext2_bmap(ino, l, false, &phys, NULL) || !phys)
			phys = 0;
		if (len && phys == run + len) {
			len++;
			continue;
		}
		if (len)
			breadahead(s->bd, run, s->bs, len);
		run = phys;
		len = phys ? 1 : 0;
	}
	if (len)
		breadahead(s->bd, run, s->bs, len);
	ei->ra_next = MAX(end, ei->ra_next);
}

static void touch_atime(struct inode *ino)
{
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	if (ext2_rdonly(s) || (s->sb->flags & MS_NOATIME))
		return;
	struct ktimespec now = current_time();
	int64_t a = ino->atime.sec;
	if (a <= ino->mtime.sec || a <= ino->ctime.sec || now.sec - a >= 86400) {
		ino->atime = now;
		ext2_write_inode(ino);
	}
}

static ssize_t ext2_read(struct file *f, void *buf, size_t n, off_t *off)
{
	struct inode *ino = f->inode;
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	if (*off < 0)
		return -EINVAL;
	mutex_lock(&ino->lock);
	uint64_t pos = (uint64_t)*off;
	n = pos < ino->size ? (size_t)MIN((uint64_t)n, ino->size - pos) : 0;
	size_t done = 0;
	int err = 0;
	while (done < n) {
		uint64_t lb = pos / s->bs;
		unsigned in = (unsigned)(pos % s->bs);
		size_t chunk = MIN(n - done, (size_t)(s->bs - in));
		readahead(ino, lb);
		uint32_t phys;
		err = ext2_bmap(ino, lb, false, &phys, NULL);
		if (err)
			break;
		if (!phys) {
			memset((char *)buf + done, 0, chunk);
		} else {
			struct buf *b = ext2_bread(s, phys);
			if (IS_ERR(b)) {
				err = (int)PTR_ERR(b);
				break;
			}
			memcpy((char *)buf + done, b->data + in, chunk);
			brelse(b);
		}
		EXT2_I(ino)->last_read = lb + 1;
		done += chunk;
		pos += chunk;
	}
	if (done)
		touch_atime(ino);
	mutex_unlock(&ino->lock);
	*off = (off_t)pos;
	return done ? (ssize_t)done : err;
}

static ssize_t ext2_write(struct file *f, const void *buf, size_t n, off_t *off)
{
	struct inode *ino = f->inode;
	struct ext2_sb_info *s = EXT2_SB(ino->sb);
	if (ext2_rdonly(s))
		return -EROFS;
	mutex_lock(&ino->lock);
	if (f->flags & O_APPEND)
		*off = (off_t)ino->size;
	uint64_t pos = (uint64_t)*off, max = s->max_file_blocks * s->bs;
	if (*off < 0 || (n && pos >= max)) {
		mutex_unlock(&ino->lock);
		return *off < 0 ? -EINVAL : -EFBIG;
	}
	n = (size_t)MIN((uint64_t)n, max - pos);
	size_t done = 0;
	int err = 0;
	while (done < n) {
		uint64_t lb = pos / s->bs;
		unsigned in = (unsigned)(pos % s->bs);
		size_t chunk = MIN(n - done, (size_t)(s->bs - in));
		uint32_t phys;
		bool fresh;
		err = ext2_bmap(ino, lb, true, &phys, &fresh);
		if (err)
			break;
		struct buf *b = fresh || chunk == s->bs ? bget(s->bd, phys, s->bs)
		                                        : ext2_bread(s, phys);
		if (IS_ERR(b)) {
			err = (int)PTR_ERR(b);
			break;
		}
		if (fresh && chunk != s->bs)
			memset(b->data, 0, s->bs);
		memcpy(b->data + in, (const char *)buf + done, chunk);
		bdirty(b);
		brelse(b);
		done += chunk;
		pos += chunk;
		if (pos > ino->size)
			ino->size = pos;
	}
	if (done) {
		inode_touch(ino, false, true, true);
		ext2_write_inode(ino);
	}
	mutex_unlock(&ino->lock);
	*off = (off_t)pos;
	return done ? (ssize_t)done : err;
}

const struct file_ops ext2_file_ops = {
	.read = ext2_read,
	.write = ext2_write,
};
const struct inode_ops ext2_file_iops = { .setattr = ext2_setattr };
const struct inode_ops ext2_special_iops = { .setattr = ext2_setattr };
