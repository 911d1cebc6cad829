/*
 * kernel/fs/fat/inode.c - inodes made from directory entries, and the
 * namespace operations (lookup, create, mkdir, unlink, rmdir, rename).
 *
 * The ipos table (fat.h) gives every short entry position seen while
 * mounted a stable inode number and finds the live inode for it. A file
 * that is unlinked while open leaves the table (ipos 0, "detached") and
 * keeps its clusters until its last reference goes (evict).
 *
 * Rename writes the new name first and then removes the old one; when
 * the target exists its short entry is overwritten in place (one 32-byte
 * write switches the name to the new file), so the target name never
 * disappears - the atomic replace that POSIX asks for, as far as FAT can.
 *
 * FAT has no hard links, symbolic links or device nodes: those are EPERM.
 */
#include "fat.h"
#include "mm.h"

struct fat_ient {
	uint64_t ipos;
	ino_t ino;
	struct inode *live;
	struct fat_ient *next;
};

static unsigned ihash(uint64_t ipos)
{
	return (unsigned)((ipos * 0x9e3779b97f4a7c15ull) >> 54) % FAT_IHASH;
}

static struct fat_ient *ient_find(struct fat_fs *fs, uint64_t ipos, bool make)
{
	struct fat_ient **pp = &fs->ihash[ihash(ipos)];
	for (struct fat_ient *e = *pp; e; e = e->next)
		if (e->ipos == ipos)
			return e;
	if (!make)
		return NULL;
	struct fat_ient *e = kzalloc(sizeof(*e));
	if (!e)
		return NULL;
	e->ipos = ipos;
	e->ino = ++fs->next_ino;
	e->next = *pp;
	*pp = e;
	return e;
}

static void ient_drop(struct fat_fs *fs, uint64_t ipos)
{
	for (struct fat_ient **pp = &fs->ihash[ihash(ipos)]; *pp; pp = &(*pp)->next) {
		if ((*pp)->ipos == ipos) {
			struct fat_ient *e = *pp;
			*pp = e->next;
			kfree(e);
			return;
		}
	}
}

ino_t fat_ino_for(struct fat_fs *fs, uint64_t ipos)
{
	struct fat_ient *e = ient_find(fs, ipos, true);
	return e ? e->ino : (ino_t)(0x100000000ull + ipos); /* out of memory */
}

/*
 * Claims: which entry a first cluster belongs to, recorded as entries are
 * loaded. Two entries naming the same first cluster (a cross-link the FAT
 * scan cannot see) are caught when the second one is loaded; writing
 * through either would change the other, so both become EIO and the
 * volume read-only. A claim is only a hint: it is checked against the
 * claiming entry on disk, so claims left behind by unlink, rename or
 * truncation are simply replaced.
 */
struct fat_claim {
	uint32_t start;
	uint64_t ipos;
	struct fat_claim *next;
};

static bool entry_has_start(struct fat_fs *fs, uint64_t ipos, uint32_t start)
{
	struct fat_dirent *de;
	struct buf *b = fat_ipos_buf(fs, ipos, &de);
	if (IS_ERR(b))
		return false;
	bool has = de->name[0] && de->name[0] != DELETED_MARK &&
	           (de->attr & 0x3f) != FA_LFN && fat_de_start(de) == start;
	brelse(b);
	return has;
}

/* Record that the entry at ipos starts at start; false if another live
 * entry already does. */
static bool claim(struct fat_fs *fs, uint32_t start, uint64_t ipos, uint64_t *other)
{
	struct fat_claim **pp = &fs->claims[ihash(start)];
	for (struct fat_claim *c = *pp; c; c = c->next) {
		if (c->start != start)
			continue;
		if (c->ipos != ipos && entry_has_start(fs, c->ipos, start)) {
			*other = c->ipos;
			return false;
		}
		c->ipos = ipos;
		return true;
	}
	struct fat_claim *c = kmalloc(sizeof(*c));
	if (c) { /* without memory the check is skipped, nothing worse */
		c->start = start;
		c->ipos = ipos;
		c->next = *pp;
		*pp = c;
	}
	return true;
}

