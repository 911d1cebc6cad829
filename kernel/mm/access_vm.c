/*
 * kernel/mm/access_vm.c - reading another process's memory.
 *
 * /proc/<pid>/cmdline needs the bytes of a process's argument area while
 * some other process runs. Rather than switching to its address space,
 * we walk its page tables with the mm lock held and copy from each page
 * through the kernel's direct map. A page that is not present (never
 * touched, or unmapped) ends the copy: the caller gets what was readable,
 * as Linux's access_process_vm does. Copy-on-write pages are simply read.
 */
#include "kernel.h"
#include "mm.h"
#include "paging.h"
#include "vm.h"

ssize_t mm_read(struct mm *mm, uint64_t addr, void *buf, size_t n)
{
	size_t done = 0;
	mutex_lock(&mm->lock);
	while (done < n) {
		uint64_t va = addr + done;
		if (va < addr || va >= USER_TOP_VM)
			break;
		uint64_t *pte = pte_lookup(mm->pml4, va & ~(uint64_t)(PAGE_SIZE - 1), false);
		if (!pte || (*pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
			break;
		size_t off = va & (PAGE_SIZE - 1);
		size_t k = MIN(n - done, PAGE_SIZE - off);
		const char *page = phys_to_virt(*pte & PTE_ADDR);
		memcpy((char *)buf + done, page + off, k);
		done += k;
	}
	mutex_unlock(&mm->lock);
	return (ssize_t)done;
}
