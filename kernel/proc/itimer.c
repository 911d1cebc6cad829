/*
 * kernel/proc/itimer.c - per-process timers: alarm, setitimer/getitimer
 * (ITIMER_REAL, VIRTUAL, PROF), POSIX timers (timer_create, settime,
 * gettime, getoverrun, delete) and RLIMIT_CPU.
 *
 * A process's timers live in a struct proc_timers hung off its
 * thread-group leader, allocated on first use (most processes never set a
 * timer). ITIMER_REAL and POSIX timers are ktimers on monotonic time:
 * their callbacks run in the timer interrupt and send the signal there.
 * ITIMER_VIRTUAL and ITIMER_PROF count CPU time: every tick that a thread
 * of the process runs (in user mode only, for VIRTUAL) is charged to them
 * from sched_tick, the same sampling that makes utime and stime.
 *
 * Timers are not inherited by fork; POSIX timers end at exec, interval
 * timers survive it (POSIX).
 */
#include "kernel.h"
#include "ktime.h"
#include "ktimer.h"
#include "mm.h"
#include "task.h"
#include "uaccess.h"

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
#define MAX_POSIX_TIMERS 64

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1


struct posix_timer {
	struct ktimer kt;        /* first: the callback casts back */
	struct task *proc;       /* the owning process's leader */
	int id, clock;
	int notify, signo;
	pid_t tid;               /* SIGEV_THREAD_ID target */
	uint64_t value;          /* sigev_value */
	uint64_t interval;
	int overrun, last_overrun;
};

struct proc_timers {
	struct ktimer real;      /* first: the callback casts back */
	struct task *proc;
	uint64_t real_interval;
	uint64_t virt_left, virt_interval;
	uint64_t prof_left, prof_interval;
	uint64_t cpu_next_xcpu;  /* RLIMIT_CPU: process CPU ns of the next SIGXCPU */
	struct posix_timer *posix[MAX_POSIX_TIMERS];
};

struct k_timeval {
	int64_t sec, usec;
};
struct k_itimerval {
	struct k_timeval interval, value;
};
struct k_timespec {
	int64_t sec, nsec;
};
struct k_itimerspec {
	struct k_timespec interval, value;
};

static void real_fire(struct ktimer *kt)
{
	struct proc_timers *pt = (struct proc_timers *)kt;
	struct ksiginfo info = { .signo = SIGALRM, .code = SI_KERNEL };
	send_signal(pt->proc, SIGALRM, &info);
	if (pt->real_interval) {
		uint64_t next = kt->expires + pt->real_interval, now = time_ns();
		if (next <= now)
			next = now + pt->real_interval;
		ktimer_arm(kt, next);
	}
}

static struct proc_timers *get_timers(bool create)
{
	struct task *l = current->group_leader;
	if (l->timers || !create)
		return l->timers;
	struct proc_timers *pt = kzalloc(sizeof(*pt));
	if (!pt)
		return NULL;
	pt->proc = l;
	ktimer_init_irq(&pt->real, real_fire, NULL);
	irq_push_off();
	if (!l->timers)
		l->timers = pt;
	else
		kfree(pt), pt = l->timers;
	irq_pop_off();
	return pt;
}

uint64_t process_cpu_ns(struct task *l)
{
	uint64_t ns = 0;
	irq_push_off();
	for (struct task *t = l; t; t = t->next_in_group)
		ns += t->utime_ns + t->stime_ns;
	irq_pop_off();
	return ns;
}

/* ---- ticks: VIRTUAL, PROF, RLIMIT_CPU ---- */

static bool charge(uint64_t *left, uint64_t interval)
{
	if (!*left)
		return false;
	uint64_t tick = NSEC_PER_SEC / HZ;
	if (*left > tick) {
		*left -= tick;
		return false;
	}
	*left = interval;
	return true;
}

