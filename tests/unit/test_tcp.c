/*
 * tests/unit/test_tcp.c - the TCP core with two stacks back to back over
 * a fake IP that drops, delays and reorders (tcp_harness.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tcp_harness.h"

#define PORT 8080

static int setup(void **state)
{
	(void)state;
	static bool inited;
	if (!inited) {
		tcp_init();
		inited = true;
	}
	harness_reset();
	/* Let the previous test's connections finish (TIME_WAIT...). */
	net_run(10 * TCP_MSL_NS);
	tcp_reap();
	harness_reset();
	srand(1234);
	return 0;
}

/* Connect A -> B:PORT; returns the two ends. */
static void open_pair(struct tcp_pcb **a, struct tcp_pcb **b, uint32_t buf)
{
	static uint16_t n;
	uint16_t port = (uint16_t)(PORT + n++);   /* a failed test leaves its own */
	struct tcp_pcb *l = h_listen(HOST_B, port, buf);
	assert_non_null(l);
	*a = h_connect(HOST_A, HOST_B, port, buf);
	assert_non_null(*a);
	net_run(3000 * MS);
	assert_int_equal((*a)->state, TCP_ESTABLISHED);
	*b = tcp_accept_child(l);
	assert_non_null(*b);
	assert_int_equal((*b)->state, TCP_ESTABLISHED);
	h_close(l);
}

/* Close both ends cleanly and let TIME_WAIT run out: nothing is left. */
static void close_pair(struct tcp_pcb *a, struct tcp_pcb *b)
{
	wire.loss_pct = 0;
	wire.blackhole = false;
	h_close(a);
	h_close(b);
	net_run(3 * TCP_MSL_NS);
}

/* The end of a test: both sides closed and gone, and every allocation
 * since base given back. */
static void close_pair_and_check(struct tcp_pcb *a, struct tcp_pcb *b, int base)
{
	wire.tap = NULL;
	close_pair(a, b);
	tcp_reap();
	assert_int_equal(harness_live_allocs(), base);
}

static void test_handshake_and_close(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	open_pair(&a, &b, 65536);
	assert_int_equal(a->mss, 1460);
	assert_true(a->wscale_ok && b->wscale_ok);
	assert_int_not_equal(a->iss, b->iss);
	a->refs++;   /* watch the states through the close */
	b->refs++;
	h_close(a);
	net_run(100 * MS);
	assert_int_equal(a->state, TCP_FIN_WAIT_2);
	assert_int_equal(b->state, TCP_CLOSE_WAIT);
	h_close(b);
	net_run(100 * MS);
	assert_int_equal(a->state, TCP_TIME_WAIT);
	assert_int_equal(b->state, TCP_CLOSED);
	net_run(2 * TCP_MSL_NS + 1000 * MS);
	assert_int_equal(a->state, TCP_CLOSED);
	tcp_pcb_put(a);
	tcp_pcb_put(b);
	tcp_reap();
	assert_int_equal(harness_live_allocs(), base);
}

static void test_transfer_clean(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	wire.delay_ns = 5 * MS;
	open_pair(&a, &b, 256 * 1024);
	assert_int_equal(h_transfer(a, b, 2 << 20, 60000 * MS), 2 << 20);
	assert_int_equal(h_transfer(b, a, 1 << 20, 60000 * MS), 1 << 20);
	assert_int_equal(a->retransmits, 0);
	/* Window scaling let more than 64 KiB fly. */
	assert_true(b->rcv_wscale > 0 && a->snd_wnd > 65535);
	assert_true(a->srtt >= 10 * MS && a->srtt < 40 * MS);
	close_pair_and_check(a, b, base);
}

/* Send-buffer auto-tuning: over a 10 ms path the 128 KiB send ring is
 * what holds the sender back once the receiver's window has grown, so
 * it grows (tcp_sndbuf_expand, from h_transfer as from tcp_sendmsg)
 * while data is in flight, and every byte arrives intact. */
static void test_snd_autotune(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	static uint16_t n;
	uint16_t port = (uint16_t)(PORT + 600 + n++);
	struct tcp_pcb *l = h_listen(HOST_B, port, 128 * 1024);
	l->rcv_autotune = true;
	struct tcp_pcb *a = h_connect(HOST_A, HOST_B, port, 128 * 1024);
	a->snd_autotune = true;
	wire.delay_ns = 5 * MS;
	net_run(3000 * MS);
	struct tcp_pcb *b = tcp_accept_child(l);
	assert_non_null(b);
	h_close(l);
	assert_int_equal(h_transfer(a, b, 8 << 20, 60000 * MS), 8 << 20);
	assert_true(a->sb_size > 128 * 1024 && a->sb_size <= TCP_SNDBUF_AUTO_MAX);
	assert_int_equal(a->retransmits, 0);
	close_pair_and_check(a, b, base);
}

/* Receive-buffer auto-tuning: a reader that keeps up with a 10 ms path
 * grows its 128 KiB ring (the window held the sender back); one that
 * reads 8 KiB every 10 ms does not. */
static void test_rcv_autotune(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	static uint16_t n;
	uint16_t port = (uint16_t)(PORT + 500 + 2 * n++);
	struct tcp_pcb *l = h_listen(HOST_B, port, 128 * 1024);
	l->rcv_autotune = true;
	struct tcp_pcb *a = h_connect(HOST_A, HOST_B, port, 128 * 1024);
	wire.delay_ns = 5 * MS;
	net_run(3000 * MS);
	struct tcp_pcb *b = tcp_accept_child(l);
	assert_non_null(b);
	h_close(l);
	assert_true(b->rcv_autotune);
	assert_int_equal(b->rcv_wscale, 5);   /* room for TCP_BUF_MAX */
	assert_int_equal(a->rcv_wscale, 2);   /* not tuned: for its 128 KiB */
	assert_int_equal(h_transfer(a, b, 8 << 20, 60000 * MS), 8 << 20);
	assert_true(b->rcv_rtt >= 10 * MS && b->rcv_rtt < 20 * MS);
	assert_true(b->rb_size > 128 * 1024 && b->rb_size <= TCP_BUF_MAX);
	assert_int_equal(a->retransmits, 0);
	assert_int_equal(a->sb_size, 128 * 1024);   /* SO_SNDBUF "set" */
	close_pair(a, b);

	l = h_listen(HOST_B, (uint16_t)(port + 1), 128 * 1024);
	l->rcv_autotune = true;
	a = h_connect(HOST_A, HOST_B, (uint16_t)(port + 1), 128 * 1024);
	net_run(3000 * MS);
	b = tcp_accept_child(l);
	assert_non_null(b);
	h_close(l);
	static uint8_t buf[8192];
	size_t got = 0;
	for (int i = 0; i < 400; i++) {   /* 4 s: 3.2 MiB read */
		while (tcp_sbuf_write(a, buf, sizeof(buf)) == sizeof(buf))
			;
		tcp_output(a);
		net_run(10 * MS);
		uint32_t r = tcp_rbuf_read(b, buf, sizeof(buf), false);
		got += r;
		tcp_rcv_space_adjust(b, r);
		tcp_window_update(b);
	}
	assert_true(got >= 3 << 20);
	assert_true(b->rcv_rtt > 0);
	assert_int_equal(b->rb_size, 128 * 1024);
	h_close(a);
	h_close(b);   /* unread data: a RST */
	net_run(3 * TCP_MSL_NS);
	tcp_reap();
	assert_int_equal(harness_live_allocs(), base);
}

