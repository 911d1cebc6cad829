/*
 * tests/unit/test_fat.c - the FAT driver (kernel/fs/fat/) on the host,
 * through the VFS system calls, over images that mkfs.fat and mtools
 * made; and the other way round: what RayOS wrote is read back with
 * mtools (mdir/mtype/mcopy) and checked with fsck.fat -n after every
 * write workload.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fat_test.h"

int snprintf(char *, size_t, const char *, ...);
char *strstr(const char *, const char *);
#define MT "MTOOLS_SKIP_CHECK=1 "

static int setup(void **state)
{
	(void)state;
	fatt_setup();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hio_cleanup();
	return 0;
}

/* A host tree with the names and sizes the driver must cope with. */
static const char *make_tree(void)
{
	const char *t = fatt_path("tree");
	assert_int_equal(hio_run(
		"rm -rf '%1$s' && mkdir -p '%1$s/sub/deeper' '%1$s/many' && cd '%1$s' && "
		"printf 'hello\\n' > hello.txt && printf 'up\\n' > UPPER.TXT && "
		"printf 'low' > lower.txt && printf 'mixed' > MiXeD.Txt && "
		"head -c 70000 /dev/urandom > 'Long File Name With Spaces.data' && "
		"head -c 5000 /dev/urandom > 'sub/deeper/nested file.bin' && "
		"printf 'x' > 'ünïcödé ☃.txt' && : > empty && "
		"printf 'dots' > 'a.b.c.d' && "
		"for i in $(seq 1 45); do printf \"$i\" > \"many/file number $i of many.txt\"; done",
		t), 0);
	return t;
}

static void populate(const char *img, const char *tree)
{
	assert_int_equal(hio_run("cd '%s' && " MT "mcopy -s -i '%s' * ::/", tree, img), 0);
}

/* Compare every file under host dir `tree` with the same path under mnt. */
static void compare_tree(const char *tree, const char *mnt)
{
	size_t n;
	char *list = hio_capture(&n, "cd '%s' && find . -mindepth 1 | cut -c3-", tree);
	assert_non_null(list);
	for (char *line = list, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = 0;
		char hp[1024], rp[1024];
		snprintf(hp, sizeof(hp), "%s/%s", tree, line);
		snprintf(rp, sizeof(rp), "%s/%s", mnt, line);
		size_t hl, rl;
		long err;
		char *hd = hio_read_file(hp, &hl);
		if (!hd) { /* a directory: listings must agree */
			char *want = hio_capture(NULL, "ls -A '%s' | LC_ALL=C sort", hp);
			char *got = fatt_list(rp);
			assert_non_null(got);
			assert_string_equal(got, want);
			hio_free(want);
			hio_free(got);
			continue;
		}
		char *rd = fatt_read(rp, &rl, &err);
		if (!rd)
			fail_msg("%s: error %ld", rp, err);
		assert_int_equal(rl, hl);
		assert_memory_equal(rd, hd, hl);
		hio_free(hd);
		hio_free(rd);
	}
	char *want = hio_capture(NULL, "ls -A '%s' | LC_ALL=C sort", tree);
	char *got = fatt_list(mnt);
	assert_string_equal(got, want);
	hio_free(want);
	hio_free(got);
	hio_free(list);
}

static void read_image(const char *opts, unsigned kib, const char *mnt)
{
	const char *tree = make_tree();
	const char *img = fatt_mkfs("read.img", opts, kib);
	assert_non_null(img);
	populate(img, tree);
	struct fatt_mount m = fatt_mount(img, mnt, 0, NULL);
	assert_int_equal(m.err, 0);
	compare_tree(tree, mnt);
	fatt_umount(&m);
	assert_int_equal(fatt_fsck(img), 0);
}

static void test_read_fat12(void **s) { (void)s; read_image("-F 12", 2048, "/r12"); }
static void test_read_fat16(void **s) { (void)s; read_image("-F 16", 20000, "/r16"); }
static void test_read_fat32(void **s) { (void)s; read_image("-F 32", 40000, "/r32"); }
static void test_read_fat32_4k(void **s) { (void)s; read_image("-F 32 -S 4096 -s 1", 300000, "/r32k"); }

