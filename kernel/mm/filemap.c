/*
 * kernel/mm/filemap.c - the pages of file mappings, one set per inode.
 *
 * Every mapping of a regular file (MAP_SHARED or MAP_PRIVATE) finds its
 * pages here: inode->pages is a sorted array of (page index, physical
 * page), made on the first fault and freed with the inode's last
 * reference. The cache holds one reference to each page, every PTE that
 * maps it another. When a file area goes, the pages no PTE maps any more
 * leave the cache (filemap_release): the cache lives only as long as the
 * mappings, and read()/write() of unmapped files never pay for it beyond
 * a lock.
 *
 *  - A shared mapping maps the cached page itself, writable if the area
 *    is: every process sees every store at once.
 *  - A private mapping maps it read-only and copy-on-write (PTE_COW, even
 *    without PROT_WRITE, so that a later mprotect cannot make the cached
 *    page writable); the first store copies it. Until then the process
 *    sees write()s to the file, afterwards only its copy, as on Linux.
 *
 * Coherence with read()/write(): the cached page is always the newest
 * version of its bytes. filemap_write() writes to the file system and then
 * copies the same bytes into any cached page they cover; filemap_read()
 * reads from the file system and then overlays the bytes of cached pages,
 * which may hold stores not yet written back. Both hold the filemap lock
 * across the two steps, as does filling a page on a fault, so a page is
 * never filled from the file between a write's two steps. (A write that
 * started before the inode got its filemap - before its first mapping
 * fault - is not ordered against that first fill.)
 *
 * Write-back: the stores through shared mappings reach the file system
 * when msync() asks (every cached page of the range), and when a mapping
 * goes away (munmap, exit, exec): then the pages its PTEs show dirty
 * (PTE_D). Only bytes below the end of the file are written; the rest of
 * the last page stays in memory, as on Linux.
 *
 * Truncation drops the cached pages past the new end, zeroes the tail of
 * the last one and removes every PTE past the end from every address
 * space (vm_unmap_file_tail): a later access there faults with SIGBUS.
 *
 * Reclaim: the cache may also hold pages no PTE maps while a mapping
 * lives - a private mapping's page after its copy-on-write copy, or the
 * page a write fault copied from. They hold no stores of their own (a
 * shared mapping's stores are written back when its dirty PTE goes, and
 * a private mapping's go to its copies), so under memory pressure they
 * are freed like at filemap_release (filemap_shrink, on the shrinker list;
 * the next fault reads the page again). Pages some PTE maps stay. Every
 * filemap is on one list for that, under fm_list_lock.
 *
 * Lock order: mm->lock, then filemap lock, then the inode's lock (inside
 * the file system). fm_list_lock (a spinlock) is taken before a filemap
 * lock only by the shrinker, which only tries (mutex_trylock): it runs
 * inside page_alloc, perhaps under a filemap lock.
 */
#include "kernel.h"
#include "mm.h"
#include "shrinker.h"
#include "sync.h"
#include "vfs.h"
#include "vm.h"

struct fm_ent {
	uint64_t idx;
	phys_addr_t page;
};

struct filemap {
	mutex_t lock;
	size_t n, cap;
	struct fm_ent *e;      /* sorted by idx */
	struct filemap *next, *prev; /* all filemaps, under fm_list_lock */
};

static struct filemap *fm_list;
static spinlock_t fm_list_lock = SPINLOCK_INIT("filemap list");

static struct filemap *fm_of(struct inode *ino, bool create)
{
	struct filemap *fm = __atomic_load_n(&ino->pages, __ATOMIC_ACQUIRE);
	if (fm || !create)
		return fm;
	struct filemap *n = kzalloc(sizeof(*n));
	if (!n)
		return NULL;
	mutex_init(&n->lock, "filemap");
	struct filemap *old = NULL;
	if (!__atomic_compare_exchange_n(&ino->pages, &old, n, false, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE)) {
		kfree(n);
		return old;
	}
	spin_lock(&fm_list_lock);
	n->next = fm_list;
	if (fm_list)
		fm_list->prev = n;
	fm_list = n;
	spin_unlock(&fm_list_lock);
	return n;
}

