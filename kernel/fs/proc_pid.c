/*
 * kernel/fs/proc_pid.c - /proc/<pid>/ and /proc/self.
 *
 * A pid directory's context is the process id, not a task pointer: tasks
 * have no reference count, and a process can be reaped while someone
 * holds its directory or a file in it open. Every generator therefore
 * looks the process up again under tasks_lock, copies what it needs into
 * a snapshot (struct pid_snap) and lets go of the lock before formatting.
 * A process that is gone makes open() fail with ESRCH, as Linux does;
 * already opened files keep the text they were generated with.
 *
 * The address space is the one thing used after the lock is dropped: it
 * has a reference count, so the snapshot takes a reference (mm_get) while
 * the task cannot exit under us, and cmdline reads the argument area
 * through the page tables with mm_read (kernel/mm/access_vm.c).
 *
 * fd/ is a directory of numbered symlinks (procfs.h: next_number), read
 * at readlink time under a reference to the descriptor table; they show
 * the name the file was opened by (fname.c). cwd and root are symlinks to
 * the path of the process's directories, worked out at readlink time; exe
 * to the program's file exec kept in the address space.
 *
 * Formats are Linux's, since ps and friends parse them: stat has the 52
 * fields of proc(5) with times in clock ticks of 1/100 s (USER_HZ).
 */
#include "vfs.h"
#include "mm.h"
#include "vm.h"
#include "task.h"
#include "ktime.h"
#include "procfs.h"
#include "uaccess.h"

/* A live process is a thread-group leader that has not been reaped;
 * zombies are listed, as on Linux. Task 0 (the boot task) is not. */
static bool is_process(struct task *t)
{
	return t->tid > 0 && t->tid == t->tgid && t->state != TASK_DEAD;
}

bool proc_pid_alive(pid_t pid)
{
	bool found = false;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->tid == pid && is_process(t))
			found = true;
	spin_unlock(&tasks_lock);
	return found;
}

pid_t proc_next_pid(pid_t from)
{
	pid_t best = 0;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (is_process(t) && t->tid >= from && (!best || t->tid < best))
			best = t->tid;
	spin_unlock(&tasks_lock);
	return best;
}

struct pid_snap {
	pid_t pid, ppid, pgid, sid;
	char state;
	char comm[16];
	char wchan[24];     /* the wait queue it sleeps on, or "" */
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	uint64_t utime, stime, cutime, cstime, start; /* ns */
	int threads;
	struct mm *mm;      /* a reference, or NULL (kernel thread, zombie) */
};

static char state_char(enum task_state s)
{
	switch (s) {
	case TASK_RUNNABLE: return 'R';
	case TASK_INTERRUPTIBLE: return 'S';
	case TASK_UNINTERRUPTIBLE: return 'D';
	case TASK_STOPPED: return 'T';
	case TASK_ZOMBIE: return 'Z';
	default: return 'X';
	}
}

/* Fill s for process pid; -ESRCH if there is none. Release with
 * snap_put. */
static int snap_get(pid_t pid, struct pid_snap *s)
{
	int err = -ESRCH;
	memset(s, 0, sizeof(*s));
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next) {
		if (t->tgid != pid || t->state == TASK_DEAD || t->tid <= 0)
			continue;
		if (!t->exiting)
			s->threads++; /* live threads, as Linux's nr_threads */
		s->utime += t->utime_ns;
		s->stime += t->stime_ns;
		if (t->tid != pid)
			continue;
		err = 0;
		s->pid = pid;
		s->ppid = t->parent ? t->parent->tgid : 0;
		s->pgid = t->pgid;
		s->sid = t->sid;
		s->state = state_char(t->state);
		memcpy(s->comm, t->comm, sizeof(s->comm));
		s->comm[sizeof(s->comm) - 1] = 0;
		if (t->wchan && (t->state == TASK_INTERRUPTIBLE ||
		                 t->state == TASK_UNINTERRUPTIBLE))
			snprintf(s->wchan, sizeof(s->wchan), "%s", t->wchan);
		s->uid = t->cred.uid;
		s->euid = t->cred.euid;
		s->suid = t->cred.suid;
		s->fsuid = t->cred.fsuid;
		s->fsgid = t->cred.fsgid;
		s->gid = t->cred.gid;
		s->egid = t->cred.egid;
		s->sgid = t->cred.sgid;
		s->cutime = t->cutime_ns;
		s->cstime = t->cstime_ns;
		s->start = t->start_ns;
		if (t->mm) {
			mm_get(t->mm);
			s->mm = t->mm;
		}
	}
	spin_unlock(&tasks_lock);
	if (!err && !s->threads)
		s->threads = 1; /* a zombie, or a process on its way out */
	if (err && s->mm)
		mm_put(s->mm);
	return err;
}

