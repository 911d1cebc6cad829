/*
 * kernel/include/vm.h - user address spaces (kernel/mm/vm.c).
 *
 * A struct mm is a page table plus a sorted list of areas (VMAs), each a
 * range with protection and flags. Pages are allocated on first touch
 * (demand-zero) and shared copy-on-write after fork. File areas fault
 * their pages in from the inode's page cache (kernel/mm/filemap.c).
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

#define VMA_EXE 0x08000000   /* loaded from the program's file (exec.c): maps
                                names it after mm->exe_file, at pgoff */
#define VMA_MAYWRITE 0x40000000 /* shared file area whose file is open for
                                   writing: mprotect may add PROT_WRITE */

struct inode;
struct file;

struct vma {
	uint64_t start, end;   /* [start, end), page aligned */
	int prot;              /* PROT_* */
	int flags;             /* MAP_SHARED/PRIVATE/ANONYMOUS + VMA_* */
	struct file *file;     /* file mappings: a reference; NULL: anonymous */
	uint64_t pgoff;        /* file offset (bytes) that start maps */
	struct vma *next;
};

struct mm {
	phys_addr_t pml4;
	struct vma *vmas;      /* sorted by start, non-overlapping */
	uint64_t brk_start, brk;
	uint64_t stack_top;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t *auxv;        /* exec's aux vector (kmalloc'd, for
	                          /proc/<pid>/auxv), auxv_len bytes */
	size_t auxv_len;
	int refcount;
	mutex_t lock;
	uint64_t rss_pages;    /* pages mapped */
	/* Peaks of the size and of rss_pages (pages), brought up to date
	 * before anything is unmapped (vm_note_hiwater), as Linux does. */
	uint64_t hiwater_vm, hiwater_rss;
	struct mm *all_next;   /* list of every mm (truncate unmaps through it) */
	/* The program's file (a reference), kept by exec for
	 * /proc/<pid>/exe, which shows its name; NULL before the first exec. */
	struct file *exe_file;
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
/* The same for a file mapping: the area takes its own reference to f
 * and maps the file from byte offset off (page aligned). */
int vm_map_file(struct mm *mm, uint64_t start, uint64_t len, int prot, int flags,
                struct file *f, uint64_t off);
int vm_unmap(struct mm *mm, uint64_t start, uint64_t len);
/* With mm->lock held (the VMA list is sorted by address): whether every
 * page of [start, end) is in some area; free the pages of the private
 * areas in [start, end), which stay mapped and refill with zeros. */
bool vm_range_mapped(struct mm *mm, uint64_t start, uint64_t end);
void vm_drop_private_pages(struct mm *mm, uint64_t start, uint64_t end);
/* Allocate and map the page at addr now (for exec's loader); returns its
 * kernel (direct-map) address or NULL. */
void *vm_populate_page(struct mm *mm, uint64_t addr);
/* Map physical page p at addr read-only and copy-on-write, taking over the
 * caller's reference to p (also on failure); for pages shared between
 * address spaces (exec's loaded pages). 0 or -errno. */
int vm_map_cow_page(struct mm *mm, uint64_t addr, phys_addr_t p);
struct file;
/* exec's loader (kernel/proc/exec_pages.c): map at addr the page whose
 * bytes [lo, hi) are f's at off + lo and the rest zero, sharing the page
 * with earlier execs that loaded the same bytes. 0 or -errno. */
int exec_load_page(struct mm *mm, struct file *f, uint64_t addr, uint64_t off, unsigned lo,
                   unsigned hi);
/* Boot: put exec's table and the file page cache on the shrinker list,
 * so pages no process maps go back when memory runs short. */
void exec_pages_init(void);
void filemap_init(void);
struct vma *vma_find(struct mm *mm, uint64_t addr);
/* The next present page at or after *va below end (mm->lock held): its
 * PTE, *va set to its address; NULL at the end. Skips absent tables. */
uint64_t *vm_next_present(struct mm *mm, uint64_t *va, uint64_t end);

/* Memory accounting for /proc/<pid>/status and stat (kernel/mm/vmstat.c),
 * in pages. */
struct vm_stats {
	uint64_t size, peak, data, stack, exec, rss, hwm;
	uint64_t rss_anon, rss_file, rss_shmem, pte;
};
void vm_get_stats(struct mm *mm, struct vm_stats *st);
/* Raise the peaks to the current values (mm->lock held). */
void vm_note_hiwater(struct mm *mm);
/* For mmap/mremap (kernel/mm/sys_mm.c; mm->lock held): a free range of len
 * bytes near hint, or 0; whether len more bytes break RLIMIT_AS. */
uint64_t find_gap(struct mm *mm, uint64_t len, uint64_t hint);
bool as_exceeded(struct mm *mm, uint64_t more);
/* Copy up to n bytes of mm's user memory at addr through its page tables
 * (not the current address space; kernel/mm/access_vm.c). Stops at the
 * first page not present; returns the bytes copied. */
ssize_t mm_read(struct mm *mm, uint64_t addr, void *buf, size_t n);

/* ---- file pages (kernel/mm/filemap.c) ---- */
/* The page of ino at page index idx, read from f if not cached yet, with
 * a new reference for the caller; 0 when idx is past the end of the file
 * (*err = -EIO: SIGBUS) or out of memory (*err = -ENOMEM). */
phys_addr_t filemap_get(struct file *f, uint64_t idx, int *err);
/* Is page idx of ino in its cache now (mincore)? */
bool filemap_cached(struct inode *ino, uint64_t idx);
/* Write every cached page of f's inode in byte range [off, off+len)
 * back to the file system (msync). */
int filemap_writeback(struct file *f, uint64_t off, uint64_t len);
/* Write one cached page back (munmap/exit saw its PTE dirty). */
int filemap_writeback_page(struct file *f, phys_addr_t page, uint64_t idx);
/* read()/write() of regular files go through these (kernel/fs/sys_rw.c,
 * file.c): they call the file system and keep cached pages coherent. */
ssize_t filemap_read(struct file *f, void *buf, size_t n, off_t *off);
ssize_t filemap_write(struct file *f, const void *buf, size_t n, off_t *off);
/* The file's size changed from old_size to size: drop cached pages past
 * the end, zero the tail of the last one and (shrinking) unmap the pages
 * past the end from every address space. */
void filemap_truncate(struct inode *ino, uint64_t old_size, uint64_t size);
/* Does any address space have a shared mapping of ino that is or may
 * become writable (F_ADD_SEALS F_SEAL_WRITE answers EBUSY then)? */
bool vm_file_mapped_writable(struct inode *ino);
/* Remove every PTE mapping ino at file offset >= from, in every mm
 * (kernel/mm/vm.c). */
void vm_unmap_file_tail(struct inode *ino, uint64_t from);
/* A file area of ino went: free the cached pages nothing maps. */
void filemap_release(struct inode *ino);
/* The inode's last reference went: free its cached pages. */
void filemap_drop(struct inode *ino);

#endif