/* A write workload through the system calls; the mount is at mnt. */
static void workload(const char *mnt)
{
	char p[256], q[256];
	static char big[300000];
	fatt_pattern(big, sizeof(big), 7);
#define P(...) (snprintf(p, sizeof(p), __VA_ARGS__), p)
#define Q(...) (snprintf(q, sizeof(q), __VA_ARGS__), q)
	assert_int_equal(sys_mkdir(P("%s/dir1", mnt), 0755), 0);
	assert_int_equal(sys_mkdir(P("%s/dir1/sub", mnt), 0755), 0);
	assert_int_equal(sys_mkdir(P("%s/A Long Directory Name", mnt), 0755), 0);
	assert_int_equal(sys_mkdir(P("%s/dir1", mnt), 0755), -EEXIST);
	assert_int_equal(sys_mkdir(P("%s/DIR1", mnt), 0755), -EEXIST); /* case */
	assert_int_equal(fatt_write(P("%s/hello.txt", mnt), "hello\n", 6, O_TRUNC), 0);
	assert_int_equal(fatt_write(P("%s/hello.txt", mnt), "again\n", 6, O_APPEND), 0);
	assert_int_equal(fatt_write(P("%s/UPPER.TXT", mnt), "U", 1, 0), 0);
	assert_int_equal(fatt_write(P("%s/lower.txt", mnt), "l", 1, 0), 0);
	assert_int_equal(fatt_write(P("%s/Mixed Case Name.Text", mnt), "m", 1, 0), 0);
	assert_int_equal(fatt_write(P("%s/ünï ☃.txt", mnt), "u", 1, 0), 0);
	assert_int_equal(fatt_write(P("%s/big.bin", mnt), big, sizeof(big), 0), 0);
	/* truncate down, then up: the gap reads as zeros */
	assert_int_equal(sys_truncate(P("%s/big.bin", mnt), 100000), 0);
	assert_int_equal(sys_truncate(P("%s/big.bin", mnt), 150000), 0);
	/* write past the end: the gap is zeros too */
	long fd = sys_open(P("%s/gap.bin", mnt), O_CREAT | O_RDWR, 0644);
	assert_true(fd >= 0);
	assert_int_equal(sys_lseek((int)fd, 10000, SEEK_SET), 10000);
	assert_int_equal(sys_write((int)fd, "end", 3), 3);
	assert_int_equal(sys_ftruncate((int)fd, 0), 0);
	assert_int_equal(sys_write((int)fd, "X", 1), 1); /* at offset 10003 */
	assert_int_equal(sys_close((int)fd), 0);
	/* renames: move across directories, replace, directory move */
	assert_int_equal(sys_rename(P("%s/hello.txt", mnt), Q("%s/dir1/hello moved.txt", mnt)), 0);
	assert_int_equal(fatt_write(P("%s/victim.txt", mnt), "victim", 6, 0), 0);
	assert_int_equal(fatt_write(P("%s/src.txt", mnt), "source", 6, 0), 0);
	assert_int_equal(sys_rename(P("%s/src.txt", mnt), Q("%s/victim.txt", mnt)), 0);
	assert_int_equal(sys_rename(P("%s/A Long Directory Name", mnt), Q("%s/dir1/moved dir", mnt)), 0);
	assert_int_equal(fatt_write(P("%s/dir1/moved dir/inside", mnt), "in", 2, 0), 0);
	/* directories: rmdir of a non-empty one fails, an empty one goes */
	assert_int_equal(sys_rmdir(P("%s/dir1/moved dir", mnt)), -ENOTEMPTY);
	assert_int_equal(sys_mkdir(P("%s/gone", mnt), 0755), 0);
	assert_int_equal(sys_rmdir(P("%s/gone", mnt)), 0);
	/* many long names: ~N aliases, directory growth, deletions */
	for (int i = 0; i < 80; i++)
		assert_int_equal(fatt_write(P("%s/dir1/sub/long file name number %d.txt", mnt, i),
		                            p, strlen(p), 0), 0);
	for (int i = 0; i < 80; i += 2)
		assert_int_equal(sys_unlink(P("%s/dir1/sub/long file name number %d.txt", mnt, i)), 0);
	/* POSIX things FAT cannot do */
	assert_int_equal(sys_link(P("%s/UPPER.TXT", mnt), Q("%s/link", mnt)), -EPERM);
	assert_int_equal(sys_symlink("UPPER.TXT", P("%s/sym", mnt)), -EPERM);
	assert_int_equal(sys_mknod(P("%s/fifo", mnt), S_IFIFO | 0644, 0), -EPERM);
	assert_int_equal(sys_unlink(P("%s/dir1", mnt)), -EISDIR);
	assert_int_equal(sys_rmdir(P("%s/lower.txt", mnt)), -ENOTDIR);
}