static void test_transfer_lossy(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	wire.delay_ns = 25 * MS;
	wire.jitter_ns = 10 * MS;     /* reordering */
	open_pair(&a, &b, 128 * 1024);
	wire.loss_pct = 5;
	a->refs++;
	assert_int_equal(h_transfer(a, b, 1 << 20, 600000 * MS), 1 << 20);
	assert_int_equal(h_transfer(b, a, 256 << 10, 600000 * MS), 256 << 10);
	assert_true(a->retransmits > 0);
	assert_true(wire.lost > 0);
	close_pair(a, b);
	assert_int_equal(a->state, TCP_CLOSED);
	tcp_pcb_put(a);
	tcp_reap();
	assert_int_equal(harness_live_allocs(), base);
}

/* Drop exactly one data segment: three duplicate ACKs bring it back
 * by fast retransmit, long before the RTO. */
static uint32_t drop_seq;
static int dropped;
static void drop_one(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	(void)dst;
	struct tcp_hdr *th = (struct tcp_hdr *)p->data;
	if (src == HOST_A && !dropped && ntohl(th->seq) == drop_seq &&
	    p->len > TCP_HLEN) {
		dropped = 1;
		wire.blackhole = true;   /* this one only: undone below */
	} else {
		wire.blackhole = false;
	}
}

static void test_fast_retransmit(void **state)
{
	(void)state;
	struct tcp_pcb *a, *b;
	wire.delay_ns = 20 * MS;
	open_pair(&a, &b, 256 * 1024);
	/* Grow the window first. */
	assert_int_equal(h_transfer(a, b, 200000, 60000 * MS), 200000);
	drop_seq = a->snd_nxt + 5 * a->mss;
	dropped = 0;
	wire.tap = drop_one;
	uint64_t t0 = now_ns;
	assert_int_equal(h_transfer(a, b, 200000, 60000 * MS), 200000);
	wire.tap = NULL;
	assert_true(dropped);
	assert_int_equal(a->retransmits, 1);
	/* Recovered within a few RTTs, no timeout (RTO >= 200 ms). */
	assert_true(now_ns - t0 < 1000 * MS);
	assert_false(a->in_recovery);
	close_pair(a, b);
}

/* TSO: when the route's device segments (wire.tso), A hands down
 * segments of up to 64 KiB with gso_size = MSS, each a whole number of
 * MSS unless it ends the data with PSH, no options; the "device" cuts
 * them (tcp_harness.c) and B gets MSS-sized segments. A segment lost on
 * the wire comes back by itself as one MSS, never as a TSO packet. */
static unsigned long tso_bad, tso_below, pieces_big;
static uint32_t tso_mss, tso_max, tso_end;
static void check_tso(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	(void)dst;
	const struct tcp_hdr *th = (const struct tcp_hdr *)p->data;
	uint32_t plen = (uint32_t)p->len - TCP_HLEN, seq = ntohl(th->seq);
	if (src != HOST_A || th->off >> 4 != 5 || p->gso_size != tso_mss ||
	    plen <= tso_mss || plen > TCP_TSO_MAX ||
	    (plen % tso_mss && !(th->flags & TH_PSH)))
		tso_bad++;
	if (tso_end && SEQ_LT(seq, tso_end))
		tso_below++;        /* resent data went out as TSO */
	if (!tso_end || SEQ_GT(seq + plen, tso_end))
		tso_end = seq + plen;
	if (plen > tso_max)
		tso_max = plen;
}
static void check_pieces(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	const struct tcp_hdr *th = (const struct tcp_hdr *)p->data;
	if (src == HOST_A && p->len - (th->off >> 4) * 4u > tso_mss)
		pieces_big++;
	drop_one(p, src, dst);
}

