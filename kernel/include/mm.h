/*
 * kernel/include/mm.h - physical pages, the direct map, the kernel heap and
 * MMIO mappings (kernel/mm/).
 *
 * Physical memory is reached through the higher-half direct map (HHDM):
 * physical address p is at virtual address RAYOS_HHDM_BASE + p for all RAM.
 * MMIO ranges are mapped on request by ioremap() into their own window with
 * caching disabled.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include "kernel.h"
#include <rayos/bootinfo.h>

#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Host unit tests run the allocators over an arena at a movable base. */
#ifdef RAYOS_HOST_TEST
extern uint64_t host_hhdm_base;
#define HHDM_BASE host_hhdm_base
#else
#define HHDM_BASE RAYOS_HHDM_BASE
#endif

static inline void *phys_to_virt(phys_addr_t p)
{
	return (void *)(p + HHDM_BASE);
}
static inline phys_addr_t virt_to_phys(const void *v)
{
	return (phys_addr_t)v - HHDM_BASE; /* direct-map addresses only */
}

/* Physical page allocator (kernel/mm/pmm.c). Returns 0 when out of memory.
 * Pages come back unzeroed unless the _zero variant is used. */
phys_addr_t page_alloc(void);
phys_addr_t page_alloc_zero(void);
phys_addr_t pages_alloc(size_t count); /* physically contiguous, aligned to
                                          the largest power of two <= count */
void page_free(phys_addr_t page);
void pages_free(phys_addr_t first, size_t count);
/* Reference counts for shared (copy-on-write, shared mapping) pages. A page
 * from page_alloc() has count 1; page_free() drops one reference and frees
 * the page when none are left. */
void page_ref(phys_addr_t page);
unsigned page_refcount(phys_addr_t page);
size_t pmm_free_pages(void);
size_t pmm_total_pages(void);

/* Kernel heap (kernel/mm/kmalloc.c): slabs for sizes up to 2 KiB, whole
 * pages above. Memory is 16-byte aligned; kzalloc zeroes it. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void *krealloc(void *p, size_t size);
void kfree(void *p);
char *kstrdup(const char *s);

/* What the heap holds, per cache: the 8 slab size classes (16 bytes to
 * 2 KiB), then large allocations (size 0; one object per allocation, its
 * pages in pages). For /proc/slabinfo and /proc/meminfo's Slab: line. */
#define KMALLOC_CACHES 9
struct kmalloc_cache_stat {
	size_t size;     /* object size in bytes */
	size_t per_slab; /* objects per one-page slab */
	size_t active;   /* objects in use */
	size_t objects;  /* objects in the slabs held, in use or free */
	size_t pages;    /* pages held */
};
void kmalloc_stats(struct kmalloc_cache_stat st[KMALLOC_CACHES]);
/* The memory one kmalloc(size) takes: its share of a slab page (1365
 * bytes for 1 KiB: three to a page), or its whole pages. For caches that
 * report what giving their objects back would free. */
size_t kmalloc_footprint(size_t size);

/* Map [phys, phys+size) uncached into the kernel's MMIO window. Returns NULL
 * on failure. Never unmapped for now. */
void *ioremap(phys_addr_t phys, size_t size);

#endif
