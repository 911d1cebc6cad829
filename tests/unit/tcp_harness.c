/*
 * tests/unit/tcp_harness.c - two TCP stacks back to back on the host.
 *
 * The TCP core (kernel/net/tcp*.c but tcp_sock.c) runs over fakes of the
 * services it uses: kmalloc on malloc, no-op locks and wait queues, a
 * virtual clock (time_ns) with ktimers kept in a list, and ip_output()
 * feeding a "wire": every packet gets a delivery time (now + delay, plus
 * a random extra for reordering) unless the loss filter drops it. The
 * test advances the clock with net_run(), which delivers due packets to
 * tcp_input() and fires due timers in time order. With wire.tso the
 * interface offers TSO and ip_output() cuts a TSO packet into gso_size
 * pieces as virtio-net's host would (sequence numbers, FIN/PSH on the
 * last piece, checksums); without it a TSO packet is a bug and aborts.
 *
 * Host A is 10.0.0.1, host B 10.0.0.2: both stacks share the one
 * connection table, which is harmless because every pcb is bound to its
 * own host's address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_harness.h"
#include "mm.h"
#include "net/netif.h"
#include "random.h"

uint64_t now_ns;
struct wire wire;

bool netif_in_rx_batch(void)
{
	return wire.rx_batch;
}
static int live_allocs;

/* ---- memory, locks, waits ---- */

void *kmalloc(size_t n)
{
	live_allocs++;
	return malloc(n ? n : 1);
}

void *kzalloc(size_t n)
{
	live_allocs++;
	return calloc(1, n ? n : 1);
}

void kfree(void *p)
{
	if (p)
		live_allocs--;
	free(p);
}

int harness_live_allocs(void)
{
	return live_allocs;
}

void mutex_init(mutex_t *m, const char *name) { (void)m; (void)name; }
void mutex_lock(mutex_t *m) { (void)m; }
void mutex_unlock(mutex_t *m) { (void)m; }
void wait_queue_init(wait_queue_t *wq, const char *name) { (void)wq; (void)name; }
int wakeups;
void wake_up(wait_queue_t *wq) { (void)wq; wakeups++; }

uint64_t time_ns(void) { return now_ns; }

void get_random_bytes(void *buf, size_t n)
{
	unsigned char *b = buf;
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)rand();
}

/* ---- ktimers on the virtual clock ---- */

static struct ktimer *timers;

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t), void *arg)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->arg = arg;
}

