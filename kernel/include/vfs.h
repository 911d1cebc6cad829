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
struct blockdev;
struct fs_type;

/* Linux's struct iovec (readv/writev, sendmsg/recvmsg): user addresses. */
struct iovec {
	void *iov_base;
	size_t iov_len;
};

struct file_ops {
	/* Read/write at *off (update it). buf is a kernel address. Block unless
	 * f->flags has O_NONBLOCK. Return bytes or -errno. */
	ssize_t (*read)(struct file *f, void *buf, size_t n, off_t *off);
	ssize_t (*write)(struct file *f, const void *buf, size_t n, off_t *off);
	/* Optional: read(2) straight into the user's buffer ubuf (checked
	 * with user_range_ok), instead of read through a kernel buffer. */
	ssize_t (*read_user)(struct file *f, void *ubuf, size_t n);
	/* Optional: write(2) straight from the user's buffer (checked). */
	ssize_t (*write_user)(struct file *f, const void *ubuf, size_t n);
	/* Optional: readv(2)/writev(2) as one operation over the whole iovec
	 * (cnt entries, each range checked): a socket reads or sends one
	 * datagram, not one per entry. */
	ssize_t (*readv_user)(struct file *f, const struct iovec *iov, int cnt);
	ssize_t (*writev_user)(struct file *f, const struct iovec *iov, int cnt);
	/* arg is a raw user value/pointer: use copy_*_user on it. */
	long (*ioctl)(struct file *f, unsigned cmd, uint64_t arg);
	int (*open)(struct inode *ino, struct file *f);
	void (*release)(struct file *f); /* last reference dropped */
	/* Optional: reposition (whence 0/1/2 = SEEK_SET/CUR/END). Without it
	 * the VFS seeks regular files, directories and block devices by size
	 * and answers -ESPIPE for character devices, pipes and sockets. */
	off_t (*llseek)(struct file *f, off_t off, int whence);
	/* Optional, for poll/select: return the POLL* events ready now
	 * (POLLIN, POLLOUT, POLLERR, POLLHUP; Linux values) and, if wq is not
	 * NULL, store in wq[0] / wq[1] the wait queues that are woken when
	 * readability / writability may change (NULL: none). Files without
	 * it are always ready for reading and writing. */
	unsigned (*poll)(struct file *f, wait_queue_t *wq[2]);
	/* Optional, for fallocate(2) on a regular file (mode: FALLOC_FL_*
	 * below): make [off, off + len) allocated, the size growing to its
	 * end unless KEEP_SIZE; or zero it (PUNCH_HOLE). The VFS has checked
	 * the arguments, access and seals. Without it: -EOPNOTSUPP. */
	long (*fallocate)(struct file *f, int mode, off_t off, off_t len);
};
#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100

