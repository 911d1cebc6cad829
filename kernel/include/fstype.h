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
/* The next registered type after t (NULL: the first); for "auto" and
 * /proc/filesystems. */
struct fs_type *fs_type_next(struct fs_type *t);

/* Disk file systems register from these (kernel/fs/ext2/, kernel/fs/fat/).
 * Weak: the kernel builds and boots without either. */
void ext2_init(void) __attribute__((weak));
void fat_init(void) __attribute__((weak));
/* Boot: register tmpfs and the disk file systems (kernel/fs/fstype.c). */
void fstype_init(void);

/* ---- the mount table (kernel/fs/super.c, kernel/fs/mount.c) ---- */
/* Serialises mount, umount and remount, and walks of the mount list that
 * sleep (/proc/mounts, sync). Taken before vfs_ns_lock. */
extern mutex_t vfs_mount_lock;
void mount_set_source(struct super_block *sb, const char *source,
                      const char *data);
const char *mount_source(struct super_block *sb);
const char *mount_data(struct super_block *sb);
struct inode *mount_point(struct super_block *sb); /* covered dir or NULL */
int vfs_detach(struct super_block *sb);
int vfs_move_mount(struct super_block *sb, struct inode *onto);
struct super_block *vfs_replace_root(struct super_block *sb);
void super_free(struct super_block *sb);
/* The mount options as /proc/mounts shows them ("rw,noatime,..."). */
void mount_options(struct super_block *sb, char *buf, size_t size);

/* The block device behind a /dev node (S_IFBLK inode), or NULL. */
struct blockdev *devfs_inode_blockdev(struct inode *ino);

/* Boot: mount root=LABEL=/PARTUUID=/dev/NAME from the command line over
 * the initramfs root, with /dev, /proc moved onto it and /tmp, /boot/efi
 * mounted. 0, or -errno with the initramfs root left in place. */
int vfs_mount_root_device(const char *spec, const char *fstype,
                          unsigned long flags);
/* After the root decision: tmpfs on /tmp (and the ESP on /boot/efi). */
void vfs_mount_boot_extras(void);
/* Delete everything below a ramfs/tmpfs directory nobody uses. */
void ramfs_empty_tree(struct inode *dir);
/* Power-off and reboot: sync, then unmount every disk file system so it
 * is marked clean. Nothing may write afterwards. */
void vfs_shutdown(void);

#endif
