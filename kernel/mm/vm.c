/*
 * kernel/mm/vm.c - user address spaces: areas, page faults, fork.
 *
 * Invariants:
 *  - Every present user PTE lies inside some VMA of its mm.
 *  - A private page mapped by more than one mm (after fork) is read-only in
 *    all of them and carries PTE_COW; the first write copies it (or, if its
 *    reference count has dropped to one, just makes it writable again).
 *  - Pages of a MAP_SHARED anonymous area are allocated when it is mapped
 *    (sys_mmap populates it), so that fork shares every page of it.
 *  - mm->lock (a mutex) protects the VMA list and the user half of the page
 *    table; faults take it too, so they may sleep for memory.
 */
#include "arch.h"
#include "kernel.h"
#include "mm.h"
#include "paging.h"
#include "task.h"
#include "vfs.h"
#include "vm.h"

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

/* The page-table entry for va, or NULL when a table on the way is absent;
 * then *next is the first address past the range that table would map
 * (512 GiB, 1 GiB or 2 MiB on), so that a walk over a huge, mostly empty
 * range takes a few steps instead of one per page. */
static uint64_t *pte_or_skip(struct mm *mm, uint64_t va, uint64_t *next)
{
	uint64_t *t = phys_to_virt(mm->pml4 & PTE_ADDR);
	for (int level = 3; level > 0; level--) {
		unsigned shift = 12 + 9 * level;
		uint64_t e = t[(va >> shift) & 511];
		if (!(e & PTE_P) || (e & PTE_PS)) {
			*next = ALIGN_DOWN(va, 1ULL << shift) + (1ULL << shift);
			return NULL;
		}
		t = phys_to_virt(e & PTE_ADDR);
	}
	return &t[(va >> 12) & 511];
}

/* Unmap and release the pages of [start, end) (lock held). */
static void unmap_pages(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		uint64_t next = a + PAGE_SIZE;
		uint64_t *pte = pte_or_skip(mm, a, &next);
		if (!pte) {
			a = next - PAGE_SIZE;
			continue;
		}
		if (!(*pte & PTE_P))
			continue;
		page_free(*pte & PTE_ADDR);
		*pte = 0;
		mm->rss_pages--;
		tlb_flush_page(a);
	}
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
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > start && !(v->flags & MAP_SHARED))
			unmap_pages(mm, MAX(v->start, start), MIN(v->end, end));
}

/* Remove [start, end) from the VMA list, splitting areas as needed. */
static int remove_range(struct mm *mm, uint64_t start, uint64_t end)
{
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
			*tail = *v;
			tail->start = end;
			v->end = start;
			tail->next = v->next;
			v->next = tail;
			unmap_pages(mm, start, end);
			return 0;
		}
		uint64_t s = MAX(v->start, start), e = MIN(v->end, end);
		unmap_pages(mm, s, e);
		if (v->start >= start && v->end <= end) {
			*pp = v->next;
			kfree(v);
			continue;
		}
		if (v->start < start)
			v->end = start;
		else
			v->start = end;
		pp = &v->next;
	}
	return 0;
}

int vm_map_area(struct mm *mm, uint64_t start, uint64_t len, int prot, int flags)
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

int vm_fault(struct mm *mm, uint64_t addr, uint64_t error)
{
	bool write = error & 2, fetch = error & 16, present = error & 1;
	uint64_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	int r = 0;
	mutex_lock(&mm->lock);
	struct vma *v = vma_find(mm, addr);
	if (!v) {
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
	if (old->exe_name && (mm->exe_name = kstrdup(old->exe_name)))
		mm->exe_dir = inode_get(old->exe_dir);
	struct vma **tail = &mm->vmas;
	for (struct vma *v = old->vmas; v; v = v->next) {
		struct vma *n = kmalloc(sizeof(*n));
		if (!n)
			goto fail;
		*n = *v;
		n->next = NULL;
		*tail = n;
		tail = &n->next;
		for (uint64_t a = v->start; a < v->end; a += PAGE_SIZE) {
			uint64_t *pte = pte_lookup(old->pml4, a, false);
			if (!pte) {
				a = ALIGN_UP(a + 1, 0x200000ULL) - PAGE_SIZE;
				continue;
			}
			if (!(*pte & PTE_P))
				continue;
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
	mutex_lock(&mm->lock);
	remove_range(mm, 0, USER_TOP_VM);
	mutex_unlock(&mm->lock);
	pml4_free_user_tables(mm->pml4);
	inode_put(mm->exe_dir);
	kfree(mm->exe_name);
	kfree(mm);
}
