/*
 * kernel/net/tcp_input.c - segment arrival (RFC 9293 3.10.7), with the
 * RFC 5961 defences against blind attacks:
 *   - a RST is honoured only when its sequence number is exactly
 *     RCV.NXT; elsewhere in the window it earns a "challenge ACK";
 *   - a SYN on a synchronized connection earns a challenge ACK, never a
 *     reset;
 *   - an ACK is acceptable only within [SND.UNA - MAX.SND.WND, SND.NXT];
 * challenge ACKs are limited to CHALLENGE_PER_SEC a second.
 *
 * A listener answers a SYN with a child connection in SYN_RECEIVED; the
 * child moves to the listener's accept queue when the handshake
 * completes. At most SYN_QUEUE_MAX children wait in SYN_RECEIVED per
 * listener, so a SYN flood costs bounded memory and leaves established
 * connections alone; a SYN that finds the queue full takes the place of
 * the child that waited longest (evict_half_open), so a real client still
 * gets in during a flood. A child whose SYN-ACK cannot be delivered (ARP
 * gave up: host unreachable) is dropped at once (tcp_icmp_error).
 *
 * Received data within the window goes straight to its place in rbuf
 * (tcp.h); out-of-order stretches are remembered in pcb->ooo (at most
 * TCP_OOO_MAX; a segment that would need one more is dropped as if lost)
 * and reported to the peer in SACK blocks when it offered SACK (RFC
 * 2018), which lets a Linux sender repair several holes a round trip
 * instead of waiting for its retransmission timer. Data that arrives a
 * second time is ACKed at once with a D-SACK block (RFC 2883, tcp_sack.c),
 * from which the sender learns that its resend was needless. An out-of-order
 * segment or one filling a hole is ACKed at once (that is what drives the
 * peer's fast retransmit), in-order data as data_ack_due() says, at the
 * end of netrxd's batch (ack_defer). As a sender we keep the peer's SACK blocks
 * (pcb->sacked) so that recovery resends every hole they show, one per
 * duplicate ACK (tcp_retransmit_hole), not one per round trip.
 */
#include "net/netif.h"
#include "net/tcp.h"
#include "ktime.h"
#include "mm.h"

#define SYN_QUEUE_MAX 128
#define CHALLENGE_PER_SEC 100

struct seg {
	uint32_t seq, ack, len;   /* len: data bytes */
	uint32_t wnd;             /* unscaled */
	uint8_t flags;
	const uint8_t *data;
	uint16_t mss;             /* 0: none */
	int wscale;               /* -1: none */
	bool sack_perm;
	int nsack;                /* SACK blocks (on synchronized connections) */
	struct tcp_ival sack[4];
};

static void parse_options(const uint8_t *o, unsigned n, struct seg *s)
{
	s->mss = 0;
	s->wscale = -1;
	s->sack_perm = false;
	s->nsack = 0;
	for (unsigned i = 0; i < n;) {
		uint8_t kind = o[i];
		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
			break;   /* malformed: ignore the rest */
		uint8_t len = o[i + 1];
		if (kind == 2 && len == 4)
			s->mss = (uint16_t)(o[i + 2] << 8 | o[i + 3]);
		else if (kind == 3 && len == 3)
			s->wscale = MIN(o[i + 2], TCP_MAX_WSCALE);
		else if (kind == 4 && len == 2)
			s->sack_perm = true;
		else if (kind == 5 && len >= 10 && (len - 2) % 8 == 0) {
			for (unsigned k = 0; k < (len - 2u) / 8 && s->nsack < 4; k++) {
				uint32_t l, r;
				memcpy(&l, o + i + 2 + 8 * k, 4);
				memcpy(&r, o + i + 6 + 8 * k, 4);
				s->sack[s->nsack].seq = ntohl(l);
				s->sack[s->nsack++].end = ntohl(r);
			}
		}
		i += len;
	}
}

static bool challenge_allowed(void)
{
	static uint64_t window_start;
	static unsigned count;
	uint64_t now = time_ns();
	if (now - window_start > 1000000000ull) {
		window_start = now;
		count = 0;
	}
	return ++count <= CHALLENGE_PER_SEC;
}

