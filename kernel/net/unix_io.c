/*
 * kernel/net/unix_io.c - moving data over AF_UNIX sockets.
 *
 * A sender copies its bytes into a struct unix_msg and appends it to the
 * RECEIVER's queue, so nothing is buffered on the sending side.
 *
 * Stream: at most the sender's SO_SNDBUF bytes wait in the peer's queue;
 * a writer sleeps on its own wait queue, which the reader wakes after
 * taking data. A read takes bytes across messages and stops after one
 * carrying SCM_RIGHTS, so one read never returns two sets of descriptors
 * (Linux's rule).
 *
 * Datagram: each send is one message for the receiver's queue (at most
 * UNIX_DGRAM_QLEN messages and SO_RCVBUF bytes, else the sender waits on
 * unix_dgram_wait); a read takes one message, truncating (MSG_TRUNC).
 * Sending to a socket connected to somebody else is EPERM; to a closed
 * peer ECONNREFUSED.
 *
 * file_put() of a passed descriptor may close another AF_UNIX socket,
 * which needs unix_lock: such files are collected and put after the lock
 * is dropped. Every message's AF_UNIX files are counted in flight
 * (unix_inflight) from enqueue() until they leave the queue, for the
 * collector in unix_gc.c.
 */
#include "af_unix.h"
#include "mm.h"

struct put_list {
	struct file **fds;
	int nfds;
};

static void put_later(struct put_list *pl, struct unix_msg *msg)
{
	/* At most one message's files per call: the callers stop after it. */
	unix_inflight(msg, -1);
	pl->fds = msg->fds;
	pl->nfds = msg->nfds;
	msg->fds = NULL;
	msg->nfds = 0;
}

static void put_now(struct put_list *pl)
{
	for (int i = 0; i < pl->nfds; i++)
		file_put(pl->fds[i]);
	kfree(pl->fds);
}

/* Hand the message's files to the receiver, or drop them (later) when it
 * gave no room for control data (then MSG_CTRUNC). */
static void take_fds(struct unix_msg *msg, struct sock_msg *m, bool peek,
                     struct put_list *pl)
{
	if (!msg->nfds)
		return;
	if (!m->want_fds || m->fds) {
		m->msg_flags |= MSG_CTRUNC;
		if (!peek)
			put_later(pl, msg);
		return;
	}
	if (peek) {
		m->fds = kmalloc(sizeof(struct file *) * (size_t)msg->nfds);
		if (!m->fds) {
			m->msg_flags |= MSG_CTRUNC;
			return;
		}
		for (int i = 0; i < msg->nfds; i++) {
			file_get(msg->fds[i]);
			m->fds[i] = msg->fds[i];
		}
		m->nfds = msg->nfds;
		return;
	}
	unix_inflight(msg, -1);
	m->fds = msg->fds;
	m->nfds = msg->nfds;
	msg->fds = NULL;
	msg->nfds = 0;
}

static struct unix_msg *msg_new(const void *data, size_t len,
                                const struct sock_msg *m)
{
	struct unix_msg *msg = kzalloc(sizeof(*msg) + len);
	if (!msg)
		return NULL;
	memcpy(msg->data, data, len);
	msg->len = len;
	if (m && m->nfds) {
		msg->fds = kmalloc(sizeof(struct file *) * (size_t)m->nfds);
		if (!msg->fds) {
			kfree(msg);
			return NULL;
		}
		for (int i = 0; i < m->nfds; i++) {
			file_get(m->fds[i]);
			msg->fds[i] = m->fds[i];
		}
		msg->nfds = m->nfds;
	}
	return msg;
}

static void enqueue(struct unix_sock *t, struct unix_msg *msg)
{
	if (t->rq_tail)
		t->rq_tail->next = msg;
	else
		t->rq_head = msg;
	t->rq_tail = msg;
	t->rq_bytes += msg->len;
	t->rq_count++;
	unix_inflight(msg, 1);
	wake_up(&t->wq);
}

static void dequeue_head(struct unix_sock *u)
{
	struct unix_msg *msg = u->rq_head;
	u->rq_head = msg->next;
	if (!u->rq_head)
		u->rq_tail = NULL;
	u->rq_count--;
}

/* ---- stream ---- */

