/*
 * kernel/fs/memfd.c - memfd_create(2) and file seals (fcntl F_ADD_SEALS,
 * F_GET_SEALS), as Linux's mm/memfd.c.
 *
 * A memfd is a regular file of a private tmpfs (a ramfs super block that
 * is mounted nowhere) made without a name: no links, freed with its last
 * reference. /proc shows it as Linux does, "/memfd:NAME (deleted)"
 * (fname.c). Its mode is 0777 (0666 with MFD_NOEXEC_SEAL).
 *
 * Seals live in the inode (inode->seals). Every ramfs/tmpfs regular file
 * starts with F_SEAL_SEAL, so it can be asked but not sealed further, as
 * a Linux tmpfs file; a memfd made with MFD_ALLOW_SEALING starts with
 * none. Other file systems have no seals: EINVAL. They are enforced
 * where the file changes:
 *   F_SEAL_WRITE, F_SEAL_FUTURE_WRITE  write() (filemap_write), a new
 *       shared writable mmap (sys_mmap: EPERM; a read-only shared one
 *       cannot be made writable later), PUNCH_HOLE;
 *   F_SEAL_SHRINK, F_SEAL_GROW  truncate (vfs_truncate), writes past the
 *       end and fallocate past the end (GROW);
 *   F_SEAL_EXEC  chmod of the execute bits (sys_attr.c).
 * Adding F_SEAL_WRITE fails with EBUSY while a shared mapping is or may
 * become writable; the check and a concurrent mmap are not ordered
 * against each other (Linux counts writable mappings atomically).
 */
#include "vfs.h"
#include "mm.h"
#include "ramfs.h"
#include "task.h"
#include "uaccess.h"
#include "vm.h"

#define MFD_CLOEXEC 0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#define MFD_HUGETLB 0x0004U
#define MFD_NOEXEC_SEAL 0x0008U
#define MFD_EXEC 0x0010U
#define MFD_ALL_FLAGS (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)
#define MFD_NAME_MAX (NAME_MAX - 6) /* NAME_MAX - strlen("memfd:") */

#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
                     F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)

static struct super_block *memfd_sb;
static mutex_t memfd_lock = { SPINLOCK_INIT("memfd"), NULL, WAIT_QUEUE_INIT("memfd") };
/* Serialises F_ADD_SEALS; readers load inode->seals atomically. */
static mutex_t seals_lock = { SPINLOCK_INIT("seals"), NULL, WAIT_QUEUE_INIT("seals") };

static struct super_block *get_sb(void)
{
	mutex_lock(&memfd_lock);
	if (!memfd_sb)
		memfd_sb = ramfs_create_named("tmpfs", TMPFS_MAGIC);
	mutex_unlock(&memfd_lock);
	return memfd_sb;
}

long sys_memfd_create(const char *uname, unsigned flags)
{
	/* No huge pages here: MFD_HUGETLB (with its size bits) is refused
	 * as on a Linux without hugetlbfs. */
	if ((flags & ~MFD_ALL_FLAGS) || (flags & MFD_HUGETLB))
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	char *name = kmalloc(MFD_NAME_MAX + 7);
	if (!name)
		return -ENOMEM;
	memcpy(name, "memfd:", 6);
	long len = strncpy_from_user(name + 6, uname, MFD_NAME_MAX + 1);
	if (len < 0) {
		kfree(name);
		return len == -ENAMETOOLONG ? -EINVAL : len;
	}
	struct super_block *sb = get_sb();
	struct inode *ino = sb ? ramfs_new_unlinked(sb, (flags & MFD_NOEXEC_SEAL) ? 0666 : 0777) : NULL;
	if (!ino) {
		kfree(name);
		return -ENOMEM;
	}
	if (flags & MFD_NOEXEC_SEAL)
		ino->seals = F_SEAL_EXEC;
	else if (flags & MFD_ALLOW_SEALING)
		ino->seals = 0;
	struct file *f = vfs_open_inode(ino, O_RDWR);
	inode_put(ino);
	if (IS_ERR(f)) {
		kfree(name);
		return PTR_ERR(f);
	}
	f->name = name;   /* no name_dir: fname.c shows "/memfd:NAME (deleted)" */
	int fd = fd_install(current->files, f, 0, flags & MFD_CLOEXEC);
	file_put(f);
	return fd;
}

static long add_seals(struct file *f, unsigned seals)
{
	struct inode *ino = f->inode;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EPERM;
	if (seals & ~(unsigned)F_ALL_SEALS)
		return -EINVAL;
	if (!ramfs_is_file(ino))
		return -EINVAL;
	long err = 0;
	/* Not ino->lock: the mapping check takes mm->lock, which comes
	 * before the inode's lock (filemap.c). */
	mutex_lock(&seals_lock);
	if (ino->seals & F_SEAL_SEAL)
		err = -EPERM;
	else if ((seals & F_SEAL_WRITE) && !(ino->seals & F_SEAL_WRITE) &&
	         vm_file_mapped_writable(ino))
		err = -EBUSY;
	if (!err) {
		/* F_SEAL_EXEC on an executable file implies the write seals:
		 * W^X from the start, as Linux. */
		if ((seals & F_SEAL_EXEC) && (ino->mode & 0111))
			seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
		__atomic_or_fetch(&ino->seals, seals, __ATOMIC_SEQ_CST);
	}
	mutex_unlock(&seals_lock);
	return err;
}

long memfd_fcntl(struct file *f, unsigned cmd, unsigned long arg)
{
	if (f->flags & O_PATH)
		return -EBADF;
	if (cmd == F_ADD_SEALS)
		return add_seals(f, (unsigned)arg);
	if (!ramfs_is_file(f->inode))
		return -EINVAL;
	return __atomic_load_n(&f->inode->seals, __ATOMIC_RELAXED);
}
