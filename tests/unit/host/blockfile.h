/*
 * tests/unit/host/blockfile.h - a block device backed by a host file, for
 * running the buffer cache and disk file systems in host unit tests.
 */
#ifndef HOST_BLOCKFILE_H
#define HOST_BLOCKFILE_H

#include "block.h"

struct blockfile_stats {
	unsigned long reads, writes, flushes;   /* requests */
	unsigned long sectors_read, sectors_written;
	/* Fault injection: the n-th next write (1 = the next one) fails with
	 * -EIO; 0 = never. Likewise for reads. */
	unsigned long fail_write_after, fail_read_after;
};

/* Open path as a whole-disk block device named name ("vdb"); the size is
 * the file's, rounded down to sectors. NULL (and a message) on failure. */
struct blockdev *blockfile_open(const char *path, const char *name, bool read_only);
void blockfile_close(struct blockdev *bd);  /* does not flush the cache */
struct blockfile_stats *blockfile_stats(struct blockdev *bd);

#endif
