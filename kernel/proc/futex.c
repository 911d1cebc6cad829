/*
 * kernel/proc/futex.c - fast user-space mutexes: FUTEX_WAIT, WAKE, REQUEUE,
 * CMP_REQUEUE, WAKE_OP, WAIT_BITSET and WAKE_BITSET (with the PRIVATE and
 * CLOCK_REALTIME flags and timeouts), and robust lists (set_robust_list,
 * get_robust_list, cleaned up when a thread exits).
 *
 * A waiter is keyed by what the futex word *is*: for a private futex (or
 * any word in private memory) the address space and user address; for a
 * word in a MAP_SHARED area, the physical address of the word, so that
 * processes mapping the same page meet on the same key. Waiters live in a
 * small hash of lists under one lock (futex_lock). FUTEX_WAIT queues
 * itself and re-reads the word under that lock, and every wake takes it,
 * so a wake between the user's check and the sleep is never lost.
 *
 * Each waiter sleeps on its own wait queue, so a wake touches only the
 * tasks it wakes (no thundering herd when 64 threads share a lock). A
 * requeue just rewrites a waiter's key and moves it between lists; the
 * waiter always unlinks itself under futex_lock, which keeps the waker
 * from touching a waiter that has already returned.
 */
#include "kernel.h"
#include "ktime.h"
#include "mm.h"
#include "paging.h"
#include "sync.h"
#include "task.h"
#include "uaccess.h"
#include "vm.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu

#define NBUCKETS 64

struct futex_key {
	struct mm *mm;   /* NULL for a shared (physical) key */
	uint64_t addr;   /* user address, or physical address if mm == NULL */
};

struct futex_waiter {
	struct futex_key key;
	uint32_t bitset;
	bool woken;
	wait_queue_t wq;
	struct futex_waiter *next;
};

static spinlock_t futex_lock = SPINLOCK_INIT("futex");
static struct futex_waiter *buckets[NBUCKETS];

static unsigned hash(const struct futex_key *k)
{
	return (((uint64_t)k->mm >> 4) ^ (k->addr >> 2) ^ (k->addr >> 12)) % NBUCKETS;
}

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->mm == b->mm && a->addr == b->addr;
}

/* Work out the key of the word at uaddr; the word must be readable. */
static int get_key(uint64_t uaddr, bool private, struct futex_key *k)
{
	if (uaddr & 3)
		return -EINVAL;
	uint32_t v;
	/* Fault the page in (and check the address) before looking. */
	if (copy_from_user(&v, (void *)uaddr, sizeof(v)))
		return -EFAULT;
	struct mm *mm = current->mm;
	k->mm = mm;
	k->addr = uaddr;
	if (private)
		return 0;
	mutex_lock(&mm->lock);
	struct vma *v_ = vma_find(mm, uaddr);
	if (v_ && (v_->flags & MAP_SHARED)) {
		uint64_t *pte = pte_lookup(mm->pml4, uaddr & ~(uint64_t)(PAGE_SIZE - 1), false);
		if (pte && (*pte & PTE_P)) {
			k->mm = NULL;
			k->addr = (*pte & PTE_ADDR) | (uaddr & (PAGE_SIZE - 1));
		}
	}
	mutex_unlock(&mm->lock);
	return 0;
}

/* Wake up to n waiters on key whose bitset meets bits; futex_lock held. */
static int wake_locked(const struct futex_key *key, int n, uint32_t bits)
{
	int woken = 0;
	for (struct futex_waiter **pp = &buckets[hash(key)]; *pp && woken < n;) {
		struct futex_waiter *w = *pp;
		if (key_eq(&w->key, key) && (w->bitset & bits)) {
			*pp = w->next;
			w->next = NULL;
			w->woken = true;
			wake_up(&w->wq);
			woken++;
			continue;
		}
		pp = &w->next;
	}
	return woken;
}

static int futex_wake_key(const struct futex_key *key, int n, uint32_t bits)
{
	spin_lock(&futex_lock);
	int woken = wake_locked(key, n, bits);
	spin_unlock(&futex_lock);
	return woken;
}

/* For exit (CLONE_CHILD_CLEARTID): wake waiters on a private-or-shared word. */
int futex_wake_addr(struct mm *mm, uint64_t addr, int n)
{
	struct futex_key k = { mm, addr };
	int woken = futex_wake_key(&k, n, FUTEX_BITSET_MATCH_ANY);
	struct futex_key shared;
	if (mm == current->mm && get_key(addr, false, &shared) == 0 && !shared.mm)
		woken += futex_wake_key(&shared, n, FUTEX_BITSET_MATCH_ANY);
	return woken;
}

struct k_timespec {
	int64_t sec, nsec;
};

/* Convert a user timeout to a monotonic deadline: relative for FUTEX_WAIT,
 * absolute (on the chosen clock) for FUTEX_WAIT_BITSET. */
