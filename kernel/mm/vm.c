/*
 * kernel/mm/vm.c - user address spaces: areas, page faults, fork.
 *
 * Invariants:
 *  - Every present user PTE lies inside some VMA of its mm.
 *  - A private page mapped by more than one mm (after fork, or a page exec
 *    loaded and keeps for later runs: vm_map_cow_page) is read-only in all
 *    of them and carries PTE_COW; the first write copies it (or, if its
 *    reference count has dropped to one, just makes it writable again).
 *  - Pages of a MAP_SHARED anonymous area are allocated when it is mapped
 *    (sys_mmap populates it), so that fork shares every page of it.
 *  - mm->lock (a mutex) protects the VMA list and the user half of the page
 *    table; faults take it too, so they may sleep for memory.
 *  - File areas hold a reference to their open file and map pages of the
 *    inode's page cache (kernel/mm/filemap.c, which has the design):
 *    shared ones the cached page itself, private ones copy-on-write. A
 *    fault past the file's last page is -EIO (SIGBUS). A shared area's
 *    pages that its PTEs show dirty are written back when it is unmapped.
 *  - A private anonymous MAP_GROWSDOWN area grows down to a faulting
 *    address below it (grow_down), as a stack does on Linux.
 *  - Every mm is on mm_list (under mm_list_lock, taken before mm->lock) so
 *    that truncate can remove pages past the end from all of them.
 */
#include "arch.h"
#include "kernel.h"
#include "mm.h"
#include "paging.h"
#include "task.h"
#include "vfs.h"
#include "vm.h"

static mutex_t mm_list_lock = { SPINLOCK_INIT("mm_list"), NULL, WAIT_QUEUE_INIT("mm_list") };
static struct mm *mm_list;

struct mm *mm_new(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	if (!mm)
		return NULL;
	mm->pml4 = pml4_new();
	if (!mm->pml4) {
		kfree(mm);
		return NULL;
	}
	mm->refcount = 1;
	mutex_init(&mm->lock, "mm");
	mutex_lock(&mm_list_lock);
	mm->all_next = mm_list;
	mm_list = mm;
	mutex_unlock(&mm_list_lock);
	return mm;
}

void mm_get(struct mm *mm) { __atomic_add_fetch(&mm->refcount, 1, __ATOMIC_RELAXED); }

void mm_activate(struct mm *mm)
{
	phys_addr_t p = mm ? mm->pml4 : kernel_pml4;
	if (read_cr3() != p)
		write_cr3(p);
}

struct vma *vma_find(struct mm *mm, uint64_t addr)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (addr >= v->start && addr < v->end)
			return v;
	return NULL;
}

static uint64_t prot_to_pte(int prot)
{
	uint64_t f = PTE_U | PTE_P;
	if (prot & PROT_WRITE)
		f |= PTE_W;
	if (!(prot & PROT_EXEC))
		f |= PTE_NX;
	return f;
}

/*
 * The next present user page at or after *va and below end: its PTE, with
 * *va set to its address; NULL when there is none. Absent page tables at
 * any level are skipped whole, so walking an 8 MiB stack area with a few
 * pages touched costs a few steps, not 2048 walks from the root (which
 * fork, exit and exec all did).
 */
uint64_t *vm_next_present(struct mm *mm, uint64_t *va, uint64_t end)
{
	uint64_t a = *va;
	while (a < end) {
		uint64_t *t = phys_to_virt(mm->pml4);
		int level;
		for (level = 3; level > 0; level--) {
			uint64_t e = t[(a >> (12 + 9 * level)) & 511];
			if (!(e & PTE_P) || (e & PTE_PS))
				break;
			t = phys_to_virt(e & PTE_ADDR);
		}
		if (level > 0) {
			uint64_t span = 1ULL << (12 + 9 * level);
			uint64_t next = ALIGN_DOWN(a, span) + span;
			if (next <= a)
				break; /* wrapped past the top */
			a = next;
			continue;
		}
		for (unsigned i = (a >> 12) & 511; a < end; i++, a += PAGE_SIZE) {
			if (i == 512)
				break; /* on to the next page table */
			if (t[i] & PTE_P) {
				*va = a;
				return &t[i];
			}
		}
	}
	*va = end;
	return NULL;
}

/* Unmap and release the pages of [start, end) of area v (lock held);
 * a shared file area's dirty pages are written back first, and a file's
 * cached pages that nothing maps any more leave the cache. The TLB needs
 * flushing only if mm is the loaded address space (another one's entries
 * went with the last CR3 switch); past a few dozen pages one full flush is
 * cheaper than one invlpg each. */