void itimers_tick(struct task *t, bool user)
{
	struct task *l = t->group_leader;
	if (!l || !t->mm)
		return;
	struct proc_timers *pt = l->timers;
	if (pt) {
		struct ksiginfo info = { .code = SI_KERNEL };
		if (user && charge(&pt->virt_left, pt->virt_interval)) {
			info.signo = SIGVTALRM;
			send_signal(l, SIGVTALRM, &info);
		}
		if (charge(&pt->prof_left, pt->prof_interval)) {
			info.signo = SIGPROF;
			send_signal(l, SIGPROF, &info);
		}
	}
	uint64_t soft = l->rlim[RLIMIT_CPU].cur, hard = l->rlim[RLIMIT_CPU].max;
	if (soft == ~0ULL && hard == ~0ULL)
		return;
	uint64_t cpu = process_cpu_ns(l) / NSEC_PER_SEC;
	struct ksiginfo info = { .code = SI_KERNEL };
	if (hard != ~0ULL && cpu >= hard) {
		info.signo = SIGKILL;
		send_signal(l, SIGKILL, &info);
	} else if (soft != ~0ULL && cpu >= soft) {
		/* SIGXCPU at the soft limit and once a second after it. */
		struct proc_timers *p = l->timers;
		uint64_t now = process_cpu_ns(l);
		if (!p || now >= p->cpu_next_xcpu) {
			if (p)
				p->cpu_next_xcpu = now + NSEC_PER_SEC;
			info.signo = SIGXCPU;
			send_signal(l, SIGXCPU, &info);
		}
	}
}

/* ---- setitimer, getitimer, alarm ---- */

static uint64_t tv_ns(const struct k_timeval *tv)
{
	return (uint64_t)tv->sec * NSEC_PER_SEC + tv->usec * NSEC_PER_USEC;
}

static struct k_timeval ns_tv(uint64_t ns)
{
	/* Round up: an armed timer never reads as 0. */
	uint64_t us = (ns + NSEC_PER_USEC - 1) / NSEC_PER_USEC;
	struct k_timeval tv = { us / 1000000, us % 1000000 };
	return tv;
}

static void get_itimer(struct proc_timers *pt, int which, struct k_itimerval *v)
{
	memset(v, 0, sizeof(*v));
	if (!pt)
		return;
	irq_push_off();
	uint64_t left = 0, interval = 0;
	if (which == ITIMER_REAL) {
		uint64_t now = time_ns();
		if (ktimer_pending(&pt->real))
			left = pt->real.expires > now ? pt->real.expires - now : 1;
		interval = pt->real_interval;
	} else if (which == ITIMER_VIRTUAL) {
		left = pt->virt_left;
		interval = pt->virt_interval;
	} else {
		left = pt->prof_left;
		interval = pt->prof_interval;
	}
	irq_pop_off();
	v->value = ns_tv(left);
	v->interval = ns_tv(interval);
}

static int do_setitimer(int which, const struct k_itimerval *nv, struct k_itimerval *old)
{
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (nv && (nv->value.usec < 0 || nv->value.usec >= 1000000 || nv->value.sec < 0 ||
	           nv->interval.usec < 0 || nv->interval.usec >= 1000000 || nv->interval.sec < 0))
		return -EINVAL;
	bool arming = nv && (nv->value.sec || nv->value.usec);
	struct proc_timers *pt = get_timers(arming);
	if (arming && !pt)
		return -ENOMEM;
	if (old)
		get_itimer(pt, which, old);
	if (!pt)
		return 0;
	uint64_t value = arming ? tv_ns(&nv->value) : 0;
	uint64_t interval = arming ? tv_ns(&nv->interval) : 0;
	irq_push_off();
	switch (which) {
	case ITIMER_REAL:
		pt->real_interval = interval;
		if (value)
			ktimer_arm(&pt->real, time_ns() + value);
		else
			ktimer_cancel(&pt->real);
		break;
	case ITIMER_VIRTUAL:
		pt->virt_left = value;
		pt->virt_interval = interval;
		break;
	case ITIMER_PROF:
		pt->prof_left = value;
		pt->prof_interval = interval;
		break;
	}
	irq_pop_off();
	return 0;
}

