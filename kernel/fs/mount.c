/*
 * kernel/fs/mount.c - mount(2), umount2(2) and remount; the root file
 * system named on the kernel command line; unmounting at power-off.
 *
 * Everything here runs under vfs_mount_lock, so mounts, unmounts and
 * remounts happen one at a time and never under a /proc/mounts reader or
 * a sync walking the super blocks.
 *
 * "In use" (EBUSY for umount, and for a remount to read-only) is decided
 * by looking at every task: its root, its cwd and its open files. That is
 * exact for what RayOS has (no file mappings outlive their descriptors'
 * inodes without holding them in a file), and needs no per-super-block
 * counters kept in step by every file system.
 *
 * The root switch happens in the kernel before init starts: the disk file
 * system is mounted, /dev and /proc move onto it, it replaces the
 * initramfs as "/" and the initramfs's files are freed. If anything fails
 * the initramfs stays the root and the reason is logged.
 */
#include "fstype.h"
#include "bcache.h"
#include "mm.h"
#include "ramfs.h"
#include "task.h"
#include "uaccess.h"

#define UMOUNT_NOFOLLOW 8
#define MS_KEEP (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | \
                 MS_SYNCHRONOUS | MS_NOATIME)

/* ---- in use? ---- */

static bool file_on(struct file *f, struct super_block *sb, bool writers)
{
	if (!f || !f->inode || f->inode->sb != sb)
		return false;
	return !writers || (f->flags & O_ACCMODE) != O_RDONLY;
}

/* Does any task have its root or cwd on sb, or a file of it open (for
 * writing, if writers)? */
static bool sb_busy(struct super_block *sb, bool writers)
{
	bool busy = false;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t && !busy; t = t->all_next) {
		struct fs_struct *fs = t->fs;
		if (fs && !writers) {
			spin_lock(&fs->lock);
			busy = (fs->root && fs->root->sb == sb) ||
			       (fs->cwd && fs->cwd->sb == sb);
			spin_unlock(&fs->lock);
		}
		struct files_struct *files = t->files;
		if (files && !busy) {
			spin_lock(&files->lock);
			for (int fd = 0; fd < NR_OPEN && !busy; fd++)
				busy = file_on(files->fd[fd], sb, writers);
			spin_unlock(&files->lock);
		}
	}
	spin_unlock(&tasks_lock);
	return busy;
}

/* ---- options ---- */

/* Is this word of a mount option string one mount(2) itself handles? */
static bool generic_option(const char *w, size_t len)
{
	static const char *const words[] = {
		"ro", "rw", "remount", "defaults", "nosuid", "suid", "nodev", "dev",
		"noexec", "exec", "noatime", "atime", "relatime", "sync", "async",
		"auto", "noauto",
	};
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == len && !memcmp(words[i], w, len))
			return true;
	return false;
}

void mount_options(struct super_block *sb, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%s", sb->flags & MS_RDONLY ? "ro" : "rw");
	static const struct { unsigned long flag; const char *name; } fl[] = {
		{ MS_NOSUID, "nosuid" }, { MS_NODEV, "nodev" }, { MS_NOEXEC, "noexec" },
		{ MS_SYNCHRONOUS, "sync" }, { MS_NOATIME, "noatime" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(fl) && n < size; i++)
		if (sb->flags & fl[i].flag)
			n += (size_t)snprintf(buf + n, size - n, ",%s", fl[i].name);
	const char *d = mount_data(sb);
	for (const char *p = d; p && *p && n < size;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len && !generic_option(p, len))
			n += (size_t)snprintf(buf + n, size - n, ",%.*s", (int)len, p);
		p = end ? end + 1 : NULL;
	}
}

/* ---- helpers ---- */

static struct super_block *mounted_on(struct blockdev *bd)
{
	for (struct super_block *sb = mount_next(NULL); sb; sb = mount_next(sb))
		if (sb->bdev == bd)
			return sb;
	return NULL;
}

/* Mount bd (or nothing) with type t; on success sb is set up but not
 * attached anywhere. */
