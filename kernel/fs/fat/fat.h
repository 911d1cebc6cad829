/*
 * kernel/fs/fat/fat.h - the FAT file system (FAT12/16 read, FAT32 read and
 * write; VFAT long names). Internal to kernel/fs/fat/.
 *
 * Design (see also README.md in this folder):
 *
 * Everything goes through the buffer cache (bcache.h) in blocks of one
 * sector. The FAT itself stays on disk; at mount the whole table is
 * scanned once to build two bitmaps kept for the life of the mount:
 *   free[]   - cluster is free: exact free count, fast allocation of
 *              contiguous runs, FSInfo kept exact.
 *   pred[]   - some FAT entry points at this cluster: a chain that merges
 *              into another (cross-link) or a directory entry whose first
 *              cluster is in the middle of a chain is caught here.
 * Damage found by the scan (entries out of range, merging chains, chains
 * running into free clusters) mounts the volume read-only with a message;
 * damage found later (a loop, a chain shorter than its file) answers EIO
 * for that file and turns the volume read-only (errors=remount-ro, as
 * Linux does), so damage never spreads.
 *
 * Inodes: FAT has none. A file is named by the position of its short
 * directory entry on disk ("ipos": byte offset / 32). A mount-lifetime
 * table maps ipos -> inode number (assigned from a counter the first time
 * a position is seen; moved along by rename, dropped by unlink) and to the
 * live struct inode if one exists, so inode numbers are stable while
 * mounted and two lookups give the same inode. The root is inode 1.
 *
 * Locking: every entry point takes fs->lock (innermost: after vfs_ns_lock
 * and inode->lock), and never calls inode_put() while holding it, since
 * evict takes it too.
 */
#ifndef KERNEL_FS_FAT_H
#define KERNEL_FS_FAT_H

#include "kernel.h"
#include "vfs.h"
#include "fstype.h"
#include "bcache.h"
#include "sync.h"

#ifndef EUCLEAN
#define EUCLEAN 117
#endif

#define MSDOS_SUPER_MAGIC 0x4d44 /* statfs f_type, as Linux */

/* Directory entry attributes */
#define FA_RDONLY 0x01
#define FA_HIDDEN 0x02
#define FA_SYSTEM 0x04
#define FA_VOLUME 0x08
#define FA_DIR 0x10
#define FA_ARCH 0x20
#define FA_LFN 0x0f
/* ntres (byte 12): Windows NT lower-case flags for an 8.3-only name */
#define FCASE_LOWER_BASE 0x08
#define FCASE_LOWER_EXT 0x10

#define DIRENT_SIZE 32
#define DELETED_MARK 0xe5
#define LFN_LAST 0x40
#define LFN_CHARS 13
#define LFN_MAX_SLOTS 20 /* 255 UTF-16 units / 13, rounded up */
#define FAT_MAX_DIR_SLOTS 65536 /* 2 MiB of entries: the FAT limit */

struct fat_dirent {
	uint8_t name[11];
	uint8_t attr;
	uint8_t ntres;
	uint8_t ctime_cs;
	uint16_t ctime;
	uint16_t cdate;
	uint16_t adate;
	uint16_t start_hi;
	uint16_t mtime;
	uint16_t mdate;
	uint16_t start_lo;
	uint32_t size;
}; /* naturally aligned: no packing needed */

struct fat_lfn {
	uint8_t ord;
	uint16_t name1[5];
	uint8_t attr;
	uint8_t type;
	uint8_t csum;
	uint16_t name2[6];
	uint16_t start;
	uint16_t name3[2];
} __packed;

_Static_assert(sizeof(struct fat_dirent) == 32, "dirent size");
_Static_assert(sizeof(struct fat_lfn) == 32, "lfn size");

/* Special FAT values (normalised to 32-bit meaning by fat_get) */
#define FAT_FREE 0
#define FAT_BAD 0x0ffffff7
#define FAT_EOC 0x0ffffff8 /* anything >= this ends a chain */

struct fat_ient; /* ipos -> ino table entry (inode.c) */
struct fat_claim;
#define FAT_IHASH 1024

struct fat_fs {
	struct super_block *sb;
	struct blockdev *bd;
	mutex_t lock;
	unsigned secsize;       /* bytes per sector = cache block size */
	unsigned spc;           /* sectors per cluster */
	unsigned clsize;        /* bytes per cluster */
	unsigned bits;          /* 12, 16 or 32 */
	unsigned nfats;
	uint32_t fat_start;     /* first sector of FAT copy 0 */
	uint32_t fat_secs;      /* sectors per FAT copy */
	uint32_t root_start;    /* FAT12/16: sector of the fixed root */
	uint32_t root_slots;    /* FAT12/16: entries in the fixed root */
	uint32_t data_start;    /* sector of cluster 2 */
	uint32_t nclusters;     /* valid clusters are 2 .. nclusters + 1 */
	uint32_t root_cluster;  /* FAT32 */
	uint32_t fsinfo_sec;    /* FAT32, 0 if none */
	uint64_t total_secs;
	uint32_t free_count;
	uint32_t next_free;     /* allocation hint */
	struct buf *fatb[4];    /* per FAT copy: the last sector used, held */
	uint8_t *free_map;      /* bit per cluster number, see above */
	uint8_t *pred_map;
	/* mount options */
	uid_t uid;
	gid_t gid;
	mode_t fmask, dmask;
	bool quiet;
	bool damaged;           /* found damage: stays read-only */
	struct fat_ient *ihash[FAT_IHASH];
	struct fat_claim *claims[FAT_IHASH]; /* first cluster -> entry (inode.c) */
	ino_t next_ino;
};

