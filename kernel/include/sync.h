/*
 * kernel/include/sync.h - spinlocks, interrupt discipline, wait queues and
 * sleeping mutexes (kernel/proc/sync.c, kernel/proc/wait.c).
 *
 * Rules (written for SMP, though one CPU runs today):
 *  - A spinlock is taken with interrupts off on this CPU: spin_lock() saves
 *    and clears IF, spin_unlock() restores it. Locks nest; irq state is
 *    restored by the matching unlock (push/pop as in xv6).
 *  - Never sleep holding a spinlock. Mutexes may sleep.
 *  - Interrupt handlers may take spinlocks and call wake_up(); nothing else
 *    that can sleep.
 */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include "kernel.h"

typedef struct spinlock {
	volatile uint32_t locked;
	uint32_t saved_if; /* IF before this lock was taken */
	const char *name;
	int cpu;           /* holder, for debugging */
} spinlock_t;

#define SPINLOCK_INIT(n) { 0, 0, (n), -1 }
void spin_init(spinlock_t *l, const char *name);
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_held(spinlock_t *l);

/* Disable/enable interrupts with nesting (push_off/pop_off). */
void irq_push_off(void);
void irq_pop_off(void);

struct task;
struct wait_entry {
	struct task *task;
	struct wait_entry *next;
	bool woken;
};

/* A wait queue: tasks sleeping until some condition becomes true. */
typedef struct wait_queue {
	spinlock_t lock;
	struct wait_entry *head;
} wait_queue_t;

#define WAIT_QUEUE_INIT(n) { SPINLOCK_INIT(n), NULL }
void wait_queue_init(wait_queue_t *wq, const char *name);
void wake_up(wait_queue_t *wq);      /* wake every sleeper */
void wake_up_one(wait_queue_t *wq);

/*
 * Low-level: enqueue the current task, then call prepare_sleep() under the
 * queue lock; the caller re-checks its condition and calls sleep_commit()
 * (which schedules away unless woken in between) or sleep_cancel().
 * Use the macros below instead.
 */
void wait_prepare(wait_queue_t *wq, struct wait_entry *e);
/* Returns 0 when woken, -EINTR when a signal is pending (interruptible),
 * -ETIMEDOUT when deadline_ns (monotonic, 0 = none) passed. */
int wait_sleep(wait_queue_t *wq, struct wait_entry *e, bool interruptible,
               uint64_t deadline_ns);
void wait_finish(wait_queue_t *wq, struct wait_entry *e);

/* Sleep until cond is true. Returns 0, or -EINTR if a signal arrived
 * (interruptible form), or -ETIMEDOUT. cond is re-evaluated after every
 * wake-up; it is evaluated without any lock held, so it must be safe to read
 * racily; wake-ups are never lost because the task is queued before the check. */
#define __wait_event(wq, cond, intr, deadline)                            \
	({                                                                \
		int __ret = 0;                                            \
		struct wait_entry __we;                                   \
		for (;;) {                                                \
			wait_prepare((wq), &__we);                        \
			if (cond)                                         \
				break;                                    \
			__ret = wait_sleep((wq), &__we, (intr), (deadline)); \
			if (__ret)                                        \
				break;                                    \
		}                                                         \
		wait_finish((wq), &__we);                                 \
		__ret;                                                    \
	})
#define wait_event(wq, cond) ((void)__wait_event(wq, cond, false, 0))
#define wait_event_interruptible(wq, cond) __wait_event(wq, cond, true, 0)
#define wait_event_timeout(wq, cond, deadline_ns) \
	__wait_event(wq, cond, false, deadline_ns)
#define wait_event_interruptible_timeout(wq, cond, deadline_ns) \
	__wait_event(wq, cond, true, deadline_ns)

/* A sleeping lock for long critical sections (file systems, drivers). */
typedef struct mutex {
	spinlock_t lock;
	struct task *owner;
	wait_queue_t waiters;
} mutex_t;
void mutex_init(mutex_t *m, const char *name);
void mutex_lock(mutex_t *m);
void mutex_unlock(mutex_t *m);
/* Take m if it is free, without sleeping: for a caller that must not
 * wait (memory reclaim, which runs inside page_alloc). */
bool mutex_trylock(mutex_t *m);

#endif
