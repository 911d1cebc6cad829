/*
 * kernel/proc/sys_time.c - clocks and sleeping: clock_gettime,
 * clock_getres, gettimeofday, time, nanosleep, clock_nanosleep,
 * clock_settime, settimeofday.
 */
#include "kernel.h"
#include "ktime.h"
#include "task.h"
#include "uaccess.h"

struct k_timespec {
	int64_t sec, nsec;
};
struct k_timeval {
	int64_t sec, usec;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1

/* A CPU-time clock id made by clock_getcpuclockid/pthread_getcpuclockid:
 * ~pid << 3 | per-thread << 2 | which (0 PROF, 1 VIRT, 2 SCHED), pid 0
 * meaning the caller. Thread clocks name threads of the caller's process
 * only, process clocks any process (as Linux's pid_for_clock). */
static int cpu_clock_read(int clk, uint64_t *ns)
{
	int which = clk & 3;
	bool thread = clk & 4;
	pid_t pid = ~(clk >> 3);
	if (which == 3)
		return -EINVAL;
	struct task *t = current;
	if (pid) {
		t = thread ? task_find(pid) : process_find(pid);
		if (!t || t->state == TASK_ZOMBIE || t->state == TASK_DEAD ||
		    (thread && t->tgid != current->tgid))
			return -EINVAL;
	}
	if (thread) {
		*ns = t->utime_ns + (which == 1 ? 0 : t->stime_ns);
		return 0;
	}
	if (which != 1) {
		*ns = process_cpu_ns(t->group_leader);
		return 0;
	}
	uint64_t u = 0;
	irq_push_off();
	for (struct task *o = t->group_leader; o; o = o->next_in_group)
		u += o->utime_ns;
	irq_pop_off();
	*ns = u;
	return 0;
}

static int clock_read(int clk, uint64_t *ns)
{
	struct task *t = current;
	if (clk < 0)
		return cpu_clock_read(clk, ns);
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = time_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = time_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = process_cpu_ns(t->group_leader);
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = t->utime_ns + t->stime_ns;
		return 0;
	default:
		return -EINVAL;
	}
}

static struct k_timespec to_ts(uint64_t ns)
{
	struct k_timespec ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
	return ts;
}

long sys_clock_gettime(int clk, struct k_timespec *uts)
{
	uint64_t ns;
	int r = clock_read(clk, &ns);
	if (r)
		return r;
	struct k_timespec ts = to_ts(ns);
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_clock_getres(int clk, struct k_timespec *uts)
{
	uint64_t ns;
	if (clock_read(clk, &ns))
		return -EINVAL;
	struct k_timespec ts = { 0, (clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE)
	                                   ? (int64_t)(NSEC_PER_SEC / HZ) : 1 };
	if (uts && copy_to_user(uts, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

long sys_gettimeofday(struct k_timeval *utv, void *utz)
{
	(void)utz;
	uint64_t ns = time_realtime_ns();
	struct k_timeval tv = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000 };
	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	return 0;
}

long sys_time(int64_t *ut)
{
	int64_t t = time_realtime_ns() / NSEC_PER_SEC;
	if (ut && copy_to_user(ut, &t, sizeof(t)))
		return -EFAULT;
	return t;
}

long sys_clock_settime(int clk, const struct k_timespec *uts)
{
	struct k_timespec ts;
	if (clk != CLOCK_REALTIME)
		return -EINVAL;
	if (current->cred.euid != 0)
		return -EPERM;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	time_set_realtime_ns(ts.sec * NSEC_PER_SEC + ts.nsec);
	return 0;
}

long sys_settimeofday(const struct k_timeval *utv, const void *utz)
{
	(void)utz;
	if (current->cred.euid != 0)
		return -EPERM;
	if (!utv)
		return 0;
	struct k_timeval tv;
	if (copy_from_user(&tv, utv, sizeof(tv)))
		return -EFAULT;
	if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1000000)
		return -EINVAL;
	time_set_realtime_ns(tv.sec * NSEC_PER_SEC + tv.usec * 1000);
	return 0;
}

static long do_sleep(int clk, int flags, const struct k_timespec *ureq, struct k_timespec *urem)
{
	struct k_timespec req;
	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.sec < 0 || req.nsec < 0 || req.nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	uint64_t now, dur = req.sec * NSEC_PER_SEC + req.nsec;
	int r = clock_read(clk, &now);
	if (r)
		return r;
	if (clk == CLOCK_THREAD_CPUTIME_ID || clk == CLOCK_PROCESS_CPUTIME_ID || clk < 0)
		return -EINVAL;
	uint64_t mono = time_ns();
	uint64_t deadline;
	if (flags & TIMER_ABSTIME)
		deadline = dur > now ? mono + (dur - now) : mono;
	else
		deadline = mono + dur;
	r = sleep_until(deadline, true);
	if (r == -EINTR) {
		if (urem && !(flags & TIMER_ABSTIME)) {
			uint64_t n = time_ns();
			struct k_timespec rem = to_ts(deadline > n ? deadline - n : 0);
			if (copy_to_user(urem, &rem, sizeof(rem)))
				return -EFAULT;
		}
		return -EINTR;
	}
	return 0;
}

long sys_nanosleep(const struct k_timespec *ureq, struct k_timespec *urem)
{
	return do_sleep(CLOCK_MONOTONIC, 0, ureq, urem);
}

long sys_clock_nanosleep(int clk, int flags, const struct k_timespec *ureq, struct k_timespec *urem)
{
	long r = do_sleep(clk, flags, ureq, urem);
	return r < 0 ? r : 0;
}