static struct super_block *do_fs_mount(struct fs_type *t, struct blockdev *bd,
                                       unsigned long flags, const char *data)
{
	if (bd && bd->read_only && !(flags & MS_RDONLY)) {
		kprintf(KERN_NOTICE "mount: %s is write-protected, mounting read-only\n",
		        bd->name);
		flags |= MS_RDONLY;
	}
	struct super_block *sb = t->mount(bd, flags & MS_KEEP, data);
	if (IS_ERR_OR_NULL(sb))
		return sb ? sb : ERR_PTR(-EINVAL);
	sb->fstype = t;
	sb->bdev = bd;
	/* The file system may have forced MS_RDONLY; it keeps that. */
	sb->flags |= flags & MS_KEEP;
	return sb;
}

/* Undo do_fs_mount for a super block that was never attached. */
static void fs_release(struct super_block *sb)
{
	if (sb->fstype->umount)
		sb->fstype->umount(sb);
	if (sb->bdev) {
		bcache_sync(sb->bdev);
		bcache_invalidate(sb->bdev);
	}
	super_free(sb);
}

/* Try type t, or every disk type when t is NULL ("auto"). */
static struct super_block *fs_mount_any(struct fs_type *t, struct blockdev *bd,
                                        unsigned long flags, const char *data)
{
	if (t)
		return do_fs_mount(t, bd, flags, data);
	struct super_block *sb = ERR_PTR(-ENODEV);  /* no disk type at all */
	for (t = fs_type_next(NULL); t; t = fs_type_next(t)) {
		if (!t->needs_device)
			continue;
		sb = do_fs_mount(t, bd, flags, data);
		if (!IS_ERR(sb))
			return sb;
	}
	return sb;
}

/* ---- mount(2) ---- */

static long do_remount(struct inode *dir, unsigned long flags, const char *data)
{
	struct super_block *sb = dir->sb;
	if (!sb || sb->root != dir || !sb->mnt)
		return -EINVAL;      /* not a mount point */
	bool to_ro = (flags & MS_RDONLY) && !(sb->flags & MS_RDONLY);
	if (to_ro && sb_busy(sb, true))
		return -EBUSY;       /* a file is open for writing */
	if (to_ro) {
		if (sb->ops && sb->ops->sync)
			sb->ops->sync(sb);
		if (sb->bdev)
			bcache_sync(sb->bdev);
	}
	if (sb->fstype && sb->fstype->remount) {
		int err = sb->fstype->remount(sb, flags & MS_KEEP, data);
		if (err)
			return err;
	} else if (sb->fstype) {
		return -EINVAL;
	}
	if (!(flags & MS_RDONLY) && sb->bdev && sb->bdev->read_only)
		return -EACCES;
	sb->flags = (sb->flags & ~MS_KEEP) | (flags & MS_KEEP);
	if (data && *data)
		mount_set_source(sb, mount_source(sb), data);
	return 0;
}

static long do_new_mount(const char *source, struct inode *dir,
                         const char *type, unsigned long flags, const char *data)
{
	struct fs_type *t = NULL;
	if (type && strcmp(type, "auto")) {
		t = fs_type_find(type);
		if (!t)
			return -ENODEV;
	}
	struct blockdev *bd = NULL;
	if (!t || t->needs_device) {
		if (!source)
			return -EINVAL;
		struct inode *dev;
		int err = path_lookup(source, LOOKUP_FOLLOW, &dev);
		if (err)
			return err;
		bool blk = S_ISBLK(dev->mode);
		bd = blk ? devfs_inode_blockdev(dev) : NULL;
		bool nodev = dev->sb && (dev->sb->flags & MS_NODEV);
		inode_put(dev);
		if (!blk)
			return -ENOTBLK;
		if (!bd)
			return -ENXIO;
		if (nodev)
			return -EACCES;
		if (mounted_on(bd))
			return -EBUSY;
	}
	struct super_block *sb = fs_mount_any(t, bd, flags, data);
	if (IS_ERR(sb))
		return PTR_ERR(sb) == -EINVAL && bd ? -EINVAL : PTR_ERR(sb);
	int err = vfs_mount(sb, dir);
	if (err) {
		fs_release(sb);
		return err;
	}
	mount_set_source(sb, source && *source ? source : sb->fstype->name, data);
	kprintf("mount: %s mounted (%s%s)\n", mount_source(sb), sb->fstype->name,
	        sb->flags & MS_RDONLY ? ", read-only" : "");
	return 0;
}

