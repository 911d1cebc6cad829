/*
 * kernel/fs/fat/super.c - mounting a FAT volume: the boot sector (BPB)
 * checked field by field, FSInfo, mount options, statfs, sync, remount,
 * unmount, and registration as "vfat" (also "fat" and "msdos").
 *
 * The FAT type is decided as Linux does: FAT32 when the BPB's 16-bit FAT
 * size is zero, else FAT12 below 4085 clusters and FAT16 above; never
 * from the label text.
 * A boot sector whose fields contradict each other or the device is
 * refused with the reason in the log; a volume with a damaged FAT, or
 * one that is FAT32 with FAT mirroring switched off, is mounted
 * read-only. FAT12/16 volumes are written with the same code as FAT32
 * (the tests exercise FAT32 writing most).
 */
#include "fat.h"
#include "mm.h"
#include "task.h"

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

bool fat_rdonly(struct fat_fs *fs)
{
	return !fs->sb || (fs->sb->flags & MS_RDONLY) || fs->bd->read_only ||
	       fs->damaged;
}

void fat_error(struct fat_fs *fs, const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bool was_rw = !fat_rdonly(fs);
	kprintf(KERN_ERR "fat %s: %s%s\n", fs->bd->name, msg,
	        was_rw && fs->sb ? "; remounting read-only" : "");
	fs->damaged = true;
	if (fs->sb)
		fs->sb->flags |= MS_RDONLY;
}

/* Keep the FSInfo sector's free count and next-free hint exact (written
 * only when they change: mounting and reading write nothing). */
void fat_fsinfo_update(struct fat_fs *fs)
{
	if (!fs->fsinfo_sec || fat_rdonly(fs))
		return;
	struct buf *b = bread(fs->bd, fs->fsinfo_sec, fs->secsize);
	if (IS_ERR(b))
		return;
	if (le32(b->data + 488) != fs->free_count ||
	    le32(b->data + 492) != fs->next_free) {
		put32(b->data + 488, fs->free_count);
		put32(b->data + 492, fs->next_free);
		bdirty(b);
	}
	brelse(b);
}

/* ---- options ---- */

static int parse_octal(const char *v, mode_t *out)
{
	char *end;
	unsigned long n = strtoul(v, &end, 8);
	if (end == v || *end || n > 0777)
		return -EINVAL;
	*out = (mode_t)n;
	return 0;
}

static int parse_opts(struct fat_fs *fs, const char *opts)
{
	char buf[256];
	if (!opts)
		return 0;
	size_t len = strlen(opts);
	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, opts, len + 1);
	for (char *o = buf, *next; o && *o; o = next) {
		next = strchr(o, ',');
		if (next)
			*next++ = 0;
		char *v = strchr(o, '=');
		if (v)
			*v++ = 0;
		int err = 0;
		char *end;
		if (!strcmp(o, "uid") && v) {
			fs->uid = (uid_t)strtoul(v, &end, 10);
			err = *end || end == v ? -EINVAL : 0;
		} else if (!strcmp(o, "gid") && v) {
			fs->gid = (gid_t)strtoul(v, &end, 10);
			err = *end || end == v ? -EINVAL : 0;
		} else if (!strcmp(o, "umask") && v) {
			err = parse_octal(v, &fs->fmask);
			fs->dmask = fs->fmask;
		} else if (!strcmp(o, "fmask") && v) {
			err = parse_octal(v, &fs->fmask);
		} else if (!strcmp(o, "dmask") && v) {
			err = parse_octal(v, &fs->dmask);
		} else if (!strcmp(o, "quiet")) {
			fs->quiet = true;
		} else if (!strcmp(o, "ro") || !strcmp(o, "rw") || !strcmp(o, "utf8") ||
		           !strcmp(o, "noatime") || !strcmp(o, "relatime") ||
		           !strcmp(o, "sync") || !strcmp(o, "async") ||
		           (!strcmp(o, "iocharset") && v && !strcmp(v, "utf8")) ||
		           (!strcmp(o, "shortname") && v && !strcmp(v, "mixed")) ||
		           (!strcmp(o, "errors") && v && !strcmp(v, "remount-ro")) ||
		           (!strcmp(o, "tz") && v && !strcmp(v, "UTC")) ||
		           (!strcmp(o, "codepage") && v && !strcmp(v, "437"))) {
			/* what RayOS does anyway */
		} else {
			err = -EINVAL;
		}
		if (err) {
			kprintf(KERN_ERR "fat %s: bad mount option '%s%s%s'\n",
			        fs->bd->name, o, v ? "=" : "", v ? v : "");
			return err;
		}
	}
	return 0;
}

