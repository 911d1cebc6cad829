/*
 * kernel/fs/super.c - super blocks, the mount table and vfs_init().
 *
 * A mount attaches a super block's root over a directory inode ("the
 * covered inode"), which records it in inode->mounted; the path walk then
 * continues in the mounted root (downward crossing), and ".." at a mounted
 * root continues from the covered inode (upward crossing). Each super block
 * is mounted at most once, so sb->mnt identifies its place.
 *
 * Unmounting (kernel/fs/mount.c) removes a mount under vfs_mount_lock,
 * which also covers every walk of the list that may sleep (mount_next()
 * callers, vfs_sync_all), so a super block is never freed under a walker.
 * Each mount remembers its source ("/dev/vda2", "tmpfs") and the option
 * string it was mounted with, for /proc/mounts.
 */
#include "vfs.h"
#include "fstype.h"
#include "mm.h"
#include "procfs.h"
#include "bcache.h"

struct mount {
	struct super_block *sb;
	struct inode *covered;   /* NULL for "/" */
	struct mount *next;
	char *source;            /* NULL: the type name */
	char *data;              /* file-system options, or NULL */
};

mutex_t vfs_ns_lock;
mutex_t vfs_mount_lock;
static spinlock_t mount_lock = SPINLOCK_INIT("mount");
static struct mount *mounts;
static struct inode *root_inode;       /* "/" of the system */
static struct super_block *all_supers;
static unsigned next_anon_minor = 1;

struct super_block *super_alloc(const char *type, uint64_t magic,
                                const struct super_ops *ops)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	if (!sb)
		return NULL;
	sb->type = type;
	sb->magic = magic;
	sb->ops = ops;
	sb->blocksize = 4096;
	spin_lock(&mount_lock);
	unsigned minor = next_anon_minor++;
	sb->dev = MKDEV(0, minor); /* anonymous, as Linux's tmpfs */
	sb->next = all_supers;
	all_supers = sb;
	spin_unlock(&mount_lock);
	return sb;
}

int vfs_mount(struct super_block *sb, struct inode *onto)
{
	if (sb->mnt)
		return -EBUSY;
	if (onto && !S_ISDIR(onto->mode))
		return -ENOTDIR;
	struct mount *m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->sb = sb;
	mutex_lock(&vfs_ns_lock);
	if (onto ? onto->mounted != NULL : root_inode != NULL) {
		mutex_unlock(&vfs_ns_lock);
		kfree(m);
		return -EBUSY;
	}
	if (onto) {
		m->covered = inode_get(onto);
		onto->mounted = m;
	} else {
		root_inode = inode_get(sb->root);
	}
	sb->mnt = m;
	/* Appended, so that the list (and /proc/mounts) is in mount order. */
	spin_lock(&mount_lock);
	struct mount **pp = &mounts;
	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
	spin_unlock(&mount_lock);
	mutex_unlock(&vfs_ns_lock);
	return 0;
}

void mount_set_source(struct super_block *sb, const char *source,
                      const char *data)
{
	struct mount *m = sb->mnt;
	if (!m)
		return;
	char *src = source ? kstrdup(source) : NULL;
	char *d = data && *data ? kstrdup(data) : NULL;
	kfree(m->source);
	kfree(m->data);
	m->source = src;
	m->data = d;
}

const char *mount_source(struct super_block *sb)
{
	return sb->mnt && sb->mnt->source ? sb->mnt->source : sb->type;
}

const char *mount_data(struct super_block *sb)
{
	return sb->mnt ? sb->mnt->data : NULL;
}

struct inode *mount_point(struct super_block *sb)
{
	return sb->mnt ? sb->mnt->covered : NULL;
}

/* Take sb off the tree: its mount point becomes the plain directory it
 * was. The caller holds vfs_mount_lock and has checked nothing is in
 * use; the root mount cannot be detached. */
int vfs_detach(struct super_block *sb)
{
	mutex_lock(&vfs_ns_lock);
	struct mount *m = sb->mnt;
	if (!m || !m->covered) {
		mutex_unlock(&vfs_ns_lock);
		return -EINVAL;
	}
	/* Something mounted on a directory of sb pins it. */
	spin_lock(&mount_lock);
	for (struct mount *o = mounts; o; o = o->next) {
		if (o->covered && o->covered->sb == sb) {
			spin_unlock(&mount_lock);
			mutex_unlock(&vfs_ns_lock);
			return -EBUSY;
		}
	}
	struct mount **pp = &mounts;
	while (*pp != m)
		pp = &(*pp)->next;
	*pp = m->next;
	spin_unlock(&mount_lock);
	m->covered->mounted = NULL;
	sb->mnt = NULL;
	mutex_unlock(&vfs_ns_lock);
	inode_put(m->covered);
	kfree(m->source);
	kfree(m->data);
	kfree(m);
	return 0;
}

/* Move the mount of sb onto another directory (switching the root). */
int vfs_move_mount(struct super_block *sb, struct inode *onto)
{
	if (!S_ISDIR(onto->mode))
		return -ENOTDIR;
	mutex_lock(&vfs_ns_lock);
	struct mount *m = sb->mnt;
	if (!m || !m->covered || onto->mounted) {
		mutex_unlock(&vfs_ns_lock);
		return -EBUSY;
	}
	struct inode *old = m->covered;
	old->mounted = NULL;
	m->covered = inode_get(onto);
	onto->mounted = m;
	mutex_unlock(&vfs_ns_lock);
	inode_put(old);
	return 0;
}

