/*
 * kernel/proc/loadavg.c - the load average and the idle time, which
 * /proc/loadavg and /proc/uptime report (uptime, top).
 *
 * Linux's method, so the figures mean what people expect: every 5 s the
 * timer tick counts the active tasks (running, runnable, or in an
 * uninterruptible sleep) and folds the count into three exponentially
 * decaying means over 1, 5 and 15 minutes, in 11-bit fixed point:
 *     avg = avg * e + n * (1 - e),   e = exp(-5 s / period)
 * (1884, 2014 and 2037 out of 2048), rounded up while the load rises as
 * Linux does so that a constant load converges to itself.
 *
 * The idle time is the ticks that found the idle task running.
 */
#include "loadavg.h"
#include "ktime.h"
#include "sync.h"
#include "task.h"

#define LOAD_FREQ_NS (5 * NSEC_PER_SEC)

static const unsigned long decay[3] = { 1884, 2014, 2037 };
static unsigned long avenrun[3];
static uint64_t next_sample_ns;
static uint64_t idle_ns;
static spinlock_t load_lock = SPINLOCK_INIT("loadavg");

static unsigned long fold(unsigned long load, unsigned long e,
                          unsigned long active)
{
	unsigned long n = load * e + active * (LOADAVG_FIXED_1 - e);
	if (active >= load)
		n += LOADAVG_FIXED_1 - 1;
	return n / LOADAVG_FIXED_1;
}

void loadavg_tick(uint64_t now, bool idle)
{
	if (idle)
		__atomic_add_fetch(&idle_ns, NSEC_PER_SEC / HZ, __ATOMIC_RELAXED);
	if (now < READ_ONCE(next_sample_ns))
		return;
	unsigned long active = 0;
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->tid > 0 && (t->state == TASK_RUNNABLE ||
		                   t->state == TASK_UNINTERRUPTIBLE))
			active++;
	spin_unlock(&tasks_lock);
	spin_lock(&load_lock);
	if (now >= next_sample_ns) {   /* one sample per period, whichever CPU */
		next_sample_ns = now + LOAD_FREQ_NS;
		for (int i = 0; i < 3; i++)
			avenrun[i] = fold(avenrun[i], decay[i], active * LOADAVG_FIXED_1);
	}
	spin_unlock(&load_lock);
}

void loadavg_get(unsigned long avg[3])
{
	spin_lock(&load_lock);
	for (int i = 0; i < 3; i++)
		avg[i] = avenrun[i];
	spin_unlock(&load_lock);
}

uint64_t idle_time_ns(void)
{
	return __atomic_load_n(&idle_ns, __ATOMIC_RELAXED);
}
