/*
 * kernel/proc/sigqueue.c - queued real-time signals.
 *
 * A standard signal (1..31) is pending or not: a second instance sent
 * while the first is pending is merged into it, and its info lives in
 * task->siginfo[sig]. A real-time signal (SIGRTMIN..64) is queued: every
 * instance waits in arrival order in task->sigq with its own info
 * (si_value above all), and the signal stays pending until the last one is
 * taken. Delivery takes the lowest-numbered signal first, so the instances
 * of one real-time signal come out in the order they were sent.
 *
 * Queued instances are limited by RLIMIT_SIGPENDING, counted per thread
 * (Linux counts per user). Over the limit, as in Linux: sigqueue, tkill
 * and the like fail with EAGAIN; kill() still makes the signal pending but
 * without queueing its info (so it merges); kernel-generated signals (POSIX
 * timers, whose repeats count as overruns) are never refused.
 *
 * Callers hold interrupts off (irq_push_off) around every function here:
 * timers send signals from interrupt context.
 */
#include "kernel.h"
#include "mm.h"
#include "task.h"

struct sigqueue {
	struct sigqueue *next;
	struct ksiginfo info;
};

static bool is_rt(int sig)
{
	return sig >= SIGRTMIN && sig <= NSIG;
}

int sigqueue_add(struct task *t, int sig, const struct ksiginfo *info)
{
	if (!is_rt(sig))
		return -EINVAL;
	struct task *leader = t->group_leader ? t->group_leader : t;
	bool kernel = info->code == SI_TIMER || info->code == SI_KERNEL;
	struct sigqueue *q = NULL;
	if (kernel || (uint64_t)t->sigq_count < leader->rlim[RLIMIT_SIGPENDING].cur)
		q = kmalloc(sizeof(*q));
	if (!q) {
		if (!kernel && info->code != SI_USER)
			return -EAGAIN;
		/* Pending without queued info: merged with what is there. */
		if (!(t->pending & sigmask(sig)))
			t->siginfo[sig] = *info;
		t->pending |= sigmask(sig);
		return 0;
	}
	q->next = NULL;
	q->info = *info;
	struct sigqueue **pp = &t->sigq;
	while (*pp)
		pp = &(*pp)->next;
	*pp = q;
	t->sigq_count++;
	t->pending |= sigmask(sig);
	return 0;
}

/* Take the first instance of pending signal sig into *si. */
void sigqueue_take(struct task *t, int sig, struct ksiginfo *si)
{
	if (!is_rt(sig)) {
		*si = t->siginfo[sig];
		t->pending &= ~sigmask(sig);
		return;
	}
	struct sigqueue **pp = &t->sigq, *q;
	while ((q = *pp) && q->info.signo != sig)
		pp = &q->next;
	if (!q) {
		/* Only an instance whose info could not be queued. */
		*si = t->siginfo[sig];
		t->pending &= ~sigmask(sig);
		return;
	}
	*si = q->info;
	*pp = q->next;
	kfree(q);
	t->sigq_count--;
	for (q = *pp; q && q->info.signo != sig; q = q->next)
		;
	if (!q)
		t->pending &= ~sigmask(sig);
}

/* Forget every pending signal of mask (ignored, or the task is freed). */
void sigqueue_flush(struct task *t, sigset_t mask)
{
	struct sigqueue **pp = &t->sigq, *q;
	while ((q = *pp)) {
		if (mask & sigmask(q->info.signo)) {
			*pp = q->next;
			kfree(q);
			t->sigq_count--;
		} else {
			pp = &q->next;
		}
	}
	t->pending &= ~mask;
}

/* The pending instance of sig that POSIX timer timerid sent, if any: its
 * repeats are counted as overruns instead of queued. */
struct ksiginfo *sigqueue_find_timer(struct task *t, int sig, int timerid)
{
	if (!(t->pending & sigmask(sig)))
		return NULL;
	bool queued = false;
	for (struct sigqueue *q = t->sigq; q; q = q->next) {
		if (q->info.signo != sig)
			continue;
		if (q->info.code == SI_TIMER && q->info.timerid == timerid)
			return &q->info;
		queued = true;
	}
	if (queued)
		return NULL; /* siginfo[sig] is stale: the queue holds the instances */
	struct ksiginfo *si = &t->siginfo[sig];
	if (si->code == SI_TIMER && si->timerid == timerid)
		return si;
	return NULL;
}
