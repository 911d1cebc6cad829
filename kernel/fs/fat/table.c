/*
 * kernel/fs/fat/table.c - the file allocation table: entries of 12, 16 or
 * 32 bits, cluster chains, allocation and freeing.
 *
 * Every change is written to all FAT copies. The mount-time scan builds
 * the free and predecessor bitmaps (see fat.h) and checks the table; a
 * chain is trusted afterwards only as far as each step is checked again
 * (in range, not free, at most nclusters steps), so a damaged table can
 * make a file unreadable but never makes the driver loop or write
 * outside the data area.
 *
 * Allocation keeps files contiguous where it can: the cluster after the
 * file's last one if free, else the first free run long enough for the
 * whole request, searched from the next-free hint, else any free cluster.
 */
#include "fat.h"
#include "mm.h"

static inline bool bit_get(const uint8_t *m, uint32_t i) { return m[i >> 3] & (1u << (i & 7)); }
static inline void bit_set(uint8_t *m, uint32_t i) { m[i >> 3] |= (uint8_t)(1u << (i & 7)); }
static inline void bit_clr(uint8_t *m, uint32_t i) { m[i >> 3] &= (uint8_t)~(1u << (i & 7)); }

bool fat_valid_cluster(struct fat_fs *fs, uint32_t cl)
{
	return cl >= 2 && cl < fs->nclusters + 2;
}

uint64_t fat_cluster_sector(struct fat_fs *fs, uint32_t cl)
{
	return fs->data_start + (uint64_t)(cl - 2) * fs->spc;
}

/*
 * The sector of each FAT copy used last stays referenced in fs->fatb, so
 * walking, allocating and freeing chains (thousands of entries in a row,
 * mostly in one sector) cost no cache lookups. Released by sync and
 * unmount; the cache writes it back like any dirty buffer meanwhile.
 */
static struct buf *fat_buf(struct fat_fs *fs, unsigned copy, uint64_t sec)
{
	struct buf *b = fs->fatb[copy];
	if (b && b->blkno == sec)
		return b;
	brelse(b);
	fs->fatb[copy] = NULL;
	b = bread(fs->bd, sec, fs->secsize);
	if (!IS_ERR(b))
		fs->fatb[copy] = b;
	return b;
}

void fat_release_bufs(struct fat_fs *fs)
{
	for (unsigned c = 0; c < ARRAY_SIZE(fs->fatb); c++) {
		brelse(fs->fatb[c]);
		fs->fatb[c] = NULL;
	}
}

/* Read or write n (1..4) bytes at byte offset off of FAT copy `copy`. */
static int fat_bytes(struct fat_fs *fs, unsigned copy, uint64_t off,
                     uint8_t *p, unsigned n, bool write)
{
	while (n) {
		uint64_t sec = fs->fat_start + (uint64_t)copy * fs->fat_secs +
		               off / fs->secsize;
		unsigned in = (unsigned)(off % fs->secsize);
		unsigned k = MIN(n, fs->secsize - in);
		struct buf *b = fat_buf(fs, copy, sec);
		if (IS_ERR(b))
			return (int)PTR_ERR(b);
		if (write) {
			memcpy(b->data + in, p, k);
			bdirty(b);
		} else {
			memcpy(p, b->data + in, k);
		}
		p += k;
		off += k;
		n -= k;
	}
	return 0;
}

static uint32_t normalise(struct fat_fs *fs, uint32_t v)
{
	if (fs->bits == 12) {
		if (v >= 0xff8)
			return FAT_EOC;
		if (v == 0xff7)
			return FAT_BAD;
	} else if (fs->bits == 16) {
		if (v >= 0xfff8)
			return FAT_EOC;
		if (v == 0xfff7)
			return FAT_BAD;
	} else {
		v &= 0x0fffffff;
		if (v >= 0x0ffffff8)
			return FAT_EOC;
	}
	return v;
}