static void test_tso(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	wire.delay_ns = 5 * MS;
	wire.tso = true;
	open_pair(&a, &b, 256 * 1024);
	assert_true(a->tso && b->tso);
	tso_mss = a->mss;
	tso_bad = tso_below = pieces_big = 0;
	tso_max = tso_end = 0;
	dropped = 1;                      /* no drop yet */
	wire.gso_tap = check_tso;
	wire.tap = check_pieces;
	assert_int_equal(h_transfer(a, b, 2 << 20, 60000 * MS), 2 << 20);
	assert_true(wire.tso_sent > 0);
	assert_true(tso_max > tso_mss);
	assert_int_equal(a->retransmits, 0);
	/* One piece of a TSO packet lost: fast retransmit, one MSS. */
	drop_seq = a->snd_nxt + 5 * a->mss;
	dropped = 0;
	uint64_t t0 = now_ns;
	assert_int_equal(h_transfer(a, b, 1 << 20, 60000 * MS), 1 << 20);
	assert_true(dropped);
	assert_int_equal(a->retransmits, 1);
	assert_true(now_ns - t0 < 1000 * MS);
	assert_int_equal(tso_bad, 0);
	assert_int_equal(tso_below, 0);
	assert_int_equal(pieces_big, 0);
	/* 100000 bytes written at once into an open window: a full TSO
	 * packet of 44 MSS (64240 bytes), one of the 24 MSS after it, and
	 * the 720-byte tail waits for their ACK (Nagle) as it would behind
	 * full segments without TSO. */
	net_run(1000 * MS);
	assert_int_equal(tso_mss, 1460);
	assert_true(MIN(a->cwnd, a->snd_wnd) >= 100000);
	static uint8_t big[100000];
	unsigned long n0 = wire.tso_sent;
	uint32_t una = a->snd_una;
	tso_max = 0;
	assert_int_equal(tcp_sbuf_write(a, big, sizeof(big)), sizeof(big));
	tcp_output(a);
	assert_int_equal(a->snd_nxt - una, 68 * 1460);
	assert_int_equal(wire.tso_sent, n0 + 2);
	assert_int_equal(tso_max, 44 * 1460);
	net_run(1000 * MS);
	assert_int_equal(a->snd_una - una, sizeof(big));
	for (size_t got = 0, r; got < sizeof(big); got += r) {
		r = tcp_rbuf_read(b, big, sizeof(big), false);
		assert_true(r > 0);
	}
	assert_int_equal(tso_bad, 0);
	assert_int_equal(pieces_big, 0);
	/* Large receive: B takes segments of up to 44 MSS whole, and ACKs
	 * each at once (it is more than one MSS), so A's window keeps
	 * moving without delayed-ACK stalls. */
	wire.lro = true;
	wire.tap = NULL;
	uint32_t rtx = a->retransmits;
	t0 = now_ns;
	assert_int_equal(h_transfer(a, b, 4 << 20, 60000 * MS), 4 << 20);
	assert_int_equal(a->retransmits, rtx);
	assert_true(now_ns - t0 < 2000 * MS);
	assert_int_equal(tso_bad, 0);
	net_run(1000 * MS);
	una = a->snd_una;
	assert_int_equal(tcp_sbuf_write(a, big, 44 * 1460), 44 * 1460);
	tcp_output(a);
	net_run(20 * MS);   /* one round trip, well before the delayed ACK */
	assert_int_equal(a->snd_una - una, 44 * 1460);
	net_run(1000 * MS);
	assert_int_equal(tcp_rbuf_read(b, big, sizeof(big), false), 44 * 1460);
	wire.gso_tap = NULL;
	close_pair_and_check(a, b, base);
}

/* SACK (RFC 2018) as a receiver: drop two data segments of A's; while
 * B holds what came after them, its ACKs report those stretches (latest
 * arrival first, each above the cumulative ACK), the window it offers
 * does not shrink for out-of-order data, and everything arrives intact. */
static int sack_acks, sack_bad, sack_two;
static uint32_t sack_min_edge;
static void drop_two_see_sack(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	(void)dst;
	struct tcp_hdr *th = (struct tcp_hdr *)p->data;
	unsigned hlen = (th->off >> 4) * 4u;
	if (src == HOST_A) {
		uint32_t seq = ntohl(th->seq);
		bool hit = p->len > hlen && (seq == drop_seq || seq == drop_seq + 4 * 1460) &&
		           dropped < 2;
		if (hit)
			dropped++;
		wire.blackhole = hit;
		return;
	}
	wire.blackhole = false;
	/* The window's right edge never moves left (to within the scale's
	 * rounding), out-of-order data or not. */
	uint32_t ack = ntohl(th->ack);
	uint32_t edge = ack + ((uint32_t)ntohs(th->win) << 3);
	if (sack_min_edge && SEQ_LT(edge + 7, sack_min_edge))
		sack_bad++;
	if (!sack_min_edge || SEQ_GT(edge, sack_min_edge))
		sack_min_edge = edge;
	const uint8_t *o = p->data + TCP_HLEN;
	for (unsigned i = 0; i + 1 < hlen - TCP_HLEN;) {
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (o[i] == 5) {
			unsigned n = (o[i + 1] - 2) / 8;
			sack_acks++;
			if (n >= 2)
				sack_two++;
			for (unsigned k = 0; k < n; k++) {
				uint32_t l, r;
				memcpy(&l, o + i + 2 + 8 * k, 4);
				memcpy(&r, o + i + 6 + 8 * k, 4);
				l = ntohl(l);
				r = ntohl(r);
				if (!SEQ_GT(l, ack) || !SEQ_LT(l, r))
					sack_bad++;
			}
		}
		i += o[i + 1] ? o[i + 1] : 1;
	}
}

static void test_sack_receiver(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	wire.delay_ns = 20 * MS;
	open_pair(&a, &b, 256 * 1024);
	assert_true(a->sack_ok && b->sack_ok);
	assert_int_equal(h_transfer(a, b, 200000, 60000 * MS), 200000);
	assert_int_equal(b->rcv_wscale, 3);   /* 256 KiB */
	drop_seq = a->snd_nxt + 5 * a->mss;
	dropped = 0;
	sack_acks = sack_bad = sack_two = 0;
	sack_min_edge = 0;
	wire.tap = drop_two_see_sack;
	assert_int_equal(h_transfer(a, b, 300000, 60000 * MS), 300000);
	wire.tap = NULL;
	assert_int_equal(dropped, 2);
	assert_true(sack_acks >= 3);
	assert_true(sack_two >= 1);   /* both holes reported at once */
	assert_int_equal(sack_bad, 0);
	assert_int_equal(b->ooo_n, 0);
	assert_int_equal(b->ooo_bytes, 0);
	close_pair_and_check(a, b, base);
}

/* SACK as a sender: three segments of one window lost. NewReno alone
 * would resend one hole per round trip (partial ACKs); with the peer's
 * SACK blocks all three go out within one round trip, and no timeout. */
static uint32_t max_seq_seen;
static uint64_t rexmit_first, rexmit_last;
static int rexmits_seen, drops3;
static void drop_three(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	(void)dst;
	wire.blackhole = false;
	if (src != HOST_A)
		return;
	struct tcp_hdr *th = (struct tcp_hdr *)p->data;
	unsigned hlen = (th->off >> 4) * 4u;
	if (p->len <= hlen)
		return;
	uint32_t seq = ntohl(th->seq);
	if (max_seq_seen && SEQ_LT(seq, max_seq_seen)) {
		if (!rexmits_seen++)
			rexmit_first = now_ns;
		rexmit_last = now_ns;
		return;
	}
	max_seq_seen = seq + 1;
	for (int k = 0; k < 3; k++)
		if (seq == drop_seq + (uint32_t)k * 4 * 1460) {
			wire.blackhole = true;
			drops3++;
		}
}

