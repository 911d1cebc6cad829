/*
 * kernel/fs/syscalls.h - helpers shared by the file-system system calls
 * (kernel/fs/sys_*.c).
 */
#ifndef KERNEL_FS_SYSCALLS_H
#define KERNEL_FS_SYSCALLS_H

#include "vfs.h"

/* Copy a user path into a kmalloc'ed buffer (free with kfree). "" gives
 * ERR_PTR(-ENOENT) unless allow_empty (AT_EMPTY_PATH). */
char *user_path(const char *upath, bool allow_empty);
/* Resolve (dirfd, user path) the *at() way: AT_EMPTY_PATH with "" means
 * dirfd itself; AT_SYMLINK_NOFOLLOW turns off following the last link. */
int user_lookup_at(int dirfd, const char *upath, int flags, unsigned lookup,
                   struct inode **res);
/* Largest transfer done through one kernel bounce buffer. */
#define IO_CHUNK (64 * 1024)

#endif
