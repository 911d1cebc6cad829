/*
 * kernel/fs/bcache.c - the buffer cache (interface and rules: bcache.h).
 *
 * Design:
 *  - Every buffer is in a hash table keyed by (device, block number, size)
 *    and on one LRU list (most recently released at the head). A buffer
 *    with references is never freed; eviction takes unreferenced clean
 *    buffers from the tail.
 *  - The cache grows until it holds `limit` bytes (a quarter of RAM by
 *    default); past that, bget/bread first evict clean buffers and, if
 *    there are none, write back the oldest dirty ones to make them clean.
 *    bcache_shrink() lets the page allocator take memory back too (it is
 *    on the shrinker list, shrinker.h), and /proc/sys/vm/drop_caches
 *    empties it. Until then the kernel heap grows with it: a block of
 *    less than a page is a kmalloc object (1 KiB ext2 blocks: kmalloc-
 *    1024) and every buffer a struct buf (kmalloc-256), so a workload
 *    that touches new blocks shows in /proc/slabinfo as those two classes
 *    growing by one object per block, up to the limit - not a leak.
 *  - Write-back collects dirty buffers, sorts them by (device, block) and
 *    writes runs of consecutive blocks as one request through a staging
 *    area (one virtio request instead of dozens). A flusher thread does
 *    this every interval/2 for buffers dirty longer than the interval.
 *  - Read-ahead reads a run of missing blocks with one request into the
 *    staging area and spreads it into new buffers. It is synchronous (the
 *    block layer has no asynchronous requests), so "without waiting" is
 *    only true in that the caller gets no references.
 *  - b->lock (a mutex) guards the contents. Reading from the device takes
 *    it, and write-back copies each block into the staging area under it
 *    (one lock at a time), so a block is never read into a buffer that a
 *    file system is modifying, and is written as a consistent snapshot.
 *    bwrite() does NOT take it: its caller may hold it.
 *  - Write errors are remembered per device and returned (once) by the next
 *    bcache_sync() on it, like Linux's errseq for fsync.
 *
 * The file builds on the host (-DRAYOS_HOST_TEST) over
 * tests/unit/host/blockfile.c; there is no flusher thread there.
 */
#include "bcache.h"
#include "ktime.h"
#include "mm.h"
#include "sync.h"
#ifndef RAYOS_HOST_TEST
#include "shrinker.h"
#include "task.h"
#endif

#define NHASH 1024
#define STAGE_BYTES (128 * 1024)   /* largest coalesced request */
#define MAX_BATCH 4096             /* dirty buffers written per pass */

static spinlock_t bc_lock = SPINLOCK_INIT("bcache");
static mutex_t stage_lock;         /* staging buffer and write-back passes */
static uint8_t *stage;
static struct buf *hash[NHASH];
static struct buf lru = { .lru_prev = &lru, .lru_next = &lru };
static uint64_t cached_bytes, dirty_bytes;
static uint64_t cached_mem, dirty_mem;  /* the memory those take: buf_mem() */
static uint64_t limit_bytes;
static bool inited;

/* Tunables (bcache.h): boot options bcache.writeback_ms= and bcache.limit_mb=. */
uint64_t bcache_writeback_ms = 5000;

/* Every device the cache has held buffers of: its pending write-back
 * error, and whether it needs a flush (bcache_sync(NULL) flushes those). */
struct bdev_state {
	struct blockdev *bd;
	int err;
	struct bdev_state *next;
};
static struct bdev_state *devices;

static void lazy_init(void)
{
	if (inited)
		return;
	inited = true;
	mutex_init(&stage_lock, "bcache stage");
	if (!limit_bytes)
		limit_bytes = MAX((uint64_t)pmm_total_pages() * PAGE_SIZE / 4,
		                  (uint64_t)4 << 20);
}

static unsigned hashfn(struct blockdev *bd, uint64_t blkno)
{
	uint64_t h = (uint64_t)(uintptr_t)bd * 0x9e3779b97f4a7c15ULL ^ blkno * 0xff51afd7ed558ccdULL;
	return (unsigned)(h >> 40) % NHASH;
}

static void lru_unlink(struct buf *b)
{
	b->lru_prev->lru_next = b->lru_next;
	b->lru_next->lru_prev = b->lru_prev;
}

