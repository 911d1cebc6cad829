/*
 * tests/unit/test_fat_corrupt.c - the FAT driver over hundreds of damaged
 * images, under AddressSanitizer and UBSan.
 *
 * Base images (FAT32, FAT16, FAT12) are made with mkfs.fat and filled
 * with mcopy (the same bytes every run, so a seed always gives the same
 * image): nested directories, long names, multi-cluster files. A
 * seeded generator then damages a copy in one to three places:
 *   - boot sector fields (sizes, counts, root cluster, FSInfo sector),
 *   - FAT entries of used chains (loops, out of range, bad, free in the
 *     middle, cross-links into another chain, early end),
 *   - short directory entries (first cluster, size, attributes, names,
 *     "." and ".."), long-name entries (checksum, sequence numbers,
 *     attribute, characters), FSInfo.
 * The driver must then refuse the mount or mount read-only with a
 * message, or mount it and surface the damage as errors on the files
 * concerned: never crash, never hang (an alarm guards every image), and
 * never spread the damage:
 *   - a refused or read-only mount writes nothing at all;
 *   - files RayOS did not write to read the same before and after it
 *     wrote to others;
 *   - if fsck.fat -n found the damaged image clean (damage it does not
 *     see, e.g. in unused bytes), it must still be clean after RayOS has
 *     written to it.
 * The images live in memory (a block device over a buffer that records
 * written sectors); a file copy is kept in step for fsck.fat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fat_test.h"
#include "bcache.h"

int snprintf(char *, size_t, const char *, ...);
char *strcat(char *, const char *);
char *getenv(const char *);
unsigned alarm(unsigned);
typedef void (*sighandler_t)(int);
sighandler_t signal(int, sighandler_t);
void _exit(int);
int printf(const char *, ...);
int open(const char *, int, ...);
int close(int);
ssize_t pwrite(int, const void *, size_t, off_t);
#define SIGALRM 14
#define MT "MTOOLS_SKIP_CHECK=1 "

/* ---- an in-memory block device that remembers what was written ---- */

struct memdisk {
	struct blockdev bd;
	uint8_t *data, *base;
	uint8_t *touched;        /* sector differs (maybe) from base */
	size_t sectors;
	unsigned long writes;
	int fd;                  /* the file copy for fsck.fat */
	const char *path;
};

static int md_read(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf)
{
	struct memdisk *d = bd->priv;
	memcpy(buf, d->data + lba * SECTOR_SIZE, (size_t)n * SECTOR_SIZE);
	return 0;
}

static int md_write(struct blockdev *bd, uint64_t lba, uint32_t n, const void *buf)
{
	struct memdisk *d = bd->priv;
	memcpy(d->data + lba * SECTOR_SIZE, buf, (size_t)n * SECTOR_SIZE);
	for (uint32_t i = 0; i < n; i++)
		d->touched[lba + i] = 1;
	d->writes++;
	return 0;
}

static int md_flush(struct blockdev *bd) { (void)bd; return 0; }
static const struct blockdev_ops md_ops = { md_read, md_write, md_flush };

/* Bring the file copy in step with data for every touched sector. */
static void md_sync_file(struct memdisk *d)
{
	for (size_t s = 0; s < d->sectors; s++)
		if (d->touched[s])
			assert_int_equal(pwrite(d->fd, d->data + s * SECTOR_SIZE, SECTOR_SIZE,
			                        (off_t)(s * SECTOR_SIZE)), SECTOR_SIZE);
}

/* Back to the base image (memory and file). */
static void md_reset(struct memdisk *d)
{
	for (size_t s = 0; s < d->sectors; s++) {
		if (!d->touched[s])
			continue;
		memcpy(d->data + s * SECTOR_SIZE, d->base + s * SECTOR_SIZE, SECTOR_SIZE);
		assert_int_equal(pwrite(d->fd, d->data + s * SECTOR_SIZE, SECTOR_SIZE,
		                        (off_t)(s * SECTOR_SIZE)), SECTOR_SIZE);
		d->touched[s] = 0;
	}
	d->writes = 0;
}

/* Damage: set bytes at off, marking their sectors. */
static void poke(struct memdisk *d, uint64_t off, const void *v, size_t n)
{
	if (off + n > d->sectors * SECTOR_SIZE)
		return;
	memcpy(d->data + off, v, n);
	for (uint64_t s = off / SECTOR_SIZE; s <= (off + n - 1) / SECTOR_SIZE; s++)
		d->touched[s] = 1;
}

