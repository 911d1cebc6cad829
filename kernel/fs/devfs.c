/*
 * kernel/fs/devfs.c - /dev: device nodes, the built-in memory devices and
 * the block devices.
 *
 * devfs is a ramfs (so mkdir, symlinks and mknod work in /dev as usual)
 * whose root directory also shows every registered block device: drivers
 * register disks after vfs_init(), so the root's lookup and readdir first
 * add a node for any block device in `blockdevs` not seen yet.
 *
 * Device nodes in any file system open through chrdev_file_ops /
 * blkdev_file_ops, which find the driver (inode->dev for nodes devfs made,
 * else by rdev) and install its file ops in the new struct file.
 */
#include "ramfs.h"
#include "block.h"
#include "fstype.h"
#include "mm.h"
#include "random.h"
#include "uaccess.h"

#define BLOCK_MAJOR 259 /* Linux's "blkext" major: numbers are ours */
#define MAX_BLOCKDEVS 64

struct chrdev {
	char name[32];
	dev_t rdev;
	const struct file_ops *ops;
	void *priv;
	struct chrdev *next;
};

static struct super_block *devfs_sb;
static struct chrdev *chrdevs;           /* under vfs_ns_lock */
static struct blockdev *blk_seen[MAX_BLOCKDEVS]; /* minor = index */
static unsigned nblk_seen;

/* ---- character devices ---- */

static struct chrdev *chrdev_find(struct inode *ino)
{
	if (ino->dev)
		return ino->dev;
	mutex_lock(&vfs_ns_lock);
	struct chrdev *c = chrdevs;
	while (c && c->rdev != ino->rdev)
		c = c->next;
	mutex_unlock(&vfs_ns_lock);
	return c;
}

static int chrdev_open(struct inode *ino, struct file *f)
{
	struct chrdev *c = chrdev_find(ino);
	if (!c)
		return -ENXIO;
	f->ops = c->ops;
	f->priv = c->priv;
	return f->ops && f->ops->open ? f->ops->open(ino, f) : 0;
}

const struct file_ops chrdev_file_ops = { .open = chrdev_open };

/* ---- block devices ---- */

static struct blockdev *blkdev_find(struct inode *ino)
{
	if (ino->dev)
		return ino->dev;
	if (MAJOR(ino->rdev) != BLOCK_MAJOR || MINOR(ino->rdev) >= nblk_seen)
		return NULL;
	return blk_seen[MINOR(ino->rdev)];
}

struct blockdev *devfs_inode_blockdev(struct inode *ino)
{
	return S_ISBLK(ino->mode) ? blkdev_find(ino) : NULL;
}

static uint64_t bd_bytes(struct blockdev *bd)
{
	return bd->sectors * SECTOR_SIZE;
}

#define BOUNCE (PAGE_SIZE / SECTOR_SIZE) /* sectors per bounce transfer */

/* Transfers go through a bounce page: drivers get a direct-mapped,
 * sector-aligned buffer whatever the caller's alignment. */
static ssize_t blk_read(struct file *f, void *buf, size_t n, off_t *off)
{
	struct blockdev *bd = f->priv;
	if (*off < 0)
		return -EINVAL;
	uint64_t pos = (uint64_t)*off, size = bd_bytes(bd);
	if (pos >= size)
		return 0;
	n = (size_t)MIN((uint64_t)n, size - pos);
	char *bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		return -ENOMEM;
	size_t done = 0;
	int err = 0;
	while (done < n) {
		uint64_t lba = pos / SECTOR_SIZE;
		size_t in = pos % SECTOR_SIZE;
		uint32_t cnt = (uint32_t)MIN((uint64_t)BOUNCE, bd->sectors - lba);
		err = block_read(bd, lba, cnt, bounce);
		if (err)
			break;
		size_t chunk = MIN(n - done, cnt * SECTOR_SIZE - in);
		memcpy((char *)buf + done, bounce + in, chunk);
		done += chunk;
		pos += chunk;
	}
	kfree(bounce);
	*off = (off_t)pos;
	return done ? (ssize_t)done : err;
}

