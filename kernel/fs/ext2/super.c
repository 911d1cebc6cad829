/*
 * kernel/fs/ext2/super.c - mounting ext2: reading and checking the
 * superblock and group descriptors, feature checks, the clean/mount-count
 * bookkeeping Linux does, statfs, sync, remount and unmount.
 *
 * Feature policy (as Linux's ext2): an incompatible feature we do not know
 * refuses the mount; an unknown read-only-compatible feature mounts
 * read-only; compatible features are ignored (dir_index directories are
 * read linearly and lose their index flag when we change them).
 *
 * State: a read-write mount clears EXT2_VALID_FS on disk and counts the
 * mount; a clean unmount (or going read-only) writes back the state found
 * at mount time. So a file system that was not cleanly unmounted is seen
 * without EXT2_VALID_FS next time, and that is reported.
 */
#include "ext2.h"
#include "mm.h"

void ext2_error(struct ext2_sb_info *s, const char *fn, const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf(KERN_ERR "ext2 (%s): error in %s: %s\n", s->bd->name, fn, msg);
	if (!s->has_errors) {
		s->has_errors = true;
		s->es->s_state |= EXT2_ERROR_FS;
		bdirty(s->sbbuf);
		if (!ext2_rdonly(s))
			kprintf(KERN_ERR "ext2 (%s): remounting read-only; run e2fsck\n",
			        s->bd->name);
		s->sb->flags |= MS_RDONLY;
	}
}

void ext2_sb_dirty(struct ext2_sb_info *s)
{
	bdirty(s->sbbuf);
}

struct buf *ext2_bread(struct ext2_sb_info *s, uint32_t blk)
{
	return bread(s->bd, blk, s->bs);
}

static bool is_power_of(uint32_t n, uint32_t base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

/* sparse_super: backups only in groups 0, 1 and powers of 3, 5 and 7. */
bool ext2_group_has_super(struct ext2_sb_info *s, uint32_t g)
{
	if (!(s->ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER) || g <= 1)
		return true;
	if (!(g & 1))
		return false;
	return is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7);
}

static uint32_t group_first(struct ext2_sb_info *s, uint32_t g)
{
	return s->first_data_block + g * s->bpg;
}

static uint32_t group_meta_blocks(struct ext2_sb_info *s, uint32_t g)
{
	return ext2_group_has_super(s, g) ? 1 + s->gdt_blocks + s->reserved_gdt : 0;
}

bool ext2_data_block_ok(struct ext2_sb_info *s, uint32_t blk)
{
	if (blk < s->first_data_block || blk >= s->blocks_count)
		return false;
	uint32_t g = (blk - s->first_data_block) / s->bpg;
	if (blk - group_first(s, g) < group_meta_blocks(s, g))
		return false;
	struct ext2_group_desc *gd = ext2_gd(s, g);
	if (blk == gd->bg_block_bitmap || blk == gd->bg_inode_bitmap)
		return false;
	return blk < gd->bg_inode_table || blk >= gd->bg_inode_table + s->itb_per_group;
}

/* Each group's bitmaps and inode table must lie inside the group, after
 * its superblock copy, and the counts must be possible. */
static int check_groups(struct ext2_sb_info *s)
{
	for (uint32_t g = 0; g < s->ngroups; g++) {
		struct ext2_group_desc *gd = ext2_gd(s, g);
		uint32_t first = group_first(s, g) + group_meta_blocks(s, g);
		uint32_t end = MIN((uint64_t)group_first(s, g) + s->bpg,
		                   (uint64_t)s->blocks_count);
		const char *what = NULL;
		if (gd->bg_block_bitmap < first || gd->bg_block_bitmap >= end)
			what = "block bitmap";
		else if (gd->bg_inode_bitmap < first || gd->bg_inode_bitmap >= end ||
		         gd->bg_inode_bitmap == gd->bg_block_bitmap)
			what = "inode bitmap";
		else if (gd->bg_inode_table < first ||
		         (uint64_t)gd->bg_inode_table + s->itb_per_group > end ||
		         (gd->bg_block_bitmap >= gd->bg_inode_table &&
		          gd->bg_block_bitmap < gd->bg_inode_table + s->itb_per_group) ||
		         (gd->bg_inode_bitmap >= gd->bg_inode_table &&
		          gd->bg_inode_bitmap < gd->bg_inode_table + s->itb_per_group))
			what = "inode table";
		else if (gd->bg_free_blocks_count > end - group_first(s, g) ||
		         gd->bg_free_inodes_count > s->ipg ||
		         gd->bg_used_dirs_count > s->ipg)
			what = "free counts";
		if (what) {
			kprintf(KERN_ERR "ext2 (%s): group descriptor %u: bad %s\n",
			        s->bd->name, g, what);
			return -EUCLEAN;
		}
	}
	return 0;
}