static void test_sack_sender(void **state)
{
	(void)state;
	struct tcp_pcb *a, *b;
	wire.delay_ns = 20 * MS;
	open_pair(&a, &b, 256 * 1024);
	assert_int_equal(h_transfer(a, b, 300000, 60000 * MS), 300000);
	drop_seq = a->snd_nxt + 5 * a->mss;
	max_seq_seen = 0;
	rexmits_seen = drops3 = 0;
	uint32_t rtx0 = a->retransmits;
	wire.tap = drop_three;
	assert_int_equal(h_transfer(a, b, 300000, 60000 * MS), 300000);
	wire.tap = NULL;
	assert_int_equal(drops3, 3);
	assert_int_equal(a->retransmits - rtx0, 3);
	assert_int_equal(rexmits_seen, 3);
	assert_true(rexmit_last - rexmit_first < 40 * MS);   /* one round trip */
	assert_int_equal(a->backoff, 0);
	assert_false(a->in_recovery);
	close_pair(a, b);
}

/* A peer that scatters tiny out-of-order pieces: at most TCP_OOO_MAX
 * stretches are kept (the rest dropped, as if lost), no memory is
 * allocated for them, and once the holes are filled the data reads back
 * exactly. */
static void inject_data(struct tcp_pcb *from, struct tcp_pcb *to, uint32_t seq,
                        const uint8_t *d, uint32_t n, uint8_t flags)
{
	uint8_t seg[TCP_HLEN + 512];
	struct tcp_hdr *th = (struct tcp_hdr *)seg;
	memset(th, 0, TCP_HLEN);
	th->sport = from->lport;
	th->dport = from->fport;
	th->seq = htonl(seq);
	th->ack = htonl(to->snd_nxt);
	th->off = 5 << 4;
	th->flags = TH_ACK | flags;
	th->win = htons(1000);
	memcpy(seg + TCP_HLEN, d, n);
	wire_inject(seg, TCP_HLEN + n, from->laddr, from->faddr, true);
}

static void test_ooo_bounded(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	open_pair(&a, &b, 65536);
	uint8_t data[400];
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 1);
	uint32_t nxt = b->rcv_nxt;
	/* A sends the 400 bytes and its FIN into a black hole; the test
	 * plays them to B in pieces (so both ends agree on the stream). */
	wire.blackhole = true;
	assert_int_equal(tcp_sbuf_write(a, data, sizeof(data)), sizeof(data));
	tcp_output(a);
	h_close(a);
	net_run(20 * MS);
	wire.blackhole = false;
	int allocs = harness_live_allocs();
	/* 60 one-byte pieces at offsets 2, 4, ..., 120: only 32 are kept. */
	for (uint32_t k = 1; k <= 60; k++)
		inject_data(a, b, nxt + 2 * k, data + 2 * k, 1, 0);
	assert_int_equal(b->ooo_n, TCP_OOO_MAX);
	assert_int_equal(b->ooo_bytes, TCP_OOO_MAX);
	assert_int_equal(b->rcv_nxt, nxt);
	assert_int_equal(b->rb_len, 0);
	/* A piece bridging two stretches merges them; a FIN out of order
	 * waits for the data before it. */
	inject_data(a, b, nxt + 2, data + 2, 3, 0);
	assert_int_equal(b->ooo_n, TCP_OOO_MAX - 1);
	inject_data(a, b, nxt + 200, data + 200, 200, TH_FIN);
	assert_int_equal(b->ooo_n, TCP_OOO_MAX);
	assert_true(b->ooo_fin);
	net_run(20 * MS);   /* B's duplicate ACKs reach A */
	assert_true(harness_live_allocs() <= allocs);   /* nothing kept per piece */
	/* Fill the holes: everything up to the FIN is in order now. */
	inject_data(a, b, nxt, data, 200, 0);
	assert_int_equal(b->ooo_n, 0);
	assert_int_equal(b->rb_len, 400);
	assert_int_equal(b->rcv_nxt, nxt + 401);
	assert_true(b->fin_rcvd);
	uint8_t back[400];
	assert_int_equal(tcp_rbuf_read(b, back, sizeof(back), false), 400);
	assert_memory_equal(back, data, sizeof(data));
	h_close(b);
	net_run(3 * TCP_MSL_NS);
	tcp_reap();
	assert_int_equal(harness_live_allocs(), base);
}

static void test_rto_backoff_and_timeout(void **state)
{
	(void)state;
	struct tcp_pcb *a, *b;
	open_pair(&a, &b, 65536);
	a->refs++;
	wire.blackhole = true;
	tcp_sbuf_write(a, "hello", 5);
	tcp_output(a);
	uint64_t rto = a->rto;
	assert_true(rto >= TCP_RTO_MIN_NS);
	net_run(rto + rto / 2);
	assert_int_equal(a->retransmits, 1);
	net_run(2 * rto);      /* second retransmission after 2 RTO */
	assert_int_equal(a->retransmits, 2);
	net_run(3 * rto);
	assert_int_equal(a->retransmits, 2);   /* the third waits 4 RTO */
	net_run(2 * rto);
	assert_int_equal(a->retransmits, 3);
	net_run(60ull * 60 * 1000 * MS);
	assert_int_equal(a->state, TCP_CLOSED);
	assert_int_equal(a->err, ETIMEDOUT);
	tcp_pcb_put(a);
	tcp_pcb_put(a);   /* the owner's */
	wire.blackhole = false;
	h_close(b);
	tcp_set_closed(b, 0);
}

static void test_simultaneous_open_and_close(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a = tcp_pcb_new(), *b = tcp_pcb_new();
	wire.delay_ns = 10 * MS;
	assert_int_equal(tcp_bind_port(a, HOST_A, htons(1111), false), 0);
	assert_int_equal(tcp_bind_port(b, HOST_B, htons(2222), false), 0);
	assert_int_equal(tcp_connect_start(a, HOST_B, htons(2222), 65536, 65536), 0);
	assert_int_equal(tcp_connect_start(b, HOST_A, htons(1111), 65536, 65536), 0);
	net_run(500 * MS);
	assert_int_equal(a->state, TCP_ESTABLISHED);
	assert_int_equal(b->state, TCP_ESTABLISHED);
	assert_int_equal(h_transfer(a, b, 10000, 5000 * MS), 10000);
	/* Both close at once: FIN_WAIT_1 -> CLOSING -> TIME_WAIT on both. */
	a->refs++;
	b->refs++;
	h_close(a);
	h_close(b);
	net_run(15 * MS);
	assert_int_equal(a->state, TCP_CLOSING);
	assert_int_equal(b->state, TCP_CLOSING);
	net_run(200 * MS);
	assert_int_equal(a->state, TCP_TIME_WAIT);
	assert_int_equal(b->state, TCP_TIME_WAIT);
	net_run(3 * TCP_MSL_NS);
	tcp_pcb_put(a);
	tcp_pcb_put(b);
	tcp_reap();
	assert_int_equal(harness_live_allocs(), base);
}