/* What the workload leaves, as `find` lists it. */
static void check_workload(const char *mnt)
{
	size_t len;
	long err;
	char p[256];
	char *d = fatt_read(P("%s/dir1/hello moved.txt", mnt), &len, &err);
	assert_non_null(d);
	assert_string_equal(d, "hello\nagain\n");
	hio_free(d);
	d = fatt_read(P("%s/victim.txt", mnt), &len, &err);
	assert_string_equal(d, "source");
	hio_free(d);
	d = fatt_read(P("%s/big.bin", mnt), &len, &err);
	assert_int_equal(len, 150000);
	static char big[300000], zero[50000];
	fatt_pattern(big, sizeof(big), 7);
	assert_memory_equal(d, big, 100000);
	assert_memory_equal(d + 100000, zero, 50000);
	hio_free(d);
	d = fatt_read(P("%s/gap.bin", mnt), &len, &err);
	assert_int_equal(len, 10004);
	assert_memory_equal(d, zero, 10003);
	assert_int_equal(d[10003], 'X');
	hio_free(d);
	char *l = fatt_list(mnt);
	assert_string_equal(l, "Mixed Case Name.Text\nUPPER.TXT\nbig.bin\ndir1\ngap.bin\n"
	                       "lower.txt\nvictim.txt\nünï ☃.txt\n");
	hio_free(l);
	l = fatt_list(P("%s/dir1/sub", mnt));
	int count = 0;
	for (char *c = l; *c; c++)
		count += *c == '\n';
	assert_int_equal(count, 40);
	assert_non_null(strstr(l, "long file name number 79.txt\n"));
	assert_null(strstr(l, "long file name number 78.txt\n"));
	hio_free(l);
}

static void write_image(const char *opts, unsigned kib, const char *mnt)
{
	const char *img = fatt_mkfs("write.img", opts, kib);
	assert_non_null(img);
	struct fatt_mount m = fatt_mount(img, mnt, 0, NULL);
	assert_int_equal(m.err, 0);
	workload(mnt);
	check_workload(mnt);
	fatt_umount(&m);
	assert_int_equal(fatt_fsck(img), 0);
	/* mtools reads what RayOS wrote */
	char *out = hio_capture(NULL, MT "mtype -i '%s' '::/dir1/hello moved.txt'", img);
	assert_string_equal(out, "hello\nagain\n");
	hio_free(out);
	out = hio_capture(NULL, MT "mtype -i '%s' '::/dir1/moved dir/inside'", img);
	assert_string_equal(out, "in");
	hio_free(out);
	out = hio_capture(NULL, MT "mdir -b -i '%s' ::/ | LC_ALL=C sort", img);
	assert_string_equal(out, "::/Mixed Case Name.Text\n::/UPPER.TXT\n::/big.bin\n"
	                         "::/dir1/\n::/gap.bin\n::/lower.txt\n::/victim.txt\n"
	                         "::/ünï ☃.txt\n");
	hio_free(out);
	/* short names: unique, the 8.3 ones kept */
	out = hio_capture(NULL, MT "mdir -i '%s' ::/dir1/sub | grep -c '~'", img);
	assert_string_equal(out, "40\n");
	hio_free(out);
	/* and RayOS again, after a fresh mount */
	m = fatt_mount(img, mnt, 0, NULL);
	assert_int_equal(m.err, 0);
	check_workload(mnt);
	fatt_umount(&m);
}

static void test_write_fat32(void **s) { (void)s; write_image("-F 32", 40000, "/w32"); }
static void test_write_fat16(void **s) { (void)s; write_image("-F 16", 20000, "/w16"); }
static void test_write_fat12(void **s) { (void)s; write_image("-F 12", 2048, "/w12"); }
static void test_write_fat32_big_clusters(void **s)
{
	(void)s;
	write_image("-F 32 -s 8", 300000, "/w32c");
}