void fat_itable_free(struct fat_fs *fs)
{
	for (unsigned i = 0; i < FAT_IHASH; i++) {
		while (fs->ihash[i]) {
			struct fat_ient *e = fs->ihash[i];
			fs->ihash[i] = e->next;
			kfree(e);
		}
		while (fs->claims[i]) {
			struct fat_claim *c = fs->claims[i];
			fs->claims[i] = c->next;
			kfree(c);
		}
	}
}

uint32_t fat_de_start(const struct fat_dirent *de)
{
	return (uint32_t)de->start_hi << 16 | de->start_lo;
}

static mode_t fat_mode(struct fat_fs *fs, uint8_t attr)
{
	mode_t m;
	if (attr & FA_DIR)
		m = S_IFDIR | (0777 & ~fs->dmask);
	else
		m = S_IFREG | (0777 & ~fs->fmask);
	if (attr & FA_RDONLY)
		m &= ~(mode_t)0222;
	return m;
}

static struct inode *new_inode(struct fat_fs *fs, uint8_t attr)
{
	struct inode *ino = inode_alloc(fs->sb, fat_mode(fs, attr));
	if (!ino)
		return NULL;
	struct fat_inode *fi = kzalloc(sizeof(*fi));
	if (!fi) {
		inode_free(ino);
		return NULL;
	}
	ino->priv = fi;
	fi->attr = attr;
	ino->uid = fs->uid;
	ino->gid = fs->gid;
	if (attr & FA_DIR) {
		ino->iops = &fat_dir_iops;
		ino->fops = &dir_file_ops;
	} else {
		ino->iops = &fat_file_iops;
		ino->fops = &fat_file_ops;
	}
	return ino;
}

struct inode *fat_root_inode(struct fat_fs *fs)
{
	struct inode *ino = new_inode(fs, FA_DIR);
	if (!ino)
		return NULL;
	struct fat_inode *fi = FI(ino);
	ino->ino = 1;
	fs->sb->root = ino;
	memset(&ino->mtime, 0, sizeof(ino->mtime));
	ino->atime = ino->ctime = ino->mtime;
	if (fs->bits == 32) {
		fi->start = fs->root_cluster;
		long n = fat_chain_len(fs, fi->start);
		if (n <= 0) {
			fat_error(fs, "root directory chain from %u is damaged",
			          fi->start);
			return ERR_PTR(n < 0 ? n : -EIO);
		}
		ino->size = (uint64_t)n * fs->clsize;
	} else {
		ino->size = (uint64_t)fs->root_slots * DIRENT_SIZE;
	}
	ino->blocks = ino->size / 512;
	int sub = fat_dir_count_subdirs(fs, ino);
	ino->nlink = 2 + (sub > 0 ? (uint32_t)sub : 0);
	return ino;
}

