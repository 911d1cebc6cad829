/*
 * tests/unit/test_ext2.c - the ext2 driver on the host, over real images.
 *
 * Images are made by mke2fs -d from a seed tree (4 KiB blocks with
 * 256-byte inodes, the Debian default, and 1 KiB blocks with 128-byte
 * inodes), mounted with ext2_fs_type.mount over an image-file block device
 * (ext2_host.c) and used through the VFS's system calls. What RayOS
 * writes is checked with the host's e2fsck -fn (must be clean) and read
 * back with debugfs; what mke2fs wrote is read by RayOS and compared with
 * the seed files. test_corruption (test_ext2_corrupt.c) runs the driver
 * over hundreds of damaged images.
 */
#include "test_ext2.h"

char tmpdir[128];
static int mount_seq;

int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return st < 0 ? -1 : (st >> 8) & 0xff;
}

/* Whole host file into a malloc'd buffer (NUL-terminated); *len its size. */
char *slurp(const char *path, size_t *len)
{
	int fd = open(path, 0);
	if (fd < 0)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *p = malloc(cap + 1);
	long r;
	while ((r = read(fd, p + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap)
			p = realloc(p, (cap *= 2) + 1);
	}
	close(fd);
	p[n] = 0;
	if (len)
		*len = n;
	return p;
}

static uint64_t host_size(const char *path)
{
	size_t n;
	char *p = slurp(path, &n);
	free(p);
	return p ? n : 0;
}

int mount_img(const char *img, struct mnt *m, unsigned long flags)
{
	memset(m, 0, sizeof(*m));
	m->bd = ext2_host_open(img, host_size(img));
	if (!m->bd)
		return -ENOENT;
	struct super_block *sb = ext2_fs_type.mount(m->bd, flags, NULL);
	if (IS_ERR(sb)) {
		ext2_host_close(m->bd);
		m->bd = NULL;
		return (int)PTR_ERR(sb);
	}
	m->sb = sb;
	snprintf(m->path, sizeof(m->path), "/m%d", ++mount_seq);
	assert_int_equal(sys_mkdir(m->path, 0755), 0);
	struct inode *dir;
	assert_int_equal(path_lookup(m->path, LOOKUP_FOLLOW, &dir), 0);
	assert_int_equal(vfs_mount(sb, dir), 0);
	inode_put(dir);
	return 0;
}

int umount_img(struct mnt *m)
{
	int err = ext2_fs_type.umount(m->sb);
	ext2_host_close(m->bd);
	m->bd = NULL;
	return err;
}

/* Make an image of the given geometry from the seed tree (or empty). */
void make_image(const char *img, unsigned bs, unsigned isize, unsigned kib,
                const char *seed)
{
	char d[256] = "";
	if (seed)
		snprintf(d, sizeof(d), "-d %s/%s", tmpdir, seed);
	assert_int_equal(sh("rm -f %s && mke2fs -q -F -t ext2 -b %u -I %u %s %s %uk"
	                    " >/dev/null 2>&1", img, bs, isize, d, img, kib), 0);
}

int fsck_clean(const char *img)
{
	int st = sh("e2fsck -fn %s > %s/fsck.log 2>&1", img, tmpdir);
	if (st)
		sh("cat %s/fsck.log", tmpdir);
	return st;
}

static void put_file(const char *path, const void *data, size_t n)
{
	long fd = sys_open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	size_t done = 0;
	while (done < n) {
		size_t chunk = MIN(n - done, (size_t)5000); /* unaligned pieces */
		assert_int_equal(sys_write((int)fd, (const char *)data + done, chunk),
		                 (long)chunk);
		done += chunk;
	}
	assert_int_equal(sys_close((int)fd), 0);
}

/* Read a whole file through RayOS. */
static char *get_file(const char *path, size_t *len)
{
	long fd = sys_open(path, O_RDONLY, 0);
	if (fd < 0)
		return NULL;
	struct kstat st;
	assert_int_equal(sys_fstat((int)fd, &st), 0);
	char *p = malloc((size_t)st.size + 1);
	size_t n = 0;
	long r;
	while ((r = sys_read((int)fd, p + n, MIN((size_t)st.size - n, (size_t)70000))) > 0)
		n += (size_t)r;
	assert_int_equal(r, 0);
	p[n] = 0;
	sys_close((int)fd);
	*len = n;
	return p;
}

static void expect_same(const char *rayos_path, const char *host_path)
{
	size_t a, b;
	char *x = get_file(rayos_path, &a);
	char *y = slurp(host_path, &b);
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(a, b);
	assert_memory_equal(x, y, a);
	free(x);
	free(y);
}

/* Number of entries in a directory, through getdents64. */
static int count_entries(const char *path)
{
	long fd = sys_open(path, O_RDONLY | O_DIRECTORY, 0);
	assert_true(fd >= 0);
	char buf[1024]; /* small: many calls, resuming mid-directory */
	int n = 0;
	long r;
	while ((r = sys_getdents64((int)fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < r;) {
			uint16_t reclen;
			memcpy(&reclen, buf + off + 16, 2);
			n++;
			off += reclen;
		}
	}
	assert_int_equal(r, 0);
	sys_close((int)fd);
	return n;
}

static void make_seed(void)
{
	assert_int_equal(sh(
		"set -e; cd %s; rm -rf seed; mkdir -p seed/sub/deeper seed/many; cd seed;"
		"printf hello > small; head -c 100000 /dev/urandom > medium;"
		"head -c 5000000 /dev/urandom > big; : > empty;"
		"truncate -s 80M sparse; printf X | dd of=sparse bs=1 seek=75000000 conv=notrunc 2>/dev/null;"
		"printf start | dd of=sparse conv=notrunc 2>/dev/null;"
		"ln small sub/hardlink; ln -s small fastlink;"
		"ln -s /%0100d/target slowlink; mkfifo fifo; mknod null c 1 3;"
		"mknod bigdev c 300 70000; echo deep > sub/deeper/file;"
		"for i in $(seq 1 400); do echo $i > many/file-with-a-longish-name-$i; done",
		tmpdir, 0), 0);
}

static int setup(void **state)
{
	(void)state;
	stub_add_ramdisk();
	vfs_init();
	stub_task.files = files_new();
	stub_task.fs = fs_struct_new();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_ext2.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	make_seed();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (!getenv("KEEP"))
		sh("rm -rf %s", tmpdir);
	return 0;
}

/* RayOS reads what mke2fs -d wrote, including an htree directory. */
static void read_seed(unsigned bs, unsigned isize)
{
	char img[256], p[256], h[256];
	snprintf(img, sizeof(img), "%s/read-%u.img", tmpdir, bs);
	make_image(img, bs, isize, 32768, "seed");
	/* build hashed indexes for the big directory (dir_index) */
	assert_true(sh("e2fsck -fyD %s >/dev/null 2>&1", img) <= 1);
	assert_int_equal(sh("debugfs -R 'stat /many' %s 2>/dev/null | grep -q 'Flags: 0x1000'",
	                    img), 0);
	struct mnt m;
	assert_int_equal(mount_img(img, &m, 0), 0);
	static const char *files[] = { "small", "medium", "big", "empty", "sparse",
	                               "sub/hardlink", "sub/deeper/file" };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(p, sizeof(p), "%s/%s", m.path, files[i]);
		snprintf(h, sizeof(h), "%s/seed/%s", tmpdir, files[i]);
		expect_same(p, h);
	}
	struct kstat st;
	snprintf(p, sizeof(p), "%s/small", m.path);
	assert_int_equal(sys_stat(p, &st), 0);
	assert_int_equal(st.nlink, 2);
	snprintf(p, sizeof(p), "%s/sparse", m.path);
	assert_int_equal(sys_stat(p, &st), 0);
	assert_int_equal(st.size, 80 << 20);
	assert_true(st.blocks < 64); /* the holes take no space */
	char buf[200];
	snprintf(p, sizeof(p), "%s/fastlink", m.path);
	assert_int_equal(sys_readlink(p, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "small", 5);
	snprintf(p, sizeof(p), "%s/slowlink", m.path);
	assert_int_equal(sys_readlink(p, buf, sizeof(buf)), 108);
	assert_memory_equal(buf + 101, "/target", 7);
	snprintf(p, sizeof(p), "%s/fifo", m.path);
	assert_int_equal(sys_lstat(p, &st), 0);
	assert_true(S_ISFIFO(st.mode));
	snprintf(p, sizeof(p), "%s/null", m.path);
	assert_int_equal(sys_lstat(p, &st), 0);
	assert_true(S_ISCHR(st.mode));
	assert_int_equal(st.rdev, MKDEV(1, 3));
	snprintf(p, sizeof(p), "%s/bigdev", m.path);
	assert_int_equal(sys_lstat(p, &st), 0);
	assert_int_equal(st.rdev, MKDEV(300, 70000));
	snprintf(p, sizeof(p), "%s/many", m.path);
	assert_int_equal(count_entries(p), 402);
	snprintf(p, sizeof(p), "%s/many/file-with-a-longish-name-377", m.path);
	size_t n;
	char *c = get_file(p, &n);
	assert_non_null(c);
	assert_string_equal(c, "377\n");
	free(c);
	/* writing to the indexed directory drops the index flag */
	snprintf(p, sizeof(p), "%s/many/new", m.path);
	put_file(p, "x", 1);
	assert_int_equal(umount_img(&m), 0);
	assert_int_equal(fsck_clean(img), 0);
	assert_int_equal(sh("debugfs -R 'stat /many' %s 2>/dev/null | grep -q 'Flags: 0x0'",
	                    img), 0);
}

static void test_read_4k(void **state) { (void)state; read_seed(4096, 256); }
static void test_read_1k(void **state) { (void)state; read_seed(1024, 128); }

static uint8_t *pattern(size_t n, unsigned seed)
{
	uint8_t *p = malloc(n);
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((i * 7 + seed + (i >> 12)) & 0xff);
	return p;
}

/* The debugfs view of a file's contents must equal data. */
static void debugfs_same(const char *img, const char *path, const void *data, size_t n)
{
	char out[256];
	snprintf(out, sizeof(out), "%s/dump", tmpdir);
	assert_int_equal(sh("debugfs -R 'dump %s %s' %s >/dev/null 2>&1", path, out, img), 0);
	size_t len;
	char *got = slurp(out, &len);
	assert_int_equal(len, n);
	assert_memory_equal(got, data, n);
	free(got);
}

/* A write workload; e2fsck -fn must find nothing and debugfs must read
 * what RayOS wrote; RayOS must read it back after a new mount. */
static void write_workload(unsigned bs, unsigned isize)
{
	char img[256], p[256], q[256];
	snprintf(img, sizeof(img), "%s/write-%u.img", tmpdir, bs);
	make_image(img, bs, isize, 65536, NULL);
	struct mnt m;
	assert_int_equal(mount_img(img, &m, 0), 0);
	const char *M = m.path;
#define P(fmt, ...) (snprintf(p, sizeof(p), "%s" fmt, M, ##__VA_ARGS__), p)
#define Q(fmt, ...) (snprintf(q, sizeof(q), "%s" fmt, M, ##__VA_ARGS__), q)
	assert_int_equal(sys_mkdir(P("/d1"), 0755), 0);
	assert_int_equal(sys_mkdir(P("/d1/d2"), 0750), 0);
	put_file(P("/d1/a"), "hello", 5);
	long fd = sys_open(P("/d1/a"), O_WRONLY | O_APPEND, 0);
	assert_int_equal(sys_write((int)fd, " world", 6), 6);
	sys_close((int)fd);
	size_t bign = 5 << 20; /* double indirect at 4 KiB, at 1 KiB too */
	uint8_t *big = pattern(bign, 1);
	put_file(P("/big"), big, bign);
	/* sparse, far out: triple indirect with 1 KiB blocks */
	fd = sys_open(P("/sparse"), O_CREAT | O_RDWR, 0600);
	assert_int_equal(sys_pwrite64((int)fd, "end", 3, 70000000), 3);
	assert_int_equal(sys_pwrite64((int)fd, "mid", 3, 300000), 3);
	char buf[64];
	assert_int_equal(sys_pread64((int)fd, buf, 3, 70000000), 3);
	assert_memory_equal(buf, "end", 3);
	assert_int_equal(sys_pread64((int)fd, buf, 4, 1000), 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	sys_close((int)fd);
	/* truncate down (frees indirect blocks), then up: zeros, not old data */
	assert_int_equal(sys_truncate(P("/big"), 1000001), 0);
	assert_int_equal(sys_truncate(P("/big"), 1000100), 0);
	memset(big + 1000001, 0, 99);
	bign = 1000100;
	/* renames: within a directory, across, over an existing file, a dir */
	assert_int_equal(sys_rename(P("/d1/a"), Q("/d1/d2/b")), 0);
	put_file(P("/victim"), "old", 3);
	put_file(P("/d1/c"), "new", 3);
	assert_int_equal(sys_rename(P("/d1/c"), Q("/victim")), 0);
	assert_int_equal(sys_rename(P("/d1/d2"), Q("/d3")), 0);
	assert_int_equal(sys_mkdir(P("/emptydir"), 0755), 0);
	assert_int_equal(sys_mkdir(P("/d1/over"), 0755), 0);
	assert_int_equal(sys_rename(P("/d1/over"), Q("/emptydir")), 0);
	/* links, symlinks, special files */
	assert_int_equal(sys_link(P("/d3/b"), Q("/hard")), 0);
	assert_int_equal(sys_symlink("d3/b", P("/fast")), 0);
	char longt[300];
	memset(longt, 'L', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = 0;
	assert_int_equal(sys_symlink(longt, P("/slow")), 0);
	assert_int_equal(sys_mknod(P("/fifo"), S_IFIFO | 0644, 0), 0);
	assert_int_equal(sys_mknod(P("/null"), S_IFCHR | 0666, (unsigned)MKDEV(1, 3)), 0);
	assert_int_equal(sys_mknod(P("/bigdev"), S_IFBLK | 0600, (unsigned)MKDEV(300, 70000)), 0);
	assert_int_equal(sys_chmod(P("/hard"), 0600), 0);
	assert_int_equal(sys_chown(P("/hard"), 1234, 99999), 0);
	/* unlinked while open: readable until closed, then freed */
	fd = sys_open(P("/tmpf"), O_CREAT | O_RDWR, 0644);
	uint8_t *tmp = pattern(300000, 3);
	assert_int_equal(sys_write((int)fd, tmp, 300000), 300000);
	assert_int_equal(sys_unlink(P("/tmpf")), 0);
	assert_int_equal(sys_pread64((int)fd, buf, 10, 299990), 10);
	assert_memory_equal(buf, tmp + 299990, 10);
	sys_close((int)fd);
	free(tmp);
	/* directories: many entries, rmdir rules */
	assert_int_equal(sys_mkdir(P("/lots"), 0755), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(q, sizeof(q), "%s/lots/entry-%d", M, i);
		put_file(q, q, strlen(q));
	}
	for (int i = 0; i < 300; i += 2) {
		snprintf(q, sizeof(q), "%s/lots/entry-%d", M, i);
		assert_int_equal(sys_unlink(q), 0);
	}
	assert_int_equal(count_entries(P("/lots")), 152);
	assert_int_equal(sys_rmdir(P("/lots")), -ENOTEMPTY);
	assert_int_equal(sys_mkdir(P("/gone"), 0755), 0);
	assert_int_equal(sys_rmdir(P("/gone")), 0);
	struct kstat st;
	assert_int_equal(sys_stat(P("/d3/b"), &st), 0);
	assert_int_equal(st.nlink, 2);
	assert_int_equal(st.uid, 1234);
	assert_int_equal(st.gid, 99999);
	assert_int_equal(sys_stat(M, &st), 0);
	assert_int_equal(st.nlink, 7); /* . .. lost+found d1 d3 emptydir lots */
	assert_int_equal(umount_img(&m), 0);

	/* the host's tools agree */
	assert_int_equal(fsck_clean(img), 0);
	debugfs_same(img, "/big", big, bign);
	free(big); /* kept in the file system: compared below */
	big = pattern(5 << 20, 1);
	memset(big + 1000001, 0, 99);
	debugfs_same(img, "/d3/b", "hello world", 11);
	debugfs_same(img, "/victim", "new", 3);
	assert_int_equal(sh("debugfs -R 'stat /slow' %s 2>/dev/null | grep -q 'Size: 299'", img), 0);
	assert_int_equal(sh("debugfs -R 'stat /fast' %s 2>/dev/null | grep -q 'Fast link dest: \"d3/b\"'", img), 0);
	assert_int_equal(sh("debugfs -R 'stat /hard' %s 2>/dev/null | grep -q 'Links: 2'", img), 0);
	assert_int_equal(sh("debugfs -R 'stat /bigdev' %s 2>/dev/null | "
	                    "grep -q 'major/minor number: 300:70000'", img), 0);
	assert_int_equal(sh("debugfs -R 'ls -l /lots' %s 2>/dev/null | awk '$1 != 0' | grep -c entry- | grep -qx 150", img), 0);

	/* and RayOS reads it all back */
	assert_int_equal(mount_img(img, &m, 0), 0);
	M = m.path;
	size_t n;
	char *c = get_file(P("/big"), &n);
	assert_int_equal(n, bign);
	assert_memory_equal(c, big, n);
	free(c);
	free(big);
	char lbuf[400];
	assert_int_equal(sys_readlink(P("/slow"), lbuf, sizeof(lbuf)), 299);
	assert_memory_equal(lbuf, longt, 299);
	assert_int_equal(sys_stat(P("/sparse"), &st), 0);
	assert_int_equal(st.size, 70000003);
	/* delete everything big: the free counts come back */
	assert_int_equal(sys_unlink(P("/big")), 0);
	assert_int_equal(sys_unlink(P("/sparse")), 0);
	assert_int_equal(umount_img(&m), 0);
	assert_int_equal(fsck_clean(img), 0);
#undef P
#undef Q
}

static void test_write_4k(void **state) { (void)state; write_workload(4096, 256); }
static void test_write_1k(void **state) { (void)state; write_workload(1024, 128); }

struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};

/* Filling the disk gives ENOSPC; deleting gives the space back. */
static void test_enospc(void **state)
{
	(void)state;
	char img[256], p[256];
	snprintf(img, sizeof(img), "%s/full.img", tmpdir);
	make_image(img, 1024, 128, 4096, NULL);
	struct mnt m;
	assert_int_equal(mount_img(img, &m, 0), 0);
	struct linux_statfs before, after;
	assert_int_equal(sys_statfs(m.path, &before), 0);
	assert_int_equal(before.f_type, 0xEF53);
	assert_int_equal(before.f_bsize, 1024);
	uint8_t *chunk = pattern(65536, 5);
	long total = 0, r = 0;
	snprintf(p, sizeof(p), "%s/filler", m.path);
	long fd = sys_open(p, O_CREAT | O_WRONLY, 0644);
	while ((r = sys_write((int)fd, chunk, 65536)) > 0)
		total += r;
	assert_int_equal(r, -ENOSPC);
	assert_true(total > 3 << 20);
	sys_close((int)fd);
	/* small files until the inodes or blocks run out */
	int made = 0;
	for (;; made++) {
		snprintf(p, sizeof(p), "%s/f%d", m.path, made);
		fd = sys_open(p, O_CREAT | O_WRONLY, 0644);
		if (fd < 0) {
			assert_int_equal(fd, -ENOSPC);
			break;
		}
		sys_close((int)fd);
	}
	for (int i = 0; i < made; i++) {
		snprintf(p, sizeof(p), "%s/f%d", m.path, i);
		assert_int_equal(sys_unlink(p), 0);
	}
	snprintf(p, sizeof(p), "%s/filler", m.path);
	assert_int_equal(sys_unlink(p), 0);
	assert_int_equal(sys_statfs(m.path, &after), 0);
	assert_int_equal(after.f_bfree, before.f_bfree);
	assert_int_equal(after.f_ffree, before.f_ffree);
	assert_int_equal(umount_img(&m), 0);
	assert_int_equal(fsck_clean(img), 0);
	free(chunk);
}

/* Feature checks and the clean/mount-count bookkeeping. */
static void test_features_and_state(void **state)
{
	(void)state;
	char img[256], p[256];
	snprintf(img, sizeof(img), "%s/feat.img", tmpdir);
	make_image(img, 4096, 256, 8192, NULL);
	/* an unknown incompatible feature refuses the mount */
	assert_int_equal(sh("debugfs -w -R 'feature extent' %s >/dev/null 2>&1", img), 0);
	struct mnt m;
	assert_int_equal(mount_img(img, &m, 0), -EINVAL);
	assert_int_equal(sh("debugfs -w -R 'feature -extent' %s >/dev/null 2>&1", img), 0);
	/* an unknown read-only-compatible one mounts read-only */
	assert_int_equal(sh("debugfs -w -R 'feature dir_nlink' %s >/dev/null 2>&1", img), 0);
	assert_int_equal(mount_img(img, &m, 0), 0);
	assert_true(m.sb->flags & MS_RDONLY);
	snprintf(p, sizeof(p), "%s/x", m.path);
	assert_true(sys_open(p, O_CREAT | O_WRONLY, 0644) < 0);
	assert_int_equal(umount_img(&m), 0);
	assert_int_equal(sh("debugfs -w -R 'feature -dir_nlink' %s >/dev/null 2>&1", img), 0);
	/* a read-write mount counts itself and is "not clean" until unmounted */
	assert_int_equal(sh("dumpe2fs -h %s 2>/dev/null | grep -q 'Mount count: *0'", img), 0);
	assert_int_equal(mount_img(img, &m, 0), 0);
	assert_false(m.sb->flags & MS_RDONLY);
	assert_int_equal(m.sb->ops->sync(m.sb), 0);
	assert_int_equal(sh("dumpe2fs -h %s 2>/dev/null | grep -q 'state: *not clean'", img), 0);
	assert_int_equal(sh("dumpe2fs -h %s 2>/dev/null | grep -q 'Mount count: *1'", img), 0);
	assert_int_equal(umount_img(&m), 0);
	assert_int_equal(sh("dumpe2fs -h %s 2>/dev/null | grep -q 'state: *clean'", img), 0);
	/* remount read-only and back */
	assert_int_equal(mount_img(img, &m, 0), 0);
	assert_int_equal(ext2_fs_type.remount(m.sb, MS_RDONLY, NULL), 0);
	assert_int_equal(sh("dumpe2fs -h %s 2>/dev/null | grep -q 'state: *clean'", img), 0);
	assert_int_equal(ext2_fs_type.remount(m.sb, 0, NULL), 0);
	snprintf(p, sizeof(p), "%s/y", m.path);
	put_file(p, "y", 1);
	assert_int_equal(umount_img(&m), 0);
	assert_int_equal(fsck_clean(img), 0);
	/* a mount that was never unmounted is reported and still works */
	assert_int_equal(mount_img(img, &m, 0), 0);
	assert_int_equal(m.sb->ops->sync(m.sb), 0);
	struct mnt m2;
	assert_int_equal(mount_img(img, &m2, MS_RDONLY), 0); /* the "reboot" */
	assert_int_equal(EXT2_SB(m2.sb)->mount_state & EXT2_VALID_FS, 0);
	assert_int_equal(umount_img(&m2), 0);
	ext2_host_close(m.bd); /* m is abandoned, as after a power cut */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_4k),
		cmocka_unit_test(test_read_1k),
		cmocka_unit_test(test_write_4k),
		cmocka_unit_test(test_write_1k),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_features_and_state),
		cmocka_unit_test(test_corruption),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