static void test_enospc(void **s)
{
	(void)s;
	const char *img = fatt_mkfs("full.img", "-F 32", 34000);
	struct fatt_mount m = fatt_mount(img, "/full", 0, NULL);
	assert_int_equal(m.err, 0);
	struct kstatfs_user st0, st;
	assert_int_equal(sys_statfs("/full", &st0), 0);
	assert_int_equal(st0.type, 0x4d44);
	static char chunk[65536];
	fatt_pattern(chunk, sizeof(chunk), 3);
	long fd = sys_open("/full/filler", O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	long total = 0, k;
	while ((k = sys_write((int)fd, chunk, sizeof(chunk))) > 0)
		total += k;
	assert_int_equal(k, -ENOSPC);
	sys_close((int)fd);
	assert_int_equal(sys_statfs("/full", &st), 0);
	assert_int_equal(st.bfree, 0);
	assert_int_equal(total, (long)(st0.bfree * st0.bsize));
	assert_int_equal(fatt_write("/full/more", "x", 1, 0), -ENOSPC);
	fatt_umount(&m);
	assert_int_equal(fatt_fsck(img), 0);
	m = fatt_mount(img, "/full", 0, NULL);
	assert_int_equal(sys_unlink("/full/filler"), 0);
	sys_unlink("/full/more");
	assert_int_equal(sys_statfs("/full", &st), 0);
	assert_int_equal(st.bfree, st0.bfree);
	assert_int_equal(fatt_write("/full/more", "x", 1, 0), 0);
	fatt_umount(&m);
	assert_int_equal(fatt_fsck(img), 0);
}

static void test_options_modes(void **s)
{
	(void)s;
	const char *img = fatt_mkfs("opts.img", "-F 32", 34000);
	struct fatt_mount m = fatt_mount(img, "/opts", 0, "uid=1000,gid=100,fmask=0133,dmask=0022");
	assert_int_equal(m.err, 0);
	assert_int_equal(fatt_write("/opts/f", "x", 1, 0), 0);
	assert_int_equal(sys_mkdir("/opts/d", 0700), 0);
	struct kstat st;
	assert_int_equal(sys_stat("/opts/f", &st), 0);
	assert_int_equal(st.mode, S_IFREG | 0644);
	assert_int_equal(st.uid, 1000);
	assert_int_equal(st.gid, 100);
	assert_int_equal(sys_stat("/opts/d", &st), 0);
	assert_int_equal(st.mode, S_IFDIR | 0755);
	/* chmod a-w sets the read-only attribute; other changes are EPERM */
	assert_int_equal(sys_chmod("/opts/f", 0444), 0);
	assert_int_equal(sys_stat("/opts/f", &st), 0);
	assert_int_equal(st.mode, S_IFREG | 0444);
	assert_int_equal(sys_chmod("/opts/f", 0755), -EPERM);
	assert_int_equal(sys_chown("/opts/f", 0, 0), -EPERM);
	fatt_umount(&m);
	char *out = hio_capture(NULL, MT "mattrib -i '%s' ::/f", img);
	assert_non_null(strstr(out, "R"));
	hio_free(out);
	assert_int_equal(hio_run("mkdir -p '%1$s.d' && " MT "mcopy -i '%2$s' ::/f '%1$s.d/f' && "
	                         "test ! -w '%1$s.d/f' || test $(id -u) = 0", img, img), 0);
	/* the attribute survives a remount */
	m = fatt_mount(img, "/opts", 0, "umask=022");
	assert_int_equal(sys_stat("/opts/f", &st), 0);
	assert_int_equal(st.mode, S_IFREG | 0555);
	assert_int_equal(sys_chmod("/opts/f", 0755), 0);
	fatt_umount(&m);
	/* unknown options are refused */
	m = fatt_mount(img, NULL, 0, "uid=0,bogus");
	assert_int_equal(m.err, -EINVAL);
	assert_int_equal(fatt_fsck(img), 0);
}

static void test_inode_numbers_and_times(void **s)
{
	(void)s;
	const char *img = fatt_mkfs("ino.img", "-F 32", 34000);
	struct fatt_mount m = fatt_mount(img, "/ino", 0, NULL);
	assert_int_equal(fatt_write("/ino/a file", "a", 1, 0), 0);
	assert_int_equal(sys_mkdir("/ino/d", 0755), 0);
	struct kstat st1, st2, st3;
	assert_int_equal(sys_stat("/ino/a file", &st1), 0);
	assert_int_equal(sys_stat("/ino/A FILE", &st2), 0); /* case-insensitive */
	assert_int_equal(st1.ino, st2.ino);
	assert_int_equal(sys_rename("/ino/a file", "/ino/d/renamed"), 0);
	assert_int_equal(sys_stat("/ino/d/renamed", &st3), 0);
	assert_int_equal(st3.ino, st1.ino);
	struct kstat root;
	assert_int_equal(sys_stat("/ino", &root), 0);
	assert_int_equal(root.ino, 1);
	assert_true(S_ISDIR(root.mode));
	/* times: FAT keeps 2-second steps, in UTC */
	struct linux_timespec ts[2] = { { 981173106, 0 }, { 981173106, 0 } }; /* 2001-02-03 04:05:06 */
	assert_int_equal(sys_utimensat(AT_FDCWD, "/ino/d/renamed", ts, 0), 0);
	fatt_umount(&m);
	char *out = hio_capture(NULL, MT "mdir -i '%s' ::/d | grep -i renamed", img);
	assert_non_null(strstr(out, "2001-02-03"));
	assert_non_null(strstr(out, " 4:05"));
	hio_free(out);
	m = fatt_mount(img, "/ino", 0, NULL);
	assert_int_equal(sys_stat("/ino/d/renamed", &st1), 0);
	assert_int_equal(st1.mtime, 981173106);
	assert_int_equal(st1.atime / 86400, 981173106 / 86400);
	/* a file unlinked while open keeps its data until closed */
	assert_int_equal(fatt_write("/ino/open", "still here", 10, 0), 0);
	long fd = sys_open("/ino/open", O_RDONLY, 0);
	assert_int_equal(sys_unlink("/ino/open"), 0);
	char buf[16] = { 0 };
	assert_int_equal(sys_read((int)fd, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "still here");
	sys_close((int)fd);
	fatt_umount(&m);
	assert_int_equal(fatt_fsck(img), 0);
}

static void test_names(void **s)
{
	(void)s;
	const char *img = fatt_mkfs("names.img", "-F 32", 34000);
	struct fatt_mount m = fatt_mount(img, "/nm", 0, NULL);
	assert_int_equal(m.err, 0);
	/* what vfat refuses */
	const char *bad[] = { "a*b", "q?", "lt<", "gt>", "p|q", "quo\"te", "co:lon",
	                      "back\\slash", "ctl\x01", "trailing space " };
	char p[600];
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(p, sizeof(p), "/nm/%s", bad[i]);
		assert_int_equal(fatt_write(p, "x", 1, 0), -EINVAL);
	}
	/* trailing dots are dropped, as Linux does */
	assert_int_equal(fatt_write("/nm/dots...", "d", 1, 0), 0);
	char *l = fatt_list("/nm");
	assert_string_equal(l, "dots\n");
	hio_free(l);
	/* 255 characters fit, 256 do not; an ASCII-case twin is the same file */
	memset(p, 0, sizeof(p));
	memcpy(p, "/nm/", 4);
	memset(p + 4, 'n', 255);
	assert_int_equal(fatt_write(p, "long", 4, 0), 0);
	p[4] = 'N';
	size_t len;
	long err;
	char *d = fatt_read(p, &len, &err);
	assert_non_null(d);
	assert_string_equal(d, "long");
	hio_free(d);
	p[4 + 255] = 'n';
	assert_true(fatt_write(p, "x", 1, 0) == -ENAMETOOLONG);
	/* the short alias finds the file too */
	assert_int_equal(fatt_write("/nm/Some Long Name.text", "alias", 5, 0), 0);
	d = fatt_read("/nm/SOMELO~1.TEX", &len, &err);
	assert_non_null(d);
	assert_string_equal(d, "alias");
	hio_free(d);
	/* a name that is a plain 8.3 name in capitals gets no long entry */
	assert_int_equal(fatt_write("/nm/PLAIN.TXT", "p", 1, 0), 0);
	/* readdir positions survive deletions in the middle of a listing */
	assert_int_equal(sys_mkdir("/nm/it", 0755), 0);
	for (int i = 0; i < 50; i++) {
		snprintf(p, sizeof(p), "/nm/it/entry with a long name %02d", i);
		assert_int_equal(fatt_write(p, "", 0, 0), 0);
	}
	long fd = sys_open("/nm/it", O_RDONLY | O_DIRECTORY, 0);
	char dents[1024];
	int seen = 0;
	long n = sys_getdents64((int)fd, dents, sizeof(dents));
	assert_true(n > 0);
	for (long off = 0; off < n; off += *(uint16_t *)(dents + off + 16))
		seen++;
	for (int i = 0; i < 50; i += 2) {
		snprintf(p, sizeof(p), "/nm/it/entry with a long name %02d", i);
		assert_int_equal(sys_unlink(p), 0);
	}
	while ((n = sys_getdents64((int)fd, dents, sizeof(dents))) > 0)
		for (long off = 0; off < n; off += *(uint16_t *)(dents + off + 16))
			seen++;
	sys_close((int)fd);
	assert_true(seen >= 2 + 25 && seen <= 2 + 50);
	fatt_umount(&m);
	assert_int_equal(fatt_fsck(img), 0);
	char *out = hio_capture(NULL, MT "mdir -i '%s' ::/ | grep -c PLAIN", img);
	assert_string_equal(out, "1\n");
	hio_free(out);
	out = hio_capture(NULL, MT "mdir -i '%s' ::/ | grep PLAIN", img);
	assert_null(strstr(out, "plain")); /* no long name next to it */
	hio_free(out);
}

/* 2,000 files in one directory and a 32 MiB file: aliases stay unique,
 * allocation stays contiguous, and it is fast enough to be usable. */
static void test_big(void **s)
{
	(void)s;
	const char *img = fatt_mkfs("big.img", "-F 32", 200000);
	struct fatt_mount m = fatt_mount(img, "/big", 0, NULL);
	assert_int_equal(m.err, 0);
	assert_int_equal(sys_mkdir("/big/dir", 0755), 0);
	char p[128];
	for (int i = 0; i < 2000; i++) {
		snprintf(p, sizeof(p), "/big/dir/a rather long file name %04d.txt", i);
		assert_int_equal(fatt_write(p, p, 8, 0), 0);
	}
	char *l = fatt_list("/big/dir");
	int count = 0;
	for (char *c = l; *c; c++)
		count += *c == '\n';
	assert_int_equal(count, 2000);
	hio_free(l);
	static char chunk[65536];
	long fd = sys_open("/big/file", O_CREAT | O_WRONLY, 0644);
	for (int i = 0; i < 512; i++) {
		fatt_pattern(chunk, sizeof(chunk), (unsigned)i);
		assert_int_equal(sys_write((int)fd, chunk, sizeof(chunk)), sizeof(chunk));
	}
	assert_int_equal(sys_fsync((int)fd), 0);
	sys_close((int)fd);
	for (int i = 0; i < 2000; i += 3) {
		snprintf(p, sizeof(p), "/big/dir/a rather long file name %04d.txt", i);
		assert_int_equal(sys_unlink(p), 0);
	}
	fatt_umount(&m);
	assert_int_equal(fatt_fsck(img), 0);
	/* contiguous: fsck.fat -v does not list fragments, so count them from
	 * the FAT through mtools' view: one extent for the 32 MiB file */
	char *out = hio_capture(NULL, MT "mshowfat -i '%s' ::/file", img);
	assert_non_null(strstr(out, "<"));
	assert_null(strchr(strchr(out, '<') + 1, ','));
	hio_free(out);
	m = fatt_mount(img, "/big", MS_RDONLY, NULL);
	fd = sys_open("/big/file", O_RDONLY, 0);
	static char got[65536];
	for (int i = 0; i < 512; i++) {
		fatt_pattern(chunk, sizeof(chunk), (unsigned)i);
		assert_int_equal(sys_read((int)fd, got, sizeof(got)), sizeof(got));
		assert_memory_equal(got, chunk, sizeof(chunk));
	}
	sys_close((int)fd);
	/* read-only: writes are refused and nothing changes on disk */
	assert_int_equal(fatt_write("/big/new", "x", 1, 0), -EROFS);
	fatt_umount(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_fat12),
		cmocka_unit_test(test_read_fat16),
		cmocka_unit_test(test_read_fat32),
		cmocka_unit_test(test_read_fat32_4k),
		cmocka_unit_test(test_write_fat32),
		cmocka_unit_test(test_write_fat16),
		cmocka_unit_test(test_write_fat12),
		cmocka_unit_test(test_write_fat32_big_clusters),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_options_modes),
		cmocka_unit_test(test_inode_numbers_and_times),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_big),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
