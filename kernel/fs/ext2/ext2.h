/*
 * kernel/fs/ext2/ext2.h - the second extended file system: on-disk layout
 * and the driver's internal interfaces.
 *
 * Design (see README.md in this folder for the longer story):
 *  - Every block goes through the buffer cache (bcache.h) in buffers of the
 *    file system's block size; nothing is cached twice.
 *  - The superblock and the group-descriptor blocks stay referenced in the
 *    cache for the whole mount and are modified in place (bdirty), so the
 *    free counts on disk are always the exact in-memory ones after a sync.
 *  - In-memory inodes are the VFS's struct inode plus a struct ext2_inode
 *    (priv) holding the block map and flags. Each change is copied into the
 *    inode-table buffer at once (ext2_write_inode); there is no separate
 *    dirty-inode list to lose.
 *  - One struct inode per inode number: a small hash per mount
 *    (inode.c); evict() writes back and drops it.
 *  - Anything read from the disk is checked before use (block numbers,
 *    record lengths, inode numbers); damage gives -EIO on the file
 *    concerned, a message, and (for damage found while allocating or
 *    freeing) a read-only file system, as Linux's errors=remount-ro.
 *
 * Locking: namespace operations run under the VFS's vfs_ns_lock, file data
 * and size under inode->lock. sbi->alloc_lock guards bitmaps, group
 * descriptors and superblock counters; sbi->icache_lock the inode hash.
 * A buffer shared by several inodes (inode table) is changed under
 * block_lock().
 */
#ifndef KERNEL_FS_EXT2_H
#define KERNEL_FS_EXT2_H

#include "kernel.h"
#include "vfs.h"
#include "bcache.h"
#include "fstype.h"

#ifndef EUCLEAN
#define EUCLEAN 117 /* "Structure needs cleaning" (Linux) */
#endif

#define EXT2_MAGIC 0xEF53
#define EXT2_SUPER_OFFSET 1024
#define EXT2_ROOT_INO 2
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15
#define EXT2_LINK_MAX 32000
#define EXT2_NAME_LEN 255

/* s_state */
#define EXT2_VALID_FS 1   /* cleanly unmounted */
#define EXT2_ERROR_FS 2   /* errors detected */

/* Features. Compatible ones need nothing from us. */
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT2_FEATURE_INCOMPAT_RECOVER 0x0004
#define EXT2_FEATURE_INCOMPAT_META_BG 0x0010
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_INCOMPAT_SUPP EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPP (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
                             EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

/* i_flags */
#define EXT2_INDEX_FL 0x00001000 /* hashed directory (htree) */

/* Directory entry file types (FILETYPE feature) */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG_FILE 1
#define EXT2_FT_DIR 2
#define EXT2_FT_CHRDEV 3
#define EXT2_FT_BLKDEV 4
#define EXT2_FT_FIFO 5
#define EXT2_FT_SOCK 6
#define EXT2_FT_SYMLINK 7

struct ext2_super_block {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* revision 1 */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;
	uint8_t s_rest[1024 - 208];
} __packed;
_Static_assert(sizeof(struct ext2_super_block) == 1024, "superblock size");

struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_flags;
	uint32_t bg_reserved[3];
} __packed;
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor size");

struct ext2_disk_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;        /* 512-byte units */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high;     /* regular files (large_file) */
	uint32_t i_faddr;
	uint16_t i_blocks_hi;
	uint16_t i_file_acl_high;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint32_t i_reserved2;
	/* large inodes (s_inode_size > 128) */
	uint16_t i_extra_isize;
	uint16_t i_checksum_hi;
	uint32_t i_ctime_extra;   /* nanoseconds << 2 | epoch bits */
	uint32_t i_mtime_extra;
	uint32_t i_atime_extra;
}; /* naturally aligned: no __packed, so fields can be pointed to */
_Static_assert(sizeof(struct ext2_disk_inode) == 144, "inode size");
#define EXT2_EXTRA_TIMES_SIZE 16 /* i_extra_isize covering the *_extra times */

struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
	char name[];
} __packed;
#define EXT2_DIRENT_HDR 8
#define EXT2_DIR_REC_LEN(n) (((n) + EXT2_DIRENT_HDR + 3) & ~3u)

/* ---- in memory ---- */

#define EXT2_ICACHE_BUCKETS 128

struct ext2_inode;
struct ext2_sb_info {
	struct super_block *sb;
	struct blockdev *bd;
	unsigned bs;                /* block size in bytes */
	unsigned addr_per_block;    /* block numbers per indirect block */
	uint32_t blocks_count, inodes_count, first_data_block;
	uint32_t bpg, ipg, ngroups; /* blocks / inodes per group, groups */
	uint32_t inode_size, first_ino;
	uint32_t itb_per_group;     /* inode-table blocks per group */
	uint32_t gdt_blocks, reserved_gdt;
	uint32_t compat, incompat, ro_compat;
	uint64_t max_file_blocks;   /* addressable through the block map */
	struct buf *sbbuf;          /* held for the mount's lifetime */
	struct ext2_super_block *es;/* in sbbuf->data */
	struct buf **gdbufs;        /* gdt_blocks buffers, held */
	uint16_t mount_state;       /* s_state as found at mount */
	bool has_errors;            /* damage found: now read-only */
	uint32_t last_group;        /* where the last inode was allocated */
	mutex_t alloc_lock;
	mutex_t icache_lock;
	struct ext2_inode *icache[EXT2_ICACHE_BUCKETS];
};