bool ktimer_cancel(struct ktimer *t)
{
	if (!t->pending)
		return false;
	for (struct ktimer **pp = &timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->pending = false;
	return true;
}

void ktimer_arm(struct ktimer *t, uint64_t expires)
{
	ktimer_cancel(t);
	t->expires = expires;
	t->pending = true;
	t->next = timers;
	timers = t;
}

void ktimer_arm_in(struct ktimer *t, uint64_t delay)
{
	ktimer_arm(t, now_ns + delay);
}

bool ktimer_pending(const struct ktimer *t)
{
	return t->pending;
}

static struct ktimer *next_timer(void)
{
	struct ktimer *best = NULL;
	for (struct ktimer *t = timers; t; t = t->next)
		if (!best || t->expires < best->expires)
			best = t;
	return best;
}

/* ---- IP ---- */

int ip_route_lookup(in_addr_be dst, in_addr_be *src, unsigned *mtu)
{
	*src = dst == HOST_A ? HOST_B : HOST_A;
	*mtu = wire.mtu ? wire.mtu : 1500;
	return 0;
}

bool ip_addr_is_local(in_addr_be a)
{
	return a == HOST_A || a == HOST_B;
}

static unsigned rnd(unsigned n)
{
	return n ? (unsigned)rand() % n : 0;
}

unsigned ip_route_features(in_addr_be dst)
{
	(void)dst;
	return wire.tso ? NETIF_F_TSO : 0;
}

static int wire_send(struct pkt *p, in_addr_be src, in_addr_be dst);

/* As a TSO device: one segment of gso_size payload bytes (the last one
 * shorter) per piece, each with the whole header copied and fixed up. */
static int gso_cut(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	const struct tcp_hdr *th = (const struct tcp_hdr *)p->data;
	unsigned hlen = (th->off >> 4) * 4u;
	size_t plen = p->len - hlen;

	if (!wire.tso || !(p->csum_flags & PKT_CSUM_PARTIAL) || plen <= p->gso_size) {
		fprintf(stderr, "bad TSO packet: tso %d flags %x len %zu gso %u\n",
		        wire.tso, p->csum_flags, plen, p->gso_size);
		abort();
	}
	wire.tso_sent++;
	if (wire.gso_tap)
		wire.gso_tap(p, src, dst);
	if (wire.lro) {
		p->gso_size = 0;
		return wire_send(p, src, dst);
	}
	for (size_t off = 0; off < plen; off += p->gso_size) {
		size_t n = plen - off < p->gso_size ? plen - off : p->gso_size;
		struct pkt *s = pkt_alloc(hlen + n);
		uint8_t *b = pkt_put(s, hlen + n);
		memcpy(b, p->data, hlen);
		memcpy(b + hlen, p->data + hlen + off, n);
		struct tcp_hdr *t = (struct tcp_hdr *)b;
		t->seq = htonl(ntohl(th->seq) + (uint32_t)off);
		if (off + n < plen)
			t->flags &= (uint8_t)~(TH_FIN | TH_PSH);
		uint32_t ps = inet_pseudo_sum(src, dst, IPPROTO_TCP, (uint16_t)(hlen + n));
		ps = (ps & 0xffff) + (ps >> 16);
		ps = (ps & 0xffff) + (ps >> 16);
		t->csum = (uint16_t)ps;
		s->csum_flags = PKT_CSUM_PARTIAL;
		s->csum_offset = p->csum_offset;
		wire_send(s, src, dst);
	}
	pkt_free(p);
	return 0;
}

int ip_output(struct pkt *p, in_addr_be src, in_addr_be dst, uint8_t proto,
              uint8_t ttl, bool df)
{
	(void)proto; (void)ttl; (void)df;
	if (p->gso_size)
		return gso_cut(p, src, dst);
	return wire_send(p, src, dst);
}

static int wire_send(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	wire.sent++;
	if (p->csum_flags & PKT_CSUM_PARTIAL) {   /* as a device would */
		uint16_t c = inet_csum(p->data, p->len, 0);
		memcpy(p->data + p->csum_offset, &c, 2);
		p->csum_flags &= ~(unsigned)PKT_CSUM_PARTIAL;
	}
	if (getenv("TCP_TRACE")) {
		struct tcp_hdr *th = (struct tcp_hdr *)p->data;
		printf("%8.3f %s:%u > %u flags %02x seq %u ack %u win %u len %zu\n",
		       now_ns / 1e6, src == HOST_A ? "A" : "B", ntohs(th->sport),
		       ntohs(th->dport), th->flags, ntohl(th->seq), ntohl(th->ack),
		       ntohs(th->win), p->len - (th->off >> 4) * 4u);
	}
	if (wire.tap)
		wire.tap(p, src, dst);
	if (wire.blackhole || (wire.loss_pct && rnd(100) < wire.loss_pct)) {
		wire.lost++;
		pkt_free(p);
		return 0;
	}
	if (wire.count >= WIRE_MAX) {
		wire.lost++;
		pkt_free(p);
		return -ENOBUFS;
	}
	struct wire_pkt *w = &wire.q[wire.count++];
	w->p = p;
	w->src = src;
	w->dst = dst;
	w->due = now_ns + wire.delay_ns + (wire.jitter_ns ? rnd((unsigned)(wire.jitter_ns / 1000)) * 1000ull : 0);
	return 0;
}

/* Deliver one packet from the wire (the earliest due, if due by limit). */
static bool deliver_one(uint64_t limit)
{
	int best = -1;
	for (int i = 0; i < wire.count; i++)
		if (wire.q[i].due <= limit && (best < 0 || wire.q[i].due < wire.q[best].due))
			best = i;
	if (best < 0)
		return false;
	struct wire_pkt w = wire.q[best];
	/* Keep the queue in sending order: packets due at the same time
	 * arrive in the order they were sent (no jitter, no reordering). */
	memmove(&wire.q[best], &wire.q[best + 1], (size_t)(wire.count - best - 1) * sizeof(w));
	wire.count--;
	if (w.due > now_ns)
		now_ns = w.due;
	wire.delivered++;
	tcp_input(w.p, w.src, w.dst);
	return true;
}

void net_run(uint64_t ns)
{
	uint64_t end = now_ns + ns;
	for (;;) {
		struct ktimer *t = next_timer();
		uint64_t tdue = t ? t->expires : UINT64_MAX;
		uint64_t pdue = UINT64_MAX;
		for (int i = 0; i < wire.count; i++)
			if (wire.q[i].due < pdue)
				pdue = wire.q[i].due;
		if (pdue <= tdue && pdue <= end) {
			deliver_one(pdue);
			continue;
		}
		if (t && tdue <= end) {
			ktimer_cancel(t);
			if (tdue > now_ns)
				now_ns = tdue;
			t->running = true;
			t->fn(t);
			t->running = false;
			continue;
		}
		break;
	}
	if (end > now_ns)
		now_ns = end;
}

/* Inject a raw segment as if it came from src. */
void wire_inject(const void *seg, size_t len, in_addr_be src, in_addr_be dst,
                 bool fix_csum)
{
	struct pkt *p = pkt_alloc(len);
	uint8_t *b = pkt_put(p, len);
	memcpy(b, seg, len);
	if (fix_csum && len >= TCP_HLEN) {
		struct tcp_hdr *th = (struct tcp_hdr *)b;
		th->csum = 0;
		th->csum = inet_csum(b, len, inet_pseudo_sum(src, dst, IPPROTO_TCP, (uint16_t)len));
	}
	tcp_input(p, src, dst);
}

void harness_reset(void)
{
	for (int i = 0; i < wire.count; i++)
		pkt_free(wire.q[i].p);
	memset(&wire, 0, sizeof(wire));
}

/* ---- acting as the socket layer ---- */

struct tcp_pcb *h_listen(in_addr_be addr, uint16_t port, uint32_t buf)
{
	struct tcp_pcb *l = tcp_pcb_new();
	if (tcp_bind_port(l, addr, htons(port), false))
		return NULL;
	tcp_listen_start(l, 16, buf, buf);
	return l;
}

struct tcp_pcb *h_connect(in_addr_be from, in_addr_be to, uint16_t port, uint32_t buf)
{
	struct tcp_pcb *c = tcp_pcb_new();
	if (tcp_bind_port(c, from, 0, false))
		return NULL;
	if (tcp_connect_start(c, to, htons(port), buf, buf))
		return NULL;
	return c;
}

void h_close(struct tcp_pcb *pcb)
{
	pcb->orphan = true;
	if (pcb->state == TCP_LISTEN || pcb->state == TCP_SYN_SENT ||
	    pcb->state == TCP_CLOSED)
		tcp_set_closed(pcb, 0);
	else if (pcb->rb_len)
		tcp_send_rst_for(pcb), tcp_set_closed(pcb, 0);
	else
		tcp_shutdown_wr(pcb);
	tcp_pcb_put(pcb);
}

/* Feed n bytes of a pattern into src and read them at dst, running the
 * network; returns the bytes delivered intact (or -1 on corruption). */
long h_transfer(struct tcp_pcb *src, struct tcp_pcb *dst, size_t n,
                uint64_t limit_ns)
{
	size_t put = 0, got = 0;
	uint8_t buf[8192];
	uint64_t end = now_ns + limit_ns;
	while (got < n && now_ns < end) {
		while (put < n) {
			size_t k = n - put < sizeof(buf) ? n - put : sizeof(buf);
			for (size_t i = 0; i < k; i++)
				buf[i] = (uint8_t)((put + i) * 7 + ((put + i) >> 11));
			uint32_t w = tcp_sbuf_write(src, buf, (uint32_t)k);
			put += w;
			if (w)
				tcp_output(src);
			if (w < k) {
				/* The ring is full: it may grow (as tcp_sendmsg). */
				uint32_t size = src->sb_size;
				tcp_sndbuf_expand(src);
				if (src->sb_size != size)
					continue;
				break;
			}
		}
		net_run(1000000);   /* 1 ms */
		for (;;) {
			uint32_t r = tcp_rbuf_read(dst, buf, sizeof(buf), false);
			if (!r)
				break;
			for (uint32_t i = 0; i < r; i++)
				if (buf[i] != (uint8_t)((got + i) * 7 + ((got + i) >> 11)))
					return -1;
			got += r;
			tcp_rcv_space_adjust(dst, r);   /* as tcp_recvmsg */
			tcp_window_update(dst);
		}
	}
	return (long)got;
}
