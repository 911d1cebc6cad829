/*
 * kernel/include/ktimer.h - one-shot kernel timers (kernel/proc/ktimer.c)
 * and the per-process interval timers built on them
 * (kernel/proc/itimer.c: alarm, setitimer, timer_create, timerfd).
 *
 * A ktimer calls fn(t) once, at or after t->expires (monotonic ns). It
 * comes in two kinds, chosen when it is initialised:
 *
 *  - ktimer_init(): fn runs on the kernel thread "ktimerd", never in an
 *    interrupt, so it may take spinlocks and mutexes, wake tasks, send
 *    signals and packets, and re-arm its own timer. Network protocols use
 *    these (TCP retransmission, delayed ACK, ARP and fragment expiry).
 *    A callback must not free the memory holding its own timer (ktimerd
 *    touches it after the call): free it from elsewhere, after
 *    ktimer_cancel_sync().
 *  - ktimer_init_irq(): fn runs in the timer interrupt with interrupts off:
 *    it may send signals, wake queues and re-arm itself, nothing that
 *    sleeps. On one CPU the owner cannot free t while fn runs, so a plain
 *    ktimer_cancel() before freeing is enough. Interval and POSIX timers
 *    use these: no thread hop, so no extra latency.
 *
 * Resolution is the scheduler tick (HZ = 100: 10 ms); timers fire up to
 * one tick late, never early. Pending timers of both kinds are kept in
 * one list sorted by expiry; the tick looks only at its head, so an idle
 * system with no timers pays nothing.
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
	bool pending;                   /* in the list (or due on ktimerd) */
	bool running;                   /* fn is being called on ktimerd */
	bool in_irq;                    /* ktimer_init_irq() kind */
};

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t), void *arg);
void ktimer_init_irq(struct ktimer *t, void (*fn)(struct ktimer *t), void *arg);
/* (Re)arm for expires_ns; a pending timer is moved. */
void ktimer_arm(struct ktimer *t, uint64_t expires_ns);
/* Arm for now + delay_ns. */
void ktimer_arm_in(struct ktimer *t, uint64_t delay_ns);
/* Remove if pending; returns true when it was. A thread-kind fn may still
 * be running on ktimerd (preempted): ktimer_cancel_sync() also waits for
 * that, and must not be called from fn itself. */
bool ktimer_cancel(struct ktimer *t);
bool ktimer_cancel_sync(struct ktimer *t);
bool ktimer_pending(const struct ktimer *t);

void ktimer_start(void);  /* boot: start ktimerd (after the scheduler) */
void ktimer_tick(uint64_t now_ns); /* from the timer interrupt */

struct task;
/* From the tick: charge a tick to the process's ITIMER_VIRTUAL/PROF and
 * check RLIMIT_CPU. */
void itimers_tick(struct task *t, bool user);
/* A thread or process ends / execs: its timers go. */
void itimers_exit(struct task *t);
void posix_timers_exec(struct task *t);

#endif
