/*
 * kernel/net/tcp_output.c - building and sending TCP segments, and the
 * send/receive byte rings.
 *
 * tcp_output() sends as much of the send buffer as min(peer window,
 * cwnd) allows, in MSS-sized segments, with three brakes:
 *   - Nagle (RFC 896, RFC 9293 3.7.4): a partial segment waits while data
 *     is unacknowledged, unless TCP_NODELAY;
 *   - sender silly-window avoidance: a window-limited piece smaller than
 *     the MSS waits until it is at least half the largest window seen;
 *   - a zero window starts the persist timer (tcp_timer.c), whose probes
 *     keep asking for a window update.
 * The FIN goes with (or after) the last byte. Every segment carries the
 * current ACK and window, so sending one also satisfies a pending ACK.
 *
 * TSO: when the route's device segments for us (NETIF_F_TSO, pcb->tso),
 * a segment may carry up to TCP_TSO_MAX bytes, a whole number of MSS
 * unless it ends the data; it goes down as one packet with gso_size =
 * MSS and the device cuts it into MSS-sized segments on the wire. The
 * brakes above see it as what it is, several full segments sent at once,
 * still bounded by min(peer window, cwnd). Retransmissions (the head on
 * a timeout, holes under SACK) stay one MSS each, and SACK blocks only
 * ride on segments of at most one MSS. Should the big buffer not be had,
 * the segment is sent one MSS at a time instead.
 *
 * The advertised window never moves its right edge left (RFC 9293
 * 3.8.6.2.2); it is scaled by rcv_wscale once both SYNs carried the
 * option (RFC 7323).
 */
#include "net/ip_hdr.h"
#include "net/tcp.h"
#include "ktime.h"
#include "mm.h"

static uint16_t adv_window(struct tcp_pcb *pcb)
{
	uint32_t win = tcp_rcv_space(pcb);
	uint32_t scale = pcb->wscale_ok ? pcb->rcv_wscale : 0;
	if (SEQ_LT(pcb->rcv_nxt + win, pcb->rcv_adv))
		win = pcb->rcv_adv - pcb->rcv_nxt;      /* never shrink */
	win = MIN(win, (uint32_t)65535 << scale);
	uint32_t scaled = win >> scale;
	if (SEQ_GT(pcb->rcv_nxt + (scaled << scale), pcb->rcv_adv))
		pcb->rcv_adv = pcb->rcv_nxt + (scaled << scale);
	return (uint16_t)scaled;
}

uint32_t tcp_flight(struct tcp_pcb *pcb)
{
	return pcb->snd_max - pcb->snd_una;
}

/* Copy n bytes of the send ring from offset off (from snd_una). */
static void sbuf_copy(struct tcp_pcb *pcb, uint32_t off, uint8_t *dst, uint32_t n)
{
	uint32_t pos = (pcb->sb_head + off) % pcb->sb_size;
	uint32_t first = MIN(n, pcb->sb_size - pos);
	memcpy(dst, pcb->sbuf + pos, first);
	memcpy(dst + first, pcb->sbuf, n - first);
}

/* Build and send one segment: options as the flags need (SYN options,
 * or SACK blocks while out-of-order data waits). A segment longer than
 * the MSS goes as a TSO packet. False when there was no memory for it. */
