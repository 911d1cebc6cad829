/*
 * kernel/proc/ktimer.c - one-shot kernel timers on the scheduler tick.
 *
 * Armed timers sit in one list sorted by expiry, so the tick looks only at
 * the head. Few timers are armed at once (alarms, interval timers,
 * timerfds), so a sorted list beats anything cleverer. The lock is taken
 * with interrupts off (spinlock rule), which also keeps the tick out while
 * a system call arms or cancels.
 */
#include "kernel.h"
#include "ktimer.h"
#include "sync.h"

static spinlock_t ktimer_lock = SPINLOCK_INIT("ktimer");
static struct ktimer *ktimers;

static void unlink_locked(struct ktimer *t)
{
	for (struct ktimer **pp = &ktimers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	t->armed = false;
	t->next = NULL;
}

void ktimer_arm(struct ktimer *t, uint64_t expires)
{
	spin_lock(&ktimer_lock);
	if (t->armed)
		unlink_locked(t);
	t->expires = expires;
	struct ktimer **pp = &ktimers;
	while (*pp && (*pp)->expires <= expires)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->armed = true;
	spin_unlock(&ktimer_lock);
}

void ktimer_cancel(struct ktimer *t)
{
	spin_lock(&ktimer_lock);
	if (t->armed)
		unlink_locked(t);
	spin_unlock(&ktimer_lock);
}

void ktimer_run(uint64_t now)
{
	for (;;) {
		spin_lock(&ktimer_lock);
		struct ktimer *t = ktimers;
		if (!t || t->expires > now) {
			spin_unlock(&ktimer_lock);
			return;
		}
		ktimers = t->next;
		t->next = NULL;
		t->armed = false;
		spin_unlock(&ktimer_lock);
		/* Interrupts are still off (we are in the tick): the owner
		 * cannot free t between the unlock and this call on one CPU. */
		t->fn(t);
	}
}
