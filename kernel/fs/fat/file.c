/*
 * kernel/fs/fat/file.c - regular file data: read, write, truncate.
 *
 * Data moves through the buffer cache one sector at a time; a sector that
 * is overwritten whole is not read first. Files have no holes on FAT, so
 * growing a file (truncate up, or a write past the end) writes zeros over
 * the gap; bytes past the size inside the last cluster are never trusted
 * to be zero. Sizes stop at 4 GiB - 1 (EFBIG), the format's limit.
 *
 * After each change the short directory entry is rewritten (size, first
 * cluster, times), so what is on disk describes the file as soon as the
 * cache writes it back.
 */
#include "fat.h"

#define FAT_MAX_SIZE 0xffffffffull

/* The sector holding byte off of the file; -EIO if the chain ends first. */
static int file_sector(struct fat_fs *fs, struct inode *ino, uint64_t off,
                       uint64_t *sec, bool *cluster_start)
{
	uint32_t cl;
	int err = fat_bmap(fs, FI(ino), (uint32_t)(off / fs->clsize), &cl);
	if (err == -ENOENT) {
		fat_error(fs, "file at %llu: cluster chain shorter than its size",
		          (unsigned long long)FI(ino)->ipos);
		FI(ino)->bad = true;
		return -EIO;
	}
	if (err)
		return err;
	uint64_t in = off % fs->clsize;
	*sec = fat_cluster_sector(fs, cl) + in / fs->secsize;
	if (cluster_start)
		*cluster_start = in < fs->secsize;
	return 0;
}

/* Copy between buf and the file's bytes [off, off + n): all within the
 * clusters the chain already has. */
static ssize_t copy_data(struct fat_fs *fs, struct inode *ino, uint64_t off,
                         void *buf, size_t n, bool write, bool zero)
{
	size_t done = 0;
	while (done < n) {
		uint64_t sec;
		bool first;
		int err = file_sector(fs, ino, off + done, &sec, &first);
		if (err)
			return done ? (ssize_t)done : err;
		unsigned in = (unsigned)((off + done) % fs->secsize);
		size_t k = MIN(n - done, (size_t)(fs->secsize - in));
		if (!write && first) {
			/* read-ahead: the rest of this cluster */
			unsigned left = fs->spc - (unsigned)(((off + done) % fs->clsize) / fs->secsize);
			if (left > 1)
				breadahead(fs->bd, sec + 1, fs->secsize, left - 1);
		}
		struct buf *b = write && k == fs->secsize ?
		                bget(fs->bd, sec, fs->secsize) :
		                bread(fs->bd, sec, fs->secsize);
		if (IS_ERR(b))
			return done ? (ssize_t)done : PTR_ERR(b);
		if (!write)
			memcpy((char *)buf + done, b->data + in, k);
		else if (zero)
			memset(b->data + in, 0, k);
		else
			memcpy(b->data + in, (const char *)buf + done, k);
		if (write)
			bdirty(b);
		brelse(b);
		done += k;
	}
	return (ssize_t)done;
}

static void set_blocks(struct fat_fs *fs, struct inode *ino)
{
	ino->blocks = (uint64_t)FI(ino)->ncl * fs->clsize / 512;
}

/* Make the chain long enough for `size` bytes; ENOSPC if it cannot. */
static int reserve(struct fat_fs *fs, struct inode *ino, uint64_t size)
{
	uint32_t need = (uint32_t)((size + fs->clsize - 1) / fs->clsize);
	struct fat_inode *fi = FI(ino);
	if (fi->ncl_known && fi->ncl >= need)
		return 0;
	if (!fi->ncl_known) {
		long len = fat_chain_len(fs, fi->start);
		if (len < 0)
			return (int)len;
		fi->ncl = (uint32_t)len;
		fi->ncl_known = true;
		if (fi->ncl >= need)
			return 0;
	}
	int err = fat_chain_resize(fs, fi, need, false);
	set_blocks(fs, ino);
	return err;
}

int fat_truncate(struct fat_fs *fs, struct inode *ino, uint64_t size)
{
	struct fat_inode *fi = FI(ino);
	if (size > FAT_MAX_SIZE)
		return -EFBIG;
	uint64_t old = ino->size;
	if (size <= old) {
		uint32_t keep = (uint32_t)((size + fs->clsize - 1) / fs->clsize);
		int err = fat_chain_resize(fs, fi, keep, false);
		if (err)
			return err;
		ino->size = size;
	} else {
		int err = reserve(fs, ino, size);
		if (err)
			return err;
		ssize_t r = copy_data(fs, ino, old, NULL, size - old, true, true);
		if (r < 0)
			return (int)r;
		ino->size = size;
	}
	set_blocks(fs, ino);
	fi->attr |= FA_ARCH;
	ino->mtime = ino->ctime = current_time();
	return fat_write_inode(fs, ino);
}

static ssize_t fat_read(struct file *f, void *buf, size_t n, off_t *off)
{
	struct inode *ino = f->inode;
	struct fat_fs *fs = FS(ino->sb);
	if (*off < 0)
		return -EINVAL;
	mutex_lock(&ino->lock);
	mutex_lock(&fs->lock);
	ssize_t r = 0;
	if (FI(ino)->bad)
		r = -EIO;
	else if ((uint64_t)*off < ino->size) {
		size_t k = (size_t)MIN((uint64_t)n, ino->size - (uint64_t)*off);
		r = copy_data(fs, ino, (uint64_t)*off, buf, k, false, false);
		if (r > 0)
			*off += r;
	}
	mutex_unlock(&fs->lock);
	mutex_unlock(&ino->lock);
	return r;
}

static ssize_t fat_write(struct file *f, const void *buf, size_t n, off_t *off)
{
	struct inode *ino = f->inode;
	struct fat_fs *fs = FS(ino->sb);
	mutex_lock(&ino->lock);
	mutex_lock(&fs->lock);
	ssize_t r = 0;
	uint64_t pos = (f->flags & O_APPEND) ? ino->size : (uint64_t)*off;
	if (fat_rdonly(fs))
		r = -EROFS;
	else if (FI(ino)->bad)
		r = -EIO;
	else if (*off < 0)
		r = -EINVAL;
	else if (pos >= FAT_MAX_SIZE && n)
		r = -EFBIG;
	if (r || !n)
		goto out;
	n = (size_t)MIN((uint64_t)n, FAT_MAX_SIZE - pos);
	if (pos > ino->size && (r = fat_truncate(fs, ino, pos)))
		goto out;
	/* Grow the chain; on a full disk write what fits. */
	uint64_t end = pos + n;
	int err = reserve(fs, ino, end);
	if (err == -ENOSPC) {
		uint64_t have = (uint64_t)FI(ino)->ncl * fs->clsize;
		uint64_t avail = have + (uint64_t)fs->free_count * fs->clsize;
		if (avail > pos) {
			end = MIN(end, avail);
			err = reserve(fs, ino, end);
		}
	}
	if (err) {
		r = err;
		goto out;
	}
	r = copy_data(fs, ino, pos, (void *)buf, end - pos, true, false);
	if (r > 0) {
		pos += (uint64_t)r;
		*off = (off_t)pos;
		if (pos > ino->size)
			ino->size = pos;
		FI(ino)->attr |= FA_ARCH;
		ino->mtime = ino->ctime = current_time();
		fat_write_inode(fs, ino);
	}
out:
	mutex_unlock(&fs->lock);
	mutex_unlock(&ino->lock);
	return r;
}

const struct file_ops fat_file_ops = {
	.read = fat_read,
	.write = fat_write,
};