/* The file system's part of an in-memory inode (inode->priv). */
struct ext2_inode {
	struct inode *vfs;
	struct ext2_inode *hnext;   /* icache chain */
	uint32_t block[EXT2_N_BLOCKS];
	uint32_t flags;
	uint32_t dtime;
	uint32_t generation;
	uint32_t file_acl;
	uint32_t group;             /* block group holding the inode */
	uint64_t ra_next;           /* read-ahead issued up to this block */
	uint64_t last_read;         /* last logical block read + 1 */
};

static inline struct ext2_sb_info *EXT2_SB(struct super_block *sb)
{
	return sb->priv;
}
static inline struct ext2_inode *EXT2_I(struct inode *ino)
{
	return ino->priv;
}
static inline struct ext2_group_desc *ext2_gd(struct ext2_sb_info *s, uint32_t g)
{
	unsigned per = s->bs / sizeof(struct ext2_group_desc);
	return (struct ext2_group_desc *)s->gdbufs[g / per]->data + g % per;
}
static inline void ext2_gd_dirty(struct ext2_sb_info *s, uint32_t g)
{
	bdirty(s->gdbufs[g / (s->bs / sizeof(struct ext2_group_desc))]);
}
static inline bool ext2_rdonly(struct ext2_sb_info *s)
{
	return (s->sb->flags & MS_RDONLY) != 0;
}

/* super.c */
extern struct fs_type ext2_fs_type;
void ext2_init(void);
/* Damage found: log it, mark the superblock, go read-only. */
void ext2_error(struct ext2_sb_info *s, const char *fn, const char *fmt, ...)
	__printf(3, 4);
void ext2_sb_dirty(struct ext2_sb_info *s);
bool ext2_group_has_super(struct ext2_sb_info *s, uint32_t g);
/* Is blk a valid data block (inside the fs, not a superblock, group
 * descriptor, bitmap or inode-table block)? */
bool ext2_data_block_ok(struct ext2_sb_info *s, uint32_t blk);
struct buf *ext2_bread(struct ext2_sb_info *s, uint32_t blk);

/* balloc.c: allocate near goal; 0 and *err = -ENOSPC/-EIO on failure */
uint32_t ext2_new_block(struct ext2_sb_info *s, uint32_t goal, int *err);
void ext2_free_block(struct ext2_sb_info *s, uint32_t blk);

/* ialloc.c */
int ext2_new_inode_nr(struct ext2_sb_info *s, uint32_t parent_group,
                      bool dir, uint32_t *ino);
void ext2_free_inode_nr(struct ext2_sb_info *s, uint32_t ino, bool dir);

/* inode.c */
int ext2_iget(struct super_block *sb, uint32_t ino, struct inode **res);
/* A new inode of the given mode in dir's neighbourhood (not yet linked).
 * *res: new reference. */
int ext2_new_inode(struct inode *dir, mode_t mode, dev_t rdev,
                   struct inode **res);
int ext2_write_inode(struct inode *ino);
void ext2_evict(struct inode *ino);
int ext2_setattr(struct inode *ino, const struct iattr *a);
void ext2_set_ops(struct inode *ino);
void ext2_icache_drop_all(struct ext2_sb_info *s);

/* bmap.c */
/* Physical block of logical block lb; 0 for a hole. With alloc, holes are
 * filled (*fresh set when the data block is new). 0 or -errno. */
int ext2_bmap(struct inode *ino, uint64_t lb, bool alloc, uint32_t *phys,
              bool *fresh);
/* Free every block from logical block `keep` on. */
int ext2_truncate_blocks(struct inode *ino, uint64_t keep);
/* Set size (ATTR_SIZE): frees blocks past it, zeroes the partial tail. */
int ext2_set_size(struct inode *ino, uint64_t size);

/* file.c */
extern const struct file_ops ext2_file_ops;
extern const struct inode_ops ext2_file_iops;
extern const struct inode_ops ext2_special_iops;

/* dir.c */
struct ext2_dirslot {       /* where an entry was found */
	struct buf *b;          /* referenced */
	unsigned off;           /* of the entry in the block */
	unsigned prev_off;      /* of the entry before it, or ~0u */
	uint64_t lblk;          /* logical block of the directory */
};
int ext2_find_entry(struct inode *dir, const char *name, size_t len,
                    struct ext2_dirslot *slot, uint32_t *ino);
int ext2_add_entry(struct inode *dir, const char *name, size_t len,
                   struct inode *target);
int ext2_delete_entry(struct inode *dir, struct ext2_dirslot *slot);
void ext2_set_entry(struct inode *dir, struct ext2_dirslot *slot,
                    struct inode *target);
int ext2_dir_empty(struct inode *dir);   /* 1, 0 or -errno */
int ext2_make_empty(struct inode *dir, struct inode *parent);
int ext2_readdir(struct inode *dir, off_t *pos, filldir_t fill, void *ctx);
int ext2_lookup(struct inode *dir, const char *name, size_t len,
                struct inode **res);
/* Point the ".." entry of dir at parent. */
int ext2_set_dotdot(struct inode *dir, struct inode *parent);
unsigned ext2_rec_len(struct ext2_sb_info *s, const struct ext2_dirent *d);
/* Check an entry at off of a block: 0 or -EIO (reported). */
int ext2_check_dirent(struct inode *dir, const uint8_t *blk, unsigned off,
                      uint64_t lblk);

/* namei.c */
extern const struct inode_ops ext2_dir_iops;

/* symlink.c */
extern const struct inode_ops ext2_symlink_iops;
int ext2_write_symlink(struct inode *ino, const char *target, size_t len);

#endif
