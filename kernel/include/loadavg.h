/* kernel/include/loadavg.h - load average and idle time (kernel/proc/loadavg.c). */
#ifndef KERNEL_LOADAVG_H
#define KERNEL_LOADAVG_H

#include "kernel.h"

#define LOADAVG_FSHIFT 11                    /* fixed point, as Linux */
#define LOADAVG_FIXED_1 (1UL << LOADAVG_FSHIFT)

/* From the timer tick: idle says the tick interrupted the idle task. */
void loadavg_tick(uint64_t now_ns, bool idle);
/* The 1, 5 and 15 minute means, in LOADAVG_FSHIFT fixed point. */
void loadavg_get(unsigned long avg[3]);
/* Time the CPUs spent idle, in ns. */
uint64_t idle_time_ns(void);

#endif
