/*
 * kernel/include/ktimer.h - one-shot kernel timers (kernel/proc/ktimer.c)
 * and the per-process interval timers built on them
 * (kernel/proc/itimer.c: alarm, setitimer, timer_create, timerfd).
 *
 * A ktimer calls fn(timer) from the timer interrupt once monotonic time
 * reaches expires. The tick is 1/HZ, so timers fire up to one tick late,
 * never early. fn runs with interrupts off: it may send signals, wake
 * queues and re-arm its own timer, nothing that sleeps.
 */
#ifndef KERNEL_KTIMER_H
#define KERNEL_KTIMER_H

#include "kernel.h"

struct ktimer {
	uint64_t expires;          /* monotonic ns */
	void (*fn)(struct ktimer *);
	struct ktimer *next;
	bool armed;
};

void ktimer_arm(struct ktimer *t, uint64_t expires_ns); /* re-arms if armed */
void ktimer_cancel(struct ktimer *t);  /* no-op if not armed; waits for nothing */
void ktimer_run(uint64_t now_ns);      /* from the timer tick */

struct task;
/* From the tick: charge a tick to the process's ITIMER_VIRTUAL/PROF and
 * check RLIMIT_CPU. */
void itimers_tick(struct task *t, bool user);
/* A thread or process ends / execs: its timers go. */
void itimers_exit(struct task *t);
void posix_timers_exec(struct task *t);

#endif
