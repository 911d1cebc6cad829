/* tests/unit/test_ext2.h - shared by test_ext2.c and test_ext2_corrupt.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel.h"
#include "vfs.h"
#include "task.h"
#include "fs/ext2/ext2.h"

int system(const char *);
char *getenv(const char *);
void *malloc(size_t);
void *realloc(void *, size_t);
void free(void *);
char *mkdtemp(char *);
int open(const char *, int, ...);
int close(int);
long read(int, void *, size_t);
long write(int, const void *, size_t);
unsigned alarm(unsigned);
int printf(const char *, ...);

extern struct task stub_task;
extern bool stub_quiet;
void stub_add_ramdisk(void);
struct blockdev *ext2_host_open(const char *path, uint64_t bytes);
void ext2_host_close(struct blockdev *bd);
extern uint8_t *ext2_host_written;

long sys_open(const char *, int, mode_t);
long sys_close(int);
long sys_read(int, void *, size_t);
long sys_write(int, const void *, size_t);
long sys_pread64(int, void *, size_t, off_t);
long sys_pwrite64(int, const void *, size_t, off_t);
long sys_mkdir(const char *, mode_t);
long sys_rmdir(const char *);
long sys_unlink(const char *);
long sys_rename(const char *, const char *);
long sys_link(const char *, const char *);
long sys_symlink(const char *, const char *);
long sys_readlink(const char *, char *, int);
long sys_stat(const char *, void *);
long sys_lstat(const char *, void *);
long sys_fstat(int, void *);
long sys_getdents64(int, void *, size_t);
long sys_mknod(const char *, mode_t, unsigned);
long sys_truncate(const char *, off_t);
long sys_chmod(const char *, mode_t);
long sys_chown(const char *, uid_t, gid_t);
long sys_statfs(const char *, void *);

struct kstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t t[6];
	int64_t r[3];
};

struct mnt {
	struct blockdev *bd;
	struct super_block *sb;
	char path[32];
};

extern char tmpdir[128];
int sh(const char *fmt, ...);
char *slurp(const char *path, size_t *len);
int mount_img(const char *img, struct mnt *m, unsigned long flags);
int umount_img(struct mnt *m);
void make_image(const char *img, unsigned bs, unsigned isize, unsigned kib,
                const char *seed);
int fsck_clean(const char *img);
void test_corruption(void **state);
