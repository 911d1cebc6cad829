/*
 * kernel/mm/uaccess.c - range-checked wrappers around the fault-tolerant
 * copy routines in kernel/arch/x86_64/uaccess.S.
 */
#include "kernel.h"
#include "mm.h"
#include "uaccess.h"

int __copy_user(void *dst, const void *src, size_t n);
int __clear_user(void *dst, size_t n);
long __strncpy_user(char *dst, const char *src, size_t max);

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!user_range_ok((uint64_t)usrc, n))
		return -EFAULT;
	return n ? __copy_user(dst, usrc, n) : 0;
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	if (!user_range_ok((uint64_t)udst, n))
		return -EFAULT;
	return n ? __copy_user(udst, src, n) : 0;
}

int clear_user(void *udst, size_t n)
{
	if (!user_range_ok((uint64_t)udst, n))
		return -EFAULT;
	return n ? __clear_user(udst, n) : 0;
}

long strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	uint64_t a = (uint64_t)usrc;
	if (a >= USER_TOP || max == 0)
		return -EFAULT;
	size_t lim = MIN(max, USER_TOP - a);
	long n = __strncpy_user(dst, usrc, lim);
	if (n < 0)
		return n;
	if ((size_t)n == lim) {
		if (lim < max)
			return -EFAULT; /* ran into the end of user space */
		dst[max - 1] = 0;
		return -ENAMETOOLONG;
	}
	return n;
}

/* user_path() is in kernel/fs/sys_util.c, which the host unit tests link. */
char *getname(const char *upath)
{
	return user_path(upath, false);
}