static void recount(struct ext2_sb_info *s)
{
	uint64_t fb = 0, fi = 0;
	for (uint32_t g = 0; g < s->ngroups; g++) {
		fb += ext2_gd(s, g)->bg_free_blocks_count;
		fi += ext2_gd(s, g)->bg_free_inodes_count;
	}
	s->es->s_free_blocks_count = (uint32_t)MIN(fb, (uint64_t)s->blocks_count);
	s->es->s_free_inodes_count = (uint32_t)MIN(fi, (uint64_t)s->inodes_count);
}

static int refuse(struct blockdev *bd, int err, const char *why)
{
	kprintf(KERN_ERR "ext2 (%s): cannot mount: %s\n", bd->name, why);
	return err;
}

/* Check the raw superblock; fill the geometry of s. */
static int check_super(struct ext2_sb_info *s, const struct ext2_super_block *es,
                       struct blockdev *bd)
{
	if (es->s_magic != EXT2_MAGIC)
		return -EINVAL; /* not ext2: quietly, mount(2) may try others */
	if (es->s_rev_level > 1)
		return refuse(bd, -EINVAL, "unknown revision");
	if (es->s_log_block_size > 6)
		return refuse(bd, -EUCLEAN, "bad block size");
	s->bs = 1024u << es->s_log_block_size;
	s->addr_per_block = s->bs / 4;
	s->blocks_count = es->s_blocks_count;
	s->inodes_count = es->s_inodes_count;
	s->first_data_block = es->s_first_data_block;
	s->bpg = es->s_blocks_per_group;
	s->ipg = es->s_inodes_per_group;
	if (es->s_rev_level == 0) {
		s->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		s->first_ino = EXT2_GOOD_OLD_FIRST_INO;
		s->compat = s->incompat = s->ro_compat = 0;
	} else {
		s->inode_size = es->s_inode_size;
		s->first_ino = es->s_first_ino;
		s->compat = es->s_feature_compat;
		s->incompat = es->s_feature_incompat;
		s->ro_compat = es->s_feature_ro_compat;
	}
	if (s->first_data_block != (s->bs == 1024 ? 1u : 0u))
		return refuse(bd, -EUCLEAN, "bad first data block");
	if (s->bpg == 0 || s->bpg > 8 * s->bs || s->ipg == 0 || s->ipg > 8 * s->bs)
		return refuse(bd, -EUCLEAN, "bad blocks or inodes per group");
	if (s->inode_size < EXT2_GOOD_OLD_INODE_SIZE || s->inode_size > s->bs ||
	    (s->inode_size & (s->inode_size - 1)))
		return refuse(bd, -EUCLEAN, "bad inode size");
	if (s->first_ino < EXT2_GOOD_OLD_FIRST_INO || s->first_ino > s->inodes_count)
		return refuse(bd, -EUCLEAN, "bad first inode");
	if (s->blocks_count <= s->first_data_block + 1)
		return refuse(bd, -EUCLEAN, "bad block count");
	s->ngroups = (s->blocks_count - s->first_data_block + s->bpg - 1) / s->bpg;
	if ((uint64_t)s->ngroups * s->ipg != s->inodes_count)
		return refuse(bd, -EUCLEAN, "inode count does not match the groups");
	if ((uint64_t)s->blocks_count * (s->bs / SECTOR_SIZE) > bd->sectors)
		return refuse(bd, -EUCLEAN, "file system is larger than the device");
	s->itb_per_group = (s->ipg * s->inode_size + s->bs - 1) / s->bs;
	s->gdt_blocks = (s->ngroups * (uint32_t)sizeof(struct ext2_group_desc) +
	                 s->bs - 1) / s->bs;
	s->reserved_gdt = es->s_rev_level ? es->s_reserved_gdt_blocks : 0;
	if (s->reserved_gdt > s->addr_per_block ||
	    1 + s->gdt_blocks + s->reserved_gdt + 2 + s->itb_per_group > s->bpg)
		return refuse(bd, -EUCLEAN, "group descriptors do not fit");
	uint64_t p = s->addr_per_block;
	s->max_file_blocks = EXT2_NDIR_BLOCKS + p + p * p + p * p * p;
	return 0;
}

static const struct super_ops ext2_super_ops;