/* Per-inode private state. */
struct fat_inode {
	uint32_t start;         /* first cluster, 0 if none */
	uint64_t ipos;          /* short entry's disk position / 32; 0 root/detached */
	uint8_t attr;
	struct inode *parent;   /* directories: counted; NULL for the root */
	uint32_t cur_idx;       /* cursor: cluster number cur_cl is the */
	uint32_t cur_cl;        /* cur_idx-th of the chain (0: none) */
	bool bad;               /* damaged: I/O gives EIO */
	bool ncl_known;         /* ncl is the chain's length */
	uint32_t ncl;
};

static inline struct fat_fs *FS(struct super_block *sb) { return sb->priv; }
static inline struct fat_inode *FI(struct inode *ino) { return ino->priv; }
static inline bool fat_is_root(struct inode *ino) { return ino == ino->sb->root; }

/* super.c */
void fat_error(struct fat_fs *fs, const char *fmt, ...) __printf(2, 3);
bool fat_rdonly(struct fat_fs *fs);
void fat_fsinfo_update(struct fat_fs *fs);

/* table.c */
int fat_get(struct fat_fs *fs, uint32_t cl, uint32_t *val);
void fat_release_bufs(struct fat_fs *fs); /* drop fs->fatb (sync, unmount) */
int fat_scan(struct fat_fs *fs);
bool fat_valid_cluster(struct fat_fs *fs, uint32_t cl);
/* The idx-th cluster of the chain of fi (using its cursor); -EIO on a
 * broken chain, -ENOENT past its end. */
int fat_bmap(struct fat_fs *fs, struct fat_inode *fi, uint32_t idx, uint32_t *cl);
/* Number of clusters in a chain (validating it), or -EIO. */
long fat_chain_len(struct fat_fs *fs, uint32_t start);
/* Make fi's chain exactly n clusters long (allocating or freeing); new
 * clusters are zeroed if zero. */
int fat_chain_resize(struct fat_fs *fs, struct fat_inode *fi, uint32_t n, bool zero);
int fat_free_chain(struct fat_fs *fs, uint32_t start);
uint64_t fat_cluster_sector(struct fat_fs *fs, uint32_t cl);
bool fat_start_ok(struct fat_fs *fs, uint32_t start);

/* name.c */
/* UTF-8 name -> UTF-16 units; returns count or -errno (-EINVAL for names
 * vfat does not accept, -ENAMETOOLONG). Trailing dots are dropped. */
int fat_name_to_utf16(const char *name, size_t len, uint16_t *out);
/* UTF-16 -> UTF-8 into out[NAME_MAX * 3 + 1]; returns bytes or -EIO. */
int fat_utf16_to_name(const uint16_t *u, int n, char *out);
bool fat_utf16_eq(const uint16_t *a, int an, const uint16_t *b, int bn);
uint8_t fat_lfn_csum(const uint8_t name[11]);
/* The 8.3 form (upper case) if the name is a plain 8.3 name; also says
 * whether it needs a long entry to keep its case. */
bool fat_plain_short(const uint16_t *u, int n, uint8_t sfn[11], bool *need_lfn);
/* The basis for a generated alias: sfn gets the 8.3 parts, *baselen the
 * base characters kept (<= 8). */
void fat_alias_basis(const uint16_t *u, int n, uint8_t sfn[11], int *baselen);
/* Short name as displayed (with ntres case), into UTF-16. */
int fat_short_to_utf16(const struct fat_dirent *de, uint16_t *out);
uint32_t fat_hash_name(const uint16_t *u, int n);

/* time.c */
struct ktimespec fat_time_to_ts(uint16_t date, uint16_t time, uint8_t cs);
void fat_ts_to_time(struct ktimespec ts, uint16_t *date, uint16_t *time, uint8_t *cs);

/* dir.c */
struct fat_found {
	uint32_t slot;          /* index of the short entry in the directory */
	uint32_t first;         /* first slot of the entry (its long part) */
	uint64_t ipos;
	struct fat_dirent de;
};
int fat_dir_find(struct fat_fs *fs, struct inode *dir, const char *name,
                 size_t len, struct fat_found *res);
int fat_dir_add(struct fat_fs *fs, struct inode *dir, const char *name,
                size_t len, struct fat_dirent *de, struct fat_found *res);
int fat_dir_remove(struct fat_fs *fs, struct inode *dir, const struct fat_found *f);
int fat_dir_empty(struct fat_fs *fs, struct inode *dir);
int fat_dir_count_subdirs(struct fat_fs *fs, struct inode *dir);
int fat_readdir_locked(struct fat_fs *fs, struct inode *dir, off_t *pos,
                       filldir_t fill, void *ctx);
/* Read-modify-write the short entry at ipos. */
struct buf *fat_ipos_buf(struct fat_fs *fs, uint64_t ipos, struct fat_dirent **de);
int fat_dir_init(struct fat_fs *fs, uint32_t cl, uint32_t parent_cl,
                 const struct fat_dirent *tmpl);
int fat_dir_set_dotdot(struct fat_fs *fs, uint32_t cl, uint32_t parent_cl);

/* inode.c */
extern const struct inode_ops fat_dir_iops, fat_file_iops;
extern const struct file_ops fat_file_ops;
struct inode *fat_root_inode(struct fat_fs *fs);
ino_t fat_ino_for(struct fat_fs *fs, uint64_t ipos);
int fat_write_inode(struct fat_fs *fs, struct inode *ino);
void fat_evict(struct inode *ino);
void fat_itable_free(struct fat_fs *fs);
uint32_t fat_de_start(const struct fat_dirent *de);

/* file.c */
int fat_truncate(struct fat_fs *fs, struct inode *ino, uint64_t size);

#endif
