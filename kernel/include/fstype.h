/*
 * kernel/include/fstype.h - file-system types that mount(2) can mount.
 *
 * Each disk or virtual file system registers one struct fs_type at boot
 * (ext2, vfat, tmpfs, ...). mount(2) and the root mount find the type by
 * name and call ->mount; the VFS then attaches the returned super_block.
 *
 * Read-only: sb->flags & MS_RDONLY. The VFS refuses writes on a read-only
 * mount with -EROFS before calling the file system; a file system that
 * finds an unknown read-only-compatible feature or damage sets MS_RDONLY
 * itself in ->mount and says why in the kernel log.
 */
#ifndef KERNEL_FSTYPE_H
#define KERNEL_FSTYPE_H

#include "kernel.h"
#include "block.h"
#include "vfs.h"

/* mount(2) flags (Linux values) */
#define MS_RDONLY 1
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_SYNCHRONOUS 16
#define MS_REMOUNT 32
#define MS_NOATIME 1024
#define MS_BIND 4096
#define MS_MOVE 8192
#define MS_SILENT 32768
#define MNT_FORCE 1
#define MNT_DETACH 2

struct fs_type {
	const char *name;    /* as mount -t and /proc/mounts spell it */
	bool needs_device;   /* false: tmpfs, proc, ... (source is a label) */
	/* Read the file system on bd (NULL when !needs_device) with MS_*
	 * flags and the comma-separated option string (may be NULL). Returns
	 * a super_block with root, ops, type and flags set, or
	 * ERR_PTR(-errno): -EINVAL not this type, -EIO unreadable,
	 * -EUCLEAN damaged beyond use. Every refusal is explained in the log. */
	struct super_block *(*mount)(struct blockdev *bd, unsigned long flags,
	                             const char *opts);
	/* Change flags/options of a mounted file system (MS_REMOUNT);
	 * going read-only writes back everything first. NULL: -EINVAL. */
	int (*remount)(struct super_block *sb, unsigned long flags,
	               const char *opts);
	/* Unmount: no inode of sb is in use any more. Write back everything
	 * (super-block state clean), release the file system's memory. */
	int (*umount)(struct super_block *sb);
	struct fs_type *next;
};

void fs_type_register(struct fs_type *t);
struct fs_type *fs_type_find(const char *name);

#endif