/* The inode for a found entry in dir: the live one, or a new one. */
static int get_inode(struct fat_fs *fs, struct inode *dir,
                     const struct fat_found *f, struct inode **res)
{
	struct fat_ient *e = ient_find(fs, f->ipos, true);
	if (!e)
		return -ENOMEM;
	if (e->live) {
		*res = inode_get(e->live);
		return 0;
	}
	const struct fat_dirent *de = &f->de;
	struct inode *ino = new_inode(fs, de->attr);
	if (!ino)
		return -ENOMEM;
	struct fat_inode *fi = FI(ino);
	ino->ino = e->ino;
	fi->ipos = f->ipos;
	fi->start = fat_de_start(de);
	ino->mtime = fat_time_to_ts(de->mdate, de->mtime, 0);
	ino->ctime = de->cdate ? fat_time_to_ts(de->cdate, de->ctime, de->ctime_cs)
	                       : ino->mtime;
	ino->atime = de->adate ? fat_time_to_ts(de->adate, 0, 0) : ino->mtime;
	if (fs->bits != 32)
		fi->start &= 0xffff;
	if (fi->start && (!fat_start_ok(fs, fi->start) ||
	                  (fs->bits == 32 && fi->start == fs->root_cluster))) {
		kprintf(KERN_ERR "fat %s: entry at %llu starts at cluster %u, "
		        "which is free, inside another chain or the root's\n", fs->bd->name,
		        (unsigned long long)f->ipos, fi->start);
		fi->bad = true;
	}
	uint64_t other;
	if (fi->start && !fi->bad && !claim(fs, fi->start, f->ipos, &other)) {
		fat_error(fs, "entries at %llu and %llu share cluster %u",
		          (unsigned long long)f->ipos, (unsigned long long)other,
		          fi->start);
		fi->bad = true;
		struct fat_ient *oe = ient_find(fs, other, false);
		if (oe && oe->live)
			FI(oe->live)->bad = true;
	}
	if (de->attr & FA_DIR) {
		long n = fi->bad || !fi->start ? -EIO : fat_chain_len(fs, fi->start);
		if (n < 0) {
			fi->bad = true;
			n = 0;
		}
		ino->size = (uint64_t)n * fs->clsize;
		fi->parent = inode_get(dir);
		int sub = fi->bad ? 0 : fat_dir_count_subdirs(fs, ino);
		ino->nlink = 2 + (sub > 0 ? (uint32_t)sub : 0);
	} else {
		ino->size = de->size;
		if (!fi->start && de->size)
			fi->bad = true;
	}
	ino->blocks = ALIGN_UP(ino->size, (uint64_t)fs->clsize) / 512;
	e->live = ino;
	*res = ino;
	return 0;
}

/* Write ino's size, first cluster, attributes and times to its entry. */
/* FAT's resolution, applied in memory too so that stat agrees with the
 * disk at once: modification in 2 s steps, access by the day, and ctime
 * in 10 ms steps in the "creation" stamp, where Linux keeps it too. */
static void round_times(struct inode *ino)
{
	ino->mtime.sec &= ~(int64_t)1;
	ino->mtime.nsec = 0;
	ino->ctime.nsec -= ino->ctime.nsec % 10000000;
	ino->atime.sec -= ((ino->atime.sec % 86400) + 86400) % 86400;
	ino->atime.nsec = 0;
}

int fat_write_inode(struct fat_fs *fs, struct inode *ino)
{
	struct fat_inode *fi = FI(ino);
	round_times(ino);
	if (!fi->ipos || fat_rdonly(fs))
		return 0;
	struct fat_dirent *de;
	struct buf *b = fat_ipos_buf(fs, fi->ipos, &de);
	if (IS_ERR(b))
		return (int)PTR_ERR(b);
	de->start_hi = (uint16_t)(fi->start >> 16);
	de->start_lo = (uint16_t)fi->start;
	de->size = S_ISDIR(ino->mode) ? 0 : (uint32_t)ino->size;
	de->attr = fi->attr;
	fat_ts_to_time(ino->mtime, &de->mdate, &de->mtime, NULL);
	fat_ts_to_time(ino->ctime, &de->cdate, &de->ctime, &de->ctime_cs);
	uint16_t t;
	fat_ts_to_time(ino->atime, &de->adate, &t, NULL);
	bdirty(b);
	brelse(b);
	return 0;
}

void fat_evict(struct inode *ino)
{
	struct fat_fs *fs = FS(ino->sb);
	struct fat_inode *fi = FI(ino);
	struct inode *parent = NULL;
	if (fi && fs) {
		mutex_lock(&fs->lock);
		if (fi->ipos) {
			struct fat_ient *e = ient_find(fs, fi->ipos, false);
			if (e && e->live == ino)
				e->live = NULL;
		}
		if (ino->nlink == 0 && fi->start && !fi->bad && !fat_rdonly(fs))
			fat_free_chain(fs, fi->start);
		mutex_unlock(&fs->lock);
		parent = fi->parent;
	}
	kfree(fi);
	inode_free(ino);
	inode_put(parent);
}

/* ---- namespace operations ---- */

static int fat_lookup(struct inode *dir, const char *name, size_t len,
                      struct inode **res)
{
	struct fat_fs *fs = FS(dir->sb);
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		struct inode *p = FI(dir)->parent;
		*res = inode_get(p ? p : dir);
		return 0;
	}
	mutex_lock(&fs->lock);
	struct fat_found f;
	int err = FI(dir)->bad ? -EIO : fat_dir_find(fs, dir, name, len, &f);
	if (!err)
		err = get_inode(fs, dir, &f, res);
	mutex_unlock(&fs->lock);
	return err;
}

