/*
 * kernel/mm/pmm.c - the physical page allocator.
 *
 * A bitmap with one bit per 4 KiB page of [0, top of RAM) says which pages
 * are free; a parallel array of 16-bit reference counts lets copy-on-write
 * and shared mappings share pages. The bitmap is searched from a moving hint,
 * so allocation is usually O(1); contiguous runs (DMA rings, kmalloc's
 * blocks of a page or more) are found by a scan that starts after the
 * last run taken, or lower, at the lowest one freed since, and skips past
 * each page in use it meets. Both arrays are carved out of the first large-enough usable range.
 *
 * When no page (or run) is free, the allocator asks the caches on the
 * shrinker list (shrinker.h) for a batch of pages and looks once more.
 *
 * Invariant: a page is free in the bitmap iff its reference count is 0.
 * The first 1 MiB is never handed out (firmware leftovers, future SMP
 * trampoline), which also keeps physical address 0 free to mean "none".
 */
#include "kernel.h"
#include "mm.h"
#include "sync.h"

static uint64_t *bitmap;    /* 1 = free */
static uint16_t *refcounts;
static size_t npages;       /* pages covered by the arrays */
static size_t free_count, total_count;
static size_t hint;         /* word index to start searching from */
static size_t run_hint;     /* pfn where pages_alloc starts looking */
static spinlock_t pmm_lock = SPINLOCK_INIT("pmm");

#define LOW_RESERVED (1024 * 1024)

static inline void set_free(size_t pfn) { bitmap[pfn / 64] |= 1ULL << (pfn % 64); }
static inline void set_used(size_t pfn) { bitmap[pfn / 64] &= ~(1ULL << (pfn % 64)); }
static inline bool is_free(size_t pfn) { return bitmap[pfn / 64] & (1ULL << (pfn % 64)); }

static void add_range(uint64_t base, uint64_t len)
{
	uint64_t start = ALIGN_UP(base, PAGE_SIZE), end = ALIGN_DOWN(base + len, PAGE_SIZE);
	if (start < LOW_RESERVED)
		start = LOW_RESERVED;
	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		size_t pfn = a >> PAGE_SHIFT;
		if (pfn >= npages || is_free(pfn))
			continue;
		set_free(pfn);
		refcounts[pfn] = 0;
		free_count++;
		total_count++;
	}
}

void pmm_init(const struct rayos_bootinfo *bi)
{
	const struct rayos_mmap_entry *map = phys_to_virt(bi->mmap_phys);
	uint64_t top = 0;
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		uint32_t t = map[i].type;
		if (t == RAYOS_MEM_USABLE || t == RAYOS_MEM_KERNEL ||
		    t == RAYOS_MEM_BOOT_RECLAIMABLE || t == RAYOS_MEM_ACPI_RECLAIMABLE)
			top = MAX(top, map[i].base + map[i].length);
	}
	npages = top >> PAGE_SHIFT;
	size_t bitmap_bytes = ALIGN_UP((npages + 63) / 64 * 8, 16);
	size_t need = ALIGN_UP(bitmap_bytes + npages * sizeof(uint16_t), PAGE_SIZE);

	/* Place the arrays in the first usable range above 1 MiB that fits. */
	uint64_t place = 0;
	for (uint32_t i = 0; i < bi->mmap_count && !place; i++) {
		if (map[i].type != RAYOS_MEM_USABLE)
			continue;
		uint64_t s = MAX(map[i].base, (uint64_t)LOW_RESERVED);
		if (s < map[i].base + map[i].length && map[i].base + map[i].length - s >= need)
			place = s;
	}
	if (!place)
		panic("pmm: no room for the page bitmap (%zu bytes)", need);
	bitmap = phys_to_virt(place);
	refcounts = (uint16_t *)((char *)bitmap + bitmap_bytes);
	memset(bitmap, 0, bitmap_bytes);
	memset(refcounts, 0xff, npages * sizeof(uint16_t)); /* "not RAM" */

	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (map[i].type == RAYOS_MEM_USABLE)
			add_range(map[i].base, map[i].length);
	/* Take back the arrays' own pages. */
	for (uint64_t a = place; a < place + need; a += PAGE_SIZE) {
		size_t pfn = a >> PAGE_SHIFT;
		if (is_free(pfn)) {
			set_used(pfn);
			refcounts[pfn] = 1;
			free_count--;
		}
	}
	kprintf("pmm: %zu MiB usable, %zu KiB for page metadata\n",
	        free_count * PAGE_SIZE >> 20, need >> 10);
}

/* Give the boot manager's page tables back once we run on our own. */
void pmm_reclaim_boot(const struct rayos_bootinfo *bi)
{
	const struct rayos_mmap_entry *map = phys_to_virt(bi->mmap_phys);
	spin_lock(&pmm_lock);
	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (map[i].type == RAYOS_MEM_BOOT_RECLAIMABLE)
			add_range(map[i].base, map[i].length);
	spin_unlock(&pmm_lock);
}

static size_t find_free_pfn(void)
{
	size_t words = (npages + 63) / 64;
	for (size_t n = 0; n < words; n++) {
		size_t w = (hint + n) % words;
		if (bitmap[w]) {
			hint = w;
			size_t pfn = w * 64 + __builtin_ctzll(bitmap[w]);
			return pfn < npages ? pfn : 0;
		}
	}
	return 0;
}

