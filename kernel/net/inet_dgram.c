/*
 * kernel/net/inet_dgram.c - AF_INET datagram sockets: UDP
 * (SOCK_DGRAM, IPPROTO_UDP) and ICMP echo "ping" sockets (SOCK_DGRAM,
 * IPPROTO_ICMP), which share everything but the header and the
 * demultiplexing.
 *
 * Receive: the protocol's input path (on netrxd) queues the packet -
 * still holding its IP and transport headers, so the sender's address is
 * read from them at recvmsg time - on the socket, up to its receive
 * buffer size (beyond that datagrams are dropped and counted, as Linux
 * does), and wakes the socket's wait queue.
 *
 * Ping sockets work as Linux's do: the user writes an ICMP echo request
 * (type 8, any id), the kernel puts the socket's identifier (its "port",
 * chosen at bind or first send) in the id field and computes the
 * checksum; replies with that id are queued whole from the ICMP header on.
 *
 * Errors from ICMP (port unreachable, host unreachable) are reported, as
 * on Linux, only to connected sockets: the next send or receive returns
 * them once (and SO_ERROR shows them).
 */
#include "net/inet.h"
#include "net/ip_hdr.h"
#include "net/udp.h"
#include "mm.h"
#include "poll.h"
#include "task.h"
#include "ktime.h"
#include "random.h"
#include "uaccess.h"

#define UDP_MAX_PAYLOAD (65535 - IP_HLEN - 8)
#define SO_BINDTODEVICE 25

struct inet_dgram {
	struct socket *s;
	int proto;                 /* IPPROTO_UDP or IPPROTO_ICMP */
	struct udp_pcb pcb;        /* addresses/ports; ping: lport = ident */
	spinlock_t lock;           /* rxq, err */
	wait_queue_t wq;
	struct pkt_queue rxq;
	int err;                   /* pending asynchronous error */
	int ttl;                   /* 0: default */
	bool shut_rd, shut_wr;
	struct inet_dgram *next;   /* ping sockets list */
};

static struct inet_dgram *pings;
static spinlock_t ping_lock = SPINLOCK_INIT("ping");

/* ---- receive side (netrxd) ---- */

static void queue_rx(struct inet_dgram *d, struct pkt *p)
{
	size_t limit = d->s->rcvbuf > 0 ? (size_t)d->s->rcvbuf * 2 : SOCK_DEFAULT_BUF;

	spin_lock(&d->lock);
	if (d->shut_rd || d->rxq.bytes + p->len > limit) {
		d->pcb.drops++;
		spin_unlock(&d->lock);
		pkt_free(p);
		return;
	}
	pktq_push(&d->rxq, p);
	d->pcb.rx_queued = d->rxq.bytes;
	spin_unlock(&d->lock);
	wake_up(&d->wq);
}

static void udp_recv_cb(struct udp_pcb *pcb, struct pkt *p, in_addr_be src __unused,
                        uint16_t sport __unused, in_addr_be dst __unused)
{
	queue_rx(pcb->owner, p);
}

static void set_err(struct inet_dgram *d, int err)
{
	if (!d->pcb.faddr)
		return;   /* unconnected: Linux ignores ICMP errors too */
	spin_lock(&d->lock);
	d->err = err;
	spin_unlock(&d->lock);
	wake_up(&d->wq);
}

static void udp_err_cb(struct udp_pcb *pcb, int err)
{
	set_err(pcb->owner, err);
}

static struct inet_dgram *ping_find(uint16_t ident, in_addr_be local)
{
	for (struct inet_dgram *d = pings; d; d = d->next)
		if (d->pcb.lport == ident &&
		    (!d->pcb.laddr || d->pcb.laddr == local))
			return d;
	return NULL;
}

void ping_input(struct pkt *p, in_addr_be src __unused, in_addr_be dst)
{
	struct icmp_hdr *ic = (struct icmp_hdr *)p->data;
	struct inet_dgram *d;

	if (p->len < 8) {
		pkt_free(p);
		return;
	}
	spin_lock(&ping_lock);
	d = ping_find(ic->echo.id, dst);
	if (d)
		queue_rx(d, p);   /* takes d->lock inside ping_lock */
	spin_unlock(&ping_lock);
	if (!d)
		pkt_free(p);
}

