/*
 * kernel/mm/vmstat.c - memory accounting of an address space, for the
 * Vm and Rss lines of /proc/<pid>/status, as Linux counts them:
 *
 *   size   every area                       VmSize
 *   data   private writable, not the stack  VmData
 *   stack  the main stack and MAP_GROWSDOWN  VmStk
 *   exec   executable, not writable         VmExe (no shared libraries)
 *   rss    pages mapped, split by what backs them:
 *          shmem  shared anonymous areas and shared mappings of files in
 *                 memory (tmpfs, memfd);
 *          file   other shared file pages, and private file pages still
 *                 shared with the file (copy-on-write, not yet written),
 *                 the program's segments included (VMA_EXE);
 *          anon   everything else.
 *   pte    page-table pages below the top level (VmPTE).
 * The peaks (VmPeak, VmHWM) are raised before anything is unmapped
 * (vm.c) and here, so they are never below the current values.
 */
#include "kernel.h"
#include "mm.h"
#include "paging.h"
#include "vfs.h"
#include "vm.h"

static uint64_t area_vm_pages(struct mm *mm)
{
	uint64_t n = 0;
	for (struct vma *v = mm->vmas; v; v = v->next)
		n += (v->end - v->start) / PAGE_SIZE;
	return n;
}

void vm_note_hiwater(struct mm *mm)
{
	mm->hiwater_vm = MAX(mm->hiwater_vm, area_vm_pages(mm));
	mm->hiwater_rss = MAX(mm->hiwater_rss, mm->rss_pages);
}

static bool in_memory_file(struct vma *v)
{
	struct super_block *sb = v->file->inode->sb;
	return sb && !sb->bdev;
}

void vm_get_stats(struct mm *mm, struct vm_stats *st)
{
	memset(st, 0, sizeof(*st));
	mutex_lock(&mm->lock);
	vm_note_hiwater(mm);
	for (struct vma *v = mm->vmas; v; v = v->next) {
		uint64_t pages = (v->end - v->start) / PAGE_SIZE;
		bool shared = v->flags & MAP_SHARED;
		bool stack = v->flags & (VMA_STACK | MAP_GROWSDOWN);
		st->size += pages;
		if (stack)
			st->stack += pages;
		else if ((v->prot & PROT_WRITE) && !shared)
			st->data += pages;
		else if ((v->prot & PROT_EXEC) && !(v->prot & PROT_WRITE))
			st->exec += pages;
		uint64_t *pte;
		for (uint64_t a = v->start; (pte = vm_next_present(mm, &a, v->end)); a += PAGE_SIZE) {
			if (shared && (!v->file || in_memory_file(v)))
				st->rss_shmem++;
			else if ((v->file && shared) || ((v->file || (v->flags & VMA_EXE)) &&
			                                  (*pte & PTE_COW)))
				st->rss_file++;
			else
				st->rss_anon++;
		}
	}
	st->rss = st->rss_anon + st->rss_file + st->rss_shmem;
	st->peak = mm->hiwater_vm;
	st->hwm = MAX(mm->hiwater_rss, st->rss);
	st->pte = pml4_user_table_pages(mm->pml4);
	mutex_unlock(&mm->lock);
}
