/*
 * kernel/fs/fat/dir.c - directories: 32-byte slots holding short (8.3)
 * entries, each optionally preceded by VFAT long-name entries.
 *
 * A directory is the fixed root area (FAT12/16) or a cluster chain. Slot i
 * is byte 32 * i of it. A long name is a run of entries numbered N|0x40,
 * N-1, ..., 1 carrying 13 UTF-16 units each and the checksum of the short
 * entry that follows; a run whose numbering or checksum does not fit is
 * ignored and the short name is used instead (as Windows and Linux do),
 * so damaged long entries never make a file unreachable.
 *
 * readdir positions are 0 ".", 1 "..", then 2 + the first slot of an
 * entry: slots never move, so positions stay valid as entries come and go.
 */
#include "fat.h"
#include "mm.h"

static const uint8_t dot_name[11] = ".          ";
static const uint8_t dotdot_name[11] = "..         ";

static bool fixed_root(struct fat_fs *fs, struct inode *dir)
{
	return fs->bits != 32 && fat_is_root(dir);
}

/* Walks slots of one directory, keeping the current sector's buffer. */
struct slot_iter {
	struct fat_fs *fs;
	struct inode *dir;
	struct buf *b;
	uint64_t sec;
};

static void iter_done(struct slot_iter *it)
{
	brelse(it->b);
	it->b = NULL;
}

/* The slot's entry (pointer into the cached sector) and its ipos;
 * -ENOENT past the end of the directory. */
static int iter_get(struct slot_iter *it, uint32_t slot, struct fat_dirent **de,
                    uint64_t *ipos)
{
	struct fat_fs *fs = it->fs;
	uint64_t byte = (uint64_t)slot * DIRENT_SIZE, sec;
	if (slot >= FAT_MAX_DIR_SLOTS)
		return -ENOENT;
	if (fixed_root(fs, it->dir)) {
		if (slot >= fs->root_slots)
			return -ENOENT;
		sec = fs->root_start + byte / fs->secsize;
	} else {
		uint32_t cl;
		int err = fat_bmap(fs, FI(it->dir), (uint32_t)(byte / fs->clsize), &cl);
		if (err)
			return err;
		sec = fat_cluster_sector(fs, cl) + (byte % fs->clsize) / fs->secsize;
	}
	if (!it->b || it->sec != sec) {
		brelse(it->b);
		it->b = bread(fs->bd, sec, fs->secsize);
		if (IS_ERR(it->b)) {
			int err = (int)PTR_ERR(it->b);
			it->b = NULL;
			return err;
		}
		it->sec = sec;
	}
	unsigned off = (unsigned)(byte % fs->secsize);
	*de = (struct fat_dirent *)(it->b->data + off);
	*ipos = (sec * fs->secsize + off) / DIRENT_SIZE;
	return 0;
}

/* One entry as the parser delivers it. */
struct entry {
	uint32_t first, slot;
	uint64_t ipos;
	struct fat_dirent de;
	uint16_t name[NAME_MAX + 2];
	int len;
	bool dots;              /* "." or ".." */
};

/* Called per entry; returns 0 to go on, > 0 to stop, < 0 on error. */
typedef int (*entry_fn)(struct entry *e, void *arg);

static void lfn_units(const struct fat_lfn *l, uint16_t *u)
{
	memcpy(u, l->name1, 10);
	memcpy(u + 5, l->name2, 12);
	memcpy(u + 11, l->name3, 4);
}

/* Parse the directory from slot `from`; calls fn for each entry. */
static int walk(struct fat_fs *fs, struct inode *dir, uint32_t from,
                entry_fn fn, void *arg)
{
	struct slot_iter it = { fs, dir, NULL, 0 };
	struct entry *e = kmalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	int expect = 0, count = 0, ret = 0;
	uint8_t csum = 0;
	uint32_t first = 0;
	for (uint32_t slot = from;; slot++) {
		struct fat_dirent *de;
		uint64_t ipos;
		int err = iter_get(&it, slot, &de, &ipos);
		if (err) {
			ret = err == -ENOENT ? 0 : err;
			break;
		}
		if (de->name[0] == 0)
			break;
		if (de->name[0] == DELETED_MARK) {
			expect = 0;
			continue;
		}
		if ((de->attr & 0x3f) == FA_LFN) {
			struct fat_lfn *l = (struct fat_lfn *)de;
			int ord = l->ord & 0x1f;
			if (l->ord & LFN_LAST) {
				if (ord < 1 || ord > LFN_MAX_SLOTS || (l->ord & 0x80)) {
					expect = 0;
					continue;
				}
				count = ord;
				csum = l->csum;
				first = slot;
				uint16_t u[LFN_CHARS];
				lfn_units(l, u);
				int n = 0;
				while (n < LFN_CHARS && u[n] != 0)
					n++;
				e->len = (ord - 1) * LFN_CHARS + n;
				if (e->len > NAME_MAX || e->len == 0) {
					expect = 0;
					continue;
				}
				memcpy(e->name + (ord - 1) * LFN_CHARS, u, n * 2);
				expect = ord > 1 ? ord - 1 : -1; /* -1: complete */
			} else if (expect && ord == expect && l->csum == csum) {
				lfn_units(l, e->name + (ord - 1) * LFN_CHARS);
				expect--;
				if (!expect)
					expect = -1; /* complete */
			} else {
				expect = 0;
			}
			continue;
		}
		if (de->attr & FA_VOLUME) {
			expect = 0;
			continue;
		}
		e->slot = slot;
		e->ipos = ipos;
		e->de = *de;
		e->dots = !memcmp(de->name, dot_name, 11) ||
		          !memcmp(de->name, dotdot_name, 11);
		if (expect == -1 && count && fat_lfn_csum(de->name) == csum) {
			e->first = first;
		} else {
			e->first = slot;
			e->len = fat_short_to_utf16(de, e->name);
		}
		expect = 0;
		ret = fn(e, arg);
		if (ret)
			break;
	}
	iter_done(&it);
	kfree(e);
	return ret;
}

