/*
 * tests/unit/test_ext2_corrupt.c - the driver over hundreds of damaged
 * images.
 *
 * A generator takes a small mke2fs -d image (1 KiB and 4 KiB blocks) and
 * damages one kind of structure per image with a seeded PRNG: superblock
 * fields, group descriptors, bitmaps, inodes, directory entries, indirect
 * blocks. For each image the driver mounts it (or refuses), walks the
 * whole tree reading every file and link, then writes (create, mkdir,
 * rename, unlink of a damaged file) and unmounts. Checked:
 *  - no crash: the test runs under AddressSanitizer/UBSan;
 *  - no hang: alarm() kills a test that takes more than 20 s on an image;
 *  - errors are only the expected kinds (EIO, EUCLEAN, EROFS, ...);
 *  - no spread: no block holding another file's data is ever written
 *    (except when the damage is in a block bitmap: like Linux, the
 *    allocator trusts a bitmap that says a block is free, so the test
 *    only checks that metadata is never handed out, which the driver
 *    refuses itself).
 */
#include "test_ext2.h"

char *strstr(const char *, const char *);
unsigned long strtoul(const char *, char **, int);

enum { K_SUPER, K_GDT, K_BITMAP, K_INODE, K_DIRENT, K_INDIRECT, NKINDS };
static const char *kind_name[] = { "superblock", "group descriptors", "bitmaps",
                                   "inodes", "directory entries", "indirect blocks" };

struct layout {
	unsigned bs;
	uint32_t block_bitmap, inode_bitmap, inode_table;
	uint32_t dirblk[4];          /* of / and /dir */
	uint32_t ind, dind;          /* of /b */
	uint32_t data[2048];         /* data blocks of /a and /b */
	unsigned ndata;
};

static uint64_t rng_state;
static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

/* The first number after `key` in the output file of a command. */
static uint32_t number_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	assert_non_null(p);
	return (uint32_t)strtoul(p + strlen(key), NULL, 10);
}

static char *run_capture(const char *cmd, const char *img)
{
	char out[256];
	snprintf(out, sizeof(out), "%s/capture", tmpdir);
	sh("%s %s > %s 2>/dev/null", cmd, img, out);
	return slurp(out, NULL);
}

/* Add the numbers of a debugfs "blocks" listing to l->data. */
static void add_blocks(struct layout *l, const char *text)
{
	for (const char *p = text; *p && l->ndata < ARRAY_SIZE(l->data);) {
		char *end;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p) {
			p++;
			continue;
		}
		l->data[l->ndata++] = (uint32_t)v;
		p = end;
	}
}

static void read_layout(const char *img, unsigned bs, struct layout *l)
{
	memset(l, 0, sizeof(*l));
	l->bs = bs;
	char *t = run_capture("dumpe2fs", img);
	l->block_bitmap = number_after(t, "Block bitmap at ");
	l->inode_bitmap = number_after(t, "Inode bitmap at ");
	l->inode_table = number_after(t, "Inode table at ");
	free(t);
	t = run_capture("debugfs -R 'blocks /'", img);
	l->dirblk[0] = (uint32_t)strtoul(t, NULL, 10);
	free(t);
	t = run_capture("debugfs -R 'blocks /dir'", img);
	char *end = t;
	for (int i = 1; i < 4; i++)
		l->dirblk[i] = (uint32_t)strtoul(end, &end, 10);
	free(t);
	t = run_capture("debugfs -R 'stat /b'", img);
	l->ind = number_after(t, "(IND):");
	l->dind = strstr(t, "(DIND):") ? number_after(t, "(DIND):") : l->ind;
	free(t);
	t = run_capture("debugfs -R 'blocks /a'", img);
	add_blocks(l, t);
	free(t);
	t = run_capture("debugfs -R 'blocks /b'", img);
	add_blocks(l, t);
	free(t);
	assert_true(l->ndata > 50);
}

static void poke(uint8_t *img, uint64_t off, uint8_t v)
{
	img[off] = v;
}

