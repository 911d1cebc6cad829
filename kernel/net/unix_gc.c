/*
 * kernel/net/unix_gc.c - garbage collection of AF_UNIX sockets whose
 * descriptors are in flight (SCM_RIGHTS), after Linux's net/unix/garbage.c
 * (the mark-and-sweep version it had until 6.9).
 *
 * A message queued on a socket holds references to the files it carries.
 * A socket whose only references are in such messages, queued on sockets
 * that nobody can read either, is unreachable: with the socket's own
 * descriptor in its own queue, or two sockets' in each other's, the
 * files never reach a count of zero and the sockets, their queues and
 * everything else in flight would stay forever once the program closed
 * its descriptors (a way for any program to exhaust kernel memory).
 *
 * Counting. u->inflight is the number of references to u's file held by
 * messages queued on some AF_UNIX socket; unix_inflight() keeps it when a
 * message is queued and when its files leave a queue (received, dropped
 * with MSG_CTRUNC, purged). A socket with inflight > 0 is on gc_list.
 * The file holds its reference from before the message is queued until
 * after it leaves, so file->refcount >= inflight always.
 *
 * Collecting (all under unix_lock, so no send, receive or peek runs in
 * between):
 *  1. candidates: sockets on gc_list all of whose file references are in
 *     flight (refcount == inflight). Nobody holds such a socket, so only
 *     a receive from the queue that holds it can give it out again.
 *  2. for each candidate, each reference to a candidate found in its
 *     queue (and, for a listener, in the queues of the connections
 *     waiting for accept(): whoever accepts them reads those) is
 *     internal: gc_refs = inflight - internal references.
 *  3. a candidate with gc_refs > 0 is held by a queue of a socket that
 *     is not a candidate, which somebody can read: it is alive, and so is
 *     every candidate reachable from it through queues (a worklist: each
 *     socket is pushed once, no recursion).
 *  4. the other candidates are garbage: their queues (and their waiting
 *     connections' queues) are taken out, under the lock, and freed after
 *     it is dropped. Putting the files closes the garbage sockets (their
 *     last references were in those queues), and that close takes
 *     unix_lock: freeing with it held would deadlock (as in unix_io.c).
 * Taking a garbage socket's queue out does not close it: a sender still
 * connected to it may queue more until the put above closes it, and its
 * close purges that as usual (the sender cannot have the garbage socket's
 * descriptor, so nothing new it queues can be garbage in turn).
 *
 * When. As Linux: whenever an AF_UNIX socket is closed (released) while
 * anything is in flight, and before a send carrying descriptors when more
 * than UNIX_GC_TRIGGER references are in flight - closing two sockets
 * that hold each other releases nothing, so their garbage waits for the
 * next AF_UNIX close in the system or for that bound. A close during a
 * collection's freeing (which closes sockets itself) does not nest: it
 * asks the running collection for one more pass (at most GC_PASSES).
 *
 * Cost: steps 1-4 walk gc_list and the candidates' queues once each,
 * under unix_lock; no allocation.
 */
#include "af_unix.h"

#define GC_PASSES 4

static struct unix_sock *gc_list;   /* sockets with inflight > 0 */
static long gc_total;               /* sum of their inflight counts */
static bool gc_running, gc_again;

static struct unix_sock *unix_of_file(struct file *f)
{
	struct socket *s = sock_from_file(f);
	return s && s->family == AF_UNIX ? s->sk : NULL;
}

void unix_inflight(struct unix_msg *m, int dir)
{
	for (int i = 0; i < m->nfds; i++) {
		struct unix_sock *u = unix_of_file(m->fds[i]);
		if (!u)
			continue;
		if (dir > 0) {
			if (u->inflight++ == 0) {
				u->gc_prev = NULL;
				u->gc_next = gc_list;
				if (gc_list)
					gc_list->gc_prev = u;
				gc_list = u;
			}
			gc_total++;
		} else {
			if (--u->inflight == 0) {
				if (u->gc_prev)
					u->gc_prev->gc_next = u->gc_next;
				else
					gc_list = u->gc_next;
				if (u->gc_next)
					u->gc_next->gc_prev = u->gc_prev;
				u->gc_next = u->gc_prev = NULL;
			}
			gc_total--;
		}
	}
}

