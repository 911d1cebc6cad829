/*
 * kernel/include/bcache.h - the buffer cache above the block layer.
 *
 * Disk file systems (ext2, FAT) never call block_read/block_write
 * directly: they read and write file-system blocks through this cache.
 *
 * A buffer is one block of `size` bytes (512..65536, a multiple of 512,
 * fixed per device while it is mounted) at block number `blkno` counted in
 * units of that size from the start of the block device. The cache keeps
 * at most one buffer per (device, blkno) and hands out counted references.
 *
 * Write-back: bdirty() marks a buffer for writing; a flusher writes dirty
 * buffers that have been dirty longer than the flush interval (5 s by
 * default; boot option bcache.writeback_ms=). Eviction of
 * clean, unreferenced buffers happens under memory pressure (LRU).
 *
 * Ordering: when a file system needs block A on disk before block B
 * (e.g. an inode before the directory entry naming it), it calls
 * bwrite(A) - synchronous, returns after the device completed the write
 * - before bdirty(B). bcache_sync() writes everything dirty and issues a
 * device flush (virtio-blk VIRTIO_BLK_T_FLUSH) before it returns: that is
 * what fsync, fdatasync, sync and syncfs end in.
 *
 * Errors: bread returns ERR_PTR(-EIO) when the device fails; a failed
 * write-back is remembered on the device (bcache_error) so the next sync
 * reports -EIO.
 *
 * Locking: b->lock (a sleeping mutex) protects b->data; take it with
 * block_lock/unlock around modifications when several tasks may touch the
 * same block. The cache's own lists are under an internal spinlock.
 *
 * The implementation (kernel/fs/bcache.c) also builds on the host for the
 * unit tests, over a file-backed block device.
 */
#ifndef KERNEL_BCACHE_H
#define KERNEL_BCACHE_H

#include "kernel.h"
#include "block.h"
#include "sync.h"

#define B_VALID 0x1 /* data holds the disk contents (or newer) */
#define B_DIRTY 0x2 /* data is newer than the disk */

struct buf {
	struct blockdev *bd;
	uint64_t blkno;
	unsigned size;
	unsigned flags;          /* B_VALID, B_DIRTY */
	uint8_t *data;
	mutex_t lock;            /* contents; see block_lock() */
	/* Private to bcache.c. */
	int refcount;
	uint64_t dirty_since;    /* ns, monotonic */
	struct buf *hnext;       /* hash chain */
	struct buf *lru_prev, *lru_next;
};

/* The block, read from the device if not cached. New reference, or
 * ERR_PTR(-EIO / -EINVAL for a block past the end of the device). */
struct buf *bread(struct blockdev *bd, uint64_t blkno, unsigned size);
/* The block without reading it: for a caller that overwrites all of it.
 * data is zeroed if it was not cached; the caller then sets B_VALID by
 * calling bdirty(). */
struct buf *bget(struct blockdev *bd, uint64_t blkno, unsigned size);
/* Start reads of blocks [blkno, blkno + count) that are not cached and
 * return without waiting (sequential read-ahead). */
void breadahead(struct blockdev *bd, uint64_t blkno, unsigned size,
                unsigned count);
void bdirty(struct buf *b);      /* mark for write-back */
int bwrite(struct buf *b);       /* write now and wait; clears B_DIRTY */
void brelse(struct buf *b);      /* drop the reference; NULL allowed */
void block_lock(struct buf *b);
void block_unlock(struct buf *b);

/* Write every dirty buffer of bd (NULL: of every device), then flush the
 * device's write cache. 0, or -EIO if any write failed since last time. */
int bcache_sync(struct blockdev *bd);
/* Drop every buffer of bd (after sync, at unmount). Referenced buffers
 * stay; returns how many were still referenced (0 normally). */
int bcache_invalidate(struct blockdev *bd);
/* Free up to npages pages of clean unreferenced buffers; returns how many
 * pages were freed. Called by the page allocator when it runs low. */
size_t bcache_shrink(size_t npages);
void bcache_init(void);          /* boot: start the flusher thread */
/* Tunables: the write-back interval (boot option bcache.writeback_ms=)
 * and the most the cache holds (bcache.limit_mb=; default RAM / 4). */
extern uint64_t bcache_writeback_ms;
void bcache_set_limit(uint64_t bytes);
/* Figures for /proc/meminfo ("Buffers:", "Dirty:"), in bytes. */
void bcache_stats(uint64_t *cached, uint64_t *dirty);

#endif
