/*
 * kernel/fs/syscalls.h - helpers shared by the file-system system calls
 * (kernel/fs/sys_*.c).
 */
#ifndef KERNEL_FS_SYSCALLS_H
#define KERNEL_FS_SYSCALLS_H

#include "vfs.h"
#include "uaccess.h"

/* user_path() (declared in uaccess.h, defined in sys_util.c) copies a user
 * path; "" only with AT_EMPTY_PATH. */
/* Resolve (dirfd, user path) the *at() way: AT_EMPTY_PATH with "" means
 * dirfd itself; AT_SYMLINK_NOFOLLOW turns off following the last link. */
int user_lookup_at(int dirfd, const char *upath, int flags, unsigned lookup,
                   struct inode **res);
/* Largest transfer done through one kernel bounce buffer. */
#define IO_CHUNK (64 * 1024)

#endif
