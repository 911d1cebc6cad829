/*
 * kernel/proc/unshare.c - unshare(2): give the calling thread its own copy
 * of what it shares with others (after clone with CLONE_FILES/CLONE_FS).
 *
 * RayOS has no namespaces: the CLONE_NEW* flags are refused with EINVAL,
 * as a Linux kernel built without them does. CLONE_SYSVSEM is accepted
 * (there are no System V semaphores to undo). CLONE_THREAD, CLONE_SIGHAND
 * and CLONE_VM are accepted only when nothing is shared (one thread).
 */
#include "kernel.h"
#include "task.h"
#include "vfs.h"

#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_THREAD 0x00010000
#define CLONE_SYSVSEM 0x00040000

long sys_unshare(unsigned long flags)
{
	const unsigned long ok = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
	                         CLONE_THREAD | CLONE_SYSVSEM;
	if (flags & ~ok)
		return -EINVAL;
	struct task *t = current;
	if ((flags & (CLONE_VM | CLONE_SIGHAND | CLONE_THREAD)) && t->group_leader->next_in_group)
		return -EINVAL;
	struct files_struct *files = NULL;
	struct fs_struct *fs = NULL;
	if ((flags & CLONE_FILES) && __atomic_load_n(&t->files->refcount, __ATOMIC_SEQ_CST) > 1) {
		files = files_clone(t->files);
		if (IS_ERR_OR_NULL(files))
			return -ENOMEM;
	}
	if ((flags & CLONE_FS) && __atomic_load_n(&t->fs->refcount, __ATOMIC_SEQ_CST) > 1) {
		fs = fs_struct_clone(t->fs);
		if (IS_ERR_OR_NULL(fs)) {
			if (files)
				files_put(files);
			return -ENOMEM;
		}
	}
	/* Swap under irq-off, as exit unhooks them, so /proc never sees a
	 * freed table. */
	struct files_struct *old_files = NULL;
	struct fs_struct *old_fs = NULL;
	irq_push_off();
	if (files) {
		old_files = t->files;
		t->files = files;
	}
	if (fs) {
		old_fs = t->fs;
		t->fs = fs;
	}
	irq_pop_off();
	if (old_files)
		files_put(old_files);
	if (old_fs)
		fs_struct_put(old_fs);
	return 0;
}