static ssize_t blk_write(struct file *f, const void *buf, size_t n, off_t *off)
{
	struct blockdev *bd = f->priv;
	if (*off < 0)
		return -EINVAL;
	uint64_t pos = (uint64_t)*off, size = bd_bytes(bd);
	if (pos >= size)
		return n ? -ENOSPC : 0;
	n = (size_t)MIN((uint64_t)n, size - pos);
	char *bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		return -ENOMEM;
	size_t done = 0;
	int err = 0;
	while (done < n) {
		uint64_t lba = pos / SECTOR_SIZE;
		size_t in = pos % SECTOR_SIZE;
		uint32_t cnt = (uint32_t)MIN((uint64_t)BOUNCE, bd->sectors - lba);
		size_t chunk = MIN(n - done, cnt * SECTOR_SIZE - in);
		cnt = (uint32_t)((in + chunk + SECTOR_SIZE - 1) / SECTOR_SIZE);
		/* Partial sectors at either end: read-modify-write. */
		if (in || chunk % SECTOR_SIZE) {
			err = block_read(bd, lba, cnt, bounce);
			if (err)
				break;
		}
		memcpy(bounce + in, (const char *)buf + done, chunk);
		err = block_write(bd, lba, cnt, bounce);
		if (err)
			break;
		done += chunk;
		pos += chunk;
	}
	kfree(bounce);
	*off = (off_t)pos;
	return done ? (ssize_t)done : err;
}

#define BLKSSZGET 0x1268
#define BLKFLSBUF 0x1261
#define BLKGETSIZE64 0x80081272

static long blk_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct blockdev *bd = f->priv;
	switch (cmd) {
	case BLKGETSIZE64: {
		uint64_t v = bd_bytes(bd);
		return copy_to_user((void *)arg, &v, sizeof(v));
	}
	case BLKSSZGET: {
		int v = SECTOR_SIZE;
		return copy_to_user((void *)arg, &v, sizeof(v));
	}
	case BLKFLSBUF:
		return block_flush(bd);
	default:
		return -ENOTTY;
	}
}

static const struct file_ops blk_ops = {
	.read = blk_read,
	.write = blk_write,
	.ioctl = blk_ioctl,
};

static int blkdev_open(struct inode *ino, struct file *f)
{
	struct blockdev *bd = blkdev_find(ino);
	if (!bd)
		return -ENXIO;
	if (bd->read_only && (f->flags & O_ACCMODE) != O_RDONLY)
		return -EROFS;
	f->ops = &blk_ops;
	f->priv = bd;
	return 0;
}

const struct file_ops blkdev_file_ops = { .open = blkdev_open };

/* Add nodes for block devices registered since the last look (ns lock
 * held). The list only grows, so remembering how far we got is enough. */
static void sync_blockdevs(struct inode *root)
{
	for (struct blockdev *bd = blockdevs; bd; bd = bd->next) {
		bool seen = false;
		for (unsigned i = 0; i < nblk_seen && !seen; i++)
			seen = blk_seen[i] == bd;
		if (seen || nblk_seen == MAX_BLOCKDEVS)
			continue;
		size_t len = strnlen(bd->name, sizeof(bd->name));
		if (!len || ramfs_has_entry(root, bd->name, len))
			continue;
		unsigned minor = nblk_seen;
		struct inode *ino;
		if (ramfs_add_node(root, bd->name, len, S_IFBLK | 0660,
		                   MKDEV(BLOCK_MAJOR, minor), &ino))
			continue;
		blk_seen[nblk_seen++] = bd;
		ino->dev = bd;
		ino->size = bd_bytes(bd);
		ino->uid = ino->gid = 0;
		inode_put(ino);
	}
}

static int devfs_lookup(struct inode *dir, const char *name, size_t len,
                        struct inode **res)
{
	sync_blockdevs(dir);
	return ramfs_dir_iops.lookup(dir, name, len, res);
}

static int devfs_readdir(struct inode *dir, off_t *pos, filldir_t fill,
                         void *ctx)
{
	sync_blockdevs(dir);
	return ramfs_dir_iops.readdir(dir, pos, fill, ctx);
}