static void challenge_ack(struct tcp_pcb *pcb)
{
	if (challenge_allowed())
		tcp_send_ack(pcb);
}

static uint16_t route_mss(in_addr_be dst)
{
	unsigned mtu = 1500;
	in_addr_be src;
	if (ip_route_lookup(dst, &src, &mtu) < 0 || mtu < 128)
		mtu = 1500;
	return (uint16_t)(mtu - 40);
}

static void set_mss(struct tcp_pcb *pcb, const struct seg *s)
{
	uint16_t peer = s->mss ? s->mss : TCP_DEFAULT_MSS;
	pcb->mss = MIN(peer, route_mss(pcb->faddr));
	if (pcb->mss < 64)
		pcb->mss = 64;
	pcb->tso = (ip_route_features(pcb->faddr) & NETIF_F_TSO) != 0;
	/* RFC 6928 initial window. */
	pcb->cwnd = MIN(10u * pcb->mss, MAX(2u * pcb->mss, 14600u));
}

/* ---- LISTEN ---- */

/* The SYN queue is full: give up the half-open child that has waited
 * longest (most SYN-ACKs resent; the oldest among equals, the table
 * being newest first), as BSD's syncache does. A flood from addresses
 * that never answer then only ages the queue faster; without this it
 * kept every new SYN, a real client's too, out for the two minutes its
 * children took to time out. */
static bool evict_half_open(struct tcp_pcb *l)
{
	struct tcp_pcb *victim = NULL;
	for (struct tcp_pcb *c = tcp_pcb_list(); c; c = c->next)
		if (c->parent == l && c->state == TCP_SYN_RECEIVED &&
		    (!victim || c->backoff >= victim->backoff))
			victim = c;
	if (!victim)
		return false;
	tcp_set_closed(victim, 0);
	return true;
}

static void listen_input(struct tcp_pcb *l, struct seg *s, in_addr_be src,
                         in_addr_be dst, const struct tcp_hdr *th)
{
	if (s->flags & TH_RST)
		return;
	if (s->flags & TH_ACK) {
		tcp_send_reset(dst, src, th, 0);
		return;
	}
	if (!(s->flags & TH_SYN) || (s->flags & TH_FIN))
		return;
	if (l->acq_len > l->backlog)
		return;   /* full: the peer retries its SYN */
	if (l->syn_len >= SYN_QUEUE_MAX && !evict_half_open(l))
		return;
	struct tcp_pcb *c = tcp_pcb_new();
	if (!c)
		return;
	if (tcp_alloc_buffers(c, l->rb_size, l->sb_size)) {
		tcp_pcb_put(c);
		return;
	}
	c->laddr = dst;
	c->lport = l->lport;
	c->faddr = src;
	c->fport = th->sport;
	c->parent = l;
	l->refs++;
	l->syn_len++;
	c->nodelay = l->nodelay;
	c->rcv_autotune = l->rcv_autotune;
	c->snd_autotune = l->snd_autotune;
	c->keepalive = l->keepalive;
	c->keep_idle_s = l->keep_idle_s;
	c->keep_intvl_s = l->keep_intvl_s;
	c->keep_cnt = l->keep_cnt;
	c->ttl = l->ttl;
	c->uid = l->uid;
	c->irs = s->seq;
	c->rcv_nxt = c->rcv_adv = c->rcv_wup = s->seq + 1;
	c->iss = tcp_new_isn(dst, c->lport, src, c->fport);
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->recover = c->iss;   /* RFC 6582: else half the ISSs look "in recovery" */
	c->snd_wnd = c->max_snd_wnd = s->wnd;
	c->snd_wl1 = s->seq;
	c->snd_wl2 = c->iss;
	if (s->wscale >= 0) {
		c->wscale_ok = true;
		c->snd_wscale = (uint8_t)s->wscale;
		c->rcv_wscale = tcp_rcv_wscale(c);
	}
	c->sack_ok = s->sack_perm;
	set_mss(c, s);
	c->state = TCP_SYN_RECEIVED;
	tcp_list_add(c);
	tcp_send_ctl(c, TH_SYN | TH_ACK);
	tcp_arm_rtx(c);
}

