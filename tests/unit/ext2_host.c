/*
 * tests/unit/ext2_host.c - what test_ext2 needs besides kernel/fs/ and
 * vfs_stubs.c: a simple buffer cache implementing bcache.h (every buffer
 * kept until invalidated; writes go to the device at sync, bwrite or
 * invalidate), a block device over an image file and yield(). Writes are recorded (ext2_host_written) so tests can check
 * which blocks a damaged image had written to.
 */
#include "kernel.h"
#include "bcache.h"
#include "fstype.h"

int open(const char *, int, ...);
int close(int);
long pread(int, void *, size_t, long);
long pwrite(int, const void *, size_t, long);
void *calloc(size_t, size_t);
void free(void *);

/* ---- image-file block device ---- */
struct filedev {
	struct blockdev bd;
	int fd;
	struct filedev *next; /* all of them stay reachable (see close) */
};
static struct filedev *filedevs;
static int fd_read(struct blockdev *bd, uint64_t lba, uint32_t c, void *buf)
{
	struct filedev *f = bd->priv;
	return pread(f->fd, buf, c * SECTOR_SIZE, (long)(lba * SECTOR_SIZE)) ==
	       (long)(c * SECTOR_SIZE) ? 0 : -EIO;
}
uint8_t *ext2_host_written;     /* one flag per 512-byte sector */
uint64_t ext2_host_nwrites;
static int fd_write(struct blockdev *bd, uint64_t lba, uint32_t c, const void *buf)
{
	struct filedev *f = bd->priv;
	if (ext2_host_written)
		for (uint32_t i = 0; i < c; i++)
			ext2_host_written[lba + i] = 1;
	ext2_host_nwrites++;
	return pwrite(f->fd, buf, c * SECTOR_SIZE, (long)(lba * SECTOR_SIZE)) ==
	       (long)(c * SECTOR_SIZE) ? 0 : -EIO;
}
static const struct blockdev_ops fd_ops = { fd_read, fd_write, NULL };

struct blockdev *ext2_host_open(const char *path, uint64_t bytes)
{
	struct filedev *f = calloc(1, sizeof(*f));
	f->fd = open(path, 2 /* O_RDWR */);
	if (f->fd < 0) {
		free(f);
		return NULL;
	}
	memcpy(f->bd.name, "img", 4);
	f->bd.sectors = bytes / SECTOR_SIZE;
	f->bd.ops = &fd_ops;
	f->bd.priv = f;
	f->next = filedevs;
	filedevs = f;
	return &f->bd;
}
void ext2_host_close(struct blockdev *bd)
{
	struct filedev *f = bd->priv;
	close(f->fd); /* f itself stays: an abandoned mount's buffers name it */
}

/* ---- buffer cache ---- */
#define NHASH 1024
static struct buf *table[NHASH];
static unsigned slot(struct blockdev *bd, uint64_t blkno)
{
	return (unsigned)(((uintptr_t)bd >> 4) ^ (blkno * 2654435761u)) % NHASH;
}
static struct buf *find(struct blockdev *bd, uint64_t blkno, unsigned size)
{
	for (struct buf *b = table[slot(bd, blkno)]; b; b = b->hnext)
		if (b->bd == bd && b->blkno == blkno) {
			if (b->size != size)
				panic("bcache: block %lu read as %u and %u bytes",
				      (unsigned long)blkno, b->size, size);
			return b;
		}
	return NULL;
}
static struct buf *getblk(struct blockdev *bd, uint64_t blkno, unsigned size)
{
	if ((blkno + 1) * (size / SECTOR_SIZE) > bd->sectors)
		return ERR_PTR(-EINVAL);
	struct buf *b = find(bd, blkno, size);
	if (!b) {
		b = calloc(1, sizeof(*b));
		b->data = calloc(1, size);
		b->bd = bd;
		b->blkno = blkno;
		b->size = size;
		mutex_init(&b->lock, "buf");
		unsigned s = slot(bd, blkno);
		b->hnext = table[s];
		table[s] = b;
	}
	b->refcount++;
	return b;
}
struct buf *bread(struct blockdev *bd, uint64_t blkno, unsigned size)
{
	struct buf *b = getblk(bd, blkno, size);
	if (IS_ERR(b) || (b->flags & B_VALID))
		return b;
	if (block_read(bd, blkno * (size / SECTOR_SIZE), size / SECTOR_SIZE, b->data)) {
		b->refcount--;
		return ERR_PTR(-EIO);
	}
	b->flags |= B_VALID;
	return b;
}
struct buf *bget(struct blockdev *bd, uint64_t blkno, unsigned size)
{
	return getblk(bd, blkno, size);
}
void breadahead(struct blockdev *bd, uint64_t blkno, unsigned size, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		struct buf *b = bread(bd, blkno + i, size);
		if (!IS_ERR(b))
			brelse(b);
	}
}
void bdirty(struct buf *b) { b->flags |= B_VALID | B_DIRTY; }
int bwrite(struct buf *b)
{
	b->flags |= B_VALID;
	b->flags &= ~(unsigned)B_DIRTY;
	return block_write(b->bd, b->blkno * (b->size / SECTOR_SIZE),
	                   b->size / SECTOR_SIZE, b->data);
}
void brelse(struct buf *b)
{
	if (!b)
		return;
	BUG_ON(b->refcount <= 0);
	b->refcount--;
}
void block_lock(struct buf *b) { mutex_lock(&b->lock); }
void block_unlock(struct buf *b) { mutex_unlock(&b->lock); }
int bcache_sync(struct blockdev *bd)
{
	int err = 0;
	for (unsigned i = 0; i < NHASH; i++)
		for (struct buf *b = table[i]; b; b = b->hnext)
			if ((!bd || b->bd == bd) && (b->flags & B_DIRTY))
				if (bwrite(b))
					err = -EIO;
	return err;
}
int bcache_invalidate(struct blockdev *bd)
{
	int busy = 0;
	bcache_sync(bd);
	for (unsigned i = 0; i < NHASH; i++) {
		struct buf **pp = &table[i];
		while (*pp) {
			struct buf *b = *pp;
			if (b->bd != bd) {
				pp = &b->hnext;
			} else if (b->refcount) {
				busy++;
				pp = &b->hnext;
			} else {
				*pp = b->hnext;
				free(b->data);
				free(b);
			}
		}
	}
	return busy;
}
size_t bcache_shrink(size_t npages) { (void)npages; return 0; }
void bcache_init(void) {}
void bcache_stats(uint64_t *cached, uint64_t *dirty) { *cached = *dirty = 0; }

/* ---- the rest ---- */
/* The fs-type registry is kernel/fs/fstype.c's. */
void yield(void) {}
