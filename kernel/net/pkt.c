/*
 * kernel/net/pkt.c - packet buffers (see net/pkt.h): one kmalloc'ed
 * block per packet, with headroom for the headers pushed on the way down.
 *
 * A full-size frame's buffer (headroom + 1518 bytes) falls in kmalloc's
 * 2 KiB class, whose slabs hold one object per page: allocating and
 * freeing one per frame took a page from and gave it back to the page
 * allocator every time, and kmalloc was about a fifth of the samples of a
 * TCP transfer under TCG (guest RIP sampled through the QEMU monitor,
 * 2026-12-06). So buffers of that class are rounded up to the whole
 * class (PKT_BIG) and, when freed, kept with their struct pkt on a free
 * list of at most PKT_CACHE_MAX (512 KiB) for the next pkt_alloc. The
 * host unit tests count allocations, so they build without the cache.
 *
 * Buffers of 64 KiB packets (TSO segments, virtio-net's large-receive
 * buffers: PKT_JUMBO, whole pages that kmalloc takes from the page
 * allocator as one contiguous run, found by a scan) get a second, small
 * cache of PKT_JUMBO_CACHE_MAX: allocating one per received segment in
 * the interrupt handler cost about 0.4 ms each (rdtsc, 2026-12-06).
 *
 * Both caches are on the page allocator's shrinker list (shrinker.h, as
 * "pkt"): up to 2.5 MiB that a process short of memory, or
 * /proc/sys/vm/drop_caches, can have back.
 */
#include "mm.h"
#include "net/pkt.h"
#include "shrinker.h"
#include "sync.h"

#define PKT_BIG 2048
#define PKT_JUMBO (66 * 1024)
#ifdef RAYOS_HOST_TEST
#define PKT_CACHE_MAX 0
#define PKT_JUMBO_CACHE_MAX 0
#else
#define PKT_CACHE_MAX 256
#define PKT_JUMBO_CACHE_MAX 32
#endif

static struct pkt *cache, *jumbo_cache;
static unsigned cache_count, jumbo_count;
static spinlock_t cache_lock = SPINLOCK_INIT("pkt cache");

static struct pkt *cache_get(struct pkt **c, unsigned *count)
{
	struct pkt *p;

	spin_lock(&cache_lock);
	if ((p = *c)) {
		*c = p->next;
		(*count)--;
	}
	spin_unlock(&cache_lock);
	return p;
}

/* Keep p on c if there is room; false when it must be freed. */
static bool cache_put(struct pkt **c, unsigned *count, unsigned max, struct pkt *p)
{
	bool kept = false;

	spin_lock(&cache_lock);
	if (*count < max) {
		p->next = *c;
		*c = p;
		(*count)++;
		kept = true;
	}
	spin_unlock(&cache_lock);
	return kept;
}

#ifndef RAYOS_HOST_TEST
/* What one cached packet of capacity cap holds, in bytes. */
static size_t cached_bytes(size_t cap)
{
	return kmalloc_footprint(cap) + kmalloc_footprint(sizeof(struct pkt));
}

static size_t pkt_cache_count(size_t *reclaimable)
{
	spin_lock(&cache_lock);
	size_t bytes = cache_count * cached_bytes(PKT_BIG) +
	               jumbo_count * cached_bytes(PKT_JUMBO);
	spin_unlock(&cache_lock);
	*reclaimable = bytes / PAGE_SIZE;
	return bytes / PAGE_SIZE;
}

/* Inside page_alloc: cache_lock is never held across an allocation, so
 * taking it cannot wait on this CPU. The big buffers go first. */
static size_t pkt_cache_scan(size_t npages)
{
	size_t freed = 0;
	struct pkt *p;

	while (freed < npages * PAGE_SIZE &&
	       ((p = cache_get(&jumbo_cache, &jumbo_count)) ||
	        (p = cache_get(&cache, &cache_count)))) {
		freed += cached_bytes(p->cap);
		kfree(p->buf);
		kfree(p);
	}
	return freed / PAGE_SIZE;
}

static struct shrinker pkt_shrinker = {
	.name = "pkt",
	.count = pkt_cache_count,
	.scan = pkt_cache_scan,
};

void pkt_init(void)
{
	shrinker_register(&pkt_shrinker);
}
#endif

struct pkt *pkt_alloc(size_t size)
{
	size_t cap = PKT_HEADROOM + size;
	struct pkt *p = NULL;

	if (cap > PKT_BIG / 2 && cap <= PKT_BIG) {
		cap = PKT_BIG;
		p = cache_get(&cache, &cache_count);
	} else if (cap > PKT_JUMBO / 2 && cap <= PKT_JUMBO) {
		cap = PKT_JUMBO;
		p = cache_get(&jumbo_cache, &jumbo_count);
	}
	if (!p) {
		p = kmalloc(sizeof(*p));
		if (!p)
			return NULL;
		p->buf = kmalloc(cap);
		if (!p->buf) {
			kfree(p);
			return NULL;
		}
	}
	p->next = NULL;
	p->cap = cap;
	p->data = p->buf + PKT_HEADROOM;
	p->len = 0;
	p->dev = NULL;
	p->l3 = p->l4 = NULL;
	p->csum_flags = 0;
	p->csum_start = p->csum_offset = 0;
	p->gso_size = 0;
	p->tstamp = 0;
	return p;
}

void pkt_free(struct pkt *p)
{
	if (!p)
		return;
	if (p->cap == PKT_BIG && cache_put(&cache, &cache_count, PKT_CACHE_MAX, p))
		return;
	if (p->cap == PKT_JUMBO &&
	    cache_put(&jumbo_cache, &jumbo_count, PKT_JUMBO_CACHE_MAX, p))
		return;
	kfree(p->buf);
	kfree(p);
}

struct pkt *pkt_copy(const struct pkt *p)
{
	size_t head = (size_t)(p->data - p->buf);
	struct pkt *c = pkt_alloc(p->cap > PKT_HEADROOM ? p->cap - PKT_HEADROOM : 0);
	if (!c)
		return NULL;
	/* Same layout: same headroom, so l3/l4 keep their offsets. */
	c->data = c->buf + head;
	memcpy(c->data, p->data, p->len);
	c->len = p->len;
	c->dev = p->dev;
	c->l3 = p->l3 ? c->buf + (p->l3 - p->buf) : NULL;
	c->l4 = p->l4 ? c->buf + (p->l4 - p->buf) : NULL;
	c->csum_flags = p->csum_flags;
	c->csum_start = p->csum_start;
	c->csum_offset = p->csum_offset;
	c->gso_size = p->gso_size;
	c->tstamp = p->tstamp;
	return c;
}

void pktq_push(struct pkt_queue *q, struct pkt *p)
{
	p->next = NULL;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->count++;
	q->bytes += p->len;
}

struct pkt *pktq_pop(struct pkt_queue *q)
{
	struct pkt *p = q->head;
	if (!p)
		return NULL;
	q->head = p->next;
	if (!q->head)
		q->tail = NULL;
	p->next = NULL;
	q->count--;
	q->bytes -= p->len;
	return p;
}

void pktq_purge(struct pkt_queue *q)
{
	struct pkt *p;
	while ((p = pktq_pop(q)))
		pkt_free(p);
}
