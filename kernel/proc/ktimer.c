/*
 * kernel/proc/ktimer.c - one-shot kernel timers (see ktimer.h).
 *
 * Pending timers sit in one list sorted by expiry (insertion is O(n);
 * timers are few: a handful per TCP connection and per timer-using
 * process, so a list beats anything cleverer). The timer interrupt calls
 * ktimer_tick(), which takes due timers off the head: an irq-kind timer is
 * called there and then; a thread-kind timer moves to the due list and
 * ktimerd is woken to call it with no lock held, so a callback can arm or
 * cancel timers, its own included. The lock is taken with interrupts off
 * (spinlock rule), which also keeps the tick out while a caller arms or
 * cancels.
 */
#include "ktimer.h"
#include "ktime.h"
#include "sync.h"
#include "task.h"

static spinlock_t ktimer_lock = SPINLOCK_INIT("ktimer");
static struct ktimer *ktimer_head;     /* sorted by expires */
static struct ktimer *due_head, *due_tail; /* thread kind, for ktimerd */
static wait_queue_t ktimerd_wq;
static bool ktimerd_started;

static void init_common(struct ktimer *t, void (*fn)(struct ktimer *t),
                        void *arg, bool in_irq)
{
	t->expires = 0;
	t->fn = fn;
	t->arg = arg;
	t->next = t->prev = NULL;
	t->pending = false;
	t->running = false;
	t->in_irq = in_irq;
}

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t), void *arg)
{
	init_common(t, fn, arg, false);
}

void ktimer_init_irq(struct ktimer *t, void (*fn)(struct ktimer *t), void *arg)
{
	init_common(t, fn, arg, true);
}

/* Take t out of whichever list holds it. With ktimer_lock held. */
static void unlink_timer(struct ktimer *t)
{
	struct ktimer **head = &ktimer_head;
	for (struct ktimer *d = due_head; d; d = d->next)
		if (d == t) {
			head = &due_head;
			break;
		}
	if (t->prev)
		t->prev->next = t->next;
	else
		*head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else if (head == &due_head)
		due_tail = t->prev;
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
	bool kick = false;
	for (;;) {
		spin_lock(&ktimer_lock);
		struct ktimer *t = ktimer_head;
		if (!t || t->expires > now_ns) {
			spin_unlock(&ktimer_lock);
			break;
		}
		unlink_timer(t);
		if (!t->in_irq) {
			/* Still pending (cancel must find it) until ktimerd
			 * takes it. */
			t->prev = due_tail;
			if (due_tail)
				due_tail->next = t;
			else
				due_head = t;
			due_tail = t;
			t->pending = true;
			spin_unlock(&ktimer_lock);
			kick = true;
			continue;
		}
		spin_unlock(&ktimer_lock);
		/* Interrupts are off (we are in the tick): on one CPU the
		 * owner cannot free t between the unlock and this call. */
		t->fn(t);
	}
	if (kick && ktimerd_started)
		wake_up(&ktimerd_wq);
}

static void ktimerd(void *arg __unused)
{
	for (;;) {
		wait_event(&ktimerd_wq, READ_ONCE(due_head) != NULL);
		for (;;) {
			spin_lock(&ktimer_lock);
			struct ktimer *t = due_head;
			if (!t) {
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