static void snap_put(struct pid_snap *s)
{
	if (s->mm)
		mm_put(s->mm);
}

static unsigned long ticks(uint64_t ns)
{
	return (unsigned long)(ns / (NSEC_PER_SEC / 100));
}

/* Virtual size in bytes: the sum of the areas. */
static uint64_t mm_vsize(struct mm *mm)
{
	uint64_t sum = 0;
	if (!mm)
		return 0;
	mutex_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next)
		sum += v->end - v->start;
	mutex_unlock(&mm->lock);
	return sum;
}

/* A pid directory's context is the pid; an fd entry's is pid | fd << 32. */
static pid_t ctx_pid(void *ctx)
{
	return (pid_t)((uintptr_t)ctx & 0xffffffffu);
}

static int ctx_fd(void *ctx)
{
	return (int)((uintptr_t)ctx >> 32);
}

/* ---- /proc/<pid>/stat ---- */

static int stat_show(struct proc_buf *b, void *ctx)
{
	struct pid_snap s;
	int err = snap_get(ctx_pid(ctx), &s);
	if (err)
		return err;
	uint64_t vsize = mm_vsize(s.mm);
	uint64_t rss = s.mm ? s.mm->rss_pages : 0;
	uint64_t as = s.mm ? s.mm->arg_start : 0, ae = s.mm ? s.mm->arg_end : 0;
	uint64_t es = s.mm ? s.mm->env_start : 0, ee = s.mm ? s.mm->env_end : 0;
	uint64_t brk = s.mm ? s.mm->brk_start : 0;
	uint64_t stk = s.mm ? s.mm->stack_top : 0;
	/* pid (comm) state ppid pgrp session tty_nr tpgid flags minflt
	 * cminflt majflt cmajflt utime stime cutime cstime priority nice
	 * num_threads itrealvalue starttime vsize rss rsslim */
	proc_printf(b, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu %lu %lu %lu "
	            "20 0 %d 0 %lu %lu %lu %lu ",
	            s.pid, s.comm, s.state, s.ppid, s.pgid, s.sid,
	            ticks(s.utime), ticks(s.stime), ticks(s.cutime),
	            ticks(s.cstime), s.threads, ticks(s.start),
	            (unsigned long)vsize, (unsigned long)rss,
	            18446744073709551615UL);
	/* startcode endcode startstack kstkesp kstkeip signal blocked
	 * sigignore sigcatch wchan nswap cnswap exit_signal processor
	 * rt_priority policy delayacct_blkio_ticks guest_time cguest_time
	 * start_data end_data start_brk arg_start arg_end env_start env_end
	 * exit_code */
	proc_printf(b, "0 0 %lu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 %lu "
	            "%lu %lu %lu %lu 0\n",
	            (unsigned long)stk, (unsigned long)brk, (unsigned long)as,
	            (unsigned long)ae, (unsigned long)es, (unsigned long)ee);
	snap_put(&s);
	return 0;
}

/* ---- /proc/<pid>/status ---- */

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "X (dead)";
	}
}