static void make_seg(struct tcp_hdr *th, struct tcp_pcb *from, uint32_t seq,
                     uint32_t ack, uint8_t flags)
{
	memset(th, 0, sizeof(*th));
	th->sport = from->lport;
	th->dport = from->fport;
	th->seq = htonl(seq);
	th->ack = htonl(ack);
	th->off = 5 << 4;
	th->flags = flags;
	th->win = htons(1000);
}

static void test_rfc5961(void **state)
{
	(void)state;
	struct tcp_pcb *a, *b;
	open_pair(&a, &b, 65536);
	struct tcp_hdr th;
	unsigned long sent = wire.sent;
	/* RST in the window but not at RCV.NXT: challenge ACK, survives. */
	make_seg(&th, a, b->rcv_nxt + 100, 0, TH_RST);
	wire_inject(&th, sizeof(th), HOST_A, HOST_B, true);
	assert_int_equal(b->state, TCP_ESTABLISHED);
	assert_int_equal(wire.sent, sent + 1);
	/* RST outside the window: silently dropped. */
	make_seg(&th, a, b->rcv_nxt + 10000000, 0, TH_RST);
	wire_inject(&th, sizeof(th), HOST_A, HOST_B, true);
	assert_int_equal(b->state, TCP_ESTABLISHED);
	assert_int_equal(wire.sent, sent + 1);
	/* SYN on an established connection: challenge ACK, survives. */
	make_seg(&th, a, b->rcv_nxt + 5, 0, TH_SYN);
	wire_inject(&th, sizeof(th), HOST_A, HOST_B, true);
	assert_int_equal(b->state, TCP_ESTABLISHED);
	assert_int_equal(wire.sent, sent + 2);
	/* Data with an ACK far in the future: dropped with an ACK. */
	make_seg(&th, a, b->rcv_nxt, b->snd_nxt + 1000000, TH_ACK);
	wire_inject(&th, sizeof(th), HOST_A, HOST_B, true);
	assert_int_equal(b->state, TCP_ESTABLISHED);
	/* Bad checksum: dropped, nothing sent. */
	sent = wire.sent;
	make_seg(&th, a, b->rcv_nxt, 0, TH_RST);
	th.csum = 0x1234;
	wire_inject(&th, sizeof(th), HOST_A, HOST_B, false);
	assert_int_equal(b->state, TCP_ESTABLISHED);
	assert_int_equal(wire.sent, sent);
	/* Truncated and bad-offset headers: dropped. */
	wire_inject(&th, 10, HOST_A, HOST_B, false);
	th.off = 15 << 4;
	wire_inject(&th, sizeof(th), HOST_A, HOST_B, true);
	assert_int_equal(b->state, TCP_ESTABLISHED);
	net_run(100 * MS);
	assert_int_equal(h_transfer(a, b, 5000, 5000 * MS), 5000);
	/* The exact RST resets. */
	b->refs++;
	make_seg(&th, a, b->rcv_nxt, 0, TH_RST);
	wire_inject(&th, sizeof(th), HOST_A, HOST_B, true);
	assert_int_equal(b->state, TCP_CLOSED);
	assert_int_equal(b->err, ECONNRESET);
	tcp_pcb_put(b);
	tcp_pcb_put(b);
	h_close(a);
	net_run(3 * TCP_MSL_NS);
}

static void test_zero_window_persist(void **state)
{
	(void)state;
	struct tcp_pcb *a, *b;
	wire.delay_ns = 5 * MS;
	open_pair(&a, &b, 16384);
	char buf[4096];
	memset(buf, 'z', sizeof(buf));
	/* B never reads: its window closes, then A's buffer fills. */
	size_t put = 0;
	for (int i = 0; i < 20; i++) {
		put += tcp_sbuf_write(a, buf, sizeof(buf));
		tcp_output(a);
		net_run(50 * MS);
	}
	assert_int_equal(put, 2 * 16384);
	assert_int_equal(b->rb_len, 16384);
	assert_int_equal(a->snd_wnd, 0);
	unsigned long sent = wire.sent;
	net_run(20000 * MS);
	assert_true(wire.sent > sent + 3);       /* probes keep going */
	assert_int_equal(a->state, TCP_ESTABLISHED);
	/* Reading opens the window and the data flows again. */
	size_t got = 0;
	for (int i = 0; i < 200 && got < put; i++) {
		uint32_t r;
		while ((r = tcp_rbuf_read(b, buf, sizeof(buf), false)) > 0) {
			got += r;
			tcp_window_update(b);
		}
		net_run(200 * MS);
	}
	assert_int_equal(got, put);
	close_pair(a, b);
}

static unsigned long segs_with_data;
static void count_data(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	(void)dst;
	if (src == HOST_A && p->len > TCP_HLEN)
		segs_with_data++;
}

static void test_nagle(void **state)
{
	(void)state;
	struct tcp_pcb *a, *b;
	wire.delay_ns = 50 * MS;
	open_pair(&a, &b, 65536);
	wire.tap = count_data;
	segs_with_data = 0;
	for (int i = 0; i < 10; i++) {
		tcp_sbuf_write(a, "x", 1);
		tcp_output(a);
	}
	net_run(1000 * MS);
	/* The first goes at once, the other nine together after its ACK. */
	assert_int_equal(segs_with_data, 2);
	a->nodelay = true;
	segs_with_data = 0;
	for (int i = 0; i < 10; i++) {
		tcp_sbuf_write(a, "y", 1);
		tcp_output(a);
	}
	assert_int_equal(segs_with_data, 10);
	net_run(1000 * MS);
	assert_int_equal(b->rb_len, 20);
	wire.tap = NULL;
	close_pair(a, b);
}

static void test_keepalive(void **state)
{
	(void)state;
	struct tcp_pcb *a, *b;
	open_pair(&a, &b, 65536);
	a->refs++;
	a->keepalive = true;
	a->keep_idle_s = 10;
	a->keep_intvl_s = 2;
	a->keep_cnt = 3;
	tcp_arm_keepalive(a);
	unsigned long sent = wire.sent;
	net_run(11000 * MS);
	assert_true(wire.sent >= sent + 2);      /* probe and its answer */
	assert_int_equal(a->state, TCP_ESTABLISHED);
	wire.blackhole = true;                   /* the peer disappears */
	net_run(30000 * MS);
	assert_int_equal(a->state, TCP_CLOSED);
	assert_int_equal(a->err, ETIMEDOUT);
	tcp_pcb_put(a);
	tcp_pcb_put(a);   /* the owner's */
	wire.blackhole = false;
	h_close(b);
	tcp_set_closed(b, 0);
}