static void lru_push_head(struct buf *b)
{
	b->lru_next = lru.lru_next;
	b->lru_prev = &lru;
	lru.lru_next->lru_prev = b;
	lru.lru_next = b;
}

static struct buf *lookup(struct blockdev *bd, uint64_t blkno, unsigned size)
{
	for (struct buf *b = hash[hashfn(bd, blkno)]; b; b = b->hnext)
		if (b->bd == bd && b->blkno == blkno && b->size == size)
			return b;
	return NULL;
}

static void hash_remove(struct buf *b)
{
	struct buf **pp = &hash[hashfn(b->bd, b->blkno)];
	while (*pp != b)
		pp = &(*pp)->hnext;
	*pp = b->hnext;
}

/* Data: one page for page-sized blocks (kmalloc would take two). */
static uint8_t *data_alloc(unsigned size)
{
	if (size == PAGE_SIZE) {
		phys_addr_t p = page_alloc();
		return p ? phys_to_virt(p) : NULL;
	}
	return kmalloc(size);
}

static void data_free(uint8_t *d, unsigned size)
{
	if (size == PAGE_SIZE)
		page_free(virt_to_phys(d));
	else
		kfree(d);
}

static void buf_free(struct buf *b)
{
	data_free(b->data, b->size);
	kfree(b);
}

static bool valid_size(unsigned size)
{
	return size >= SECTOR_SIZE && size <= 65536 && size % SECTOR_SIZE == 0;
}

static bool in_range(struct blockdev *bd, uint64_t blkno, unsigned size)
{
	uint64_t spb = size / SECTOR_SIZE;
	return bd && blkno < bd->sectors / spb;
}

/* Evict up to `bytes` of clean unreferenced buffers from the LRU tail.
 * Returns bytes freed. Takes bc_lock itself. */
/* The memory a buffer of size bytes takes: a block smaller than a page is
 * a kmalloc object (a 1 KiB one a third of a slab page), and every buffer
 * has a struct buf (a 256-byte object): 1.6 KiB for a 1 KiB block. */
static uint64_t buf_mem(unsigned size)
{
	return kmalloc_footprint(sizeof(struct buf)) +
	       (size == PAGE_SIZE ? PAGE_SIZE : kmalloc_footprint(size));
}

static uint64_t evict_clean(uint64_t bytes)
{
	struct buf *victims = NULL;
	uint64_t freed = 0;

	spin_lock(&bc_lock);
	for (struct buf *b = lru.lru_prev, *prev; b != &lru && freed < bytes; b = prev) {
		prev = b->lru_prev;
		if (b->refcount || (b->flags & B_DIRTY))
			continue;
		lru_unlink(b);
		hash_remove(b);
		cached_bytes -= b->size;
		cached_mem -= buf_mem(b->size);
		freed += b->size;
		b->hnext = victims;
		victims = b;
	}
	spin_unlock(&bc_lock);
	while (victims) {
		struct buf *n = victims->hnext;
		buf_free(victims);
		victims = n;
	}
	return freed;
}

static void write_failed(struct buf *b, int err);
static void mark_clean(struct buf *b);
static void dev_seen(struct blockdev *bd);

/*
 * Write back up to max of the least recently used dirty buffers that
 * nobody holds, one request each. Used when the cache is full of dirty
 * data: it neither takes the staging lock nor waits for a buffer a caller
 * has locked (a caller's locked buffer is referenced, hence skipped), so
 * it is safe from inside bread/bget whatever the caller holds.
 */
static void writeback_unreferenced(size_t max)
{
	struct buf *v[64];
	size_t n = 0;

	max = MIN(max, ARRAY_SIZE(v));
	spin_lock(&bc_lock);
	for (struct buf *b = lru.lru_prev; b != &lru && n < max; b = b->lru_prev) {
		if (!(b->flags & B_DIRTY) || b->refcount)
			continue;
		b->refcount++;
		v[n++] = b;
	}
	spin_unlock(&bc_lock);
	for (size_t i = 0; i < n; i++) {
		struct buf *b = v[i];
		uint32_t spb = b->size / SECTOR_SIZE;
		mutex_lock(&b->lock);
		mark_clean(b);
		int err = block_write(b->bd, b->blkno * spb, spb, b->data);
		if (err)
			write_failed(b, err);
		mutex_unlock(&b->lock);
		brelse(b);
	}
}