bool unix_gc_wanted(void)
{
	return gc_total > 0;
}

/* Call fn on every AF_UNIX socket whose file u's queue, or the queue of a
 * connection waiting on u to be accepted, holds. */
static void scan_children(struct unix_sock *u, void (*fn)(struct unix_sock *))
{
	struct unix_sock *q = u;
	for (;;) {
		for (struct unix_msg *m = q->rq_head; m; m = m->next) {
			for (int i = 0; i < m->nfds; i++) {
				struct unix_sock *v = unix_of_file(m->fds[i]);
				if (v)
					fn(v);
			}
		}
		q = q == u ? u->acq_head : q->acq_next;
		if (!q)
			break;
	}
}

static void dec_refs(struct unix_sock *v)
{
	if (v->gc_candidate)
		v->gc_refs--;
}

static struct unix_sock *work;  /* alive candidates to scan */

static void mark_alive(struct unix_sock *v)
{
	if (v->gc_candidate && !v->gc_alive) {
		v->gc_alive = true;
		v->gc_work_next = work;
		work = v;
	}
}

/* Move u's queue onto the list *tail points at. */
static void take_queue(struct unix_sock *u, struct unix_msg ***tail)
{
	struct unix_msg *m = unix_queue_take(u);
	if (!m)
		return;
	**tail = m;
	while (m->next)
		m = m->next;
	*tail = &m->next;
	if (u->peer)
		wake_up(&u->peer->wq);   /* a writer waiting for room */
}

/* Steps 1-4 of the header, unix_lock held: the garbage's messages. */
static struct unix_msg *collect(void)
{
	struct unix_sock *cands = NULL;
	for (struct unix_sock *u = gc_list; u; u = u->gc_next) {
		struct socket *s = u->sock;
		if (!s || !s->file ||
		    __atomic_load_n(&s->file->refcount, __ATOMIC_SEQ_CST) != u->inflight)
			continue;
		u->gc_candidate = true;
		u->gc_alive = false;
		u->gc_refs = u->inflight;
		u->gc_cand_next = cands;
		cands = u;
	}
	if (!cands)
		return NULL;
	for (struct unix_sock *c = cands; c; c = c->gc_cand_next)
		scan_children(c, dec_refs);
	work = NULL;
	for (struct unix_sock *c = cands; c; c = c->gc_cand_next)
		if (c->gc_refs > 0)
			mark_alive(c);
	while (work) {
		struct unix_sock *u = work;
		work = u->gc_work_next;
		scan_children(u, mark_alive);
	}
	struct unix_msg *hit = NULL, **tail = &hit;
	for (struct unix_sock *c = cands; c; c = c->gc_cand_next) {
		if (c->gc_alive)
			continue;
		take_queue(c, &tail);
		for (struct unix_sock *e = c->acq_head; e; e = e->acq_next)
			take_queue(e, &tail);
	}
	for (struct unix_sock *c = cands; c; c = c->gc_cand_next)
		c->gc_candidate = c->gc_alive = false;
	if (hit)
		wake_up(&unix_dgram_wait);
	return hit;
}

void unix_gc(void)
{
	mutex_lock(&unix_lock);
	if (gc_running) {
		gc_again = true;   /* called while freeing: the loop below */
		mutex_unlock(&unix_lock);
		return;
	}
	gc_running = true;
	for (int pass = 0; pass < GC_PASSES; pass++) {
		gc_again = false;
		struct unix_msg *hit = collect();
		if (!hit)
			break;
		unix_msgs_free_unlocked(hit);
		if (!gc_again)
			break;
	}
	gc_running = false;
	mutex_unlock(&unix_lock);
}

void unix_gc_throttle(void)
{
	if (READ_ONCE(gc_total) > UNIX_GC_TRIGGER)
		unix_gc();
}
