/*
 * kernel/proc/task.c - creating and destroying tasks: kernel threads, fork,
 * vfork and clone, exit, and wait4.
 *
 * (wait4 and waitid are in wait.c.)
 *
 * Life of a process: clone() makes the task runnable with a copy of its
 * parent's trap frame (rax = 0). exit() drops the address space, files and
 * handlers at once and leaves a zombie holding only the exit status and CPU
 * times; the parent's wait4() collects it and frees the task. Orphans are
 * handed to init (PID 1). A parent that ignores SIGCHLD (or sets
 * SA_NOCLDWAIT) gets no zombies: its children are freed when they exit.
 *
 * tasks_lock protects the task list and every parent/child link.
 */
#include "arch.h"
#include "kernel.h"
#include "ktime.h"
#include "ktimer.h"
#include "mm.h"
#include "paging.h"
#include "task.h"
#include "uaccess.h"
#include "vfs.h"
#include "vm.h"

#define PID_MAX 32768

extern spinlock_t tasks_lock;
extern struct task *all_tasks;
void task_list_add(struct task *t);
void task_list_remove(struct task *t);
void sched_enqueue_new(struct task *t);
extern void kthread_trampoline(void);

static pid_t last_pid;
static struct task *dead_tasks; /* exited threads whose stacks can be freed */
static spinlock_t dead_lock = SPINLOCK_INIT("dead");
static int nr_tasks;

static bool pid_in_use(pid_t pid)
{
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->tid == pid || t->tgid == pid || t->pgid == pid || t->sid == pid)
			return true;
	return false;
}

static pid_t alloc_pid(void)
{
	spin_lock(&tasks_lock);
	pid_t pid = 0;
	for (int tries = 0; tries < PID_MAX; tries++) {
		last_pid = last_pid >= PID_MAX - 1 ? 1 : last_pid + 1;
		if (!pid_in_use(last_pid)) {
			pid = last_pid;
			break;
		}
	}
	spin_unlock(&tasks_lock);
	return pid;
}

void task_free(struct task *t)
{
	irq_push_off();
	sigqueue_flush(t, ~0ULL);
	irq_pop_off();
	kstack_free(t->kstack);
	kfree(t->fpu);
	kfree(t);
	__atomic_sub_fetch(&nr_tasks, 1, __ATOMIC_RELAXED);
}

static void free_dead_tasks(void)
{
	spin_lock(&dead_lock);
	struct task *list = dead_tasks;
	dead_tasks = NULL;
	spin_unlock(&dead_lock);
	while (list) {
		struct task *n = list->run_next;
		task_free(list);
		list = n;
	}
}

static struct task *task_alloc(void)
{
	free_dead_tasks();
	struct task *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	uint64_t stack = kstack_alloc();
	t->fpu = kmalloc(512);
	if (!stack || !t->fpu) {
		if (stack)
			kstack_free(stack);
		kfree(t->fpu);
		kfree(t);
		return NULL;
	}
	t->kstack = stack;
	t->tid = alloc_pid();
	if (!t->tid) {
		kstack_free(stack);
		kfree(t->fpu);
		kfree(t);
		return NULL;
	}
	wait_queue_init(&t->child_wait, "child_wait");
	t->start_ns = time_ns();
	t->ticks_left = 1;
	__atomic_add_fetch(&nr_tasks, 1, __ATOMIC_RELAXED);
	return t;
}

int task_count(void) { return nr_tasks; }

/* The idle task is not a process: give its pid back so that init is 1. */
void pid_release_idle(struct task *idle)
{
	idle->tid = idle->tgid = 0;
	last_pid = 0;
}

struct task *kthread_create(const char *name, void (*fn)(void *), void *arg)
{
	struct task *t = task_alloc();
	if (!t)
		return NULL;
	t->tgid = t->tid;
	t->group_leader = t;
	strlcpy(t->comm, name, sizeof(t->comm));
	rlimits_init(t);
	fpu_init_state(t->fpu);
	/* Keep the trap-frame slot at the top free: a kernel thread may turn
	 * into a user process (init does) and enter user mode through it. */
	uint64_t *sp = (uint64_t *)((struct trap_frame *)(t->kstack + KSTACK_SIZE) - 1);
	*--sp = 0; /* keeps the stack 16-byte aligned at the call */
	*--sp = (uint64_t)kthread_trampoline;
	*--sp = 0;             /* rbp */
	*--sp = 0;             /* rbx */
	*--sp = (uint64_t)fn;  /* r12 */
	*--sp = (uint64_t)arg; /* r13 */
	*--sp = 0;             /* r14 */
	*--sp = 0;             /* r15 */
	t->saved_rsp = (uint64_t)sp;
	task_list_add(t);
	sched_enqueue_new(t);
	return t;
}