static bool send_segment(struct tcp_pcb *pcb, uint32_t seq, uint8_t flags,
                         uint32_t data_off, uint32_t len)
{
	uint8_t opt[40];
	unsigned optlen = 0;
	if (flags & TH_SYN) {
		unsigned mtu = 1500;
		in_addr_be src;
		if (ip_route_lookup(pcb->faddr, &src, &mtu) < 0)
			mtu = 1500;
		uint16_t mss = (uint16_t)MIN(mtu - 40, 65495u);
		opt[0] = 2; opt[1] = 4; opt[2] = (uint8_t)(mss >> 8); opt[3] = (uint8_t)mss;
		optlen = 4;
		if (pcb->sack_ok || pcb->state == TCP_SYN_SENT) {
			opt[optlen++] = 1;   /* NOP, NOP, SACK permitted */
			opt[optlen++] = 1;
			opt[optlen++] = 4;
			opt[optlen++] = 2;
		}
		if (pcb->wscale_ok || pcb->state == TCP_SYN_SENT) {
			opt[optlen++] = 1;   /* NOP, window scale */
			opt[optlen++] = 3;
			opt[optlen++] = 3;
			opt[optlen++] = pcb->rcv_wscale;
		}
	} else if (!(flags & TH_RST) && pcb->state != TCP_SYN_SENT) {
		/* Blocks only where they fit beside the data in one MSS. */
		unsigned room = len + 12 <= pcb->mss ? (pcb->mss - len - 4) / 8 : 0;
		optlen = tcp_sack_option(pcb, opt, room);
	}
	unsigned hlen = TCP_HLEN + optlen;
	struct pkt *p = pkt_alloc(hlen + len);
	if (!p)
		return false;   /* as a lost segment: retransmission recovers */
	uint8_t *b = pkt_put(p, hlen + len);
	struct tcp_hdr *th = (struct tcp_hdr *)b;
	th->sport = pcb->lport;
	th->dport = pcb->fport;
	th->seq = htonl(seq);
	if (pcb->state != TCP_SYN_SENT || (flags & TH_ACK)) {
		flags |= TH_ACK;
		th->ack = htonl(pcb->rcv_nxt);
	} else {
		th->ack = 0;
	}
	th->off = (uint8_t)((hlen / 4) << 4);
	th->flags = flags;
	/* The window in a SYN is never scaled (RFC 7323 2.2). */
	if (flags & TH_SYN) {
		uint32_t w = MIN(tcp_rcv_space(pcb) ? tcp_rcv_space(pcb) : 65535u, 65535u);
		th->win = htons((uint16_t)w);
		pcb->rcv_adv = pcb->rcv_nxt + w;
	} else {
		th->win = htons(adv_window(pcb));
	}
	th->urp = 0;
	th->csum = 0;
	memcpy(b + TCP_HLEN, opt, optlen);
	if (len)
		sbuf_copy(pcb, data_off, b + hlen, len);
	/* Checksum offload, as udp_output(): the pseudo-header sum in place;
	 * the device (virtio-net) or ip_output() sums the segment, so a data
	 * segment is not read once more here. */
	inet_csum_offload(p, pcb->laddr, pcb->faddr, IPPROTO_TCP, offsetof(struct tcp_hdr, csum));
	if (len > pcb->mss)
		p->gso_size = pcb->mss;   /* no options: room was 0 above */
	if (flags & TH_ACK) {
		/* Quick-ack mode counts the segments each ACK covers. */
		uint32_t segs = (pcb->rcv_nxt - pcb->rcv_wup + pcb->mss - 1) / pcb->mss;
		pcb->quick = pcb->quick > segs ? (uint8_t)(pcb->quick - segs) : 0;
		pcb->ack_now = false;
		pcb->rcv_wup = pcb->rcv_nxt;
		tcp_stop_delack(pcb);
	}
	ip_output(p, pcb->laddr, pcb->faddr, IPPROTO_TCP, pcb->ttl, false);
	return true;
}

void tcp_send_ctl(struct tcp_pcb *pcb, uint8_t flags)
{
	uint32_t seq = (flags & TH_SYN) ? pcb->iss : pcb->snd_nxt;
	send_segment(pcb, seq, flags, 0, 0);
}

void tcp_send_ack(struct tcp_pcb *pcb)
{
	send_segment(pcb, pcb->snd_nxt, TH_ACK, 0, 0);
}

