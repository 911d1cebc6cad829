/*
 * kernel/mm/kmalloc.c - the kernel heap.
 *
 * Small objects (up to 2 KiB) come from slabs: a slab is one page whose
 * first bytes are a struct slab header followed by equal-sized objects of
 * one size class (16, 32, ... 2048 bytes, so at most half of a 2 KiB object's
 * page is header and tail). Free objects form a list threaded through
 * themselves. Larger requests take whole pages with a 16-byte header at the
 * start of the first page. Both headers start with a magic number, so
 * kfree() finds the header by rounding the pointer down to its page.
 *
 * Fully free slabs beyond one per class go back to the page allocator, so
 * memory freed by the kernel is visible again in MemFree.
 *
 * Each class counts its objects in use and its slabs, and large
 * allocations their number and pages, so that /proc/slabinfo and the Slab:
 * line of /proc/meminfo show a leak and the size it comes in.
 */
#include "kernel.h"
#include "mm.h"
#include "sync.h"

#define SLAB_MAGIC 0x51ab51ab
#define LARGE_MAGIC 0x1a26e000
#define NCLASSES 8
#define MIN_SHIFT 4 /* 16 bytes */
_Static_assert(NCLASSES + 1 == KMALLOC_CACHES, "mm.h: a stat per class + large");

struct slab {
	uint32_t magic;
	uint16_t cls;
	uint16_t inuse;
	void *free;             /* first free object */
	struct slab *next, *prev; /* in the class's partial list */
} __aligned(16);                /* objects after it stay 16-byte aligned */

struct large_hdr {
	uint32_t magic;
	uint32_t npages;
	uint64_t size;
};

struct slab_class {
	size_t size;
	unsigned per_slab;
	struct slab *partial;   /* slabs with at least one free object */
	unsigned empty_slabs;   /* fully free slabs kept in the partial list */
	size_t active, slabs;   /* objects in use, slabs held */
};

static struct slab_class classes[NCLASSES];
static spinlock_t heap_lock = SPINLOCK_INIT("kmalloc");
static bool heap_ready;
static size_t large_allocs, large_pages; /* under heap_lock */

static void heap_init(void)
{
	for (int i = 0; i < NCLASSES; i++) {
		classes[i].size = 1UL << (i + MIN_SHIFT);
		classes[i].per_slab = (PAGE_SIZE - sizeof(struct slab)) / classes[i].size;
	}
	heap_ready = true;
}

static int class_of(size_t size)
{
	for (int i = 0; i < NCLASSES; i++)
		if (size <= classes[i].size)
			return i;
	return -1;
}

static void list_remove(struct slab_class *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void list_push(struct slab_class *c, struct slab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (c->partial)
		c->partial->prev = s;
	c->partial = s;
}

static struct slab *slab_new(int cls)
{
	phys_addr_t p = page_alloc();
	if (!p)
		return NULL;
	struct slab *s = phys_to_virt(p);
	s->magic = SLAB_MAGIC;
	s->cls = cls;
	s->inuse = 0;
	s->next = s->prev = NULL;
	char *obj = (char *)s + sizeof(struct slab);
	s->free = NULL;
	for (unsigned i = classes[cls].per_slab; i-- > 0;) {
		void **o = (void **)(obj + i * classes[cls].size);
		*o = s->free;
		s->free = o;
	}
	return s;
}

static void *large_alloc(size_t size)
{
	size_t npages = (size + sizeof(struct large_hdr) + PAGE_SIZE - 1) / PAGE_SIZE;
	phys_addr_t p = pages_alloc(npages);
	if (!p)
		return NULL;
	struct large_hdr *h = phys_to_virt(p);
	h->magic = LARGE_MAGIC;
	h->npages = npages;
	h->size = size;
	spin_lock(&heap_lock);
	large_allocs++;
	large_pages += npages;
	spin_unlock(&heap_lock);
	return h + 1;
}

void *kmalloc(size_t size)
{
	if (size == 0)
		size = 1;
	if (!heap_ready)
		heap_init();
	int cls = class_of(size);
	if (cls < 0)
		return large_alloc(size);

	struct slab_class *c = &classes[cls];
	spin_lock(&heap_lock);
	struct slab *s = c->partial;
	if (!s) {
		spin_unlock(&heap_lock);
		s = slab_new(cls);
		if (!s)
			return NULL;
		spin_lock(&heap_lock);
		list_push(c, s);
		c->empty_slabs++;
		c->slabs++;
	}
	if (s->inuse == 0)
		c->empty_slabs--;
	void **o = s->free;
	s->free = *o;
	s->inuse++;
	c->active++;
	if (!s->free)
		list_remove(c, s);
	spin_unlock(&heap_lock);
	return o;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

static size_t alloc_size(void *p)
{
	uint32_t *magic = (uint32_t *)ALIGN_DOWN((uint64_t)p, PAGE_SIZE);
	if (*magic == SLAB_MAGIC)
		return classes[((struct slab *)magic)->cls].size;
	return ((struct large_hdr *)magic)->size;
}

void kfree(void *p)
{
	if (!p)
		return;
	void *page = (void *)ALIGN_DOWN((uint64_t)p, PAGE_SIZE);
	uint32_t magic = *(uint32_t *)page;
	if (magic == LARGE_MAGIC) {
		struct large_hdr *h = page;
		BUG_ON((void *)(h + 1) != p);
		h->magic = 0;
		spin_lock(&heap_lock);
		large_allocs--;
		large_pages -= h->npages;
		spin_unlock(&heap_lock);
		pages_free(virt_to_phys(h), h->npages);
		return;
	}
	if (magic != SLAB_MAGIC)
		panic("kfree: %p is not a heap pointer", p);

	struct slab *s = page;
	struct slab_class *c = &classes[s->cls];
	bool release = false;
	spin_lock(&heap_lock);
	void **o = p;
	*o = s->free;
	bool was_full = s->free == NULL;
	s->free = o;
	s->inuse--;
	c->active--;
	if (was_full)
		list_push(c, s);
	if (s->inuse == 0) {
		if (c->empty_slabs >= 1) {
			list_remove(c, s);
			c->slabs--;
			release = true;
		} else {
			c->empty_slabs++;
		}
	}
	spin_unlock(&heap_lock);
	if (release) {
		s->magic = 0;
		page_free(virt_to_phys(s));
	}
}

void kmalloc_stats(struct kmalloc_cache_stat st[KMALLOC_CACHES])
{
	if (!heap_ready)
		heap_init();
	spin_lock(&heap_lock);
	for (int i = 0; i < NCLASSES; i++) {
		st[i].size = classes[i].size;
		st[i].per_slab = classes[i].per_slab;
		st[i].active = classes[i].active;
		st[i].objects = classes[i].slabs * classes[i].per_slab;
		st[i].pages = classes[i].slabs;
	}
	st[NCLASSES].size = 0;
	st[NCLASSES].per_slab = 1;
	st[NCLASSES].active = st[NCLASSES].objects = large_allocs;
	st[NCLASSES].pages = large_pages;
	spin_unlock(&heap_lock);
}

size_t kmalloc_footprint(size_t size)
{
	if (!heap_ready)
		heap_init();
	int cls = class_of(size ? size : 1);
	if (cls < 0)
		return ALIGN_UP(size + sizeof(struct large_hdr), PAGE_SIZE);
	return PAGE_SIZE / classes[cls].per_slab;
}

void *krealloc(void *p, size_t size)
{
	if (!p)
		return kmalloc(size);
	size_t old = alloc_size(p);
	if (size <= old)
		return p;
	void *n = kmalloc(size);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	kfree(p);
	return n;
}

char *kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}
