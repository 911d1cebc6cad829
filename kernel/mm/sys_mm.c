/*
 * kernel/mm/sys_mm.c - memory system calls: mmap, munmap, mprotect, brk,
 * madvise.
 *
 * Anonymous mappings are demand-zero. File mappings (private and shared)
 * fault their pages in from the inode's page cache (kernel/mm/filemap.c).
 */
#include "kernel.h"
#include "mm.h"
#include "paging.h"
#include "procfs.h"
#include "task.h"
#include "vfs.h"
#include "vm.h"

/* A free range of len bytes, as high as possible below USER_MMAP_TOP. */
uint64_t find_gap(struct mm *mm, uint64_t len, uint64_t hint)
{
	if (hint && hint >= USER_MIN_ADDR && hint + len <= USER_MMAP_TOP && hint + len > hint) {
		bool free = true;
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->start < hint + len && v->end > hint)
				free = false;
		if (free)
			return hint;
	}
	uint64_t cand = USER_MMAP_TOP - len;
	for (;;) {
		if (cand < USER_MIN_ADDR || cand > USER_MMAP_TOP)
			return 0;
		struct vma *clash = NULL;
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->start < cand + len && v->end > cand)
				clash = v;
		if (!clash)
			return cand;
		if (clash->start < len)
			return 0;
		cand = clash->start - len;
	}
}

/* RLIMIT_AS: would the address space grow past the caller's limit?
 * (mm->lock held.) */
bool as_exceeded(struct mm *mm, uint64_t more)
{
	uint64_t lim = rlimit_cur(RLIMIT_AS), total = 0;
	if (lim == ~0ULL)
		return false;
	for (struct vma *v = mm->vmas; v; v = v->next)
		total += v->end - v->start;
	return total + more > lim;
}

long sys_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, int64_t fd, uint64_t off)
{
	struct mm *mm = current->mm;
	if (!len || (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	uint64_t alen = ALIGN_UP(len, PAGE_SIZE);
	if (alen < len || alen > USER_MMAP_TOP)
		return -ENOMEM;
	int type = flags & 3;
	if (type != MAP_SHARED && type != MAP_PRIVATE)
		return -EINVAL;
	if (prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	struct file *f = NULL;
	int vflags = (int)(flags & (MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS));
	if ((flags & MAP_GROWSDOWN) && (flags & MAP_ANONYMOUS)) {
		if (type == MAP_SHARED)
			return -EINVAL; /* as Linux */
		vflags |= MAP_GROWSDOWN; /* grows on faults below it (vm.c) */
	}
	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_get((int)fd);
		if (!f)
			return -EBADF;
		mode_t m = file_mode(f);
		int acc = f->flags & O_ACCMODE;
		long e = 0;
		if (f->flags & O_PATH)
			e = -EBADF;
		else if (!S_ISREG(m) || (f->inode->sb && f->inode->sb->magic == PROC_SUPER_MAGIC))
			e = -ENODEV; /* /proc files are made at read time, not mappable */
		else if (acc == O_WRONLY)
			e = -EACCES; /* every mapping reads the file */
		else if (type == MAP_SHARED && (prot & PROT_WRITE) && acc != O_RDWR)
			e = -EACCES;
		else if (off + alen < off || (int64_t)(off + alen) < 0)
			e = -EOVERFLOW;
		/* Write seals (memfd.c): no new writable shared mapping, and
		 * a read-only one may not become writable. */
		bool sealed = f->inode->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);
		if (!e && sealed && type == MAP_SHARED && (prot & PROT_WRITE))
			e = -EPERM;
		if (e) {
			file_put(f);
			return e;
		}
		if (type == MAP_SHARED && acc == O_RDWR && !sealed)
			vflags |= VMA_MAYWRITE;
	}
	long r;
	mutex_lock(&mm->lock);
	uint64_t start;
	if (as_exceeded(mm, alen)) {
		r = -ENOMEM;
		goto unlock;
	}
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1) || addr + alen > USER_TOP_VM || addr + alen < addr) {
			r = -EINVAL;
			goto unlock;
		}
		if (addr < USER_MIN_ADDR) {
			r = -EPERM;
			goto unlock;
		}
		if (flags & MAP_FIXED_NOREPLACE) {
			for (struct vma *v = mm->vmas; v; v = v->next)
				if (v->start < addr + alen && v->end > addr) {
					r = -EEXIST;
					goto unlock;
				}
		}
		start = addr;
	} else {
		start = find_gap(mm, alen, ALIGN_DOWN(addr, PAGE_SIZE));
		if (!start) {
			r = -ENOMEM;
			goto unlock;
		}
	}
	r = vm_map_file(mm, start, alen, (int)prot, vflags, f, f ? off : 0);
	mutex_unlock(&mm->lock);
	if (r)
		goto out;
	if (f) {
		/* Pages come from the page cache on first touch; MAP_POPULATE
		 * faults in those inside the file now. */
		if (flags & MAP_POPULATE) {
			uint64_t size = file_size(f);
			for (uint64_t o = 0; o < alen && off + o < size; o += PAGE_SIZE)
				if (vm_fault(mm, start + o, 0))
					break;
		}
	} else if ((flags & MAP_POPULATE) || type == MAP_SHARED) {
		/* Shared anonymous memory is populated now: a page first
		 * touched after a fork would otherwise be private to whoever
		 * touched it. */
		for (uint64_t o = 0; o < alen; o += PAGE_SIZE)
			if (!vm_populate_page(mm, start + o)) {
				if (type == MAP_SHARED) {
					mutex_lock(&mm->lock);
					vm_unmap(mm, start, alen);
					mutex_unlock(&mm->lock);
					r = -ENOMEM;
					goto out;
				}
				break;
			}
	}
	r = start;
	goto out;