/* ---- find ---- */

struct find_arg {
	uint16_t u[NAME_MAX + 1];
	int n;
	struct fat_found *res;
};

static int find_fn(struct entry *e, void *arg)
{
	struct find_arg *a = arg;
	if (e->dots)
		return 0;
	bool hit = fat_utf16_eq(e->name, e->len, a->u, a->n);
	if (!hit && e->first != e->slot) { /* also answer to the alias */
		uint16_t s[13];
		int sn = fat_short_to_utf16(&e->de, s);
		hit = fat_utf16_eq(s, sn, a->u, a->n);
	}
	if (!hit)
		return 0;
	a->res->slot = e->slot;
	a->res->first = e->first;
	a->res->ipos = e->ipos;
	a->res->de = e->de;
	return 1;
}

int fat_dir_find(struct fat_fs *fs, struct inode *dir, const char *name,
                 size_t len, struct fat_found *res)
{
	struct find_arg *a = kmalloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	int n = fat_name_to_utf16(name, len, a->u);
	int ret = n;
	if (n > 0) {
		a->n = n;
		a->res = res;
		ret = walk(fs, dir, 0, find_fn, a);
		ret = ret > 0 ? 0 : ret < 0 ? ret : -ENOENT;
	} else if (n == -EINVAL) {
		ret = -ENOENT; /* no such name can exist here */
	}
	kfree(a);
	return ret;
}

/* ---- readdir, emptiness, subdirectories ---- */

struct readdir_arg {
	struct fat_fs *fs;
	off_t *pos;
	filldir_t fill;
	void *ctx;
	char utf8[NAME_MAX * 3 + 1];
};

static int readdir_fn(struct entry *e, void *arg)
{
	struct readdir_arg *a = arg;
	if (e->dots) {
		*a->pos = 2 + e->slot + 1;
		return 0;
	}
	int n = fat_utf16_to_name(e->name, e->len, a->utf8);
	if (n <= 0 && e->first != e->slot) {
		uint16_t s[13];
		n = fat_utf16_to_name(s, fat_short_to_utf16(&e->de, s), a->utf8);
	}
	if (n > 0) {
		unsigned dt = (e->de.attr & FA_DIR) ? DT_DIR : DT_REG;
		if (a->fill(a->ctx, a->utf8, (size_t)n,
		            fat_ino_for(a->fs, e->ipos), dt))
			return 1;
	}
	*a->pos = 2 + e->slot + 1;
	return 0;
}

int fat_readdir_locked(struct fat_fs *fs, struct inode *dir, off_t *pos,
                       filldir_t fill, void *ctx)
{
	if (*pos == 0) {
		if (fill(ctx, ".", 1, dir->ino, DT_DIR))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		struct inode *p = FI(dir)->parent ? FI(dir)->parent : dir;
		if (fill(ctx, "..", 2, p->ino, DT_DIR))
			return 0;
		*pos = 2;
	}
	if (*pos - 2 >= FAT_MAX_DIR_SLOTS)
		return 0;
	struct readdir_arg *a = kmalloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->fs = fs;
	a->pos = pos;
	a->fill = fill;
	a->ctx = ctx;
	int ret = walk(fs, dir, (uint32_t)(*pos - 2), readdir_fn, a);
	kfree(a);
	return ret < 0 ? ret : 0;
}

static int nonempty_fn(struct entry *e, void *arg __unused)
{
	return e->dots ? 0 : 1;
}

int fat_dir_empty(struct fat_fs *fs, struct inode *dir)
{
	int r = walk(fs, dir, 0, nonempty_fn, NULL);
	return r < 0 ? r : r == 0;
}