/* Lay out a new task's kernel stack so that its first switch-in returns to
 * user mode through a copy of frame. */
static void setup_user_stack(struct task *t, const struct trap_frame *frame)
{
	struct trap_frame *tf = (struct trap_frame *)(t->kstack + KSTACK_SIZE) - 1;
	*tf = *frame;
	t->frame = tf;
	uint64_t *sp = (uint64_t *)tf;
	*--sp = (uint64_t)task_entry_trampoline;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->saved_rsp = (uint64_t)sp;
}

struct sighand *sighand_copy(struct sighand *old)
{
	struct sighand *s = kmalloc(sizeof(*s));
	if (!s)
		return NULL;
	if (old)
		memcpy(s->action, old->action, sizeof(s->action));
	else
		memset(s->action, 0, sizeof(s->action));
	spin_init(&s->lock, "sighand");
	s->refcount = 1;
	return s;
}

static void sighand_put(struct sighand *s)
{
	if (s && __atomic_sub_fetch(&s->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(s);
}

#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_VFORK 0x00004000

/* RLIMIT_NPROC counts the tasks of the caller's real user; root is
 * exempt, as in Linux. */
static bool nproc_exceeded(struct task *p)
{
	uint64_t lim = p->group_leader->rlim[RLIMIT_NPROC].cur;
	if (p->cred.euid == 0 || p->cred.uid == 0 || lim == ~0ULL)
		return false;
	uint64_t n = 0;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->mm && t->cred.uid == p->cred.uid && t->state != TASK_DEAD && t->state != TASK_ZOMBIE)
			n++;
	spin_unlock(&tasks_lock);
	return n >= lim;
}

long do_clone(uint64_t flags, uint64_t newsp, uint64_t parent_tid, uint64_t child_tid, uint64_t tls)
{
	struct task *p = current;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if (nproc_exceeded(p))
		return -EAGAIN;
	struct task *c = task_alloc();
	if (!c)
		return -ENOMEM;

	c->mm = (flags & CLONE_VM) ? p->mm : mm_clone(p->mm);
	if (flags & CLONE_VM)
		mm_get(p->mm);
	if (flags & CLONE_FILES) {
		files_get(p->files);
		c->files = p->files;
	} else {
		c->files = files_clone(p->files);
	}
	if (flags & CLONE_FS) {
		fs_struct_get(p->fs);
		c->fs = p->fs;
	} else {
		c->fs = fs_struct_clone(p->fs);
	}
	if (flags & CLONE_SIGHAND) {
		__atomic_add_fetch(&p->sighand->refcount, 1, __ATOMIC_RELAXED);
		c->sighand = p->sighand;
	} else {
		c->sighand = sighand_copy(p->sighand);
	}
	if (!c->mm || IS_ERR_OR_NULL(c->files) || IS_ERR_OR_NULL(c->fs) || !c->sighand) {
		if (c->mm)
			mm_put(c->mm);
		if (!IS_ERR_OR_NULL(c->files))
			files_put(c->files);
		if (!IS_ERR_OR_NULL(c->fs))
			fs_struct_put(c->fs);
		sighand_put(c->sighand);
		task_free(c);
		return -ENOMEM;
	}

	c->cred = p->cred;
	c->blocked = p->blocked;
	memcpy(c->rlim, p->group_leader->rlim, sizeof(c->rlim));
	c->nice = p->group_leader->nice;
	c->personality = p->personality;
	memcpy(c->comm, p->comm, sizeof(c->comm));
	fpu_save(c->fpu); /* the live registers are the parent's */
	c->fs_base = (flags & CLONE_SETTLS) ? tls : p->fs_base;
	c->pgid = p->pgid;
	c->sid = p->sid;

	struct trap_frame frame = *p->frame;
	frame.rax = 0;
	if (newsp)
		frame.rsp = newsp;
	setup_user_stack(c, &frame);

	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = child_tid;
	if (flags & CLONE_PARENT_SETTID) {
		int tid = c->tid;
		copy_to_user((void *)parent_tid, &tid, sizeof(tid));
	}
	if ((flags & CLONE_CHILD_SETTID) && (flags & CLONE_VM)) {
		int tid = c->tid;
		copy_to_user((void *)child_tid, &tid, sizeof(tid));
	}

	spin_lock(&tasks_lock);
	if (flags & CLONE_THREAD) {
		c->tgid = p->tgid;
		c->group_leader = p->group_leader;
		c->next_in_group = p->group_leader->next_in_group;
		p->group_leader->next_in_group = c;
	} else {
		c->tgid = c->tid;
		c->group_leader = c;
		struct task *parent = (flags & CLONE_PARENT) ? p->group_leader->parent : p->group_leader;
		c->parent = parent;
		c->sibling = parent->children;
		parent->children = c;
	}
	spin_unlock(&tasks_lock);

	pid_t tid = c->tid;
	if (flags & CLONE_VFORK) {
		c->vfork_parent = p;
		p->vfork_done = false;
	}
	task_list_add(c);
	sched_enqueue_new(c);
	if (flags & CLONE_VFORK) {
		/* The parent sleeps until the child execs or exits; its memory is
		 * borrowed meanwhile. Signals don't end this wait (as in Linux). */
		wait_event(&p->child_wait, READ_ONCE(p->vfork_done));
	}
	return tid;
}

long sys_fork(void) { return do_clone(SIGCHLD, 0, 0, 0, 0); }
long sys_vfork(void) { return do_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0); }
long sys_clone(uint64_t flags, uint64_t newsp, uint64_t parent_tid, uint64_t child_tid, uint64_t tls)
{
	return do_clone(flags, newsp, parent_tid, child_tid, tls);
}