static int status_show(struct proc_buf *b, void *ctx)
{
	struct pid_snap s;
	int err = snap_get(ctx_pid(ctx), &s);
	if (err)
		return err;
	proc_printf(b, "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\n"
	            "PPid:\t%d\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n",
	            s.comm, state_name(s.state), s.pid, s.pid, s.ppid,
	            s.uid, s.euid, s.suid, s.fsuid, s.gid, s.egid, s.sgid,
	            s.fsgid);
	if (s.mm) {
		/* Linux's memory lines (vmstat.c says how each is counted);
		 * nothing is locked, pinned or swapped here. */
		struct vm_stats v;
		vm_get_stats(s.mm, &v);
		unsigned long k = PAGE_SIZE / 1024;
		proc_printf(b, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\n"
		            "VmPin:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n"
		            "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n"
		            "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n"
		            "VmLib:\t%8lu kB\nVmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n",
		            v.peak * k, v.size * k, 0UL, 0UL, v.hwm * k, v.rss * k,
		            v.rss_anon * k, v.rss_file * k, v.rss_shmem * k,
		            v.data * k, v.stack * k, v.exec * k, 0UL, v.pte * k, 0UL);
	}
	proc_printf(b, "Threads:\t%d\n", s.threads);
	snap_put(&s);
	return 0;
}

/* ---- /proc/<pid>/maps ---- */

/* An area as maps prints it, copied under mm->lock; the name is worked
 * out after the lock is dropped, since it takes vfs_ns_lock. */
struct map_line {
	uint64_t start, end, pgoff;
	int prot, flags;
	struct file *file;     /* a reference, or NULL */
};

/* A copy of mm's areas (*n of them): NULL with *n = 0 when there are
 * none or no memory. Counted first, without holding the lock across the
 * allocation; if areas were added meanwhile, again. */
static struct map_line *maps_snapshot(struct mm *mm, size_t *n)
{
	*n = 0;
	for (;;) {
		size_t cap = 0, i = 0;
		mutex_lock(&mm->lock);
		for (struct vma *v = mm->vmas; v; v = v->next)
			cap++;
		mutex_unlock(&mm->lock);
		cap += 4;
		struct map_line *m = kmalloc(cap * sizeof(*m));
		if (!m)
			return NULL;
		mutex_lock(&mm->lock);
		struct vma *v = mm->vmas;
		for (; v && i < cap; v = v->next, i++) {
			/* The program's segments are named after its file. */
			struct file *f = v->file ? v->file : (v->flags & VMA_EXE) ? mm->exe_file : NULL;
			m[i] = (struct map_line){ v->start, v->end, v->pgoff, v->prot, v->flags, f };
			if (f)
				file_get(f);
		}
		mutex_unlock(&mm->lock);
		if (!v) {
			*n = i;
			return m;
		}
		while (i--)
			file_put(m[i].file);
		kfree(m);
	}
}

/* One line per area as Linux prints it: the name (a file's path, [heap],
 * [stack]) starts in column 74, after padding as seq_pad does; an
 * unnamed area's line ends in a space after the inode number. */
static int maps_show(struct proc_buf *b, void *ctx)
{
	struct pid_snap s;
	int err = snap_get(ctx_pid(ctx), &s);
	if (err)
		return err;
	size_t n = 0;
	struct map_line *m = s.mm ? maps_snapshot(s.mm, &n) : NULL;
	char *name = n ? kmalloc(PATH_MAX) : NULL;
	for (size_t i = 0; i < n; i++) {
		struct inode *ino = m[i].file ? m[i].file->inode : NULL;
		dev_t dev = ino && ino->sb ? ino->sb->dev : 0;
		char head[96];
		int len = snprintf(head, sizeof(head), "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ",
		                   (unsigned long)m[i].start, (unsigned long)m[i].end,
		                   (m[i].prot & PROT_READ) ? 'r' : '-', (m[i].prot & PROT_WRITE) ? 'w' : '-',
		                   (m[i].prot & PROT_EXEC) ? 'x' : '-', (m[i].flags & MAP_SHARED) ? 's' : 'p',
		                   (unsigned long)(ino ? m[i].pgoff : 0), MAJOR(dev), MINOR(dev),
		                   (unsigned long)(ino ? ino->ino : 0));
		ssize_t k = 0;
		if (name && m[i].file) {
			k = file_path_text(m[i].file, name, PATH_MAX - 1, false);
			k = k < 0 ? 0 : k;
		} else if (name) {
			const char *t = (m[i].flags & VMA_HEAP) ? "[heap]" : (m[i].flags & VMA_STACK) ? "[stack]" : "";
			k = snprintf(name, PATH_MAX, "%s", t);
		}
		if (name)
			name[k] = '\0';
		if (k)
			proc_printf(b, "%s%*s %s\n", head, len < 72 ? 72 - len : 0, "", name);
		else
			proc_printf(b, "%s\n", head);
		file_put(m[i].file);
	}
	kfree(name);
	kfree(m);
	snap_put(&s);
	return 0;
}