static int subdir_fn(struct entry *e, void *arg)
{
	if (!e->dots && (e->de.attr & FA_DIR))
		(*(int *)arg)++;
	return 0;
}

int fat_dir_count_subdirs(struct fat_fs *fs, struct inode *dir)
{
	int n = 0;
	int r = walk(fs, dir, 0, subdir_fn, &n);
	return r < 0 ? r : n;
}

/* ---- adding and removing entries ---- */

/* Every short name in dir, and the first run of `need` free slots
 * (*free_at; past the end if none inside). */
struct shortnames {
	uint8_t (*names)[11];
	uint32_t count, cap;
};

static int scan_slots(struct fat_fs *fs, struct inode *dir, uint32_t need,
                      struct shortnames *sn, uint32_t *free_at, uint32_t *nslots)
{
	struct slot_iter it = { fs, dir, NULL, 0 };
	uint32_t run = 0, run_start = 0, slot;
	bool found = false, ended = false;
	int err = 0;
	for (slot = 0;; slot++) {
		struct fat_dirent *de;
		uint64_t ipos;
		err = iter_get(&it, slot, &de, &ipos);
		if (err) {
			if (err == -ENOENT)
				err = 0;
			break;
		}
		if (ended || de->name[0] == 0 || de->name[0] == DELETED_MARK) {
			ended |= de->name[0] == 0;
			if (!run++)
				run_start = slot;
			if (run >= need && !found) {
				found = true;
				*free_at = run_start;
			}
			continue;
		}
		run = 0;
		if ((de->attr & 0x3f) == FA_LFN || (de->attr & FA_VOLUME))
			continue;
		if (sn->count == sn->cap) {
			uint32_t cap = sn->cap ? sn->cap * 2 : 64;
			void *p = krealloc(sn->names, cap * 11);
			if (!p) {
				err = -ENOMEM;
				break;
			}
			sn->names = p;
			sn->cap = cap;
		}
		memcpy(sn->names[sn->count++], de->name, 11);
	}
	iter_done(&it);
	if (!found)
		*free_at = run ? run_start : slot;
	*nslots = slot;
	return err;
}

static bool name_taken(struct shortnames *sn, const uint8_t name[11])
{
	for (uint32_t i = 0; i < sn->count; i++)
		if (!memcmp(sn->names[i], name, 11))
			return true;
	return false;
}

/* A unique alias from the basis: NAME~N, then a hashed NA1B2C~N. */
static int make_alias(struct shortnames *sn, uint8_t sfn[11], int baselen,
                      const uint16_t *u, int n)
{
	uint8_t base[8], cand[11];
	memcpy(base, sfn, 8);
	static const char hex[] = "0123456789ABCDEF";
	uint32_t h = fat_hash_name(u, n);
	for (uint32_t i = 1; i < 1000000; i++) {
		char tail[8];
		int tl = snprintf(tail, sizeof(tail), "~%u", i);
		int keep = MIN(baselen, 8 - tl);
		memcpy(cand, sfn, 11);
		memset(cand, ' ', 8);
		if (i <= 4) {
			memcpy(cand, base, keep);
		} else {
			uint8_t hb[8];
			int k = MIN(baselen, 2);
			memcpy(hb, base, k);
			for (int j = 0; j < 4; j++)
				hb[k + j] = (uint8_t)hex[(h >> (12 - 4 * j)) & 15];
			keep = MIN(k + 4, 8 - tl);
			memcpy(cand, hb, keep);
		}
		memcpy(cand + keep, tail, tl);
		if (!name_taken(sn, cand)) {
			memcpy(sfn, cand, 11);
			return 0;
		}
	}
	return -EEXIST;
}

static void put_lfn(struct fat_lfn *l, int ord, bool last, uint8_t csum,
                    const uint16_t *u, int n)
{
	uint16_t c[LFN_CHARS];
	for (int k = 0; k < LFN_CHARS; k++) {
		int i = (ord - 1) * LFN_CHARS + k;
		c[k] = i < n ? u[i] : i == n ? 0 : 0xffff;
	}
	memset(l, 0, sizeof(*l));
	l->ord = (uint8_t)(ord | (last ? LFN_LAST : 0));
	l->attr = FA_LFN;
	l->csum = csum;
	memcpy(l->name1, c, 10);
	memcpy(l->name2, c + 5, 12);
	memcpy(l->name3, c + 11, 4);
}

/* Grow dir so that slot `upto` exists (zeroed clusters). */
static int dir_grow(struct fat_fs *fs, struct inode *dir, uint32_t upto)
{
	if (fixed_root(fs, dir) || upto >= FAT_MAX_DIR_SLOTS)
		return -ENOSPC;
	uint64_t need = ((uint64_t)upto + 1) * DIRENT_SIZE;
	uint32_t ncl = (uint32_t)((need + fs->clsize - 1) / fs->clsize);
	int err = fat_chain_resize(fs, FI(dir), ncl, true);
	if (err)
		return err;
	dir->size = (uint64_t)ncl * fs->clsize;
	dir->blocks = dir->size / 512;
	return 0;
}