static void poke32(struct memdisk *d, uint64_t off, uint32_t v) { poke(d, off, &v, 4); }
static void poke16(struct memdisk *d, uint64_t off, uint16_t v) { poke(d, off, &v, 2); }
static void poke8(struct memdisk *d, uint64_t off, uint8_t v) { poke(d, off, &v, 1); }

/* ---- a small independent reader of the base image, to aim the damage ---- */

struct layout {
	unsigned bits, secsize, spc, nfats, fatsz, reserved, root_ent;
	uint32_t root_cl, nclusters, fsinfo;
	uint64_t data_off, root_off, fat_off;
	uint64_t slots[4096];    /* byte offsets of directory entries in use */
	unsigned nslots;
	uint32_t used[8192];     /* clusters in use by files and directories */
	unsigned nused;
	uint64_t files[1024];    /* short entries of regular files */
	unsigned nfiles;
	uint64_t hello;          /* the short entry of hello.txt */
};

static uint32_t rd16(const uint8_t *p) { return p[0] | p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | rd16(p + 2) << 16; }

static uint32_t fat_entry(const struct layout *L, const uint8_t *img, uint32_t cl)
{
	const uint8_t *f = img + L->fat_off;
	if (L->bits == 32)
		return rd32(f + cl * 4) & 0x0fffffff;
	if (L->bits == 16)
		return rd16(f + cl * 2);
	uint32_t v = rd16(f + cl + cl / 2);
	return cl & 1 ? v >> 4 : v & 0xfff;
}

static bool is_eoc(const struct layout *L, uint32_t v)
{
	return v >= (L->bits == 32 ? 0x0ffffff8u : L->bits == 16 ? 0xfff8u : 0xff8u);
}

static uint64_t cl_off(const struct layout *L, uint32_t cl)
{
	return L->data_off + (uint64_t)(cl - 2) * L->spc * L->secsize;
}

static void walk_dir(struct layout *L, const uint8_t *img, uint32_t cl, int depth)
{
	unsigned clsize = L->spc * L->secsize;
	for (int guard = 0; depth < 8 && guard < 1000; guard++) {
		bool fixed = cl == 0;
		uint64_t off = fixed ? L->root_off : cl_off(L, cl);
		unsigned n = fixed ? L->root_ent : clsize / 32;
		if (!fixed && L->nused < 8192)
			L->used[L->nused++] = cl;
		for (unsigned i = 0; i < n; i++) {
			const uint8_t *e = img + off + i * 32;
			if (e[0] == 0)
				return;
			if (e[0] == 0xe5)
				continue;
			if (L->nslots < 4096)
				L->slots[L->nslots++] = off + i * 32;
			if (e[11] == 0x0f || e[0] == '.')
				continue;
			uint32_t start = rd16(e + 26) | (L->bits == 32 ? rd16(e + 20) << 16 : 0);
			if (e[11] & 0x10) {
				walk_dir(L, img, start, depth + 1);
			} else {
				if (L->nfiles < 1024)
					L->files[L->nfiles++] = off + i * 32;
				if (!memcmp(e, "HELLO   TXT", 11))
					L->hello = off + i * 32;
				for (uint32_t c = start, k = 0; c >= 2 && !is_eoc(L, c) && k < 10000;
				     c = fat_entry(L, img, c), k++)
					if (L->nused < 8192)
						L->used[L->nused++] = c;
			}
		}
		if (fixed)
			return;
		cl = fat_entry(L, img, cl);
		if (is_eoc(L, cl) || cl < 2)
			return;
	}
}

static void read_layout(struct layout *L, const uint8_t *img)
{
	memset(L, 0, sizeof(*L));
	L->secsize = rd16(img + 11);
	L->spc = img[13];
	L->reserved = rd16(img + 14);
	L->nfats = img[16];
	L->root_ent = rd16(img + 17);
	L->fatsz = rd16(img + 22) ? rd16(img + 22) : rd32(img + 36);
	uint32_t total = rd16(img + 19) ? rd16(img + 19) : rd32(img + 32);
	uint32_t root_secs = (L->root_ent * 32 + L->secsize - 1) / L->secsize;
	uint32_t meta = L->reserved + L->nfats * L->fatsz + root_secs;
	L->nclusters = (total - meta) / L->spc;
	L->bits = !rd16(img + 22) ? 32 : L->nclusters < 4085 ? 12 : 16;
	L->fat_off = (uint64_t)L->reserved * L->secsize;
	L->root_off = (uint64_t)(L->reserved + L->nfats * L->fatsz) * L->secsize;
	L->data_off = (uint64_t)meta * L->secsize;
	L->root_cl = L->bits == 32 ? rd32(img + 44) : 0;
	L->fsinfo = L->bits == 32 ? rd16(img + 48) : 0;
	walk_dir(L, img, L->root_cl, 0);
}