void ping_icmp_error(in_addr_be src, in_addr_be dst __unused,
                     const uint8_t *hdr, size_t len, int err)
{
	const struct icmp_hdr *ic = (const struct icmp_hdr *)hdr;
	struct inet_dgram *d;

	if (len < 8 || ic->type != ICMP_ECHO)
		return;
	spin_lock(&ping_lock);
	d = ping_find(ic->echo.id, src);
	if (d)
		set_err(d, err);
	spin_unlock(&ping_lock);
}

/* ---- binding ---- */

static int ping_bind(struct inet_dgram *d, in_addr_be addr, uint16_t ident)
{
	int err = 0;

	spin_lock(&ping_lock);
	if (d->pcb.lport) {
		err = -EINVAL;
		goto out;
	}
	if (!ident) {
		for (int tries = 0; tries < 1000 && !ident; tries++) {
			uint16_t c;
			get_random_bytes(&c, sizeof(c));
			c |= 1;
			if (!ping_find(c, addr))
				ident = c;
		}
		if (!ident) {
			err = -EADDRINUSE;
			goto out;
		}
	} else if (ping_find(ident, addr)) {
		err = -EADDRINUSE;
		goto out;
	}
	d->pcb.laddr = addr;
	d->pcb.lport = ident;
	d->next = pings;
	pings = d;
out:
	spin_unlock(&ping_lock);
	return err;
}

static int do_bind(struct inet_dgram *d, in_addr_be addr, uint16_t port)
{
	if (d->proto == IPPROTO_ICMP) {
		if (addr && !ip_addr_is_local(addr))
			return -EADDRNOTAVAIL;
		return ping_bind(d, addr, port);
	}
	d->pcb.reuse = d->s->reuseaddr;
	return udp_bind(&d->pcb, addr, port);
}

static int dg_bind(struct socket *s, const struct sockaddr_storage *a, int len)
{
	struct inet_dgram *d = s->sk;
	in_addr_be addr;
	uint16_t port;
	int err = inet_addr_from(a, len, &addr, &port);

	if (err)
		return err;
	if (d->pcb.lport)
		return -EINVAL;
	/* Ports below 1024 are root's. */
	if (d->proto == IPPROTO_UDP && port && ntohs(port) < 1024 &&
	    current->cred.euid != 0)
		return -EACCES;
	return do_bind(d, addr, port);
}

static int dg_connect(struct socket *s, const struct sockaddr_storage *a,
                      int len, bool nonblock __unused)
{
	struct inet_dgram *d = s->sk;
	in_addr_be addr, src = 0;
	uint16_t port;
	int err;

	if (len >= (int)sizeof(sa_family_t) && a->ss_family == AF_UNSPEC) {
		if (d->proto == IPPROTO_UDP)
			udp_set_peer(&d->pcb, 0, 0, 0);
		else
			d->pcb.faddr = 0;
		return 0;
	}
	err = inet_addr_from(a, len, &addr, &port);
	if (err)
		return err;
	if (d->proto == IPPROTO_UDP && !port)
		return -EINVAL;
	if (addr == 0xffffffff && !s->broadcast)
		return -EACCES;
	if (addr != 0xffffffff && (err = ip_route_lookup(addr, &src, NULL)) < 0)
		return err;
	if (!d->pcb.lport && (err = do_bind(d, 0, 0)) < 0)
		return err;
	if (d->proto == IPPROTO_UDP) {
		udp_set_peer(&d->pcb, src, addr, port);
	} else {
		spin_lock(&ping_lock);
		if (!d->pcb.laddr)
			d->pcb.laddr = src;
		d->pcb.faddr = addr;
		spin_unlock(&ping_lock);
	}
	spin_lock(&d->lock);
	d->err = 0;
	spin_unlock(&d->lock);
	return 0;
}

static int dg_getname(struct socket *s, struct sockaddr_storage *a, int *len,
                      bool peer)
{
	struct inet_dgram *d = s->sk;

	if (peer) {
		if (!d->pcb.faddr)
			return -ENOTCONN;
		inet_addr_to(a, len, d->pcb.faddr, d->pcb.fport);
	} else {
		inet_addr_to(a, len, d->pcb.laddr, d->pcb.lport);
	}
	return 0;
}

static int take_err(struct inet_dgram *d)
{
	int e;

	spin_lock(&d->lock);
	e = d->err;
	d->err = 0;
	spin_unlock(&d->lock);
	return e;
}

/* ---- send ---- */

