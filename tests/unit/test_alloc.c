/*
 * tests/unit/test_alloc.c - the physical page allocator (kernel/mm/pmm.c),
 * the caches it asks for pages when it runs out (kernel/mm/shrinker.c)
 * and the kernel heap (kernel/mm/kmalloc.c), run on the host over an arena
 * that plays the part of physical memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel.h"
#include "mm.h"
#include "shrinker.h"

void pmm_init(const struct rayos_bootinfo *bi);
void pmm_reclaim_boot(const struct rayos_bootinfo *bi);
extern uint64_t host_hhdm_base;

#define ARENA_MIB 16
#define PHYS_BASE (2ULL << 20) /* the arena pretends to start at 2 MiB */
static uint8_t *arena;

/* A memory map: 1 MiB low (ignored), usable RAM, a reserved hole, more RAM,
 * and a boot-reclaimable range, with the bootinfo itself in "kernel" memory. */
static struct rayos_bootinfo *bi;
static size_t initial_free;

static int setup(void **state)
{
	(void)state;
	arena = aligned_alloc(4096, ARENA_MIB << 20);
	assert_non_null(arena);
	memset(arena, 0xaa, ARENA_MIB << 20);
	host_hhdm_base = (uint64_t)arena - PHYS_BASE;
	/* bootinfo and map live in the first arena page ("kernel" memory). */
	bi = phys_to_virt(PHYS_BASE);
	memset(bi, 0, 4096);
	struct rayos_mmap_entry *map = (void *)((uint8_t *)bi + 2048);
	bi->mmap_phys = PHYS_BASE + 2048;
	map[0] = (struct rayos_mmap_entry){ PHYS_BASE, 4096, RAYOS_MEM_KERNEL, 0 };
	map[1] = (struct rayos_mmap_entry){ PHYS_BASE + 4096, (8ULL << 20) - 4096, RAYOS_MEM_USABLE, 0 };
	map[2] = (struct rayos_mmap_entry){ PHYS_BASE + (8ULL << 20), 1ULL << 20, RAYOS_MEM_RESERVED, 0 };
	map[3] = (struct rayos_mmap_entry){ PHYS_BASE + (9ULL << 20), 6ULL << 20, RAYOS_MEM_USABLE, 0 };
	map[4] = (struct rayos_mmap_entry){ PHYS_BASE + (15ULL << 20), 1ULL << 20, RAYOS_MEM_BOOT_RECLAIMABLE, 0 };
	bi->mmap_count = 5;
	pmm_init(bi);
	initial_free = pmm_free_pages();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static bool in_type(phys_addr_t p, uint32_t type)
{
	const struct rayos_mmap_entry *map = phys_to_virt(bi->mmap_phys);
	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (map[i].type == type && p >= map[i].base && p < map[i].base + map[i].length)
			return true;
	return false;
}

static void test_pmm_counts_only_usable(void **state)
{
	(void)state;
	/* 14 MiB usable minus the pages the allocator keeps for its metadata. */
	size_t usable = (14ULL << 20) / 4096 - 1;
	assert_true(initial_free <= usable);
	assert_true(initial_free > usable - 16);
	assert_int_equal(pmm_total_pages(), usable);
}

static void test_pmm_alloc_free_roundtrip(void **state)
{
	(void)state;
	enum { N = 1000 };
	static phys_addr_t pages[N];
	for (int i = 0; i < N; i++) {
		pages[i] = page_alloc();
		assert_true(pages[i] != 0);
		assert_int_equal(pages[i] % 4096, 0);
		assert_true(in_type(pages[i], RAYOS_MEM_USABLE));
		assert_int_equal(page_refcount(pages[i]), 1);
		memset(phys_to_virt(pages[i]), i & 0xff, 4096);
	}
	/* No page was handed out twice: each still holds its own pattern. */
	for (int i = 0; i < N; i++)
		assert_int_equal(((uint8_t *)phys_to_virt(pages[i]))[4095], i & 0xff);
	assert_int_equal(pmm_free_pages(), initial_free - N);
	for (int i = 0; i < N; i++)
		page_free(pages[i]);
	assert_int_equal(pmm_free_pages(), initial_free);
}

static void test_pmm_refcount_shares_pages(void **state)
{
	(void)state;
	phys_addr_t p = page_alloc_zero();
	assert_true(p);
	assert_int_equal(((uint8_t *)phys_to_virt(p))[123], 0);
	page_ref(p);
	assert_int_equal(page_refcount(p), 2);
	page_free(p);
	assert_int_equal(page_refcount(p), 1);
	assert_int_equal(pmm_free_pages(), initial_free - 1);
	page_free(p);
	assert_int_equal(pmm_free_pages(), initial_free);
	/* A double free is reported, not counted. */
	page_free(p);
	assert_int_equal(pmm_free_pages(), initial_free);
}

static void test_pmm_contiguous_and_aligned(void **state)
{
	(void)state;
	phys_addr_t run = pages_alloc(16);
	assert_true(run);
	assert_int_equal(run % (16 * 4096), 0);
	for (int i = 0; i < 16; i++)
		assert_true(in_type(run + i * 4096, RAYOS_MEM_USABLE));
	/* Never across the reserved hole. */
	phys_addr_t big = pages_alloc(512);
	if (big)
		for (int i = 0; i < 512; i++)
			assert_false(in_type(big + i * 4096, RAYOS_MEM_RESERVED));
	pages_free(run, 16);
	if (big)
		pages_free(big, 512);
	assert_int_equal(pmm_free_pages(), initial_free);
}

/* Runs are found past pages in use without overlapping any, and a run
 * freed is what the next request of its size gets, lowest first (memory
 * just freed is reused before memory never touched). */
static void test_pmm_runs_skip_used_and_reuse_freed(void **state)
{
	(void)state;
	enum { N = 24, LEN = 33 };
	phys_addr_t runs[N], singles[N];
	static uint8_t owner[ARENA_MIB << 8];   /* per page: who has it */
	memset(owner, 0, sizeof(owner));
	for (int i = 0; i < N; i++) {
		/* A single page between runs fragments the free space. */
		singles[i] = page_alloc();
		runs[i] = pages_alloc(LEN);
		assert_true(singles[i] && runs[i]);
		size_t s = (singles[i] - PHYS_BASE) >> 12;
		assert_int_equal(owner[s], 0);
		owner[s] = 1;
		for (int k = 0; k < LEN; k++) {
			size_t pfn = ((runs[i] - PHYS_BASE) >> 12) + k;
			assert_true(pfn < sizeof(owner));
			assert_int_equal(owner[pfn], 0);
			owner[pfn] = 2;
			assert_true(in_type(runs[i] + k * 4096ULL, RAYOS_MEM_USABLE));
		}
	}
	pages_free(runs[3], LEN);
	pages_free(runs[10], LEN);
	phys_addr_t a = pages_alloc(LEN), b = pages_alloc(LEN);
	assert_int_equal(a, runs[3]);
	assert_int_equal(b, runs[10]);
	for (int i = 0; i < N; i++) {
		pages_free(runs[i], LEN);
		page_free(singles[i]);
	}
	assert_int_equal(pmm_free_pages(), initial_free);
}

/* Every page is taken (all[0..n)): neither a page nor a run can be had;
 * then all go back, and the allocator holds what it started with. */
static void expect_exhausted_then_free(phys_addr_t *all, size_t n)
{
	assert_int_equal(page_alloc(), 0);
	assert_int_equal(pages_alloc(2), 0);
	for (size_t i = 0; i < n; i++)
		page_free(all[i]);
	free(all);
	assert_int_equal(pmm_free_pages(), initial_free);
}

static void test_pmm_exhaustion_returns_zero(void **state)
{
	(void)state;
	size_t n = pmm_free_pages();
	phys_addr_t *all = malloc(n * sizeof(*all));
	for (size_t i = 0; i < n; i++) {
		all[i] = page_alloc();
		assert_true(all[i]);
	}
	expect_exhausted_then_free(all, n);
}

/* A cache of pages for the shrinker test: scan() frees from the end. */
#define CACHE_PAGES 100
static phys_addr_t cache[CACHE_PAGES];
static size_t cache_n, cache_scans;

static size_t cache_count(size_t *reclaimable)
{
	*reclaimable = cache_n;
	return cache_n;
}

static size_t cache_scan(size_t npages)
{
	size_t freed = 0;
	cache_scans++;
	while (cache_n && freed < npages) {
		page_free(cache[--cache_n]);
		freed++;
	}
	return freed;
}

static struct shrinker cache_shrinker = {
	.name = "test", .count = cache_count, .scan = cache_scan,
};

static void test_pmm_out_of_pages_asks_the_caches(void **state)
{
	(void)state;
	shrinker_register(&cache_shrinker);
	size_t n = pmm_free_pages();
	phys_addr_t *all = malloc(n * sizeof(*all));
	for (size_t i = 0; i < n; i++) {
		all[i] = page_alloc();
		assert_true(all[i]);
	}
	/* The last pages taken become the cache's. */
	n -= CACHE_PAGES;
	memcpy(cache, all + n, sizeof(cache));
	cache_n = CACHE_PAGES;
	size_t held, rec;
	held = shrinkers_count(&rec, NULL);
	assert_int_equal(held, CACHE_PAGES);
	assert_int_equal(rec, CACHE_PAGES);

	/* Nothing free: the allocator takes a batch back and serves from it. */
	phys_addr_t p = page_alloc();
	assert_true(p);
	assert_int_equal(cache_scans, 1);
	assert_true(cache_n < CACHE_PAGES && cache_n >= CACHE_PAGES - 64);
	assert_int_equal(pmm_free_pages(), CACHE_PAGES - cache_n - 1);
	page_free(p);
	/* A run too: pages_alloc asks as well when the free ones do not do. */
	while (pmm_free_pages())
		all[n++] = page_alloc();
	phys_addr_t run = pages_alloc(4);
	assert_true(run);
	assert_int_equal(cache_scans, 2);
	pages_free(run, 4);
	/* An empty cache: out of memory as before, and no loop. */
	shrink_caches(SIZE_MAX);
	assert_int_equal(cache_n, 0);
	while (pmm_free_pages())
		all[n++] = page_alloc();
	expect_exhausted_then_free(all, n);
}

static void test_pmm_reclaims_boot_memory(void **state)
{
	(void)state;
	pmm_reclaim_boot(bi);
	assert_int_equal(pmm_free_pages(), initial_free + 256);
	initial_free = pmm_free_pages();
}

static void test_kmalloc_sizes_alignment_and_reuse(void **state)
{
	(void)state;
	size_t before = pmm_free_pages();
	static const size_t sizes[] = { 1, 7, 16, 17, 33, 100, 256, 500, 1024, 2000, 2048,
	                                2049, 4000, 4096, 10000, 70000 };
	enum { ROUNDS = 40 };
	void *p[ROUNDS][sizeof(sizes) / sizeof(sizes[0])];
	for (int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			p[r][i] = kmalloc(sizes[i]);
			assert_non_null(p[r][i]);
			assert_int_equal((uintptr_t)p[r][i] % 16, 0);
			memset(p[r][i], (r * 31 + i) & 0xff, sizes[i]);
		}
	/* Nothing overlaps: every block still holds its own byte. */
	for (int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			uint8_t *b = p[r][i];
			assert_int_equal(b[0], (r * 31 + i) & 0xff);
			assert_int_equal(b[sizes[i] - 1], (r * 31 + i) & 0xff);
		}
	for (int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			kfree(p[r][i]);
	/* Memory comes back, except at most one cached empty slab per class. */
	assert_true(pmm_free_pages() >= before - 8);
	assert_true(pmm_free_pages() <= before);
}

static void test_kzalloc_krealloc_kstrdup(void **state)
{
	(void)state;
	uint8_t *z = kzalloc(300);
	for (int i = 0; i < 300; i++)
		assert_int_equal(z[i], 0);
	memset(z, 7, 300);
	uint8_t *g = krealloc(z, 5000);
	assert_non_null(g);
	for (int i = 0; i < 300; i++)
		assert_int_equal(g[i], 7);
	kfree(g);
	char *s = kstrdup("rayos");
	assert_string_equal(s, "rayos");
	kfree(s);
	kfree(NULL);
}

static void test_kfree_of_foreign_pointer_panics(void **state)
{
	(void)state;
	extern jmp_buf *host_panic_jmp;
	extern int host_panics;
	jmp_buf jb;
	host_panic_jmp = &jb;
	int before = host_panics;
	phys_addr_t page = page_alloc_zero(); /* a page with no heap header */
	if (setjmp(jb) == 0)
		kfree((uint8_t *)phys_to_virt(page) + 64);
	assert_int_equal(host_panics, before + 1);
	host_panic_jmp = NULL;
	page_free(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pmm_counts_only_usable),
		cmocka_unit_test(test_pmm_alloc_free_roundtrip),
		cmocka_unit_test(test_pmm_refcount_shares_pages),
		cmocka_unit_test(test_pmm_contiguous_and_aligned),
		cmocka_unit_test(test_pmm_runs_skip_used_and_reuse_freed),
		cmocka_unit_test(test_pmm_exhaustion_returns_zero),
		cmocka_unit_test(test_pmm_out_of_pages_asks_the_caches),
		cmocka_unit_test(test_pmm_reclaims_boot_memory),
		cmocka_unit_test(test_kmalloc_sizes_alignment_and_reuse),
		cmocka_unit_test(test_kzalloc_krealloc_kstrdup),
		cmocka_unit_test(test_kfree_of_foreign_pointer_panics),
	};
	return cmocka_run_group_tests_name("allocators", tests, setup, teardown);
}
