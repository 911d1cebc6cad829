/*
 * kernel/include/uaccess.h - every access to user memory goes through these
 * (kernel/arch/x86_64/uaccess.S, kernel/mm/uaccess.c).
 *
 * They check that the whole range lies below USER_TOP, then copy; a page
 * fault during the copy is resolved like a user fault (demand paging,
 * copy-on-write) or, if the address is not mapped, makes the copy return
 * -EFAULT. They may sleep: never call them holding a spinlock.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include "kernel.h"

#define USER_TOP 0x0000800000000000ULL /* first non-user address */

static inline bool user_range_ok(uint64_t addr, uint64_t len)
{
	return addr < USER_TOP && len <= USER_TOP - addr;
}

int copy_from_user(void *dst, const void *usrc, size_t n);  /* 0 or -EFAULT */
int copy_to_user(void *udst, const void *src, size_t n);    /* 0 or -EFAULT */
int clear_user(void *udst, size_t n);                        /* 0 or -EFAULT */
/* Copy a NUL-terminated string of at most max-1 bytes plus NUL. Returns its
 * length, -EFAULT, or -ENAMETOOLONG if no NUL within max bytes. */
long strncpy_from_user(char *dst, const char *usrc, size_t max);
/* Copy a path (PATH_MAX) into a new kmalloc'ed buffer; ERR_PTR on error
 * (-EFAULT, -ENAMETOOLONG, -ENOENT for ""). Free with kfree. */
char *getname(const char *upath);
/* The same, but "" is allowed if allow_empty (AT_EMPTY_PATH). */
char *user_path(const char *upath, bool allow_empty);

#define PATH_MAX 4096

#endif