/* ---- the generator ---- */

static uint32_t rng_state;
static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}
static uint32_t pick(uint32_t n) { return n ? rnd() % n : 0; }

static void set_fat(struct memdisk *d, const struct layout *L, uint32_t cl, uint32_t v,
                    unsigned copies)
{
	for (unsigned c = 0; c < copies && c < L->nfats; c++) {
		uint64_t fo = L->fat_off + (uint64_t)c * L->fatsz * L->secsize;
		if (L->bits == 32) {
			poke32(d, fo + cl * 4, v);
		} else if (L->bits == 16) {
			poke16(d, fo + cl * 2, (uint16_t)v);
		} else {
			uint64_t o = fo + cl + cl / 2;
			uint32_t old = rd16(d->data + o);
			uint32_t nv = cl & 1 ? (old & 0xf) | (v & 0xfff) << 4 : (old & 0xf000) | (v & 0xfff);
			poke16(d, o, (uint16_t)nv);
		}
	}
}

static const char *damage_one(struct memdisk *d, const struct layout *L)
{
	static const uint32_t edge32[] = { 0, 1, 2, 3, 0xff, 0x100, 0xffff, 0x10000,
	                                   0x0ffffff7, 0x0fffffff, 0x7fffffff, 0xffffffff };
	uint32_t v = pick(3) ? edge32[pick(ARRAY_SIZE(edge32))] : rnd();
	switch (pick(11)) {
	case 0: { /* boot sector field */
		static const struct { unsigned off, size; } f[] = {
			{ 11, 2 }, { 13, 1 }, { 14, 2 }, { 16, 1 }, { 17, 2 }, { 19, 2 },
			{ 21, 1 }, { 22, 2 }, { 32, 4 }, { 36, 4 }, { 40, 2 }, { 42, 2 },
			{ 44, 4 }, { 48, 2 },
		};
		unsigned i = pick(ARRAY_SIZE(f));
		if (f[i].size == 1)
			poke8(d, f[i].off, (uint8_t)v);
		else if (f[i].size == 2)
			poke16(d, f[i].off, (uint16_t)v);
		else
			poke32(d, f[i].off, v);
		return "bpb";
	}
	case 1: case 2: case 3: { /* a FAT entry of a used cluster */
		if (!L->nused)
			return "none";
		uint32_t cl = L->used[pick(L->nused)], nv;
		switch (pick(6)) {
		case 0: nv = cl; break;                                 /* self loop */
		case 1: nv = L->used[pick(L->nused)]; break;            /* loop or cross-link */
		case 2: nv = L->nclusters + 2 + pick(100); break;       /* out of range */
		case 3: nv = 0; break;                                  /* free in a chain */
		case 4: nv = L->bits == 32 ? 0x0ffffff7 : L->bits == 16 ? 0xfff7 : 0xff7; break;
		default: nv = 0x0fffffff; break;                        /* early end */
		}
		set_fat(d, L, cl, nv, pick(2) ? 1 : L->nfats);
		return "fat";
	}
	case 4: case 5: case 6: { /* a short entry */
		if (!L->nslots)
			return "none";
		uint64_t e = L->slots[pick(L->nslots)];
		switch (pick(7)) {
		case 0: poke16(d, e + 26, (uint16_t)v); break;         /* start low */
		case 1: poke16(d, e + 20, (uint16_t)v); break;         /* start high */
		case 2: poke32(d, e + 28, v); break;                   /* size */
		case 3: poke8(d, e + 11, (uint8_t)v); break;           /* attributes */
		case 4: poke8(d, e + pick(11), (uint8_t)v); break;     /* a name byte */
		case 5: poke8(d, e, 0); break;                         /* early end */
		default: poke8(d, e + 11, d->data[e + 11] ^ 0x10); break; /* dir <-> file */
		}
		return "dirent";
	}
	case 7: case 8: { /* a long-name entry (or whatever slot is there) */
		if (!L->nslots)
			return "none";
		uint64_t e = L->slots[pick(L->nslots)];
		for (unsigned k = 0; k < 8 && d->data[e + 11] != 0x0f; k++)
			e = L->slots[pick(L->nslots)];
		switch (pick(6)) {
		case 0: poke8(d, e + 13, (uint8_t)(d->data[e + 13] + 1 + pick(254))); break;
		case 1: poke8(d, e, (uint8_t)v); break;                /* sequence */
		case 2: poke8(d, e, d->data[e] ^ 0x40); break;         /* LAST flag */
		case 3: poke8(d, e + 11, (uint8_t)v); break;           /* attribute */
		case 4: poke16(d, e + 1 + 2 * pick(5), pick(2) ? 0xd800 : '/'); break;
		default: poke16(d, e + 1, 0); break;                   /* empty name */
		}
		return "lfn";
	}
	case 9: /* aimed at the files RayOS writes to, so that spreading shows */
		if (!L->hello || !L->nfiles)
			return "none";
		if (pick(2)) { /* another file's entry names hello.txt's cluster */
			uint64_t e = L->files[pick(L->nfiles)];
			poke(d, e + 20, d->data + L->hello + 20, 2);
			poke(d, e + 26, d->data + L->hello + 26, 2);
			return "xlink-entry";
		} else { /* a file's later cluster looks free, and is the hint */
			uint64_t e = L->files[pick(L->nfiles)];
			uint32_t start = rd16(d->data + e + 26) |
			                 (L->bits == 32 ? rd16(d->data + e + 20) << 16 : 0);
			uint32_t next = start >= 2 ? fat_entry(L, d->data, start) : 0;
			if (next < 2 || is_eoc(L, next))
				return "none";
			set_fat(d, L, next, 0, L->nfats);
			if (L->fsinfo)
				poke32(d, (uint64_t)L->fsinfo * L->secsize + 492, next);
			return "free-in-chain";
		}
	default: /* FSInfo, or raw bytes in the metadata */
		if (L->fsinfo && pick(2)) {
			poke32(d, (uint64_t)L->fsinfo * L->secsize + (pick(2) ? 488 : 492), v);
			return "fsinfo";
		}
		poke8(d, pick((uint32_t)L->data_off + L->spc * L->secsize), (uint8_t)v);
		return "raw";
	}
}