/* Damage one kind of structure. */
static void damage(uint8_t *img, const struct layout *l, int kind)
{
	uint64_t bs = l->bs;
	int n = 1 + (int)(rnd() % 4);
	static const unsigned sb_fields[] = { 0, 4, 12, 16, 20, 24, 32, 40, 56, 58,
	                                      76, 84, 88, 96, 100, 206 };
	for (int i = 0; i < n; i++) {
		switch (kind) {
		case K_SUPER: {
			unsigned f = sb_fields[rnd() % ARRAY_SIZE(sb_fields)] + rnd() % 4;
			poke(img, 1024 + f, (uint8_t)rnd());
			break;
		}
		case K_GDT:
			poke(img, (l->bs == 1024 ? 2 : 1) * bs + rnd() % 32, (uint8_t)rnd());
			break;
		case K_BITMAP: {
			uint32_t blk = rnd() & 1 ? l->block_bitmap : l->inode_bitmap;
			uint64_t bit = rnd() % 256; /* where the used ones are */
			img[blk * bs + bit / 8] ^= (uint8_t)(1u << (bit % 8));
			break;
		}
		case K_INODE: /* the first inodes: root, lost+found, seed files */
			poke(img, l->inode_table * bs + rnd() % (32 * 128), (uint8_t)rnd());
			break;
		case K_DIRENT: {
			uint32_t blk = l->dirblk[rnd() % 4];
			if (!blk)
				blk = l->dirblk[0];
			poke(img, blk * bs + rnd() % 256, (uint8_t)rnd());
			break;
		}
		case K_INDIRECT: {
			uint32_t blk = rnd() & 1 ? l->ind : l->dind;
			uint32_t v = rnd() % 3 ? rnd() % 8192 : rnd();
			memcpy(img + blk * bs + (rnd() % (bs / 4)) * 4, &v, 4);
			break;
		}
		}
	}
}

static bool allowed(long r)
{
	switch (r) {
	case -EIO: case -EUCLEAN: case -EROFS: case -ENOENT: case -ENOTDIR:
	case -EISDIR: case -ELOOP: case -ENOSPC: case -ENOTEMPTY: case -EEXIST:
	case -EFBIG: case -ENAMETOOLONG: case -EMLINK: case -EINVAL: case -ENXIO:
	case -ENODEV: case -EACCES:
		return true;
	default:
		return r >= 0;
	}
}

