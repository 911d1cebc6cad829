/*
 * kernel/net/tcp_sock.c - AF_INET SOCK_STREAM sockets over the TCP core
 * (net/tcp.h): the proto_ops af_inet.c installs for TCP.
 *
 * s->sk is the struct tcp_pcb; the socket holds the "owner" reference.
 * Blocking calls sleep on pcb->wq without tcp_lock and re-check. On
 * close the pcb becomes an orphan that finishes the connection on its
 * own (FIN, retransmissions, TIME_WAIT) and is freed by the core; unread
 * data at close, or SO_LINGER with a zero time, aborts with a RST
 * instead (RFC 2525 2.17, as Linux). SO_LINGER with a time makes close
 * wait until the FIN is acknowledged or the time is up.
 */
#include "net/inet.h"
#include "net/tcp.h"
#include "ktime.h"
#include "mm.h"
#include "poll.h"
#include "task.h"
#include "uaccess.h"

#define IPPROTO_TCP_LEVEL 6
#define TCP_NODELAY 1
#define TCP_MAXSEG 2
#define TCP_CORK 3
#define TCP_KEEPIDLE 4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT 6
#define FIONREAD 0x541B
#define SIOCOUTQ 0x5411
#define POLLRDHUP 0x2000

static uint32_t buf_size(int sockval)
{
	if (sockval == SOCK_DEFAULT_BUF)
		return TCP_BUF_DEFAULT;   /* not set by the user */
	return (uint32_t)MIN(MAX(sockval, 4096), TCP_BUF_MAX);
}

static struct tcp_pcb *pcb_of(struct socket *s)
{
	return s->sk;
}

/* Wait, without tcp_lock, until cond; returns 0 or the errno to give. */
#define tcp_wait(pcb, cond, deadline)                                       \
	({                                                                  \
		mutex_unlock(&tcp_lock);                                    \
		int r_ = wait_event_interruptible_timeout(&(pcb)->wq, (cond), \
		                                          (deadline));      \
		mutex_lock(&tcp_lock);                                      \
		sock_wait_err(r_);                                          \
	})

static void tcp_release(struct socket *s)
{
	struct tcp_pcb *pcb = pcb_of(s);
	mutex_lock(&tcp_lock);
	pcb->owner = NULL;
	pcb->orphan = true;
	bool abort = pcb->rb_len > 0 || (s->linger.l_onoff && s->linger.l_linger == 0);
	switch (pcb->state) {
	case TCP_CLOSED:
		tcp_list_del(pcb);
		break;
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		tcp_set_closed(pcb, 0);
		break;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		if (abort) {
			tcp_send_rst_for(pcb);
			tcp_set_closed(pcb, 0);
			break;
		}
		tcp_shutdown_wr(pcb);
		if (s->linger.l_onoff && s->linger.l_linger > 0) {
			uint64_t dl = time_ns() + (uint64_t)s->linger.l_linger * 1000000000ull;
			tcp_wait(pcb, READ_ONCE(pcb->fin_acked) ||
			         READ_ONCE(pcb->state) == TCP_CLOSED, dl);
		}
		break;
	case TCP_FIN_WAIT_2:
		tcp_arm_fin_wait2(pcb);
		break;
	case TCP_TIME_WAIT:
		tcp_trim_time_wait(pcb);   /* nobody reads the ring now */
		break;
	default:
		break;
	}
	tcp_pcb_put(pcb);
	mutex_unlock(&tcp_lock);
	s->sk = NULL;
}

static int tcp_bind(struct socket *s, const struct sockaddr_storage *a, int len)
{
	in_addr_be addr;
	uint16_t port;
	int err = inet_addr_from(a, len, &addr, &port);
	if (err)
		return err;
	if (addr && addr != htonl(0x7f000001) && !ip_addr_is_local(addr))
		return -EADDRNOTAVAIL;
	if (port && ntohs(port) < 1024 && current->cred.euid != 0)
		return -EACCES;
	struct tcp_pcb *pcb = pcb_of(s);
	mutex_lock(&tcp_lock);
	if (pcb->lport || pcb->state != TCP_CLOSED) {
		err = -EINVAL;
	} else {
		err = tcp_bind_port(pcb, addr, port, s->reuseaddr);
		if (!err)
			tcp_list_add(pcb);
	}
	mutex_unlock(&tcp_lock);
	return err;
}