static int stream_send_err(struct unix_sock *u)
{
	if (u->state != US_CONNECTED)
		return u->dead ? -EPIPE : -ENOTCONN;
	if ((u->shutdown & SEND_SHUTDOWN) || !u->peer || u->peer->dead ||
	    (u->peer->shutdown & RCV_SHUTDOWN))
		return -EPIPE;
	return 0;
}

ssize_t unix_stream_sendmsg(struct socket *s, struct sock_msg *m, int flags)
{
	struct unix_sock *u = s->sk;
	if (m->addr) {
		mutex_lock(&unix_lock);
		int connected = u->state == US_CONNECTED;
		mutex_unlock(&unix_lock);
		return connected ? -EISCONN : -EOPNOTSUPP;
	}
	if (m->nfds)
		unix_gc_throttle();
	uint64_t deadline = sock_snd_deadline(s);
	size_t done = 0;
	bool first = true;
	mutex_lock(&unix_lock);
	for (;;) {
		int err = stream_send_err(u);
		if (err) {
			mutex_unlock(&unix_lock);
			return done ? (ssize_t)done : err;
		}
		if (done == m->len && !first)
			break;
		if (m->len == 0)
			break;
		struct unix_sock *p = u->peer;
		size_t limit = (size_t)s->sndbuf;
		if (p->rq_bytes >= limit) {
			mutex_unlock(&unix_lock);
			if (done)
				return (ssize_t)done;
			if (flags & MSG_DONTWAIT)
				return -EAGAIN;
			err = wait_event_interruptible_timeout(&u->wq,
			        stream_send_err(u) != 0 ||
			        READ_ONCE(u->peer->rq_bytes) < limit, deadline);
			if (err)
				return sock_wait_err(err);
			mutex_lock(&unix_lock);
			continue;
		}
		size_t n = MIN(m->len - done, limit - p->rq_bytes);
		struct unix_msg *msg = msg_new((char *)m->buf + done, n,
		                               first ? m : NULL);
		if (!msg) {
			mutex_unlock(&unix_lock);
			return done ? (ssize_t)done : -ENOBUFS;
		}
		enqueue(p, msg);
		done += n;
		first = false;
	}
	mutex_unlock(&unix_lock);
	return (ssize_t)done;
}

ssize_t unix_stream_recvmsg(struct socket *s, struct sock_msg *m, int flags)
{
	struct unix_sock *u = s->sk;
	bool peek = flags & MSG_PEEK;
	uint64_t deadline = sock_rcv_deadline(s);
	struct put_list pl = { 0 };
	m->addrlen = 0;
	mutex_lock(&unix_lock);
	for (;;) {
		if (u->state == US_LISTENING ||
		    (u->state == US_UNCONNECTED && !u->dead)) {
			mutex_unlock(&unix_lock);
			return -EINVAL;
		}
		if (u->rq_head)
			break;
		if (u->err) {
			int e = u->err;
			if (flags & MSG_KEEPERR) {
				mutex_unlock(&unix_lock);
				return -EAGAIN;   /* for the next call */
			}
			u->err = 0;
			mutex_unlock(&unix_lock);
			return -e;
		}
		if ((u->shutdown & RCV_SHUTDOWN) || m->len == 0) {
			mutex_unlock(&unix_lock);
			return 0;
		}
		mutex_unlock(&unix_lock);
		if (flags & MSG_DONTWAIT)
			return -EAGAIN;
		int err = wait_event_interruptible_timeout(&u->wq,
		        READ_ONCE(u->rq_head) || READ_ONCE(u->err) ||
		        (READ_ONCE(u->shutdown) & RCV_SHUTDOWN), deadline);
		if (err)
			return sock_wait_err(err);
		mutex_lock(&unix_lock);
	}
	if (u->peer && u->peer->addrlen && m->addr) {
		memcpy(m->addr, &u->peer->addr, (size_t)u->peer->addrlen);
		m->addrlen = u->peer->addrlen;
	}
	size_t copied = 0;
	struct unix_msg *msg = u->rq_head;
	while (msg && copied < m->len) {
		bool had_fds = msg->nfds != 0;
		take_fds(msg, m, peek, &pl);
		size_t n = MIN(m->len - copied, msg->len - msg->off);
		memcpy((char *)m->buf + copied, msg->data + msg->off, n);
		copied += n;
		struct unix_msg *next = msg->next;
		if (!peek) {
			msg->off += n;
			u->rq_bytes -= n;
			if (msg->off == msg->len) {
				dequeue_head(u);
				unix_msg_free(msg);
			}
		}
		if (had_fds)
			break;
		msg = next;
	}
	if (!peek && u->peer)
		wake_up(&u->peer->wq);
	mutex_unlock(&unix_lock);
	put_now(&pl);
	return (ssize_t)copied;
}