/* ---- the boot sector ---- */

static int refuse(struct fat_fs *fs, const char *why)
{
	kprintf(KERN_ERR "fat %s: not mounting: %s\n", fs->bd->name, why);
	return -EINVAL;
}

static bool pow2(uint32_t v) { return v && !(v & (v - 1)); }

static int read_bpb(struct fat_fs *fs, bool *force_ro)
{
	uint8_t *bs = kmalloc(512);
	if (!bs)
		return -ENOMEM;
	int err = block_read(fs->bd, 0, 1, bs);
	if (err) {
		kfree(bs);
		kprintf(KERN_ERR "fat %s: cannot read the boot sector\n", fs->bd->name);
		return err;
	}
	uint32_t secsize = le16(bs + 11), spc = bs[13], reserved = le16(bs + 14);
	uint32_t nfats = bs[16], root_ent = le16(bs + 17), media = bs[21];
	uint32_t tot16 = le16(bs + 19), fat16 = le16(bs + 22);
	uint32_t tot32 = le32(bs + 32), fat32 = le32(bs + 36);
	uint32_t ext_flags = le16(bs + 40), version = le16(bs + 42);
	uint32_t root_cl = le32(bs + 44), fsinfo = le16(bs + 48);
	kfree(bs);
	if (secsize != 512 && secsize != 1024 && secsize != 2048 && secsize != 4096)
		return refuse(fs, "bytes per sector is not 512..4096");
	if (!pow2(spc) || spc * secsize > 65536)
		return refuse(fs, "bad sectors per cluster");
	if (!reserved)
		return refuse(fs, "no reserved sectors");
	if (nfats < 1 || nfats > 4)
		return refuse(fs, "bad number of FATs");
	if (media != 0xf0 && media < 0xf8)
		return refuse(fs, "bad media byte");
	uint64_t total = tot16 ? tot16 : tot32;
	uint32_t fatsz = fat16 ? fat16 : fat32;
	if (!total || !fatsz)
		return refuse(fs, "zero size or FAT size");
	uint64_t dev_secs = fs->bd->sectors * SECTOR_SIZE / secsize;
	uint32_t root_secs = (root_ent * DIRENT_SIZE + secsize - 1) / secsize;
	uint64_t meta = reserved + (uint64_t)nfats * fatsz + root_secs;
	if (meta >= total)
		return refuse(fs, "metadata larger than the volume");
	uint64_t clusters = (total - meta) / spc;
	if (!clusters)
		return refuse(fs, "no data clusters");
	/* As Linux decides: FAT32 when the 16-bit FAT size is zero (mkfs.fat
	 * makes small FAT32 volumes below the specification's minimum),
	 * otherwise FAT12 or FAT16 by the cluster count. */
	fs->bits = !fat16 ? 32 : clusters < 4085 ? 12 : 16;
	if (fs->bits == 16 && clusters > 65524)
		return refuse(fs, "too many clusters for FAT16");
	if (fs->bits == 32) {
		if (root_ent)
			return refuse(fs, "FAT32 with a fixed root directory");
		if (version)
			return refuse(fs, "unknown FAT32 version");
		if (clusters > 0x0ffffff5)
			return refuse(fs, "too many clusters");
		if (ext_flags & 0x80) {
			kprintf(KERN_WARNING "fat %s: FAT mirroring is off; read-only\n",
			        fs->bd->name);
			*force_ro = true;
		}
	} else if (!root_ent) {
		return refuse(fs, "FAT12/16 without a root directory");
	}
	if ((uint64_t)fatsz * secsize * 8 / fs->bits < clusters + 2)
		return refuse(fs, "the FAT is too small for the cluster count");
	if (total > dev_secs) {
		if (meta + spc > dev_secs)
			return refuse(fs, "the volume is larger than the device");
		kprintf(KERN_WARNING "fat %s: volume is larger than the device; "
		        "read-only\n", fs->bd->name);
		*force_ro = true;
		clusters = (dev_secs - meta) / spc;
	}
	fs->secsize = secsize;
	fs->spc = spc;
	fs->clsize = secsize * spc;
	fs->nfats = nfats;
	fs->fat_start = reserved;
	fs->fat_secs = fatsz;
	fs->root_start = reserved + nfats * fatsz;
	fs->root_slots = root_ent;
	fs->data_start = (uint32_t)meta;
	fs->nclusters = (uint32_t)clusters;
	fs->total_secs = total;
	if (fs->bits == 32) {
		if (!fat_valid_cluster(fs, root_cl))
			return refuse(fs, "root directory cluster out of range");
		fs->root_cluster = root_cl;
		if (fsinfo && fsinfo < reserved && fsinfo != 0xffff)
			fs->fsinfo_sec = fsinfo;
	}
	return 0;
}