/* ---- running the driver over one image ---- */

struct stats {
	unsigned refused, ro, rw, eio, files_read, writes_ok, fsck_checked;
};
static struct stats st;
static char current_case[128];

static void on_alarm(int sig)
{
	(void)sig;
	printf("HANG in %s\n", current_case);
	_exit(2);
}

/* What the first walk read: later walks must read the same from every
 * file that write_some() did not touch, or RayOS's writes spread into
 * files they had no business changing. */
#define MAX_SEEN 256
static struct seen { char path[300]; uint32_t hash; long size; } seen[MAX_SEEN];
static int nseen;
static bool recording;
static unsigned spread;

static bool written_by_us(const char *path)
{
	static const char *mine[] = { "/c/hello.txt", "/c/sub/deeper/nested file.bin",
	                              "/c/sub/renamed.data", "/c/new file from rayos.txt",
	                              "/c/NEWDIR/inner name.bin" };
	for (size_t i = 0; i < ARRAY_SIZE(mine); i++)
		if (!strcmp(path, mine[i]))
			return true;
	return false;
}

static void check_seen(const char *path, uint32_t hash, long size)
{
	if (recording) {
		if (nseen < MAX_SEEN) {
			snprintf(seen[nseen].path, sizeof(seen[nseen].path), "%s", path);
			seen[nseen].hash = hash;
			seen[nseen++].size = size;
		}
		return;
	}
	if (written_by_us(path))
		return;
	for (int i = 0; i < nseen; i++)
		if (!strcmp(seen[i].path, path) && (seen[i].hash != hash || seen[i].size != size)) {
			printf("%s: %s changed (%ld -> %ld bytes)\n", current_case, path,
			       seen[i].size, size);
			spread++;
		}
}

