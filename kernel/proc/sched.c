/*
 * kernel/proc/sched.c - the scheduler: round robin over runnable tasks with
 * a time slice of a few ticks, preemption on the timer tick, an idle task
 * that halts the CPU when nothing is runnable. A kernel thread woken while
 * a user task has run for a while preempts it (task_wake), as softirq
 * work would.
 *
 * Nice values weight the slice: a task gets TIME_SLICE ticks times its
 * weight over nice 0's, with Linux's weights (each step about 1.25x), at
 * least one tick and at most MAX_SLICE. So CPU-bound tasks share the CPU
 * roughly by weight - nice 10 gets one tick per five of nice 0's - within
 * what whole ticks allow (nice 5 and above all get one tick).
 *
 * The run queue and every task's state are protected by sched_lock.
 * schedule() is called with any number of spinlocks held only if the caller
 * accepts that interrupts stay off until it runs again: the per-CPU
 * push_off state is saved on the caller's own stack across the switch, as
 * in xv6, so each task gets back its own interrupt state.
 */
#include "arch.h"
#include "kernel.h"
#include "ktime.h"
#include "ktimer.h"
#include "loadavg.h"
#include "sync.h"
#include "task.h"
#include "vm.h"

void pid_release_idle(struct task *idle);
extern int timed_sleepers;

#define TIME_SLICE 5 /* ticks, at nice 0 */
#define MAX_SLICE (8 * TIME_SLICE)

/* Linux's sched_prio_to_weight: nice -20 .. 19; nice 0 is 1024. */
static const uint32_t nice_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
	110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
};

static int slice_ticks(const struct task *t)
{
	int nice = t->nice < -20 ? -20 : t->nice > 19 ? 19 : t->nice;
	uint32_t ticks = TIME_SLICE * nice_weight[nice + 20] / 1024;
	return ticks < 1 ? 1 : ticks > MAX_SLICE ? MAX_SLICE : (int)ticks;
}

static spinlock_t sched_lock = SPINLOCK_INIT("sched");
static struct task *rq_head, *rq_tail;
static struct task boot_task;
static uint8_t boot_fpu[512] __aligned(16);
struct task *all_tasks;
spinlock_t tasks_lock = SPINLOCK_INIT("tasks");

struct task *current_task(void)
{
	return this_cpu()->task;
}

static void rq_push(struct task *t)
{
	if (t->on_runqueue || t == this_cpu()->idle)
		return;
	t->on_runqueue = true;
	t->run_next = NULL;
	if (rq_tail)
		rq_tail->run_next = t;
	else
		rq_head = t;
	rq_tail = t;
}

static struct task *rq_pop(void)
{
	struct task *t = rq_head;
	if (t) {
		rq_head = t->run_next;
		if (!rq_head)
			rq_tail = NULL;
		t->on_runqueue = false;
	}
	return t;
}

void sched_enqueue_new(struct task *t)
{
	spin_lock(&sched_lock);
	t->state = TASK_RUNNABLE;
	rq_push(t);
	spin_unlock(&sched_lock);
}

/*
 * A kernel thread (netrxd, ktimerd, bflush) does short work that others
 * wait for - frames received, timers expired - which Linux does in
 * softirqs on the way out of the interrupt. Woken while a user task has
 * had the CPU for WAKEUP_GRAN_NS, it goes first, so a busy CPU answers a
 * ping in well under a tick, not after the slice. A task that has just
 * started runs on (as CFS's wake-up granularity): a download's reader
 * copies what arrived while netrxd gathers the next frames into one
 * batch, and one ACK; preempting it at every interrupt cut e1000
 * downloads from about 200 to 140 MB/s.
 */
#define WAKEUP_GRAN_NS 1000000ull

static bool wake_preempts(const struct task *t, const struct task *cur)
{
	return !t->mm && cur->mm && time_ns() - cur->run_since >= WAKEUP_GRAN_NS;
}

void task_wake(struct task *t)
{
	spin_lock(&sched_lock);
	if (t->state == TASK_INTERRUPTIBLE || t->state == TASK_UNINTERRUPTIBLE) {
		t->state = TASK_RUNNABLE;
		rq_push(t);
		if (current == this_cpu()->idle || wake_preempts(t, current))
			current->need_resched = true;
	}
	spin_unlock(&sched_lock);
}

/* Wake a stopped task (SIGCONT, SIGKILL). */
void task_continue(struct task *t)
{
	spin_lock(&sched_lock);
	if (t->state == TASK_STOPPED) {
		t->state = TASK_RUNNABLE;
		rq_push(t);
	}
	spin_unlock(&sched_lock);
}

static void idle_loop(void *arg __unused)
{
	for (;;) {
		irq_enable();
		hlt();
		if (rq_head)
			schedule();
	}
}

