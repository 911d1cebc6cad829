/*
 * kernel/mm/mremap.c - mremap (grow, shrink or move a mapping) and msync.
 *
 * Growing in place extends the area when the pages after it are free.
 * Moving (MREMAP_MAYMOVE, MREMAP_FIXED) creates the new area and carries
 * the page-table entries over one by one: the physical pages, their
 * contents and their copy-on-write sharing stay as they are, nothing is
 * copied. The old range then loses its (now empty) area.
 *
 * A moved file area keeps its file and offset.
 *
 * msync checks its arguments and that the range is mapped, as Linux does,
 * and writes the cached pages of the shared file areas in the range back
 * to their files (MS_SYNC and MS_ASYNC alike; kernel/mm/filemap.c).
 */
#include "kernel.h"
#include "mm.h"
#include "paging.h"
#include "task.h"
#include "vm.h"

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

/* Move the present pages of [from, from+len) to [to, to+len). */
static int move_ptes(struct mm *mm, uint64_t from, uint64_t to, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *src = pte_lookup(mm->pml4, from + off, false);
		if (!src || !(*src & PTE_P))
			continue;
		uint64_t *dst = pte_lookup(mm->pml4, to + off, true);
		if (!dst)
			return -ENOMEM;
		/* pte_lookup may have added a table: look the source up again. */
		src = pte_lookup(mm->pml4, from + off, false);
		*dst = *src;
		*src = 0;
		tlb_flush_page(from + off);
		tlb_flush_page(to + off);
	}
	return 0;
}

/* Is [start, end) free of areas? */
static bool range_free(struct mm *mm, uint64_t start, uint64_t end)
{
	if (end > USER_MMAP_TOP || end < start)
		return false;
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (v->start < end && v->end > start)
			return false;
	return true;
}

long sys_mremap(uint64_t old, uint64_t old_size, uint64_t new_size, uint64_t flags, uint64_t new_addr)
{
	struct mm *mm = current->mm;
	if (old & (PAGE_SIZE - 1))
		return -EINVAL;
	if (flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MREMAP_DONTUNMAP)
		return -EINVAL; /* not supported */
	old_size = ALIGN_UP(old_size, PAGE_SIZE);
	uint64_t nsize = ALIGN_UP(new_size, PAGE_SIZE);
	if (!nsize || nsize < new_size)
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && (new_addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (!old_size)
		return -EINVAL; /* duplicating shared mappings is not supported */
	long r;
	mutex_lock(&mm->lock);
	struct vma *v = vma_find(mm, old);
	if (!v || old + old_size > v->end || old + old_size < old) {
		r = -EFAULT;
		goto out;
	}
	int prot = v->prot, vflags = v->flags & (MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | VMA_MAYWRITE);
	struct file *vfile = v->file;
	uint64_t vpgoff = v->pgoff + (old - v->start);
	if (v->flags & (VMA_STACK | VMA_HEAP)) {
		r = -EFAULT; /* the stack and brk areas are not movable here */
		goto out;
	}
	if (!(flags & MREMAP_FIXED)) {
		if (nsize <= old_size) {
			if (nsize < old_size)
				vm_unmap(mm, old + nsize, old_size - nsize);
			r = (long)old;
			goto out;
		}
		if (as_exceeded(mm, nsize - old_size)) {
			r = -ENOMEM;
			goto out;
		}
		if (old + old_size == v->end && range_free(mm, old + old_size, old + nsize)) {
			/* Extend the area itself (pages come on demand), so that
			 * it stays one area as in Linux. */
			v->end = old + nsize;
			r = (long)old;
			goto out;
		}
		if (!(flags & MREMAP_MAYMOVE)) {
			r = -ENOMEM;
			goto out;
		}
		new_addr = find_gap(mm, nsize, 0);
		if (!new_addr) {
			r = -ENOMEM;
			goto out;
		}
	} else {
		if (new_addr < USER_MIN_ADDR || new_addr + nsize > USER_TOP_VM || new_addr + nsize < new_addr) {
			r = -EINVAL;
			goto out;
		}
		if (new_addr < old + old_size && old < new_addr + nsize) {
			r = -EINVAL; /* overlapping ranges */
			goto out;
		}
		vm_unmap(mm, new_addr, nsize);
	}
	r = vm_map_file(mm, new_addr, nsize, prot, vflags, vfile, vpgoff);
	if (r)
		goto out;
	r = move_ptes(mm, old, new_addr, MIN(old_size, nsize));
	if (r) {
		vm_unmap(mm, new_addr, nsize);
		goto out;
	}
	vm_unmap(mm, old, old_size); /* frees only pages left behind (shrinking) */
	r = (long)new_addr;
out:
	mutex_unlock(&mm->lock);
	return r;
}

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

long sys_msync(uint64_t addr, uint64_t len, int flags)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	uint64_t end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end < addr)
		return -ENOMEM;
	struct mm *mm = current->mm;
	long r = 0;
	mutex_lock(&mm->lock);
	for (uint64_t a = addr; a < end;) {
		struct vma *v = vma_find(mm, a);
		if (!v) {
			r = -ENOMEM; /* a hole in the range */
			break;
		}
		a = v->end;
	}
	for (struct vma *v = mm->vmas; v && !r; v = v->next) {
		if (v->end <= addr || v->start >= end || !v->file || !(v->flags & MAP_SHARED))
			continue;
		uint64_t s = MAX(v->start, addr), e = MIN(v->end, end);
		r = filemap_writeback(v->file, v->pgoff + (s - v->start), e - s);
	}
	mutex_unlock(&mm->lock);
	return r;
}
