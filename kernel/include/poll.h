/*
 * kernel/include/poll.h - waiting on many files at once (kernel/fs/poll.c),
 * the machinery under poll, select and epoll.
 *
 * A poll table holds one wait entry per wait queue a file's poll op names.
 * A waiter resets the table, asks every file for its readiness while
 * queueing on its queues (vfs_poll), and, if nothing is ready, sleeps once
 * (poll_table_sleep): any wake-up on any queue, a signal or the deadline
 * ends the sleep, and the caller scans again. Because each entry is queued
 * before its file's state is read, a wake-up between the scan and the sleep
 * is never lost.
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include "sync.h"
#include "vfs.h"

/* What a file without a poll op reports (Linux DEFAULT_POLLMASK). */
#define POLL_DEFAULT (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

struct poll_entry {
	wait_queue_t *wq;
	struct wait_entry we;
};

struct poll_table {
	int n, cap;
	struct poll_entry *ent; /* cap entries; addresses stay fixed */
};

/* Room for files files (two queues each). 0 or -ENOMEM. */
int poll_table_init(struct poll_table *pt, int files);
/* Leave every queue; the table can be filled again. */
void poll_table_reset(struct poll_table *pt);
/* Leave every queue and free the table. */
void poll_table_free(struct poll_table *pt);
/* The file's ready events; with pt, also queue on its wait queues. */
unsigned vfs_poll(struct file *f, struct poll_table *pt);
/* Sleep until a queue in pt is woken (0), a signal arrives (-EINTR) or
 * deadline_ns passes (-ETIMEDOUT; 0 = no deadline). */
int poll_table_sleep(struct poll_table *pt, uint64_t deadline_ns);

/* A file with no inode of its own (eventfd, epoll): an inode of mode
 * S_IFREG|0600 on an internal file system, with ops and priv. name is
 * Linux's for /proc/<pid>/fd ("[eventfd]": anon_inode:[eventfd]). */
struct file *anon_file_create(const char *name, const struct file_ops *ops,
                              void *priv, unsigned flags);

#endif