/* ---- /proc/<pid>/comm, cmdline ---- */

static int comm_show(struct proc_buf *b, void *ctx)
{
	struct pid_snap s;
	int err = snap_get(ctx_pid(ctx), &s);
	if (err)
		return err;
	proc_printf(b, "%s\n", s.comm);
	snap_put(&s);
	return 0;
}

/* Where the process sleeps: Linux names the kernel function, RayOS the
 * wait queue (pipe_rd, child_wait, futex, ...); "0" when it does not
 * sleep. No newline, as in Linux. */
static int wchan_show(struct proc_buf *b, void *ctx)
{
	struct pid_snap s;
	int err = snap_get(ctx_pid(ctx), &s);
	if (err)
		return err;
	proc_printf(b, "%s", s.wchan[0] ? s.wchan : "0");
	snap_put(&s);
	return 0;
}

/* The argument strings as the process has them in memory: NUL-separated,
 * from arg_start to arg_end. Kernel threads and zombies have none (empty
 * file, as on Linux). At most one page, like older Linux. */
static int cmdline_show(struct proc_buf *b, void *ctx)
{
	struct pid_snap s;
	int err = snap_get(ctx_pid(ctx), &s);
	if (err)
		return err;
	if (s.mm && s.mm->arg_end > s.mm->arg_start) {
		size_t n = MIN(s.mm->arg_end - s.mm->arg_start, (uint64_t)PAGE_SIZE);
		if (b->cap - b->len < n) {
			b->overflow = true;   /* run again with a bigger buffer */
		} else {
			ssize_t k = mm_read(s.mm, s.mm->arg_start, b->data + b->len, n);
			b->len += (size_t)k;
		}
	}
	snap_put(&s);
	return 0;
}

/* The aux vector exec gave the process: (type, value) pairs of 8-byte
 * words up to and including AT_NULL, binary, as Linux's saved copy. */
static int auxv_show(struct proc_buf *b, void *ctx)
{
	struct pid_snap s;
	int err = snap_get(ctx_pid(ctx), &s);
	if (err)
		return err;
	if (s.mm && s.mm->auxv) {
		size_t n = s.mm->auxv_len;
		if (b->cap - b->len < n) {
			b->overflow = true;
		} else {
			memcpy(b->data + b->len, s.mm->auxv, n);
			b->len += n;
		}
	}
	snap_put(&s);
	return 0;
}

/* ---- /proc/<pid>/fd/ ---- */

/* A reference to process pid's descriptor table, taken under tasks_lock
 * (exit unhooks the table before dropping its own reference). */
static struct files_struct *get_files(pid_t pid)
{
	struct files_struct *files = NULL;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->tid == pid && is_process(t) && !IS_ERR_OR_NULL(t->files)) {
			files_get(t->files);
			files = t->files;
		}
	spin_unlock(&tasks_lock);
	return files;
}

static long fd_next(void *ctx, long after)
{
	struct files_struct *files = get_files(ctx_pid(ctx));
	if (!files)
		return -1;
	long found = -1;
	spin_lock(&files->lock);
	for (long i = after < 0 ? 0 : after + 1; i < NR_OPEN; i++)
		if (files->fd[i]) {
			found = i;
			break;
		}
	spin_unlock(&files->lock);
	files_put(files);
	return found;
}

static void *fd_ctx(void *ctx, long fd)
{
	return (void *)(((uintptr_t)fd << 32) | (uintptr_t)ctx_pid(ctx));
}

static ssize_t fd_readlink(char *buf, size_t size, void *ctx)
{
	struct files_struct *files = get_files(ctx_pid(ctx));
	if (!files)
		return -ENOENT;
	int fd = ctx_fd(ctx);
	spin_lock(&files->lock);
	struct file *f = fd < NR_OPEN ? files->fd[fd] : NULL;
	if (f)
		file_get(f);
	spin_unlock(&files->lock);
	files_put(files);
	if (!f)
		return -ENOENT;
	ssize_t r = file_path_text(f, buf, size, true);
	file_put(f);
	return r;
}