/* ---- datagram ---- */

ssize_t unix_dgram_sendmsg(struct socket *s, struct sock_msg *m, int flags)
{
	struct unix_sock *u = s->sk, *t;
	if (m->len + 32 > (size_t)s->sndbuf)
		return -EMSGSIZE;
	if (m->nfds)
		unix_gc_throttle();
	if (m->addr) {
		int err = unix_find(m->addr, m->addrlen, SOCK_DGRAM, &t);
		if (err)
			return err;
		mutex_lock(&unix_lock);
	} else {
		mutex_lock(&unix_lock);
		t = u->peer;
		if (!t) {
			mutex_unlock(&unix_lock);
			return -ENOTCONN;
		}
		t->refs++;
	}
	int err = 0;
	struct unix_msg *msg = msg_new(m->buf, m->len, m);
	if (!msg) {
		err = -ENOBUFS;
		goto out;
	}
	memcpy(&msg->from, &u->addr, sizeof(msg->from));
	msg->fromlen = u->addrlen;
	uint64_t deadline = sock_snd_deadline(s);
	for (;;) {
		if (u->shutdown & SEND_SHUTDOWN) {
			err = -EPIPE;
			break;
		}
		if (t->dead) {
			err = -ECONNREFUSED;
			break;
		}
		if (t->peer && t->peer != u) {
			err = -EPERM;
			break;
		}
		if (t->rq_count < UNIX_DGRAM_QLEN &&
		    (t->rq_count == 0 || t->rq_bytes + m->len <= (size_t)t->rcvbuf)) {
			enqueue(t, msg);
			msg = NULL;
			break;
		}
		mutex_unlock(&unix_lock);
		if (flags & MSG_DONTWAIT) {
			err = -EAGAIN;
		} else {
			err = wait_event_interruptible_timeout(&unix_dgram_wait,
			        READ_ONCE(t->dead) ||
			        READ_ONCE(t->rq_count) < UNIX_DGRAM_QLEN, deadline);
			err = sock_wait_err(err);
		}
		mutex_lock(&unix_lock);
		if (err)
			break;
	}
out:
	unix_put(t);
	mutex_unlock(&unix_lock);
	if (msg)
		unix_msg_free(msg);
	return err ? err : (ssize_t)m->len;
}

ssize_t unix_dgram_recvmsg(struct socket *s, struct sock_msg *m, int flags)
{
	struct unix_sock *u = s->sk;
	bool peek = flags & MSG_PEEK;
	uint64_t deadline = sock_rcv_deadline(s);
	struct put_list pl = { 0 };
	mutex_lock(&unix_lock);
	for (;;) {
		if (u->rq_head)
			break;
		if (u->err) {
			int e = u->err;
			u->err = 0;
			mutex_unlock(&unix_lock);
			return -e;
		}
		if (u->shutdown & RCV_SHUTDOWN) {
			mutex_unlock(&unix_lock);
			return 0;
		}
		mutex_unlock(&unix_lock);
		if (flags & MSG_DONTWAIT)
			return -EAGAIN;
		int err = wait_event_interruptible_timeout(&u->wq,
		        READ_ONCE(u->rq_head) || READ_ONCE(u->err) ||
		        (READ_ONCE(u->shutdown) & RCV_SHUTDOWN), deadline);
		if (err)
			return sock_wait_err(err);
		mutex_lock(&unix_lock);
	}
	struct unix_msg *msg = u->rq_head;
	size_t n = MIN(m->len, msg->len);
	memcpy(m->buf, msg->data, n);
	if (msg->len > m->len)
		m->msg_flags |= MSG_TRUNC;
	if (m->addr && msg->fromlen)
		memcpy(m->addr, &msg->from, (size_t)msg->fromlen);
	m->addrlen = msg->fromlen;
	take_fds(msg, m, peek, &pl);
	size_t full = msg->len;
	if (!peek) {
		dequeue_head(u);
		u->rq_bytes -= msg->len;
		unix_msg_free(msg);
		wake_up(&unix_dgram_wait);
	}
	mutex_unlock(&unix_lock);
	put_now(&pl);
	return (flags & MSG_TRUNC) ? (ssize_t)full : (ssize_t)n;
}