static ssize_t dg_sendmsg(struct socket *s, struct sock_msg *m, int flags __unused)
{
	struct inet_dgram *d = s->sk;
	in_addr_be dst = d->pcb.faddr;
	uint16_t port = d->pcb.fport;
	struct pkt *p;
	int err;

	if (d->shut_wr)
		return -EPIPE;
	if ((err = take_err(d)))
		return err;
	if (m->addr && m->addrlen) {
		err = inet_addr_from(m->addr, m->addrlen, &dst, &port);
		if (err)
			return err;
	} else if (!d->pcb.faddr) {
		return -EDESTADDRREQ;
	}
	if (d->proto == IPPROTO_UDP && !port)
		return -EINVAL;
	if (m->len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (dst == 0xffffffff && !s->broadcast)
		return -EACCES;
	if (!d->pcb.lport && (err = do_bind(d, 0, 0)) < 0)
		return err;
	if (d->proto == IPPROTO_ICMP && m->len < sizeof(struct icmp_hdr))
		return -EINVAL;

	p = pkt_alloc(m->len + 8);
	if (!p)
		return -ENOBUFS;
	memcpy(pkt_put(p, m->len), m->buf, m->len);
	if (d->proto == IPPROTO_UDP) {
		err = udp_output(&d->pcb, p, dst, port, d->ttl);
	} else {
		struct icmp_hdr *ic = (struct icmp_hdr *)p->data;
		if (ic->type != ICMP_ECHO || ic->code != 0) {
			pkt_free(p);
			return -EINVAL;
		}
		ic->echo.id = d->pcb.lport;
		ic->csum = 0;
		ic->csum = inet_csum(ic, p->len, 0);
		p->dev = d->pcb.dev;
		err = ip_output(p, d->pcb.laddr, dst, IPPROTO_ICMP, d->ttl, false);
	}
	/* An ARP failure is reported later, as ICMP would be. */
	if (err == -EHOSTUNREACH)
		err = 0;
	return err < 0 ? err : (ssize_t)m->len;
}

/* ---- receive ---- */

static ssize_t dg_recvmsg(struct socket *s, struct sock_msg *m, int flags)
{
	struct inet_dgram *d = s->sk;
	struct pkt *p;
	int err;

	for (;;) {
		spin_lock(&d->lock);
		p = d->rxq.head;
		if (p) {
			if (!(flags & MSG_PEEK)) {
				pktq_pop(&d->rxq);
				d->pcb.rx_queued = d->rxq.bytes;
			}
			spin_unlock(&d->lock);
			break;
		}
		err = d->err;
		d->err = 0;
		bool shut = d->shut_rd;
		spin_unlock(&d->lock);
		if (err)
			return err;
		if (shut)
			return 0;
		if (flags & MSG_DONTWAIT)
			return -EAGAIN;
		int r = wait_event_interruptible_timeout(&d->wq,
		            READ_ONCE(d->rxq.count) || READ_ONCE(d->err) ||
		            READ_ONCE(d->shut_rd), sock_rcv_deadline(s));
		if (r)
			return sock_wait_err(r);
	}

	const struct ip_hdr *ih = (const struct ip_hdr *)p->l3;
	uint16_t sport = 0;
	if (d->proto == IPPROTO_UDP)
		sport = ((const struct udp_hdr *)p->l4)->sport;
	size_t n = MIN(m->len, p->len);
	memcpy(m->buf, p->data, n);
	if (p->len > m->len)
		m->msg_flags |= MSG_TRUNC;
	if (m->addr)
		inet_addr_to(m->addr, &m->addrlen, ih->src, sport);
	ssize_t ret = (flags & MSG_TRUNC) ? (ssize_t)p->len : (ssize_t)n;
	if (!(flags & MSG_PEEK))
		pkt_free(p);
	return ret;
}

static int dg_shutdown(struct socket *s, int how)
{
	struct inet_dgram *d = s->sk;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (!d->pcb.faddr)
		return -ENOTCONN;
	spin_lock(&d->lock);
	if (how != SHUT_WR)
		d->shut_rd = true;
	if (how != SHUT_RD)
		d->shut_wr = true;
	spin_unlock(&d->lock);
	wake_up(&d->wq);
	return 0;
}

static unsigned dg_poll(struct socket *s, wait_queue_t *wq[2])
{
	struct inet_dgram *d = s->sk;
	unsigned ev = 0;

	if (wq) {
		wq[0] = &d->wq;
		wq[1] = NULL;   /* sending never blocks */
	}
	spin_lock(&d->lock);
	if (d->rxq.count)
		ev |= POLLIN | POLLRDNORM;
	if (d->err)
		ev |= POLLERR;
	if (d->shut_rd)
		ev |= POLLIN | POLLRDNORM;
	if (d->shut_rd && d->shut_wr)
		ev |= POLLHUP;
	if (!d->shut_wr)
		ev |= POLLOUT | POLLWRNORM;
	spin_unlock(&d->lock);
	return ev;
}

/* ---- options ---- */

static int dg_setsockopt(struct socket *s, int level, int name,
                         const void *val, unsigned len)
{
	struct inet_dgram *d = s->sk;
	int v = 0;

	if (len >= sizeof(int))
		memcpy(&v, val, sizeof(int));
	if (level == SOL_SOCKET && name == SO_BINDTODEVICE) {
		char ifname[IFNAMSIZ] = { 0 };
		memcpy(ifname, val, MIN(len, (unsigned)IFNAMSIZ - 1));
		if (!ifname[0]) {
			d->pcb.dev = NULL;
			return 0;
		}
		struct netif *dev = netif_by_name(ifname);
		if (!dev)
			return -ENODEV;
		d->pcb.dev = dev;
		return 0;
	}
	if (level != IPPROTO_IP)
		return -ENOPROTOOPT;
	switch (name) {
	case IP_TTL:
		if (len < sizeof(int))
			return -EINVAL;
		if (v == -1)
			v = 0;
		else if (v < 1 || v > 255)
			return -EINVAL;
		d->ttl = v;
		return 0;
	case IP_RECVERR:
	case IP_TOS:
		return 0;   /* accepted; errors are reported without it */
	}
	return -ENOPROTOOPT;
}

static int dg_getsockopt(struct socket *s, int level, int name, void *val,
                         unsigned *len)
{
	struct inet_dgram *d = s->sk;
	int v;

	if (level == SOL_SOCKET && name == SO_ERROR)
		v = -take_err(d);
	else if (level == IPPROTO_IP && name == IP_TTL)
		v = d->ttl ? d->ttl : IP_DEFAULT_TTL;
	else
		return -ENOPROTOOPT;
	if (*len < sizeof(int))
		return -EINVAL;
	memcpy(val, &v, sizeof(int));
	*len = sizeof(int);
	return 0;
}

static long dg_ioctl(struct socket *s, unsigned cmd, uint64_t arg)
{
	struct inet_dgram *d = s->sk;

	if (cmd == 0x541b) {   /* FIONREAD: size of the next datagram */
		int n;
		spin_lock(&d->lock);
		n = d->rxq.head ? (int)d->rxq.head->len : 0;
		spin_unlock(&d->lock);
		return copy_to_user((void *)arg, &n, sizeof(n));
	}
	return inet_ioctl(s, cmd, arg);
}

static void dg_release(struct socket *s)
{
	struct inet_dgram *d = s->sk;

	if (d->proto == IPPROTO_UDP) {
		udp_unbind(&d->pcb);
	} else {
		spin_lock(&ping_lock);
		for (struct inet_dgram **pp = &pings; *pp; pp = &(*pp)->next) {
			if (*pp == d) {
				*pp = d->next;
				break;
			}
		}
		spin_unlock(&ping_lock);
	}
	pktq_purge(&d->rxq);
	kfree(d);
	s->sk = NULL;
}

static const struct proto_ops dgram_ops = {
	.family = AF_INET,
	.release = dg_release,
	.bind = dg_bind,
	.connect = dg_connect,
	.getname = dg_getname,
	.sendmsg = dg_sendmsg,
	.recvmsg = dg_recvmsg,
	.shutdown = dg_shutdown,
	.setsockopt = dg_setsockopt,
	.getsockopt = dg_getsockopt,
	.poll = dg_poll,
	.ioctl = dg_ioctl,
};

int inet_dgram_create(struct socket *s, int protocol)
{
	struct inet_dgram *d;

	if (protocol == 0)
		protocol = IPPROTO_UDP;
	if (protocol != IPPROTO_UDP && protocol != IPPROTO_ICMP)
		return -EPROTONOSUPPORT;
	d = kzalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->s = s;
	d->proto = protocol;
	spin_init(&d->lock, "inet dgram");
	wait_queue_init(&d->wq, "inet_dgram");
	d->pcb.owner = d;
	d->pcb.recv = udp_recv_cb;
	d->pcb.error = udp_err_cb;
	d->pcb.uid = current->cred.euid;
	s->sk = d;
	s->ops = &dgram_ops;
	s->protocol = protocol;
	return 0;
}