/* The first entry with index >= idx. */
static size_t fm_search(struct filemap *fm, uint64_t idx)
{
	size_t lo = 0, hi = fm->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (fm->e[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool filemap_cached(struct inode *ino, uint64_t idx)
{
	struct filemap *fm = fm_of(ino, false);
	if (!fm)
		return false;
	mutex_lock(&fm->lock);
	size_t i = fm_search(fm, idx);
	bool hit = i < fm->n && fm->e[i].idx == idx;
	mutex_unlock(&fm->lock);
	return hit;
}

static uint64_t file_pages(struct inode *ino)
{
	return (ino->size + PAGE_SIZE - 1) / PAGE_SIZE;
}

phys_addr_t filemap_get(struct file *f, uint64_t idx, int *err)
{
	struct inode *ino = f->inode;
	struct filemap *fm = fm_of(ino, true);
	if (!fm) {
		*err = -ENOMEM;
		return 0;
	}
	phys_addr_t p = 0;
	mutex_lock(&fm->lock);
	if (idx >= file_pages(ino)) {
		*err = -EIO; /* past the end of the file: SIGBUS */
		goto out;
	}
	size_t i = fm_search(fm, idx);
	if (i < fm->n && fm->e[i].idx == idx) {
		p = fm->e[i].page;
		page_ref(p);
		goto out;
	}
	if (fm->n == fm->cap) {
		size_t cap = fm->cap ? fm->cap * 2 : 8;
		struct fm_ent *e = krealloc(fm->e, cap * sizeof(*e));
		if (!e) {
			*err = -ENOMEM;
			goto out;
		}
		fm->e = e;
		fm->cap = cap;
	}
	p = page_alloc_zero();
	if (!p) {
		*err = -ENOMEM;
		goto out;
	}
	off_t o = (off_t)(idx * PAGE_SIZE);
	ssize_t got = f->ops && f->ops->read ? f->ops->read(f, phys_to_virt(p), PAGE_SIZE, &o) : -EINVAL;
	if (got < 0) {
		page_free(p);
		p = 0;
		*err = (int)got;
		goto out;
	}
	memmove(&fm->e[i + 1], &fm->e[i], (fm->n - i) * sizeof(*fm->e));
	fm->e[i].idx = idx;
	fm->e[i].page = p;
	fm->n++;
	page_ref(p); /* one for the cache, one for the caller */
out:
	mutex_unlock(&fm->lock);
	return p;
}

/* Write the file's bytes of one cached page (fm->lock held). Through a
 * copy of the open file without O_APPEND, which would move the write to
 * the end of the file. */
static int writeback_locked(struct file *f, phys_addr_t page, uint64_t idx)
{
	uint64_t size = f->inode->size, at = idx * PAGE_SIZE;
	if (at >= size || !f->ops || !f->ops->write || (f->flags & O_ACCMODE) == O_RDONLY)
		return 0;
	struct file w = *f;
	w.flags &= ~(unsigned)O_APPEND;
	off_t o = (off_t)at;
	ssize_t r = f->ops->write(&w, phys_to_virt(page), MIN(PAGE_SIZE, size - at), &o);
	return r < 0 ? (int)r : 0;
}

int filemap_writeback_page(struct file *f, phys_addr_t page, uint64_t idx)
{
	struct filemap *fm = fm_of(f->inode, false);
	if (!fm)
		return 0;
	mutex_lock(&fm->lock);
	/* Only while it is still the file's page (not cut off by truncate). */
	size_t i = fm_search(fm, idx);
	int r = 0;
	if (i < fm->n && fm->e[i].idx == idx && fm->e[i].page == page)
		r = writeback_locked(f, page, idx);
	mutex_unlock(&fm->lock);
	return r;
}

int filemap_writeback(struct file *f, uint64_t off, uint64_t len)
{
	struct filemap *fm = fm_of(f->inode, false);
	if (!fm || !len)
		return 0;
	int r = 0;
	uint64_t first = off / PAGE_SIZE, end = (off + len + PAGE_SIZE - 1) / PAGE_SIZE;
	mutex_lock(&fm->lock);
	for (size_t i = fm_search(fm, first); i < fm->n && fm->e[i].idx < end; i++) {
		int e = writeback_locked(f, fm->e[i].page, fm->e[i].idx);
		if (e && !r)
			r = e;
	}
	mutex_unlock(&fm->lock);
	return r;
}

static struct filemap *regular_fm(struct file *f)
{
	struct inode *ino = f->inode;
	return ino && S_ISREG(ino->mode) ? fm_of(ino, false) : NULL;
}

ssize_t filemap_read(struct file *f, void *buf, size_t n, off_t *off)
{
	struct filemap *fm = regular_fm(f);
	if (!fm)
		return f->ops->read(f, buf, n, off);
	mutex_lock(&fm->lock);
	ssize_t got = f->ops->read(f, buf, n, off);
	if (got > 0) {
		uint64_t start = (uint64_t)*off - (uint64_t)got, end = (uint64_t)*off;
		for (size_t i = fm_search(fm, start / PAGE_SIZE); i < fm->n && fm->e[i].idx * PAGE_SIZE < end; i++) {
			uint64_t ps = fm->e[i].idx * PAGE_SIZE;
			uint64_t s = MAX(ps, start), e = MIN(ps + PAGE_SIZE, end);
			memcpy((char *)buf + (s - start), (char *)phys_to_virt(fm->e[i].page) + (s - ps), e - s);
		}
	}
	mutex_unlock(&fm->lock);
	return got;
}

/* Seals (kernel/fs/memfd.c) refuse writes, or writes past the end:
 * how many of the n bytes may be written, or -EPERM. As Linux, which
 * checks page by page, a write crossing the end stores the whole pages
 * before the one holding the end. */
static ssize_t seals_allow_write(struct file *f, size_t n, off_t off)
{
	unsigned seals = __atomic_load_n(&f->inode->seals, __ATOMIC_RELAXED);
	if (!n || !(seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_GROW)))
		return (ssize_t)n;
	if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	uint64_t size = f->inode->size;
	uint64_t pos = (f->flags & O_APPEND) ? size : (uint64_t)off;
	if (pos + n <= size)
		return (ssize_t)n;
	uint64_t ok_end = size & ~(uint64_t)(PAGE_SIZE - 1);
	return ok_end > pos ? (ssize_t)(ok_end - pos) : -EPERM;
}

ssize_t filemap_write(struct file *f, const void *buf, size_t n, off_t *off)
{
	ssize_t allowed = seals_allow_write(f, n, *off);
	if (allowed < 0)
		return allowed;
	n = (size_t)allowed;
	struct filemap *fm = regular_fm(f);
	if (!fm)
		return f->ops->write(f, buf, n, off);
	mutex_lock(&fm->lock);
	ssize_t put = f->ops->write(f, buf, n, off);
	if (put > 0) {
		/* Where the bytes went (O_APPEND moved them to the end). */
		uint64_t start = (uint64_t)*off - (uint64_t)put, end = (uint64_t)*off;
		for (size_t i = fm_search(fm, start / PAGE_SIZE); i < fm->n && fm->e[i].idx * PAGE_SIZE < end; i++) {
			uint64_t ps = fm->e[i].idx * PAGE_SIZE;
			uint64_t s = MAX(ps, start), e = MIN(ps + PAGE_SIZE, end);
			memmove((char *)phys_to_virt(fm->e[i].page) + (s - ps), (const char *)buf + (s - start), e - s);
		}
	}
	mutex_unlock(&fm->lock);
	return put;
}

void filemap_truncate(struct inode *ino, uint64_t old_size, uint64_t size)
{
	struct filemap *fm = fm_of(ino, false);
	if (!fm)
		return;
	uint64_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	/* The bytes past the old or new end in the last page read as zeros
	 * in the file from now on: so they must in the page. */
	uint64_t zero_from = MIN(old_size, size);
	mutex_lock(&fm->lock);
	size_t i = fm_search(fm, keep);
	for (size_t k = i; k < fm->n; k++)
		page_free(fm->e[k].page);
	fm->n = i;
	if (zero_from % PAGE_SIZE) {
		size_t z = fm_search(fm, zero_from / PAGE_SIZE);
		if (z < fm->n && fm->e[z].idx == zero_from / PAGE_SIZE)
			memset((char *)phys_to_virt(fm->e[z].page) + zero_from % PAGE_SIZE, 0,
			       PAGE_SIZE - zero_from % PAGE_SIZE);
	}
	mutex_unlock(&fm->lock);
	if (size < old_size)
		vm_unmap_file_tail(ino, keep * PAGE_SIZE);
}

/* Free up to max cached pages that no PTE maps (fm->lock held); returns
 * how many. Only the cache's reference left means no PTE maps the page,
 * and its stores were written back when the last dirty PTE went. */
static size_t drop_unmapped(struct filemap *fm, size_t max)
{
	size_t k = 0, freed = 0;
	for (size_t i = 0; i < fm->n; i++) {
		if (freed < max && page_refcount(fm->e[i].page) == 1) {
			page_free(fm->e[i].page);
			freed++;
		} else {
			fm->e[k++] = fm->e[i];
		}
	}
	fm->n = k;
	return freed;
}

void filemap_release(struct inode *ino)
{
	struct filemap *fm = fm_of(ino, false);
	if (!fm)
		return;
	mutex_lock(&fm->lock);
	drop_unmapped(fm, SIZE_MAX);
	mutex_unlock(&fm->lock);
}

static size_t filemap_shrink(size_t npages)
{
	size_t freed = 0;
	spin_lock(&fm_list_lock);
	for (struct filemap *fm = fm_list; fm && freed < npages; fm = fm->next) {
		if (!mutex_trylock(&fm->lock))
			continue; /* busy, perhaps our own caller's */
		freed += drop_unmapped(fm, npages - freed);
		mutex_unlock(&fm->lock);
	}
	spin_unlock(&fm_list_lock);
	return freed;
}

static size_t filemap_count(size_t *reclaimable)
{
	size_t held = 0, rec = 0;
	spin_lock(&fm_list_lock);
	for (struct filemap *fm = fm_list; fm; fm = fm->next) {
		if (!mutex_trylock(&fm->lock))
			continue; /* changing now; a statistic can miss it */
		held += fm->n;
		for (size_t i = 0; i < fm->n; i++)
			rec += page_refcount(fm->e[i].page) == 1;
		mutex_unlock(&fm->lock);
	}
	spin_unlock(&fm_list_lock);
	*reclaimable = rec;
	return held;
}

static struct shrinker filemap_shrinker = {
	.name = "filemap",
	.count = filemap_count,
	.scan = filemap_shrink,
	.page_cache = true,
};

void filemap_init(void)
{
	shrinker_register(&filemap_shrinker);
}

void filemap_drop(struct inode *ino)
{
	struct filemap *fm = ino->pages;
	if (!fm)
		return;
	ino->pages = NULL;
	spin_lock(&fm_list_lock);
	if (fm->prev)
		fm->prev->next = fm->next;
	else
		fm_list = fm->next;
	if (fm->next)
		fm->next->prev = fm->prev;
	spin_unlock(&fm_list_lock);
	for (size_t k = 0; k < fm->n; k++)
		page_free(fm->e[k].page);
	kfree(fm->e);
	kfree(fm);
}
