/*
 * kernel/proc/exec_pages.c - the pages exec loads, kept and shared between
 * programs that load the same bytes.
 *
 * Why: QEMU's TCG translates guest code per physical page and throws the
 * translations away when the page is written. An exec that reads the
 * program into fresh pages makes the new process retranslate all the code
 * it runs (the C library's start-up, the program), and first invalidates
 * whatever code the reused pages held: milliseconds per fork+exec. Linux
 * maps the page cache's pages instead, so the same physical pages run
 * every time. This table is a small stand-in for that, for ELF loading
 * only (kernel/proc/exec.c).
 *
 * An entry is one page: bytes [lo, hi) came from the file at off + lo (the
 * file named by superblock and inode number), the rest is zero. The table
 * holds one reference to the page; every process that loads the same bytes
 * maps it copy-on-write (vm_map_cow_page), so a write to it - .data, or
 * text after mprotect - copies it, as after fork.
 *
 * Coherence: an entry is used only when its bytes equal what the file
 * holds now. The loader reads the range anyway (into a scratch page) and
 * compares, so no way of changing a file (write, truncate, a shared
 * mapping, the device under another mount) can make exec map stale bytes,
 * and the table needs no hooks in the file systems. On a hit nothing is
 * written to the shared page; on a miss the scratch page, completed with
 * zeros, becomes the entry.
 *
 * Size: EXEC_PAGES entries (1 MiB), EXEC_WAYS-way set associative by a
 * hash of the key; a miss replaces the ways of a set in turn. Under memory
 * pressure the entries no process maps (the table's reference the only
 * one) are emptied (exec_pages_shrink, on the shrinker list): their bytes
 * are the file's, so nothing is lost but the sharing.
 */
#include "kernel.h"
#include "mm.h"
#include "shrinker.h"
#include "sync.h"
#include "vfs.h"
#include "vm.h"

#define EXEC_PAGES 256
#define EXEC_WAYS 4
#define EXEC_SETS (EXEC_PAGES / EXEC_WAYS)

struct exec_page {
	const void *sb;     /* key: the file ... */
	uint64_t ino;
	uint64_t off;       /* ... the page's offset in it ... */
	uint16_t lo, hi;    /* ... and the bytes taken from it */
	phys_addr_t page;   /* 0: empty */
};

static struct exec_page table[EXEC_SETS][EXEC_WAYS];
static uint8_t next_way[EXEC_SETS];
static spinlock_t table_lock = SPINLOCK_INIT("exec_pages");

static unsigned set_of(const void *sb, uint64_t ino, uint64_t off)
{
	uint64_t h = (uint64_t)sb ^ (ino * 0x9e3779b97f4a7c15ULL) ^ ((off >> PAGE_SHIFT) * 0xff51afd7ed558ccdULL);
	return (unsigned)((h ^ (h >> 29)) % EXEC_SETS);
}

static bool same_key(const struct exec_page *e, const void *sb, uint64_t ino, uint64_t off,
                     unsigned lo, unsigned hi)
{
	return e->page && e->sb == sb && e->ino == ino && e->off == off && e->lo == lo && e->hi == hi;
}

/* Map at va (page aligned, inside an area of mm) the page whose bytes
 * [lo, hi) are the file's at off + lo (off page aligned) and the rest zero. */
int exec_load_page(struct mm *mm, struct file *f, uint64_t va, uint64_t off, unsigned lo,
                   unsigned hi)
{
	phys_addr_t scratch = page_alloc();
	if (!scratch)
		return -ENOMEM;
	char *s = phys_to_virt(scratch);
	ssize_t got = kernel_read(f, s + lo, hi - lo, off + lo);
	if (got != (ssize_t)(hi - lo)) {
		page_free(scratch);
		return got < 0 ? (int)got : -EIO;
	}
	const void *sb = f->inode->sb;
	uint64_t ino = f->inode->ino;
	unsigned set = set_of(sb, ino, off);

	/* Take a reference to a candidate under the lock, compare outside. */
	phys_addr_t hit = 0;
	spin_lock(&table_lock);
	for (int w = 0; w < EXEC_WAYS; w++) {
		struct exec_page *e = &table[set][w];
		if (same_key(e, sb, ino, off, lo, hi)) {
			hit = e->page;
			page_ref(hit);
			break;
		}
	}
	spin_unlock(&table_lock);
	if (hit && !memcmp((char *)phys_to_virt(hit) + lo, s + lo, hi - lo)) {
		page_free(scratch);
		return vm_map_cow_page(mm, va, hit);
	}
	if (hit)
		page_free(hit); /* the file changed: replace the entry below */

	memset(s, 0, lo);
	memset(s + hi, 0, PAGE_SIZE - hi);
	page_ref(scratch); /* the table's reference */
	phys_addr_t old = 0;
	spin_lock(&table_lock);
	int w;
	for (w = 0; w < EXEC_WAYS; w++)
		if (same_key(&table[set][w], sb, ino, off, lo, hi))
			break;
	if (w == EXEC_WAYS)
		w = next_way[set]++ % EXEC_WAYS;
	struct exec_page *e = &table[set][w];
	old = e->page;
	*e = (struct exec_page){ .sb = sb, .ino = ino, .off = off, .lo = lo, .hi = hi, .page = scratch };
	spin_unlock(&table_lock);
	if (old)
		page_free(old);
	return vm_map_cow_page(mm, va, scratch);
}

/* Empty up to npages entries that no process maps. The reference count
 * is read under table_lock, where a hit takes its reference, so no exec
 * can be about to map an entry freed here; unmapping only lowers it. */
static size_t exec_pages_shrink(size_t npages)
{
	size_t freed = 0;
	spin_lock(&table_lock);
	for (unsigned s = 0; s < EXEC_SETS && freed < npages; s++)
		for (int w = 0; w < EXEC_WAYS && freed < npages; w++) {
			struct exec_page *e = &table[s][w];
			if (e->page && page_refcount(e->page) == 1) {
				page_free(e->page);
				e->page = 0;
				freed++;
			}
		}
	spin_unlock(&table_lock);
	return freed;
}

static size_t exec_pages_count(size_t *reclaimable)
{
	size_t held = 0, rec = 0;
	spin_lock(&table_lock);
	for (unsigned s = 0; s < EXEC_SETS; s++)
		for (int w = 0; w < EXEC_WAYS; w++)
			if (table[s][w].page) {
				held++;
				rec += page_refcount(table[s][w].page) == 1;
			}
	spin_unlock(&table_lock);
	*reclaimable = rec;
	return held;
}

static struct shrinker exec_pages_shrinker = {
	.name = "exec_pages",
	.count = exec_pages_count,
	.scan = exec_pages_shrink,
	.page_cache = true,
};

void exec_pages_init(void)
{
	shrinker_register(&exec_pages_shrinker);
}