/* ---- SYN_SENT ---- */

static void syn_sent_input(struct tcp_pcb *pcb, struct seg *s, in_addr_be src,
                           in_addr_be dst, const struct tcp_hdr *th)
{
	bool ack_ok = false;
	if (s->flags & TH_ACK) {
		if (SEQ_LEQ(s->ack, pcb->iss) || SEQ_GT(s->ack, pcb->snd_max)) {
			if (!(s->flags & TH_RST))
				tcp_send_reset(dst, src, th, 0);
			return;
		}
		ack_ok = true;
	}
	if (s->flags & TH_RST) {
		if (ack_ok)
			tcp_set_closed(pcb, ECONNREFUSED);
		return;
	}
	if (!(s->flags & TH_SYN))
		return;
	pcb->irs = s->seq;
	pcb->rcv_nxt = pcb->rcv_adv = pcb->rcv_wup = s->seq + 1;
	if (s->wscale >= 0) {
		pcb->wscale_ok = true;
		pcb->snd_wscale = (uint8_t)s->wscale;
	} else {
		pcb->rcv_wscale = 0;
	}
	pcb->sack_ok = s->sack_perm;   /* we offered it in our SYN */
	set_mss(pcb, s);
	pcb->snd_wnd = pcb->max_snd_wnd = s->wnd;   /* never scaled in a SYN */
	pcb->snd_wl1 = s->seq;
	pcb->snd_wl2 = s->ack;
	if (ack_ok) {
		pcb->snd_una = s->ack;
		if (pcb->backoff == 0 && pcb->rtt_start)
			tcp_rtt_sample(pcb, time_ns() - pcb->rtt_start);
		pcb->backoff = 0;
		tcp_stop_rtx(pcb);
		tcp_set_state(pcb, TCP_ESTABLISHED);
		tcp_arm_keepalive(pcb);
		tcp_send_ack(pcb);
		return;
	}
	/* Simultaneous open (RFC 9293 figure 7). */
	tcp_set_state(pcb, TCP_SYN_RECEIVED);
	tcp_send_ctl(pcb, TH_SYN | TH_ACK);
}

/* ---- synchronized states ---- */

static bool seq_acceptable(struct tcp_pcb *pcb, const struct seg *s, uint32_t seglen)
{
	uint32_t wnd = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt) ? pcb->rcv_adv - pcb->rcv_nxt : 0;
	uint32_t nxt = pcb->rcv_nxt;
	bool in = SEQ_GEQ(s->seq, nxt) && SEQ_LT(s->seq, nxt + wnd);
	if (seglen == 0)
		return wnd == 0 ? s->seq == nxt : in;
	if (wnd == 0)
		return false;
	uint32_t last = s->seq + seglen - 1;
	return in || (SEQ_GEQ(last, nxt) && SEQ_LT(last, nxt + wnd));
}

/* Copy n bytes of sequence rcv_nxt + off to their place in the ring; the
 * caller keeps off + n within tcp_rcv_space(). */
static void rbuf_put(struct tcp_pcb *pcb, uint32_t off, const uint8_t *d, uint32_t n)
{
	uint32_t pos = (pcb->rb_head + pcb->rb_len + off) % pcb->rb_size;
	uint32_t first = MIN(n, pcb->rb_size - pos);
	memcpy(pcb->rbuf + pos, d, first);
	memcpy(pcb->rbuf, d + first, n - first);
}

/* SYN_RECEIVED -> ESTABLISHED: queue the child for accept(). */
static void child_established(struct tcp_pcb *pcb)
{
	tcp_set_state(pcb, TCP_ESTABLISHED);
	struct tcp_pcb *l = pcb->parent;
	if (!l)
		return;   /* simultaneous open: no listener */
	l->syn_len--;
	l->acq_len++;
	if (l->acq_tail)
		l->acq_tail->acq_next = pcb;
	else
		l->acq_head = pcb;
	l->acq_tail = pcb;
	wake_up(&l->wq);
}

/* The sender's SACK scoreboard (RFC 6675, simplified): the stretches
 * above snd_una the peer reported, merged; blocks outside (snd_una,
 * snd_max] (D-SACKs among them) are ignored. */