int fat_dir_add(struct fat_fs *fs, struct inode *dir, const char *name,
                size_t len, struct fat_dirent *de, struct fat_found *res)
{
	uint16_t *u = kmalloc((NAME_MAX + 1) * sizeof(uint16_t));
	if (!u)
		return -ENOMEM;
	struct shortnames sn = { NULL, 0, 0 };
	int n = fat_name_to_utf16(name, len, u), err = n < 0 ? n : 0;
	bool need_lfn = true, plain = false;
	if (n > 0) {
		plain = fat_plain_short(u, n, de->name, &need_lfn);
		need_lfn |= !plain;
	}
	uint32_t nlfn = need_lfn ? (uint32_t)(n + LFN_CHARS - 1) / LFN_CHARS : 0;
	uint32_t free_at = 0, nslots = 0;
	if (!err)
		err = scan_slots(fs, dir, nlfn + 1, &sn, &free_at, &nslots);
	if (!err && (!plain || name_taken(&sn, de->name))) {
		int baselen;
		fat_alias_basis(u, n, de->name, &baselen);
		err = make_alias(&sn, de->name, baselen, u, n);
	}
	if (!err && de->name[0] == DELETED_MARK)
		de->name[0] = 0x05;
	uint32_t last = free_at + nlfn;
	if (!err && last >= nslots)
		err = dir_grow(fs, dir, last);
	struct slot_iter it = { fs, dir, NULL, 0 };
	uint8_t csum = fat_lfn_csum(de->name);
	for (uint32_t i = 0; !err && i <= nlfn; i++) {
		struct fat_dirent *slot;
		uint64_t ipos;
		err = iter_get(&it, free_at + i, &slot, &ipos);
		if (err)
			break;
		if (i < nlfn) {
			int ord = (int)(nlfn - i);
			put_lfn((struct fat_lfn *)slot, ord, i == 0, csum, u, n);
		} else {
			*slot = *de;
			res->slot = free_at + i;
			res->first = free_at;
			res->ipos = ipos;
			res->de = *de;
		}
		bdirty(it.b);
	}
	iter_done(&it);
	kfree(sn.names);
	kfree(u);
	return err == -ENOENT ? -EIO : err;
}

int fat_dir_remove(struct fat_fs *fs, struct inode *dir, const struct fat_found *f)
{
	struct slot_iter it = { fs, dir, NULL, 0 };
	int err = 0;
	for (uint32_t s = f->first; s <= f->slot; s++) {
		struct fat_dirent *de;
		uint64_t ipos;
		if ((err = iter_get(&it, s, &de, &ipos)))
			break;
		de->name[0] = DELETED_MARK;
		bdirty(it.b);
	}
	iter_done(&it);
	return err;
}

struct buf *fat_ipos_buf(struct fat_fs *fs, uint64_t ipos, struct fat_dirent **de)
{
	uint64_t byte = ipos * DIRENT_SIZE;
	struct buf *b = bread(fs->bd, byte / fs->secsize, fs->secsize);
	if (!IS_ERR(b))
		*de = (struct fat_dirent *)(b->data + byte % fs->secsize);
	return b;
}

static void set_start(struct fat_dirent *de, uint32_t cl)
{
	de->start_hi = (uint16_t)(cl >> 16);
	de->start_lo = (uint16_t)cl;
}

int fat_dir_init(struct fat_fs *fs, uint32_t cl, uint32_t parent_cl,
                 const struct fat_dirent *tmpl)
{
	struct buf *b = bread(fs->bd, fat_cluster_sector(fs, cl), fs->secsize);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	struct fat_dirent *de = (struct fat_dirent *)b->data;
	de[0] = *tmpl;
	memcpy(de[0].name, dot_name, 11);
	de[0].attr = FA_DIR;
	de[0].ntres = 0;
	set_start(&de[0], cl);
	de[0].size = 0;
	de[1] = de[0];
	memcpy(de[1].name, dotdot_name, 11);
	set_start(&de[1], parent_cl);
	bdirty(b);
	brelse(b);
	return 0;
}

int fat_dir_set_dotdot(struct fat_fs *fs, uint32_t cl, uint32_t parent_cl)
{
	struct buf *b = bread(fs->bd, fat_cluster_sector(fs, cl), fs->secsize);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	struct fat_dirent *de = (struct fat_dirent *)b->data;
	if (!memcmp(de[1].name, dotdot_name, 11)) {
		set_start(&de[1], parent_cl);
		bdirty(b);
	}
	brelse(b);
	return 0;
}