struct file {
	int refcount;
	unsigned flags;           /* O_* status flags and access mode */
	off_t pos;
	struct inode *inode;
	const struct file_ops *ops;
	void *priv;
	mutex_t pos_lock;
	/* Its name (kernel/fs/fname.c): the directory open found it in and
	 * the name there (NULL for directories and unnamed files; a name
	 * without directory for a memfd), or the [kind] of an anonymous file
	 * ("[eventfd]"), for /proc. */
	struct inode *name_dir;
	char *name;               /* NAME_MAX + 1 bytes, renamed in place */
	bool name_deleted;        /* its name was unlinked */
	struct file *name_next;   /* on inode->named_files */
	const char *anon_name;
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
/* Advisory locks (kernel/fs/locks.c). */
long fcntl_lock(struct file *f, unsigned cmd, void *uarg);
void locks_close(struct file *f, pid_t owner);
void locks_exit(pid_t owner);
void locks_file_release(struct file *f);
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

/* ======================================================================
 * Below: the VFS's own interface for file systems (kernel/fs/) and the
 * system-call layer. Not used by core.
 * ====================================================================== */

#define NAME_MAX 255
#define SYMLOOP_MAX 40 /* symlinks followed in one path walk (Linux) */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* Directory entry types (d_type, Linux) */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12
static inline unsigned mode_to_dtype(mode_t m) { return (m & S_IFMT) >> 12; }

/* Permission check masks (access(2) values) */
#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4

struct ktimespec {
	int64_t sec;
	int64_t nsec;
};

/* Attribute changes for inode_ops.setattr: only the fields named in
 * valid. The file system also sets ctime (and mtime for a size change). */
#define ATTR_MODE 0x01 /* permission bits only; the type never changes */
#define ATTR_UID 0x02
#define ATTR_GID 0x04
#define ATTR_SIZE 0x08 /* truncate or extend (sparse, reading as zeros) */
#define ATTR_ATIME 0x10
#define ATTR_MTIME 0x20
struct iattr {
	unsigned valid;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	uint64_t size;
	struct ktimespec atime, mtime;
};

/*
 * readdir emits entries through a filldir_t. It returns 0 to ask for more
 * and non-zero when the caller's buffer is full; the file system must then
 * stop WITHOUT advancing *pos past that entry, so the next call starts
 * with it again.
 */
typedef int (*filldir_t)(void *ctx, const char *name, size_t len, ino_t ino,
                         unsigned dtype);

/*
 * Operations on an inode. Directory operations get the final component
 * as (name, len): never "." or "..", never containing '/', 1..NAME_MAX
 * bytes, not NUL-terminated. The VFS has already checked search/write
 * permission, that dir is a directory, and (except for lookup) that the
 * name does not (create, mkdir, mknod, symlink, link) or does (unlink,
 * rmdir) exist, but a file system must still cope with races from its own
 * internal users. All namespace operations are called with vfs_ns_lock
 * held (see below), so they are serialised against each other.
 * Any operation may be NULL: the VFS then answers -EPERM (namespace
 * changes), -EINVAL (readlink), -ENOTDIR (lookup, readdir).
 */
struct inode_ops {
	/* Find name in dir; "..": the parent (a root returns itself). On
	 * success *res holds a new reference. -ENOENT if absent. */
	int (*lookup)(struct inode *dir, const char *name, size_t len,
	              struct inode **res);
	/* New regular file. mode has S_IFREG and the permission bits (umask
	 * applied); owner from current's credentials. *res: new reference. */
	int (*create)(struct inode *dir, const char *name, size_t len,
	              mode_t mode, struct inode **res);
	int (*mkdir)(struct inode *dir, const char *name, size_t len, mode_t mode);
	/* Device node, FIFO or socket: mode includes the type. */
	int (*mknod)(struct inode *dir, const char *name, size_t len,
	             mode_t mode, dev_t rdev);
	int (*symlink)(struct inode *dir, const char *name, size_t len,
	               const char *target);
	/* New name for an existing non-directory inode of this super_block. */
	int (*link)(struct inode *dir, const char *name, size_t len,
	            struct inode *target);
	int (*unlink)(struct inode *dir, const char *name, size_t len);
	int (*rmdir)(struct inode *dir, const char *name, size_t len); /* empty */
	/* Move olddir/oldname to newdir/newname, replacing what is there. The
	 * VFS has checked: same super_block, source exists, the types match
	 * (dir over empty dir, non-dir over non-dir), no dir moves into its own
	 * subtree. Renaming a name onto a hard link of the same inode is a
	 * no-op the VFS filters out. */
	int (*rename)(struct inode *olddir, const char *oldname, size_t oldlen,
	              struct inode *newdir, const char *newname, size_t newlen);
	/* renameat2(RENAME_EXCHANGE): swap the inodes two existing names
	 * refer to, atomically (optional: without it the VFS answers EINVAL).
	 * The VFS has checked as for rename, and that no directory would end
	 * up inside itself. */
	int (*exchange)(struct inode *adir, const char *aname, size_t alen,
	                struct inode *bdir, const char *bname, size_t blen);
	/* Copy the symlink target (no NUL) into buf; return its full length,
	 * which may exceed size (then only size bytes were copied). */
	ssize_t (*readlink)(struct inode *ino, char *buf, size_t size);
	int (*setattr)(struct inode *ino, const struct iattr *attr);
	/* Emit the entries of dir from position *pos on (see filldir_t),
	 * including "." and "..". Positions are opaque cookies >= 0 that stay
	 * valid while entries are added and removed. */
	int (*readdir)(struct inode *dir, off_t *pos, filldir_t fill, void *ctx);
};

struct kstatfs {
	uint64_t type, bsize, blocks, bfree, bavail, files, ffree, namelen;
};

struct super_ops {
	/* The inode's reference count reached zero: write it back if needed
	 * and, if it has no links left, free it and its data. Must end in
	 * inode_free(ino) (or keep the inode cached by the file system). */
	void (*evict)(struct inode *ino);
	int (*statfs)(struct super_block *sb, struct kstatfs *st);
	int (*sync)(struct super_block *sb); /* write back everything dirty */
};

struct mount;
struct super_block {
	dev_t dev;                 /* st_dev of its inodes */
	uint64_t magic;            /* statfs f_type (Linux values) */
	const char *type;          /* "ramfs", "devfs", ... */
	const struct super_ops *ops;
	struct inode *root;
	struct mount *mnt;         /* where it is mounted (once at most) */
	unsigned blocksize;        /* st_blksize */
	void *priv;
	ino_t next_ino;            /* for file systems that number inodes */
	unsigned long flags;       /* MS_* (fstype.h): MS_RDONLY, ... */
	struct blockdev *bdev;     /* the device it lives on, or NULL */
	struct fs_type *fstype;    /* NULL for the boot-time ramfs/devfs/procfs */
	struct super_block *next;  /* list of all super blocks (for sync) */
};

struct pipe;
struct inode {
	int refcount;              /* under icache_lock; see inode_get/put */
	ino_t ino;
	mode_t mode;
	uint32_t nlink;
	uid_t uid;
	gid_t gid;
	uint64_t size;
	uint64_t blocks;           /* st_blocks, 512-byte units */
	dev_t rdev;
	struct ktimespec atime, mtime, ctime;
	const struct inode_ops *iops;
	const struct file_ops *fops; /* installed in every struct file opened */
	struct super_block *sb;
	void *priv;                /* the file system's */
	void *dev;                 /* device nodes: the registered device, if
	                              known (devfs sets it; else found by rdev) */
	mutex_t lock;              /* file data, size and attributes */
	struct mount *mounted;     /* a file system mounted over this dir */
	struct pipe *pipe;         /* FIFO: shared pipe while opened */
	struct filemap *pages;     /* pages of file mappings (kernel/mm/filemap.c) */
	unsigned seals;            /* F_SEAL_* (memfd.c): tmpfs files and memfds */
	struct file *named_files;  /* open files' name records (fname.c) */
};

/* File seals (fcntl F_ADD_SEALS/F_GET_SEALS; Linux values). */
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#define F_SEAL_FUTURE_WRITE 0x0010
#define F_SEAL_EXEC 0x0020
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
long memfd_fcntl(struct file *f, unsigned cmd, unsigned long arg);

/* ---- inodes (kernel/fs/inode.c) ---- */
struct inode *inode_alloc(struct super_block *sb, mode_t mode); /* ref 1 */
void inode_free(struct inode *ino); /* from super_ops.evict only */
struct inode *inode_get(struct inode *ino); /* returns ino */
void inode_put(struct inode *ino);  /* NULL allowed */
/* For a file system's own inode cache: a new reference, or NULL when the
 * count already reached zero (evict is pending: look again later). */
struct inode *inode_tryget(struct inode *ino);
struct ktimespec current_time(void);
void inode_touch(struct inode *ino, bool a, bool m, bool c); /* set to now */
/* Check mask (MAY_*) against the mode and current's effective ids. */
int inode_permission(struct inode *ino, int mask);
bool capable_owner(struct inode *ino); /* euid is 0 or owns ino */

/* ---- super blocks and mounts (kernel/fs/super.c) ---- */
struct super_block *super_alloc(const char *type, uint64_t magic,
                                const struct super_ops *ops);
/* Mount sb over the directory at (onto); onto NULL: becomes "/". */
int vfs_mount(struct super_block *sb, struct inode *onto);
struct inode *vfs_root(void); /* "/" of the system, new reference */
void vfs_early_init(void);    /* locks; safe to call any number of times */
int vfs_mount_root(void);     /* a ramfs as "/", once; vfs_init() does it */
/* Where mounted root ino is attached: the covered dir, or NULL. */
struct inode *mount_covered(struct inode *ino);
int vfs_sync_all(void);    /* sync(2): every file system, then the disks */
/* The mounted super blocks in mount order: NULL gives the first, then
 * pass the previous one; NULL at the end. No lock is held between calls
 * (mounts are never removed). */
struct super_block *mount_next(struct super_block *prev);
/* Serialises every namespace operation (lookup, create, unlink, rename,
 * readdir, readlink) across all file systems. Simple and deadlock free;
 * to be split per directory when disk file systems make it a bottleneck. */
extern mutex_t vfs_ns_lock;

/* ---- path walk (kernel/fs/namei.c) ---- */
#define LOOKUP_FOLLOW 0x1     /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 0x2  /* the result must be a directory */
/* Resolve path relative to dirfd (AT_FDCWD or a directory descriptor).
 * *res: new reference. */
int path_lookup_at(int dirfd, const char *path, unsigned flags,
                   struct inode **res);
int path_lookup(const char *path, unsigned flags, struct inode **res);
/* For creating/removing: resolve all but the last component. *dir gets a
 * new reference to the parent, name/len point into path. *kind is 0 for a
 * normal last component, '.' for ".", 'd' for "..", '/' for none ("/"),
 * and *trailing_slash is set when the name was followed by '/'. */
struct walk_last {
	struct inode *dir;
	const char *name;
	size_t len;
	int kind;
	bool trailing_slash;
	int links;            /* symlinks followed so far */
};
int path_parent_at(int dirfd, const char *path, struct walk_last *wl);
/* Where a walk ended: the directory holding the last component reached
 * (after following symlinks) with a reference, and that name. */
struct walk_name {
	struct inode *dir;
	char name[NAME_MAX + 1];
};
void walk_name_release(struct walk_name *wn);
/* path_lookup_at that also fills wn (zeroed by the caller; released on
 * failure). */
int path_lookup_name_at(int dirfd, const char *path, unsigned flags,
                        struct walk_name *wn, struct inode **res);
/* Resolve the final component (name, len) inside dir, following a symlink
 * if follow, with the symlink budget left from the parent walk. */
int path_lookup_last(struct walk_last *wl, bool follow, struct inode **res);
int path_lookup_last_name(struct walk_last *wl, bool follow,
                          struct walk_name *wn, struct inode **res);
/* Call the lookup op under vfs_ns_lock (no mount crossing). */
int vfs_lookup_child(struct inode *dir, const char *name, size_t len,
                     struct inode **res);
/* Follow mounts downward: the root of whatever is mounted on ino. */
struct inode *cross_mounts(struct inode *ino);
/* The path of directory ino as seen from root (getcwd's algorithm,
 * kernel/fs/sys_cwd.c), built into the end of buf[PATH_MAX]: returns its
 * start, or NULL with *err set. Takes vfs_ns_lock: not called with it.
 * PATH_MAX is in uaccess.h. */
char *inode_path(struct inode *ino, struct inode *root, char *buf, long *err);
/* The same for a caller that holds vfs_ns_lock (a readlink op). */
char *inode_path_locked(struct inode *ino, struct inode *root, char *buf,
                        long *err);

/* ---- names of open files (kernel/fs/fname.c) ---- */
/* Record wn as f's name (the reference in wn moves to f). */
void file_set_name(struct file *f, struct walk_name *wn);
void file_copy_name(struct file *dst, const struct file *src);
void file_name_release(struct file *f);   /* from file_put */
/* The VFS changed a name of ino (vfs_ns_lock held, both directories
 * referenced): records of odir/oname now name ndir/nname; records of
 * dir/name are deleted. */
void fname_moved(struct inode *ino, struct inode *odir, const char *oname, size_t olen,
                 struct inode *ndir, const char *nname, size_t nlen);
void fname_unlinked(struct inode *ino, struct inode *dir, const char *name, size_t len);
/* What /proc shows for f: its path as the reader sees it (" (deleted)"
 * when unlinked), or pipe:[ino], socket:[ino], anon_inode:[kind]. Cut to
 * size; returns the length or -errno. locked: vfs_ns_lock is held. */
ssize_t file_path_text(struct file *f, char *buf, size_t size, bool locked);
/* The path of directory dir from the reader's root, then "/name" if
 * name is not NULL. */
ssize_t inode_link_text(struct inode *dir, const char *name, char *buf,
                        size_t size, bool locked);

/* ---- open files (kernel/fs/file.c) ---- */
struct file *file_alloc(struct inode *ino, unsigned flags); /* ref 1 */
/* open(2): dirfd-relative, flags as the syscall. */
struct file *vfs_open_at(int dirfd, const char *path, int flags, mode_t mode);
/* Open an inode (no path): checks access, installs ops, calls ->open. */
struct file *vfs_open_inode(struct inode *ino, int flags);
int vfs_truncate(struct inode *ino, uint64_t size);
off_t vfs_llseek(struct file *f, off_t off, int whence);
/* The generic file ops for directories: read/write fail with -EISDIR. */
extern const struct file_ops dir_file_ops;

/* ---- descriptors (kernel/fs/fdtable.c) ---- */
struct files_struct {
	int refcount;
	spinlock_t lock;
	struct file *fd[NR_OPEN];
	uint64_t cloexec[NR_OPEN / 64];
};
/* Remove fd from current's table and drop it; -EBADF if not open. */
int fd_close(int fd);
/* Close (or set close-on-exec on) every open fd in [first, last]. */
void fd_close_range(unsigned first, unsigned last, bool cloexec);
/* Install f at exactly newfd, closing what was there (dup2). */
int fd_install_at(struct files_struct *fs, struct file *f, int newfd,
                  bool cloexec);
int fd_get_cloexec(int fd);  /* 0/1 or -EBADF */
int fd_set_cloexec(int fd, bool on);

/* ---- fs context (kernel/fs/fs_struct.c) ---- */
struct fs_struct {
	int refcount;
	spinlock_t lock;
	struct inode *root;
	struct inode *cwd;
	mode_t umask;
};
/* current's root and cwd with new references (the system root for tasks
 * without an fs_struct). */
struct inode *fs_get_root(void);
struct inode *fs_get_cwd(void);
void fs_set_cwd(struct inode *dir);   /* takes a new reference */
mode_t fs_umask(void);

/* ---- pipes (kernel/fs/pipe.c) ---- */
#define PIPE_BUF 4096
#define PIPE_SIZE (64 * 1024)
/* Make a pipe: two files (read end, write end) with flags O_NONBLOCK. */
int pipe_create(struct file **rd, struct file **wr, unsigned flags);
extern const struct file_ops fifo_file_ops; /* S_IFIFO inodes in any fs */
bool file_is_pipe(const struct file *f);   /* an open pipe or FIFO */
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
long pipe_fcntl(struct file *f, unsigned cmd, unsigned arg); /* F_*PIPE_SZ */
void fifo_inode_evict(struct inode *ino);  /* free an unused FIFO's pipe */

/* ---- devices (kernel/fs/devfs.c) ---- */
#define MKDEV(ma, mi) (((dev_t)(ma) << 8) | ((mi) & 0xff) | \
                       ((dev_t)((mi) & ~0xffu) << 12))
#define MAJOR(d) ((unsigned)(((d) >> 8) & 0xfff))
#define MINOR(d) ((unsigned)(((d) & 0xff) | (((d) >> 12) & 0xfff00)))
/* Open ops for S_IFCHR / S_IFBLK inodes in any file system: they find the
 * device (inode->dev, else by rdev) and install its file ops. */
extern const struct file_ops chrdev_file_ops;
extern const struct file_ops blkdev_file_ops;
struct super_block *devfs_create(void);

/* ---- ramfs (kernel/fs/ramfs.c) ---- */
struct super_block *ramfs_create(void);

#endif