unlock:
	mutex_unlock(&mm->lock);
out:
	if (f)
		file_put(f);
	return r;
}

long sys_munmap(uint64_t addr, uint64_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || !len)
		return -EINVAL;
	uint64_t alen = ALIGN_UP(len, PAGE_SIZE);
	if (addr + alen > USER_TOP_VM || addr + alen < addr)
		return -EINVAL;
	struct mm *mm = current->mm;
	mutex_lock(&mm->lock);
	int r = vm_unmap(mm, addr, alen);
	mutex_unlock(&mm->lock);
	return r;
}

long sys_mprotect(uint64_t addr, uint64_t len, uint64_t prot)
{
	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	uint64_t end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end < addr || end > USER_TOP_VM)
		return -ENOMEM;
	if (!len)
		return 0;
	struct mm *mm = current->mm;
	mutex_lock(&mm->lock);
	/* The whole range must be mapped; a shared file area can become
	 * writable only if its file was opened for writing. */
	for (uint64_t a = addr; a < end;) {
		struct vma *v = vma_find(mm, a);
		if (!v) {
			mutex_unlock(&mm->lock);
			return -ENOMEM;
		}
		if ((prot & PROT_WRITE) && v->file && (v->flags & MAP_SHARED) && !(v->flags & VMA_MAYWRITE)) {
			mutex_unlock(&mm->lock);
			return -EACCES;
		}
		a = v->end;
	}
	/* Split areas at the range's edges, then change protection. */
	for (struct vma *v = mm->vmas; v; v = v->next) {
		if (v->end <= addr || v->start >= end)
			continue;
		if (v->start < addr || v->end > end) {
			uint64_t s = MAX(v->start, addr), e = MIN(v->end, end);
			struct vma *mid = kmalloc(sizeof(*mid));
			struct vma *tail = e < v->end ? kmalloc(sizeof(*tail)) : NULL;
			if (!mid || (e < v->end && !tail)) {
				kfree(mid);
				kfree(tail);
				mutex_unlock(&mm->lock);
				return -ENOMEM;
			}
			*mid = *v;
			mid->start = s;
			mid->end = e;
			mid->pgoff += s - v->start;
			if (mid->file)
				file_get(mid->file);
			if (tail) {
				*tail = *v;
				tail->start = e;
				tail->pgoff += e - v->start;
				if (tail->file)
					file_get(tail->file);
				tail->next = v->next;
				mid->next = tail;
			}
			if (v->start < s) {
				v->end = s;
				v->next = mid;
			} else {
				/* v itself becomes the middle piece (dropping
				 * the file reference mid took for itself). */
				if (v->file)
					file_put(v->file);
				*v = *mid;
				kfree(mid);
				mid = v;
			}
			v = mid;
		}
		v->prot = (int)prot;
		for (uint64_t a = v->start; a < v->end; a += PAGE_SIZE) {
			uint64_t *pte = pte_lookup(mm->pml4, a, false);
			if (!pte || !(*pte & PTE_P))
				continue;
			/* Keep the dirty bit: munmap writes back by it. */
			uint64_t e = (*pte & (PTE_ADDR | PTE_COW | PTE_A | PTE_D)) | PTE_P | PTE_U;
			if ((prot & PROT_WRITE) && !(*pte & PTE_COW))
				e |= PTE_W;
			if (!(prot & PROT_EXEC))
				e |= PTE_NX;
			if (!prot)
				e &= ~PTE_U; /* PROT_NONE: keep the page, forbid access */
			*pte = e;
			tlb_flush_page(a);
		}
	}
	mutex_unlock(&mm->lock);
	return 0;
}