/* A directory's entries changed: new mtime, on disk too. */
static void dir_changed(struct fat_fs *fs, struct inode *dir)
{
	inode_touch(dir, false, true, true);
	fat_write_inode(fs, dir);
}

static int check_write(struct fat_fs *fs, struct inode *dir)
{
	if (fat_rdonly(fs))
		return -EROFS;
	if (FI(dir)->bad)
		return -EIO;
	if (!fat_is_root(dir) && !FI(dir)->ipos)
		return -ENOENT; /* removed directory */
	return 0;
}

static void fill_new_entry(struct fat_dirent *de, uint8_t attr, uint32_t start)
{
	memset(de, 0, sizeof(*de));
	de->attr = attr;
	de->start_hi = (uint16_t)(start >> 16);
	de->start_lo = (uint16_t)start;
	fat_ts_to_time(current_time(), &de->cdate, &de->ctime, &de->ctime_cs);
	de->mdate = de->adate = de->cdate;
	de->mtime = de->ctime;
}

static int fat_create(struct inode *dir, const char *name, size_t len,
                      mode_t mode, struct inode **res)
{
	struct fat_fs *fs = FS(dir->sb);
	mutex_lock(&fs->lock);
	int err = check_write(fs, dir);
	struct fat_found f;
	fill_new_entry(&f.de, FA_ARCH | (mode & 0222 ? 0 : FA_RDONLY), 0);
	if (!err)
		err = fat_dir_add(fs, dir, name, len, &f.de, &f);
	if (!err)
		err = get_inode(fs, dir, &f, res);
	if (!err)
		dir_changed(fs, dir);
	mutex_unlock(&fs->lock);
	return err;
}

static int fat_mkdir(struct inode *dir, const char *name, size_t len,
                     mode_t mode __unused)
{
	struct fat_fs *fs = FS(dir->sb);
	mutex_lock(&fs->lock);
	int err = check_write(fs, dir);
	struct fat_inode tmp = { 0 };
	if (!err)
		err = fat_chain_resize(fs, &tmp, 1, true);
	struct fat_found f;
	if (!err) {
		fill_new_entry(&f.de, FA_DIR, tmp.start);
		err = fat_dir_init(fs, tmp.start, fat_is_root(dir) ? 0 : FI(dir)->start, &f.de);
		if (!err)
			err = fat_dir_add(fs, dir, name, len, &f.de, &f);
		if (err)
			fat_free_chain(fs, tmp.start);
	}
	if (!err) {
		dir->nlink++;
		dir_changed(fs, dir);
	}
	mutex_unlock(&fs->lock);
	return err;
}

/* Take the entry f out of dir: a live inode is detached (its clusters
 * go at evict), otherwise the clusters go now. */
static int drop_entry(struct fat_fs *fs, struct inode *dir,
                      const struct fat_found *f, bool free_data)
{
	int err = fat_dir_remove(fs, dir, f);
	if (err)
		return err;
	struct fat_ient *e = ient_find(fs, f->ipos, false);
	struct inode *live = e ? e->live : NULL;
	ient_drop(fs, f->ipos);
	if (live) {
		FI(live)->ipos = 0;
		live->nlink = 0;
		inode_touch(live, false, false, true);
	} else if (free_data) {
		uint32_t start = fat_de_start(&f->de);
		if (fs->bits != 32)
			start &= 0xffff;
		if (start && fat_start_ok(fs, start))
			fat_free_chain(fs, start);
	}
	dir_changed(fs, dir);
	return 0;
}

static int fat_unlink(struct inode *dir, const char *name, size_t len)
{
	struct fat_fs *fs = FS(dir->sb);
	mutex_lock(&fs->lock);
	struct fat_found f;
	int err = check_write(fs, dir);
	if (!err)
		err = fat_dir_find(fs, dir, name, len, &f);
	if (!err && (f.de.attr & FA_DIR))
		err = -EISDIR;
	if (!err)
		err = drop_entry(fs, dir, &f, true);
	mutex_unlock(&fs->lock);
	return err;
}