/* Make room for one more buffer of size bytes when over the limit. */
static void make_room(unsigned size)
{
	uint64_t cached = READ_ONCE(cached_bytes);
	if (cached + size <= limit_bytes)
		return;
	/* Down to the limit (it may have just been lowered), and a little
	 * more so that the next few misses need no eviction. */
	uint64_t need = cached + size - limit_bytes;
	uint64_t want = MAX(need, size * 16ULL);
	if (evict_clean(want) >= need)
		return;
	/* Everything is dirty or in use: write back the oldest and retry. */
	writeback_unreferenced(32);
	evict_clean(want);
}

/* Find or create the buffer; new reference. *fresh: it was created. */
static struct buf *getblk(struct blockdev *bd, uint64_t blkno, unsigned size)
{
	lazy_init();
	if (!valid_size(size) || !in_range(bd, blkno, size))
		return ERR_PTR(-EINVAL);

	spin_lock(&bc_lock);
	struct buf *b = lookup(bd, blkno, size);
	if (b) {
		b->refcount++;
		spin_unlock(&bc_lock);
		return b;
	}
	spin_unlock(&bc_lock);

	make_room(size);
	dev_seen(bd);
	struct buf *nb = kzalloc(sizeof(*nb));
	uint8_t *data = nb ? data_alloc(size) : NULL;
	if (!data) {
		kfree(nb);
		/* Memory is short: give back all we can and retry once. */
		evict_clean(UINT64_MAX);
		nb = kzalloc(sizeof(*nb));
		data = nb ? data_alloc(size) : NULL;
		if (!data) {
			kfree(nb);
			return ERR_PTR(-ENOMEM);
		}
	}
	memset(data, 0, size);
	nb->bd = bd;
	nb->blkno = blkno;
	nb->size = size;
	nb->data = data;
	nb->refcount = 1;
	mutex_init(&nb->lock, "buf");

	spin_lock(&bc_lock);
	b = lookup(bd, blkno, size);
	if (b) {                         /* someone else made it meanwhile */
		b->refcount++;
		spin_unlock(&bc_lock);
		buf_free(nb);
		return b;
	}
	unsigned h = hashfn(bd, blkno);
	nb->hnext = hash[h];
	hash[h] = nb;
	lru_push_head(nb);
	cached_bytes += size;
	cached_mem += buf_mem(size);
	spin_unlock(&bc_lock);
	return nb;
}

struct buf *bget(struct blockdev *bd, uint64_t blkno, unsigned size)
{
	return getblk(bd, blkno, size);
}

struct buf *bread(struct blockdev *bd, uint64_t blkno, unsigned size)
{
	struct buf *b = getblk(bd, blkno, size);
	if (IS_ERR(b))
		return b;
	if (READ_ONCE(b->flags) & B_VALID)
		return b;
	mutex_lock(&b->lock);
	int err = 0;
	if (!(b->flags & B_VALID)) {
		uint32_t spb = size / SECTOR_SIZE;
		err = block_read(bd, blkno * spb, spb, b->data);
		if (!err) {
			spin_lock(&bc_lock);
			b->flags |= B_VALID;
			spin_unlock(&bc_lock);
		}
	}
	mutex_unlock(&b->lock);
	if (err) {
		kprintf(KERN_ERR "bcache: %s: cannot read block %llu (%u bytes): %d\n",
		        bd->name, (unsigned long long)blkno, size, err);
		brelse(b);
		return ERR_PTR(-EIO);
	}
	return b;
}

