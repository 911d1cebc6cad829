/*
 * tests/unit/ext2_host.c - what test_ext2 needs besides kernel/fs/ (with
 * the real buffer cache) and vfs_stubs.c: a block device over an image
 * file that records which sectors were written (ext2_host_written), so
 * tests can check where the driver wrote on a damaged image; and yield().
 */
#include "kernel.h"
#include "block.h"

int open(const char *, int, ...);
int close(int);
long pread(int, void *, size_t, long);
long pwrite(int, const void *, size_t, long);
void *calloc(size_t, size_t);
void free(void *);

/* ---- image-file block device ---- */
struct filedev {
	struct blockdev bd;
	int fd;
	struct filedev *next; /* all of them stay reachable (see close) */
};
static struct filedev *filedevs;
static int fd_read(struct blockdev *bd, uint64_t lba, uint32_t c, void *buf)
{
	struct filedev *f = bd->priv;
	return pread(f->fd, buf, c * SECTOR_SIZE, (long)(lba * SECTOR_SIZE)) ==
	       (long)(c * SECTOR_SIZE) ? 0 : -EIO;
}
uint8_t *ext2_host_written;     /* one flag per 512-byte sector */
uint64_t ext2_host_nwrites;
static int fd_write(struct blockdev *bd, uint64_t lba, uint32_t c, const void *buf)
{
	struct filedev *f = bd->priv;
	if (ext2_host_written)
		for (uint32_t i = 0; i < c; i++)
			ext2_host_written[lba + i] = 1;
	ext2_host_nwrites++;
	return pwrite(f->fd, buf, c * SECTOR_SIZE, (long)(lba * SECTOR_SIZE)) ==
	       (long)(c * SECTOR_SIZE) ? 0 : -EIO;
}
static const struct blockdev_ops fd_ops = { fd_read, fd_write, NULL };

struct blockdev *ext2_host_open(const char *path, uint64_t bytes)
{
	struct filedev *f = calloc(1, sizeof(*f));
	f->fd = open(path, 2 /* O_RDWR */);
	if (f->fd < 0) {
		free(f);
		return NULL;
	}
	memcpy(f->bd.name, "img", 4);
	f->bd.sectors = bytes / SECTOR_SIZE;
	f->bd.ops = &fd_ops;
	f->bd.priv = f;
	f->next = filedevs;
	filedevs = f;
	return &f->bd;
}
void ext2_host_close(struct blockdev *bd)
{
	struct filedev *f = bd->priv;
	close(f->fd); /* f itself stays: an abandoned mount's buffers name it */
}

void yield(void) {}