void tcp_send_rst_for(struct tcp_pcb *pcb)
{
	if (pcb->state == TCP_CLOSED || pcb->state == TCP_LISTEN ||
	    pcb->state == TCP_SYN_SENT || pcb->state == TCP_TIME_WAIT)
		return;
	send_segment(pcb, pcb->snd_nxt, TH_RST | TH_ACK, 0, 0);
}

void tcp_send_reset(in_addr_be src, in_addr_be dst, const struct tcp_hdr *th,
                    uint32_t seglen)
{
	if (th->flags & TH_RST)
		return;
	struct pkt *p = pkt_alloc(TCP_HLEN);
	if (!p)
		return;
	struct tcp_hdr *r = (struct tcp_hdr *)pkt_put(p, TCP_HLEN);
	memset(r, 0, TCP_HLEN);
	r->sport = th->dport;
	r->dport = th->sport;
	if (th->flags & TH_ACK) {
		r->seq = th->ack;
		r->flags = TH_RST;
	} else {
		r->ack = htonl(ntohl(th->seq) + seglen);
		r->flags = TH_RST | TH_ACK;
	}
	r->off = 5 << 4;
	r->csum = inet_csum(r, TCP_HLEN, inet_pseudo_sum(src, dst, IPPROTO_TCP, TCP_HLEN));
	ip_output(p, src, dst, IPPROTO_TCP, 0, false);
}

/* Sequence number of our FIN (valid when fin_queued). */
static uint32_t fin_seq(struct tcp_pcb *pcb)
{
	return pcb->snd_una + pcb->sb_len;
}

void tcp_retransmit_head(struct tcp_pcb *pcb)
{
	pcb->retransmits++;
	if (pcb->state == TCP_SYN_SENT) {
		tcp_send_ctl(pcb, TH_SYN);
		return;
	}
	if (pcb->state == TCP_SYN_RECEIVED) {
		tcp_send_ctl(pcb, TH_SYN | TH_ACK);
		return;
	}
	uint32_t len = MIN(pcb->sb_len, (uint32_t)pcb->mss);
	uint8_t flags = TH_ACK;
	if (pcb->fin_queued && !pcb->fin_acked && len == pcb->sb_len &&
	    SEQ_GT(pcb->snd_max, fin_seq(pcb)))
		flags |= TH_FIN;
	if (!len && !(flags & TH_FIN))
		return;
	if (len)
		flags |= TH_PSH;
	send_segment(pcb, pcb->snd_una, flags, 0, len);
	tcp_cong_retransmitted(pcb, 1);
	tcp_rtx_note(pcb, pcb->snd_una);
	if (SEQ_LT(pcb->snd_nxt, pcb->snd_una + len + !!(flags & TH_FIN)))
		pcb->snd_nxt = pcb->snd_una + len + !!(flags & TH_FIN);
	if (SEQ_LT(pcb->rexmit_nxt, pcb->snd_una + len))
		pcb->rexmit_nxt = pcb->snd_una + len;
}

bool tcp_retransmit_hole(struct tcp_pcb *pcb)
{
	if (!pcb->sacked_n || pcb->state < TCP_ESTABLISHED)
		return false;
	uint32_t seq = SEQ_GT(pcb->rexmit_nxt, pcb->snd_una) ? pcb->rexmit_nxt : pcb->snd_una;
	for (int i = 0; i < pcb->sacked_n; i++) {
		const struct tcp_ival *v = &pcb->sacked[i];
		if (SEQ_LT(seq, v->seq)) {
			uint32_t len = MIN(v->seq - seq, (uint32_t)pcb->mss);
			uint32_t off = seq - pcb->snd_una;
			if (off + len > pcb->sb_len)
				return false;
			pcb->retransmits++;
			pcb->rtt_timing = false;   /* Karn */
			send_segment(pcb, seq, TH_ACK, off, len);
			tcp_cong_retransmitted(pcb, 1);
			tcp_rtx_note(pcb, seq);
			pcb->rexmit_nxt = seq + len;
			return true;
		}
		if (SEQ_LT(seq, v->end))
			seq = v->end;
	}
	return false;   /* nothing below the highest SACKed byte */
}