static void unmap_pages(struct mm *mm, struct vma *v, uint64_t start, uint64_t end)
{
	bool wb = v->file && (v->flags & MAP_SHARED);
	bool active = read_cr3() == mm->pml4;
	unsigned n = 0;
	uint64_t *pte;
	for (uint64_t a = start; (pte = vm_next_present(mm, &a, end)); a += PAGE_SIZE) {
		if (wb && (*pte & PTE_D))
			filemap_writeback_page(v->file, *pte & PTE_ADDR,
			                       (v->pgoff + (a - v->start)) / PAGE_SIZE);
		page_free(*pte & PTE_ADDR);
		*pte = 0;
		mm->rss_pages--;
		if (active && ++n <= 32)
			tlb_flush_page(a);
	}
	if (n > 32)
		tlb_flush_all();
	if (v->file)
		filemap_release(v->file->inode);
}

static void vma_free(struct vma *v)
{
	if (v->file)
		file_put(v->file);
	kfree(v);
}

bool vm_range_mapped(struct mm *mm, uint64_t start, uint64_t end)
{
	uint64_t covered = start; /* mapped without a hole up to here */
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next) {
		if (v->end <= covered)
			continue;
		if (v->start > covered)
			return false;
		covered = v->end;
	}
	return covered >= end;
}

void vm_drop_private_pages(struct mm *mm, uint64_t start, uint64_t end)
{
	vm_note_hiwater(mm);
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > start && !(v->flags & MAP_SHARED))
			unmap_pages(mm, v, MAX(v->start, start), MIN(v->end, end));
}

/* Remove [start, end) from the VMA list, splitting areas as needed. */
static int remove_range(struct mm *mm, uint64_t start, uint64_t end)
{
	vm_note_hiwater(mm);
	struct vma **pp = &mm->vmas;
	while (*pp) {
		struct vma *v = *pp;
		if (v->end <= start || v->start >= end) {
			pp = &v->next;
			continue;
		}
		if (v->start < start && v->end > end) {
			/* Punch a hole: split in two. */
			struct vma *tail = kmalloc(sizeof(*tail));
			if (!tail)
				return -ENOMEM;
			unmap_pages(mm, v, start, end);
			*tail = *v;
			tail->start = end;
			tail->pgoff += end - v->start;
			if (tail->file)
				file_get(tail->file);
			v->end = start;
			tail->next = v->next;
			v->next = tail;
			return 0;
		}
		uint64_t s = MAX(v->start, start), e = MIN(v->end, end);
		unmap_pages(mm, v, s, e);
		if (v->start >= start && v->end <= end) {
			*pp = v->next;
			vma_free(v);
			continue;
		}
		if (v->start < start) {
			v->end = start;
		} else {
			v->pgoff += end - v->start;
			v->start = end;
		}
		pp = &v->next;
	}
	return 0;
}

int vm_map_area(struct mm *mm, uint64_t start, uint64_t len, int prot, int flags)
{
	return vm_map_file(mm, start, len, prot, flags, NULL, 0);
}

int vm_map_file(struct mm *mm, uint64_t start, uint64_t len, int prot, int flags,
                struct file *f, uint64_t off)
{
	uint64_t end = start + len;
	if (start & (PAGE_SIZE - 1) || len == 0 || end > USER_TOP_VM || end < start)
		return -EINVAL;
	int r = remove_range(mm, start, end);
	if (r)
		return r;
	struct vma *n = kmalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->start = start;
	n->end = end;
	n->prot = prot;
	n->flags = flags;
	n->file = f;
	n->pgoff = off;
	if (f)
		file_get(f);
	struct vma **pp = &mm->vmas;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
	return 0;
}

int vm_unmap(struct mm *mm, uint64_t start, uint64_t len)
{
	return remove_range(mm, start, start + len);
}

static int map_new_page(struct mm *mm, struct vma *v, uint64_t page, uint64_t **ptep)
{
	phys_addr_t p = page_alloc_zero();
	if (!p)
		return -ENOMEM;
	uint64_t *pte = pte_lookup(mm->pml4, page, true);
	if (!pte) {
		page_free(p);
		return -ENOMEM;
	}
	*pte = p | prot_to_pte(v->prot);
	mm->rss_pages++;
	if (ptep)
		*ptep = pte;
	return 0;
}