static uint32_t sacked_bytes(struct tcp_pcb *pcb)
{
	uint32_t n = 0;
	for (int i = 0; i < pcb->sacked_n; i++)
		n += pcb->sacked[i].end - pcb->sacked[i].seq;
	return n;
}

void tcp_rtx_note(struct tcp_pcb *pcb, uint32_t seq)
{
	int n = 0;
	/* Keep what is still outstanding and not this seq; newest last. */
	for (int i = 0; i < pcb->rtx_log_n; i++)
		if (SEQ_GEQ(pcb->rtx_log[i].seq, pcb->snd_una) && pcb->rtx_log[i].seq != seq)
			pcb->rtx_log[n++] = pcb->rtx_log[i];
	if (n == TCP_RTX_LOG) {
		memmove(&pcb->rtx_log[0], &pcb->rtx_log[1], (TCP_RTX_LOG - 1) * sizeof(pcb->rtx_log[0]));
		n--;
	}
	pcb->rtx_log[n].seq = seq;
	pcb->rtx_log[n].end = pcb->snd_max;
	pcb->rtx_log_n = n + 1;
}

/* A lost retransmission (what RACK, RFC 8985, finds by time; here by
 * order, as Linux's lost-retransmit check did before RACK): the segment
 * at snd_una was resent, and three segments' worth of data sent after
 * that resend is SACKed while it is still missing. Resend it at once
 * instead of waiting for the timeout. (Not the raised duplicate
 * threshold: in recovery cwnd is small, and data sent after a resend
 * seldom reaches it; a needless resend is undone by the D-SACK.) */
static void lost_rtx_check(struct tcp_pcb *pcb)
{
	if (!pcb->sacked_n)
		return;
	uint32_t high = pcb->sacked[pcb->sacked_n - 1].end;
	for (int i = 0; i < pcb->rtx_log_n; i++) {
		if (pcb->rtx_log[i].seq != pcb->snd_una)
			continue;
		uint32_t beyond = MIN(tcp_dupthresh(pcb), 3u) * pcb->mss;
		if (SEQ_GEQ(high, pcb->rtx_log[i].end + beyond)) {
			tcp_stats.lost_retransmit++;
			tcp_retransmit_head(pcb);   /* notes a new mark */
		}
		return;
	}
}

/* Returns true when the blocks SACKed something new. */
static bool sack_update(struct tcp_pcb *pcb, const struct seg *s)
{
	uint32_t before = sacked_bytes(pcb);
	int k = 0;
	while (k < pcb->sacked_n && SEQ_LEQ(pcb->sacked[k].end, pcb->snd_una))
		k++;
	if (k) {
		memmove(&pcb->sacked[0], &pcb->sacked[k],
		        (size_t)(pcb->sacked_n - k) * sizeof(pcb->sacked[0]));
		pcb->sacked_n -= k;
	}
	if (pcb->sacked_n && SEQ_LT(pcb->sacked[0].seq, pcb->snd_una))
		pcb->sacked[0].seq = pcb->snd_una;
	for (int i = 0; i < s->nsack; i++) {
		const struct tcp_ival *b = &s->sack[i];
		if (SEQ_LEQ(b->seq, pcb->snd_una) || SEQ_GEQ(b->seq, b->end) ||
		    SEQ_GT(b->end, pcb->snd_max))
			continue;
		tcp_ival_add(pcb->sacked, &pcb->sacked_n, TCP_OOO_MAX, b->seq, b->end);
	}
	return s->nsack && sacked_bytes(pcb) > before;
}

/* RFC 2883: the first block is a D-SACK when it lies below the
 * cumulative ACK or inside the second block. It goes to tcp_cong_dsack()
 * and leaves the list, which then holds only ordinary blocks. */