/* Wake a vfork parent: the child exec'd or is exiting. */
void vfork_release(struct task *t)
{
	struct task *p = t->vfork_parent;
	if (!p)
		return;
	t->vfork_parent = NULL;
	p->vfork_done = true;
	wake_up(&p->child_wait);
}

static bool ignores_children(struct task *parent)
{
	struct k_sigaction *a = &parent->sighand->action[SIGCHLD];
	return a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

/* Tell the parent about a state change of child: SIGCHLD and wake wait4. */
void notify_parent(struct task *child, int code, int status)
{
	struct task *parent = child->parent;
	if (!parent)
		return;
	struct ksiginfo info = { .signo = SIGCHLD, .code = code, .pid = child->tgid,
	                         .uid = child->cred.uid, .status = status,
	                         .utime = child->utime_ns / (NSEC_PER_SEC / 100),
	                         .stime = child->stime_ns / (NSEC_PER_SEC / 100) };
	struct k_sigaction *a = parent->sighand ? &parent->sighand->action[SIGCHLD] : NULL;
	bool stopcont = code == CLD_STOPPED || code == CLD_CONTINUED;
	if (a && !(stopcont && (a->flags & SA_NOCLDSTOP)))
		send_signal(parent, SIGCHLD, &info);
	parent->child_events++;
	wake_up(&parent->child_wait);
}

static void reparent_children(struct task *dying)
{
	struct task *init = process_find(1);
	spin_lock(&tasks_lock);
	struct task *c = dying->children;
	bool zombie = false;
	while (c) {
		struct task *next = c->sibling;
		if (init && init != dying) {
			c->parent = init;
			c->sibling = init->children;
			init->children = c;
			zombie |= c->state == TASK_ZOMBIE;
		} else {
			c->parent = NULL;
		}
		c = next;
	}
	dying->children = NULL;
	spin_unlock(&tasks_lock);
	if (zombie) {
		init->child_events++;
		wake_up(&init->child_wait);
	}
}

void unlink_child(struct task *t)
{
	struct task *p = t->parent;
	if (!p)
		return;
	for (struct task **pp = &p->children; *pp; pp = &(*pp)->sibling) {
		if (*pp == t) {
			*pp = t->sibling;
			break;
		}
	}
	t->parent = NULL;
}

/* Ask every other thread of t's process to exit (SIGKILL, which no mask
 * holds back) and wake them wherever they sleep. */
static void kill_other_threads(struct task *t)
{
	irq_push_off();
	spin_lock(&tasks_lock);
	for (struct task *o = t->group_leader; o; o = o->next_in_group)
		if (o != t) {
			o->pending |= sigmask(SIGKILL);
			o->need_resched = true;
		}
	spin_unlock(&tasks_lock);
	for (struct task *o = t->group_leader; o; o = o->next_in_group)
		if (o != t) {
			task_wake(o);
			task_continue(o);
		}
	irq_pop_off();
}

/* exec in a threaded process: the other threads end first (Linux's
 * de_thread), and we wait for them. Exec from another thread does not
 * take over the leader's pid as in Linux: the leader is killed like the
 * rest, stays (exiting) as the process's anchor until we exit, and the
 * process's pid stays the leader's. */
void exec_kill_other_threads(void)
{
	struct task *t = current, *l = t->group_leader;
	if (!l->next_in_group)
		return;
	kill_other_threads(t);
	if (l == t) {
		wait_event(&l->child_wait, READ_ONCE(l->next_in_group) == NULL);
		return;
	}
	wait_event(&l->child_wait, READ_ONCE(l->next_in_group) == t &&
	                           READ_ONCE(t->next_in_group) == NULL &&
	                           READ_ONCE(l->exiting));
	/* The leader died of the SIGKILL as a group exit, which also aimed at
	 * us: we live on, and the process's status will be ours. */
	irq_push_off();
	t->pending &= ~sigmask(SIGKILL);
	l->group_exit = false;
	l->group_exit_code = 0;
	irq_pop_off();
}

__noreturn void do_exit(int status)
{
	struct task *t = current;
	struct task *leader = t->group_leader;
	if (t->tgid == 1 && leader == t && !leader->next_in_group)
		panic("init exited (wait status %#x)", status);
	t->exiting = true;
	if (leader == t)
		wake_up(&t->child_wait); /* a thread's exec waits for this */

	if (t->mm) {
		futex_exit_robust(t);
		if (t->clear_child_tid) {
			int zero = 0;
			copy_to_user((void *)t->clear_child_tid, &zero, sizeof(zero));
			futex_wake_addr(t->mm, t->clear_child_tid, 1);
		}
	}
	vfork_release(t);
	/* Unhook before dropping: /proc/<pid> takes references to these
	 * under tasks_lock and must never see a freed table. */
	struct files_struct *files = t->files;
	struct fs_struct *fs = t->fs;
	irq_push_off();
	t->files = NULL;
	t->fs = NULL;
	irq_pop_off();
	if (files)
		files_put(files);
	if (fs)
		fs_struct_put(fs);
	struct mm *mm = t->mm;
	if (mm) {
		/* Keep running on the kernel page table from here on. */
		irq_push_off();
		t->mm = NULL;
		mm_activate(NULL);
		irq_pop_off();
		mm_put(mm);
	}

	if (leader != t) {
		/* A thread: unlink from its group and disappear. */
		spin_lock(&tasks_lock);
		for (struct task **pp = &leader->next_in_group; *pp; pp = &(*pp)->next_in_group)
			if (*pp == t) {
				*pp = t->next_in_group;
				break;
			}
		leader->utime_ns += t->utime_ns; /* the process keeps its CPU time */
		leader->stime_ns += t->stime_ns;
		spin_unlock(&tasks_lock);
		/* A leader waiting for its threads (exit, exec) looks again. */
		wake_up(&leader->child_wait);
		sighand_put(t->sighand);
		t->sighand = NULL;
		task_list_remove(t);
		irq_push_off();
		spin_lock(&dead_lock);
		t->run_next = dead_tasks;
		dead_tasks = t;
		t->state = TASK_DEAD;
		spin_unlock(&dead_lock);
		schedule();
		panic("do_exit: dead thread ran again");
	}

	/* The leader of a process with threads left: the process ends (and
	 * the parent hears of it) only when the last of them has gone, as in
	 * Linux where the leader stays a zombie until then. */
	wait_event(&t->child_wait, READ_ONCE(t->next_in_group) == NULL);
	itimers_exit(t);
	locks_exit(t->tgid);
	if (t->group_exit)
		status = t->group_exit_code;
	if (t->tgid == 1)
		panic("init exited (wait status %#x)", status);

	reparent_children(t);
	int code = CLD_EXITED, si_status = (status >> 8) & 0xff;
	if (status & 0x7f) {
		code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		si_status = status & 0x7f;
	}
	irq_push_off();
	spin_lock(&tasks_lock);
	t->exit_code = status;
	struct task *parent = t->parent;
	bool autoreap = !parent || ignores_children(parent);
	if (autoreap) {
		unlink_child(t);
		t->state = TASK_DEAD;
	} else {
		t->state = TASK_ZOMBIE;
	}
	spin_unlock(&tasks_lock);
	pidfd_notify_exit();
	sighand_put(t->sighand);
	t->sighand = NULL;
	if (autoreap) {
		task_list_remove(t);
		spin_lock(&dead_lock);
		t->run_next = dead_tasks;
		dead_tasks = t;
		spin_unlock(&dead_lock);
		if (parent) {
			parent->child_events++;
			wake_up(&parent->child_wait);
		}
	} else {
		notify_parent(t, code, si_status);
	}
	schedule();
	panic("do_exit: zombie ran again");
}

/* End the whole process with status: the first caller (exit_group or a
 * fatal signal) sets the status that the parent will see; the threads it
 * kills only follow. */
__noreturn void do_exit_group(int status)
{
	struct task *t = current, *l = t->group_leader;
	irq_push_off();
	if (!l->group_exit) {
		l->group_exit = true;
		l->group_exit_code = status;
	}
	irq_pop_off();
	kill_other_threads(t);
	do_exit(l->group_exit_code);
}

long sys_exit(int code) { do_exit((code & 0xff) << 8); }
long sys_exit_group(int code) { do_exit_group((code & 0xff) << 8); }

struct task *task_find(pid_t tid)
{
	struct task *found = NULL;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->tid == tid && t->state != TASK_DEAD) {
			found = t;
			break;
		}
	spin_unlock(&tasks_lock);
	return found;
}

struct task *process_find(pid_t pid)
{
	struct task *t = task_find(pid);
	return t && t->group_leader == t ? t : NULL;
}