static const struct proc_entry proc_fd_link = {
	.name = "<fd>",
	.mode = S_IFLNK | 0700,
	.readlink = fd_readlink,
};

/* ---- /proc/<pid>/cwd, root, exe ---- */

/* A reference to process pid's working or root directory, taken through a
 * reference to its fs_struct (exit unhooks it under tasks_lock first). */
static struct inode *get_fs_dir(pid_t pid, bool root)
{
	struct fs_struct *fs = NULL;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->tid == pid && is_process(t) && !IS_ERR_OR_NULL(t->fs)) {
			fs_struct_get(t->fs);
			fs = t->fs;
		}
	spin_unlock(&tasks_lock);
	if (!fs)
		return NULL;
	spin_lock(&fs->lock);
	struct inode *dir = root ? fs->root : fs->cwd;
	if (dir)
		inode_get(dir);
	spin_unlock(&fs->lock);
	fs_struct_put(fs);
	return dir;
}

static ssize_t fs_dir_readlink(char *buf, size_t size, void *ctx, bool root)
{
	struct inode *dir = get_fs_dir(ctx_pid(ctx), root);
	if (!dir)
		return -ENOENT;
	ssize_t r = inode_link_text(dir, NULL, buf, size, true);
	inode_put(dir);
	return r;
}

static ssize_t cwd_readlink(char *buf, size_t size, void *ctx)
{
	return fs_dir_readlink(buf, size, ctx, false);
}

static ssize_t root_readlink(char *buf, size_t size, void *ctx)
{
	return fs_dir_readlink(buf, size, ctx, true);
}

/* The program exec loaded, named as an fd link of it would be (kept in
 * the mm by exec). Kernel threads and zombies have none: ENOENT, as
 * Linux. */
static ssize_t exe_readlink(char *buf, size_t size, void *ctx)
{
	struct pid_snap s;
	if (snap_get(ctx_pid(ctx), &s))
		return -ENOENT;
	ssize_t r = -ENOENT;
	if (s.mm && s.mm->exe_file)
		r = file_path_text(s.mm->exe_file, buf, size, true);
	snap_put(&s);
	return r;
}

const struct proc_entry proc_pid_entries[] = {
	{ .name = "auxv", .mode = S_IFREG | 0400, .show = auxv_show },
	{ .name = "cmdline", .mode = S_IFREG | 0444, .show = cmdline_show },
	{ .name = "comm", .mode = S_IFREG | 0444, .show = comm_show },
	{ .name = "cwd", .mode = S_IFLNK | 0777, .readlink = cwd_readlink },
	{ .name = "exe", .mode = S_IFLNK | 0777, .readlink = exe_readlink },
	{ .name = "fd", .mode = S_IFDIR | 0500, .next_number = fd_next,
	  .numbered = &proc_fd_link, .numbered_ctx = fd_ctx },
	{ .name = "maps", .mode = S_IFREG | 0444, .show = maps_show },
	{ .name = "root", .mode = S_IFLNK | 0777, .readlink = root_readlink },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = stat_show },
	{ .name = "status", .mode = S_IFREG | 0444, .show = status_show },
	{ .name = "wchan", .mode = S_IFREG | 0444, .show = wchan_show },
};

const struct proc_entry proc_pid_dir = {
	.name = "<pid>",
	.mode = S_IFDIR | 0555,
	.children = proc_pid_entries,
	.nchildren = ARRAY_SIZE(proc_pid_entries),
};

/* ---- /proc/self ---- */

static ssize_t self_readlink(char *buf, size_t size, void *ctx __unused)
{
	char tmp[16];
	int n = snprintf(tmp, sizeof(tmp), "%d", current->tgid);
	size_t k = MIN((size_t)n, size);
	memcpy(buf, tmp, k);
	return (ssize_t)k;
}

const struct proc_entry proc_self_link = {
	.name = "self",
	.mode = S_IFLNK | 0777,
	.readlink = self_readlink,
};
