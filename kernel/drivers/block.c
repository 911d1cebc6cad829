/*
 * kernel/drivers/block.c - the list of block devices and the bounds-checked
 * entry points every user of a disk goes through.
 *
 * A partition has no driver of its own: a request on it is checked against
 * the partition's size, shifted by its start_lba and handed to the parent
 * disk's driver. Drivers therefore only ever see whole-disk requests that
 * are already known to be in range.
 */
#include "block.h"
#include "sync.h"

struct blockdev *blockdevs;
static spinlock_t blockdevs_lock = SPINLOCK_INIT("blockdevs");

void blockdev_register(struct blockdev *bd)
{
	struct blockdev **pp;

	/* Append, so that listing order is registration order (vda, vda1..). */
	bd->next = NULL;
	spin_lock(&blockdevs_lock);
	for (pp = &blockdevs; *pp; pp = &(*pp)->next)
		;
	*pp = bd;
	spin_unlock(&blockdevs_lock);
}

struct blockdev *blockdev_find(const char *name)
{
	struct blockdev *bd;

	spin_lock(&blockdevs_lock);
	for (bd = blockdevs; bd; bd = bd->next)
		if (strcmp(bd->name, name) == 0)
			break;
	spin_unlock(&blockdevs_lock);
	return bd;
}

/* Check [lba, lba+count) against bd and translate it to the disk that
 * actually serves it. Returns that disk or NULL if out of range. */
static struct blockdev *resolve(struct blockdev *bd, uint64_t *lba,
                                uint32_t count)
{
	if (!bd || *lba >= bd->sectors || count > bd->sectors - *lba)
		return NULL;
	/* Partitions of partitions do not exist today, but the loop costs
	 * nothing and keeps the rule "a device checks its own bounds". */
	while (bd->parent) {
		*lba += bd->start_lba;
		bd = bd->parent;
		if (*lba >= bd->sectors || count > bd->sectors - *lba)
			return NULL;
	}
	return bd;
}

int block_read(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf)
{
	struct blockdev *disk;

	if (count == 0)
		return 0;
	if (!buf || !(disk = resolve(bd, &lba, count)))
		return -EINVAL;
	if (!disk->ops || !disk->ops->read)
		return -EIO;
	return disk->ops->read(disk, lba, count, buf);
}

int block_write(struct blockdev *bd, uint64_t lba, uint32_t count,
                const void *buf)
{
	struct blockdev *disk;

	if (bd && bd->read_only)
		return -EROFS;
	if (count == 0)
		return 0;
	if (!buf || !(disk = resolve(bd, &lba, count)))
		return -EINVAL;
	if (disk->read_only)
		return -EROFS;
	if (!disk->ops || !disk->ops->write)
		return -EIO;
	return disk->ops->write(disk, lba, count, buf);
}

int block_flush(struct blockdev *bd)
{
	if (!bd)
		return -EINVAL;
	while (bd->parent)
		bd = bd->parent;
	/* A disk without a volatile cache has nothing to flush. */
	if (!bd->ops || !bd->ops->flush)
		return 0;
	return bd->ops->flush(bd);
}