static int tcp_listen(struct socket *s, int backlog)
{
	struct tcp_pcb *pcb = pcb_of(s);
	int err = 0;
	mutex_lock(&tcp_lock);
	if (pcb->state != TCP_CLOSED && pcb->state != TCP_LISTEN) {
		err = -EINVAL;
	} else if (!pcb->lport && (err = tcp_bind_port(pcb, 0, 0, false)) != 0) {
		/* no port left */
	} else {
		pcb->keepalive = s->keepalive;
		pcb->rcv_autotune = s->rcvbuf == SOCK_DEFAULT_BUF;
		pcb->snd_autotune = s->sndbuf == SOCK_DEFAULT_BUF;
		tcp_listen_start(pcb, backlog, buf_size(s->rcvbuf), buf_size(s->sndbuf));
	}
	mutex_unlock(&tcp_lock);
	return err;
}

static int tcp_accept(struct socket *s, struct socket *ns, bool nonblock)
{
	struct tcp_pcb *l = pcb_of(s);
	int err = 0;
	mutex_lock(&tcp_lock);
	for (;;) {
		if (l->state != TCP_LISTEN) {
			err = -EINVAL;
			break;
		}
		if (l->acq_head)
			break;
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		err = tcp_wait(l, READ_ONCE(l->acq_head) != NULL ||
		               READ_ONCE(l->state) != TCP_LISTEN, sock_rcv_deadline(s));
		if (err)
			break;
	}
	if (!err) {
		struct tcp_pcb *c = tcp_accept_child(l);
		c->owner = ns;         /* the queue's reference becomes the owner's */
		ns->sk = c;
	}
	mutex_unlock(&tcp_lock);
	return err;
}

static int tcp_connect(struct socket *s, const struct sockaddr_storage *a,
                       int len, bool nonblock)
{
	in_addr_be dst, src;
	uint16_t port;
	unsigned mtu;
	int err = inet_addr_from(a, len, &dst, &port);
	if (err)
		return err;
	if (!dst)
		dst = htonl(0x7f000001);   /* Linux: INADDR_ANY means this host */
	if (!port)
		return -ECONNREFUSED;
	uint32_t hd = ntohl(dst);
	if (hd == 0xffffffff || (hd >> 28) == 14)
		return -ENETUNREACH;
	struct tcp_pcb *pcb = pcb_of(s);
	mutex_lock(&tcp_lock);
	switch (pcb->state) {
	case TCP_CLOSED:
		break;
	case TCP_SYN_SENT:
		err = nonblock ? -EALREADY : 0;
		goto wait;
	case TCP_LISTEN:
		err = -EINVAL;
		goto out;
	default:
		err = -EISCONN;
		goto out;
	}
	if (pcb->faddr) {
		err = -EISCONN;   /* a connection that ended is not reused */
		goto out;
	}
	err = ip_route_lookup(dst, &src, &mtu);
	if (err)
		goto out;
	if (ip_addr_is_local(dst) && (hd >> 24) == 127)
		src = dst;
	if (!pcb->lport) {
		err = tcp_bind_port(pcb, src, 0, false);
		if (err)
			goto out;
	}
	if (!pcb->laddr)
		pcb->laddr = src;
	pcb->keepalive = s->keepalive;
	pcb->rcv_autotune = s->rcvbuf == SOCK_DEFAULT_BUF;
	pcb->snd_autotune = s->sndbuf == SOCK_DEFAULT_BUF;
	err = tcp_connect_start(pcb, dst, port, buf_size(s->rcvbuf), buf_size(s->sndbuf));
	if (err)
		goto out;
	if (nonblock) {
		err = -EINPROGRESS;
		goto out;
	}
wait:
	if (!err) {
		err = tcp_wait(pcb, READ_ONCE(pcb->state) != TCP_SYN_SENT,
		               sock_snd_deadline(s));
		if (!err && pcb->state == TCP_CLOSED) {
			err = -pcb->err;
			pcb->err = 0;
			if (!err)
				err = -ECONNREFUSED;
		}
	}
out:
	mutex_unlock(&tcp_lock);
	return err;
}

static int tcp_getname(struct socket *s, struct sockaddr_storage *a, int *len,
                       bool peer)
{
	struct tcp_pcb *pcb = pcb_of(s);
	int err = 0;
	mutex_lock(&tcp_lock);
	if (peer) {
		if (pcb->state == TCP_CLOSED || pcb->state == TCP_LISTEN ||
		    pcb->state == TCP_SYN_SENT)
			err = -ENOTCONN;
		else
			inet_addr_to(a, len, pcb->faddr, pcb->fport);
	} else {
		inet_addr_to(a, len, pcb->laddr, pcb->lport);
	}
	mutex_unlock(&tcp_lock);
	return err;
}