void breadahead(struct blockdev *bd, uint64_t blkno, unsigned size,
                unsigned count)
{
	lazy_init();
	if (!valid_size(size) || !bd)
		return;
	uint32_t spb = size / SECTOR_SIZE;
	unsigned per_req = STAGE_BYTES / size;

	mutex_lock(&stage_lock);
	if (!stage && !(stage = kmalloc(STAGE_BYTES))) {
		mutex_unlock(&stage_lock);
		return;
	}
	while (count) {
		/* Skip blocks already cached. */
		spin_lock(&bc_lock);
		while (count && in_range(bd, blkno, size) && lookup(bd, blkno, size)) {
			blkno++;
			count--;
		}
		/* The run of missing blocks after that. */
		unsigned n = 0;
		while (n < count && n < per_req && in_range(bd, blkno + n, size) &&
		       !lookup(bd, blkno + n, size))
			n++;
		spin_unlock(&bc_lock);
		if (!n)
			break;
		/* At the limit, read-ahead replaces the least recently used
		 * clean buffers (a sequential reader's own older blocks); when
		 * everything is dirty or in use it stops rather than force
		 * write-back. */
		uint64_t want = (uint64_t)n * size;
		if (READ_ONCE(cached_bytes) + want > limit_bytes) {
			evict_clean(READ_ONCE(cached_bytes) + want - limit_bytes);
			if (READ_ONCE(cached_bytes) + want > limit_bytes)
				break;
		}
		if (block_read(bd, blkno * spb, n * spb, stage))
			break;
		for (unsigned i = 0; i < n; i++) {
			struct buf *b = getblk(bd, blkno + i, size);
			if (IS_ERR(b))
				break;
			mutex_lock(&b->lock);
			if (!(b->flags & B_VALID)) {
				memcpy(b->data, stage + (size_t)i * size, size);
				spin_lock(&bc_lock);
				b->flags |= B_VALID;
				spin_unlock(&bc_lock);
			}
			mutex_unlock(&b->lock);
			brelse(b);
		}
		blkno += n;
		count -= n;
	}
	mutex_unlock(&stage_lock);
}

void bdirty(struct buf *b)
{
	spin_lock(&bc_lock);
	if (!(b->flags & B_DIRTY)) {
		b->dirty_since = time_ns();
		dirty_bytes += b->size;
		dirty_mem += buf_mem(b->size);
	}
	b->flags |= B_DIRTY | B_VALID;
	spin_unlock(&bc_lock);
}

static struct bdev_state *dev_state(struct blockdev *bd)
{
	struct bdev_state *d;
	for (d = devices; d && d->bd != bd; d = d->next)
		;
	return d;
}

/* Called without bc_lock when a buffer of bd is created. */
static void dev_seen(struct blockdev *bd)
{
	spin_lock(&bc_lock);
	bool known = dev_state(bd) != NULL;
	spin_unlock(&bc_lock);
	if (known)
		return;
	struct bdev_state *d = kzalloc(sizeof(*d));
	if (!d)
		return; /* only costs bcache_sync(NULL) a flush of bd */
	d->bd = bd;
	spin_lock(&bc_lock);
	if (dev_state(bd)) {
		spin_unlock(&bc_lock);
		kfree(d);
		return;
	}
	d->next = devices;
	devices = d;
	spin_unlock(&bc_lock);
}

static void record_error(struct blockdev *bd, int err)
{
	spin_lock(&bc_lock);
	struct bdev_state *d = dev_state(bd);
	if (d)
		d->err = err;
	spin_unlock(&bc_lock);
}

/* Take the error of bd (or of any device when NULL) and clear it. */
static int take_error(struct blockdev *bd)
{
	int err = 0;
	spin_lock(&bc_lock);
	for (struct bdev_state *d = devices; d; d = d->next) {
		if (bd && d->bd != bd)
			continue;
		if (d->err)
			err = d->err;
		d->err = 0;
	}
	spin_unlock(&bc_lock);
	return err;
}

/* Clear B_DIRTY before writing: a bdirty() during the write sets it
 * again, so that change is written by a later pass. */
static void mark_clean(struct buf *b)
{
	spin_lock(&bc_lock);
	if (b->flags & B_DIRTY) {
		b->flags &= ~B_DIRTY;
		dirty_bytes -= b->size;
		dirty_mem -= buf_mem(b->size);
	}
	spin_unlock(&bc_lock);
}

static void write_failed(struct buf *b, int err)
{
	kprintf(KERN_ERR "bcache: %s: write of block %llu failed: %d\n",
	        b->bd->name, (unsigned long long)b->blkno, err);
	record_error(b->bd, -EIO);
	bdirty(b); /* keep the data; maybe the next try works */
}

int bwrite(struct buf *b)
{
	uint32_t spb = b->size / SECTOR_SIZE;
	mark_clean(b);
	int err = block_write(b->bd, b->blkno * spb, spb, b->data);
	if (err) {
		write_failed(b, err);
		return -EIO;
	}
	spin_lock(&bc_lock);
	b->flags |= B_VALID;
	spin_unlock(&bc_lock);
	return 0;
}

void brelse(struct buf *b)
{
	if (IS_ERR_OR_NULL(b))
		return;
	spin_lock(&bc_lock);
	BUG_ON(b->refcount <= 0);
	if (--b->refcount == 0) {
		lru_unlink(b);
		lru_push_head(b);
	}
	spin_unlock(&bc_lock);
}