int fat_get(struct fat_fs *fs, uint32_t cl, uint32_t *val)
{
	uint8_t b[4] = { 0 };
	int err;
	if (fs->bits == 12) {
		err = fat_bytes(fs, 0, cl + cl / 2, b, 2, false);
		uint32_t v = b[0] | (uint32_t)b[1] << 8;
		*val = normalise(fs, (cl & 1) ? v >> 4 : v & 0xfff);
	} else if (fs->bits == 16) {
		err = fat_bytes(fs, 0, (uint64_t)cl * 2, b, 2, false);
		*val = normalise(fs, b[0] | (uint32_t)b[1] << 8);
	} else {
		err = fat_bytes(fs, 0, (uint64_t)cl * 4, b, 4, false);
		*val = normalise(fs, b[0] | (uint32_t)b[1] << 8 |
		                 (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
	}
	return err;
}

/* Set entry cl to val (FAT_FREE, FAT_EOC or a cluster) in every copy. */
static int fat_set(struct fat_fs *fs, uint32_t cl, uint32_t val)
{
	for (unsigned c = 0; c < fs->nfats; c++) {
		uint8_t b[4];
		int err;
		if (fs->bits == 12) {
			uint64_t off = cl + cl / 2;
			if ((err = fat_bytes(fs, c, off, b, 2, false)))
				return err;
			uint32_t v = b[0] | (uint32_t)b[1] << 8;
			uint32_t nv = val >= FAT_EOC ? 0xfff : val & 0xfff;
			v = (cl & 1) ? (v & 0x000f) | nv << 4 : (v & 0xf000) | nv;
			b[0] = (uint8_t)v;
			b[1] = (uint8_t)(v >> 8);
			err = fat_bytes(fs, c, off, b, 2, true);
		} else if (fs->bits == 16) {
			uint32_t nv = val >= FAT_EOC ? 0xffff : val & 0xffff;
			b[0] = (uint8_t)nv;
			b[1] = (uint8_t)(nv >> 8);
			err = fat_bytes(fs, c, (uint64_t)cl * 2, b, 2, true);
		} else {
			uint64_t off = (uint64_t)cl * 4;
			if ((err = fat_bytes(fs, c, off, b, 4, false)))
				return err;
			uint32_t nv = val >= FAT_EOC ? 0x0fffffff : val;
			nv = (nv & 0x0fffffff) | ((uint32_t)b[3] & 0xf0) << 24;
			for (int i = 0; i < 4; i++)
				b[i] = (uint8_t)(nv >> (8 * i));
			err = fat_bytes(fs, c, off, b, 4, true);
		}
		if (err)
			return err;
	}
	return 0;
}

/*
 * Mount-time scan. Returns 0 (damage is recorded in fs->damaged with a
 * message), or -errno if the table cannot be read or memory is short.
 */
int fat_scan(struct fat_fs *fs)
{
	size_t bytes = (fs->nclusters + 2 + 7) / 8;
	fs->free_map = kzalloc(bytes);
	fs->pred_map = kzalloc(bytes);
	if (!fs->free_map || !fs->pred_map)
		return -ENOMEM;
	uint32_t end = fs->nclusters + 2, bad_vals = 0, merges = 0;
	fs->free_count = 0;
	struct buf *b = NULL;
	uint64_t bsec = 0;
	for (uint32_t cl = 2; cl < end; cl++) {
		uint32_t v;
		if (fs->bits == 12) {
			int err = fat_get(fs, cl, &v);
			if (err)
				return err;
		} else {
			/* FAT16/32 entries never straddle sectors: one buffer
			 * per sector, the table read ahead in large runs. */
			uint64_t off = (uint64_t)cl * (fs->bits / 8);
			uint64_t sec = fs->fat_start + off / fs->secsize;
			if (!b || sec != bsec) {
				brelse(b);
				if ((sec - fs->fat_start) % 256 == 0 || !b)
					breadahead(fs->bd, sec, fs->secsize,
					           MIN(256u, fs->fat_start + fs->fat_secs - (uint32_t)sec));
				b = bread(fs->bd, sec, fs->secsize);
				if (IS_ERR(b))
					return (int)PTR_ERR(b);
				bsec = sec;
			}
			const uint8_t *p = b->data + off % fs->secsize;
			v = fs->bits == 16 ? (uint32_t)(p[0] | p[1] << 8)
			                   : p[0] | (uint32_t)p[1] << 8 |
			                     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
			v = normalise(fs, v);
		}
		if (v == FAT_FREE) {
			bit_set(fs->free_map, cl);
			fs->free_count++;
		} else if (v >= FAT_EOC || v == FAT_BAD) {
			/* end of a chain, or a bad cluster: used */
		} else if (!fat_valid_cluster(fs, v) || v == cl) {
			bad_vals++;
		} else if (bit_get(fs->pred_map, v)) {
			merges++;
		} else {
			bit_set(fs->pred_map, v);
		}
	}
	brelse(b);
	uint32_t into_free = 0;
	for (uint32_t cl = 2; cl < end; cl++)
		if (bit_get(fs->pred_map, cl) && bit_get(fs->free_map, cl))
			into_free++;
	if (bad_vals || merges || into_free) {
		fat_error(fs, "FAT damaged: %u entries out of range, %u chains "
		          "merging, %u chains running into free clusters",
		          bad_vals, merges, into_free);
		fs->damaged = true;
	}
	return 0;
}

/* One step along a chain from cl, with every check. 0 with *next a valid
 * cluster, -ENOENT at the end of the chain, -EIO if damaged. */
static int chain_next(struct fat_fs *fs, uint32_t cl, uint32_t *next)
{
	uint32_t v;
	int err = fat_get(fs, cl, &v);
	if (err)
		return err;
	if (v >= FAT_EOC)
		return -ENOENT;
	if (!fat_valid_cluster(fs, v) || bit_get(fs->free_map, v)) {
		fat_error(fs, "cluster %u: bad chain entry %#x", cl, v);
		return -EIO;
	}
	*next = v;
	return 0;
}

int fat_bmap(struct fat_fs *fs, struct fat_inode *fi, uint32_t idx, uint32_t *cl)
{
	if (!fi->start)
		return -ENOENT;
	if (!fi->cur_cl || idx < fi->cur_idx) {
		fi->cur_idx = 0;
		fi->cur_cl = fi->start;
	}
	if (idx - fi->cur_idx > fs->nclusters)
		return -ENOENT;
	while (fi->cur_idx < idx) {
		uint32_t next;
		int err = chain_next(fs, fi->cur_cl, &next);
		if (err)
			return err;
		fi->cur_cl = next;
		fi->cur_idx++;
	}
	*cl = fi->cur_cl;
	return 0;
}

long fat_chain_len(struct fat_fs *fs, uint32_t start)
{
	if (!start)
		return 0;
	uint32_t cl = start;
	for (long n = 1; n <= (long)fs->nclusters; n++) {
		uint32_t next;
		int err = chain_next(fs, cl, &next);
		if (err == -ENOENT)
			return n;
		if (err)
			return err;
		cl = next;
	}
	fat_error(fs, "cluster chain from %u loops", start);
	return -EIO;
}

int fat_free_chain(struct fat_fs *fs, uint32_t start)
{
	uint32_t cl = start;
	for (uint32_t n = 0; cl && n <= fs->nclusters; n++) {
		if (!fat_valid_cluster(fs, cl) || bit_get(fs->free_map, cl)) {
			fat_error(fs, "freeing chain from %u: bad cluster %u", start, cl);
			return -EIO;
		}
		uint32_t v;
		int err = fat_get(fs, cl, &v);
		if (!err)
			err = fat_set(fs, cl, FAT_FREE);
		if (err)
			return err;
		bit_set(fs->free_map, cl);
		fs->free_count++;
		if (v >= FAT_EOC || v == FAT_BAD || !fat_valid_cluster(fs, v))
			break;
		bit_clr(fs->pred_map, v);
		cl = v;
	}
	fat_fsinfo_update(fs);
	return 0;
}

/* A free cluster for the next one of `want` clusters after prev (0: none). */
static uint32_t pick_free(struct fat_fs *fs, uint32_t prev, uint32_t want)
{
	uint32_t end = fs->nclusters + 2;
	if (prev && prev + 1 < end && bit_get(fs->free_map, prev + 1))
		return prev + 1;
	uint32_t hint = fs->next_free;
	if (hint < 2 || hint >= end)
		hint = 2;
	uint32_t any = 0, run = 0, run_start = 0;
	/* Two passes over the ring starting at the hint; a run does not wrap. */
	for (uint32_t k = 0; k < fs->nclusters; k++) {
		uint32_t cl = hint + k;
		if (cl >= end)
			cl -= fs->nclusters;
		if (cl == 2)
			run = 0;
		if (bit_get(fs->free_map, cl)) {
			if (!any)
				any = cl;
			if (!run++)
				run_start = cl;
			if (run >= want)
				return run_start;
		} else {
			run = 0;
		}
	}
	return any;
}

static int zero_cluster(struct fat_fs *fs, uint32_t cl)
{
	uint64_t sec = fat_cluster_sector(fs, cl);
	for (unsigned i = 0; i < fs->spc; i++) {
		struct buf *b = bget(fs->bd, sec + i, fs->secsize);
		if (IS_ERR(b))
			return (int)PTR_ERR(b);
		memset(b->data, 0, fs->secsize);
		bdirty(b);
		brelse(b);
	}
	return 0;
}

/* Append n new clusters after last (0: the chain is empty; *first gets
 * the first new one). */
static int chain_grow(struct fat_fs *fs, uint32_t last, uint32_t n,
                      bool zero, uint32_t *first)
{
	if (n > fs->free_count)
		return -ENOSPC;
	uint32_t prev = last;
	*first = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t cl = pick_free(fs, prev, n - i);
		if (!cl) /* the bitmap and the count disagree: a bug */
			return -ENOSPC;
		int err = fat_set(fs, cl, FAT_EOC);
		if (!err && zero)
			err = zero_cluster(fs, cl);
		if (!err && prev)
			err = fat_set(fs, prev, cl);
		if (err)
			return err;
		bit_clr(fs->free_map, cl);
		fs->free_count--;
		if (prev)
			bit_set(fs->pred_map, cl);
		else
			*first = cl;
		if (!*first)
			*first = cl;
		fs->next_free = cl + 1;
		prev = cl;
	}
	fat_fsinfo_update(fs);
	return 0;
}

static int resize(struct fat_fs *fs, struct fat_inode *fi, uint32_t cur,
                  uint32_t n, bool zero);

int fat_chain_resize(struct fat_fs *fs, struct fat_inode *fi, uint32_t n, bool zero)
{
	if (!fi->ncl_known) {
		long len = fat_chain_len(fs, fi->start);
		if (len < 0)
			return (int)len;
		fi->ncl = (uint32_t)len;
		fi->ncl_known = true;
	}
	uint32_t cur = fi->ncl;
	if (n == cur)
		return 0;
	fi->ncl_known = false; /* until the change below succeeds */
	int ret = resize(fs, fi, cur, n, zero);
	if (!ret) {
		fi->ncl = n;
		fi->ncl_known = true;
	}
	return ret;
}

static int resize(struct fat_fs *fs, struct fat_inode *fi, uint32_t cur,
                  uint32_t n, bool zero)
{
	if (n > cur) {
		uint32_t last = 0, first = 0;
		if (cur) {
			int err = fat_bmap(fs, fi, cur - 1, &last);
			if (err)
				return err == -ENOENT ? -EIO : err;
		}
		int err = chain_grow(fs, last, n - cur, zero, &first);
		if (err) {
			/* Undo a partial grow: cut back to the old length. */
			if (cur && last) {
				uint32_t next;
				if (chain_next(fs, last, &next) == 0) {
					fat_set(fs, last, FAT_EOC);
					bit_clr(fs->pred_map, next);
					fat_free_chain(fs, next);
				}
			} else if (first) {
				fat_free_chain(fs, first);
			}
			return err;
		}
		if (!cur)
			fi->start = first;
		return 0;
	}
	fi->cur_cl = 0; /* the cursor may point into the freed part */
	if (n == 0) {
		uint32_t start = fi->start;
		fi->start = 0;
		return fat_free_chain(fs, start);
	}
	uint32_t last, next;
	int err = fat_bmap(fs, fi, n - 1, &last);
	if (err)
		return err == -ENOENT ? -EIO : err;
	err = chain_next(fs, last, &next);
	if (err)
		return err == -ENOENT ? -EIO : err;
	if ((err = fat_set(fs, last, FAT_EOC)))
		return err;
	bit_clr(fs->pred_map, next);
	fi->cur_cl = 0;
	return fat_free_chain(fs, next);
}

/* For the inode loader: a first cluster that is free or is pointed to by
 * another FAT entry cannot be the start of this file. */
bool fat_start_ok(struct fat_fs *fs, uint32_t start)
{
	return fat_valid_cluster(fs, start) && !bit_get(fs->free_map, start) &&
	       !bit_get(fs->pred_map, start);
}