static void release_buffers(struct ext2_sb_info *s)
{
	if (s->gdbufs) {
		for (uint32_t i = 0; i < s->gdt_blocks; i++)
			if (!IS_ERR_OR_NULL(s->gdbufs[i]))
				brelse(s->gdbufs[i]);
		kfree(s->gdbufs);
	}
	if (!IS_ERR_OR_NULL(s->sbbuf))
		brelse(s->sbbuf);
}

/* Make the mount read-write on disk: count it, mark it not clean. */
static void mark_mounted(struct ext2_sb_info *s)
{
	struct ext2_super_block *es = s->es;
	if (!(s->mount_state & EXT2_VALID_FS))
		kprintf(KERN_WARNING "ext2 (%s): was not cleanly unmounted, "
		        "running e2fsck is recommended\n", s->bd->name);
	else if (s->mount_state & EXT2_ERROR_FS)
		kprintf(KERN_WARNING "ext2 (%s): mounting a file system with errors, "
		        "running e2fsck is recommended\n", s->bd->name);
	else if (es->s_max_mnt_count > 0 && es->s_mnt_count >= es->s_max_mnt_count)
		kprintf(KERN_WARNING "ext2 (%s): maximal mount count reached, "
		        "running e2fsck is recommended\n", s->bd->name);
	es->s_state &= (uint16_t)~EXT2_VALID_FS;
	es->s_mnt_count++;
	es->s_mtime = (uint32_t)current_time().sec;
	recount(s);
	bwrite(s->sbbuf); /* on disk before anything else changes */
}

/* Write back the state found at mount time (clean unmount, going ro). */
static void mark_clean(struct ext2_sb_info *s)
{
	struct ext2_super_block *es = s->es;
	es->s_state = s->mount_state | (es->s_state & EXT2_ERROR_FS);
	es->s_wtime = (uint32_t)current_time().sec;
	bdirty(s->sbbuf);
}

static struct super_block *ext2_mount(struct blockdev *bd, unsigned long flags,
                                      const char *opts)
{
	(void)opts;
	if (!bd)
		return ERR_PTR(-ENOTBLK);
	struct ext2_sb_info *s = kzalloc(sizeof(*s));
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->bd = bd;
	mutex_init(&s->alloc_lock, "ext2 alloc");
	mutex_init(&s->icache_lock, "ext2 icache");
	int err;
	/* The superblock is at byte 1024 whatever the block size. */
	struct buf *b = bread(bd, 1, 1024);
	if (IS_ERR(b)) {
		err = (int)PTR_ERR(b);
		goto fail;
	}
	err = check_super(s, (struct ext2_super_block *)b->data, bd);
	brelse(b);
	bcache_invalidate(bd); /* drop the 1 KiB buffer: one size per device */
	if (err)
		goto fail;
	s->sbbuf = bread(bd, s->bs == 1024 ? 1 : 0, s->bs);
	if (IS_ERR(s->sbbuf)) {
		err = (int)PTR_ERR(s->sbbuf);
		goto fail;
	}
	s->es = (struct ext2_super_block *)(s->sbbuf->data + (s->bs == 1024 ? 0 : 1024));
	if (s->es->s_magic != EXT2_MAGIC) {
		err = refuse(bd, -EIO, "superblock changed while mounting");
		goto fail;
	}
	if (s->incompat & ~EXT2_INCOMPAT_SUPP) {
		kprintf(KERN_ERR "ext2 (%s): cannot mount: unsupported incompatible "
		        "features %#x\n", bd->name, s->incompat & ~EXT2_INCOMPAT_SUPP);
		err = -EINVAL;
		goto fail;
	}
	if (s->ro_compat & ~EXT2_RO_COMPAT_SUPP && !(flags & MS_RDONLY)) {
		kprintf(KERN_WARNING "ext2 (%s): unsupported read-only-compatible "
		        "features %#x: mounting read-only\n", bd->name,
		        s->ro_compat & ~EXT2_RO_COMPAT_SUPP);
		flags |= MS_RDONLY;
	}
	if (bd->read_only)
		flags |= MS_RDONLY;
	s->gdbufs = kzalloc(s->gdt_blocks * sizeof(struct buf *));
	if (!s->gdbufs) {
		err = -ENOMEM;
		goto fail;
	}
	for (uint32_t i = 0; i < s->gdt_blocks; i++) {
		s->gdbufs[i] = bread(bd, s->first_data_block + 1 + i, s->bs);
		if (IS_ERR(s->gdbufs[i])) {
			err = (int)PTR_ERR(s->gdbufs[i]);
			goto fail;
		}
	}
	err = check_groups(s);
	if (err)
		goto fail;
	s->mount_state = s->es->s_state;
	struct super_block *sb = super_alloc("ext2", EXT2_MAGIC, &ext2_super_ops);
	if (!sb) {
		err = -ENOMEM;
		goto fail;
	}
	s->sb = sb;
	sb->priv = s;
	sb->blocksize = s->bs;
	sb->bdev = bd;
	sb->fstype = &ext2_fs_type;
	sb->flags = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC |
	                     MS_SYNCHRONOUS | MS_NOATIME);
	struct inode *root;
	err = ext2_iget(sb, EXT2_ROOT_INO, &root);
	if (!err && !S_ISDIR(root->mode)) {
		inode_put(root);
		err = -EUCLEAN;
	}
	if (err) {
		refuse(bd, err, "bad root directory");
		ext2_icache_drop_all(s);
		goto fail; /* the super_block itself is never freed (super.c) */
	}
	sb->root = root;
	if (!ext2_rdonly(s))
		mark_mounted(s);
	kprintf("ext2 (%s): mounted %s, %u-byte blocks, %u groups%s\n", bd->name,
	        ext2_rdonly(s) ? "read-only" : "read-write", s->bs, s->ngroups,
	        (s->mount_state & EXT2_VALID_FS) ? "" : " (not clean)");
	return sb;