/* A string argument of mount(2): NULL stays NULL. */
static long copy_arg(const char *u, size_t max, char **out)
{
	*out = NULL;
	if (!u)
		return 0;
	char *k = kmalloc(max);
	if (!k)
		return -ENOMEM;
	long n = strncpy_from_user(k, u, max);
	if (n < 0) {
		kfree(k);
		return n;
	}
	*out = k;
	return 0;
}

long sys_mount(const char *usource, const char *utarget, const char *utype,
               unsigned long flags, const void *udata)
{
	if (current->cred.euid != 0)
		return -EPERM;
	char *source = NULL, *target = NULL, *type = NULL, *data = NULL;
	long err = copy_arg(utarget, PATH_MAX, &target);
	if (!err && !target)
		err = -EFAULT;
	if (!err)
		err = copy_arg(usource, PATH_MAX, &source);
	if (!err)
		err = copy_arg(utype, 64, &type);
	if (!err)
		err = copy_arg(udata, PAGE_SIZE, &data);
	if (err)
		goto out;
	/* Linux's old magic in the top half of flags means nothing. */
	if ((flags & 0xffff0000) == 0xc0ed0000)
		flags &= 0xffff;
	struct inode *dir;
	err = path_lookup(target, LOOKUP_FOLLOW, &dir);
	if (err)
		goto out;
	mutex_lock(&vfs_mount_lock);
	if (flags & MS_REMOUNT)
		err = do_remount(dir, flags, data);
	else if (flags & (MS_BIND | MS_MOVE))
		err = -EINVAL;   /* bind and move mounts: not supported */
	else if (!S_ISDIR(dir->mode))
		err = -ENOTDIR;
	else
		err = do_new_mount(source, dir, type, flags, data);
	mutex_unlock(&vfs_mount_lock);
	inode_put(dir);
out:
	kfree(source);
	kfree(target);
	kfree(type);
	kfree(data);
	return err;
}

/* ---- umount2(2) ---- */

/* Unmount sb (attached, not the root). Caller holds vfs_mount_lock and
 * no inode reference into sb. */
static int umount_sb(struct super_block *sb, bool force)
{
	if (!sb->fstype)
		return -EINVAL;      /* boot-time devfs and proc stay */
	if (!force && sb_busy(sb, false))
		return -EBUSY;
	int err = vfs_detach(sb);
	if (err)
		return err;
	if (sb->ops && sb->ops->sync && !(sb->flags & MS_RDONLY))
		sb->ops->sync(sb);
	struct blockdev *bd = sb->bdev;
	err = sb->fstype->umount ? sb->fstype->umount(sb) : 0;
	if (bd) {
		int e = bcache_sync(bd);
		if (!err)
			err = e;
		bcache_invalidate(bd);
	}
	super_free(sb);
	return err;
}

long sys_umount2(const char *utarget, int flags)
{
	if (current->cred.euid != 0)
		return -EPERM;
	if (flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW))
		return -EINVAL;
	char *target;
	long err = copy_arg(utarget, PATH_MAX, &target);
	if (err)
		return err;
	if (!target)
		return -EFAULT;
	struct inode *ino;
	err = path_lookup(target, flags & UMOUNT_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &ino);
	kfree(target);
	if (err)
		return err;
	struct super_block *sb = ino->sb;
	bool is_mount = sb && sb->root == ino && sb->mnt;
	inode_put(ino);
	if (!is_mount)
		return -EINVAL;
	mutex_lock(&vfs_mount_lock);
	if (!mount_point(sb)) {
		err = -EBUSY;        /* the root */
	} else if ((flags & MNT_DETACH) && sb_busy(sb, false)) {
		/* Lazy: gone from the tree now; the file system stays alive
		 * (and is synced) for those still using it. */
		err = vfs_detach(sb);
		if (!err && sb->ops && sb->ops->sync)
			sb->ops->sync(sb);
		if (!err && sb->bdev)
			bcache_sync(sb->bdev);
	} else {
		err = umount_sb(sb, false);
	}
	mutex_unlock(&vfs_mount_lock);
	return err;
}