static void test_refused_and_syn_flood(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *c = h_connect(HOST_A, HOST_B, 9, 65536);
	c->refs++;
	net_run(100 * MS);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->err, ECONNREFUSED);
	tcp_pcb_put(c);
	tcp_pcb_put(c);
	/* A flood of SYNs from many ports: bounded, and a connection
	 * established before keeps working. */
	struct tcp_pcb *a, *b;
	open_pair(&a, &b, 65536);
	struct tcp_pcb *l = h_listen(HOST_B, 7777, 65536);
	wire.blackhole = true;     /* the SYN-ACKs go nowhere */
	for (int i = 0; i < 2000; i++) {
		struct tcp_hdr th;
		memset(&th, 0, sizeof(th));
		th.sport = htons((uint16_t)(1024 + i));
		th.dport = htons(7777);
		th.seq = htonl((uint32_t)rand());
		th.off = 5 << 4;
		th.flags = TH_SYN;
		wire_inject(&th, sizeof(th), HOST_A, HOST_B, true);
	}
	assert_true(l->syn_len <= 128);
	wire.blackhole = false;
	/* The queue is full of children nobody answers: a real client
	 * still gets in (the oldest half-open child makes room), at once,
	 * not after they time out. */
	assert_int_equal(l->syn_len, 128);
	struct tcp_pcb *real = h_connect(HOST_A, HOST_B, 7777, 65536);
	net_run(100 * MS);
	assert_int_equal(real->state, TCP_ESTABLISHED);
	struct tcp_pcb *acc = tcp_accept_child(l);
	assert_non_null(acc);
	assert_int_equal(acc->fport, real->lport);
	assert_true(l->syn_len <= 128);
	h_close(real);
	h_close(acc);
	assert_int_equal(h_transfer(a, b, 10000, 5000 * MS), 10000);
	h_close(l);
	close_pair(a, b);
	net_run(120000 * MS);
	tcp_reap();
	assert_int_equal(harness_live_allocs(), base);
}

/* D-SACK undo (tcp_cong.c), on a bare pcb: a reduction is given back
 * only once every retransmission since has been reported as a
 * duplicate, and the reordering it shows raises the threshold. */
static void test_dsack_undo(void **state)
{
	(void)state;
	struct tcp_pcb p;
	memset(&p, 0, sizeof(p));
	tcp_cong_init(&p);
	p.state = TCP_ESTABLISHED;
	p.sack_ok = true;
	p.mss = 1000;
	p.cwnd = 20000;
	p.snd_una = p.recover = 1000;
	p.snd_nxt = p.snd_max = 21000;
	uint64_t undos = tcp_stats.dsack_undo;
	assert_int_equal(tcp_dupthresh(&p), 3);
	assert_true(tcp_cong_enter_recovery(&p));
	assert_int_equal(p.cwnd, 10000);
	tcp_cong_retransmitted(&p, 1);
	tcp_cong_retransmitted(&p, 1);
	tcp_cong_dsack(&p, 1000, 2000);       /* one of two: no undo */
	assert_true(p.in_recovery);
	assert_int_equal(p.cwnd, 10000);
	tcp_cong_dsack(&p, 500, 900);         /* before the episode: ignored */
	assert_true(p.in_recovery);
	tcp_cong_dsack(&p, 3000, 4000);       /* both came back */
	assert_false(p.in_recovery);
	assert_int_equal(p.cwnd, 20000);
	assert_int_equal(p.ssthresh, 0xffffffffu);
	assert_int_equal(tcp_stats.dsack_undo, undos + 1);
	assert_int_equal(p.reordering, 5);
	assert_int_equal(tcp_dupthresh(&p), 5);
	/* A second episode with a real loss: no D-SACK, no undo. */
	p.snd_una = 21000;
	p.snd_nxt = p.snd_max = 41000;
	assert_true(tcp_cong_enter_recovery(&p));
	tcp_cong_retransmitted(&p, 1);
	tcp_cong_dsack(&p, 3000, 4000);       /* a late one of the old episode */
	assert_true(p.in_recovery);
	assert_int_equal(tcp_stats.dsack_undo, undos + 1);
}

/* ---- D-SACK (RFC 2883) and the order of SACK blocks (RFC 2018 4) as a
 * receiver: A's data goes into a black hole and the test plays it to B
 * piece by piece (so both ends agree on the stream), reading the ACK B
 * sends for each piece. ---- */
static int b_acks;
static uint32_t b_ack;
static int b_nsack;
static struct tcp_ival b_sack[4];
static void see_b_acks(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	(void)dst;
	if (src != HOST_B)
		return;
	const struct tcp_hdr *th = (const struct tcp_hdr *)p->data;
	unsigned hlen = (th->off >> 4) * 4u;
	const uint8_t *o = p->data + TCP_HLEN;
	b_acks++;
	b_ack = ntohl(th->ack);
	b_nsack = 0;
	for (unsigned i = 0; i < hlen - TCP_HLEN;) {
		if (o[i] == 0)
			break;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (o[i] == 5)
			for (unsigned k = 0; k < (o[i + 1] - 2u) / 8 && b_nsack < 4; k++) {
				uint32_t l, r;
				memcpy(&l, o + i + 2 + 8 * k, 4);
				memcpy(&r, o + i + 6 + 8 * k, 4);
				b_sack[b_nsack].seq = ntohl(l);
				b_sack[b_nsack++].end = ntohl(r);
			}
		i += o[i + 1] ? o[i + 1] : 1;
	}
}

static uint8_t play_data[2000];
static uint32_t play_nxt;

/* A pair whose 2000 bytes from A only the test delivers. */
static void play_open(struct tcp_pcb **a, struct tcp_pcb **b)
{
	open_pair(a, b, 65536);
	for (unsigned i = 0; i < sizeof(play_data); i++)
		play_data[i] = (uint8_t)(i * 7 + 3);
	play_nxt = (*b)->rcv_nxt;
	wire.blackhole = true;
	assert_int_equal(tcp_sbuf_write(*a, play_data, sizeof(play_data)), sizeof(play_data));
	tcp_output(*a);
	wire.tap = see_b_acks;
}

