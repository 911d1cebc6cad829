/*
 * tests/unit/fat_test.h - shared helpers of the FAT host tests
 * (test_fat.c, test_fat_corrupt.c; implemented in fat_test_util.c):
 * making images with mkfs.fat/mtools, mounting them through the driver's
 * fs_type over a file-backed block device, and system-call shorthands.
 */
#ifndef TESTS_FAT_TEST_H
#define TESTS_FAT_TEST_H

#include "kernel.h"
#include "vfs.h"
#include "fstype.h"
#include "host/hostio.h"

long sys_open(const char *, int, mode_t);
long sys_close(int);
long sys_read(int, void *, size_t);
long sys_write(int, const void *, size_t);
long sys_pread64(int, void *, size_t, off_t);
long sys_lseek(int, off_t, unsigned);
long sys_mkdir(const char *, mode_t);
long sys_rmdir(const char *);
long sys_unlink(const char *);
long sys_rename(const char *, const char *);
long sys_link(const char *, const char *);
long sys_symlink(const char *, const char *);
long sys_mknod(const char *, mode_t, unsigned);
long sys_stat(const char *, void *);
long sys_fstat(int, void *);
long sys_getdents64(int, void *, size_t);
long sys_truncate(const char *, off_t);
long sys_ftruncate(int, off_t);
long sys_chmod(const char *, mode_t);
long sys_chown(const char *, uid_t, gid_t);
long sys_statfs(const char *, void *);
long sys_fsync(int);
struct linux_timespec { int64_t tv_sec, tv_nsec; };
long sys_utimensat(int, const char *, const struct linux_timespec *, int);

struct kstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	int64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t r[3];
};
struct kstatfs_user {
	int64_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree;
	int32_t fsid[2];
	int64_t namelen, frsize, flags, spare[4];
};

void fat_init(void);
void fatt_setup(void);               /* VFS, task, fat_init; once */
/* A scratch path for name (inside the private temporary directory). */
const char *fatt_path(const char *name);
/* mkfs.fat an image of size_kib with extra options ("-F 32"). */
const char *fatt_mkfs(const char *name, const char *opts, unsigned size_kib);

struct fatt_mount {
	struct blockdev *bd;
	struct super_block *sb;
	struct inode *onto;
	int err;                 /* from ->mount when it failed */
	char dir[64];
};
/* Mount img at dir (made if needed) through fs type "vfat". */
struct fatt_mount fatt_mount(const char *img, const char *dir,
                             unsigned long flags, const char *opts);
void fatt_umount(struct fatt_mount *m);   /* no-op if the mount failed */

/* Whole-file helpers over the system calls; return 0 or -errno. */
long fatt_write(const char *path, const void *data, size_t len, int flags);
/* Read all of path into a new buffer (hio_free it); NULL on error. */
char *fatt_read(const char *path, size_t *len, long *err);
/* Names in directory path, sorted, newline separated (hio_free it). */
char *fatt_list(const char *path);
/* Fill buf with a reproducible pattern from seed. */
void fatt_pattern(void *buf, size_t len, unsigned seed);
/* fsck.fat -n exit status (0 clean); the output is printed if not. */
int fatt_fsck(const char *img);

#endif