/* ---- the root file system ---- */

static bool same_uuid(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
		char y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
		if (x != y)
			return false;
	}
	return *a == *b;
}

static struct blockdev *find_root_dev(const char *spec)
{
	for (struct blockdev *bd = blockdevs; bd; bd = bd->next) {
		if (!strncmp(spec, "LABEL=", 6) && bd->partno &&
		    !strcmp(bd->part_label, spec + 6))
			return bd;
		if (!strncmp(spec, "PARTUUID=", 9) && bd->partno &&
		    same_uuid(bd->part_uuid, spec + 9))
			return bd;
		if (!strncmp(spec, "/dev/", 5) && !strcmp(bd->name, spec + 5))
			return bd;
	}
	return NULL;
}

/* The root directory of the boot-time mount on /name in the old root. */
static struct super_block *boot_mount(struct inode *old_root, const char *name)
{
	struct inode *dir;
	if (vfs_lookup_child(old_root, name, strlen(name), &dir))
		return NULL;
	struct inode *top = cross_mounts(dir);
	struct super_block *sb = top->sb != old_root->sb ? top->sb : NULL;
	inode_put(top);
	return sb;
}

int vfs_mount_root_device(const char *spec, const char *type,
                          unsigned long flags)
{
	struct blockdev *bd = find_root_dev(spec);
	if (!bd) {
		kprintf(KERN_ERR "root: no block device matches root=%s; "
		        "staying on the initramfs\n", spec);
		return -ENODEV;
	}
	struct fs_type *t = NULL;
	if (type && !(t = fs_type_find(type))) {
		kprintf(KERN_ERR "root: unknown rootfstype=%s\n", type);
		return -ENODEV;
	}
	mutex_lock(&vfs_mount_lock);
	struct super_block *sb = fs_mount_any(t, bd, flags, NULL);
	if (IS_ERR(sb)) {
		mutex_unlock(&vfs_mount_lock);
		kprintf(KERN_ERR "root: cannot mount %s (%s): %s (error %ld); "
		        "staying on the initramfs\n", bd->name, spec,
		        PTR_ERR(sb) == -ENODEV ? "no disk file-system type is built in"
		                               : "no file system recognised it", PTR_ERR(sb));
		return (int)PTR_ERR(sb);
	}
	/* /dev and /proc move over; they must exist on the new root. */
	struct inode *old_root = vfs_root();
	static const char *const moved[] = { "dev", "proc" };
	struct inode *onto[2] = { NULL, NULL };
	int err = 0;
	for (int i = 0; i < 2 && !err; i++) {
		err = vfs_lookup_child(sb->root, moved[i], strlen(moved[i]), &onto[i]);
		if (!err && !S_ISDIR(onto[i]->mode))
			err = -ENOTDIR;
		if (err)
			kprintf(KERN_ERR "root: %s has no /%s directory (error %d)\n",
			        bd->name, moved[i], err);
	}
	if (err) {
		inode_put(onto[0]);
		inode_put(onto[1]);
		inode_put(old_root);
		fs_release(sb);
		mutex_unlock(&vfs_mount_lock);
		kprintf(KERN_ERR "root: staying on the initramfs\n");
		return err;
	}
	for (int i = 0; i < 2; i++) {
		struct super_block *m = boot_mount(old_root, moved[i]);
		if (m && vfs_move_mount(m, onto[i]))
			kprintf(KERN_ERR "root: cannot move /%s\n", moved[i]);
		inode_put(onto[i]);
	}
	struct super_block *old = vfs_replace_root(sb);
	char source[32];
	snprintf(source, sizeof(source), "/dev/%s", bd->name);
	mount_set_source(sb, source, NULL);
	mutex_unlock(&vfs_mount_lock);
	kprintf("root: %s (%s) mounted as / (%s%s)\n", source, spec,
	        sb->fstype->name, sb->flags & MS_RDONLY ? ", read-only" : "");

	/* The initramfs is unreachable now: give its memory back. */
	if (old && old_root && !old->fstype && !strcmp(old->type, "ramfs"))
		ramfs_empty_tree(old_root);
	inode_put(old_root);
	return 0;
}

