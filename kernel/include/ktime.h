/*
 * kernel/include/ktime.h - kernel time (kernel/arch/x86_64/timer.c,
 * kernel/lib/time.c).
 *
 * Monotonic time is nanoseconds since boot from a calibrated clock source
 * (the HPET main counter when present, else the TSC calibrated against the
 * PIT). Wall-clock time is the CMOS RTC read at boot plus monotonic time.
 */
#ifndef KERNEL_KTIME_H
#define KERNEL_KTIME_H

#include "kernel.h"

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL
#define HZ 100 /* scheduler ticks per second */

uint64_t time_ns(void);          /* monotonic, since boot */
uint64_t time_realtime_ns(void); /* since the Unix epoch */
void time_set_realtime_ns(uint64_t ns);
uint64_t jiffies(void);          /* ticks since boot */

/* Busy-wait; for drivers during init only. */
void udelay(uint64_t us);
/* Sleep the current task until deadline (monotonic ns). Returns 0 or -EINTR
 * if interruptible and a signal arrived. */
int sleep_until(uint64_t deadline_ns, bool interruptible);

#endif