/* Map the file page for a fault at page of file area v. */
static int map_file_page(struct mm *mm, struct vma *v, uint64_t page, bool write)
{
	int err = 0;
	phys_addr_t p = filemap_get(v->file, (v->pgoff + (page - v->start)) / PAGE_SIZE, &err);
	if (!p)
		return err;
	uint64_t e = p | prot_to_pte(v->prot);
	if (!(v->flags & MAP_SHARED)) {
		if (write) {
			phys_addr_t n = page_alloc();
			if (!n) {
				page_free(p);
				return -ENOMEM;
			}
			memcpy(phys_to_virt(n), phys_to_virt(p), PAGE_SIZE);
			page_free(p);
			e = n | prot_to_pte(v->prot);
		} else {
			/* Copy-on-write even without PROT_WRITE: mprotect
			 * keeps such a PTE read-only. */
			e = (e & ~PTE_W) | PTE_COW;
		}
	}
	uint64_t *pte = pte_lookup(mm->pml4, page, true);
	if (!pte) {
		page_free(e & PTE_ADDR);
		return -ENOMEM;
	}
	*pte = e;
	mm->rss_pages++;
	return 0;
}

#define STACK_GUARD_GAP (256 * PAGE_SIZE) /* Linux's stack_guard_gap */

/* A fault below a MAP_GROWSDOWN area extends the area down to the page,
 * as Linux does: within RLIMIT_STACK and RLIMIT_AS, and not closer than
 * the guard gap to an accessible area below it. Returns the area or NULL
 * (lock held). */
static struct vma *grow_down(struct mm *mm, uint64_t page)
{
	struct vma *prev = NULL, *v = mm->vmas;
	while (v && v->end <= page) {
		prev = v;
		v = v->next;
	}
	if (!v || !(v->flags & MAP_GROWSDOWN) || page < USER_MIN_ADDR)
		return NULL;
	if (v->end - page > rlimit_cur(RLIMIT_STACK) || as_exceeded(mm, v->start - page))
		return NULL;
	if (prev && !(prev->flags & MAP_GROWSDOWN) &&
	    (prev->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) && page - prev->end < STACK_GUARD_GAP)
		return NULL;
	v->start = page;
	return v;
}

int vm_fault(struct mm *mm, uint64_t addr, uint64_t error)
{
	bool write = error & 2, fetch = error & 16, present = error & 1;
	uint64_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	int r = 0;
	mutex_lock(&mm->lock);
	struct vma *v = vma_find(mm, addr);
	if (!v && !(v = grow_down(mm, page))) {
		r = -EFAULT;
		goto out;
	}
	if ((write && !(v->prot & PROT_WRITE)) || (fetch && !(v->prot & PROT_EXEC)) ||
	    (!write && !fetch && !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))) {
		r = -EACCES;
		goto out;
	}
	uint64_t *pte = pte_lookup(mm->pml4, page, false);
	if (!pte || !(*pte & PTE_P)) {
		if (v->file)
			r = map_file_page(mm, v, page, write);
		else
			r = map_new_page(mm, v, page, NULL);
		goto out;
	}
	if (write && (*pte & PTE_COW)) {
		phys_addr_t old = *pte & PTE_ADDR;
		if (page_refcount(old) == 1) {
			*pte = (*pte & ~PTE_COW) | PTE_W;
		} else {
			phys_addr_t n = page_alloc();
			if (!n) {
				r = -ENOMEM;
				goto out;
			}
			memcpy(phys_to_virt(n), phys_to_virt(old), PAGE_SIZE);
			*pte = n | prot_to_pte(v->prot);
			page_free(old);
		}
		tlb_flush_page(page);
		goto out;
	}
	if (present) {
		/* Spurious (another thread resolved it, or a stale TLB entry). */
		tlb_flush_page(page);
		if (write && !(*pte & PTE_W))
			r = -EACCES;
	}
out:
	mutex_unlock(&mm->lock);
	return r;
}

void *vm_populate_page(struct mm *mm, uint64_t addr)
{
	uint64_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	mutex_lock(&mm->lock);
	struct vma *v = vma_find(mm, page);
	uint64_t *pte = pte_lookup(mm->pml4, page, false);
	void *ret = NULL;
	if (v && (!pte || !(*pte & PTE_P)))
		map_new_page(mm, v, page, &pte);
	if (v && pte && (*pte & PTE_P))
		ret = phys_to_virt(*pte & PTE_ADDR);
	mutex_unlock(&mm->lock);
	return ret;
}

