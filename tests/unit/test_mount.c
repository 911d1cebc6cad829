/*
 * tests/unit/test_mount.c - kernel/fs/mount.c, fstype.c and the mount
 * table of super.c on the host: mount(2)/umount2(2) of tmpfs and of a
 * fake disk type on the stub RAM disk /dev/vdb, EROFS and remount, EBUSY,
 * /proc/mounts, the root switch (root=/dev/vdb: /dev and /proc move over,
 * the initramfs is freed) and vfs_shutdown(). Memory is counted by
 * vfs_stubs.c, so an unmount that leaks shows up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel.h"
#include "vfs.h"
#include "fstype.h"
#include "task.h"
#include "ramfs.h"

extern long stub_allocs;
extern struct task stub_task;
void stub_add_ramdisk(void);
char *strstr(const char *, const char *);

long sys_open(const char *, int, mode_t);
long sys_close(int);
long sys_read(int, void *, size_t);
long sys_write(int, const void *, size_t);
long sys_mkdir(const char *, mode_t);
long sys_rmdir(const char *);
long sys_unlink(const char *);
long sys_rename(const char *, const char *);
long sys_chdir(const char *);
long sys_chmod(const char *, mode_t);
long sys_truncate(const char *, off_t);
long sys_symlink(const char *, const char *);
long sys_fsync(int);
long sys_syncfs(int);
long sys_sync(void);
long sys_mount(const char *, const char *, const char *, unsigned long, const void *);
long sys_umount2(const char *, int);

/* ---- a fake disk file system: a ramfs with /dev and /proc ---- */
static int fake_mounts, fake_umounts, fake_remounts;
static unsigned long fake_last_flags;
static struct super_block *fake_mount(struct blockdev *bd, unsigned long flags,
                                      const char *opts)
{
	(void)opts;
	if (!bd || strcmp(bd->name, "vdb"))
		return ERR_PTR(-EINVAL);
	struct super_block *sb = ramfs_create_named("fakefs", 0xfa4e);
	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->root->iops->mkdir(sb->root, "dev", 3, S_IFDIR | 0755);
	sb->root->iops->mkdir(sb->root, "proc", 4, S_IFDIR | 0555);
	sb->flags = flags;
	fake_mounts++;
	return sb;
}
static int fake_remount(struct super_block *sb, unsigned long flags, const char *o)
{
	(void)sb; (void)o;
	fake_remounts++;
	fake_last_flags = flags;
	return 0;
}
static int fake_umount(struct super_block *sb)
{
	fake_umounts++;
	ramfs_empty_tree(sb->root);
	inode_put(sb->root);
	sb->root = NULL;
	return 0;
}
static struct fs_type fake_type = {
	.name = "fakefs", .needs_device = true, .mount = fake_mount,
	.remount = fake_remount, .umount = fake_umount,
};

static int setup(void **state)
{
	(void)state;
	stub_add_ramdisk();
	vfs_init();
	stub_task.files = files_new();
	stub_task.fs = fs_struct_new();
	fstype_init();
	fs_type_register(&fake_type);
	return 0;
}

static void write_file(const char *path, const char *data)
{
	long fd = sys_open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(sys_write((int)fd, data, strlen(data)), (long)strlen(data));
	assert_int_equal(sys_close((int)fd), 0);
}

static void read_all(const char *path, char *buf, size_t size)
{
	long fd = sys_open(path, O_RDONLY, 0);
	assert_true(fd >= 0);
	long n = sys_read((int)fd, buf, size - 1);
	assert_true(n >= 0);
	buf[n] = 0;
	sys_close((int)fd);
}

