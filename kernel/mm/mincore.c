/*
 * kernel/mm/mincore.c - mincore(2): which pages of a range are in memory.
 *
 * A page is resident when its page table entry is present; a page of a
 * file area also when the file's cache holds it (another mapping faulted
 * it in) or when the file lives in memory (tmpfs/ramfs: no block device)
 * and the page is below its end, as Linux's page cache would have it.
 * There is no swap, so nothing else is ever "in core".
 *
 * As Linux: EINVAL for an unaligned start, ENOMEM for a range outside
 * user space or with a hole (the pages before the hole are reported),
 * EFAULT for a bad vector. The work goes one page of answers at a time,
 * dropping the mm lock between them, so a huge mapped range cannot hold
 * it for long.
 */
#include "kernel.h"
#include "mm.h"
#include "paging.h"
#include "task.h"
#include "uaccess.h"
#include "vfs.h"
#include "vm.h"

static bool file_page_resident(struct vma *v, uint64_t addr)
{
	struct inode *ino = v->file->inode;
	uint64_t off = v->pgoff + (addr - v->start);
	if (filemap_cached(ino, off / PAGE_SIZE))
		return true;
	return ino->sb && !ino->sb->bdev && off < ino->size;
}

/* Fill vec for up to n pages from addr (all in areas); returns how many,
 * or -ENOMEM when addr is in none. */
static long mincore_chunk(struct mm *mm, uint64_t addr, size_t n, unsigned char *vec)
{
	mutex_lock(&mm->lock);
	struct vma *v = vma_find(mm, addr);
	if (!v) {
		mutex_unlock(&mm->lock);
		return -ENOMEM;
	}
	size_t k = 0;
	for (; k < n && addr < v->end; k++, addr += PAGE_SIZE) {
		uint64_t *pte = pte_lookup(mm->pml4, addr, false);
		bool in = pte && (*pte & PTE_P);
		if (!in && v->file)
			in = file_page_resident(v, addr);
		vec[k] = in;
	}
	mutex_unlock(&mm->lock);
	return (long)k;
}

long sys_mincore(uint64_t start, uint64_t len, unsigned char *uvec)
{
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!user_range_ok(start, len))
		return -ENOMEM;
	uint64_t pages = len / PAGE_SIZE + (len % PAGE_SIZE != 0);
	if (!user_range_ok((uint64_t)uvec, pages))
		return -EFAULT;
	unsigned char *tmp = kmalloc(PAGE_SIZE);
	if (!tmp)
		return -EAGAIN; /* Linux's answer when it has no page */
	long r = 0;
	while (pages) {
		r = mincore_chunk(current->mm, start, MIN(pages, (uint64_t)PAGE_SIZE), tmp);
		if (r <= 0)
			break;
		if (copy_to_user(uvec, tmp, (size_t)r)) {
			r = -EFAULT;
			break;
		}
		pages -= (uint64_t)r;
		uvec += r;
		start += (uint64_t)r * PAGE_SIZE;
		r = 0;
	}
	kfree(tmp);
	return r;
}