static int fat_rmdir(struct inode *dir, const char *name, size_t len)
{
	struct fat_fs *fs = FS(dir->sb);
	struct inode *victim = NULL;
	int err = fat_lookup(dir, name, len, &victim);
	if (err)
		return err;
	mutex_lock(&fs->lock);
	struct fat_found f;
	err = check_write(fs, dir);
	if (!err)
		err = fat_dir_find(fs, dir, name, len, &f);
	if (!err && !S_ISDIR(victim->mode))
		err = -ENOTDIR;
	if (!err && victim->mounted)
		err = -EBUSY;
	if (!err && FI(victim)->bad)
		err = -EIO;
	if (!err) {
		int e = fat_dir_empty(fs, victim);
		err = e < 0 ? e : e ? 0 : -ENOTEMPTY;
	}
	if (!err)
		err = drop_entry(fs, dir, &f, false);
	if (!err)
		dir->nlink--;
	mutex_unlock(&fs->lock);
	inode_put(victim); /* last reference: evict frees the clusters */
	return err;
}

static int fat_rename(struct inode *olddir, const char *oldname, size_t oldlen,
                      struct inode *newdir, const char *newname, size_t newlen)
{
	struct fat_fs *fs = FS(olddir->sb);
	struct inode *src = NULL, *victim = NULL, *oldparent = NULL;
	int err = fat_lookup(olddir, oldname, oldlen, &src);
	if (err)
		return err;
	if (fat_lookup(newdir, newname, newlen, &victim))
		victim = NULL;
	mutex_lock(&fs->lock);
	struct fat_found of, nf;
	err = check_write(fs, olddir);
	if (!err)
		err = check_write(fs, newdir);
	if (!err)
		err = fat_dir_find(fs, olddir, oldname, oldlen, &of);
	if (!err && victim == src)
		goto out; /* another spelling of the same entry */
	if (!err && FI(src)->bad)
		err = -EIO;
	if (!err && victim) {
		if (S_ISDIR(victim->mode)) {
			if (!S_ISDIR(src->mode))
				err = -EISDIR;
			else if (victim->mounted)
				err = -EBUSY;
			else {
				int e = fat_dir_empty(fs, victim);
				err = e < 0 ? e : e ? 0 : -ENOTEMPTY;
			}
		} else if (S_ISDIR(src->mode)) {
			err = -ENOTDIR;
		}
	}
	if (err)
		goto out;
	/* The new entry: the source's entry with the new name. */
	struct fat_dirent de = of.de;
	if (victim) {
		err = fat_dir_find(fs, newdir, newname, newlen, &nf);
		if (err)
			goto out;
		struct fat_dirent *slot;
		struct buf *b = fat_ipos_buf(fs, nf.ipos, &slot);
		if (IS_ERR(b)) {
			err = (int)PTR_ERR(b);
			goto out;
		}
		memcpy(de.name, slot->name, 11);
		de.ntres = slot->ntres;
		*slot = de;
		bdirty(b);
		brelse(b);
		/* The victim is now nameless: detach it, free its data. */
		struct fat_ient *e = ient_find(fs, nf.ipos, false);
		if (e && e->live == victim)
			e->live = NULL;
		FI(victim)->ipos = 0;
		victim->nlink = 0;
		inode_touch(victim, false, false, true);
		nf.de = de;
	} else {
		err = fat_dir_add(fs, newdir, newname, newlen, &de, &nf);
		if (err)
			goto out;
	}
	err = fat_dir_remove(fs, olddir, &of);
	if (err)
		goto out;
	/* Move the inode number and the live inode to the new position. */
	struct fat_ient *oe = ient_find(fs, of.ipos, false);
	ino_t keep = oe ? oe->ino : src->ino;
	ient_drop(fs, of.ipos);
	ient_drop(fs, nf.ipos);
	struct fat_ient *ne = ient_find(fs, nf.ipos, true);
	if (ne) {
		ne->ino = keep;
		ne->live = src;
	}
	FI(src)->ipos = nf.ipos;
	inode_touch(src, false, false, true);
	fat_write_inode(fs, src);
	if (S_ISDIR(src->mode) && olddir != newdir) {
		fat_dir_set_dotdot(fs, FI(src)->start,
		                   fat_is_root(newdir) ? 0 : FI(newdir)->start);
		oldparent = FI(src)->parent;
		FI(src)->parent = inode_get(newdir);
		olddir->nlink--;
		if (!victim)
			newdir->nlink++;
	}
	dir_changed(fs, olddir);
	dir_changed(fs, newdir);
out:
	mutex_unlock(&fs->lock);
	inode_put(oldparent);
	inode_put(victim);
	inode_put(src);
	return err;
}