void block_lock(struct buf *b) { mutex_lock(&b->lock); }
void block_unlock(struct buf *b) { mutex_unlock(&b->lock); }

static int buf_cmp(const struct buf *a, const struct buf *b)
{
	if (a->bd != b->bd)
		return (uintptr_t)a->bd < (uintptr_t)b->bd ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return a->blkno < b->blkno ? -1 : a->blkno > b->blkno;
}

/* Shell sort: no recursion, no allocation, fine for a few thousand. */
static void sort_bufs(struct buf **v, size_t n)
{
	static const size_t gaps[] = { 701, 301, 132, 57, 23, 10, 4, 1 };
	for (size_t g = 0; g < ARRAY_SIZE(gaps); g++) {
		size_t gap = gaps[g];
		for (size_t i = gap; i < n; i++) {
			struct buf *t = v[i];
			size_t j = i;
			for (; j >= gap && buf_cmp(v[j - gap], t) > 0; j -= gap)
				v[j] = v[j - gap];
			v[j] = t;
		}
	}
}

/*
 * Write the run v[0..n) of consecutive blocks as one request. Each buffer
 * is snapshotted into the staging area under its own lock, one at a time,
 * so write-back never holds two buffer locks (a file system may take
 * several in any order) and no buffer stays locked during the I/O.
 */
static int write_run(struct buf **v, size_t n)
{
	struct buf *first = v[0];
	uint32_t spb = first->size / SECTOR_SIZE;

	for (size_t i = 0; i < n; i++) {
		mutex_lock(&v[i]->lock);
		mark_clean(v[i]);
		memcpy(stage + i * first->size, v[i]->data, first->size);
		mutex_unlock(&v[i]->lock);
	}
	int err = block_write(first->bd, first->blkno * spb, (uint32_t)(spb * n), stage);
	if (err)
		for (size_t i = 0; i < n; i++)
			write_failed(v[i], err);
	return err ? -EIO : 0;
}

/*
 * Write back dirty buffers of bd (NULL: all) that became dirty before
 * now - older_than_ns (0: all of them), at most max of them.
 */
static int writeback(struct blockdev *bd, uint64_t older_than_ns, size_t max)
{
	static struct buf *batch[MAX_BATCH];
	uint64_t cutoff = older_than_ns ? time_ns() - older_than_ns : UINT64_MAX;
	int result = 0;

	lazy_init();
	mutex_lock(&stage_lock);
	if (!stage && !(stage = kmalloc(STAGE_BYTES))) {
		mutex_unlock(&stage_lock);
		return -ENOMEM;
	}
	for (;;) {
		size_t n = 0;
		/* Oldest first: the LRU tail holds the least recently used. */
		spin_lock(&bc_lock);
		for (struct buf *b = lru.lru_prev; b != &lru && n < MIN(max, MAX_BATCH);
		     b = b->lru_prev) {
			if (!(b->flags & B_DIRTY) || (bd && b->bd != bd) ||
			    (older_than_ns && b->dirty_since > cutoff))
				continue;
			b->refcount++;
			batch[n++] = b;
		}
		spin_unlock(&bc_lock);
		if (!n)
			break;
		sort_bufs(batch, n);
		for (size_t i = 0; i < n;) {
			size_t j = i + 1;
			size_t per_req = STAGE_BYTES / batch[i]->size;
			while (j < n && j - i < per_req && batch[j]->bd == batch[i]->bd &&
			       batch[j]->size == batch[i]->size &&
			       batch[j]->blkno == batch[j - 1]->blkno + 1)
				j++;
			if (write_run(batch + i, j - i))
				result = -EIO;
			for (size_t k = i; k < j; k++)
				brelse(batch[k]);
			i = j;
		}
		if (n < MAX_BATCH || n >= max || result)
			break;
		max -= n;
	}
	mutex_unlock(&stage_lock);
	return result;
}

