/*
 * kernel/proc/ktimer.c - one-shot kernel timers run by the thread ktimerd.
 *
 * The timer interrupt calls ktimer_tick(), which looks at the earliest
 * pending timer only and wakes ktimerd when it is due. ktimerd takes due
 * timers off the sorted list one at a time and calls them with no lock
 * held, so a callback can arm or cancel timers (its own included).
 * Insertion is O(n) in the number of pending timers; they are few (a few
 * per TCP connection), so a list is enough.
 */
#include "ktimer.h"
#include "ktime.h"
#include "sync.h"
#include "task.h"

static spinlock_t ktimer_lock = SPINLOCK_INIT("ktimer");
static struct ktimer *ktimer_head;
static wait_queue_t ktimerd_wq;
static volatile bool ktimerd_kick;
static bool ktimerd_started;

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t), void *arg)
{
	t->expires = 0;
	t->fn = fn;
	t->arg = arg;
	t->next = t->prev = NULL;
	t->pending = false;
	t->running = false;
}

/* With ktimer_lock held. */
static void unlink_timer(struct ktimer *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		ktimer_head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->next = t->prev = NULL;
	t->pending = false;
}

void ktimer_arm(struct ktimer *t, uint64_t expires_ns)
{
	spin_lock(&ktimer_lock);
	if (t->pending)
		unlink_timer(t);
	t->expires = expires_ns;
	struct ktimer *prev = NULL, *cur = ktimer_head;
	while (cur && cur->expires <= expires_ns) {
		prev = cur;
		cur = cur->next;
	}
	t->prev = prev;
	t->next = cur;
	if (prev)
		prev->next = t;
	else
		ktimer_head = t;
	if (cur)
		cur->prev = t;
	t->pending = true;
	spin_unlock(&ktimer_lock);
}

void ktimer_arm_in(struct ktimer *t, uint64_t delay_ns)
{
	ktimer_arm(t, time_ns() + delay_ns);
}

bool ktimer_cancel(struct ktimer *t)
{
	spin_lock(&ktimer_lock);
	bool was = t->pending;
	if (was)
		unlink_timer(t);
	spin_unlock(&ktimer_lock);
	return was;
}

bool ktimer_cancel_sync(struct ktimer *t)
{
	bool was = ktimer_cancel(t);
	while (READ_ONCE(t->running))
		yield();
	return was;
}

bool ktimer_pending(const struct ktimer *t)
{
	return READ_ONCE(t->pending);
}

void ktimer_tick(uint64_t now_ns)
{
	struct ktimer *first = READ_ONCE(ktimer_head);
	if (!first || !ktimerd_started)
		return;
	/* Reading expires without the lock is fine: a stale value only moves
	 * the wake-up by one tick. */
	if (READ_ONCE(first->expires) <= now_ns) {
		ktimerd_kick = true;
		wake_up(&ktimerd_wq);
	}
}

static void ktimerd(void *arg __unused)
{
	for (;;) {
		wait_event(&ktimerd_wq, ktimerd_kick);
		ktimerd_kick = false;
		for (;;) {
			uint64_t now = time_ns();
			spin_lock(&ktimer_lock);
			struct ktimer *t = ktimer_head;
			if (!t || t->expires > now) {
				spin_unlock(&ktimer_lock);
				break;
			}
			unlink_timer(t);
			t->running = true;
			spin_unlock(&ktimer_lock);
			t->fn(t);
			WRITE_ONCE(t->running, false);
		}
	}
}

void ktimer_start(void)
{
	wait_queue_init(&ktimerd_wq, "ktimerd");
	if (!kthread_create("ktimerd", ktimerd, NULL))
		panic("ktimer: cannot start ktimerd");
	ktimerd_started = true;
}
