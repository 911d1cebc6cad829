/*
 * kernel/mm/shrinker.c - the list of caches that give pages back under
 * memory pressure (interface and rules: shrinker.h).
 *
 * The list only grows (caches register at boot and live forever), and an
 * entry's next pointer is written before the entry is published, so
 * walking it needs no lock: shrink_caches() runs inside page_alloc with
 * arbitrary locks held and must not take one that a shrinker's caller
 * might hold. Registration takes a lock only against other registrations.
 */
#include "kernel.h"
#include "shrinker.h"
#include "sync.h"

static struct shrinker *shrinkers; /* registration order */
static spinlock_t register_lock = SPINLOCK_INIT("shrinkers");

void shrinker_register(struct shrinker *s)
{
	spin_lock(&register_lock);
	struct shrinker **pp = &shrinkers;
	while (*pp)
		pp = &(*pp)->next;
	s->next = NULL;
	__atomic_store_n(pp, s, __ATOMIC_RELEASE);
	spin_unlock(&register_lock);
}

struct shrinker *shrinker_next(struct shrinker *prev)
{
	return __atomic_load_n(prev ? &prev->next : &shrinkers, __ATOMIC_ACQUIRE);
}

/* Each call starts at the next cache in turn, so that pressure spreads
 * over them all instead of emptying the first before the others give a
 * page; one that has nothing to give passes the rest on. */
size_t shrink_caches(size_t npages)
{
	static unsigned turn;
	unsigned n = 0;
	for (struct shrinker *s = shrinker_next(NULL); s; s = shrinker_next(s))
		n++;
	if (!n)
		return 0;
	unsigned first = __atomic_fetch_add(&turn, 1, __ATOMIC_RELAXED) % n;
	struct shrinker *s = shrinker_next(NULL);
	for (unsigned i = 0; i < first; i++)
		s = shrinker_next(s);
	size_t freed = 0;
	for (unsigned i = 0; i < n && freed < npages; i++) {
		size_t got = s->scan(npages - freed);
		__atomic_fetch_add(&s->reclaimed, got, __ATOMIC_RELAXED);
		freed += got;
		s = shrinker_next(s) ? shrinker_next(s) : shrinker_next(NULL);
	}
	return freed;
}

size_t shrinkers_count(size_t *reclaimable, size_t *page_cache)
{
	size_t held = 0, rec = 0, pc = 0;
	for (struct shrinker *s = shrinker_next(NULL); s; s = shrinker_next(s)) {
		size_t r = 0, h = s->count(&r);
		held += h;
		rec += r;
		if (s->page_cache)
			pc += h;
	}
	if (reclaimable)
		*reclaimable = rec;
	if (page_cache)
		*page_cache = pc;
	return held;
}
