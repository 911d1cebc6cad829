/*
 * kernel/net/tcp_sack.c - the receiver's out-of-order stretches and the
 * SACK option that reports them to the peer.
 *
 * Data beyond rcv_nxt is written to its place in rbuf at once (tcp.h);
 * pcb->ooo lists the stretches filled (sorted, disjoint, at most
 * TCP_OOO_MAX), and in-order data that reaches them takes them in
 * (tcp_ooo_advance). When both SYNs carried SACK-permitted, every ACK
 * while stretches wait carries up to 4 SACK blocks (RFC 2018): the
 * stretch of the latest arrival first, then the others in the order they
 * were last reported (sack_hist), so that each block is repeated in
 * several ACKs and survives the loss of some. Data that arrives a second
 * time, below rcv_nxt or over a stretch held, is reported once as the
 * first block of the next ACK, which goes at once (D-SACK, RFC 2883 4):
 * a Linux sender learns from it that its resend was needless, undoes the
 * reduction and raises its reordering threshold. Counted as Linux's
 * TCPDSACKOldSent and TCPDSACKOfoSent.
 */
#include "net/tcp.h"

static void ooo_recount(struct tcp_pcb *pcb)
{
	uint32_t n = 0;
	for (int i = 0; i < pcb->ooo_n; i++)
		n += pcb->ooo[i].end - pcb->ooo[i].seq;
	pcb->ooo_bytes = n;
}

bool tcp_ival_add(struct tcp_ival *v, int *np, int max, uint32_t seq, uint32_t end)
{
	int n = *np, i = 0;
	while (i < n && SEQ_LT(v[i].end, seq))
		i++;
	int j = i;
	while (j < n && SEQ_LEQ(v[j].seq, end))
		j++;
	if (j == i) {
		if (n == max)
			return false;
		memmove(&v[i + 1], &v[i], (size_t)(n - i) * sizeof(*v));
		v[i].seq = seq;
		v[i].end = end;
		*np = n + 1;
	} else {
		if (SEQ_LT(seq, v[i].seq))
			v[i].seq = seq;
		v[i].end = SEQ_GT(v[j - 1].end, end) ? v[j - 1].end : end;
		memmove(&v[i + 1], &v[j], (size_t)(n - j) * sizeof(*v));
		*np = n - (j - i - 1);
	}
	return true;
}

/* Record [seq, end) (beyond rcv_nxt) as received, merging with the
 * stretches it overlaps or touches. False when it touches none and the
 * list is full: the caller drops the data. */
bool tcp_ooo_add(struct tcp_pcb *pcb, uint32_t seq, uint32_t end)
{
	if (!tcp_ival_add(pcb->ooo, &pcb->ooo_n, TCP_OOO_MAX, seq, end))
		return false;
	ooo_recount(pcb);
	return true;
}

int tcp_ooo_find(struct tcp_pcb *pcb, uint32_t seq)
{
	for (int i = 0; i < pcb->ooo_n; i++)
		if (SEQ_LEQ(pcb->ooo[i].seq, seq) && SEQ_LT(seq, pcb->ooo[i].end))
			return i;
	return -1;
}

/* RFC 2018 4: the first SACK block reports the latest arrival, then the
 * blocks reported most recently (tcp_sack_option keeps that order). Put the arrival's stretch first, one entry per stretch. */
void tcp_sack_note(struct tcp_pcb *pcb, uint32_t seq)
{
	int k = tcp_ooo_find(pcb, seq), n = 0;
	uint32_t keep[TCP_SACK_HIST];
	keep[n++] = seq;
	for (int i = 0; i < pcb->sack_hist_n && n < TCP_SACK_HIST; i++) {
		int g = tcp_ooo_find(pcb, pcb->sack_hist[i]);
		if (g >= 0 && g != k)
			keep[n++] = pcb->sack_hist[i];
	}
	memcpy(pcb->sack_hist, keep, (size_t)n * sizeof(keep[0]));
	pcb->sack_hist_n = n;
}

/*
 * D-SACK (RFC 2883 4, as Linux's tcp_dsack_set and tcp_dsack_extend):
 * [seq, end) arrived again, either below rcv_nxt (the peer resent what
 * was only late, or our ACK was lost) or over data held out of order.
 * The next ACK reports it as its first SACK block, and goes at once; a
 * second duplicate in the same segment only widens the block when it
 * touches it (one block: the rest is the peer's loss to bear).
 */
void tcp_dsack_set(struct tcp_pcb *pcb, uint32_t seq, uint32_t end)
{
	if (!pcb->sack_ok || !SEQ_LT(seq, end))
		return;
	if (SEQ_LT(seq, pcb->rcv_nxt))
		tcp_stats.dsack_old_sent++;
	else
		tcp_stats.dsack_ofo_sent++;
	pcb->dsack = true;
	pcb->dsack_blk.seq = seq;
	pcb->dsack_blk.end = end;
	pcb->ack_now = true;
}