/*
 * RFC 6675's pipe: the bytes the network holds. Outside SACK recovery
 * it is everything sent from snd_una to snd_nxt; in recovery SACKed
 * bytes have left, and so have the holes below the highest SACKed byte
 * that were not resent yet (lost: recovery treats every such hole as
 * lost, having entered on tcp_dupthresh()'s evidence).
 */
uint32_t tcp_pipe(struct tcp_pcb *pcb)
{
	uint32_t off = pcb->snd_nxt - pcb->snd_una;
	if (!pcb->in_recovery || !pcb->sack_ok || !pcb->sacked_n)
		return off;
	uint32_t out = pcb->snd_max - pcb->snd_una, gone = 0;
	uint32_t from = SEQ_GT(pcb->rexmit_nxt, pcb->snd_una) ? pcb->rexmit_nxt : pcb->snd_una;
	uint32_t prev = pcb->snd_una;
	for (int i = 0; i < pcb->sacked_n; i++) {
		const struct tcp_ival *v = &pcb->sacked[i];
		gone += v->end - v->seq;
		uint32_t lo = SEQ_GT(from, prev) ? from : prev;
		if (SEQ_LT(lo, v->seq))
			gone += v->seq - lo;     /* a hole not resent yet */
		prev = v->end;
	}
	return out > gone ? out - gone : 0;
}

/* In SACK recovery: resend holes while cwnd - pipe leaves room for a
 * segment (RFC 6675 5 step C, NextSeg rule 1); tcp_output() then fills
 * what room is left with new data (rule 2). */
void tcp_sack_recovery_send(struct tcp_pcb *pcb)
{
	if (!pcb->in_recovery || !pcb->sack_ok)
		return;
	for (int n = 0; n < 64; n++)   /* bounded: each call resends one hole */
		if (tcp_pipe(pcb) + pcb->mss > pcb->cwnd || !tcp_retransmit_hole(pcb))
			break;
}