/* Make sb, mounted nowhere yet, the system's "/" in place of the current
 * root, whose super block is returned (its mount is dropped). Only at
 * boot, before any task has a root or cwd of its own. */
struct super_block *vfs_replace_root(struct super_block *sb)
{
	struct mount *m = kzalloc(sizeof(*m));
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->sb = sb;
	mutex_lock(&vfs_ns_lock);
	struct inode *old_root = root_inode;
	struct super_block *old = old_root ? old_root->sb : NULL;
	struct mount *om = old ? old->mnt : NULL;
	spin_lock(&mount_lock);
	if (om) {
		struct mount **pp = &mounts;
		while (*pp != om)
			pp = &(*pp)->next;
		*pp = om->next;
	}
	/* The root is listed first, as Linux does. */
	m->next = mounts;
	mounts = m;
	spin_unlock(&mount_lock);
	if (old)
		old->mnt = NULL;
	sb->mnt = m;
	root_inode = inode_get(sb->root);
	mutex_unlock(&vfs_ns_lock);
	if (om) {
		kfree(om->source);
		kfree(om->data);
		kfree(om);
	}
	inode_put(old_root);
	return old;
}

/* Forget a super block that is mounted nowhere (after ->umount). */
void super_free(struct super_block *sb)
{
	spin_lock(&mount_lock);
	struct super_block **pp = &all_supers;
	while (*pp && *pp != sb)
		pp = &(*pp)->next;
	if (*pp)
		*pp = sb->next;
	spin_unlock(&mount_lock);
	kfree(sb);
}

struct super_block *mount_next(struct super_block *prev)
{
	spin_lock(&mount_lock);
	struct mount *m = prev ? (prev->mnt ? prev->mnt->next : NULL) : mounts;
	spin_unlock(&mount_lock);
	return m ? m->sb : NULL;
}

struct inode *vfs_root(void)
{
	return root_inode ? inode_get(root_inode) : NULL;
}

struct inode *mount_covered(struct inode *ino)
{
	struct super_block *sb = ino->sb;
	if (!sb || sb->root != ino || !sb->mnt)
		return NULL;
	return sb->mnt->covered;
}

/* Mounted file systems stack: follow until a directory has nothing on it.
 * Consumes the reference to ino, returns a reference to the result. */
struct inode *cross_mounts(struct inode *ino)
{
	while (ino->mounted) {
		struct inode *r = inode_get(ino->mounted->sb->root);
		inode_put(ino);
		ino = r;
	}
	return ino;
}

/* Every file system's dirty state into the buffer cache, then the cache
 * to the disks and their write caches flushed. vfs_mount_lock keeps super
 * blocks from being freed while the (sleeping) sync ops run. Returns 0 or
 * the last error. */
int vfs_sync_all(void)
{
	int err = 0;
	mutex_lock(&vfs_mount_lock);
	spin_lock(&mount_lock);
	struct super_block *sb = all_supers;
	spin_unlock(&mount_lock);
	for (; sb; sb = sb->next) {
		if (sb->ops && sb->ops->sync && !(sb->flags & MS_RDONLY)) {
			int e = sb->ops->sync(sb);
			if (e)
				err = e;
		}
	}
	mutex_unlock(&vfs_mount_lock);
	int e = bcache_sync(NULL);
	return e ? e : err;
}

/* The locks must work before anything is mounted, whichever of vfs_init()
 * and initramfs_unpack() the boot code calls first. */
void vfs_early_init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	mutex_init(&vfs_ns_lock, "vfs_ns");
	mutex_init(&vfs_mount_lock, "vfs_mount");
}

/* Mount a fresh ramfs as "/" unless that happened already. */
int vfs_mount_root(void)
{
	vfs_early_init();
	if (root_inode)
		return 0;
	struct super_block *sb = ramfs_create();
	if (!sb)
		return -ENOMEM;
	return vfs_mount(sb, NULL);
}

/* Mount sb on /name, a directory in the root made here if the root has
 * none yet (the initramfs, unpacked later, may bring it too). */
static int mount_on_root_dir(const char *name, struct super_block *sb)
{
	char path[32];
	snprintf(path, sizeof(path), "/%s", name);
	struct inode *dir = NULL;
	int err = path_lookup(path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	if (err == -ENOENT) {
		struct inode *root = vfs_root();
		mutex_lock(&vfs_ns_lock);
		err = root->iops->mkdir(root, name, strlen(name), S_IFDIR | 0755);
		mutex_unlock(&vfs_ns_lock);
		inode_put(root);
		if (!err)
			err = path_lookup(path, LOOKUP_DIRECTORY, &dir);
	}
	if (err)
		return err;
	if (!dir->mounted)
		err = vfs_mount(sb, dir);
	inode_put(dir);
	return err;
}

void vfs_init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	int err = vfs_mount_root();
	if (err)
		panic("vfs: cannot mount root ramfs: %d", err);

	struct super_block *devsb = devfs_create();
	if (!devsb)
		panic("vfs: cannot create devfs");
	err = mount_on_root_dir("dev", devsb);
	if (err)
		panic("vfs: cannot mount devfs on /dev: %d", err);

	/* Nothing needs /proc to boot: a failure is only reported. */
	struct super_block *procsb = procfs_create();
	err = procsb ? mount_on_root_dir("proc", procsb) : -ENOMEM;
	if (err)
		kprintf(KERN_ERR "vfs: cannot mount proc on /proc: %d\n", err);
	kprintf("vfs: ramfs on /, devfs on /dev, proc on /proc\n");
}