int bcache_sync(struct blockdev *bd)
{
	int err = writeback(bd, 0, SIZE_MAX);
	int ferr = 0;
	if (bd) {
		ferr = block_flush(bd);
	} else {
		/* Every device the cache has used, copied out under the
		 * lock because bcache_invalidate() may drop entries. */
		struct blockdev *v[32];
		size_t n = 0;
		spin_lock(&bc_lock);
		for (struct bdev_state *d = devices; d && n < ARRAY_SIZE(v); d = d->next)
			v[n++] = d->bd;
		spin_unlock(&bc_lock);
		for (size_t i = 0; i < n; i++) {
			int e = block_flush(v[i]);
			if (e)
				ferr = e;
		}
	}
	if (ferr)
		kprintf(KERN_ERR "bcache: %s: flush failed: %d\n",
		        bd ? bd->name : "(all)", ferr);
	int old = take_error(bd);
	return err || ferr || old ? -EIO : 0;
}

int bcache_invalidate(struct blockdev *bd)
{
	struct buf *victims = NULL;
	int busy = 0;

	lazy_init();
	spin_lock(&bc_lock);
	for (struct buf *b = lru.lru_next, *next; b != &lru; b = next) {
		next = b->lru_next;
		if (b->bd != bd)
			continue;
		if (b->refcount) {
			busy++;
			continue;
		}
		if (b->flags & B_DIRTY) {
			dirty_bytes -= b->size;
			dirty_mem -= buf_mem(b->size);
		}
		lru_unlink(b);
		hash_remove(b);
		cached_bytes -= b->size;
		cached_mem -= buf_mem(b->size);
		b->hnext = victims;
		victims = b;
	}
	/* Forget the device's record too: it may be freed next. */
	struct bdev_state *gone = NULL;
	for (struct bdev_state **pp = &devices; *pp;) {
		struct bdev_state *e = *pp;
		if (e->bd == bd && !busy) {
			*pp = e->next;
			e->next = gone;
			gone = e;
		} else {
			pp = &e->next;
		}
	}
	spin_unlock(&bc_lock);
	while (gone) {
		struct bdev_state *n = gone->next;
		kfree(gone);
		gone = n;
	}
	while (victims) {
		struct buf *n = victims->hnext;
		buf_free(victims);
		victims = n;
	}
	return busy;
}

size_t bcache_shrink(size_t npages)
{
	if (!inited)
		return 0;
	uint64_t bytes = npages > UINT64_MAX / PAGE_SIZE ? UINT64_MAX : (uint64_t)npages * PAGE_SIZE;
	return evict_clean(bytes) / PAGE_SIZE;
}

void bcache_stats(uint64_t *cached, uint64_t *dirty)
{
	spin_lock(&bc_lock);
	if (cached)
		*cached = cached_bytes;
	if (dirty)
		*dirty = dirty_bytes;
	spin_unlock(&bc_lock);
}

/* For tests and the boot option bcache.limit=: bytes the cache may hold. */
void bcache_set_limit(uint64_t bytes)
{
	limit_bytes = MAX(bytes, (uint64_t)64 * 1024);
}

#ifndef RAYOS_HOST_TEST
/* The buffer cache on the page allocator's shrinker list (shrinker.h),
 * counting the memory its buffers take (Buffers: in /proc/meminfo shows
 * their bytes, as Linux's does). Clean ones count as reclaimable, though
 * the few a file system holds a reference to are not, as before. */
static size_t shrinker_count(size_t *reclaimable)
{
	spin_lock(&bc_lock);
	uint64_t held = cached_mem, dirty = dirty_mem;
	spin_unlock(&bc_lock);
	*reclaimable = (size_t)((held - dirty) / PAGE_SIZE);
	return (size_t)(held / PAGE_SIZE);
}

static struct shrinker bcache_shrinker = {
	.name = "buffers",
	.count = shrinker_count,
	.scan = bcache_shrink,
};

static void flusher(void *arg __unused)
{
	for (;;) {
		uint64_t ms = READ_ONCE(bcache_writeback_ms);
		if (ms < 100)
			ms = 100;
		sleep_until(time_ns() + ms * NSEC_PER_MSEC / 2, true);
		if (READ_ONCE(dirty_bytes))
			writeback(NULL, ms * NSEC_PER_MSEC, SIZE_MAX);
	}
}

void bcache_init(void)
{
	lazy_init();
	shrinker_register(&bcache_shrinker);
	if (!kthread_create("bflush", flusher, NULL))
		kprintf(KERN_ERR "bcache: cannot start the flusher; "
		        "dirty buffers are written only by sync\n");
}
#else
void bcache_init(void)
{
	lazy_init();
}
#endif