static void test_tmpfs(void **state)
{
	(void)state;
	char buf[1024];
	assert_int_equal(sys_mkdir("/mnt", 0755), 0);
	long base = stub_allocs;
	assert_int_equal(sys_mount("scratch", "/mnt", "tmpfs", MS_NOSUID, "mode=750,size=1m"), 0);
	read_all("/proc/mounts", buf, sizeof(buf));
	assert_non_null(strstr(buf, "scratch /mnt tmpfs rw,nosuid,mode=750,size=1m 0 0\n"));
	assert_int_equal(sys_mkdir("/mnt/d", 0755), 0);
	write_file("/mnt/d/f", "tmp data");
	assert_int_equal(sys_symlink("d/f", "/mnt/l"), 0);
	/* busy while it is the cwd or a file is open */
	assert_int_equal(sys_chdir("/mnt/d"), 0);
	assert_int_equal(sys_umount2("/mnt", 0), -EBUSY);
	assert_int_equal(sys_chdir("/"), 0);
	long fd = sys_open("/mnt/d/f", O_RDONLY, 0);
	assert_int_equal(sys_umount2("/mnt", 0), -EBUSY);
	sys_close((int)fd);
	assert_int_equal(sys_umount2("/mnt/d", 0), -EINVAL);   /* not a mount */
	assert_int_equal(sys_umount2("/mnt", 0x80), -EINVAL);  /* bad flags */
	assert_int_equal(sys_umount2("/", 0), -EBUSY);
	assert_int_equal(sys_umount2("/mnt", 0), 0);
	assert_int_equal(stub_allocs, base);                   /* all freed */
	read_all("/proc/mounts", buf, sizeof(buf));
	assert_null(strstr(buf, "/mnt"));
	assert_int_equal(sys_open("/mnt/d/f", O_RDONLY, 0), -ENOENT);
	assert_int_equal(sys_mount("x", "/mnt", "nosuchfs", 0, NULL), -ENODEV);
	assert_int_equal(sys_mount("x", "/mnt", "tmpfs", MS_BIND, NULL), -EINVAL);
	assert_int_equal(sys_mount("x", "/mnt", "tmpfs", 0, "mode=99x"), -EINVAL);
	assert_int_equal(sys_mount("x", (const char *)16, "tmpfs", 0, NULL), -EFAULT);
}