/* Why this connection cannot send now (0: it can). */
static int send_error(struct tcp_pcb *pcb)
{
	if (pcb->err && pcb->state == TCP_CLOSED) {
		int e = pcb->err;
		pcb->err = 0;
		return -e;
	}
	switch (pcb->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		return pcb->fin_queued ? -EPIPE : 0;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		return 0;
	case TCP_CLOSED:
	case TCP_LISTEN:
		return pcb->faddr ? -EPIPE : -ENOTCONN;
	default:
		return -EPIPE;
	}
}

/* Room enough in the send ring to wake a blocked writer. */
static bool wspace_ok(struct tcp_pcb *pcb)
{
	uint32_t size = READ_ONCE(pcb->sb_size), len = READ_ONCE(pcb->sb_len);
	return len < size && size - len >= size / 3;
}

static ssize_t tcp_sendmsg(struct socket *s, struct sock_msg *m, int flags)
{
	struct tcp_pcb *pcb = pcb_of(s);
	uint64_t deadline = sock_snd_deadline(s);
	size_t done = 0;
	int err = 0;
	mutex_lock(&tcp_lock);
	for (;;) {
		err = send_error(pcb);
		if (err)
			break;
		if (pcb->state >= TCP_ESTABLISHED && done < m->len) {
			uint32_t want = (uint32_t)MIN(m->len - done, 0x7fffffffu);
			long n = m->ufetch ? tcp_sbuf_fetch(pcb, m->ufetch, m->uit, want)
			                   : tcp_sbuf_write(pcb, (char *)m->buf + done, want);
			if (n < 0) {
				err = (int)n;
				break;
			}
			done += (size_t)n;
			if (n)
				tcp_output(pcb);
		}
		if (done == m->len)
			break;
		/* The ring is full: a ring that holds the sender back grows. */
		if (s->sndbuf != SOCK_DEFAULT_BUF)
			pcb->snd_autotune = false;   /* SO_SNDBUF set since */
		if (pcb->state >= TCP_ESTABLISHED) {
			uint32_t size = pcb->sb_size;
			tcp_sndbuf_expand(pcb);
			if (pcb->sb_size != size)
				continue;
		}
		if (flags & MSG_DONTWAIT) {
			err = -EAGAIN;
			break;
		}
		/* Sleep until a third of the ring is free (Linux's
		 * sk_stream_write_space), not for every ACK's few segments:
		 * fewer wake-ups, and bigger pieces for tcp_output(). */
		err = tcp_wait(pcb, wspace_ok(pcb) ||
		               (READ_ONCE(pcb->state) != TCP_ESTABLISHED &&
		                READ_ONCE(pcb->state) != TCP_CLOSE_WAIT &&
		                READ_ONCE(pcb->state) != TCP_SYN_SENT), deadline);
		if (err)
			break;
	}
	mutex_unlock(&tcp_lock);
	return done ? (ssize_t)done : err;
}

static ssize_t tcp_recvmsg(struct socket *s, struct sock_msg *m, int flags)
{
	struct tcp_pcb *pcb = pcb_of(s);
	uint64_t deadline = sock_rcv_deadline(s);
	ssize_t r;
	m->addrlen = 0;
	mutex_lock(&tcp_lock);
	for (;;) {
		if (pcb->rb_len > 0 && m->len > 0) {
			uint32_t n = (uint32_t)MIN(m->len, 0x7fffffffu);
			if (m->ucopy) {   /* straight to the user (recv_ucopy) */
				r = tcp_rbuf_copy_out(pcb, m->ucopy, m->uit, n, flags & MSG_PEEK);
				m->ucopied = true;
			} else {
				r = tcp_rbuf_read(pcb, m->buf, n, flags & MSG_PEEK);
			}
			if (r > 0 && !(flags & MSG_PEEK)) {
				/* SO_RCVBUF set since: the owner's size holds. */
				if (s->rcvbuf != SOCK_DEFAULT_BUF)
					pcb->rcv_autotune = false;
				tcp_rcv_space_adjust(pcb, (uint32_t)r);
				tcp_window_update(pcb);
			}
			break;
		}
		if (pcb->err && pcb->state == TCP_CLOSED) {
			r = -pcb->err;
			if (flags & MSG_KEEPERR)
				r = -EAGAIN;   /* for the next call */
			else
				pcb->err = 0;
			break;
		}
		if (pcb->fin_rcvd || pcb->rd_shut || m->len == 0 ||
		    (pcb->state == TCP_CLOSED && pcb->faddr)) {
			r = 0;
			break;
		}
		if (pcb->state == TCP_CLOSED || pcb->state == TCP_LISTEN) {
			r = -ENOTCONN;
			break;
		}
		if (flags & MSG_DONTWAIT) {
			r = -EAGAIN;
			break;
		}
		r = tcp_wait(pcb, READ_ONCE(pcb->rb_len) > 0 || READ_ONCE(pcb->fin_rcvd) ||
		             READ_ONCE(pcb->rd_shut) || READ_ONCE(pcb->state) == TCP_CLOSED,
		             deadline);
		if (r)
			break;
	}
	mutex_unlock(&tcp_lock);
	return r;
}