void tcp_output(struct tcp_pcb *pcb)
{
	if (pcb->state < TCP_ESTABLISHED) {
		if (pcb->ack_now && pcb->state == TCP_SYN_RECEIVED)
			tcp_send_ctl(pcb, TH_SYN | TH_ACK);
		return;
	}
	if (pcb->state == TCP_TIME_WAIT || !pcb->sbuf) {
		if (pcb->ack_now)
			tcp_send_ack(pcb);
		return;
	}
	bool sent = false;
	uint32_t seg_max = pcb->tso ? TCP_TSO_MAX / pcb->mss * pcb->mss : pcb->mss;
	for (;;) {
		uint32_t off = pcb->snd_nxt - pcb->snd_una;
		/* Limited transmit (RFC 3042, extended as RFC 4653 while the
		 * duplicate threshold is above 3): each duplicate ACK before
		 * recovery lets one new segment out, so the reports that
		 * decide whether a hole is lost keep coming. */
		uint32_t lt = pcb->in_recovery ? 0 : (uint32_t)pcb->dupacks * pcb->mss;
		uint32_t cw = pcb->cwnd + lt, pipe = tcp_pipe(pcb);
		uint32_t avail = pcb->sb_len > off ? pcb->sb_len - off : 0;
		uint32_t usable = MIN(pcb->snd_wnd > off ? pcb->snd_wnd - off : 0,
		                      cw > pipe ? cw - pipe : 0);
		uint32_t len = MIN(MIN(avail, usable), seg_max);
		/* A TSO segment ends on an MSS boundary, unless it ends the
		 * data with TCP_NODELAY: the short remainder is judged on its
		 * own (SWS, Nagle, FIN) as it would be without TSO, where it
		 * follows full segments still unacknowledged. */
		if (len > pcb->mss && (len < avail || !pcb->nodelay))
			len -= len % pcb->mss;
		/* The FIN goes once this segment reaches its sequence number. */
		bool fin = pcb->fin_queued && !pcb->fin_acked &&
		           pcb->snd_nxt + len == fin_seq(pcb);
		if (len < avail && len < pcb->mss && len < pcb->max_snd_wnd / 2)
			len = 0, fin = false;     /* sender SWS avoidance */
		if (len && len == avail && len < pcb->mss && !pcb->nodelay &&
		    pcb->snd_nxt != pcb->snd_una && !fin)
			break;                    /* Nagle */
		if (!len && !fin)
			break;
		uint8_t flags = TH_ACK;
		if (len && len == avail)
			flags |= TH_PSH;
		if (fin)
			flags |= TH_FIN;
		bool new_data = SEQ_GEQ(pcb->snd_nxt, pcb->snd_max);
		if (!send_segment(pcb, pcb->snd_nxt, flags, off, len) && len > pcb->mss) {
			seg_max = pcb->mss;   /* no 64 KiB buffer: MSS pieces */
			continue;
		}
		if (!new_data) {   /* go-back-N after a timeout */
			uint32_t old = MIN(len, pcb->snd_max - pcb->snd_nxt);
			tcp_cong_retransmitted(pcb, (old + pcb->mss - 1) / pcb->mss);
		}
		pcb->snd_nxt += len + fin;
		if (SEQ_GT(pcb->snd_nxt, pcb->snd_max))
			pcb->snd_max = pcb->snd_nxt;
		if (new_data && !pcb->rtt_timing) {
			pcb->rtt_timing = true;
			pcb->rtt_seq = pcb->snd_nxt;
			pcb->rtt_start = time_ns();
		}
		if (!ktimer_pending(&pcb->rtx_timer) || pcb->persist) {
			pcb->persist = false;
			tcp_arm_rtx(pcb);
		}
		sent = true;
		if (fin)
			break;
	}
	/* Data waits behind a zero window: probe it (persist timer). */
	uint32_t off = pcb->snd_nxt - pcb->snd_una;
	if (pcb->snd_wnd == 0 && pcb->sb_len > off && pcb->snd_una == pcb->snd_max &&
	    !ktimer_pending(&pcb->rtx_timer)) {
		pcb->persist = true;
		tcp_arm_rtx(pcb);
	}
	if (!sent && pcb->ack_now)
		tcp_send_ack(pcb);
}

void tcp_send_tlp(struct tcp_pcb *pcb)
{
	tcp_stats.loss_probes++;
	uint32_t before = pcb->snd_max;
	pcb->cwnd += pcb->mss;          /* room for one new segment */
	tcp_output(pcb);
	pcb->cwnd -= pcb->mss;
	if (pcb->snd_max != before)
		return;
	/* Nothing new could go: the last segment of data again. Its
	 * D-SACK must not count towards undoing an earlier reduction. */
	uint32_t data = MIN(pcb->snd_max - pcb->snd_una, pcb->sb_len);
	uint32_t len = MIN(data, (uint32_t)pcb->mss);
	pcb->undo_ok = false;
	if (!len) {
		tcp_retransmit_head(pcb);   /* only the FIN is out */
		return;
	}
	pcb->retransmits++;
	pcb->rtt_timing = false;        /* Karn */
	send_segment(pcb, pcb->snd_una + data - len, TH_ACK, data - len, len);
}

/* A zero-window probe: one byte beyond the window (RFC 9293 3.8.6.1). */
void tcp_send_probe(struct tcp_pcb *pcb)
{
	uint32_t off = pcb->snd_nxt - pcb->snd_una;
	if (pcb->sb_len > off) {
		send_segment(pcb, pcb->snd_nxt, TH_ACK, off, 1);
	} else {
		/* Keep-alive style probe: an old sequence number, no data. */
		send_segment(pcb, pcb->snd_una - 1, TH_ACK, 0, 0);
	}
}

/* ---- rings ---- */

