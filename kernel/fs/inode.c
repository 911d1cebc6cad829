/*
 * kernel/fs/inode.c - inode life cycle, time stamps and permission checks.
 *
 * An inode is reference counted. Every holder (a directory entry of ramfs,
 * an open file, a cwd, a path walk in progress) owns one reference. When
 * the count drops to zero the super block's evict op decides what happens:
 * ramfs frees the inode (it can only reach zero once unlinked, since each
 * link holds a reference); a disk file system would write it back.
 * The counts are protected by one spinlock so that inode_put() and a
 * file system's own cache lookups cannot race.
 */
#include "vfs.h"
#include "fstype.h"
#include "mm.h"
#include "task.h"
#include "vm.h"
#include "ktime.h"

static spinlock_t icache_lock = SPINLOCK_INIT("icache");

struct inode *inode_alloc(struct super_block *sb, mode_t mode)
{
	struct inode *ino = kzalloc(sizeof(*ino));
	if (!ino)
		return NULL;
	ino->refcount = 1;
	ino->sb = sb;
	ino->mode = mode;
	ino->nlink = 1;
	if (sb)
		ino->ino = ++sb->next_ino;
	struct task *t = current;
	if (t) {
		ino->uid = t->cred.euid;
		ino->gid = t->cred.egid;
	}
	ino->atime = ino->mtime = ino->ctime = current_time();
	mutex_init(&ino->lock, "inode");
	return ino;
}

void inode_free(struct inode *ino)
{
	kfree(ino);
}

struct inode *inode_get(struct inode *ino)
{
	spin_lock(&icache_lock);
	BUG_ON(ino->refcount <= 0);
	ino->refcount++;
	spin_unlock(&icache_lock);
	return ino;
}

struct inode *inode_tryget(struct inode *ino)
{
	spin_lock(&icache_lock);
	bool live = ino->refcount > 0;
	if (live)
		ino->refcount++;
	spin_unlock(&icache_lock);
	return live ? ino : NULL;
}

void inode_put(struct inode *ino)
{
	if (!ino)
		return;
	spin_lock(&icache_lock);
	BUG_ON(ino->refcount <= 0);
	bool last = --ino->refcount == 0;
	spin_unlock(&icache_lock);
	if (!last)
		return;
	if (S_ISFIFO(ino->mode))
		fifo_inode_evict(ino);
	filemap_drop(ino); /* no mapping is left: every one holds a file */
	if (ino->sb && ino->sb->ops && ino->sb->ops->evict)
		ino->sb->ops->evict(ino);
	else
		inode_free(ino);
}

struct ktimespec current_time(void)
{
	uint64_t ns = time_realtime_ns();
	struct ktimespec ts = { (int64_t)(ns / NSEC_PER_SEC),
	                        (int64_t)(ns % NSEC_PER_SEC) };
	return ts;
}

void inode_touch(struct inode *ino, bool a, bool m, bool c)
{
	struct ktimespec now = current_time();
	if (a)
		ino->atime = now;
	if (m)
		ino->mtime = now;
	if (c)
		ino->ctime = now;
}

bool capable_owner(struct inode *ino)
{
	struct task *t = current;
	return !t || t->cred.euid == 0 || t->cred.euid == ino->uid;
}

/* Classic Unix rule: pick the owner, group or other triplet (the first
 * that applies, not the most permissive); root passes everything except
 * executing a file nobody may execute. */
int inode_permission(struct inode *ino, int mask)
{
	struct task *t = current;
	mode_t m = ino->mode;
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	/* A read-only mount refuses changes to its files, directories and
	 * links even to root; devices and FIFOs on it stay writable. */
	if ((mask & MAY_WRITE) && ino->sb && (ino->sb->flags & MS_RDONLY) &&
	    (S_ISREG(m) || S_ISDIR(m) || S_ISLNK(m)))
		return -EROFS;
	if (!t || t->cred.fsuid == 0) {
		if ((mask & MAY_EXEC) && !S_ISDIR(m) && !(m & 0111))
			return -EACCES;
		return 0;
	}
	unsigned perm;
	if (t->cred.fsuid == ino->uid)
		perm = (m >> 6) & 7;
	else if (cred_in_group(&t->cred, ino->gid))
		perm = (m >> 3) & 7;
	else
		perm = m & 7;
	return (perm & (unsigned)mask) == (unsigned)mask ? 0 : -EACCES;
}
