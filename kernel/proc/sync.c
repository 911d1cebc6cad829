/*
 * kernel/proc/sync.c - spinlocks, wait queues and mutexes.
 *
 * Spinlocks disable interrupts on this CPU for as long as any is held
 * (irq_push_off/irq_pop_off count the nesting and remember whether
 * interrupts were on before the outermost one), so an interrupt handler can
 * never spin on a lock its own CPU holds.
 *
 * A wait entry is queued BEFORE the sleeper checks its condition, and a
 * waker marks the entry woken before making the task runnable; wait_sleep()
 * re-checks that mark after setting the task's state with interrupts off.
 * Hence a wake-up between "condition false" and "sleep" is never lost.
 */
#include "arch.h"
#include "kernel.h"
#include "ktime.h"
#include "sync.h"
#include "task.h"

/* Tasks asleep with a deadline; the timer tick looks for expired ones only
 * when there are any. Changed with interrupts off (irq_push_off). */
int timed_sleepers;

void irq_push_off(void)
{
	bool was = irq_enabled();
	irq_disable();
	struct cpu *c = this_cpu();
	if (c->push_off_depth++ == 0)
		c->push_off_if = was;
}

void irq_pop_off(void)
{
	struct cpu *c = this_cpu();
	if (irq_enabled())
		panic("irq_pop_off: interrupts enabled");
	if (c->push_off_depth < 1)
		panic("irq_pop_off: unbalanced");
	if (--c->push_off_depth == 0 && c->push_off_if)
		irq_enable();
}

void spin_init(spinlock_t *l, const char *name)
{
	l->locked = 0;
	l->name = name;
	l->cpu = -1;
}

void spin_lock(spinlock_t *l)
{
	irq_push_off();
	if (spin_held(l))
		panic("spin_lock: %s already held by this CPU", l->name);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	l->cpu = this_cpu()->id;
}

void spin_unlock(spinlock_t *l)
{
	if (!spin_held(l))
		panic("spin_unlock: %s not held", l->name);
	l->cpu = -1;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	irq_pop_off();
}

bool spin_held(spinlock_t *l)
{
	return l->locked && l->cpu == this_cpu()->id;
}

void wait_queue_init(wait_queue_t *wq, const char *name)
{
	spin_init(&wq->lock, name);
	wq->head = NULL;
}

static bool queued(wait_queue_t *wq, struct wait_entry *e)
{
	for (struct wait_entry *p = wq->head; p; p = p->next)
		if (p == e)
			return true;
	return false;
}

void wait_prepare(wait_queue_t *wq, struct wait_entry *e)
{
	spin_lock(&wq->lock);
	if (!queued(wq, e)) {
		e->task = current;
		e->next = wq->head;
		wq->head = e;
	}
	e->woken = false;
	spin_unlock(&wq->lock);
}

void wait_finish(wait_queue_t *wq, struct wait_entry *e)
{
	spin_lock(&wq->lock);
	for (struct wait_entry **pp = &wq->head; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	spin_unlock(&wq->lock);
}

int wait_sleep(wait_queue_t *wq, struct wait_entry *e, bool interruptible,
               uint64_t deadline_ns)
{
	struct task *t = current;
	irq_push_off();
	if (e->woken) {
		irq_pop_off();
		return 0;
	}
	if (interruptible && signal_pending(t)) {
		irq_pop_off();
		return -EINTR;
	}
	if (deadline_ns && time_ns() >= deadline_ns) {
		irq_pop_off();
		return -ETIMEDOUT;
	}
	t->state = interruptible ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE;
	t->sleep_deadline = deadline_ns;
	t->waiting = e;
	t->wchan = wq->lock.name;
	if (deadline_ns)
		timed_sleepers++;
	schedule();
	if (deadline_ns)
		timed_sleepers--;
	t->waiting = NULL;
	t->wchan = NULL;
	t->sleep_deadline = 0;
	irq_pop_off();
	if (e->woken)
		return 0;
	if (interruptible && signal_pending(t))
		return -EINTR;
	if (deadline_ns && time_ns() >= deadline_ns)
		return -ETIMEDOUT;
	return 0;
}

static void wake(wait_queue_t *wq, bool all)
{
	spin_lock(&wq->lock);
	for (struct wait_entry *e = wq->head; e; e = e->next) {
		if (e->woken)
			continue;
		e->woken = true;
		task_wake(e->task);
		if (!all)
			break;
	}
	spin_unlock(&wq->lock);
}

void wake_up(wait_queue_t *wq) { wake(wq, true); }
void wake_up_one(wait_queue_t *wq) { wake(wq, false); }

void mutex_init(mutex_t *m, const char *name)
{
	spin_init(&m->lock, name);
	m->owner = NULL;
	wait_queue_init(&m->waiters, name);
}

void mutex_lock(mutex_t *m)
{
	for (;;) {
		spin_lock(&m->lock);
		if (!m->owner) {
			m->owner = current;
			spin_unlock(&m->lock);
			return;
		}
		if (m->owner == current)
			panic("mutex_lock: %s: recursive lock", m->lock.name);
		spin_unlock(&m->lock);
		wait_event(&m->waiters, READ_ONCE(m->owner) == NULL);
	}
}

bool mutex_trylock(mutex_t *m)
{
	spin_lock(&m->lock);
	bool got = !m->owner;
	if (got)
		m->owner = current;
	spin_unlock(&m->lock);
	return got;
}

void mutex_unlock(mutex_t *m)
{
	spin_lock(&m->lock);
	m->owner = NULL;
	spin_unlock(&m->lock);
	wake_up_one(&m->waiters);
}