static void dsack_extend(struct tcp_pcb *pcb, uint32_t seq, uint32_t end)
{
	struct tcp_ival *d = &pcb->dsack_blk;
	if (!pcb->dsack) {
		tcp_dsack_set(pcb, seq, end);
	} else if (SEQ_LEQ(seq, d->end) && SEQ_LEQ(d->seq, end)) {
		if (SEQ_LT(seq, d->seq))
			d->seq = seq;
		if (SEQ_GT(end, d->end))
			d->end = end;
	}
}

/* The lowest part of [seq, end) already held out of order: a D-SACK. */
void tcp_dsack_ooo(struct tcp_pcb *pcb, uint32_t seq, uint32_t end)
{
	for (int i = 0; i < pcb->ooo_n; i++) {
		const struct tcp_ival *v = &pcb->ooo[i];
		if (SEQ_LT(v->seq, end) && SEQ_LT(seq, v->end)) {
			dsack_extend(pcb, SEQ_GT(v->seq, seq) ? v->seq : seq,
			             SEQ_LT(v->end, end) ? v->end : end);
			return;
		}
	}
}

/* After in-order data: take the stretches it reached (their bytes are
 * already in place). Returns true when the FIN became in order. */
bool tcp_ooo_advance(struct tcp_pcb *pcb)
{
	int k = 0;
	while (k < pcb->ooo_n && SEQ_LEQ(pcb->ooo[k].seq, pcb->rcv_nxt)) {
		if (SEQ_GT(pcb->ooo[k].end, pcb->rcv_nxt)) {
			uint32_t n = pcb->ooo[k].end - pcb->rcv_nxt;
			pcb->rb_len += n;
			pcb->rcv_nxt += n;
		}
		k++;
	}
	if (k) {
		memmove(&pcb->ooo[0], &pcb->ooo[k], (size_t)(pcb->ooo_n - k) * sizeof(pcb->ooo[0]));
		pcb->ooo_n -= k;
		ooo_recount(pcb);
	}
	return pcb->ooo_fin && pcb->rcv_nxt == pcb->ooo_fin_seq;
}

/*
 * SACK blocks (RFC 2018 4) for the out-of-order stretches, at most max:
 * first a pending D-SACK (RFC 2883 4: the duplicate, which goes once),
 * then the stretches in sack_hist's order (the latest arrival's, then as
 * last reported, so that each block is repeated in several ACKs), then
 * the others from the lowest. What was reported becomes sack_hist's
 * order. Returns the option's length (0: none).
 */
unsigned tcp_sack_option(struct tcp_pcb *pcb, uint8_t *o, unsigned max)
{
	if (!pcb->sack_ok || (!pcb->ooo_n && !pcb->dsack) || !max)
		return 0;
	struct tcp_ival blk[4];
	bool used[TCP_OOO_MAX] = { false };
	int pick[4], n = 0, np = 0;
	max = MIN(max, 4u);
	if (pcb->dsack) {
		blk[n++] = pcb->dsack_blk;
		pcb->dsack = false;
	}
	for (int i = 0; i < pcb->sack_hist_n && n < (int)max; i++) {
		int k = tcp_ooo_find(pcb, pcb->sack_hist[i]);
		if (k >= 0 && !used[k]) {
			used[k] = true;
			pick[np++] = k;
			blk[n++] = pcb->ooo[k];
		}
	}
	for (int k = 0; k < pcb->ooo_n && n < (int)max; k++)
		if (!used[k]) {
			used[k] = true;
			pick[np++] = k;
			blk[n++] = pcb->ooo[k];
		}
	/* The new order: what went now, then the rest as it was. */
	uint32_t hist[TCP_SACK_HIST];
	int nh = 0;
	for (int i = 0; i < np && nh < TCP_SACK_HIST; i++)
		hist[nh++] = pcb->ooo[pick[i]].seq;
	for (int i = 0; i < pcb->sack_hist_n && nh < TCP_SACK_HIST; i++) {
		int k = tcp_ooo_find(pcb, pcb->sack_hist[i]);
		if (k >= 0 && !used[k]) {
			used[k] = true;
			hist[nh++] = pcb->sack_hist[i];
		}
	}
	memcpy(pcb->sack_hist, hist, (size_t)nh * sizeof(hist[0]));
	pcb->sack_hist_n = nh;
	o[0] = 1;   /* NOP, NOP: the blocks stay 32-bit aligned */
	o[1] = 1;
	o[2] = 5;
	o[3] = (uint8_t)(2 + 8 * n);
	for (int i = 0; i < n; i++) {
		uint32_t l = htonl(blk[i].seq), r = htonl(blk[i].end);
		memcpy(o + 4 + 8 * i, &l, 4);
		memcpy(o + 8 + 8 * i, &r, 4);
	}
	return 4 + 8u * (unsigned)n;
}