static void read_fsinfo(struct fat_fs *fs)
{
	if (!fs->fsinfo_sec)
		return;
	struct buf *b = bread(fs->bd, fs->fsinfo_sec, fs->secsize);
	if (IS_ERR(b)) {
		fs->fsinfo_sec = 0;
		return;
	}
	const uint8_t *p = b->data;
	if (le32(p) != 0x41615252 || le32(p + 484) != 0x61417272 ||
	    le32(p + 508) != 0xaa550000) {
		kprintf(KERN_WARNING "fat %s: FSInfo signatures wrong; not using it\n",
		        fs->bd->name);
		fs->fsinfo_sec = 0;
	} else {
		uint32_t hint = le32(p + 492);
		fs->next_free = fat_valid_cluster(fs, hint) ? hint : 2;
		uint32_t fc = le32(p + 488);
		if (fc != 0xffffffff && fc != fs->free_count && !fs->quiet)
			kprintf(KERN_NOTICE "fat %s: FSInfo free count %u, FAT says "
			        "%u; corrected\n", fs->bd->name, fc, fs->free_count);
	}
	brelse(b);
}

static const struct super_ops fat_super_ops;

static void fs_free(struct fat_fs *fs)
{
	if (!fs)
		return;
	fat_release_bufs(fs);
	fat_itable_free(fs);
	kfree(fs->free_map);
	kfree(fs->pred_map);
	kfree(fs);
}

static struct super_block *fat_mount_as(struct fs_type *type,
                                        struct blockdev *bd,
                                        unsigned long flags, const char *opts)
{
	if (!bd)
		return ERR_PTR(-ENOTBLK);
	struct fat_fs *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return ERR_PTR(-ENOMEM);
	fs->bd = bd;
	mutex_init(&fs->lock, "fat");
	fs->fmask = fs->dmask = fs_umask() & 0777;
	fs->next_ino = 1; /* the root is 1 */
	bool force_ro = bd->read_only;
	int err = parse_opts(fs, opts);
	if (!err)
		err = read_bpb(fs, &force_ro);
	if (!err)
		err = fat_scan(fs);
	if (!err && fs->bits == 32) {
		long n = fat_chain_len(fs, fs->root_cluster);
		if (n <= 0)
			err = refuse(fs, "the root directory's cluster chain is damaged");
	}
	if (err) {
		fs_free(fs);
		bcache_invalidate(bd); /* nothing of it stays cached */
		return ERR_PTR(err);
	}
	read_fsinfo(fs);
	if (fs->damaged || force_ro)
		flags |= MS_RDONLY;
	struct super_block *sb = super_alloc(type->name, MSDOS_SUPER_MAGIC, &fat_super_ops);
	if (!sb) {
		fs_free(fs);
		return ERR_PTR(-ENOMEM);
	}
	sb->priv = fs;
	sb->flags = flags;
	sb->bdev = bd;
	sb->fstype = type;
	sb->blocksize = fs->clsize;
	fs->sb = sb;
	struct inode *root = fat_root_inode(fs);
	if (IS_ERR_OR_NULL(root)) {
		sb->priv = NULL;
		fs_free(fs);
		bcache_invalidate(bd);
		return root ? (void *)root : ERR_PTR(-ENOMEM);
	}
	fat_fsinfo_update(fs);
	if (!fs->quiet)
		kprintf(KERN_INFO "fat %s: FAT%u, %u clusters of %u bytes, %u free%s\n",
		        bd->name, fs->bits, fs->nclusters, fs->clsize,
		        fs->free_count, (sb->flags & MS_RDONLY) ? ", read-only" : "");
	return sb;
}