/* The caches give pages back when memory runs out (shrinker.h). Weak:
 * the host tests of this file may link without the list. Asking for a
 * batch rather than one page spares the next allocations the same walk. */
size_t shrink_caches(size_t npages) __attribute__((weak));
#define RECLAIM_BATCH 64

phys_addr_t page_alloc(void)
{
	for (int attempt = 0;; attempt++) {
		spin_lock(&pmm_lock);
		size_t pfn = find_free_pfn();
		if (pfn) {
			set_used(pfn);
			refcounts[pfn] = 1;
			free_count--;
		}
		spin_unlock(&pmm_lock);
		if (pfn || attempt || !shrink_caches || !shrink_caches(RECLAIM_BATCH))
			return (phys_addr_t)pfn << PAGE_SHIFT;
	}
}

phys_addr_t page_alloc_zero(void)
{
	phys_addr_t p = page_alloc();
	if (p)
		memset(phys_to_virt(p), 0, PAGE_SIZE);
	return p;
}

/* Whether count pages from start are all free (lock held). If not, the
 * last page in use among them, so the search can skip past it: looking
 * from the end, a run that fails usually fails at once and skips far. */
static bool run_free(size_t start, size_t count, size_t *used)
{
	for (size_t i = count; i-- > 0;) {
		size_t pfn = start + i;
		if (pfn % 64 == 63 && i >= 63 && bitmap[pfn / 64] == ~0ULL) {
			i -= 63;   /* a whole word of free pages */
			continue;
		}
		if (!is_free(pfn)) {
			*used = pfn;
			return false;
		}
	}
	return true;
}

static phys_addr_t run_alloc(size_t count)
{
	size_t align = 1;
	while (align * 2 <= count && align < 512)
		align *= 2;
	size_t low = ALIGN_UP((size_t)(LOW_RESERVED >> PAGE_SHIFT), align);
	spin_lock(&pmm_lock);
	/* From where the last run was freed or taken, then from the bottom:
	 * kmalloc's page-sized blocks (a path name buffer per system call)
	 * come and go in pairs, and scanning from the bottom past all the
	 * memory in use cost tens of microseconds each time. */
	size_t from = MAX(ALIGN_UP(run_hint, align), low);
	size_t found = 0, used = 0;
	for (size_t start = from; start + count <= npages;
	     start = ALIGN_UP(used + 1, align))
		if (run_free(start, count, &used)) {
			found = start;
			break;
		}
	for (size_t start = low; !found && start < from && start + count <= npages;
	     start = ALIGN_UP(used + 1, align))
		if (run_free(start, count, &used)) {
			found = start;
			break;
		}
	if (found) {
		for (size_t i = 0; i < count; i++) {
			set_used(found + i);
			refcounts[found + i] = 1;
		}
		free_count -= count;
		run_hint = found + count;
	}
	spin_unlock(&pmm_lock);
	return (phys_addr_t)found << PAGE_SHIFT;
}

/* A run the free pages cannot give: reclaim (the freed pages may or may
 * not be contiguous) and look once more. */
phys_addr_t pages_alloc(size_t count)
{
	if (count == 0)
		return 0;
	if (count == 1)
		return page_alloc();
	phys_addr_t p = run_alloc(count);
	if (!p && shrink_caches && shrink_caches(MAX(count, (size_t)RECLAIM_BATCH)))
		p = run_alloc(count);
	return p;
}

void page_free(phys_addr_t page)
{
	size_t pfn = page >> PAGE_SHIFT;
	spin_lock(&pmm_lock);
	if (pfn < npages && !is_free(pfn) && refcounts[pfn] != 0xffff) {
		if (--refcounts[pfn] == 0) {
			set_free(pfn);
			free_count++;
		}
	} else {
		kprintf(KERN_ERR "pmm: bad free of page %#lx\n", (unsigned long)page);
	}
	spin_unlock(&pmm_lock);
}

/* Runs are looked for from the lowest one freed since the last was taken:
 * memory just freed is reused before memory further up, which under a
 * hypervisor may never have been touched (QEMU's host then faults in
 * 2 MiB at a time: milliseconds), and the run allocations a connection
 * makes and frees keep landing in the same place. */
static void run_hint_lower(size_t pfn)
{
	spin_lock(&pmm_lock);
	if (pfn < run_hint)
		run_hint = pfn;
	spin_unlock(&pmm_lock);
}

void pages_free(phys_addr_t first, size_t count)
{
	for (size_t i = 0; i < count; i++)
		page_free(first + i * PAGE_SIZE);
	if (count > 1)
		run_hint_lower(first >> PAGE_SHIFT);
}

void page_ref(phys_addr_t page)
{
	size_t pfn = page >> PAGE_SHIFT;
	spin_lock(&pmm_lock);
	if (pfn < npages && refcounts[pfn] != 0xffff && refcounts[pfn] != 0)
		refcounts[pfn]++;
	spin_unlock(&pmm_lock);
}

unsigned page_refcount(phys_addr_t page)
{
	size_t pfn = page >> PAGE_SHIFT;
	return pfn < npages ? refcounts[pfn] : 0;
}

size_t pmm_free_pages(void) { return free_count; }
size_t pmm_total_pages(void) { return total_count; }
