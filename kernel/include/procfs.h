/*
 * kernel/include/procfs.h - /proc (kernel/fs/procfs.c, proc_files.c).
 *
 * procfs shows kernel state as small text files made on demand. A
 * directory is a table of proc_entry; a file's text is generated into a
 * proc_buf when it is opened, and reads copy from that snapshot, so a
 * reader moving through the file with any offsets sees one consistent
 * version (as Linux's seq_file does for small files).
 *
 * The table shape is what per-process directories (/proc/<pid>/, later)
 * build on: a directory entry carries its own table, and every callback
 * gets the directory's context pointer (the pid, for those).
 */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

#include "kernel.h"

#define PROC_SUPER_MAGIC 0x9fa0 /* Linux's statfs f_type for proc */

/* A growing text buffer; proc_printf stops silently at the cap, and the
 * generator is run again with a larger buffer when it overflowed. */
struct proc_buf {
	char *data;
	size_t len, cap;
	bool overflow;
};
void proc_printf(struct proc_buf *b, const char *fmt, ...) __printf(2, 3);

struct proc_entry {
	const char *name;
	mode_t mode;             /* S_IFREG or S_IFDIR, and permission bits */
	/* Files: fill the buffer (NULL: not readable). ctx is the
	 * directory's context. Return 0 or -errno. */
	int (*show)(struct proc_buf *b, void *ctx);
	/* Files: take one write of n bytes (a kernel buffer; NULL: not
	 * writable). Return bytes consumed or -errno. */
	ssize_t (*write)(const char *buf, size_t n, void *ctx);
	/* Symlinks (S_IFLNK): write the target, without a NUL, into buf;
	 * return its length or -errno. */
	ssize_t (*readlink)(char *buf, size_t size, void *ctx);
	/* Directories whose entries change (/proc/<pid>/fd): the smallest
	 * number > after that exists, or -1; each is an entry made from
	 * `numbered`, with context numbered_ctx(dir context, number). */
	long (*next_number)(void *ctx, long after);
	const struct proc_entry *numbered;
	void *(*numbered_ctx)(void *ctx, long n);
	/* Directories: their own table. */
	const struct proc_entry *children;
	size_t nchildren;
};

/* The entries of /proc itself (proc_files.c). */
extern const struct proc_entry proc_root_entries[];
extern const size_t proc_root_nentries;

/* Per-process parts (proc_pid.c). /proc lists "self" and one directory
 * per live process after its own table; a pid directory's context is the
 * pid, looked up again on every open, so a process that is gone only
 * makes its files fail with ESRCH. */
extern const struct proc_entry proc_pid_dir;
extern const struct proc_entry proc_self_link;
bool proc_pid_alive(pid_t pid);
pid_t proc_next_pid(pid_t from); /* smallest live pid >= from; 0: none */

/* /proc/net (kernel/net/proc_net.c). */
#define PROC_NET_NENTRIES 7
extern const struct proc_entry proc_net_entries[PROC_NET_NENTRIES];

struct super_block;
struct super_block *procfs_create(void);

#endif