static void dsack_input(struct tcp_pcb *pcb, struct seg *s)
{
	if (!s->nsack)
		return;
	const struct tcp_ival *b = &s->sack[0];
	bool dup = SEQ_LT(b->seq, s->ack) ||
	           (s->nsack > 1 && SEQ_GEQ(b->seq, s->sack[1].seq) &&
	            SEQ_LEQ(b->end, s->sack[1].end));
	if (!dup || !SEQ_LT(b->seq, b->end))
		return;
	tcp_cong_dsack(pcb, b->seq, b->end);
	memmove(&s->sack[0], &s->sack[1], (size_t)(s->nsack - 1) * sizeof(s->sack[0]));
	s->nsack--;
}

/* Step 5: the ACK field. Returns false when the segment is finished. */
static bool ack_input(struct tcp_pcb *pcb, struct seg *s, in_addr_be src,
                      in_addr_be dst, const struct tcp_hdr *th)
{
	if (pcb->state == TCP_SYN_RECEIVED) {
		if (SEQ_LEQ(s->ack, pcb->snd_una) || SEQ_GT(s->ack, pcb->snd_max)) {
			tcp_send_reset(dst, src, th, 0);
			return false;
		}
		pcb->snd_una = s->ack;
		pcb->snd_wnd = s->wnd << (pcb->wscale_ok ? pcb->snd_wscale : 0);
		pcb->max_snd_wnd = MAX(pcb->max_snd_wnd, pcb->snd_wnd);
		pcb->snd_wl1 = s->seq;
		pcb->snd_wl2 = s->ack;
		pcb->backoff = 0;
		tcp_stop_rtx(pcb);
		child_established(pcb);
		tcp_arm_keepalive(pcb);
		return true;
	}
	/* RFC 5961 5.2 */
	if (SEQ_GT(s->ack, pcb->snd_max) ||
	    SEQ_LT(s->ack, pcb->snd_una - pcb->max_snd_wnd)) {
		challenge_ack(pcb);
		return false;
	}
	uint32_t wnd = s->wnd << (pcb->wscale_ok ? pcb->snd_wscale : 0);
	dsack_input(pcb, s);
	if (SEQ_GT(s->ack, pcb->snd_una)) {
		uint32_t acked = s->ack - pcb->snd_una;
		uint32_t data = MIN(acked, pcb->sb_len);
		pcb->sb_head = pcb->sb_size ? (pcb->sb_head + data) % pcb->sb_size : 0;
		pcb->sb_len -= data;
		if (pcb->fin_queued && acked > data)
			pcb->fin_acked = true;
		pcb->snd_una = s->ack;
		if (SEQ_LT(pcb->snd_nxt, pcb->snd_una))
			pcb->snd_nxt = pcb->snd_una;
		if (pcb->rtt_timing && SEQ_GEQ(s->ack, pcb->rtt_seq)) {
			tcp_rtt_sample(pcb, time_ns() - pcb->rtt_start);
			pcb->rtt_timing = false;
		}
		pcb->backoff = 0;
		pcb->tlp_out = false;
		sack_update(pcb, s);
		bool rexmit = tcp_cong_ack(pcb, acked);
		if (pcb->snd_una == pcb->snd_max)
			tcp_stop_rtx(pcb);
		else
			tcp_arm_rtx(pcb);
		/* The ACK moved, but its blocks show the new first hole lost
		 * (RFC 6675 IsLost): recovery need not wait for duplicates. */
		if (!pcb->in_recovery && pcb->sacked_n &&
		    sacked_bytes(pcb) >= tcp_dupthresh(pcb) * pcb->mss &&
		    tcp_cong_enter_recovery(pcb))
			tcp_retransmit_head(pcb);
		/* A partial ACK: resend the next hole, unless SACK recovery
		 * resent it already this episode. */
		else if (rexmit && (!pcb->sacked_n || SEQ_GEQ(pcb->snd_una, pcb->rexmit_nxt)))
			tcp_retransmit_head(pcb);
		else if (rexmit && !pcb->sack_ok)
			tcp_retransmit_hole(pcb);
		tcp_sack_recovery_send(pcb);
		wake_up(&pcb->wq);
	} else if (s->ack == pcb->snd_una && s->len == 0 &&
	           !(s->flags & (TH_SYN | TH_FIN)) && pcb->snd_una != pcb->snd_max &&
	           (sack_update(pcb, s) || (wnd == pcb->snd_wnd && !pcb->sack_ok))) {
		/* A duplicate ACK: the same window (RFC 5681), or, the window
		 * moved by the reader, new SACK information (RFC 6675 2).
		 * DupThresh segments' worth SACKed above the hole mark it lost
		 * as that many duplicates would (RFC 6675 IsLost), ACK losses
		 * or not. */
		int thresh = (int)tcp_dupthresh(pcb);
		if (pcb->sacked_n && pcb->dupacks < thresh - 1 &&
		    sacked_bytes(pcb) >= (uint32_t)thresh * pcb->mss)
			pcb->dupacks = thresh - 1;
		if (tcp_cong_dupack(pcb))
			tcp_retransmit_head(pcb);
		lost_rtx_check(pcb);
		tcp_sack_recovery_send(pcb);   /* as the pipe allows */
	}
	if (SEQ_LT(pcb->snd_wl1, s->seq) ||
	    (pcb->snd_wl1 == s->seq && SEQ_LEQ(pcb->snd_wl2, s->ack))) {
		bool opened = pcb->snd_wnd == 0 && wnd > 0;
		pcb->snd_wnd = wnd;
		pcb->max_snd_wnd = MAX(pcb->max_snd_wnd, wnd);
		pcb->snd_wl1 = s->seq;
		pcb->snd_wl2 = s->ack;
		if (opened) {
			/* Only persist probes were out: send normally again. */
			tcp_stop_rtx(pcb);
			pcb->backoff = 0;
			pcb->snd_nxt = pcb->snd_una;
		}
		if (opened)
			wake_up(&pcb->wq);
	}
	if (!pcb->fin_acked)
		return true;
	switch (pcb->state) {
	case TCP_FIN_WAIT_1:
		tcp_set_state(pcb, TCP_FIN_WAIT_2);
		tcp_arm_fin_wait2(pcb);
		break;
	case TCP_CLOSING:
		tcp_enter_time_wait(pcb);
		break;
	case TCP_LAST_ACK:
		tcp_set_closed(pcb, 0);
		return false;
	default:
		break;
	}
	return true;
}