static int fat_readdir(struct inode *dir, off_t *pos, filldir_t fill, void *ctx)
{
	struct fat_fs *fs = FS(dir->sb);
	if (FI(dir)->bad)
		return -EIO;
	mutex_lock(&fs->lock);
	int err = fat_readdir_locked(fs, dir, pos, fill, ctx);
	mutex_unlock(&fs->lock);
	return err;
}

static int fat_setattr(struct inode *ino, const struct iattr *a)
{
	struct fat_fs *fs = FS(ino->sb);
	struct fat_inode *fi = FI(ino);
	if (a->valid & ATTR_UID && a->uid != fs->uid)
		return -EPERM;
	if (a->valid & ATTR_GID && a->gid != fs->gid)
		return -EPERM;
	if (a->valid & ATTR_MODE) {
		/* Only the write bits mean something (the read-only attribute);
		 * any other change is not representable. */
		mode_t want = a->mode & 07777, ro = fat_mode(fs, fi->attr | FA_RDONLY) & 07777;
		mode_t rw = fat_mode(fs, fi->attr & ~FA_RDONLY) & 07777;
		if (want != ro && want != rw && (want & ~(mode_t)0222) != (rw & ~(mode_t)0222))
			return -EPERM;
	}
	mutex_lock(&fs->lock);
	int err = fat_rdonly(fs) ? -EROFS : fi->bad ? -EIO : 0;
	if (!err && (a->valid & ATTR_SIZE)) {
		err = S_ISREG(ino->mode) ? fat_truncate(fs, ino, a->size) : -EISDIR;
		if (!err)
			inode_touch(ino, false, true, true);
	}
	if (!err) {
		if (a->valid & ATTR_MODE) {
			if (a->mode & 0222)
				fi->attr &= (uint8_t)~FA_RDONLY;
			else
				fi->attr |= FA_RDONLY;
			ino->mode = fat_mode(fs, fi->attr);
		}
		if (a->valid & ATTR_ATIME)
			ino->atime = a->atime;
		if (a->valid & ATTR_MTIME)
			ino->mtime = a->mtime;
		if (a->valid & (ATTR_MODE | ATTR_UID | ATTR_GID))
			inode_touch(ino, false, false, true);
		err = fat_write_inode(fs, ino);
	}
	mutex_unlock(&fs->lock);
	return err;
}

static int fat_noperm_link(struct inode *dir __unused, const char *name __unused,
                           size_t len __unused, struct inode *target __unused)
{
	return -EPERM;
}

static int fat_noperm_symlink(struct inode *dir __unused, const char *name __unused,
                              size_t len __unused, const char *target __unused)
{
	return -EPERM;
}

static int fat_noperm_mknod(struct inode *dir __unused, const char *name __unused,
                            size_t len __unused, mode_t mode __unused,
                            dev_t rdev __unused)
{
	return -EPERM;
}

const struct inode_ops fat_dir_iops = {
	.lookup = fat_lookup,
	.create = fat_create,
	.mkdir = fat_mkdir,
	.mknod = fat_noperm_mknod,
	.symlink = fat_noperm_symlink,
	.link = fat_noperm_link,
	.unlink = fat_unlink,
	.rmdir = fat_rmdir,
	.rename = fat_rename,
	.setattr = fat_setattr,
	.readdir = fat_readdir,
};

const struct inode_ops fat_file_iops = {
	.setattr = fat_setattr,
};
