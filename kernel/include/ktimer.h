/*
 * kernel/include/ktimer.h - one-shot kernel timers (kernel/proc/ktimer.c).
 *
 * A ktimer calls fn(t) once, at or after t->expires (monotonic ns), in
 * the context of the kernel thread "ktimerd" - never in an interrupt - so
 * callbacks may take spinlocks and mutexes, wake tasks, send signals and
 * packets, and re-arm their own timer. They should be short: every timer
 * of the system runs on that one thread.
 *
 * Resolution is the scheduler tick (HZ = 100: 10 ms). The pending timers
 * are kept in a list sorted by expiry; the tick compares only the first
 * one with the clock, so an idle system with no timers pays nothing.
 *
 * Users: network protocols (TCP retransmission, delayed ACK, ARP and
 * fragment expiry), POSIX timers and itimers.
 */
#ifndef KERNEL_KTIMER_H
#define KERNEL_KTIMER_H

#include "kernel.h"

struct ktimer {
	uint64_t expires;               /* monotonic ns */
	void (*fn)(struct ktimer *t);
	void *arg;                      /* for fn; ktimer.c never reads it */
	/* Private to ktimer.c. */
	struct ktimer *next, *prev;
	bool pending;                   /* in the list */
	bool running;                   /* fn is being called */
};

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t), void *arg);
/* (Re)arm for expires_ns; a pending timer is moved. */
void ktimer_arm(struct ktimer *t, uint64_t expires_ns);
/* Arm for now + delay_ns. */
void ktimer_arm_in(struct ktimer *t, uint64_t delay_ns);
/* Remove if pending; returns true when it was. fn may still be running
 * on ktimerd (it may have been preempted): ktimer_cancel_sync() also
 * waits for that, and must not be called from fn itself. */
bool ktimer_cancel(struct ktimer *t);
bool ktimer_cancel_sync(struct ktimer *t);
bool ktimer_pending(const struct ktimer *t);

void ktimer_start(void);  /* boot: start ktimerd (after the scheduler) */
void ktimer_tick(uint64_t now_ns); /* from the timer interrupt */

#endif