static void fin_input(struct tcp_pcb *pcb)
{
	pcb->rcv_nxt++;   /* the FIN takes a sequence number */
	pcb->fin_rcvd = true;
	pcb->ack_now = true;
	switch (pcb->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		tcp_set_state(pcb, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT_1:
		if (pcb->fin_acked)
			tcp_enter_time_wait(pcb);
		else
			tcp_set_state(pcb, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT_2:
		tcp_enter_time_wait(pcb);
		break;
	default:
		break;
	}
	wake_up(&pcb->wq);
}

/*
 * The ACK policy for in-order data, as Linux's __tcp_ack_snd_check and
 * tcp_event_data_recv (RFC 1122 4.2.3.2, RFC 5681 4.2): an ACK is due
 * once more than one full segment's worth is unacknowledged (so at least
 * every second full-sized segment; a coalesced segment of two or more
 * counts as what it carries), and for every segment in quick-ack mode,
 * which starts a connection's data (so that the peer's slow start is not
 * held back by our delayed ACKs) and data after an idle time longer than
 * the RTO: min(buffer / 2 MSS, 16) ACKs (Linux's tcp_incr_quickack).
 * Otherwise the delayed-ACK timer (TCP_DELACK_NS, 40 ms, well under the
 * RFC's 500 ms and Linux's 200 ms ceiling) sends it.
 */
static bool data_ack_due(struct tcp_pcb *pcb)
{
	uint64_t now = time_ns();
	if (!pcb->last_data || now - pcb->last_data > pcb->rto) {
		uint32_t q = pcb->rb_size / (2u * pcb->mss);
		q = MAX(q, 2u);
		q = MIN(q, (uint32_t)TCP_MAX_QUICKACKS);
		if (q > pcb->quick)
			pcb->quick = (uint8_t)q;
	}
	pcb->last_data = now;
	return pcb->rcv_nxt - pcb->rcv_wup > pcb->mss || pcb->quick;
}

/*
 * The ACKs that in-order data made due wait for the end of netrxd's
 * batch (tcp_rx_flush from netrxd, before the drivers' doorbells): one
 * ACK a connection for what the batch delivered, as Linux's GRO makes of
 * a NAPI batch one segment and one ACK. Under QEMU each ACK sent is a
 * doorbell write in which the host handles it. Duplicate ACKs (out of
 * order data), ACKs of holes filled and of FINs are never deferred.
 * False when the ACK must go now (not in a batch, or the list is full).
 */
#define ACK_BATCH_MAX 32
static struct tcp_pcb *ack_batch[ACK_BATCH_MAX];
static int ack_batch_n;

static bool ack_defer(struct tcp_pcb *pcb)
{
	if (!netif_in_rx_batch())
		return false;
	if (pcb->ack_queued)
		return true;
	if (ack_batch_n == ACK_BATCH_MAX)
		return false;
	pcb->refs++;
	pcb->ack_queued = true;
	ack_batch[ack_batch_n++] = pcb;
	return true;
}

static void sync_input(struct tcp_pcb *pcb, struct seg *s, in_addr_be src,
                       in_addr_be dst, const struct tcp_hdr *th)
{
	uint32_t seglen = s->len + !!(s->flags & TH_SYN) + !!(s->flags & TH_FIN);
	if (pcb->state == TCP_SYN_RECEIVED && (s->flags & TH_SYN) &&
	    !(s->flags & TH_ACK) && s->seq == pcb->irs) {
		tcp_send_ctl(pcb, TH_SYN | TH_ACK);   /* our SYN-ACK was lost */
		return;
	}
	/* Simultaneous open: the peer's SYN-ACK repeats the SYN we have;
	 * what is new is its ACK. */
	if (pcb->state == TCP_SYN_RECEIVED && (s->flags & TH_SYN) &&
	    (s->flags & TH_ACK) && s->seq == pcb->irs) {
		s->seq++;
		s->flags &= (uint8_t)~TH_SYN;
		seglen--;
	}
	if (!seq_acceptable(pcb, s, seglen)) {
		if (!(s->flags & TH_RST)) {
			if (pcb->state == TCP_TIME_WAIT && (s->flags & TH_FIN))
				tcp_enter_time_wait(pcb);   /* FIN again: restart 2 MSL */
			/* Data (or a FIN) all below rcv_nxt came twice. A SYN
			 * is not data: RFC 5961's challenge ACK (Linux too). */
			else if (seglen && SEQ_LT(s->seq, pcb->rcv_nxt) &&
			         !(s->flags & TH_SYN) && pcb->state != TCP_TIME_WAIT)
				tcp_dsack_set(pcb, s->seq, SEQ_LT(s->seq + seglen, pcb->rcv_nxt)
				                       ? s->seq + seglen : pcb->rcv_nxt);
			tcp_send_ack(pcb);
		}
		return;
	}
	if (s->flags & TH_RST) {
		if (s->seq != pcb->rcv_nxt) {
			challenge_ack(pcb);
			return;
		}
		int err = pcb->state == TCP_CLOSE_WAIT || pcb->state <= TCP_ESTABLISHED ||
		          pcb->state == TCP_FIN_WAIT_1 || pcb->state == TCP_FIN_WAIT_2
		          ? ECONNRESET : 0;
		if (pcb->state == TCP_SYN_RECEIVED && pcb->parent)
			err = 0;   /* passive open: back to nothing */
		tcp_set_closed(pcb, err);
		return;
	}
	if (s->flags & TH_SYN) {
		challenge_ack(pcb);   /* RFC 5961 4.2 */
		return;
	}
	if (!(s->flags & TH_ACK))
		return;
	tcp_arm_keepalive(pcb);
	if (!ack_input(pcb, s, src, dst, th))
		return;

	/* Steps 6-8: data and FIN. */
	bool fin = s->flags & TH_FIN;
	uint32_t seq = s->seq, len = s->len;
	const uint8_t *d = s->data;
	bool data_ack = false;   /* in-order data made an ACK due */
	bool takes_data = pcb->state == TCP_ESTABLISHED ||
	                  pcb->state == TCP_FIN_WAIT_1 || pcb->state == TCP_FIN_WAIT_2;
	if (!takes_data && fin)
		pcb->ack_now = true;   /* a FIN again, or after ours: ACK it */
	if (takes_data && !pcb->fin_rcvd) {
		if (SEQ_LT(seq, pcb->rcv_nxt)) {
			uint32_t skip = pcb->rcv_nxt - seq;
			if (skip > len) {
				len = 0;
				skip = 0;
			}
			tcp_dsack_set(pcb, seq, seq + skip);   /* the head came twice */
			d += skip;
			len -= skip;
			seq = pcb->rcv_nxt;
		}
		/* Everything lands at its place in the ring: keep it within
		 * the ring's free space (the window we offer). */
		uint32_t off = seq - pcb->rcv_nxt, room = tcp_rcv_space(pcb);
		uint32_t limit = off < room ? room - off : 0;
		if (len > limit) {
			len = limit;
			fin = false;
		}
		if (len)
			tcp_dsack_ooo(pcb, seq, seq + len);
		if (off == 0) {
			bool had_ooo = pcb->ooo_n > 0;
			if (len) {
				rbuf_put(pcb, 0, d, len);
				pcb->rb_len += len;
				pcb->rcv_nxt += len;
				tcp_rcv_rtt_measure(pcb);
				data_ack = data_ack_due(pcb);
				if (had_ooo)
					pcb->ack_now = true;   /* a hole filled */
				else if (!data_ack)
					tcp_arm_delack(pcb);
				if ((had_ooo || pcb->ooo_fin) && tcp_ooo_advance(pcb))
					fin = true;
				wake_up(&pcb->wq);
			}
			if (fin)
				fin_input(pcb);
		} else if (len || fin) {
			if (len && tcp_ooo_add(pcb, seq, seq + len)) {
				rbuf_put(pcb, off, d, len);
				tcp_sack_note(pcb, seq);
			} else if (len) {
				fin = false;
			}
			if (fin) {
				pcb->ooo_fin = true;
				pcb->ooo_fin_seq = seq + len;
			}
			pcb->ack_now = true;   /* duplicate ACK for fast retransmit */
		}
	}
	tcp_output(pcb);   /* data sent now carries the ACK */
	if (pcb->ack_now)
		tcp_send_ack(pcb);
	else if (data_ack && pcb->rcv_nxt != pcb->rcv_wup && !ack_defer(pcb))
		tcp_send_ack(pcb);
}

/* An ACK of received data left the batch's list (or the pcb went). */
void tcp_rx_flush(void)
{
	if (!ack_batch_n)
		return;
	mutex_lock(&tcp_lock);
	for (int i = 0; i < ack_batch_n; i++) {
		struct tcp_pcb *pcb = ack_batch[i];
		pcb->ack_queued = false;
		if (pcb->state != TCP_CLOSED && pcb->state != TCP_LISTEN &&
		    (pcb->ack_now || pcb->rcv_nxt != pcb->rcv_wup))
			tcp_send_ack(pcb);
		tcp_pcb_put(pcb);
	}
	ack_batch_n = 0;
	mutex_unlock(&tcp_lock);
}

void tcp_segment(struct tcp_pcb *pcb, struct pkt *p, in_addr_be src, in_addr_be dst)
{
	const struct tcp_hdr *th = (const struct tcp_hdr *)p->data;
	unsigned hlen = (th->off >> 4) * 4u;
	struct seg s = {
		.seq = ntohl(th->seq), .ack = ntohl(th->ack),
		.len = (uint32_t)(p->len - hlen), .wnd = ntohs(th->win),
		.flags = th->flags, .data = p->data + hlen, .wscale = -1,
	};
	if ((s.flags & TH_SYN) || (pcb->sack_ok && hlen > TCP_HLEN))
		parse_options(p->data + TCP_HLEN, hlen - TCP_HLEN, &s);
	switch (pcb->state) {
	case TCP_CLOSED:
		break;
	case TCP_LISTEN:
		listen_input(pcb, &s, src, dst, th);
		break;
	case TCP_SYN_SENT:
		syn_sent_input(pcb, &s, src, dst, th);
		break;
	default:
		sync_input(pcb, &s, src, dst, th);
		break;
	}
	pkt_free(p);
}