static int fat_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct fat_fs *fs = FS(sb);
	memset(st, 0, sizeof(*st));
	st->type = MSDOS_SUPER_MAGIC;
	st->namelen = NAME_MAX;
	if (!fs)
		return 0;
	mutex_lock(&fs->lock);
	st->bsize = fs->clsize;
	st->blocks = fs->nclusters;
	st->bfree = st->bavail = fs->free_count;
	mutex_unlock(&fs->lock);
	return 0;
}

static int fat_sync(struct super_block *sb)
{
	struct fat_fs *fs = FS(sb);
	if (!fs)
		return 0;
	mutex_lock(&fs->lock);
	fat_fsinfo_update(fs);
	fat_release_bufs(fs);
	mutex_unlock(&fs->lock);
	return bcache_sync(fs->bd);
}

static int fat_remount(struct super_block *sb, unsigned long flags, const char *opts)
{
	struct fat_fs *fs = FS(sb);
	if (!fs)
		return -EINVAL;
	if (!(flags & MS_RDONLY) && (fs->damaged || fs->bd->read_only)) {
		kprintf(KERN_ERR "fat %s: %s; staying read-only\n", fs->bd->name,
		        fs->damaged ? "damage was found" : "the device is read-only");
		return -EROFS;
	}
	struct fat_fs tmp = *fs;
	if (opts && parse_opts(&tmp, opts))
		return -EINVAL;
	int err = fat_sync(sb);
	mutex_lock(&fs->lock);
	fs->uid = tmp.uid;
	fs->gid = tmp.gid;
	fs->fmask = tmp.fmask;
	fs->dmask = tmp.dmask;
	sb->flags = (sb->flags & ~(unsigned long)MS_RDONLY) | (flags & MS_RDONLY);
	mutex_unlock(&fs->lock);
	return err;
}

static int fat_umount(struct super_block *sb)
{
	struct fat_fs *fs = FS(sb);
	if (!fs)
		return 0;
	int err = fat_sync(sb);
	struct inode *root = sb->root;
	sb->root = NULL;
	inode_put(root);
	if (bcache_invalidate(fs->bd))
		kprintf(KERN_WARNING "fat %s: buffers still in use at unmount\n",
		        fs->bd->name);
	sb->priv = NULL;
	fs_free(fs);
	return err;
}

static const struct super_ops fat_super_ops = {
	.evict = fat_evict,
	.statfs = fat_statfs,
	.sync = fat_sync,
};

/* One mount function per registered name, so /proc/mounts shows the name
 * that was asked for. */
static struct fs_type fat_types[3];
static struct super_block *mount_vfat(struct blockdev *bd, unsigned long f, const char *o)
{
	return fat_mount_as(&fat_types[0], bd, f, o);
}
static struct super_block *mount_fat(struct blockdev *bd, unsigned long f, const char *o)
{
	return fat_mount_as(&fat_types[1], bd, f, o);
}
static struct super_block *mount_msdos(struct blockdev *bd, unsigned long f, const char *o)
{
	return fat_mount_as(&fat_types[2], bd, f, o);
}
static struct fs_type fat_types[3] = {
	{ .name = "vfat", .needs_device = true, .mount = mount_vfat,
	  .remount = fat_remount, .umount = fat_umount },
	{ .name = "fat", .needs_device = true, .mount = mount_fat,
	  .remount = fat_remount, .umount = fat_umount },
	{ .name = "msdos", .needs_device = true, .mount = mount_msdos,
	  .remount = fat_remount, .umount = fat_umount },
};

void fat_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(fat_types); i++)
		fs_type_register(&fat_types[i]);
}
