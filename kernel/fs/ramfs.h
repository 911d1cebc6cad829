/*
 * kernel/fs/ramfs.h - ramfs internals shared with devfs, which is a ramfs
 * whose root directory also shows the block devices (devfs.c).
 */
#ifndef KERNEL_FS_RAMFS_H
#define KERNEL_FS_RAMFS_H

#include "vfs.h"

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

extern const struct inode_ops ramfs_dir_iops;
struct super_block *ramfs_create_named(const char *type, uint64_t magic);
/* Add a node (any type but directory and symlink) to dir; the caller
 * holds vfs_ns_lock. *res (if not NULL): new reference. */
int ramfs_add_node(struct inode *dir, const char *name, size_t len,
                   mode_t mode, dev_t rdev, struct inode **res);
/* Is there an entry called name in dir? (vfs_ns_lock held) */
bool ramfs_has_entry(struct inode *dir, const char *name, size_t len);
/* A regular file with no name (memfd_create): no links, freed with its
 * last reference. */
struct inode *ramfs_new_unlinked(struct super_block *sb, mode_t mode);
/* Is ino a ramfs/tmpfs regular file (one that can be sealed)? */
bool ramfs_is_file(struct inode *ino);

#endif