uint32_t tcp_sbuf_write(struct tcp_pcb *pcb, const void *buf, uint32_t n)
{
	uint32_t room = pcb->sb_size - pcb->sb_len;
	n = MIN(n, room);
	uint32_t pos = (pcb->sb_head + pcb->sb_len) % pcb->sb_size;
	uint32_t first = MIN(n, pcb->sb_size - pos);
	memcpy(pcb->sbuf + pos, buf, first);
	memcpy(pcb->sbuf, (const uint8_t *)buf + first, n - first);
	pcb->sb_len += n;
	return n;
}

/* As tcp_sbuf_write, the data coming from the user through fetch
 * (sock_msg.ufetch): nothing is queued unless all of it was copied. */
long tcp_sbuf_fetch(struct tcp_pcb *pcb, int (*fetch)(void *ctx, void *k, size_t n),
                    void *ctx, uint32_t n)
{
	uint32_t room = pcb->sb_size - pcb->sb_len;
	n = MIN(n, room);
	uint32_t pos = (pcb->sb_head + pcb->sb_len) % pcb->sb_size;
	uint32_t first = MIN(n, pcb->sb_size - pos);
	if (fetch(ctx, pcb->sbuf + pos, first) ||
	    (n > first && fetch(ctx, pcb->sbuf, n - first)))
		return -EFAULT;
	pcb->sb_len += n;
	return n;
}

uint32_t tcp_rbuf_read(struct tcp_pcb *pcb, void *buf, uint32_t n, bool peek)
{
	n = MIN(n, pcb->rb_len);
	uint32_t first = MIN(n, pcb->rb_size - pcb->rb_head);
	memcpy(buf, pcb->rbuf + pcb->rb_head, first);
	memcpy((uint8_t *)buf + first, pcb->rbuf, n - first);
	if (!peek) {
		pcb->rb_head = (pcb->rb_head + n) % pcb->rb_size;
		pcb->rb_len -= n;
	}
	return n;
}

long tcp_rbuf_copy_out(struct tcp_pcb *pcb, int (*copy)(void *ctx, const void *k, size_t n),
                       void *ctx, uint32_t n, bool peek)
{
	n = MIN(n, pcb->rb_len);
	uint32_t first = MIN(n, pcb->rb_size - pcb->rb_head);
	if (copy(ctx, pcb->rbuf + pcb->rb_head, first) ||
	    (n > first && copy(ctx, pcb->rbuf, n - first)))
		return -EFAULT;
	if (!peek) {
		pcb->rb_head = (pcb->rb_head + n) % pcb->rb_size;
		pcb->rb_len -= n;
	}
	return n;
}

/*
 * After the user read (Linux's tcp_cleanup_rbuf): an ACK still due for
 * more than one full segment goes now; otherwise a window update only
 * when the window offered has fallen to half the buffer or less and the
 * read at least doubles it (Linux's rule; a download's window moves with
 * the ACKs of its data, so a read is not one more ACK), and never by less
 * than min(buffer / 2, MSS) (RFC 9293 3.8.6.2.2, receiver's SWS avoidance).
 */
void tcp_window_update(struct tcp_pcb *pcb)
{
	if (pcb->state < TCP_ESTABLISHED || pcb->state == TCP_TIME_WAIT || pcb->fin_rcvd)
		return;
	if (pcb->rcv_nxt - pcb->rcv_wup > pcb->mss) {
		tcp_send_ack(pcb);
		return;
	}
	uint32_t space = tcp_rcv_space(pcb);
	uint32_t advertised = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt) ? pcb->rcv_adv - pcb->rcv_nxt : 0;
	if (space > advertised &&
	    space - advertised >= MIN(pcb->rb_size / 2, (uint32_t)pcb->mss) &&
	    2 * (uint64_t)advertised <= pcb->rb_size && space >= 2 * (uint64_t)advertised)
		tcp_send_ack(pcb);
}