static void read_tree(const char *path, int depth)
{
	if (depth > 6)
		return;
	long fd = sys_open(path, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return;
	static char dents[8192];
	char names[64][300];
	int count = 0;
	long n;
	while ((n = sys_getdents64((int)fd, dents, sizeof(dents))) > 0) {
		for (long off = 0; off < n; off += *(uint16_t *)(dents + off + 16)) {
			const char *name = dents + off + 19;
			if (!strcmp(name, ".") || !strcmp(name, "..") || count >= 64)
				continue;
			snprintf(names[count++], 300, "%s/%s", path, name);
		}
	}
	if (n < 0)
		st.eio++;
	sys_close((int)fd);
	static char buf[16384];
	for (int i = 0; i < count; i++) {
		struct kstat ks;
		if (sys_stat(names[i], &ks)) {
			st.eio++;
			continue;
		}
		if (S_ISDIR(ks.mode)) {
			read_tree(names[i], depth + 1);
			continue;
		}
		long f = sys_open(names[i], O_RDONLY, 0);
		if (f < 0) {
			st.eio++;
			continue;
		}
		long k, total = 0;
		uint32_t h = 2166136261u;
		while ((k = sys_read((int)f, buf, sizeof(buf))) > 0 && total < (8 << 20)) {
			total += k;
			for (long j = 0; j < k; j++)
				h = (h ^ (uint8_t)buf[j]) * 16777619u;
		}
		st.eio += k < 0;
		if (k >= 0)
			check_seen(names[i], h, total);
		st.files_read++;
		sys_close((int)f);
	}
}

static void write_some(const char *mnt)
{
	char p[300], q[300];
	static char data[20000];
	fatt_pattern(data, sizeof(data), 1);
	snprintf(p, sizeof(p), "%s/new file from rayos.txt", mnt);
	st.writes_ok += fatt_write(p, data, sizeof(data), O_TRUNC) == 0;
	snprintf(p, sizeof(p), "%s/NEWDIR", mnt);
	st.writes_ok += sys_mkdir(p, 0755) == 0;
	snprintf(p, sizeof(p), "%s/NEWDIR/inner name.bin", mnt);
	st.writes_ok += fatt_write(p, data, 3000, 0) == 0;
	/* change what was there */
	snprintf(p, sizeof(p), "%s/hello.txt", mnt);
	st.writes_ok += fatt_write(p, "more", 4, O_APPEND) == 0;
	st.writes_ok += fatt_write(p, data + 5000, 600, 0) == 0; /* over its start */
	snprintf(p, sizeof(p), "%s/sub/deeper/nested file.bin", mnt);
	st.writes_ok += sys_truncate(p, 100) == 0;
	snprintf(p, sizeof(p), "%s/Long File Name With Spaces.data", mnt);
	snprintf(q, sizeof(q), "%s/sub/renamed.data", mnt);
	st.writes_ok += sys_rename(p, q) == 0;
	snprintf(p, sizeof(p), "%s/many/file number 7 of many.txt", mnt);
	st.writes_ok += sys_unlink(p) == 0;
	snprintf(p, sizeof(p), "%s/emptydir", mnt);
	st.writes_ok += sys_rmdir(p) == 0;
}

static void run_case(struct memdisk *d, const struct layout *L, const char *tag,
                     unsigned seed, int ndamage)
{
	md_reset(d);
	rng_state = seed * 2654435761u | 1;
	char what[64] = "";
	for (int i = 0; i < ndamage; i++) {
		strcat(what, damage_one(d, L));
		strcat(what, " ");
	}
	snprintf(current_case, sizeof(current_case), "%s seed %u: %s", tag, seed, what);
	md_sync_file(d);
	d->writes = 0;
	alarm(60);
	struct fs_type *t = fs_type_find("vfat");
	struct super_block *sb = t->mount(&d->bd, 0, NULL);
	if (IS_ERR(sb)) {
		st.refused++;
		assert_int_equal(d->writes, 0);
		assert_int_equal(bcache_invalidate(&d->bd), 0); /* no reference leaked */
		alarm(0);
		return;
	}
	bool ro = sb->flags & MS_RDONLY;
	st.ro += ro;
	st.rw += !ro;
	/* Mount it on /c through the VFS, use it, unmount. */
	struct inode *onto;
	assert_int_equal(path_lookup("/c", LOOKUP_FOLLOW, &onto), 0);
	assert_int_equal(vfs_mount(sb, onto), 0);
	inode_put(onto);
	nseen = 0;
	recording = true;
	read_tree("/c", 0);
	recording = false;
	if (!ro)
		write_some("/c");
	read_tree("/c", 0);
	long sys_umount2(const char *, int);
	assert_int_equal(sys_umount2("/c", 0), 0);
	assert_int_equal(bcache_invalidate(&d->bd), 0); /* no reference leaked */
	alarm(0);
	if (ro) {
		if (d->writes)
			fail_msg("%s: read-only mount wrote %lu times", current_case, d->writes);
		return;
	}
	/* The file copy still holds the image as it was before the mount. */
	if (hio_run("fsck.fat -n '%s' >/dev/null 2>&1", d->path) == 0) {
		md_sync_file(d);
		st.fsck_checked++;
		if (fatt_fsck(d->path))
			fail_msg("%s: was clean, RayOS's writes made it unclean", current_case);
	}
}

static void corrupt_many(const char *mkfs_opts, unsigned kib, const char *tag,
                         unsigned count)
{
	fatt_setup();
	sys_mkdir("/c", 0755);
	const char *tree = fatt_path("ctree");
	assert_int_equal(hio_run(
		"rm -rf '%1$s' && mkdir -p '%1$s/sub/deeper' '%1$s/many' '%1$s/emptydir' && cd '%1$s' && "
		"printf 'hello\\n' > hello.txt && seq 100000 111000 > 'Long File Name With Spaces.data' && "
		"seq 1 1200 > 'sub/deeper/nested file.bin' && printf x > 'ünï ☃.txt' && "
		"seq 5000 8000 > keep1.bin && seq 1 2000 > sub/keep2.bin && "
		"for i in $(seq 1 30); do printf \"$i\" > \"many/file number $i of many.txt\"; done", tree), 0);
	char name[64];
	snprintf(name, sizeof(name), "corrupt-%s.img", tag);
	const char *img = fatt_mkfs(name, mkfs_opts, kib);
	assert_non_null(img);
	assert_int_equal(hio_run("cd '%s' && " MT "mcopy -s -i '%s' * ::/", tree, img), 0);
	struct memdisk d = { 0 };
	size_t len;
	d.base = hio_read_file(img, &len);
	assert_non_null(d.base);
	d.data = hio_malloc(len);
	memcpy(d.data, d.base, len);
	d.sectors = len / SECTOR_SIZE;
	d.touched = hio_malloc(d.sectors);
	memset(d.touched, 0, d.sectors);
	d.path = img;
	d.fd = open(img, O_RDWR);
	assert_true(d.fd >= 0);
	snprintf(d.bd.name, sizeof(d.bd.name), "c%s", tag);
	d.bd.sectors = d.sectors;
	d.bd.ops = &md_ops;
	d.bd.priv = &d;
	struct layout *L = hio_malloc(sizeof(*L));
	read_layout(L, d.base);
	assert_true(L->nslots > 30);
	assert_true(L->nused > 10);
	assert_true(L->hello && L->nfiles > 30);
	signal(SIGALRM, on_alarm);
	memset(&st, 0, sizeof(st));
	/* The undamaged image first: it must mount read-write, take the
	 * writes and stay clean, or the checks below prove nothing. */
	run_case(&d, L, tag, 0, 0);
	assert_int_equal(st.rw, 1);
	assert_int_equal(st.fsck_checked, 1);
	assert_true(st.writes_ok >= 9);
	memset(&st, 0, sizeof(st));
	spread = 0;
	unsigned first = getenv("FAT_SEED") ? (unsigned)strtoul(getenv("FAT_SEED"), NULL, 0) : 1;
	for (unsigned seed = first; seed < first + count; seed++)
		run_case(&d, L, tag, seed, 1 + (int)(seed % 3));
	if (spread)
		fail_msg("%u files changed that RayOS did not write to", spread);
	printf("fat corruption %s: %u images: %u refused, %u read-only, %u read-write "
	       "(%u checked clean by fsck.fat after writing); %u files read, %u errors "
	       "reported, %u writes succeeded\n", tag, count, st.refused, st.ro, st.rw,
	       st.fsck_checked, st.files_read, st.eio, st.writes_ok);
	md_reset(&d);
	close(d.fd);
	hio_free(L);
	hio_free(d.touched);
	hio_free(d.data);
	hio_free(d.base);
}

static void test_corrupt_fat32(void **s) { (void)s; corrupt_many("-F 32", 34000, "fat32", 160); }
static void test_corrupt_fat16(void **s) { (void)s; corrupt_many("-F 16", 20000, "fat16", 120); }
static void test_corrupt_fat12(void **s) { (void)s; corrupt_many("-F 12", 2048, "fat12", 120); }

static int teardown(void **state)
{
	(void)state;
	hio_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corrupt_fat32),
		cmocka_unit_test(test_corrupt_fat16),
		cmocka_unit_test(test_corrupt_fat12),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