/* Play bytes [from, to) of the stream to B; B's ACK must leave at once. */
static void play(struct tcp_pcb *a, struct tcp_pcb *b, uint32_t from, uint32_t to)
{
	b_acks = 0;
	inject_data(a, b, play_nxt + from, play_data + from, to - from, 0);
	assert_int_equal(b_acks, 1);
}

/* B's last ACK acknowledged ack and carried these blocks (offsets). */
static void expect_ack(uint32_t ack, int n, const uint32_t *blk)
{
	assert_int_equal(b_ack, play_nxt + ack);
	assert_int_equal(b_nsack, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(b_sack[i].seq, play_nxt + blk[2 * i]);
		assert_int_equal(b_sack[i].end, play_nxt + blk[2 * i + 1]);
	}
}

/* A's retransmissions fill the holes: B reads the stream intact. */
static void play_close(struct tcp_pcb *a, struct tcp_pcb *b)
{
	wire.tap = NULL;
	wire.blackhole = false;
	net_run(10000 * MS);
	assert_int_equal(b->rcv_nxt, play_nxt + sizeof(play_data));
	assert_int_equal(b->ooo_n, 0);
	uint8_t back[sizeof(play_data)];
	assert_int_equal(tcp_rbuf_read(b, back, sizeof(back), false), sizeof(back));
	assert_memory_equal(back, play_data, sizeof(back));
	close_pair(a, b);
}

static void test_dsack_receiver(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	play_open(&a, &b);
	assert_true(b->sack_ok);
	struct tcp_stats st = tcp_stats;
	play(a, b, 0, 100);
	expect_ack(100, 0, NULL);
	/* Below rcv_nxt, whole or in part: the duplicate bytes go first. */
	play(a, b, 0, 100);
	expect_ack(100, 1, (const uint32_t[]){ 0, 100 });
	play(a, b, 50, 150);
	expect_ack(150, 1, (const uint32_t[]){ 50, 100 });
	assert_int_equal(tcp_stats.dsack_old_sent, st.dsack_old_sent + 2);
	assert_int_equal(tcp_stats.dsack_ofo_sent, st.dsack_ofo_sent);
	/* Out of order: reported once, then again over data held. */
	play(a, b, 300, 400);
	expect_ack(150, 1, (const uint32_t[]){ 300, 400 });
	play(a, b, 300, 400);
	expect_ack(150, 2, (const uint32_t[]){ 300, 400, 300, 400 });
	play(a, b, 350, 450);
	expect_ack(150, 2, (const uint32_t[]){ 350, 400, 300, 450 });
	play(a, b, 600, 700);
	expect_ack(150, 2, (const uint32_t[]){ 600, 700, 300, 450 });
	/* In-order data that runs into a stretch held: its overlap. */
	play(a, b, 150, 350);
	expect_ack(450, 2, (const uint32_t[]){ 300, 350, 600, 700 });
	assert_int_equal(tcp_stats.dsack_old_sent, st.dsack_old_sent + 2);
	assert_int_equal(tcp_stats.dsack_ofo_sent, st.dsack_ofo_sent + 3);
	/* A duplicate ACKed already is not reported again. */
	play(a, b, 800, 900);
	expect_ack(450, 2, (const uint32_t[]){ 800, 900, 600, 700 });
	play_close(a, b);
	tcp_reap();
	assert_int_equal(harness_live_allocs(), base);
}

/* Without SACK permitted the duplicate is ACKed, with no option. */
static void test_dsack_needs_sack(void **state)
{
	(void)state;
	struct tcp_pcb *a, *b;
	play_open(&a, &b);
	a->sack_ok = b->sack_ok = false;   /* as if a SYN had not offered it */
	struct tcp_stats st = tcp_stats;
	play(a, b, 0, 100);
	play(a, b, 0, 100);
	expect_ack(100, 0, NULL);
	play(a, b, 300, 400);
	play(a, b, 300, 400);
	expect_ack(100, 0, NULL);
	assert_int_equal(tcp_stats.dsack_old_sent, st.dsack_old_sent);
	assert_int_equal(tcp_stats.dsack_ofo_sent, st.dsack_ofo_sent);
	play_close(a, b);
}

/* RFC 2018 4: the first block holds the latest arrival, the others are
 * the blocks reported most recently, so that a block is repeated in
 * several ACKs (a merge or an extension does not bring back an old one
 * before one reported since). */
static void test_sack_order(void **state)
{
	(void)state;
	struct tcp_pcb *a, *b;
	play_open(&a, &b);
	/* Six stretches, A..F, arriving from the lowest. */
	for (uint32_t k = 0; k < 6; k++)
		play(a, b, 100 + 200 * k, 200 + 200 * k);
	expect_ack(0, 4, (const uint32_t[]){ 1100, 1200, 900, 1000, 700, 800, 500, 600 });
	/* E and F merge: then D, C, and B (reported more lately than A). */
	play(a, b, 1000, 1100);
	expect_ack(0, 4, (const uint32_t[]){ 900, 1200, 700, 800, 500, 600, 300, 400 });
	/* A grows: it goes first, the rest as last reported. */
	play(a, b, 50, 100);
	expect_ack(0, 4, (const uint32_t[]){ 50, 200, 900, 1200, 700, 800, 500, 600 });
	/* A duplicate in C: the D-SACK, C, then A and E-F. */
	play(a, b, 500, 600);
	expect_ack(0, 4, (const uint32_t[]){ 500, 600, 500, 600, 50, 200, 900, 1200 });
	play_close(a, b);
}

/* ---- the ACK policy (tcp_input.c data_ack_due, ack_defer; tcp_output.c
 * tcp_window_update) ---- */
static int acks_seen;
static uint32_t ack_prev, ack_step_max;
static void see_acks(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	(void)dst;
	const struct tcp_hdr *th = (const struct tcp_hdr *)p->data;
	unsigned hlen = (th->off >> 4) * 4u;
	if (src != HOST_B || p->len != hlen || (th->flags & (TH_SYN | TH_FIN | TH_RST)))
		return;
	uint32_t ack = ntohl(th->ack);
	if (ack - ack_prev > ack_step_max)
		ack_step_max = ack - ack_prev;
	ack_prev = ack;
	acks_seen++;
}

static void acks_reset(struct tcp_pcb *b)
{
	acks_seen = 0;
	ack_step_max = 0;
	ack_prev = b->rcv_nxt;
}