static int errors_seen;
#define CHECK(expr) do { long _r = (expr); if (_r < 0) errors_seen++; \
	if (!allowed(_r)) { printf("unexpected %ld from %s\n", _r, #expr); fail(); } } while (0)

/* Read everything below path (bounded: damaged directories can loop). */
static void walk(const char *path, int depth, int *budget)
{
	if (depth > 6 || --*budget < 0)
		return;
	long fd = sys_open(path, O_RDONLY | O_DIRECTORY, 0);
	CHECK(fd);
	if (fd < 0)
		return;
	char buf[2048], child[512];
	long r;
	while ((r = sys_getdents64((int)fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < r;) {
			uint16_t reclen;
			memcpy(&reclen, buf + off + 16, 2);
			const char *name = buf + off + 19;
			off += reclen;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, name);
			struct kstat st;
			long e = sys_lstat(child, &st);
			CHECK(e);
			if (e < 0)
				continue;
			if (S_ISDIR(st.mode)) {
				walk(child, depth + 1, budget);
			} else if (S_ISLNK(st.mode)) {
				char t[256];
				CHECK(sys_readlink(child, t, sizeof(t)));
			} else if (S_ISREG(st.mode)) {
				long f = sys_open(child, O_RDONLY, 0);
				CHECK(f);
				if (f < 0)
					continue;
				static char data[65536];
				long n, total = 0;
				while ((n = sys_read((int)f, data, sizeof(data))) > 0 &&
				       (total += n) < (8 << 20))
					;
				CHECK(n);
				sys_close((int)f);
			}
		}
	}
	CHECK(r);
	sys_close((int)fd);
}

static void workload(const char *m)
{
	char p[256], q[256];
	int budget = 2000;
	walk(m, 0, &budget);
	snprintf(p, sizeof(p), "%s/new", m);
	long fd = sys_open(p, O_CREAT | O_WRONLY, 0644);
	CHECK(fd);
	if (fd >= 0) {
		static char data[20000];
		memset(data, 'n', sizeof(data));
		CHECK(sys_write((int)fd, data, sizeof(data)));
		sys_close((int)fd);
	}
	snprintf(p, sizeof(p), "%s/newdir", m);
	CHECK(sys_mkdir(p, 0755));
	snprintf(q, sizeof(q), "%s/newdir/moved", m);
	snprintf(p, sizeof(p), "%s/new", m);
	CHECK(sys_rename(p, q));
	CHECK(sys_unlink(q));
	snprintf(p, sizeof(p), "%s/b", m);
	CHECK(sys_unlink(p));
	snprintf(p, sizeof(p), "%s/dir/f7", m);
	CHECK(sys_unlink(p));
	snprintf(p, sizeof(p), "%s/dir", m);
	CHECK(sys_rename(p, q));
}

static void on_alarm(int sig)
{
	(void)sig;
	printf("test_ext2: the driver hung on a damaged image\n");
	__builtin_trap();
}
typedef void (*sighandler_t)(int);
sighandler_t signal(int, sighandler_t);

static void corrupt_series(unsigned bs, unsigned isize, int count, int *stats)
{
	char base[256], img[256];
	snprintf(base, sizeof(base), "%s/cbase-%u.img", tmpdir, bs);
	snprintf(img, sizeof(img), "%s/cur.img", tmpdir);
	make_image(base, bs, isize, bs == 1024 ? 2048 : 8192, "cseed");
	struct layout l;
	read_layout(base, bs, &l);
	size_t size;
	uint8_t *pristine = (uint8_t *)slurp(base, &size);
	uint8_t *work = malloc(size);
	uint8_t *written = malloc(size / SECTOR_SIZE);
	for (int i = 0; i < count; i++) {
		int kind = i % NKINDS;
		rng_state = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1) + bs;
		memcpy(work, pristine, size);
		damage(work, &l, kind);
		int fd = open(img, 01 | 01000 | 0100 /* O_WRONLY|O_TRUNC|O_CREAT */, 0644);
		assert_int_equal(write(fd, work, size), (long)size);
		close(fd);
		memset(written, 0, size / SECTOR_SIZE);
		ext2_host_written = written;
		alarm(20);
		struct mnt m;
		int err = mount_img(img, &m, 0);
		if (err) {
			if (err != -EINVAL && err != -EUCLEAN && err != -EIO) {
				printf("image %d (%s): mount gave %d\n", i, kind_name[kind], err);
				fail();
			}
			stats[0]++;
		} else {
			errors_seen = 0;
			workload(m.path);
			bool ro = m.sb->flags & MS_RDONLY;
			umount_img(&m);
			stats[ro ? 1 : errors_seen ? 2 : 3]++;
		}
		alarm(0);
		ext2_host_written = NULL;
		if (kind == K_BITMAP)
			continue;
		for (unsigned k = 0; k < l.ndata; k++) {
			uint64_t s0 = (uint64_t)l.data[k] * (bs / SECTOR_SIZE);
			for (unsigned s = 0; s < bs / SECTOR_SIZE; s++)
				if (s0 + s < size / SECTOR_SIZE && written[s0 + s]) {
					printf("image %d (%s): data block %u of another file "
					       "was written\n", i, kind_name[kind], l.data[k]);
					fail();
				}
		}
	}
	free(pristine);
	free(work);
	free(written);
}

void test_corruption(void **state)
{
	(void)state;
	assert_int_equal(sh("set -e; cd %s; rm -rf cseed; mkdir -p cseed/dir; cd cseed;"
	                    "printf hello > a; head -c 400000 /dev/urandom > b;"
	                    "ln -s a fast; ln -s /%0100d slow; mkfifo fifo;"
	                    "for i in $(seq 1 60); do echo $i > dir/f$i; done",
	                    tmpdir, 0), 0);
	signal(14 /* SIGALRM */, on_alarm);
	int stats[4] = { 0 };
	corrupt_series(1024, 128, 360, stats);
	corrupt_series(4096, 256, 240, stats);
	printf("test_ext2: 600 damaged images: %d refused, %d went read-only, "
	       "%d mounted with errors reported, %d read without complaint\n",
	       stats[0], stats[1], stats[2], stats[3]);
}
