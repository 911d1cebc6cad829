/*
 * kernel/net/tcp.c - the TCP connection table: demultiplexing, local
 * ports, initial sequence numbers, the input entry point, RSTs for
 * segments nobody wants, and state bookkeeping (net/tcp.h).
 *
 * The table is one list; lookups prefer an exact four-tuple match, then
 * a listener on the address, then a listener on any address. A host has
 * tens of connections, not millions.
 *
 * ISNs follow RFC 6528: ISN = M + F(local, remote, secret), M a 4 us
 * clock and F SipHash-2-4 keyed with 128 random bits drawn at boot, so an
 * off-path attacker cannot guess them.
 */
#include "net/tcp.h"
#include "ktime.h"
#include "mm.h"
#include "random.h"

mutex_t tcp_lock;
struct tcp_stats tcp_stats;
static struct tcp_pcb *pcbs;
static uint64_t isn_key[2];
static uint16_t next_ephemeral;
static unsigned long next_ino = 1;

#define EPHEMERAL_LOW 32768   /* Linux's ip_local_port_range */
#define EPHEMERAL_HIGH 60999

void tcp_init(void)
{
	mutex_init(&tcp_lock, "tcp");
	get_random_bytes(isn_key, sizeof(isn_key));
	uint16_t r;
	get_random_bytes(&r, sizeof(r));
	next_ephemeral = EPHEMERAL_LOW + r % (EPHEMERAL_HIGH - EPHEMERAL_LOW);
}