long sys_brk(uint64_t addr)
{
	struct mm *mm = current->mm;
	mutex_lock(&mm->lock);
	uint64_t cur = mm->brk;
	if (addr < mm->brk_start || addr > mm->brk_start + (1ULL << 40)) {
		mutex_unlock(&mm->lock);
		return cur;
	}
	uint64_t old_end = ALIGN_UP(cur, PAGE_SIZE), new_end = ALIGN_UP(addr, PAGE_SIZE);
	if (new_end > old_end) {
		if (as_exceeded(mm, new_end - old_end)) {
			mutex_unlock(&mm->lock);
			return cur;
		}
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->start < new_end && v->end > old_end) {
				mutex_unlock(&mm->lock);
				return cur;
			}
		if (vm_map_area(mm, old_end, new_end - old_end, PROT_READ | PROT_WRITE,
		                MAP_PRIVATE | MAP_ANONYMOUS | VMA_HEAP)) {
			mutex_unlock(&mm->lock);
			return cur;
		}
	} else if (new_end < old_end) {
		vm_unmap(mm, new_end, old_end - new_end);
	}
	mm->brk = addr;
	mutex_unlock(&mm->lock);
	return addr;
}

#define MADV_DONTNEED 4
#define MADV_FREE 8

/* The advice values Linux 6.x knows (MADV_NORMAL 0 ... MADV_COLLAPSE 25;
 * 5-7 unused); the hardware-poison ones (100, 101) need a capability and
 * a kernel option RayOS does not have. */
static bool advice_known(int advice)
{
	return advice >= 0 && advice <= 25 && (advice < 5 || advice > 7);
}

/*
 * Only DONTNEED and FREE do something: the pages go, the area refills with
 * zeros (FREE frees at once instead of when memory is short, which Linux
 * allows). The other advice is accepted and ignored. As in Linux, bad
 * arguments fail with EINVAL before anything is done, and a range that is
 * partly unmapped fails with ENOMEM after the mapped parts are advised. The work follows the
 * areas and the page tables that exist, never the length given: a range of
 * 2^64 bytes must not take 2^52 steps with the mm lock held.
 */
long sys_madvise(uint64_t addr, uint64_t len, int advice)
{
	if ((addr & (PAGE_SIZE - 1)) || !advice_known(advice))
		return -EINVAL;
	uint64_t alen = ALIGN_UP(len, PAGE_SIZE), end = addr + alen;
	if ((len && !alen) || end < addr)
		return -EINVAL;
	if (end == addr)
		return 0;
	struct mm *mm = current->mm;
	mutex_lock(&mm->lock);
	int r = vm_range_mapped(mm, addr, end) ? 0 : -ENOMEM;
	if (advice == MADV_DONTNEED || advice == MADV_FREE)
		vm_drop_private_pages(mm, addr, end);
	mutex_unlock(&mm->lock);
	return r;
}