fail:
	release_buffers(s);
	kfree(s);
	return ERR_PTR(err);
}

static int ext2_sync(struct super_block *sb)
{
	struct ext2_sb_info *s = EXT2_SB(sb);
	return bcache_sync(s->bd);
}

static int ext2_remount(struct super_block *sb, unsigned long flags,
                        const char *opts)
{
	(void)opts;
	struct ext2_sb_info *s = EXT2_SB(sb);
	bool want_ro = (flags & MS_RDONLY) != 0;
	if (want_ro == ext2_rdonly(s))
		return 0;
	if (want_ro) {
		mark_clean(s);
		sb->flags |= MS_RDONLY;
		return bcache_sync(s->bd);
	}
	if ((s->ro_compat & ~EXT2_RO_COMPAT_SUPP) || s->bd->read_only ||
	    s->has_errors)
		return -EROFS;
	s->mount_state = s->es->s_state;
	sb->flags &= ~(unsigned long)MS_RDONLY;
	mark_mounted(s);
	return 0;
}

static int ext2_umount(struct super_block *sb)
{
	struct ext2_sb_info *s = EXT2_SB(sb);
	if (sb->root) {
		inode_put(sb->root);
		sb->root = NULL;
	}
	ext2_icache_drop_all(s);
	if (!ext2_rdonly(s) || s->has_errors)
		mark_clean(s);
	int err = bcache_sync(s->bd);
	release_buffers(s);
	if (bcache_invalidate(s->bd))
		kprintf(KERN_WARNING "ext2 (%s): buffers still in use at unmount\n",
		        s->bd->name);
	kfree(s);
	sb->priv = NULL;
	return err;
}

/* Blocks of metadata (superblock copies, descriptors, bitmaps, inode
 * tables): not counted in f_blocks, as Linux's default "bsddf". */
static uint64_t overhead(struct ext2_sb_info *s)
{
	uint64_t o = s->first_data_block;
	for (uint32_t g = 0; g < s->ngroups; g++)
		o += group_meta_blocks(s, g) + 2 + s->itb_per_group;
	return o;
}

static int ext2_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct ext2_sb_info *s = EXT2_SB(sb);
	memset(st, 0, sizeof(*st));
	st->type = EXT2_MAGIC;
	st->bsize = s->bs;
	mutex_lock(&s->alloc_lock);
	uint64_t o = overhead(s);
	st->blocks = s->blocks_count > o ? s->blocks_count - o : 0;
	st->bfree = s->es->s_free_blocks_count;
	st->bavail = st->bfree > s->es->s_r_blocks_count
	             ? st->bfree - s->es->s_r_blocks_count : 0;
	st->files = s->inodes_count;
	st->ffree = s->es->s_free_inodes_count;
	mutex_unlock(&s->alloc_lock);
	st->namelen = EXT2_NAME_LEN;
	return 0;
}

static const struct super_ops ext2_super_ops = {
	.evict = ext2_evict,
	.statfs = ext2_statfs,
	.sync = ext2_sync,
};

struct fs_type ext2_fs_type = {
	.name = "ext2",
	.needs_device = true,
	.mount = ext2_mount,
	.remount = ext2_remount,
	.umount = ext2_umount,
};

void ext2_init(void)
{
	fs_type_register(&ext2_fs_type);
}
