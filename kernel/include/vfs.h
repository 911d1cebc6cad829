/*
 * kernel/include/vfs.h - the virtual file system (kernel/fs/).
 *
 * OWNED BY THE FS PART. This first version fixes the interface the rest of
 * the kernel uses (marked "used by core"); kernel/fs/ may extend it.
 *
 * Objects:
 *   struct inode      a file, directory, device or pipe, owned by a super_block
 *   struct file       an open file description (offset, flags), shared by
 *                     descriptors after dup() and fork()
 *   struct files_struct  a process's descriptor table
 *   struct fs_struct  a process's cwd, root and umask
 * File operations always take KERNEL buffers: the system-call layer copies
 * to and from user memory, so file-system code never faults on user
 * addresses while holding its locks.
 */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include "kernel.h"
#include "sync.h"

/* Mode bits (Linux) */
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)

/* open flags (Linux x86-64) */
#define O_ACCMODE 03
#define O_RDONLY 00
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000
#define O_PATH 010000000
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EMPTY_PATH 0x1000

#define NR_OPEN 1024 /* descriptors per process (RLIMIT_NOFILE default) */

struct inode;
struct file;
struct super_block;

struct file_ops {
	/* Read/write at *off (update it). buf is a kernel address. Block unless
	 * f->flags has O_NONBLOCK. Return bytes or -errno. */
	ssize_t (*read)(struct file *f, void *buf, size_t n, off_t *off);
	ssize_t (*write)(struct file *f, const void *buf, size_t n, off_t *off);
	/* arg is a raw user value/pointer: use copy_*_user on it. */
	long (*ioctl)(struct file *f, unsigned cmd, uint64_t arg);
	int (*open)(struct inode *ino, struct file *f);
	void (*release)(struct file *f); /* last reference dropped */
};

struct file {
	int refcount;
	unsigned flags;           /* O_* status flags and access mode */
	off_t pos;
	struct inode *inode;
	const struct file_ops *ops;
	void *priv;
	mutex_t pos_lock;
};

/* ---- used by core ---- */

/* Open path relative to current's cwd (with current's root), as open(2)
 * with O_RDONLY|O_CLOEXEC semantics. ERR_PTR(-errno) on failure. */
struct file *vfs_open_kernel(const char *path, int flags, mode_t mode);
/* Read at an offset into a kernel buffer. */
ssize_t kernel_read(struct file *f, void *buf, size_t n, off_t off);
ssize_t kernel_write(struct file *f, const void *buf, size_t n, off_t off);
void file_get(struct file *f);
void file_put(struct file *f);
/* Mode and size of an open file's inode. */
mode_t file_mode(struct file *f);
uint64_t file_size(struct file *f);

/* Descriptor tables: fork copies (files_clone) or shares (get) them. */
struct files_struct *files_new(void);
struct files_struct *files_clone(struct files_struct *old);
void files_get(struct files_struct *fs);
void files_put(struct files_struct *fs);
void files_close_on_exec(struct files_struct *fs);
/* Install f at the lowest free descriptor >= minfd; returns it or -EMFILE.
 * Takes its own reference to f. */
int fd_install(struct files_struct *fs, struct file *f, int minfd, bool cloexec);
/* The file at fd with a new reference, or NULL. */
struct file *fd_get(int fd);

struct fs_struct *fs_struct_new(void); /* cwd = root = "/" */
struct fs_struct *fs_struct_clone(struct fs_struct *old);
void fs_struct_get(struct fs_struct *fs);
void fs_struct_put(struct fs_struct *fs);

/* Boot: mount the root ramfs, unpack the initramfs into it, mount /dev. */
void vfs_init(void);
int initramfs_unpack(const void *cpio, size_t size); /* 0 or -errno */

/* devfs: register a character device node /dev/<name>. */
int devfs_register_chr(const char *name, mode_t mode, unsigned major,
                       unsigned minor, const struct file_ops *ops, void *priv);

#endif