void schedule(void)
{
	struct cpu *c = this_cpu();
	spin_lock(&sched_lock);
	struct task *prev = c->task;
	prev->need_resched = false;
	if (prev->state == TASK_RUNNABLE && prev != c->idle)
		rq_push(prev);
	struct task *next = rq_pop();
	if (!next)
		next = c->idle;
	if (next == prev) {
		spin_unlock(&sched_lock);
		return;
	}
	next->ticks_left = slice_ticks(next);
	next->run_since = time_ns();
	/* The interrupt state belongs to the task, not the CPU. */
	int depth = c->push_off_depth;
	bool saved_if = c->push_off_if;
	if (prev->fpu && prev->mm)
		fpu_save(prev->fpu);
	c->task = next;
	c->kernel_rsp = next->kstack + KSTACK_SIZE;
	tss_set_kernel_stack(c->kernel_rsp);
	if (next->mm)
		mm_activate(next->mm);
	if (next->fpu && next->mm)
		fpu_restore(next->fpu);
	wrmsr(MSR_FS_BASE, next->fs_base);
	context_switch(&prev->saved_rsp, next->saved_rsp);
	/* Back in prev, possibly much later, on another task's behalf. */
	c = this_cpu();
	c->push_off_depth = depth;
	c->push_off_if = saved_if;
	spin_unlock(&sched_lock);
}

/* A new task's first instructions run here (from the trampolines), still
 * holding the scheduler lock that its creator's schedule() took. */
void sched_task_started(void)
{
	struct cpu *c = this_cpu();
	c->push_off_depth = 1;
	c->push_off_if = false;
	spin_unlock(&sched_lock);
}

/* The boot code has started everything; it never runs again. */
__noreturn void sched_boot_done(void)
{
	current->state = TASK_UNINTERRUPTIBLE;
	schedule();
	panic("sched: the boot task was woken");
}

void yield(void)
{
	schedule();
}

/* Timer tick, in interrupt context. */
void sched_tick(void)
{
	struct task *t = current;
	if (!t)
		return;
	uint64_t now = time_ns();
	loadavg_tick(now, t == this_cpu()->idle);
	if (t != this_cpu()->idle) {
		struct trap_frame *f = this_cpu()->irq_frame;
		bool user = f && frame_from_user(f);
		if (user)
			t->utime_ns += NSEC_PER_SEC / HZ;
		else
			t->stime_ns += NSEC_PER_SEC / HZ;
		itimers_tick(t, user);
	}
	if (--t->ticks_left <= 0)
		t->need_resched = true;
	ktimer_tick(now);
	/* Wake timed sleepers whose deadline passed (if anyone sleeps so). */
	if (!READ_ONCE(timed_sleepers))
		goto done;
	spin_lock(&tasks_lock);
	for (struct task *s = all_tasks; s; s = s->all_next)
		if (s->sleep_deadline && s->sleep_deadline <= now &&
		    (s->state == TASK_INTERRUPTIBLE || s->state == TASK_UNINTERRUPTIBLE))
			task_wake(s);
	spin_unlock(&tasks_lock);
done:
	if (rq_head && t == this_cpu()->idle)
		t->need_resched = true;
}

void task_list_add(struct task *t)
{
	spin_lock(&tasks_lock);
	t->all_next = all_tasks;
	all_tasks = t;
	spin_unlock(&tasks_lock);
}

void task_list_remove(struct task *t)
{
	spin_lock(&tasks_lock);
	for (struct task **pp = &all_tasks; *pp; pp = &(*pp)->all_next) {
		if (*pp == t) {
			*pp = t->all_next;
			break;
		}
	}
	spin_unlock(&tasks_lock);
}

void for_each_task(void (*fn)(struct task *t, void *arg), void *arg)
{
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next)
		fn(t, arg);
	spin_unlock(&tasks_lock);
}

/* Turn the code running since boot into task 0 and create the idle task. */
void sched_init(void)
{
	struct cpu *c = this_cpu();
	boot_task.tid = 0;
	boot_task.state = TASK_RUNNABLE;
	boot_task.fpu = boot_fpu;
	strlcpy(boot_task.comm, "kernel", sizeof(boot_task.comm));
	c->task = &boot_task;
	struct task *idle = kthread_create("idle", idle_loop, NULL);
	if (!idle)
		panic("sched: cannot create the idle task");
	/* kthread_create queued it; the idle task is never on the run queue. */
	spin_lock(&sched_lock);
	struct task **pp = &rq_head;
	while (*pp && *pp != idle)
		pp = &(*pp)->run_next;
	if (*pp) {
		*pp = idle->run_next;
		if (rq_tail == idle) {
			rq_tail = NULL;
			for (struct task *t = rq_head; t; t = t->run_next)
				rq_tail = t;
		}
		idle->on_runqueue = false;
	}
	c->idle = idle;
	spin_unlock(&sched_lock);
	pid_release_idle(idle);
}