static void test_readonly(void **state)
{
	(void)state;
	char buf[1024];
	assert_int_equal(sys_mount("t", "/mnt", "tmpfs", 0, NULL), 0);
	write_file("/mnt/f", "one");
	assert_int_equal(sys_mkdir("/mnt/d", 0755), 0);
	long fd = sys_open("/mnt/f", O_WRONLY, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_mount("t", "/mnt", NULL, MS_REMOUNT | MS_RDONLY, NULL), -EBUSY);
	sys_close((int)fd);
	fd = sys_open("/mnt/f", O_RDONLY, 0);   /* readers do not block it */
	assert_int_equal(sys_mount("t", "/mnt", NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	sys_close((int)fd);
	read_all("/proc/mounts", buf, sizeof(buf));
	assert_non_null(strstr(buf, "t /mnt tmpfs ro 0 0\n"));
	assert_int_equal(sys_open("/mnt/f", O_WRONLY, 0), -EROFS);
	assert_int_equal(sys_open("/mnt/g", O_CREAT | O_WRONLY, 0644), -EROFS);
	assert_int_equal(sys_mkdir("/mnt/e", 0755), -EROFS);
	assert_int_equal(sys_rmdir("/mnt/d"), -EROFS);
	assert_int_equal(sys_unlink("/mnt/f"), -EROFS);
	assert_int_equal(sys_rename("/mnt/f", "/mnt/h"), -EROFS);
	assert_int_equal(sys_chmod("/mnt/f", 0600), -EROFS);
	assert_int_equal(sys_truncate("/mnt/f", 0), -EROFS);
	assert_int_equal(sys_symlink("f", "/mnt/s"), -EROFS);
	read_all("/mnt/f", buf, sizeof(buf));
	assert_string_equal(buf, "one");
	assert_int_equal(sys_mount("t", "/mnt", NULL, MS_REMOUNT, NULL), 0);
	write_file("/mnt/g", "two");
	fd = sys_open("/mnt/g", O_RDONLY, 0);
	assert_int_equal(sys_fsync((int)fd), 0);
	assert_int_equal(sys_syncfs((int)fd), 0);
	sys_close((int)fd);
	assert_int_equal(sys_sync(), 0);
	assert_int_equal(sys_umount2("/mnt", 0), 0);
}

static void test_device_mounts(void **state)
{
	(void)state;
	char buf[1024];
	assert_int_equal(sys_mount("/dev/null", "/mnt", "fakefs", 0, NULL), -ENOTBLK);
	assert_int_equal(sys_mount("/dev/nonexistent", "/mnt", "fakefs", 0, NULL), -ENOENT);
	assert_int_equal(sys_mount("/dev/vdb", "/dev/null", "fakefs", 0, NULL), -ENOTDIR);
	int before = fake_mounts;
	assert_int_equal(sys_mount("/dev/vdb", "/mnt", "auto", MS_RDONLY, "opt=1"), 0);
	assert_int_equal(fake_mounts, before + 1);
	read_all("/proc/mounts", buf, sizeof(buf));
	assert_non_null(strstr(buf, "/dev/vdb /mnt fakefs ro,opt=1 0 0\n"));
	assert_int_equal(sys_mkdir("/mnt2", 0755), 0);
	assert_int_equal(sys_mount("/dev/vdb", "/mnt2", "fakefs", 0, NULL), -EBUSY);
	int um = fake_umounts;
	assert_int_equal(sys_umount2("/mnt", 0), 0);
	assert_int_equal(fake_umounts, um + 1);
	/* not root */
	stub_task.cred.euid = 1000;
	assert_int_equal(sys_mount("/dev/vdb", "/mnt", "fakefs", 0, NULL), -EPERM);
	assert_int_equal(sys_umount2("/mnt", 0), -EPERM);
	stub_task.cred.euid = 0;
}

static void test_root_switch_and_shutdown(void **state)
{
	(void)state;
	char buf[1024];
	write_file("/initramfs-file", "old root");
	assert_int_equal(vfs_mount_root_device("LABEL=nosuch", NULL, 0), -ENODEV);
	assert_int_equal(vfs_mount_root_device("/dev/vdb", "nosuchfs", 0), -ENODEV);
	assert_int_equal(vfs_mount_root_device("/dev/vdb", "fakefs", 0), 0);
	/* The test task's root and cwd predate the switch, as no task's do
	 * at boot: give it a fresh fs_struct. */
	fs_struct_put(stub_task.fs);
	stub_task.fs = fs_struct_new();
	assert_int_equal(sys_open("/initramfs-file", O_RDONLY, 0), -ENOENT);
	long fd = sys_open("/dev/null", O_RDONLY, 0);     /* devfs moved over */
	assert_true(fd >= 0);
	sys_close((int)fd);
	read_all("/proc/mounts", buf, sizeof(buf));       /* proc moved over */
	assert_memory_equal(buf, "/dev/vdb / fakefs rw 0 0\n", 25);
	assert_non_null(strstr(buf, "devfs /dev devfs rw 0 0\n"));
	write_file("/on-new-root", "new");
	assert_int_equal(sys_mkdir("/tmp", 01777), 0);
	vfs_mount_boot_extras();
	read_all("/proc/mounts", buf, sizeof(buf));
	assert_non_null(strstr(buf, "tmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n"));
	write_file("/tmp/x", "x");

	int um = fake_umounts, rm = fake_remounts;
	vfs_shutdown();
	assert_int_equal(fake_remounts, rm + 1);          /* root: remount,ro */
	assert_true(fake_last_flags & MS_RDONLY);
	assert_int_equal(fake_umounts, um);
	read_all("/proc/mounts", buf, sizeof(buf));
	assert_null(strstr(buf, "/tmp"));                 /* tmpfs unmounted */
	assert_memory_equal(buf, "/dev/vdb / fakefs ro 0 0\n", 25);
	assert_int_equal(sys_open("/x", O_CREAT | O_WRONLY, 0644), -EROFS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tmpfs),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_device_mounts),
		cmocka_unit_test(test_root_switch_and_shutdown),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