static struct inode_ops devfs_root_iops;

/* ---- built-in memory devices ---- */

static ssize_t null_read(struct file *f __unused, void *buf __unused,
                         size_t n __unused, off_t *off __unused)
{
	return 0;
}
static ssize_t zero_read(struct file *f __unused, void *buf, size_t n,
                         off_t *off __unused)
{
	memset(buf, 0, n);
	return (ssize_t)n;
}
static ssize_t random_read(struct file *f __unused, void *buf, size_t n,
                           off_t *off __unused)
{
	/* The generator runs with interrupts off: keep each call short. */
	for (size_t done = 0; done < n; done += PAGE_SIZE)
		get_random_bytes((char *)buf + done, MIN(n - done, PAGE_SIZE));
	return (ssize_t)n;
}
static ssize_t sink_write(struct file *f __unused, const void *buf __unused,
                          size_t n, off_t *off __unused)
{
	return (ssize_t)n;
}
static ssize_t full_write(struct file *f __unused, const void *buf __unused,
                          size_t n, off_t *off __unused)
{
	return n ? -ENOSPC : 0;
}
static off_t mem_llseek(struct file *f, off_t off __unused, int whence __unused)
{
	f->pos = 0;
	return 0;
}

static const struct file_ops null_ops = {
	.read = null_read, .write = sink_write, .llseek = mem_llseek };
static const struct file_ops zero_ops = {
	.read = zero_read, .write = sink_write, .llseek = mem_llseek };
static const struct file_ops full_ops = {
	.read = zero_read, .write = full_write, .llseek = mem_llseek };
static const struct file_ops random_ops = {
	.read = random_read, .write = sink_write, .llseek = mem_llseek };

struct super_block *devfs_create(void)
{
	if (devfs_sb)
		return devfs_sb;
	vfs_early_init();
	struct super_block *sb = ramfs_create_named("devfs", TMPFS_MAGIC);
	if (!sb)
		return NULL;
	devfs_root_iops = ramfs_dir_iops;
	devfs_root_iops.lookup = devfs_lookup;
	devfs_root_iops.readdir = devfs_readdir;
	sb->root->iops = &devfs_root_iops;
	devfs_sb = sb;
	devfs_register_chr("null", 0666, 1, 3, &null_ops, NULL);
	devfs_register_chr("zero", 0666, 1, 5, &zero_ops, NULL);
	devfs_register_chr("full", 0666, 1, 7, &full_ops, NULL);
	devfs_register_chr("random", 0666, 1, 8, &random_ops, NULL);
	devfs_register_chr("urandom", 0666, 1, 9, &random_ops, NULL);
	return sb;
}

int devfs_register_chr(const char *name, mode_t mode, unsigned major,
                       unsigned minor, const struct file_ops *ops, void *priv)
{
	size_t len = strnlen(name, 32);
	if (!len || len >= 32 || strchr(name, '/') || !ops)
		return -EINVAL;
	if (!devfs_create())
		return -ENOMEM;
	struct chrdev *c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	memcpy(c->name, name, len);
	c->rdev = MKDEV(major, minor);
	c->ops = ops;
	c->priv = priv;
	struct inode *root = devfs_sb->root, *ino;
	mutex_lock(&vfs_ns_lock);
	mode_t perm = (mode & 07777) ? (mode & 07777) : 0600;
	/* A node of that name from the initramfs (or mknod) gives way to
	 * the driver's: the driver is what its users want to reach. */
	int err = 0;
	if (ramfs_has_entry(root, name, len))
		err = ramfs_dir_iops.unlink(root, name, len);
	if (!err)
		err = ramfs_add_node(root, name, len, S_IFCHR | perm, c->rdev, &ino);
	if (!err) {
		ino->dev = c;
		ino->uid = ino->gid = 0;
		c->next = chrdevs;
		chrdevs = c;
	}
	mutex_unlock(&vfs_ns_lock);
	if (err) {
		kfree(c);
		return err;
	}
	inode_put(ino);
	return 0;
}
