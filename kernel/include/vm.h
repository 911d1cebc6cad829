/*
 * kernel/include/vm.h - user address spaces (kernel/mm/vm.c).
 *
 * A struct mm is a page table plus a sorted list of areas (VMAs), each a
 * range with protection and flags. Pages are allocated on first touch
 * (demand-zero) and shared copy-on-write after fork. Private file mappings
 * are read in when mapped (shared file mappings come with the page cache).
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include "kernel.h"
#include "sync.h"

#define USER_TOP_VM 0x0000800000000000ULL
#define USER_STACK_TOP 0x00007ffffffff000ULL
#define USER_STACK_MAX (8ULL << 20)      /* RLIMIT_STACK default */
#define USER_MMAP_TOP 0x00007f0000000000ULL
#define USER_MIN_ADDR 0x10000ULL         /* below this nothing maps (NULL guard) */

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x100
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_FIXED_NOREPLACE 0x100000

/* Our own area flags, in bits that no MAP_* flag uses. */
#define VMA_STACK 0x10000000 /* the main stack */
#define VMA_HEAP 0x20000000  /* brk area */

struct inode;

struct vma {
	uint64_t start, end;   /* [start, end), page aligned */
	int prot;              /* PROT_* */
	int flags;             /* MAP_SHARED/PRIVATE/ANONYMOUS + VMA_* */
	struct vma *next;
};

struct mm {
	phys_addr_t pml4;
	struct vma *vmas;      /* sorted by start, non-overlapping */
	uint64_t brk_start, brk;
	uint64_t stack_top;
	uint64_t arg_start, arg_end, env_start, env_end;
	int refcount;
	mutex_t lock;
	uint64_t rss_pages;    /* pages mapped */
	/* The program's directory (a reference) and file name, kept by exec
	 * for /proc/<pid>/exe; NULL before the first exec. */
	struct inode *exe_dir;
	char *exe_name;
};

struct mm *mm_new(void);
struct mm *mm_clone(struct mm *old); /* fork: copy-on-write */
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);
void mm_activate(struct mm *mm);    /* load its page table */
/* Resolve a fault at addr (error code from the CPU). 0 when resolved,
 * -EFAULT for no mapping, -EACCES for a protection violation, -ENOMEM. */
int vm_fault(struct mm *mm, uint64_t addr, uint64_t error);
/* Create an area; for exec and mmap. Returns 0 or -errno. */
int vm_map_area(struct mm *mm, uint64_t start, uint64_t len, int prot, int flags);
int vm_unmap(struct mm *mm, uint64_t start, uint64_t len);
/* With mm->lock held (the VMA list is sorted by address): whether every
 * page of [start, end) is in some area; free the pages of the private
 * areas in [start, end), which stay mapped and refill with zeros. */
bool vm_range_mapped(struct mm *mm, uint64_t start, uint64_t end);
void vm_drop_private_pages(struct mm *mm, uint64_t start, uint64_t end);
/* Allocate and map the page at addr now (for exec's loader); returns its
 * kernel (direct-map) address or NULL. */
void *vm_populate_page(struct mm *mm, uint64_t addr);
struct vma *vma_find(struct mm *mm, uint64_t addr);
/* For mmap/mremap (kernel/mm/sys_mm.c; mm->lock held): a free range of len
 * bytes near hint, or 0; whether len more bytes break RLIMIT_AS. */
uint64_t find_gap(struct mm *mm, uint64_t len, uint64_t hint);
bool as_exceeded(struct mm *mm, uint64_t more);
/* Copy up to n bytes of mm's user memory at addr through its page tables
 * (not the current address space; kernel/mm/access_vm.c). Stops at the
 * first page not present; returns the bytes copied. */
ssize_t mm_read(struct mm *mm, uint64_t addr, void *buf, size_t n);

#endif
