/*
 * kernel/include/block.h - the block-device layer (kernel/drivers/block.c).
 *
 * A block device is a disk (virtio-blk) or a partition of one (from the GPT,
 * kernel/drivers/gpt.c). Requests are in 512-byte sectors; partitions add
 * their offset and check bounds, then pass the request to the disk.
 * Every block device appears as /dev/<name>. A later issue puts a buffer
 * cache above this layer.
 */
#ifndef KERNEL_BLOCK_H
#define KERNEL_BLOCK_H

#include "kernel.h"

#define SECTOR_SIZE 512

struct blockdev;
struct blockdev_ops {
	/* Transfer count sectors at lba (relative to this device). Sleep until
	 * done. Return 0 or -errno (-EIO). buf is a kernel address. */
	int (*read)(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf);
	int (*write)(struct blockdev *bd, uint64_t lba, uint32_t count, const void *buf);
	int (*flush)(struct blockdev *bd);
};

struct blockdev {
	char name[16];          /* "vda", "vda1" */
	uint64_t sectors;       /* size in 512-byte sectors */
	bool read_only;
	const struct blockdev_ops *ops;
	void *priv;
	/* Partitions: parent disk, first sector on it, GPT identity. */
	struct blockdev *parent;
	uint64_t start_lba;
	int partno;             /* 1-based; 0 for a whole disk */
	char part_uuid[37];     /* lower-case text form; "" for a disk */
	char part_label[72];    /* GPT partition name as UTF-8 */
	char type_uuid[37];
	struct blockdev *next;
};

extern struct blockdev *blockdevs;
/* Add to the list (and to /dev once devfs exists; devfs scans the list). */
void blockdev_register(struct blockdev *bd);
struct blockdev *blockdev_find(const char *name);
/* Bounds-checked transfers; work on disks and partitions alike. */
int block_read(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf);
int block_write(struct blockdev *bd, uint64_t lba, uint32_t count, const void *buf);
int block_flush(struct blockdev *bd);

/* Read the GPT of a whole disk and register its partitions. Returns the
 * number of partitions or -errno; a missing or corrupt GPT is reported and
 * is not fatal. */
int gpt_scan(struct blockdev *disk);

void virtio_blk_init(void); /* probe every virtio-blk PCI function */

#endif