/* ---- SipHash-2-4 (Aumasson, Bernstein) over 16 bytes ---- */

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                   \
	do {                                                       \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;             \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;             \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t siphash16(uint64_t m0, uint64_t m1, const uint64_t k[2])
{
	uint64_t v0 = k[0] ^ 0x736f6d6570736575ull, v1 = k[1] ^ 0x646f72616e646f6dull;
	uint64_t v2 = k[0] ^ 0x6c7967656e657261ull, v3 = k[1] ^ 0x7465646279746573ull;
	uint64_t m[3] = { m0, m1, (uint64_t)16 << 56 };
	for (int i = 0; i < 3; i++) {
		v3 ^= m[i];
		SIPROUND;
		SIPROUND;
		v0 ^= m[i];
	}
	v2 ^= 0xff;
	SIPROUND; SIPROUND; SIPROUND; SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint32_t tcp_new_isn(in_addr_be laddr, uint16_t lport, in_addr_be faddr,
                     uint16_t fport)
{
	uint64_t m0 = (uint64_t)laddr << 32 | faddr;
	uint64_t m1 = (uint64_t)lport << 16 | fport;
	uint32_t f = (uint32_t)siphash16(m0, m1, isn_key);
	return f + (uint32_t)(time_ns() / 4000);
}

/* ---- objects ---- */

struct tcp_pcb *tcp_pcb_new(void)
{
	tcp_reap();
	struct tcp_pcb *pcb = kzalloc(sizeof(*pcb));
	if (!pcb)
		return NULL;
	pcb->refs = 1;
	pcb->state = TCP_CLOSED;
	pcb->mss = TCP_DEFAULT_MSS;
	pcb->keep_idle_s = 7200;
	pcb->keep_intvl_s = 75;
	pcb->keep_cnt = 9;
	pcb->ino = next_ino++;
	wait_queue_init(&pcb->wq, "tcp");
	tcp_timers_init(pcb);
	tcp_cong_init(pcb);
	return pcb;
}

static void free_ooo(struct tcp_pcb *pcb)
{
	pcb->ooo_n = 0;
	pcb->ooo_bytes = 0;
	pcb->ooo_fin = false;
	pcb->sack_hist_n = 0;
	pcb->dsack = false;
}

/*
 * The last reference may be dropped by one of the pcb's own timer
 * callbacks, and ktimer.c still writes to the timer after its callback
 * returns: so the struct itself waits in a graveyard until none of its
 * timers is running, and is freed by the next tcp_reap() (from input,
 * from pcb creation, from any timer callback).
 */
static struct tcp_pcb *graveyard;

void tcp_reap(void)
{
	for (struct tcp_pcb **pp = &graveyard; *pp;) {
		struct tcp_pcb *p = *pp;
		if (READ_ONCE(p->rtx_timer.running) || READ_ONCE(p->delack_timer.running) ||
		    READ_ONCE(p->keep_timer.running)) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		kfree(p);
	}
}

void tcp_pcb_put(struct tcp_pcb *pcb)
{
	if (--pcb->refs > 0)
		return;
	tcp_timers_stop(pcb);
	free_ooo(pcb);
	kfree(pcb->sbuf);
	kfree(pcb->rbuf);
	pcb->sbuf = pcb->rbuf = NULL;
	pcb->next = graveyard;
	graveyard = pcb;
}

/*
 * A connection in TIME_WAIT has had all its data and its FIN
 * acknowledged and takes no more data, so its send ring is dead weight,
 * and so is its receive ring once no socket can read it (an orphan). Free
 * them, as Linux swaps the socket for a small timewait one: else each
 * connection closed in the last 2 MSL holds its rings - 256 KiB at the
 * least, so a server closing 1000 connections a minute pinned 256 MiB,
 * and every new connection's rings came from memory never touched before
 * (5-8 ms a SYN under QEMU while the host faulted it in). The sizes stay:
 * they still describe the window that TIME_WAIT's ACKs carry.
 */
void tcp_trim_time_wait(struct tcp_pcb *pcb)
{
	if (pcb->state != TCP_TIME_WAIT)
		return;
	kfree(pcb->sbuf);
	pcb->sbuf = NULL;
	pcb->sb_len = 0;
	if (pcb->orphan) {
		free_ooo(pcb);
		kfree(pcb->rbuf);
		pcb->rbuf = NULL;
		pcb->rb_len = 0;
	}
}

void tcp_list_add(struct tcp_pcb *pcb)
{
	if (pcb->listed)
		return;
	pcb->next = pcbs;
	pcbs = pcb;
	pcb->listed = true;
	pcb->refs++;
}

void tcp_list_del(struct tcp_pcb *pcb)
{
	if (!pcb->listed)
		return;
	for (struct tcp_pcb **pp = &pcbs; *pp; pp = &(*pp)->next) {
		if (*pp == pcb) {
			*pp = pcb->next;
			break;
		}
	}
	pcb->listed = false;
	pcb->next = NULL;
	tcp_pcb_put(pcb);
}

int tcp_alloc_buffers(struct tcp_pcb *pcb, uint32_t rcv, uint32_t snd)
{
	if (!pcb->rbuf) {
		pcb->rbuf = kmalloc(rcv);
		if (!pcb->rbuf)
			return -ENOMEM;
		pcb->rb_size = rcv;
	}
	if (!pcb->sbuf) {
		pcb->sbuf = kmalloc(snd);
		if (!pcb->sbuf)
			return -ENOMEM;
		pcb->sb_size = snd;
	}
	return 0;
}

/* Out-of-order data sits inside this space (at its place in the ring),
 * so it does not shrink the window: the peer may fill the holes and keep
 * sending up to the edge it was offered. */
uint32_t tcp_rcv_space(struct tcp_pcb *pcb)
{
	return pcb->rb_size > pcb->rb_len ? pcb->rb_size - pcb->rb_len : 0;
}

/*
 * Receive-buffer auto-tuning, after Linux's tcp_rcv_space_adjust: a
 * connection whose owner did not set SO_RCVBUF starts with the default
 * ring (128 KiB) and grows it, up to TCP_BUF_MAX, when the window is
 * what holds the sender back. The receiver's RTT is measured as Linux
 * does without timestamps: the time from offering a window's right edge
 * until the data up to it has arrived (the smallest sample; only windows
 * of at least half the ring are timed, a small one fills in less than an
 * RTT). The user's reading rate times that RTT is what the sender must
 * have in flight to keep up with the reader: when it reaches half the
 * ring, the ring grows to a power of two of at least twice it. A slow
 * reader's rate stays low, and so does its ring. The ring is copied into
 * the larger one with its head at 0, so every offset from rb_head,
 * out-of-order stretches included, keeps its meaning; the window only
 * ever opens further (RFC 9293 3.8.6.2.2 holds).
 */
uint8_t tcp_rcv_wscale(struct tcp_pcb *pcb)
{
	uint32_t room = pcb->rcv_autotune ? MAX(pcb->rb_size, (uint32_t)TCP_BUF_MAX) : pcb->rb_size;
	uint8_t s = 0;
	while (s < TCP_MAX_WSCALE && (65535u << s) < room)
		s++;
	return s;
}

void tcp_rcv_rtt_measure(struct tcp_pcb *pcb)
{
	if (!pcb->rcv_autotune)
		return;
	uint64_t now = time_ns();
	if (pcb->rcv_rtt_start) {
		if (SEQ_LT(pcb->rcv_nxt, pcb->rcv_rtt_seq))
			return;
		uint64_t m = now - pcb->rcv_rtt_start;
		if (m && (!pcb->rcv_rtt || m < pcb->rcv_rtt))
			pcb->rcv_rtt = m;
		pcb->rcv_rtt_start = 0;
	}
	if (SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt) && pcb->rcv_adv - pcb->rcv_nxt >= pcb->rb_size / 2) {
		pcb->rcv_rtt_seq = pcb->rcv_adv;
		pcb->rcv_rtt_start = now;
	}
}

/* Move the keep bytes a ring holds from *head on (wrapping) into a new
 * buffer of newsize bytes, head at 0, so that offsets from the head keep
 * their meaning. When memory is short the ring stays as it is. */
static void ring_grow(uint8_t **buf, uint32_t *head, uint32_t *size, uint32_t keep,
                      uint32_t newsize)
{
	uint8_t *nb = kmalloc(newsize);
	if (!nb)
		return;
	uint32_t first = MIN(keep, *size - *head);
	memcpy(nb, *buf + *head, first);
	memcpy(nb + first, *buf, keep - first);
	kfree(*buf);
	*buf = nb;
	*head = 0;
	*size = newsize;
}

void tcp_rcv_space_adjust(struct tcp_pcb *pcb, uint32_t n)
{
	if (!pcb->rcv_autotune || !pcb->wscale_ok || !pcb->rcv_rtt)
		return;
	uint64_t now = time_ns();
	if (!pcb->rcvq_start) {
		pcb->rcvq_start = now;   /* what this read took arrived before */
		pcb->rcvq_copied = 0;
		return;
	}
	pcb->rcvq_copied += n;
	uint64_t elapsed = now - pcb->rcvq_start;
	uint64_t rtt = MIN(pcb->rcv_rtt, 1000000000ull);
	if (elapsed < rtt)
		return;
	uint64_t per_rtt = (uint64_t)pcb->rcvq_copied * rtt / elapsed;
	uint32_t limit = MIN((uint32_t)TCP_BUF_MAX, 65535u << pcb->rcv_wscale);
	if (per_rtt >= pcb->rb_size / 2 && pcb->rb_size < limit) {
		uint32_t want = pcb->rb_size;
		while (want < limit && want < 2 * per_rtt)
			want *= 2;
		/* The whole ring moves: out-of-order data sits past rb_len. */
		if (MIN(want, limit) > pcb->rb_size)
			ring_grow(&pcb->rbuf, &pcb->rb_head, &pcb->rb_size, pcb->rb_size,
			          MIN(want, limit));
	}
	pcb->rcvq_copied = 0;
	pcb->rcvq_start = now;
}

/*
 * Send-buffer auto-tuning, after Linux's tcp_sndbuf_expand: a
 * connection whose owner did not set SO_SNDBUF starts with the default
 * ring (128 KiB). With an RTT of about 1 ms under TCG that caps the
 * flight, and so the rate, at about 128 MB/s whatever cwnd and the
 * peer's window allow. When the writer finds the ring full while the
 * flight is below cwnd (the ring, not congestion control, is the
 * brake: Linux's tcp_should_expand_sndbuf), the ring grows to twice what
 * may be in flight, min(cwnd, the largest window the peer offered),
 * at least 10 segments, so one window can be in flight while the next
 * is being written; up to TCP_SNDBUF_AUTO_MAX (Linux's tcp_wmem[2] is
 * 4 MiB). The data moves to the new ring with its head at 0: offsets from
 * snd_una keep their meaning. SO_SNDBUF, set before or after the
 * connection, stops it (Linux's SOCK_SNDBUF_LOCK).
 */
void tcp_sndbuf_expand(struct tcp_pcb *pcb)
{
	if (!pcb->snd_autotune || !pcb->sbuf || pcb->sb_size >= TCP_SNDBUF_AUTO_MAX)
		return;
	if (tcp_flight(pcb) >= pcb->cwnd)
		return;   /* cwnd-limited: a bigger ring would not send more */
	uint32_t want = MIN(pcb->cwnd, MAX(pcb->max_snd_wnd, pcb->snd_wnd));
	want = MAX(want, 10u * pcb->mss);
	want = MIN(2 * (uint64_t)want, (uint64_t)TCP_SNDBUF_AUTO_MAX);
	want = (want + 4095) & ~4095u;
	if (want <= pcb->sb_size)
		return;
	ring_grow(&pcb->sbuf, &pcb->sb_head, &pcb->sb_size, pcb->sb_len, want);
}

static const char *const state_names[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
	"FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
};

const char *tcp_state_name(enum tcp_state st)
{
	return (unsigned)st < ARRAY_SIZE(state_names) ? state_names[st] : "?";
}

void tcp_set_state(struct tcp_pcb *pcb, enum tcp_state st)
{
	pcb->state = st;
	wake_up(&pcb->wq);
	if (pcb->parent)
		wake_up(&pcb->parent->wq);
}

/* Unlink a child from its listener's queues. */
static void detach_child(struct tcp_pcb *pcb)
{
	struct tcp_pcb *l = pcb->parent;
	if (!l)
		return;
	bool queued = false;
	for (struct tcp_pcb **pp = &l->acq_head; *pp; pp = &(*pp)->acq_next) {
		if (*pp == pcb) {
			*pp = pcb->acq_next;
			queued = true;
			break;
		}
	}
	l->acq_tail = NULL;
	for (struct tcp_pcb *c = l->acq_head; c; c = c->acq_next)
		l->acq_tail = c;
	if (queued)
		l->acq_len--;
	else
		l->syn_len--;
	pcb->parent = NULL;
	pcb->acq_next = NULL;
	tcp_pcb_put(l);
	tcp_pcb_put(pcb);   /* the listener queue's reference */
}

void tcp_set_closed(struct tcp_pcb *pcb, int err)
{
	if (err && !pcb->err)
		pcb->err = err;   /* positive, as SO_ERROR reports it */
	pcb->state = TCP_CLOSED;
	tcp_timers_stop(pcb);
	free_ooo(pcb);
	wake_up(&pcb->wq);
	if (pcb->parent) {
		wake_up(&pcb->parent->wq);
		detach_child(pcb);   /* an unaccepted child dies with it */
	}
	/* A closed listener's children: reset and forget them. */
	while (pcb->acq_head) {
		struct tcp_pcb *c = pcb->acq_head;
		tcp_send_rst_for(c);
		tcp_set_closed(c, ECONNRESET);
	}
	if (pcb->syn_len) {
		for (struct tcp_pcb *c = pcbs, *n; c; c = n) {
			n = c->next;
			if (c->parent == pcb) {
				tcp_send_rst_for(c);
				tcp_set_closed(c, ECONNRESET);
				n = pcbs;   /* the list changed: rescan */
			}
		}
	}
	tcp_list_del(pcb);
}

/* ---- ports and lookup ---- */

static bool port_conflict(struct tcp_pcb *pcb, in_addr_be laddr, uint16_t port,
                          bool reuse)
{
	for (struct tcp_pcb *o = pcbs; o; o = o->next) {
		if (o == pcb || o->lport != port || o->parent)
			continue;
		if (o->laddr && laddr && o->laddr != laddr)
			continue;
		/* SO_REUSEADDR: anything but a listener may share the port
		 * (TIME_WAIT leftovers above all), as on Linux. */
		if (reuse && o->state != TCP_LISTEN)
			continue;
		return true;
	}
	return false;
}

int tcp_bind_port(struct tcp_pcb *pcb, in_addr_be laddr, uint16_t port, bool reuse)
{
	if (port) {
		if (port_conflict(pcb, laddr, port, reuse))
			return -EADDRINUSE;
		pcb->laddr = laddr;
		pcb->lport = port;
		return 0;
	}
	for (int i = 0; i <= EPHEMERAL_HIGH - EPHEMERAL_LOW; i++) {
		uint16_t p = htons(next_ephemeral);
		next_ephemeral = next_ephemeral >= EPHEMERAL_HIGH ? EPHEMERAL_LOW
		                                                  : next_ephemeral + 1;
		if (!port_conflict(pcb, laddr, p, false)) {
			pcb->laddr = laddr;
			pcb->lport = p;
			return 0;
		}
	}
	return -EADDRINUSE;
}

struct tcp_pcb *tcp_pcb_list(void)
{
	return pcbs;
}

struct tcp_pcb *tcp_lookup(in_addr_be src, uint16_t sport, in_addr_be dst,
                           uint16_t dport)
{
	struct tcp_pcb *best = NULL;
	for (struct tcp_pcb *p = pcbs; p; p = p->next) {
		if (p->lport != dport)
			continue;
		if (p->state == TCP_LISTEN) {
			if (p->laddr == dst || (!p->laddr && !best))
				best = p;
			continue;
		}
		if (p->fport == sport && p->faddr == src &&
		    (p->laddr == dst || !p->laddr))
			return p;
	}
	return best;
}

/* ---- the user's operations, shared by tcp_sock.c and the unit tests ---- */

int tcp_connect_start(struct tcp_pcb *pcb, in_addr_be dst, uint16_t port,
                      uint32_t rcvbuf, uint32_t sndbuf)
{
	int err = tcp_alloc_buffers(pcb, rcvbuf, sndbuf);
	if (err)
		return err;
	pcb->faddr = dst;
	pcb->fport = port;
	pcb->rcv_wscale = tcp_rcv_wscale(pcb);
	pcb->iss = tcp_new_isn(pcb->laddr, pcb->lport, dst, port);
	pcb->snd_una = pcb->iss;
	pcb->snd_nxt = pcb->snd_max = pcb->iss + 1;
	pcb->recover = pcb->iss;   /* RFC 6582: else half the ISSs look "in recovery" */
	pcb->err = 0;
	pcb->state = TCP_SYN_SENT;
	tcp_list_add(pcb);
	pcb->rtt_start = time_ns();
	tcp_send_ctl(pcb, TH_SYN);
	tcp_arm_rtx(pcb);
	return 0;
}

void tcp_listen_start(struct tcp_pcb *pcb, int backlog, uint32_t rcvbuf,
                      uint32_t sndbuf)
{
	pcb->backlog = backlog;
	pcb->rb_size = rcvbuf;
	pcb->sb_size = sndbuf;
	pcb->state = TCP_LISTEN;
	tcp_list_add(pcb);
}

struct tcp_pcb *tcp_accept_child(struct tcp_pcb *l)
{
	struct tcp_pcb *c = l->acq_head;
	if (!c)
		return NULL;
	l->acq_head = c->acq_next;
	if (!l->acq_head)
		l->acq_tail = NULL;
	l->acq_len--;
	c->acq_next = NULL;
	c->parent = NULL;
	tcp_pcb_put(l);        /* the child's reference to its listener */
	wake_up(&l->wq);
	return c;              /* with the queue's reference */
}

void tcp_shutdown_wr(struct tcp_pcb *pcb)
{
	if (pcb->fin_queued)
		return;
	if (pcb->state != TCP_ESTABLISHED && pcb->state != TCP_CLOSE_WAIT &&
	    pcb->state != TCP_SYN_RECEIVED)
		return;
	pcb->fin_queued = true;
	tcp_set_state(pcb, pcb->state == TCP_CLOSE_WAIT ? TCP_LAST_ACK
	                                                : TCP_FIN_WAIT_1);
	tcp_output(pcb);
}

/* ---- input ---- */

void tcp_input(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	if (p->len < TCP_HLEN)
		goto drop;
	struct tcp_hdr *th = (struct tcp_hdr *)p->data;
	unsigned hlen = (th->off >> 4) * 4u;
	if (hlen < TCP_HLEN || hlen > p->len)
		goto drop;
	if (!(p->csum_flags & PKT_CSUM_VERIFIED)) {
		uint32_t sum = inet_pseudo_sum(src, dst, IPPROTO_TCP, (uint16_t)p->len);
		if (inet_csum(p->data, p->len, sum) != 0)
			goto drop;
	}
	/* Broadcast/multicast destinations never get TCP (RFC 1122 4.2.3.10). */
	uint32_t hd = ntohl(dst);
	if (hd == 0xffffffff || (hd >> 28) == 14 || !src || ntohl(src) == 0xffffffff)
		goto drop;
	mutex_lock(&tcp_lock);
	tcp_reap();
	struct tcp_pcb *pcb = tcp_lookup(src, th->sport, dst, th->dport);
	if (!pcb) {
		uint32_t seglen = p->len - hlen + !!(th->flags & TH_SYN) +
		                  !!(th->flags & TH_FIN);
		tcp_send_reset(dst, src, th, seglen);
		mutex_unlock(&tcp_lock);
		goto drop;
	}
	pcb->refs++;
	tcp_segment(pcb, p, src, dst);   /* consumes p */
	tcp_pcb_put(pcb);
	mutex_unlock(&tcp_lock);
	return;
drop:
	pkt_free(p);
}

void tcp_icmp_error(in_addr_be src, in_addr_be dst, const uint8_t *hdr,
                    size_t len, int err, unsigned mtu)
{
	if (len < 8)
		return;
	const struct tcp_hdr *th = (const void *)hdr;
	uint32_t seq = ntohl(th->seq);
	mutex_lock(&tcp_lock);
	/* We sent src -> dst: look the connection up from the peer's side. */
	struct tcp_pcb *pcb = tcp_lookup(dst, th->dport, src, th->sport);
	if (!pcb || pcb->state == TCP_LISTEN ||
	    SEQ_LT(seq, pcb->snd_una) || SEQ_GT(seq, pcb->snd_max))
		goto out;   /* RFC 5927: only for data in flight */
	if (err == -EMSGSIZE && mtu >= 68 + 40) {
		uint16_t m = (uint16_t)(mtu - 40);
		if (m < pcb->mss)
			pcb->mss = m;
		tcp_retransmit_head(pcb);
	} else if (pcb->state == TCP_SYN_SENT && err != -EMSGSIZE) {
		/* Hard errors abort a connection attempt (RFC 1122 4.2.3.9). */
		tcp_set_closed(pcb, -err);
	} else if (pcb->state == TCP_SYN_RECEIVED && pcb->parent &&
	           (err == -EHOSTUNREACH || err == -ENETUNREACH)) {
		/* A half-open child whose SYN-ACK cannot reach the peer: drop
		 * it from the listener's SYN queue, as Linux's tcp_req_err()
		 * does, rather than resend into nowhere for two minutes. */
		tcp_set_closed(pcb, 0);
	} else {
		pcb->err = -err;   /* soft: reported if the connection dies */
	}
out:
	mutex_unlock(&tcp_lock);
}

/* ---- /proc/net/tcp ---- */

#ifndef RAYOS_HOST_TEST
#include "procfs.h"

static int proc_state(enum tcp_state st)
{
	/* Linux's numbering: ESTABLISHED 1 ... LISTEN 10, CLOSING 11. */
	static const int map[] = { 7, 10, 2, 3, 1, 4, 5, 8, 11, 9, 6 };
	return map[st];
}

int proc_net_tcp_show(struct proc_buf *b, void *ctx __unused)
{
	proc_printf(b, "  sl  local_address rem_address   st tx_queue rx_queue tr "
	               "tm->when retrnsmt   uid  timeout inode\n");
	mutex_lock(&tcp_lock);
	int i = 0;
	for (struct tcp_pcb *p = pcbs; p; p = p->next, i++)
		/* Linux's columns, then (RayOS) the receive state for
		 * debugging: rcv_nxt, window edge, out-of-order bytes. */
		proc_printf(b, "%4d: %08X:%04X %08X:%04X %02X %08X:%08X 00:00000000 "
		               "%08X %5u        0 %lu %08x %08x %u %u\n",
		            i, p->laddr, ntohs(p->lport), p->faddr, ntohs(p->fport),
		            proc_state(p->state), p->snd_max - p->snd_una,
		            p->state == TCP_LISTEN ? (uint32_t)p->acq_len : p->rb_len,
		            p->retransmits, p->uid, p->orphan ? 0 : p->ino,
		            p->rcv_nxt, p->rcv_adv, p->ooo_bytes, p->rb_size);
	mutex_unlock(&tcp_lock);
	return 0;
}

/* /proc/net/netstat: Linux's layout (a line of names, a line of values,
 * both "TcpExt:"), with the counters RayOS keeps, in Linux's order. */
int proc_net_netstat_show(struct proc_buf *b, void *ctx __unused)
{
	mutex_lock(&tcp_lock);
	struct tcp_stats st = tcp_stats;
	mutex_unlock(&tcp_lock);
	proc_printf(b, "TcpExt: TCPRenoRecovery TCPSackRecovery TCPDSACKUndo "
	            "TCPLostRetransmit TCPTimeouts TCPLossProbes TCPDSACKOldSent "
	            "TCPDSACKOfoSent TCPDSACKRecv\n");
	proc_printf(b, "TcpExt: %llu %llu %llu %llu %llu %llu %llu %llu %llu\n",
	            (unsigned long long)st.reno_recovery, (unsigned long long)st.sack_recovery,
	            (unsigned long long)st.dsack_undo, (unsigned long long)st.lost_retransmit,
	            (unsigned long long)st.timeouts, (unsigned long long)st.loss_probes,
	            (unsigned long long)st.dsack_old_sent, (unsigned long long)st.dsack_ofo_sent,
	            (unsigned long long)st.dsack_rcvd);
	return 0;
}
#endif
