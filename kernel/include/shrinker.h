/*
 * kernel/include/shrinker.h - caches that give memory back when the page
 * allocator runs short (kernel/mm/shrinker.c).
 *
 * A cache that keeps pages only to save work later (the buffer cache, the
 * file mapping page cache, exec's shared program pages) registers one
 * struct shrinker. When page_alloc() or pages_alloc() finds no free page
 * it calls shrink_caches(), which asks the caches, starting with a
 * different one each time, to free pages that nothing else uses, then
 * retries once. /proc/sys/vm/drop_caches asks them to free all they can;
 * /proc/meminfo (Buffers, Cached, MemAvailable) and /proc/caches report
 * what they hold.
 *
 * Rules for scan(): it runs inside page_alloc, so with whatever locks the
 * allocating code holds, perhaps with interrupts off. It must not sleep,
 * allocate, or wait for a lock (take sleeping locks with mutex_trylock and
 * skip what is busy), and must free only what can be rebuilt: clean pages
 * that no process maps. Dirty data is written back first or kept.
 */
#ifndef KERNEL_SHRINKER_H
#define KERNEL_SHRINKER_H

#include "kernel.h"

struct shrinker {
	const char *name;       /* for /proc/caches */
	/* Pages the cache holds now; *reclaimable: how many of them scan()
	 * could free now (clean, unused). Called from process context. */
	size_t (*count)(size_t *reclaimable);
	/* Free up to npages pages; returns how many were freed. */
	size_t (*scan)(size_t npages);
	/* Its pages are Linux's page cache (Cached: in /proc/meminfo);
	 * the buffer cache has its own line, Buffers:. */
	bool page_cache;
	/* Private to shrinker.c. */
	size_t reclaimed;       /* pages given back so far */
	struct shrinker *next;
};

void shrinker_register(struct shrinker *s);
/* Ask the caches, from the next one in turn, to free npages pages in all
 * (SIZE_MAX: all they can); returns how many they freed. */
size_t shrink_caches(size_t npages);
/* For /proc: iterate (NULL starts); the sum of the counts, and of those
 * of the page_cache ones (NULL: not wanted). */
struct shrinker *shrinker_next(struct shrinker *prev);
size_t shrinkers_count(size_t *reclaimable, size_t *page_cache);

#endif