static int get_deadline(const struct k_timespec *ut, bool absolute, bool realtime, uint64_t *deadline)
{
	*deadline = 0;
	if (!ut)
		return 0;
	struct k_timespec ts;
	if (copy_from_user(&ts, ut, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	uint64_t t = (uint64_t)ts.sec * NSEC_PER_SEC + ts.nsec;
	uint64_t now = time_ns();
	if (!absolute) {
		*deadline = now + t;
	} else {
		uint64_t clock_now = realtime ? time_realtime_ns() : now;
		*deadline = t > clock_now ? now + (t - clock_now) : now;
	}
	if (*deadline == 0)
		*deadline = 1; /* 0 means "no deadline" to the sleep code */
	return 0;
}

static long futex_wait(uint64_t uaddr, bool private, uint32_t val, uint64_t deadline, uint32_t bitset)
{
	if (!bitset)
		return -EINVAL;
	struct futex_waiter w;
	memset(&w, 0, sizeof(w));
	int r = get_key(uaddr, private, &w.key);
	if (r)
		return r;
	w.bitset = bitset;
	wait_queue_init(&w.wq, "futex");
	uint32_t cur;
	/* Read the word before taking the spinlock (the read may fault)... */
	if (copy_from_user(&cur, (void *)uaddr, sizeof(cur)))
		return -EFAULT;
	spin_lock(&futex_lock);
	/* ...and again under it: a waker changes the word before waking, so
	 * any change after the first read is caught here or wakes us. The
	 * page is resident now, so this read does not sleep. */
	if (copy_from_user(&cur, (void *)uaddr, sizeof(cur)) || cur != val) {
		spin_unlock(&futex_lock);
		return -EAGAIN;
	}
	unsigned b = hash(&w.key);
	w.next = buckets[b];
	buckets[b] = &w;
	spin_unlock(&futex_lock);

	r = __wait_event(&w.wq, READ_ONCE(w.woken), true, deadline);

	/* Unlink (a requeue may have moved us: search by our current key). */
	spin_lock(&futex_lock);
	if (!w.woken) {
		for (struct futex_waiter **pp = &buckets[hash(&w.key)]; *pp; pp = &(*pp)->next)
			if (*pp == &w) {
				*pp = w.next;
				break;
			}
	}
	bool woken = w.woken;
	spin_unlock(&futex_lock);
	if (woken)
		return 0;
	return r == -ETIMEDOUT ? -ETIMEDOUT : -ERESTARTSYS;
}

/* Wake nr_wake waiters on uaddr, move up to nr_requeue of the rest to
 * uaddr2. With cmp, only if *uaddr still equals cmpval. */
static long futex_requeue(uint64_t uaddr, uint64_t uaddr2, bool private, int nr_wake,
                          int nr_requeue, bool cmp, uint32_t cmpval)
{
	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	struct futex_key k1, k2;
	int r = get_key(uaddr, private, &k1);
	if (!r)
		r = get_key(uaddr2, private, &k2);
	if (r)
		return r;
	spin_lock(&futex_lock);
	if (cmp) {
		uint32_t cur;
		if (copy_from_user(&cur, (void *)uaddr, sizeof(cur))) {
			spin_unlock(&futex_lock);
			return -EFAULT;
		}
		if (cur != cmpval) {
			spin_unlock(&futex_lock);
			return -EAGAIN;
		}
	}
	int done = wake_locked(&k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	int moved = 0;
	if (!key_eq(&k1, &k2)) {
		for (struct futex_waiter **pp = &buckets[hash(&k1)]; *pp && moved < nr_requeue;) {
			struct futex_waiter *w = *pp;
			if (key_eq(&w->key, &k1)) {
				*pp = w->next;
				w->key = k2;
				unsigned b2 = hash(&k2);
				w->next = buckets[b2];
				buckets[b2] = w;
				moved++;
				continue;
			}
			pp = &w->next;
		}
	}
	spin_unlock(&futex_lock);
	return done + moved; /* Linux counts both */
}

#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_ARG_SHIFT 8

/* FUTEX_WAKE_OP: atomically *uaddr2 = op(*uaddr2, oparg); wake nr_wake on
 * uaddr; and, if the old *uaddr2 passes the comparison, nr_wake2 on uaddr2.
 * One CPU and the futex lock make the read-modify-write atomic. */
static long futex_wake_op(uint64_t uaddr, uint64_t uaddr2, bool private, int nr_wake,
                          int nr_wake2, uint32_t encoded)
{
	int op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = (int)(encoded << 8) >> 20, cmparg = (int)(encoded << 20) >> 20;
	if (encoded & (FUTEX_OP_ARG_SHIFT << 28))
		oparg = (oparg < 0 || oparg > 31) ? -1 : 1 << oparg;
	if (op > FUTEX_OP_XOR || cmp > 5)
		return -ENOSYS;
	struct futex_key k1, k2;
	int r = get_key(uaddr, private, &k1);
	if (!r)
		r = get_key(uaddr2, private, &k2);
	if (r)
		return r;
	uint32_t old, nv;
	/* Make the word writable (copy-on-write) before the spinlock. */
	if (copy_from_user(&old, (void *)uaddr2, sizeof(old)) ||
	    copy_to_user((void *)uaddr2, &old, sizeof(old)))
		return -EFAULT;
	spin_lock(&futex_lock);
	if (copy_from_user(&old, (void *)uaddr2, sizeof(old))) {
		spin_unlock(&futex_lock);
		return -EFAULT;
	}
	switch (op) {
	case FUTEX_OP_SET: nv = oparg; break;
	case FUTEX_OP_ADD: nv = old + oparg; break;
	case FUTEX_OP_OR: nv = old | oparg; break;
	case FUTEX_OP_ANDN: nv = old & ~oparg; break;
	default: nv = old ^ oparg; break;
	}
	if (copy_to_user((void *)uaddr2, &nv, sizeof(nv))) {
		spin_unlock(&futex_lock);
		return -EFAULT;
	}
	int n = wake_locked(&k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	int o = (int)old;
	bool hit;
	switch (cmp) {
	case 0: hit = o == cmparg; break;
	case 1: hit = o != cmparg; break;
	case 2: hit = o < cmparg; break;
	case 3: hit = o <= cmparg; break;
	case 4: hit = o > cmparg; break;
	default: hit = o >= cmparg; break;
	}
	if (hit)
		n += wake_locked(&k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	spin_unlock(&futex_lock);
	return n;
}

long sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct k_timespec *timeout,
               uint32_t *uaddr2, uint32_t val3)
{
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool private = op & FUTEX_PRIVATE_FLAG, realtime = op & FUTEX_CLOCK_REALTIME;
	uint64_t a = (uint64_t)uaddr, deadline;
	long r;
	if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	/* The timeout argument doubles as a count for the requeue calls. */
	int val2 = (int)(uint64_t)timeout;
	switch (cmd) {
	case FUTEX_WAIT:
		if ((r = get_deadline(timeout, realtime, realtime, &deadline)))
			return r;
		return futex_wait(a, private, val, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		if ((r = get_deadline(timeout, true, realtime, &deadline)))
			return r;
		return futex_wait(a, private, val, deadline, val3);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET: {
		uint32_t bits = cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3;
		if (!bits)
			return -EINVAL;
		struct futex_key k;
		if ((r = get_key(a, private, &k)))
			return r;
		return futex_wake_key(&k, (int)val, bits);
	}
	case FUTEX_REQUEUE:
		return futex_requeue(a, (uint64_t)uaddr2, private, (int)val, val2, false, 0);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(a, (uint64_t)uaddr2, private, (int)val, val2, true, val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(a, (uint64_t)uaddr2, private, (int)val, val2, val3);
	default:
		return -ENOSYS; /* FUTEX_FD (gone from Linux), the PI operations */
	}
}

/* ---- robust lists ---- */

struct robust_list_head {
	uint64_t next;          /* struct robust_list *, circular to &head */
	int64_t futex_offset;   /* from an entry to its futex word */
	uint64_t list_op_pending;
};

long sys_set_robust_list(struct robust_list_head *head, size_t len)
{
	if (len != sizeof(struct robust_list_head))
		return -EINVAL;
	current->robust_list = (uint64_t)head;
	return 0;
}

long sys_get_robust_list(int pid, uint64_t *uhead, size_t *ulen)
{
	struct task *t = pid ? task_find(pid) : current;
	if (!t)
		return -ESRCH;
	uint64_t head = t->robust_list;
	size_t len = sizeof(struct robust_list_head);
	if (copy_to_user(ulen, &len, sizeof(len)) || copy_to_user(uhead, &head, sizeof(head)))
		return -EFAULT;
	return 0;
}

/* The futex at uaddr was held by the dying thread tid: mark its owner dead
 * and wake a waiter, so that the next locker gets EOWNERDEAD. */
static void robust_release(uint64_t uaddr, pid_t tid)
{
	uint32_t v;
	if ((uaddr & 3) || copy_from_user(&v, (void *)uaddr, sizeof(v)))
		return;
	if ((v & FUTEX_TID_MASK) != (uint32_t)tid)
		return;
	uint32_t nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copy_to_user((void *)uaddr, &nv, sizeof(nv)))
		return;
	if (v & FUTEX_WAITERS)
		futex_wake_addr(current->mm, uaddr, 1);
}

/* At thread exit, with the address space still ours. A corrupt list ends
 * the walk (bounded, as Linux's ROBUST_LIST_LIMIT). */
void futex_exit_robust(struct task *t)
{
	struct robust_list_head head;
	if (!t->robust_list || copy_from_user(&head, (void *)t->robust_list, sizeof(head)))
		return;
	uint64_t entry = head.next;
	for (int i = 0; i < 2048 && entry && entry != t->robust_list; i++) {
		uint64_t next;
		if (copy_from_user(&next, (void *)entry, sizeof(next)))
			return;
		if (entry != head.list_op_pending)
			robust_release(entry + head.futex_offset, t->tid);
		entry = next;
	}
	if (head.list_op_pending)
		robust_release(head.list_op_pending + head.futex_offset, t->tid);
}