int vm_map_cow_page(struct mm *mm, uint64_t addr, phys_addr_t p)
{
	uint64_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	mutex_lock(&mm->lock);
	struct vma *v = vma_find(mm, page);
	uint64_t *pte = v ? pte_lookup(mm->pml4, page, true) : NULL;
	if (!pte) {
		mutex_unlock(&mm->lock);
		page_free(p);
		return v ? -ENOMEM : -EFAULT;
	}
	if (*pte & PTE_P) {
		page_free(*pte & PTE_ADDR);
		mm->rss_pages--;
		tlb_flush_page(page);
	}
	*pte = p | (prot_to_pte(v->prot) & ~PTE_W) | PTE_COW;
	mm->rss_pages++;
	mutex_unlock(&mm->lock);
	return 0;
}

struct mm *mm_clone(struct mm *old)
{
	struct mm *mm = mm_new();
	if (!mm)
		return NULL;
	mutex_lock(&old->lock);
	mm->brk_start = old->brk_start;
	mm->brk = old->brk;
	mm->stack_top = old->stack_top;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	if (old->auxv && (mm->auxv = kmalloc(old->auxv_len))) {
		memcpy(mm->auxv, old->auxv, old->auxv_len);
		mm->auxv_len = old->auxv_len;
	}
	if ((mm->exe_file = old->exe_file))
		file_get(mm->exe_file);
	struct vma **tail = &mm->vmas;
	for (struct vma *v = old->vmas; v; v = v->next) {
		struct vma *n = kmalloc(sizeof(*n));
		if (!n)
			goto fail;
		*n = *v;
		n->next = NULL;
		if (n->file)
			file_get(n->file);
		*tail = n;
		tail = &n->next;
		uint64_t *pte;
		for (uint64_t a = v->start; (pte = vm_next_present(old, &a, v->end)); a += PAGE_SIZE) {
			uint64_t *npte = pte_lookup(mm->pml4, a, true);
			if (!npte)
				goto fail;
			/* Shared mappings stay shared; private ones become
			 * copy-on-write in both processes. */
			if ((*pte & PTE_W) && !(v->flags & MAP_SHARED)) {
				*pte = (*pte & ~PTE_W) | PTE_COW;
				tlb_flush_page(a);
			}
			page_ref(*pte & PTE_ADDR);
			*npte = *pte;
			mm->rss_pages++;
		}
	}
	mutex_unlock(&old->lock);
	return mm;
fail:
	mutex_unlock(&old->lock);
	mm_put(mm);
	return NULL;
}

void mm_put(struct mm *mm)
{
	if (__atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* Never free the page table we are running on. */
	if (read_cr3() == mm->pml4)
		write_cr3(kernel_pml4);
	mutex_lock(&mm_list_lock);
	for (struct mm **pp = &mm_list; *pp; pp = &(*pp)->all_next)
		if (*pp == mm) {
			*pp = mm->all_next;
			break;
		}
	mutex_unlock(&mm_list_lock);
	mutex_lock(&mm->lock);
	remove_range(mm, 0, USER_TOP_VM);
	mutex_unlock(&mm->lock);
	pml4_free_user_tables(mm->pml4);
	file_put(mm->exe_file);
	kfree(mm->auxv);
	kfree(mm);
}

bool vm_file_mapped_writable(struct inode *ino)
{
	bool found = false;
	mutex_lock(&mm_list_lock);
	for (struct mm *mm = mm_list; mm && !found; mm = mm->all_next) {
		mutex_lock(&mm->lock);
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->file && v->file->inode == ino && (v->flags & MAP_SHARED) &&
			    ((v->flags & VMA_MAYWRITE) || (v->prot & PROT_WRITE)))
				found = true;
		mutex_unlock(&mm->lock);
	}
	mutex_unlock(&mm_list_lock);
	return found;
}

void vm_unmap_file_tail(struct inode *ino, uint64_t from)
{
	mutex_lock(&mm_list_lock);
	for (struct mm *mm = mm_list; mm; mm = mm->all_next) {
		mutex_lock(&mm->lock);
		for (struct vma *v = mm->vmas; v; v = v->next) {
			if (!v->file || v->file->inode != ino || v->pgoff + (v->end - v->start) <= from)
				continue;
			uint64_t a = v->start + (from > v->pgoff ? from - v->pgoff : 0);
			for (; a < v->end; a += PAGE_SIZE) {
				uint64_t *pte = pte_lookup(mm->pml4, a, false);
				if (!pte || !(*pte & PTE_P))
					continue;
				page_free(*pte & PTE_ADDR);
				*pte = 0;
				mm->rss_pages--;
				tlb_flush_page(a);
			}
		}
		mutex_unlock(&mm->lock);
	}
	mutex_unlock(&mm_list_lock);
}