/* Mount a file system on /path (a directory made if missing and the root
 * is writable). */
static int mount_at(const char *path, struct fs_type *t, struct blockdev *bd,
                    unsigned long flags, const char *source)
{
	struct inode *dir;
	int err = path_lookup(path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	if (err)
		return err;
	mutex_lock(&vfs_mount_lock);
	struct super_block *sb = do_fs_mount(t, bd, flags, NULL);
	err = IS_ERR(sb) ? (int)PTR_ERR(sb) : vfs_mount(sb, dir);
	if (!err)
		mount_set_source(sb, source, NULL);
	else if (!IS_ERR(sb))
		fs_release(sb);
	mutex_unlock(&vfs_mount_lock);
	inode_put(dir);
	return err;
}

#define ESP_TYPE "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"

void vfs_mount_boot_extras(void)
{
	struct fs_type *tmpfs = fs_type_find("tmpfs");
	int err = tmpfs ? mount_at("/tmp", tmpfs, NULL, MS_NOSUID | MS_NODEV, "tmpfs")
	                : -ENODEV;
	if (err)
		kprintf(KERN_ERR "mount: tmpfs on /tmp failed: %d\n", err);

	/* The ESP of the disk the root is on, on /boot/efi. */
	struct inode *root = vfs_root();
	struct blockdev *rootdev = root && root->sb ? root->sb->bdev : NULL;
	inode_put(root);
	struct fs_type *vfat = fs_type_find("vfat");
	if (!rootdev || !vfat)
		return;
	for (struct blockdev *bd = blockdevs; bd; bd = bd->next) {
		if (bd->parent != rootdev->parent || !same_uuid(bd->type_uuid, ESP_TYPE))
			continue;
		char source[32];
		snprintf(source, sizeof(source), "/dev/%s", bd->name);
		err = mount_at("/boot/efi", vfat, bd, 0, source);
		if (err)
			kprintf(KERN_ERR "mount: %s on /boot/efi failed: %d\n", source, err);
		else
			kprintf("mount: %s on /boot/efi (vfat)\n", source);
		break;
	}
}

/* ---- power-off ---- */

void vfs_shutdown(void)
{
	vfs_sync_all();
	mutex_lock(&vfs_mount_lock);
	/* Children before parents: unmount the last-mounted first, again
	 * until nothing more goes. What is still in use (the root: init's
	 * cwd; anything a surviving task holds) is remounted read-only
	 * instead, which writes everything back and marks it clean without
	 * pulling inodes from under their users. */
	for (bool again = true; again;) {
		again = false;
		struct super_block *last = NULL;
		for (struct super_block *sb = mount_next(NULL); sb; sb = mount_next(sb))
			if (sb->fstype && mount_point(sb) && !sb_busy(sb, false))
				last = sb;
		if (last && umount_sb(last, false) == 0)
			again = true;
	}
	for (struct super_block *sb = mount_next(NULL); sb; sb = mount_next(sb)) {
		if (!sb->fstype || (sb->flags & MS_RDONLY))
			continue;
		if (sb->ops && sb->ops->sync)
			sb->ops->sync(sb);
		/* remount,ro marks the file system clean; a type without
		 * remount is unmounted in place (no task runs after this). */
		if (sb->fstype->remount)
			sb->fstype->remount(sb, (sb->flags & MS_KEEP) | MS_RDONLY, NULL);
		else if (sb->fstype->umount)
			sb->fstype->umount(sb);
		sb->flags |= MS_RDONLY;   /* nothing may write after this */
		if (sb->bdev)
			bcache_sync(sb->bdev);
	}
	mutex_unlock(&vfs_mount_lock);
	bcache_sync(NULL);
	kprintf("vfs: file systems synced and unmounted\n");
}
