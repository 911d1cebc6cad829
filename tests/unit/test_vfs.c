/*
 * tests/unit/test_vfs.c - kernel/fs/ end to end on the host: the system
 * calls (sys_*) on a ramfs root with devfs on /dev, pipes, FIFOs, the
 * initramfs unpacker, descriptor tables and memory accounting (every
 * kmalloc and page is counted by vfs_stubs.c, so leaks show up).
 * User pointers are plain host pointers here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel.h"
#include "vfs.h"
#include "task.h"
#include "random.h"

extern long stub_allocs;
extern int stub_sigpipe;
extern struct task stub_task;
void stub_add_ramdisk(void);
int snprintf(char *, size_t, const char *, ...);
char *strstr(const char *, const char *);

long sys_open(const char *, int, mode_t);
long sys_openat(int, const char *, int, mode_t);
long sys_close(int);
long sys_read(int, void *, size_t);
long sys_write(int, const void *, size_t);
long sys_pread64(int, void *, size_t, off_t);
long sys_pwrite64(int, const void *, size_t, off_t);
long sys_lseek(int, off_t, unsigned);
long sys_mkdir(const char *, mode_t);
long sys_rmdir(const char *);
long sys_unlink(const char *);
long sys_unlinkat(int, const char *, int);
long sys_rename(const char *, const char *);
long sys_link(const char *, const char *);
long sys_symlink(const char *, const char *);
long sys_readlink(const char *, char *, int);
long sys_chdir(const char *);
long sys_fchdir(int);
long sys_getcwd(char *, unsigned long);
long sys_stat(const char *, void *);
long sys_lstat(const char *, void *);
long sys_fstat(int, void *);
long sys_newfstatat(int, const char *, void *, int);
long sys_getdents64(int, void *, size_t);
long sys_pipe2(int *, int);
long sys_dup(int);
long sys_dup2(int, int);
long sys_dup3(int, int, int);
long sys_fcntl(int, unsigned, unsigned long);
long sys_ioctl(int, unsigned, unsigned long);
long sys_mknod(const char *, mode_t, unsigned);
long sys_truncate(const char *, off_t);
long sys_ftruncate(int, off_t);
long sys_chmod(const char *, mode_t);
long sys_access(const char *, int);
long sys_umask(int);
long sys_readv(int, const void *, int);
long sys_writev(int, const void *, int);
long sys_sendfile(int, int, off_t *, size_t);

struct kstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t t[6];
	int64_t r[3];
};

static int setup(void **state)
{
	(void)state;
	stub_add_ramdisk();
	vfs_init();
	stub_task.files = files_new();
	stub_task.fs = fs_struct_new();
	return 0;
}

static void write_file(const char *path, const char *data)
{
	long fd = sys_open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(sys_write((int)fd, data, strlen(data)), (long)strlen(data));
	assert_int_equal(sys_close((int)fd), 0);
}

static void expect_file(const char *path, const char *data)
{
	char buf[256] = { 0 };
	long fd = sys_open(path, O_RDONLY, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_read((int)fd, buf, sizeof(buf) - 1), (long)strlen(data));
	assert_string_equal(buf, data);
	sys_close((int)fd);
}

static void test_files(void **state)
{
	(void)state;
	assert_int_equal(sys_mkdir("/t1", 0755), 0);
	write_file("/t1/a", "hello world");
	expect_file("/t1/a", "hello world");
	long fd = sys_open("/t1/a", O_RDWR, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_lseek((int)fd, 6, SEEK_SET), 6);
	char buf[16] = { 0 };
	assert_int_equal(sys_read((int)fd, buf, 5), 5);
	assert_string_equal(buf, "world");
	assert_int_equal(sys_read((int)fd, buf, 5), 0); /* EOF */
	assert_int_equal(sys_pwrite64((int)fd, "W", 1, 6), 1);
	assert_int_equal(sys_pread64((int)fd, buf, 5, 6), 5);
	assert_memory_equal(buf, "World", 5);
	assert_int_equal(sys_lseek((int)fd, -1, SEEK_SET), -EINVAL);
	assert_int_equal(sys_lseek((int)fd, 0, 7), -EINVAL);
	/* sparse: write far past the end, the hole reads as zeros */
	assert_int_equal(sys_pwrite64((int)fd, "x", 1, 100000), 1);
	struct kstat st;
	assert_int_equal(sys_fstat((int)fd, &st), 0);
	assert_int_equal(st.size, 100001);
	assert_true(S_ISREG(st.mode));
	assert_int_equal(st.nlink, 1);
	assert_int_equal(sys_pread64((int)fd, buf, 4, 50000), 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	assert_int_equal(sys_ftruncate((int)fd, 3), 0);
	assert_int_equal(sys_fstat((int)fd, &st), 0);
	assert_int_equal(st.size, 3);
	assert_int_equal(sys_ftruncate((int)fd, 10), 0);
	assert_int_equal(sys_pread64((int)fd, buf, 10, 0), 10);
	assert_memory_equal(buf, "hel\0\0\0\0\0\0\0", 10); /* no stale data */
	sys_close((int)fd);
	/* O_EXCL, O_APPEND, O_DIRECTORY */
	assert_int_equal(sys_open("/t1/a", O_CREAT | O_EXCL | O_WRONLY, 0644), -EEXIST);
	fd = sys_open("/t1/a", O_WRONLY | O_APPEND, 0);
	assert_int_equal(sys_write((int)fd, "!", 1), 1);
	sys_close((int)fd);
	assert_int_equal(sys_stat("/t1/a", &st), 0);
	assert_int_equal(st.size, 11);
	assert_int_equal(sys_open("/t1/a", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	assert_int_equal(sys_open("/t1", O_WRONLY, 0), -EISDIR);
	assert_int_equal(sys_open("/t1/missing", O_RDONLY, 0), -ENOENT);
	assert_int_equal(sys_open("", O_RDONLY, 0), -ENOENT);
	assert_int_equal(sys_close(999), -EBADF);
	assert_int_equal(sys_read(999, buf, 1), -EBADF);
	fd = sys_open("/t1", O_RDONLY, 0);
	assert_int_equal(sys_read((int)fd, buf, 1), -EISDIR);
	sys_close((int)fd);
	/* O_CREAT through a symlink opens its target; with O_EXCL it fails */
	assert_int_equal(sys_symlink("/t1/a", "/t1/sl"), 0);
	fd = sys_open("/t1/sl", O_CREAT | O_RDONLY, 0644);
	assert_true(fd >= 0);
	sys_close((int)fd);
	assert_int_equal(sys_open("/t1/sl", O_CREAT | O_EXCL | O_RDONLY, 0644), -EEXIST);
	assert_int_equal(sys_open("/t1/sl", O_CREAT | O_NOFOLLOW | O_RDONLY, 0644), -ELOOP);
	assert_int_equal(sys_open("/t1/newdir/", O_CREAT | O_RDONLY, 0644), -EISDIR);
	/* creat mode 0444 still gives a writable descriptor */
	fd = sys_open("/t1/ro", O_CREAT | O_WRONLY, 0444);
	assert_true(fd >= 0);
	assert_int_equal(sys_write((int)fd, "x", 1), 1);
	sys_close((int)fd);
}

static void test_efault(void **state)
{
	(void)state;
	write_file("/efault", "abc");
	long fd = sys_open("/efault", O_RDONLY, 0);
	assert_int_equal(sys_read((int)fd, (void *)16, 3), -EFAULT);
	assert_int_equal(sys_read((int)fd, (void *)0xffff800000000000ULL, 3), -EFAULT);
	char buf[4] = { 0 };
	assert_int_equal(sys_read((int)fd, buf, 3), 3); /* nothing consumed */
	assert_int_equal(sys_open((const char *)8, O_RDONLY, 0), -EFAULT);
	assert_int_equal(sys_write((int)fd, "x", 1), -EBADF); /* read-only */
	sys_close((int)fd);
	int fds[2];
	assert_int_equal(sys_pipe2((int *)8, 0), -EFAULT);
	assert_int_equal(sys_pipe2(fds, 0x1), -EINVAL);
}

static void test_paths(void **state)
{
	(void)state;
	struct kstat st;
	assert_int_equal(sys_mkdir("/p", 0755), 0);
	assert_int_equal(sys_mkdir("/p/d", 0755), 0);
	write_file("/p/d/f", "data");
	expect_file("//p///d/./f", "data");
	expect_file("/p/d/../d/f", "data");
	expect_file("/../../p/d/f", "data"); /* .. at the root stays */
	assert_int_equal(sys_stat("/p/d/f/", &st), -ENOTDIR);
	assert_int_equal(sys_stat("/p/d/f/x", &st), -ENOTDIR);
	assert_int_equal(sys_stat("/p/d/", &st), 0);
	char longname[300];
	memset(longname, 'a', sizeof(longname));
	longname[0] = '/';
	longname[257] = '\0'; /* a 256-byte component */
	assert_int_equal(sys_stat(longname, &st), -ENAMETOOLONG);
	longname[256] = '\0'; /* 255 is fine (just absent) */
	assert_int_equal(sys_stat(longname, &st), -ENOENT);
	/* symlinks */
	assert_int_equal(sys_symlink("d/f", "/p/lf"), 0);
	assert_int_equal(sys_symlink("/p/d", "/p/ld"), 0);
	assert_int_equal(sys_symlink("nowhere", "/p/dangling"), 0);
	assert_int_equal(sys_symlink("loop2", "/p/loop1"), 0);
	assert_int_equal(sys_symlink("loop1", "/p/loop2"), 0);
	expect_file("/p/lf", "data");
	expect_file("/p/ld/f", "data");
	assert_int_equal(sys_lstat("/p/lf", &st), 0);
	assert_true(S_ISLNK(st.mode));
	assert_int_equal(st.size, 3);
	assert_int_equal(sys_stat("/p/ld/", &st), 0);
	assert_true(S_ISDIR(st.mode));
	assert_int_equal(sys_stat("/p/dangling", &st), -ENOENT);
	assert_int_equal(sys_stat("/p/loop1", &st), -ELOOP);
	assert_int_equal(sys_open("/p/lf", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	assert_int_equal(sys_newfstatat(AT_FDCWD, "/p/lf", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISLNK(st.mode));
	assert_int_equal(sys_newfstatat(AT_FDCWD, "/p/lf", &st, 0x8000), -EINVAL);
	char buf[64] = { 0 };
	assert_int_equal(sys_readlink("/p/lf", buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "d/f", 3);
	assert_int_equal(sys_readlink("/p/d", buf, sizeof(buf)), -EINVAL);
	/* a chain of 40 links resolves, 41 is too many */
	char name[32], target[32];
	write_file("/p/end", "end");
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "/p/c%d", i);
		if (i == 0)
			snprintf(target, sizeof(target), "end");
		else
			snprintf(target, sizeof(target), "c%d", i - 1);
		assert_int_equal(sys_symlink(target, name), 0);
	}
	expect_file("/p/c39", "end");
	assert_int_equal(sys_stat("/p/c40", &st), -ELOOP);
	/* openat relative to a directory descriptor, AT_EMPTY_PATH */
	long dfd = sys_open("/p/d", O_RDONLY | O_DIRECTORY, 0);
	assert_true(dfd >= 0);
	long fd = sys_openat((int)dfd, "f", O_RDONLY, 0);
	assert_true(fd >= 0);
	sys_close((int)fd);
	assert_int_equal(sys_newfstatat((int)dfd, "", &st, AT_EMPTY_PATH), 0);
	assert_true(S_ISDIR(st.mode));
	assert_int_equal(sys_newfstatat((int)dfd, "", &st, 0), -ENOENT);
	sys_close((int)dfd);
}

static void test_cwd(void **state)
{
	(void)state;
	char buf[256];
	assert_int_equal(sys_mkdir("/c", 0755), 0);
	assert_int_equal(sys_mkdir("/c/real", 0755), 0);
	assert_int_equal(sys_mkdir("/c/real/sub", 0755), 0);
	assert_int_equal(sys_symlink("/c/real/sub", "/c/link"), 0);
	assert_int_equal(sys_chdir("/c/link"), 0);
	assert_int_equal(sys_getcwd(buf, sizeof(buf)), (long)strlen("/c/real/sub") + 1);
	assert_string_equal(buf, "/c/real/sub");
	assert_int_equal(sys_chdir(".."), 0);
	assert_int_equal(sys_getcwd(buf, sizeof(buf)), 8);
	assert_string_equal(buf, "/c/real");
	assert_int_equal(sys_getcwd(buf, 4), -ERANGE);
	expect_file("../../p/d/f", "data");
	assert_int_equal(sys_rename("/c/real", "/c/moved"), 0);
	sys_getcwd(buf, sizeof(buf));
	assert_string_equal(buf, "/c/moved");
	/* crossing the devfs mount both ways */
	assert_int_equal(sys_chdir("/dev"), 0);
	sys_getcwd(buf, sizeof(buf));
	assert_string_equal(buf, "/dev");
	assert_int_equal(sys_chdir(".."), 0);
	sys_getcwd(buf, sizeof(buf));
	assert_string_equal(buf, "/");
	/* a removed cwd */
	assert_int_equal(sys_mkdir("/c/gone", 0755), 0);
	assert_int_equal(sys_chdir("/c/gone"), 0);
	assert_int_equal(sys_rmdir("/c/gone"), 0);
	assert_int_equal(sys_getcwd(buf, sizeof(buf)), -ENOENT);
	assert_int_equal(sys_open("x", O_CREAT | O_WRONLY, 0644), -ENOENT);
	assert_int_equal(sys_chdir("/c/moved/sub/nonexistent"), -ENOENT);
	assert_int_equal(sys_chdir("/p/d/f"), -ENOTDIR);
	long fd = sys_open("/c/moved", O_RDONLY, 0);
	assert_int_equal(sys_fchdir((int)fd), 0);
	sys_close((int)fd);
	sys_getcwd(buf, sizeof(buf));
	assert_string_equal(buf, "/c/moved");
	sys_chdir("/");
}

/* Collect names from getdents64 into a "|"-separated string. */
static void list_dir(const char *path, char *out, size_t outsz, size_t bufsz)
{
	long fd = sys_open(path, O_RDONLY | O_DIRECTORY, 0);
	assert_true(fd >= 0);
	char buf[1024];
	out[0] = '\0';
	size_t used = 0;
	long n;
	while ((n = sys_getdents64((int)fd, buf, bufsz)) > 0) {
		for (long off = 0; off < n;) {
			uint16_t reclen;
			memcpy(&reclen, buf + off + 16, 2);
			const char *name = buf + off + 19;
			used += (size_t)snprintf(out + used, outsz - used, "%s|", name);
			off += reclen;
		}
	}
	assert_int_equal(n, 0);
	sys_close((int)fd);
}

static void test_dirs(void **state)
{
	(void)state;
	char names[512];
	assert_int_equal(sys_mkdir("/d", 0755), 0);
	assert_int_equal(sys_mkdir("/d", 0755), -EEXIST);
	assert_int_equal(sys_mkdir("/d/", 0755), -EEXIST);
	assert_int_equal(sys_mkdir("/nope/x", 0755), -ENOENT);
	assert_int_equal(sys_mkdir("/d/sub/", 0755), 0);
	write_file("/d/one", "1");
	write_file("/d/two", "2");
	list_dir("/d", names, sizeof(names), 1024);
	assert_string_equal(names, ".|..|sub|one|two|");
	/* a tiny buffer still makes progress one entry at a time */
	list_dir("/d", names, sizeof(names), 32);
	assert_string_equal(names, ".|..|sub|one|two|");
	long fd = sys_open("/d", O_RDONLY, 0);
	char buf[8];
	assert_int_equal(sys_getdents64((int)fd, buf, sizeof(buf)), -EINVAL);
	sys_close((int)fd);
	fd = sys_open("/d/one", O_RDONLY, 0);
	assert_int_equal(sys_getdents64((int)fd, names, sizeof(names)), -ENOTDIR);
	sys_close((int)fd);
	struct kstat st;
	assert_int_equal(sys_stat("/d", &st), 0);
	assert_int_equal(st.nlink, 3);
	assert_int_equal(sys_rmdir("/d"), -ENOTEMPTY);
	assert_int_equal(sys_rmdir("/d/one"), -ENOTDIR);
	assert_int_equal(sys_unlink("/d/sub"), -EISDIR);
	assert_int_equal(sys_rmdir("/d/sub/."), -EINVAL);
	assert_int_equal(sys_rmdir("/"), -EBUSY);
	assert_int_equal(sys_rmdir("/dev"), -EBUSY);
	assert_int_equal(sys_unlink("/d/one/"), -ENOTDIR);
	assert_int_equal(sys_unlinkat(AT_FDCWD, "/d/sub", AT_REMOVEDIR), 0);
	assert_int_equal(sys_unlink("/d/one"), 0);
	assert_int_equal(sys_unlink("/d/one"), -ENOENT);
	list_dir("/d", names, sizeof(names), 1024);
	assert_string_equal(names, ".|..|two|");
	assert_int_equal(sys_stat("/d", &st), 0);
	assert_int_equal(st.nlink, 2);
}

static void test_rename_link(void **state)
{
	(void)state;
	struct kstat st;
	assert_int_equal(sys_mkdir("/r", 0755), 0);
	assert_int_equal(sys_mkdir("/r/a", 0755), 0);
	assert_int_equal(sys_mkdir("/r/a/b", 0755), 0);
	write_file("/r/x", "x");
	write_file("/r/y", "y");
	assert_int_equal(sys_rename("/r/x", "/r/y"), 0);
	expect_file("/r/y", "x");
	assert_int_equal(sys_stat("/r/x", &st), -ENOENT);
	assert_int_equal(sys_rename("/r/a", "/r/a/b/c"), -EINVAL);
	assert_int_equal(sys_rename("/r/y", "/r/a"), -EISDIR);
	assert_int_equal(sys_rename("/r/a", "/r/y"), -ENOTDIR);
	assert_int_equal(sys_mkdir("/r/e", 0755), 0);
	assert_int_equal(sys_rename("/r/e", "/r/a"), -ENOTEMPTY);
	assert_int_equal(sys_rename("/r/a/b", "/r/e"), 0); /* over an empty dir */
	assert_int_equal(sys_stat("/r/e", &st), 0);
	assert_int_equal(sys_stat("/r/a", &st), 0);
	assert_int_equal(st.nlink, 2);
	assert_int_equal(sys_rename("/r/y", "/dev/y"), -EXDEV);
	/* across directories: link counts and ".." follow the move */
	struct kstat a, b;
	assert_int_equal(sys_mkdir("/r/x1", 0755), 0);
	assert_int_equal(sys_mkdir("/r/x1/sub", 0755), 0);
	assert_int_equal(sys_mkdir("/r/x2", 0755), 0);
	assert_int_equal(sys_rename("/r/x1/sub", "/r/x2/sub"), 0);
	assert_int_equal(sys_stat("/r/x1", &a), 0);
	assert_int_equal(a.nlink, 2);
	assert_int_equal(sys_stat("/r/x2", &a), 0);
	assert_int_equal(a.nlink, 3);
	assert_int_equal(sys_stat("/r/x2/sub/..", &b), 0);
	assert_int_equal(a.ino, b.ino);
	assert_int_equal(sys_rename("/r/x2/sub/", "/r/x1/sub2"), 0); /* dir with slash */
	assert_int_equal(sys_rename("/r/y/", "/r/y2"), -ENOTDIR);
	/* hard links */
	assert_int_equal(sys_link("/r/y", "/r/z"), 0);
	assert_int_equal(sys_stat("/r/z", &st), 0);
	assert_int_equal(st.nlink, 2);
	assert_int_equal(sys_link("/r/y", "/r/z"), -EEXIST);
	assert_int_equal(sys_link("/r/a", "/r/al"), -EPERM);
	assert_int_equal(sys_rename("/r/y", "/r/z"), 0); /* same inode: no-op */
	assert_int_equal(sys_stat("/r/y", &st), 0);
	assert_int_equal(sys_unlink("/r/y"), 0);
	expect_file("/r/z", "x");
	assert_int_equal(sys_stat("/r/z", &st), 0);
	assert_int_equal(st.nlink, 1);
}

static void test_memory_returns(void **state)
{
	(void)state;
	assert_int_equal(sys_mkdir("/m", 0755), 0);
	long before = stub_allocs;
	char big[10000];
	memset(big, 'q', sizeof(big));
	long fd = sys_open("/m/big", O_CREAT | O_RDWR, 0644);
	for (int i = 0; i < 20; i++)
		assert_int_equal(sys_write((int)fd, big, sizeof(big)), (long)sizeof(big));
	assert_int_equal(sys_link("/m/big", "/m/big2"), 0);
	assert_int_equal(sys_unlink("/m/big"), 0);
	assert_int_equal(sys_unlink("/m/big2"), 0);
	assert_true(stub_allocs > before); /* still open */
	sys_close((int)fd);
	assert_int_equal(stub_allocs, before);
	/* a directory tree, a symlink, a FIFO */
	assert_int_equal(sys_mkdir("/m/t", 0755), 0);
	assert_int_equal(sys_symlink("x", "/m/t/s"), 0);
	assert_int_equal(sys_mknod("/m/t/fifo", S_IFIFO | 0644, 0), 0);
	assert_int_equal(sys_unlink("/m/t/s"), 0);
	assert_int_equal(sys_unlink("/m/t/fifo"), 0);
	assert_int_equal(sys_rmdir("/m/t"), 0);
	assert_int_equal(stub_allocs, before);
	/* pipes (the first one ever also makes the pipefs super block) */
	int fds[2];
	assert_int_equal(sys_pipe2(fds, 0), 0);
	sys_close(fds[0]);
	sys_close(fds[1]);
	before = stub_allocs;
	assert_int_equal(sys_pipe2(fds, 0), 0);
	assert_int_equal(sys_write(fds[1], "data", 4), 4);
	sys_close(fds[1]);
	sys_close(fds[0]);
	assert_int_equal(stub_allocs, before);
}

static void test_pipes(void **state)
{
	(void)state;
	int fds[2];
	char buf[100];
	assert_int_equal(sys_pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	assert_int_equal(sys_fcntl(fds[0], 1 /* F_GETFD */, 0), 1);
	assert_int_equal(sys_read(fds[0], buf, 10), -EAGAIN);
	assert_int_equal(sys_write(fds[1], "abc", 3), 3);
	assert_int_equal(sys_read(fds[0], buf, 100), 3);
	assert_int_equal(sys_lseek(fds[0], 0, SEEK_SET), -ESPIPE);
	assert_int_equal(sys_pread64(fds[0], buf, 1, 0), -ESPIPE);
	/* fill: 64 KiB, then EAGAIN; a small write never goes in partly */
	static char chunk[8192];
	long total = 0, n;
	while ((n = sys_write(fds[1], chunk, 1000)) > 0)
		total += n;
	assert_int_equal(n, -EAGAIN);
	assert_int_equal(total, 65000);
	int avail = 0;
	assert_int_equal(sys_ioctl(fds[0], 0x541B /* FIONREAD */, (unsigned long)&avail), 0);
	assert_int_equal(avail, 65000);
	assert_int_equal(sys_write(fds[1], chunk, 4096), -EAGAIN); /* atomic */
	assert_int_equal(sys_write(fds[1], chunk, 8192), 536); /* big: partial */
	while (sys_read(fds[0], chunk, sizeof(chunk)) > 0)
		;
	/* poll: readable with data, writable with room, HUP without writers */
	struct file *rf = fd_get(fds[0]), *wf = fd_get(fds[1]);
	wait_queue_t *wq[2];
	assert_int_equal(rf->ops->poll(rf, wq) & (POLLIN | POLLHUP), 0);
	assert_non_null(wq[0]);
	assert_int_equal(wf->ops->poll(wf, NULL) & POLLOUT, POLLOUT);
	/* EOF when the writer is gone */
	assert_int_equal(sys_write(fds[1], "z", 1), 1);
	assert_int_equal(rf->ops->poll(rf, NULL) & POLLIN, POLLIN);
	sys_close(fds[1]);
	file_put(wf);
	assert_int_equal(rf->ops->poll(rf, NULL) & POLLHUP, POLLHUP);
	assert_int_equal(sys_read(fds[0], buf, 10), 1);
	assert_int_equal(sys_read(fds[0], buf, 10), 0);
	sys_close(fds[0]);
	file_put(rf);
	/* EPIPE and SIGPIPE when the reader is gone */
	assert_int_equal(sys_pipe2(fds, 0), 0);
	sys_close(fds[0]);
	int sigs = stub_sigpipe;
	assert_int_equal(sys_write(fds[1], "a", 1), -EPIPE);
	assert_int_equal(stub_sigpipe, sigs + 1);
	sys_close(fds[1]);
	/* blocking read with nothing there is interrupted (stub: -EINTR from
	 * the sleep); the pipe asks for a restart, which the signal code
	 * turns into EINTR unless the handler has SA_RESTART */
	assert_int_equal(sys_pipe2(fds, 0), 0);
	assert_int_equal(sys_read(fds[0], buf, 1), -ERESTARTSYS);
	sys_close(fds[0]);
	sys_close(fds[1]);
	/* FIFOs */
	assert_int_equal(sys_mknod("/fifo", S_IFIFO | 0666, 0), 0);
	assert_int_equal(sys_open("/fifo", O_WRONLY | O_NONBLOCK, 0), -ENXIO);
	long rd = sys_open("/fifo", O_RDONLY | O_NONBLOCK, 0);
	assert_true(rd >= 0);
	long wr = sys_open("/fifo", O_WRONLY, 0);
	assert_true(wr >= 0);
	assert_int_equal(sys_write((int)wr, "fifo", 4), 4);
	assert_int_equal(sys_read((int)rd, buf, 10), 4);
	sys_close((int)wr);
	assert_int_equal(sys_read((int)rd, buf, 10), 0);
	sys_close((int)rd);
}

static void test_fds(void **state)
{
	(void)state;
	write_file("/fdf", "0123456789");
	long fd = sys_open("/fdf", O_RDONLY, 0);
	long d = sys_dup((int)fd);
	assert_true(d > fd);
	char c;
	assert_int_equal(sys_read((int)fd, &c, 1), 1);
	assert_int_equal(sys_read((int)d, &c, 1), 1); /* shared offset */
	assert_int_equal(c, '1');
	assert_int_equal(sys_dup2((int)fd, 100), 100);
	assert_int_equal(sys_dup2((int)fd, (int)fd), fd);
	assert_int_equal(sys_dup2(555, 100), -EBADF);
	assert_int_equal(sys_dup3((int)fd, (int)fd, 0), -EINVAL);
	assert_int_equal(sys_dup3((int)fd, 101, O_CLOEXEC), 101);
	assert_int_equal(sys_dup3((int)fd, 102, 1), -EINVAL);
	assert_int_equal(sys_fcntl(101, 1, 0), 1);
	assert_int_equal(sys_fcntl(100, 1, 0), 0);
	assert_int_equal(sys_fcntl(100, 2, 1), 0);
	assert_int_equal(sys_fcntl(100, 0 /* F_DUPFD */, 200), 200);
	assert_int_equal(sys_fcntl(100, 0, 5000), -EINVAL);
	assert_int_equal(sys_fcntl(100, 3, 0), O_RDONLY);
	assert_int_equal(sys_fcntl(100, 4, O_NONBLOCK | O_APPEND | O_WRONLY), 0);
	assert_int_equal(sys_fcntl(100, 3, 0), O_NONBLOCK | O_APPEND);
	assert_int_equal(sys_fcntl(100, 999, 0), -EINVAL);
	assert_int_equal(sys_ioctl(100, 0x5401 /* TCGETS */, 0), -ENOTTY);
	assert_int_equal(sys_ioctl(200, 0x5451 /* FIOCLEX */, 0), 0);
	files_close_on_exec(stub_task.files);
	assert_int_equal(sys_fcntl(101, 1, 0), -EBADF);
	assert_int_equal(sys_fcntl(200, 1, 0), -EBADF);
	assert_int_equal(sys_close(100), -EBADF);
	/* a cloned table keeps the files alive independently */
	struct files_struct *saved = stub_task.files;
	stub_task.files = files_clone(saved);
	assert_int_equal(sys_close((int)fd), 0);
	files_put(stub_task.files);
	stub_task.files = saved;
	assert_int_equal(sys_read((int)fd, &c, 1), 1);
	sys_close((int)fd);
	sys_close((int)d);
}

static void test_devfs(void **state)
{
	(void)state;
	char buf[600];
	long fd = sys_open("/dev/null", O_RDWR, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_write((int)fd, "x", 1), 1);
	assert_int_equal(sys_read((int)fd, buf, 10), 0);
	sys_close((int)fd);
	fd = sys_open("/dev/zero", O_RDONLY, 0);
	memset(buf, 1, 10);
	assert_int_equal(sys_read((int)fd, buf, 10), 10);
	assert_memory_equal(buf, "\0\0\0\0\0\0\0\0\0\0", 10);
	sys_close((int)fd);
	fd = sys_open("/dev/full", O_WRONLY, 0);
	assert_int_equal(sys_write((int)fd, "x", 1), -ENOSPC);
	sys_close((int)fd);
	fd = sys_open("/dev/urandom", O_RDONLY, 0);
	uint64_t r1 = 0, r2 = 0;
	assert_int_equal(sys_read((int)fd, &r1, 8), 8);
	assert_int_equal(sys_read((int)fd, &r2, 8), 8);
	assert_true(r1 != r2);
	sys_close((int)fd);
	struct kstat st;
	assert_int_equal(sys_stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.mode));
	assert_int_equal(st.rdev, MKDEV(1, 3));
	/* mknod'ed device nodes elsewhere find the driver by number */
	assert_int_equal(sys_mknod("/mynull", S_IFCHR | 0666, (unsigned)MKDEV(1, 3)), 0);
	fd = sys_open("/mynull", O_RDWR, 0);
	assert_int_equal(sys_write((int)fd, "x", 1), 1);
	sys_close((int)fd);
	assert_int_equal(sys_mknod("/nodev", S_IFCHR | 0666, (unsigned)MKDEV(99, 1)), 0);
	assert_int_equal(sys_open("/nodev", O_RDWR, 0), -ENXIO);
	/* a driver registering over an existing node (say from the
	 * initramfs) takes the name over; a directory stays */
	assert_int_equal(sys_mknod("/dev/late", S_IFCHR | 0600, (unsigned)MKDEV(1, 9)), 0);
	static const struct file_ops late_ops = { 0 };
	assert_int_equal(devfs_register_chr("late", 0666, 42, 0, &late_ops, NULL), 0);
	assert_int_equal(sys_stat("/dev/late", &st), 0);
	assert_int_equal(st.rdev, MKDEV(42, 0));
	assert_int_equal(st.mode, S_IFCHR | 0666);
	assert_int_equal(sys_mkdir("/dev/pts", 0755), 0);
	assert_int_equal(devfs_register_chr("pts", 0666, 42, 1, &late_ops, NULL), -EISDIR);
	assert_int_equal(devfs_register_chr("a/b", 0666, 42, 1, &late_ops, NULL), -EINVAL);
	/* the block device registered by the stub shows up lazily */
	char names[512];
	list_dir("/dev", names, sizeof(names), 1024);
	assert_non_null(strstr(names, "|vdb|"));
	fd = sys_open("/dev/vdb", O_RDWR, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_fstat((int)fd, &st), 0);
	assert_true(S_ISBLK(st.mode));
	assert_int_equal(st.size, 16 * 512);
	assert_int_equal(sys_pwrite64((int)fd, "unaligned", 9, 510), 9);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(sys_pread64((int)fd, buf, 20, 505), 20);
	assert_memory_equal(buf + 5, "unaligned", 9);
	assert_int_equal(sys_lseek((int)fd, 0, SEEK_END), 8192);
	assert_int_equal(sys_read((int)fd, buf, 10), 0);
	assert_int_equal(sys_pwrite64((int)fd, "x", 1, 8192), -ENOSPC);
	sys_close((int)fd);
	/* get_random_bytes is not constant */
	uint8_t a[32] = { 0 }, b[32] = { 0 };
	get_random_bytes(a, sizeof(a));
	get_random_bytes(b, sizeof(b));
	assert_true(memcmp(a, b, sizeof(a)) != 0);
}

static void test_permissions(void **state)
{
	(void)state;
	write_file("/secret", "s");
	assert_int_equal(sys_chmod("/secret", 0600), 0);
	assert_int_equal(sys_mkdir("/tmp", 01777), 0);
	assert_int_equal(sys_chmod("/tmp", 01777), 0);
	write_file("/tmp/rootfile", "r");
	long old = sys_umask(077);
	assert_int_equal(old, 022);
	assert_int_equal(sys_umask((int)old), 077);
	stub_task.cred.euid = 1000;
	stub_task.cred.fsuid = 1000;
	stub_task.cred.uid = 1000;
	stub_task.cred.egid = 1000;
	stub_task.cred.fsgid = 1000;
	stub_task.cred.gid = 1000;
	assert_int_equal(sys_open("/secret", O_RDONLY, 0), -EACCES);
	assert_int_equal(sys_access("/secret", 4), -EACCES);
	assert_int_equal(sys_access("/secret", 0), 0);
	assert_int_equal(sys_open("/newfile", O_CREAT | O_WRONLY, 0644), -EACCES);
	assert_int_equal(sys_chmod("/secret", 0777), -EPERM);
	assert_int_equal(sys_truncate("/secret", 0), -EACCES);
	write_file("/tmp/mine", "m");
	assert_int_equal(sys_unlink("/tmp/rootfile"), -EPERM); /* sticky */
	assert_int_equal(sys_unlink("/tmp/mine"), 0);
	assert_int_equal(sys_mknod("/tmp/dev", S_IFCHR | 0666, 0), -EPERM);
	stub_task.cred.euid = 0;
	stub_task.cred.fsuid = 0;
	stub_task.cred.uid = 0;
	stub_task.cred.egid = 0;
	stub_task.cred.fsgid = 0;
	stub_task.cred.gid = 0;
	expect_file("/secret", "s");
}

/* ---- initramfs ---- */

static char arc[4096];
static size_t arclen;

static void cpio_add(const char *name, unsigned mode, unsigned ino, unsigned nlink,
                     const char *data, unsigned rmaj, unsigned rmin)
{
	size_t size = data ? strlen(data) : 0, ns = strlen(name) + 1;
	arclen += (size_t)snprintf(arc + arclen, sizeof(arc) - arclen,
	        "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
	        ino, mode, 0u, 0u, nlink, 1234567u, size, 0u, 0u, rmaj, rmin, ns, 0u);
	memcpy(arc + arclen, name, ns);
	arclen += ns;
	while (arclen % 4)
		arc[arclen++] = 0;
	if (size)
		memcpy(arc + arclen, data, size);
	arclen += size;
	while (arclen % 4)
		arc[arclen++] = 0;
}

static void test_initramfs(void **state)
{
	(void)state;
	arclen = 0;
	cpio_add(".", 040755, 1, 2, NULL, 0, 0);
	cpio_add("init", 040700, 2, 2, NULL, 0, 0);
	cpio_add("./init/etc/motd", 0100640, 3, 1, "welcome\n", 0, 0); /* parent auto */
	cpio_add("init/sh", 0120777, 4, 1, "/bin/busybox", 0, 0);
	cpio_add("init/console", 020600, 5, 1, NULL, 5, 1);
	cpio_add("init/h1", 0100644, 6, 2, NULL, 0, 0);
	cpio_add("init/h2", 0100644, 6, 2, "linked", 0, 0);
	cpio_add("dev/mydev", 060600, 7, 1, NULL, 8, 0); /* into devfs */
	cpio_add("TRAILER!!!", 0, 0, 1, NULL, 0, 0);
	assert_int_equal(initramfs_unpack(arc, arclen), 0);
	struct kstat st;
	expect_file("/init/etc/motd", "welcome\n");
	assert_int_equal(sys_stat("/init/etc/motd", &st), 0);
	assert_int_equal(st.mode, 0100640);
	assert_int_equal(st.t[2], 1234567); /* mtime */
	char buf[32] = { 0 };
	assert_int_equal(sys_readlink("/init/sh", buf, sizeof(buf)), 12);
	assert_string_equal(buf, "/bin/busybox");
	assert_int_equal(sys_stat("/init/console", &st), 0);
	assert_int_equal(st.mode, 020600);
	assert_int_equal(st.rdev, MKDEV(5, 1));
	expect_file("/init/h1", "linked");
	assert_int_equal(sys_stat("/init/h1", &st), 0);
	assert_int_equal(st.nlink, 2);
	assert_int_equal(sys_stat("/init", &st), 0);
	assert_int_equal(st.mode, 040700);
	assert_int_equal(sys_stat("/dev/mydev", &st), 0);
	assert_true(S_ISBLK(st.mode));

	/* escaping the root is refused and stops unpacking */
	arclen = 0;
	cpio_add("ok1", 0100644, 1, 1, "1", 0, 0);
	cpio_add("a/../../evil", 0100644, 2, 1, "x", 0, 0);
	cpio_add("ok2", 0100644, 3, 1, "2", 0, 0);
	cpio_add("TRAILER!!!", 0, 0, 1, NULL, 0, 0);
	assert_int_equal(initramfs_unpack(arc, arclen), -EINVAL);
	assert_int_equal(sys_stat("/ok1", &st), 0);
	assert_int_equal(sys_stat("/ok2", &st), -ENOENT);
	/* malformed: truncated */
	arclen = 0;
	cpio_add("ok3", 0100644, 1, 1, "3", 0, 0);
	assert_int_equal(initramfs_unpack(arc, arclen - 60), -EINVAL);
	/* bad type */
	arclen = 0;
	cpio_add("weird", 0170644, 1, 1, NULL, 0, 0);
	cpio_add("TRAILER!!!", 0, 0, 1, NULL, 0, 0);
	assert_int_equal(initramfs_unpack(arc, arclen), -EINVAL);
	/* a file over an existing one replaces it */
	arclen = 0;
	cpio_add("ok1", 0100644, 1, 1, "new", 0, 0);
	cpio_add("TRAILER!!!", 0, 0, 1, NULL, 0, 0);
	assert_int_equal(initramfs_unpack(arc, arclen), 0);
	expect_file("/ok1", "new");
}

static void test_iovec(void **state)
{
	(void)state;
	struct { void *b; size_t l; } iov[3];
	char a[] = "ab", b[] = "cde";
	iov[0].b = a; iov[0].l = 2;
	iov[1].b = b; iov[1].l = 3;
	long fd = sys_open("/iov", O_CREAT | O_RDWR, 0644);
	assert_int_equal(sys_writev((int)fd, iov, 2), 5);
	expect_file("/iov", "abcde");
	sys_lseek((int)fd, 0, SEEK_SET);
	char x[3] = { 0 }, y[10] = { 0 };
	iov[0].b = x; iov[0].l = 2;
	iov[1].b = y; iov[1].l = 10;
	assert_int_equal(sys_readv((int)fd, iov, 2), 5);
	assert_string_equal(x, "ab");
	assert_string_equal(y, "cde");
	/* sendfile with and without an offset */
	long out = sys_open("/sf", O_CREAT | O_RDWR, 0644);
	off_t off = 1;
	assert_int_equal(sys_sendfile((int)out, (int)fd, &off, 100), 4);
	assert_int_equal(off, 5);
	assert_int_equal(sys_lseek((int)fd, 0, SEEK_CUR), 5); /* untouched */
	sys_lseek((int)fd, 3, SEEK_SET);
	assert_int_equal(sys_sendfile((int)out, (int)fd, NULL, 1), 1);
	assert_int_equal(sys_lseek((int)fd, 0, SEEK_CUR), 4);
	sys_close((int)out);
	expect_file("/sf", "bcded");
	iov[2].b = (void *)0xffff800000000000ULL; iov[2].l = 5;
	assert_int_equal(sys_readv((int)fd, iov, 3), -EFAULT);
	assert_int_equal(sys_readv((int)fd, iov, -1), -EINVAL);
	sys_close((int)fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_efault),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_cwd),
		cmocka_unit_test(test_dirs),
		cmocka_unit_test(test_rename_link),
		cmocka_unit_test(test_memory_returns),
		cmocka_unit_test(test_pipes),
		cmocka_unit_test(test_fds),
		cmocka_unit_test(test_devfs),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_initramfs),
		cmocka_unit_test(test_iovec),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