static void send_now(struct tcp_pcb *a, uint32_t n)
{
	static uint8_t buf[65536];
	assert_int_equal(tcp_sbuf_write(a, buf, n), n);
	tcp_output(a);
}

/* Quick-ack mode at the start (one ACK a segment, 16 of them with this
 * buffer), then one ACK every second full segment, a lone segment after
 * the delayed-ACK timer, and quick-ack mode again after an idle time. */
static void test_ack_every_second(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	wire.delay_ns = 5 * MS;
	open_pair(&a, &b, 256 * 1024);
	wire.tap = see_acks;
	acks_reset(b);
	send_now(a, 4 * 1460);
	net_run(20 * MS);
	assert_int_equal(acks_seen, 4);
	assert_int_equal(ack_step_max, 1460);
	send_now(a, 24 * 1460);   /* 12 quick ACKs left, then pairs */
	net_run(100 * MS);
	assert_int_equal(b->quick, 0);
	acks_reset(b);
	send_now(a, 40 * 1460);
	net_run(100 * MS);
	assert_int_equal(b->rcv_nxt - ack_prev, 0);
	assert_int_equal(ack_step_max, 2 * 1460);
	assert_true(acks_seen >= 20 && acks_seen <= 22);
	/* One segment alone: the delayed-ACK timer, not before. */
	acks_reset(b);
	send_now(a, 1000);
	net_run(TCP_DELACK_NS - 5 * MS);
	assert_int_equal(acks_seen, 0);
	net_run(20 * MS);
	assert_int_equal(acks_seen, 1);
	/* Idle longer than the RTO: quick-ack mode again. */
	net_run(3000 * MS);
	acks_reset(b);
	send_now(a, 2 * 1460);
	net_run(20 * MS);
	assert_int_equal(acks_seen, 2);
	close_pair_and_check(a, b, base);
}

/* In netrxd's batch the ACKs of in-order data wait for its end: one for
 * what the batch delivered. Out-of-order data is ACKed at once (the
 * duplicate ACKs of fast retransmit), batch or not. */
static void test_ack_batch(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	wire.delay_ns = 5 * MS;
	open_pair(&a, &b, 256 * 1024);
	wire.tap = see_acks;
	acks_reset(b);
	wire.rx_batch = true;
	send_now(a, 10 * 1460);
	net_run(20 * MS);
	assert_int_equal(acks_seen, 0);
	tcp_rx_flush();
	assert_int_equal(acks_seen, 1);
	assert_int_equal(ack_prev, b->rcv_nxt);
	tcp_rx_flush();                       /* nothing more is due */
	assert_int_equal(acks_seen, 1);
	net_run(20 * MS);                     /* A takes the ACK */
	/* A hole: the segments above it are ACKed each, at once. */
	uint32_t nxt = b->rcv_nxt;
	wire.tap = NULL;
	wire.blackhole = true;
	send_now(a, 1460);
	wire.blackhole = false;
	wire.tap = see_acks;
	acks_reset(b);
	send_now(a, 3 * 1460);
	net_run(8 * MS);                      /* before any probe */
	assert_int_equal(acks_seen, 3);
	assert_int_equal(ack_prev, nxt);
	wire.rx_batch = false;
	tcp_rx_flush();
	net_run(2000 * MS);                   /* the hole is repaired */
	assert_int_equal(b->rcv_nxt, nxt + 4 * 1460);
	close_pair_and_check(a, b, base);
}

/* A read announces the window only when the window offered had fallen
 * to half the buffer or less and the read at least doubles it. */
static void test_window_update_rule(void **state)
{
	(void)state;
	int base = harness_live_allocs();
	struct tcp_pcb *a, *b;
	static uint8_t buf[32768];
	wire.delay_ns = 5 * MS;
	open_pair(&a, &b, 65536);
	send_now(a, 60000);
	net_run(1000 * MS);
	assert_int_equal(b->rb_len, 60000);
	uint32_t adv = b->rcv_adv - b->rcv_nxt;
	assert_true(adv < 8192);
	wire.tap = see_acks;
	acks_reset(b);
	assert_int_equal(tcp_rbuf_read(b, buf, 3000, false), 3000);
	tcp_window_update(b);               /* grows by 3000, not doubled */
	assert_int_equal(acks_seen, 0);
	assert_int_equal(tcp_rbuf_read(b, buf, 20000, false), 20000);
	tcp_window_update(b);
	assert_int_equal(acks_seen, 1);
	assert_true(b->rcv_adv - b->rcv_nxt >= 2 * adv);
	/* Under double what is offered: the read stays quiet. */
	acks_reset(b);
	assert_int_equal(tcp_rbuf_read(b, buf, 10000, false), 10000);
	tcp_window_update(b);
	assert_int_equal(acks_seen, 0);
	close_pair_and_check(a, b, base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_handshake_and_close, setup),
		cmocka_unit_test_setup(test_transfer_clean, setup),
		cmocka_unit_test_setup(test_rcv_autotune, setup),
		cmocka_unit_test_setup(test_snd_autotune, setup),
		cmocka_unit_test_setup(test_transfer_lossy, setup),
		cmocka_unit_test_setup(test_fast_retransmit, setup),
		cmocka_unit_test_setup(test_tso, setup),
		cmocka_unit_test_setup(test_sack_receiver, setup),
		cmocka_unit_test_setup(test_sack_sender, setup),
		cmocka_unit_test_setup(test_ooo_bounded, setup),
		cmocka_unit_test_setup(test_rto_backoff_and_timeout, setup),
		cmocka_unit_test_setup(test_simultaneous_open_and_close, setup),
		cmocka_unit_test_setup(test_rfc5961, setup),
		cmocka_unit_test_setup(test_zero_window_persist, setup),
		cmocka_unit_test_setup(test_nagle, setup),
		cmocka_unit_test_setup(test_keepalive, setup),
		cmocka_unit_test_setup(test_refused_and_syn_flood, setup),
		cmocka_unit_test_setup(test_dsack_undo, setup),
		cmocka_unit_test_setup(test_dsack_receiver, setup),
		cmocka_unit_test_setup(test_dsack_needs_sack, setup),
		cmocka_unit_test_setup(test_sack_order, setup),
		cmocka_unit_test_setup(test_ack_every_second, setup),
		cmocka_unit_test_setup(test_ack_batch, setup),
		cmocka_unit_test_setup(test_window_update_rule, setup),
	};
	setvbuf(stdout, NULL, _IONBF, 0);
	if (getenv("TCP_TEST"))
		cmocka_set_test_filter(getenv("TCP_TEST"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
