/*
 * kernel/fs/fstype.c - the registry of file-system types mount(2) knows
 * (fstype.h), and tmpfs.
 *
 * Types register once at boot and never leave, so the list needs a lock
 * only against concurrent registration. "tmpfs" is ramfs under another
 * name: each mount is a fresh ramfs whose files live in RAM and vanish at
 * unmount; options (size=, mode=, ...) are accepted and, except mode=,
 * ignored: ramfs already gives ENOSPC when memory runs out.
 */
#include "fstype.h"
#include "mm.h"
#include "sync.h"
#include "ramfs.h"

static struct fs_type *types;
static spinlock_t types_lock = SPINLOCK_INIT("fstypes");

void fs_type_register(struct fs_type *t)
{
	spin_lock(&types_lock);
	struct fs_type **pp = &types;
	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (!*pp) {
		t->next = NULL;
		*pp = t;   /* appended: "auto" tries them in registration order */
	}
	spin_unlock(&types_lock);
}

struct fs_type *fs_type_find(const char *name)
{
	spin_lock(&types_lock);
	struct fs_type *t = types;
	while (t && strcmp(t->name, name))
		t = t->next;
	spin_unlock(&types_lock);
	return t;
}

struct fs_type *fs_type_next(struct fs_type *t)
{
	spin_lock(&types_lock);
	struct fs_type *n = t ? t->next : types;
	spin_unlock(&types_lock);
	return n;
}

/* ---- tmpfs ---- */

#define TMPFS_MAGIC 0x01021994

/* The value of key= in a comma-separated option string, copied to out. */
static bool opt_value(const char *opts, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	for (const char *p = opts; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t n = MIN(len - klen - 1, size - 1);
			memcpy(out, p + klen + 1, n);
			out[n] = 0;
			return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}

static struct super_block *tmpfs_mount(struct blockdev *bd __unused,
                                       unsigned long flags, const char *opts)
{
	char mode[16];
	mode_t m = 01777;   /* like Linux's tmpfs root: world-writable, sticky */
	if (opt_value(opts, "mode", mode, sizeof(mode))) {
		char *end;
		unsigned long v = strtoul(mode, &end, 8);
		if (*end || v > 07777) {
			kprintf(KERN_ERR "tmpfs: bad mode=%s\n", mode);
			return ERR_PTR(-EINVAL);
		}
		m = (mode_t)v;
	}
	struct super_block *sb = ramfs_create_named("tmpfs", TMPFS_MAGIC);
	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->root->mode = S_IFDIR | m;
	sb->flags = flags & MS_RDONLY;
	return sb;
}

static int tmpfs_remount(struct super_block *sb, unsigned long flags,
                         const char *opts __unused)
{
	sb->flags = (sb->flags & ~MS_RDONLY) | (flags & MS_RDONLY);
	return 0;
}


struct name_list {
	char name[NAME_MAX + 1];
	struct name_list *next;
};

static int collect(void *ctx, const char *name, size_t len, ino_t ino __unused,
                   unsigned dtype __unused)
{
	struct name_list **head = ctx;
	if ((len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)))
		return 0;
	struct name_list *n = kmalloc(sizeof(*n));
	if (!n)
		return 1;
	memcpy(n->name, name, len);
	n->name[len] = 0;
	n->next = *head;
	*head = n;
	return 0;
}

/* Remove everything below dir (a ramfs directory nobody uses). */
void ramfs_empty_tree(struct inode *dir)
{
	for (;;) {
		struct name_list *names = NULL;
		off_t pos = 0;
		mutex_lock(&vfs_ns_lock);
		dir->iops->readdir(dir, &pos, collect, &names);
		mutex_unlock(&vfs_ns_lock);
		if (!names)
			return;
		while (names) {
			struct name_list *n = names;
			names = n->next;
			size_t len = strlen(n->name);
			struct inode *child = NULL;
			if (!vfs_lookup_child(dir, n->name, len, &child)) {
				bool isdir = S_ISDIR(child->mode);
				if (isdir)
					ramfs_empty_tree(child);
				inode_put(child);
				mutex_lock(&vfs_ns_lock);
				if (isdir)
					dir->iops->rmdir(dir, n->name, len);
				else
					dir->iops->unlink(dir, n->name, len);
				mutex_unlock(&vfs_ns_lock);
			}
			kfree(n);
		}
	}
}

static int tmpfs_umount(struct super_block *sb)
{
	ramfs_empty_tree(sb->root);
	struct inode *root = sb->root;
	sb->root = NULL;
	inode_put(root);
	return 0;
}

static struct fs_type tmpfs_type = {
	.name = "tmpfs",
	.needs_device = false,
	.mount = tmpfs_mount,
	.remount = tmpfs_remount,
	.umount = tmpfs_umount,
};

void fstype_init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	fs_type_register(&tmpfs_type);
	if (ext2_init)
		ext2_init();
	if (fat_init)
		fat_init();
}
