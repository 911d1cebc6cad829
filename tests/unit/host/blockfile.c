/*
 * tests/unit/host/blockfile.c - block_read/block_write/block_flush for host
 * unit tests, over files opened with blockfile_open(). Requests are bounds
 * checked like kernel/drivers/block.c does; flush is fsync(2). Counters and
 * fault injection (blockfile.h) let tests see what the cache sent down.
 *
 * tests/unit/vfs_stubs.c has weak versions of the same three functions
 * over its RAM disk; these strong ones win when both are linked, and they
 * dispatch through bd->ops, so that RAM disk keeps working.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blockfile.h"

struct blockfile {
	struct blockdev bd;   /* first: bd->priv points back anyway */
	int fd;
	struct blockfile_stats st;
};

static bool fail_now(unsigned long *countdown)
{
	if (!*countdown)
		return false;
	return --*countdown == 0;
}

static int bf_read(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf)
{
	struct blockfile *f = bd->priv;
	size_t n = (size_t)count * SECTOR_SIZE;
	f->st.reads++;
	if (fail_now(&f->st.fail_read_after))
		return -EIO;
	if (pread(f->fd, buf, n, (off_t)(lba * SECTOR_SIZE)) != (ssize_t)n)
		return -EIO;
	f->st.sectors_read += count;
	return 0;
}

static int bf_write(struct blockdev *bd, uint64_t lba, uint32_t count, const void *buf)
{
	struct blockfile *f = bd->priv;
	size_t n = (size_t)count * SECTOR_SIZE;
	f->st.writes++;
	if (fail_now(&f->st.fail_write_after))
		return -EIO;
	if (pwrite(f->fd, buf, n, (off_t)(lba * SECTOR_SIZE)) != (ssize_t)n)
		return -EIO;
	f->st.sectors_written += count;
	return 0;
}

static int bf_flush(struct blockdev *bd)
{
	struct blockfile *f = bd->priv;
	f->st.flushes++;
	return fsync(f->fd) ? -EIO : 0;
}

static const struct blockdev_ops bf_ops = { bf_read, bf_write, bf_flush };

struct blockdev *blockfile_open(const char *path, const char *name, bool read_only)
{
	int fd = open(path, read_only ? O_RDONLY : O_RDWR);
	struct stat st;
	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct blockfile *f = calloc(1, sizeof(*f));
	if (!f) {
		close(fd);
		return NULL;
	}
	f->fd = fd;
	snprintf(f->bd.name, sizeof(f->bd.name), "%s", name);
	f->bd.sectors = (uint64_t)st.st_size / SECTOR_SIZE;
	f->bd.read_only = read_only;
	f->bd.ops = &bf_ops;
	f->bd.priv = f;
	return &f->bd;
}

void blockfile_close(struct blockdev *bd)
{
	if (!bd)
		return;
	struct blockfile *f = bd->priv;
	close(f->fd);
	free(f);
}

struct blockfile_stats *blockfile_stats(struct blockdev *bd)
{
	return &((struct blockfile *)bd->priv)->st;
}

static bool in_range(struct blockdev *bd, uint64_t lba, uint32_t count)
{
	return bd && lba < bd->sectors && count <= bd->sectors - lba;
}

int block_read(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf)
{
	if (!count)
		return 0;
	if (!buf || !in_range(bd, lba, count))
		return -EINVAL;
	return bd->ops->read(bd, lba, count, buf);
}

int block_write(struct blockdev *bd, uint64_t lba, uint32_t count, const void *buf)
{
	if (bd && bd->read_only)
		return -EROFS;
	if (!count)
		return 0;
	if (!buf || !in_range(bd, lba, count))
		return -EINVAL;
	return bd->ops->write(bd, lba, count, buf);
}

int block_flush(struct blockdev *bd)
{
	if (!bd)
		return -EINVAL;
	return bd->ops->flush ? bd->ops->flush(bd) : 0;
}