static int tcp_shutdown(struct socket *s, int how)
{
	struct tcp_pcb *pcb = pcb_of(s);
	int err = 0;
	mutex_lock(&tcp_lock);
	if (pcb->state == TCP_CLOSED || pcb->state == TCP_LISTEN ||
	    pcb->state == TCP_SYN_SENT) {
		err = -ENOTCONN;
		if (pcb->state == TCP_LISTEN && how != SHUT_WR) {
			tcp_set_closed(pcb, 0);   /* Linux: wakes accept() */
			err = 0;
		}
		goto out;
	}
	if (how != SHUT_WR)
		pcb->rd_shut = true;
	if (how != SHUT_RD)
		tcp_shutdown_wr(pcb);
	wake_up(&pcb->wq);
out:
	mutex_unlock(&tcp_lock);
	return err;
}

static unsigned tcp_poll(struct socket *s, wait_queue_t *wq[2])
{
	struct tcp_pcb *pcb = pcb_of(s);
	if (wq)
		wq[0] = wq[1] = &pcb->wq;
	unsigned ev = 0;
	mutex_lock(&tcp_lock);
	switch (pcb->state) {
	case TCP_LISTEN:
		if (pcb->acq_head)
			ev |= POLLIN | POLLRDNORM;
		break;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		break;
	case TCP_CLOSED:
		ev |= POLLOUT | POLLWRNORM | POLLHUP;
		if (pcb->faddr)
			ev |= POLLIN | POLLRDNORM | POLLRDHUP;
		break;
	default:
		if (pcb->rb_len || pcb->fin_rcvd || pcb->rd_shut)
			ev |= POLLIN | POLLRDNORM;
		if (pcb->fin_rcvd || pcb->rd_shut)
			ev |= POLLRDHUP;
		if (pcb->fin_queued && (pcb->fin_rcvd || pcb->state == TCP_TIME_WAIT))
			ev |= POLLHUP;
		if (pcb->fin_queued ||
		    pcb->sb_size - pcb->sb_len >= MAX(pcb->sb_size / 4, 1u))
			ev |= POLLOUT | POLLWRNORM;
	}
	if (pcb->err)
		ev |= POLLERR;
	mutex_unlock(&tcp_lock);
	return ev;
}

static int get_int(const void *val, unsigned len, int *v)
{
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(v, val, sizeof(int));
	return 0;
}

