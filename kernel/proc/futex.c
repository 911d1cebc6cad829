/*
 * kernel/proc/futex.c - fast user-space mutexes: FUTEX_WAIT and FUTEX_WAKE
 * (with the PRIVATE flag and relative timeouts), enough for musl's locks,
 * condition variables and thread joins.
 *
 * Waiters are keyed by (address space, user address) and kept in a small
 * hash of lists. FUTEX_WAIT checks the word's value after queueing itself,
 * under the bucket lock that FUTEX_WAKE also takes, so a wake between the
 * user's check and the sleep is never lost.
 */
#include "kernel.h"
#include "ktime.h"
#include "sync.h"
#include "task.h"
#include "uaccess.h"
#include "vm.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define NBUCKETS 64

struct futex_waiter {
	struct mm *mm;
	uint64_t addr;
	struct task *task;
	bool woken;
	struct futex_waiter *next;
};

static struct {
	spinlock_t lock;
	struct futex_waiter *head;
} buckets[NBUCKETS];

static wait_queue_t futex_wq = WAIT_QUEUE_INIT("futex");

static unsigned hash(struct mm *mm, uint64_t addr)
{
	return (((uint64_t)mm >> 4) ^ (addr >> 2)) % NBUCKETS;
}

int futex_wake_addr(struct mm *mm, uint64_t addr, int n)
{
	unsigned b = hash(mm, addr);
	int woken = 0;
	spin_lock(&buckets[b].lock);
	for (struct futex_waiter **pp = &buckets[b].head; *pp && woken < n;) {
		struct futex_waiter *w = *pp;
		if (w->mm == mm && w->addr == addr) {
			*pp = w->next;
			w->woken = true;
			woken++;
			continue;
		}
		pp = &w->next;
	}
	spin_unlock(&buckets[b].lock);
	if (woken)
		wake_up(&futex_wq);
	return woken;
}

struct k_timespec {
	int64_t sec, nsec;
};

static long futex_wait(uint32_t *uaddr, uint32_t val, const struct k_timespec *utimeout)
{
	uint64_t deadline = 0;
	if (utimeout) {
		struct k_timespec ts;
		if (copy_from_user(&ts, utimeout, sizeof(ts)))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC_PER_SEC)
			return -EINVAL;
		deadline = time_ns() + ts.sec * NSEC_PER_SEC + ts.nsec;
	}
	struct mm *mm = current->mm;
	struct futex_waiter w = { mm, (uint64_t)uaddr, current, false, NULL };
	unsigned b = hash(mm, (uint64_t)uaddr);
	uint32_t cur;
	/* Read the word before taking the spinlock (the read may fault). */
	if (copy_from_user(&cur, uaddr, sizeof(cur)))
		return -EFAULT;
	spin_lock(&buckets[b].lock);
	if (cur != val) {
		spin_unlock(&buckets[b].lock);
		return -EAGAIN;
	}
	w.next = buckets[b].head;
	buckets[b].head = &w;
	spin_unlock(&buckets[b].lock);

	int r = __wait_event(&futex_wq, READ_ONCE(w.woken), true, deadline);
	if (!w.woken) {
		spin_lock(&buckets[b].lock);
		for (struct futex_waiter **pp = &buckets[b].head; *pp; pp = &(*pp)->next)
			if (*pp == &w) {
				*pp = w.next;
				break;
			}
		spin_unlock(&buckets[b].lock);
	}
	if (w.woken)
		return 0;
	return r == -ETIMEDOUT ? -ETIMEDOUT : -ERESTARTSYS;
}

long sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct k_timespec *timeout)
{
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	if ((uint64_t)uaddr & 3)
		return -EINVAL;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, val, timeout);
	case FUTEX_WAKE:
		return futex_wake_addr(current->mm, (uint64_t)uaddr, (int)val);
	default:
		kprintf_once(KERN_NOTICE "futex: operation %d not implemented\n", cmd);
		return -ENOSYS;
	}
}
