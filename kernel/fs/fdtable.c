/*
 * kernel/fs/fdtable.c - per-process descriptor tables.
 *
 * A table is a fixed array of NR_OPEN file pointers plus a close-on-exec
 * bitmap, under a spinlock. Each slot owns one file reference. Files are
 * always put AFTER the lock is dropped, because the last put runs the
 * release op, which may sleep (a pipe waking its peer, a driver).
 * Tasks sharing a table (CLONE_FILES) share the struct via its refcount.
 */
#include "vfs.h"
#include "mm.h"
#include "task.h"

static bool cloexec_test(struct files_struct *fs, int fd)
{
	return fs->cloexec[fd / 64] & (1ULL << (fd % 64));
}

static void cloexec_set(struct files_struct *fs, int fd, bool on)
{
	if (on)
		fs->cloexec[fd / 64] |= 1ULL << (fd % 64);
	else
		fs->cloexec[fd / 64] &= ~(1ULL << (fd % 64));
}

struct files_struct *files_new(void)
{
	struct files_struct *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return NULL;
	fs->refcount = 1;
	spin_init(&fs->lock, "files");
	return fs;
}

struct files_struct *files_clone(struct files_struct *old)
{
	struct files_struct *fs = files_new();
	if (!fs || !old)
		return fs;
	spin_lock(&old->lock);
	for (int i = 0; i < NR_OPEN; i++) {
		if (old->fd[i]) {
			file_get(old->fd[i]);
			fs->fd[i] = old->fd[i];
		}
	}
	memcpy(fs->cloexec, old->cloexec, sizeof(fs->cloexec));
	spin_unlock(&old->lock);
	return fs;
}

void files_get(struct files_struct *fs)
{
	__atomic_add_fetch(&fs->refcount, 1, __ATOMIC_SEQ_CST);
}

void files_put(struct files_struct *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->refcount, 1, __ATOMIC_SEQ_CST))
		return;
	/* Nobody else can see the table now: no lock needed. */
	for (int i = 0; i < NR_OPEN; i++)
		file_put(fs->fd[i]);
	kfree(fs);
}

void files_close_on_exec(struct files_struct *fs)
{
	if (!fs)
		return;
	/* One bitmap word at a time: only marked slots cost anything (the
	 * lock per slot made exec spend half a millisecond here). */
	for (int w = 0; w < NR_OPEN / 64; w++) {
		struct file *close[64];
		int n = 0;
		spin_lock(&fs->lock);
		for (uint64_t bits = fs->cloexec[w]; bits; bits &= bits - 1) {
			int i = w * 64 + __builtin_ctzll(bits);
			if (fs->fd[i])
				close[n++] = fs->fd[i];
			fs->fd[i] = NULL;
		}
		fs->cloexec[w] = 0;
		spin_unlock(&fs->lock);
		while (n)
			file_put(close[--n]);
	}
}

/* Descriptors at or above RLIMIT_NOFILE's soft limit are not handed out. */
static int fd_limit(void)
{
	uint64_t lim = rlimit_cur(RLIMIT_NOFILE);
	return lim < NR_OPEN ? (int)lim : NR_OPEN;
}

int fd_install(struct files_struct *fs, struct file *f, int minfd, bool cloexec)
{
	if (!fs)
		return -EBADF; /* a kernel thread without a table */
	int limit = fd_limit();
	if (minfd < 0 || minfd >= limit)
		return -EINVAL;
	spin_lock(&fs->lock);
	for (int i = minfd; i < limit; i++) {
		if (!fs->fd[i]) {
			file_get(f);
			fs->fd[i] = f;
			cloexec_set(fs, i, cloexec);
			spin_unlock(&fs->lock);
			return i;
		}
	}
	spin_unlock(&fs->lock);
	return -EMFILE;
}

int fd_install_at(struct files_struct *fs, struct file *f, int newfd,
                  bool cloexec)
{
	if (!fs || newfd < 0 || newfd >= fd_limit())
		return -EBADF;
	file_get(f);
	spin_lock(&fs->lock);
	struct file *old = fs->fd[newfd];
	fs->fd[newfd] = f;
	cloexec_set(fs, newfd, cloexec);
	spin_unlock(&fs->lock);
	file_put(old);
	return newfd;
}

struct file *fd_get(int fd)
{
	struct files_struct *fs = current ? current->files : NULL;
	if (!fs || fd < 0 || fd >= NR_OPEN)
		return NULL;
	spin_lock(&fs->lock);
	struct file *f = fs->fd[fd];
	if (f)
		file_get(f);
	spin_unlock(&fs->lock);
	return f;
}

int fd_close(int fd)
{
	struct files_struct *fs = current ? current->files : NULL;
	if (!fs || fd < 0 || fd >= NR_OPEN)
		return -EBADF;
	spin_lock(&fs->lock);
	struct file *f = fs->fd[fd];
	fs->fd[fd] = NULL;
	cloexec_set(fs, fd, false);
	spin_unlock(&fs->lock);
	if (f)
		locks_close(f, current->tgid); /* POSIX: any close ends them */
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

int fd_get_cloexec(int fd)
{
	struct files_struct *fs = current ? current->files : NULL;
	if (!fs || fd < 0 || fd >= NR_OPEN)
		return -EBADF;
	spin_lock(&fs->lock);
	int r = fs->fd[fd] ? (int)cloexec_test(fs, fd) : -EBADF;
	spin_unlock(&fs->lock);
	return r;
}

int fd_set_cloexec(int fd, bool on)
{
	struct files_struct *fs = current ? current->files : NULL;
	if (!fs || fd < 0 || fd >= NR_OPEN)
		return -EBADF;
	spin_lock(&fs->lock);
	int r = -EBADF;
	if (fs->fd[fd]) {
		cloexec_set(fs, fd, on);
		r = 0;
	}
	spin_unlock(&fs->lock);
	return r;
}

/* close_range: close (or mark close-on-exec) every open descriptor from
 * first to last of current's table. */
void fd_close_range(unsigned first, unsigned last, bool cloexec)
{
	struct files_struct *fs = current ? current->files : NULL;
	if (!fs)
		return;
	for (unsigned i = first; i <= last && i < NR_OPEN; i++) {
		if (cloexec) {
			spin_lock(&fs->lock);
			if (fs->fd[i])
				cloexec_set(fs, (int)i, true);
			spin_unlock(&fs->lock);
		} else {
			fd_close((int)i);
		}
	}
}