static int tcp_setsockopt(struct socket *s, int level, int name,
                          const void *val, unsigned len)
{
	struct tcp_pcb *pcb = pcb_of(s);
	int v = 0, err = 0;
	if (level == SOL_SOCKET) {
		mutex_lock(&tcp_lock);
		if (name == SO_KEEPALIVE) {
			pcb->keepalive = s->keepalive;
			tcp_arm_keepalive(pcb);
		}
		mutex_unlock(&tcp_lock);
		return -ENOPROTOOPT;   /* socket.c has stored it */
	}
	if (level != IPPROTO_TCP_LEVEL && level != IPPROTO_IP)
		return -ENOPROTOOPT;
	err = get_int(val, len, &v);
	if (err)
		return err;
	mutex_lock(&tcp_lock);
	if (level == IPPROTO_IP) {
		if (name == IP_TTL) {
			if (v == -1)
				pcb->ttl = 0;
			else if (v < 1 || v > 255)
				err = -EINVAL;
			else
				pcb->ttl = (uint8_t)v;
		} else if (name != IP_TOS) {
			err = -ENOPROTOOPT;
		}
		goto out;
	}
	switch (name) {
	case TCP_NODELAY:
		pcb->nodelay = v != 0;
		if (pcb->nodelay)
			tcp_output(pcb);
		break;
	case TCP_CORK:
		break;
	case TCP_MAXSEG:
		if (v < 88 || v > 65495)
			err = -EINVAL;
		else if (pcb->state == TCP_CLOSED || (uint16_t)v < pcb->mss)
			pcb->mss = (uint16_t)v;
		break;
	case TCP_KEEPIDLE: case TCP_KEEPINTVL: case TCP_KEEPCNT:
		if (v < 1 || v > 32767) {
			err = -EINVAL;
			break;
		}
		if (name == TCP_KEEPIDLE)
			pcb->keep_idle_s = (uint32_t)v;
		else if (name == TCP_KEEPINTVL)
			pcb->keep_intvl_s = (uint32_t)v;
		else
			pcb->keep_cnt = (uint32_t)v;
		break;
	default:
		err = -ENOPROTOOPT;
	}
out:
	mutex_unlock(&tcp_lock);
	return err;
}

static int tcp_getsockopt(struct socket *s, int level, int name, void *val,
                          unsigned *len)
{
	struct tcp_pcb *pcb = pcb_of(s);
	int v, err = 0;
	mutex_lock(&tcp_lock);
	if (level == SOL_SOCKET && name == SO_SNDBUF) {
		/* Not set: the ring's size, which auto-tuning grows; set:
		 * the doubled value (socket.c), as Linux reports both. */
		if (s->sndbuf != SOCK_DEFAULT_BUF)
			v = s->sndbuf;
		else
			v = (int)(pcb->sbuf ? pcb->sb_size : TCP_BUF_DEFAULT);
	} else if (level == SOL_SOCKET && name == SO_ERROR) {
		v = pcb->err;
		pcb->err = 0;
	} else if (level == SOL_SOCKET && name == SO_ACCEPTCONN) {
		v = pcb->state == TCP_LISTEN;
	} else if (level == IPPROTO_IP && name == IP_TTL) {
		v = pcb->ttl ? pcb->ttl : IP_DEFAULT_TTL;
	} else if (level == IPPROTO_TCP_LEVEL) {
		switch (name) {
		case TCP_NODELAY: v = pcb->nodelay; break;
		case TCP_MAXSEG: v = pcb->mss; break;
		case TCP_CORK: v = 0; break;
		case TCP_KEEPIDLE: v = (int)pcb->keep_idle_s; break;
		case TCP_KEEPINTVL: v = (int)pcb->keep_intvl_s; break;
		case TCP_KEEPCNT: v = (int)pcb->keep_cnt; break;
		default: err = -ENOPROTOOPT;
		}
	} else {
		err = -ENOPROTOOPT;
	}
	mutex_unlock(&tcp_lock);
	if (!err) {
		*len = MIN(*len, (unsigned)sizeof(int));
		memcpy(val, &v, *len);
	}
	return err;
}

static long tcp_ioctl(struct socket *s, unsigned cmd, uint64_t arg)
{
	struct tcp_pcb *pcb = pcb_of(s);
	if (cmd != FIONREAD && cmd != SIOCOUTQ)
		return inet_ioctl(s, cmd, arg);
	mutex_lock(&tcp_lock);
	int v = (int)(cmd == FIONREAD ? pcb->rb_len : pcb->sb_len);
	mutex_unlock(&tcp_lock);
	return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static const struct proto_ops tcp_ops = {
	.family = AF_INET,
	.release = tcp_release,
	.bind = tcp_bind,
	.connect = tcp_connect,
	.listen = tcp_listen,
	.accept = tcp_accept,
	.getname = tcp_getname,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.recv_ucopy = true,
	.send_ucopy = true,
	.shutdown = tcp_shutdown,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.poll = tcp_poll,
	.ioctl = tcp_ioctl,
};

int tcp_sock_create(struct socket *s, int protocol __unused)
{
	struct tcp_pcb *pcb = tcp_pcb_new();
	if (!pcb)
		return -ENOMEM;
	pcb->owner = s;
	pcb->uid = current->cred.euid;
	s->sk = pcb;
	s->ops = &tcp_ops;
	return 0;
}