long sys_setitimer(int which, const struct k_itimerval *unew, struct k_itimerval *uold)
{
	struct k_itimerval nv, old;
	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	int r = do_setitimer(which, unew ? &nv : NULL, &old);
	if (r)
		return r;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_getitimer(int which, struct k_itimerval *u)
{
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	struct k_itimerval v;
	get_itimer(get_timers(false), which, &v);
	return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
}

long sys_alarm(unsigned seconds)
{
	struct k_itimerval nv = { { 0, 0 }, { seconds, 0 } }, old;
	do_setitimer(ITIMER_REAL, &nv, &old);
	/* Linux rounds the time left to the nearest second, but never to 0. */
	long left = old.value.sec + (old.value.usec >= 500000);
	if (!left && old.value.usec)
		left = 1;
	return left;
}

/* ---- POSIX timers ---- */

struct k_sigevent {
	uint64_t value;
	int32_t signo;
	int32_t notify;
	int32_t tid;
	int32_t pad[11];
};

static void posix_fire(struct ktimer *kt)
{
	struct posix_timer *pt = (struct posix_timer *)kt;
	if (pt->interval) {
		uint64_t next = kt->expires + pt->interval, now = time_ns();
		if (next <= now) {
			uint64_t missed = (now - next) / pt->interval + 1;
			pt->overrun += missed;
			next += missed * pt->interval;
		}
		ktimer_arm(kt, next);
	}
	if (pt->notify == SIGEV_NONE)
		return;
	struct task *target = pt->proc;
	if (pt->notify == SIGEV_THREAD_ID) {
		target = task_find(pt->tid);
		if (!target || target->tgid != pt->proc->tgid)
			return;
	}
	/* Still pending from the last expiry: count an overrun instead. */
	struct ksiginfo *queued = sigqueue_find_timer(target, pt->signo, pt->id);
	if (!queued && pt->notify != SIGEV_THREAD_ID)
		queued = sigqueue_find_timer(pt->proc, pt->signo, pt->id);
	if (queued) {
		pt->overrun++;
		pt->last_overrun = pt->overrun; /* what the pending signal will carry */
		queued->overrun = pt->overrun;
		return;
	}
	struct ksiginfo info = { .signo = pt->signo, .code = SI_TIMER, .timerid = pt->id,
	                         .overrun = pt->overrun, .value = pt->value };
	pt->overrun = 0;
	if (pt->notify == SIGEV_THREAD_ID)
		send_signal_thread(target, pt->signo, &info);
	else
		send_signal(target, pt->signo, &info);
}

static bool timer_clock_ok(int clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_MONOTONIC || clk == CLOCK_BOOTTIME;
}

long sys_timer_create(int clk, const struct k_sigevent *usev, int *uid)
{
	if (!timer_clock_ok(clk))
		return clk == 2 || clk == 3 ? -EOPNOTSUPP : -EINVAL;
	struct k_sigevent sev = { .signo = SIGALRM, .notify = SIGEV_SIGNAL };
	if (usev && copy_from_user(&sev, usev, sizeof(sev)))
		return -EFAULT;
	if (sev.notify != SIGEV_SIGNAL && sev.notify != SIGEV_NONE && sev.notify != SIGEV_THREAD_ID)
		return -EINVAL;
	if (sev.notify != SIGEV_NONE && (sev.signo < 1 || sev.signo > NSIG))
		return -EINVAL;
	if (sev.notify == SIGEV_THREAD_ID) {
		struct task *t = task_find(sev.tid);
		if (!t || t->tgid != current->tgid)
			return -EINVAL;
	}
	struct proc_timers *pts = get_timers(true);
	struct posix_timer *pt = kzalloc(sizeof(*pt));
	if (!pts || !pt) {
		kfree(pt);
		return -ENOMEM;
	}
	ktimer_init_irq(&pt->kt, posix_fire, NULL);
	pt->proc = current->group_leader;
	pt->clock = clk;
	pt->notify = sev.notify;
	pt->signo = sev.signo;
	pt->tid = sev.tid;
	int id = -1;
	irq_push_off();
	for (int i = 0; i < MAX_POSIX_TIMERS; i++)
		if (!pts->posix[i]) {
			id = i;
			pts->posix[i] = pt;
			break;
		}
	irq_pop_off();
	if (id < 0) {
		kfree(pt);
		return -EAGAIN;
	}
	pt->id = id;
	pt->value = usev ? sev.value : (uint64_t)id;
	if (copy_to_user(uid, &id, sizeof(id))) {
		irq_push_off();
		pts->posix[id] = NULL;
		irq_pop_off();
		kfree(pt);
		return -EFAULT;
	}
	return 0;
}

static struct posix_timer *timer_get(int id)
{
	struct proc_timers *pts = get_timers(false);
	if (!pts || id < 0 || id >= MAX_POSIX_TIMERS)
		return NULL;
	return pts->posix[id];
}

static uint64_t ts_ns(const struct k_timespec *ts)
{
	return (uint64_t)ts->sec * NSEC_PER_SEC + ts->nsec;
}

static struct k_timespec ns_ts(uint64_t ns)
{
	struct k_timespec ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
	return ts;
}

static bool ts_valid(const struct k_timespec *ts)
{
	return ts->sec >= 0 && ts->nsec >= 0 && ts->nsec < (int64_t)NSEC_PER_SEC;
}

static void read_timer(struct ktimer *kt, uint64_t interval, struct k_itimerspec *v)
{
	irq_push_off();
	uint64_t now = time_ns(), left = 0;
	if (ktimer_pending(kt))
		left = kt->expires > now ? kt->expires - now : 1;
	irq_pop_off();
	v->value = ns_ts(left);
	v->interval = ns_ts(interval);
}

/* Arm kt from an itimerspec on clock clk (absolute or relative). Shared
 * with timerfd. Returns 0 or -EINVAL. */
int ktimer_set_from_user_spec(struct ktimer *kt, int clk, int flags,
                              const struct k_itimerspec *nv, uint64_t *interval)
{
	if (!ts_valid(&nv->value) || !ts_valid(&nv->interval))
		return -EINVAL;
	uint64_t value = ts_ns(&nv->value);
	irq_push_off();
	*interval = ts_ns(&nv->interval);
	if (!value) {
		ktimer_cancel(kt);
	} else {
		uint64_t now = time_ns(), expires;
		if (flags & TIMER_ABSTIME) {
			uint64_t clock_now = clk == CLOCK_REALTIME ? time_realtime_ns() : now;
			expires = value > clock_now ? now + (value - clock_now) : now;
		} else {
			expires = now + value;
		}
		ktimer_arm(kt, expires);
	}
	irq_pop_off();
	return 0;
}

void ktimer_read_spec(struct ktimer *kt, uint64_t interval, struct k_itimerspec *v)
{
	read_timer(kt, interval, v);
}

long sys_timer_settime(int id, int flags, const struct k_itimerspec *unew, struct k_itimerspec *uold)
{
	struct posix_timer *pt = timer_get(id);
	if (!pt)
		return -EINVAL;
	struct k_itimerspec nv, old;
	if (copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	read_timer(&pt->kt, pt->interval, &old);
	int r = ktimer_set_from_user_spec(&pt->kt, pt->clock, flags, &nv, &pt->interval);
	if (r)
		return r;
	pt->overrun = 0;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_timer_gettime(int id, struct k_itimerspec *u)
{
	struct posix_timer *pt = timer_get(id);
	if (!pt)
		return -EINVAL;
	struct k_itimerspec v;
	read_timer(&pt->kt, pt->interval, &v);
	return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
}

long sys_timer_getoverrun(int id)
{
	struct posix_timer *pt = timer_get(id);
	return pt ? pt->last_overrun : -EINVAL;
}

long sys_timer_delete(int id)
{
	struct posix_timer *pt = timer_get(id);
	if (!pt)
		return -EINVAL;
	irq_push_off();
	ktimer_cancel(&pt->kt);
	current->group_leader->timers->posix[id] = NULL;
	irq_pop_off();
	kfree(pt);
	return 0;
}

void posix_timers_exec(struct task *t)
{
	struct proc_timers *pts = t->group_leader->timers;
	if (!pts)
		return;
	for (int i = 0; i < MAX_POSIX_TIMERS; i++) {
		struct posix_timer *pt = pts->posix[i];
		if (!pt)
			continue;
		irq_push_off();
		ktimer_cancel(&pt->kt);
		pts->posix[i] = NULL;
		irq_pop_off();
		kfree(pt);
	}
}

/* The process is ending (called by its leader once every thread is gone). */
void itimers_exit(struct task *t)
{
	if (t->group_leader != t || !t->timers)
		return;
	posix_timers_exec(t);
	irq_push_off();
	struct proc_timers *pts = t->timers;
	ktimer_cancel(&pts->real);
	t->timers = NULL;
	irq_pop_off();
	kfree(pts);
}
