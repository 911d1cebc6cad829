/*
 * kernel/net/tcp_cong.c - congestion control and the retransmission
 * timeout.
 *
 * RTO (RFC 6298): SRTT/RTTVAR from samples of segments sent once (Karn's
 * rule: tcp_output only times new data and a retransmission cancels the
 * timing), RTO = SRTT + max(G, 4 RTTVAR) clamped to [200 ms, 60 s]
 * (Linux's floor rather than RFC 6298's 1 s), doubled per timeout through
 * pcb->backoff (tcp_timer.c) and recomputed from the next sample.
 *
 * Congestion (RFC 5681 with NewReno recovery, RFC 6582): slow start below
 * ssthresh, then one MSS per window, both counting acknowledged bytes
 * rather than ACKs (RFC 3465); the duplicate threshold's ACK halves the
 * flight into ssthresh and retransmits the head. Without SACK, cwnd is
 * inflated by three segments and by one per further duplicate, and a
 * partial ACK retransmits the next hole and deflates by the amount
 * acknowledged. With SACK, recovery follows RFC 6675: cwnd = ssthresh
 * from the start, what goes out is cwnd - tcp_pipe() (tcp_output.c),
 * holes first, and partial ACKs leave cwnd alone. The ACK covering
 * `recover` ends recovery with cwnd = ssthresh. A timeout collapses cwnd
 * to one segment (the loss window).
 *
 * Reordering: recovery starts after tcp_dupthresh() duplicate ACKs (or
 * that many segments SACKed above the hole): 3, raised by each needless
 * retransmission the peer's D-SACKs show (pcb->reordering), bounded by
 * 2/3 of the flight. A reduction whose every retransmission turns out
 * needless is undone (tcp_cong_dsack). Before recovery each duplicate
 * ACK lets one new segment out (limited transmit, tcp_output.c).
 */
#include "net/tcp.h"

#define RTO_G_NS (10ull * 1000000)   /* clock granularity: the 10 ms tick */

void tcp_cong_init(struct tcp_pcb *pcb)
{
	pcb->rto = TCP_RTO_INIT_NS;
	pcb->srtt = 0;
	pcb->rttvar = 0;
	pcb->ssthresh = 0xffffffffu;
	pcb->cwnd = 10u * TCP_DEFAULT_MSS;   /* set again from the MSS */
	pcb->reordering = 3;
}

static void set_rto(struct tcp_pcb *pcb)
{
	uint64_t rto = pcb->srtt + MAX(RTO_G_NS, 4 * pcb->rttvar);
	pcb->rto = MIN(MAX(rto, TCP_RTO_MIN_NS), TCP_RTO_MAX_NS);
}

void tcp_rtt_sample(struct tcp_pcb *pcb, uint64_t r)
{
	if (!pcb->srtt) {
		pcb->srtt = r;
		pcb->rttvar = r / 2;
	} else {
		uint64_t d = pcb->srtt > r ? pcb->srtt - r : r - pcb->srtt;
		pcb->rttvar = (3 * pcb->rttvar + d) / 4;
		pcb->srtt = (7 * pcb->srtt + r) / 8;
	}
	set_rto(pcb);
}

static uint32_t half_flight(struct tcp_pcb *pcb)
{
	return MAX(tcp_flight(pcb) / 2, 2u * pcb->mss);
}

bool tcp_cong_ack(struct tcp_pcb *pcb, uint32_t acked)
{
	if (pcb->in_recovery) {
		if (SEQ_GEQ(pcb->snd_una, pcb->recover)) {
			/* Full acknowledgment: leave recovery with cwnd =
			 * ssthresh (RFC 6582 3.2 step 3, first option, as
			 * Linux). The other option, flight + MSS, left a
			 * window of two or three segments after most
			 * episodes at 5% loss: too few to report the next
			 * loss by SACK, which then waited for the timeout. */
			pcb->cwnd = pcb->ssthresh;
			pcb->in_recovery = false;
			pcb->dupacks = 0;
			return false;
		}
		/* Partial: the next hole is lost too. With SACK, cwnd
		 * stays at ssthresh and the pipe decides (RFC 6675). */
		if (!pcb->sack_ok) {
			pcb->cwnd = pcb->cwnd > acked ? pcb->cwnd - acked : 0;
			pcb->cwnd += pcb->mss;
		}
		return true;
	}
	pcb->dupacks = 0;
	/* Appropriate byte counting (RFC 3465, L = 2): a delayed ACK that
	 * covers two segments grows cwnd as two ACKs would. */
	if (pcb->cwnd < pcb->ssthresh) {
		pcb->cwnd += MIN(acked, 2u * pcb->mss);
	} else {
		pcb->bytes_acked += acked;
		if (pcb->bytes_acked >= pcb->cwnd) {
			pcb->bytes_acked -= pcb->cwnd;
			pcb->cwnd += pcb->mss;
		}
	}
	pcb->cwnd = MIN(pcb->cwnd, 0x3fffffffu);
	return false;
}

uint32_t tcp_dupthresh(struct tcp_pcb *pcb)
{
	/* Never wait for more reports than two thirds of the flight can
	 * send (RFC 4653's bound), nor for fewer than three (RFC 5681). */
	uint32_t r = (uint32_t)pcb->reordering;
	uint32_t oseg = (tcp_flight(pcb) + pcb->mss - 1) / pcb->mss;
	uint32_t cap = oseg * 2 / 3;
	/* Early retransmit (RFC 5827): fewer than four segments out and
	 * nothing new to send, so three reports can never come. */
	uint32_t unsent = pcb->sb_len > pcb->snd_max - pcb->snd_una
	                  ? pcb->sb_len - (pcb->snd_max - pcb->snd_una) : 0;
	if (oseg < 4 && (!unsent || pcb->snd_wnd <= tcp_flight(pcb)))
		return MAX(oseg, 2u) - 1;
	return MAX(MIN(r, cap), 3u);
}

/* Remember the window before a reduction, so that D-SACKs showing every
 * retransmission since was needless can give it back. */
static void undo_start(struct tcp_pcb *pcb)
{
	pcb->undo_ok = true;
	pcb->undo_marker = pcb->snd_una;
	pcb->undo_retrans = 0;
	pcb->prior_cwnd = pcb->cwnd;
	pcb->prior_ssthresh = pcb->ssthresh;
}

bool tcp_cong_enter_recovery(struct tcp_pcb *pcb)
{
	/* RFC 6582 4.1: no new recovery for losses of the old window. */
	if (pcb->in_recovery || !SEQ_GT(pcb->snd_una, pcb->recover - 1))
		return false;
	undo_start(pcb);
	pcb->ssthresh = half_flight(pcb);
	pcb->bytes_acked = 0;
	pcb->recover = pcb->snd_max;
	/* RFC 6675 5 step 4.2: cwnd = ssthresh and what may go out is
	 * cwnd - pipe; without SACK, NewReno's inflation by the three
	 * segments that left. */
	pcb->cwnd = pcb->ssthresh + (pcb->sack_ok ? 0 : 3u * pcb->mss);
	pcb->in_recovery = true;
	pcb->rexmit_nxt = pcb->snd_una;
	if (pcb->sack_ok)
		tcp_stats.sack_recovery++;
	else
		tcp_stats.reno_recovery++;
	return true;
}

bool tcp_cong_dupack(struct tcp_pcb *pcb)
{
	pcb->dupacks++;
	if (pcb->in_recovery) {
		if (!pcb->sack_ok)
			pcb->cwnd += pcb->mss;   /* NewReno inflation */
		return false;
	}
	if ((uint32_t)pcb->dupacks >= tcp_dupthresh(pcb))
		return tcp_cong_enter_recovery(pcb);
	return false;
}

void tcp_cong_retransmitted(struct tcp_pcb *pcb, uint32_t nsegs)
{
	if (pcb->undo_ok)
		pcb->undo_retrans += (int)nsegs;
}

/*
 * D-SACK (RFC 2883): the peer received [seq, end) twice, so one of our
 * retransmissions of it was needless: the segment was reordered (or
 * delayed past the RTO), not lost. As Linux, count those of the current
 * episode; once every retransmission since the reduction has come back
 * as a duplicate, nothing was lost, and the window returns to what it
 * was (RFC 3708 describes the detection; the undo is Linux's
 * tcp_try_undo_dsack / tcp_try_undo_loss). The reordering it shows
 * raises the duplicate threshold, so the next reordering of the same
 * depth is not taken for a loss.
 */
void tcp_cong_dsack(struct tcp_pcb *pcb, uint32_t seq, uint32_t end)
{
	tcp_stats.dsack_rcvd++;
	if (!pcb->undo_ok || SEQ_LT(seq, pcb->undo_marker) || pcb->undo_retrans <= 0)
		return;
	if (pcb->reordering < TCP_REORDER_MAX)
		pcb->reordering++;
	uint32_t segs = (end - seq + pcb->mss - 1) / pcb->mss;
	pcb->undo_retrans -= (int)MAX(segs, 1u);
	if (pcb->undo_retrans > 0)
		return;
	pcb->undo_ok = false;
	bool loss = !pcb->in_recovery && pcb->cwnd < pcb->prior_cwnd &&
	            SEQ_LT(pcb->snd_nxt, pcb->snd_max);
	if (pcb->in_recovery)
		pcb->cwnd = pcb->ssthresh;     /* deflate before comparing */
	pcb->cwnd = MAX(pcb->cwnd, pcb->prior_cwnd);
	pcb->ssthresh = MAX(pcb->ssthresh, pcb->prior_ssthresh);
	pcb->in_recovery = false;
	pcb->dupacks = 0;
	pcb->recover = pcb->snd_una;       /* a real loss may start recovery */
	/* After a spurious timeout, what go-back-N would resend arrived. */
	if (loss)
		pcb->snd_nxt = pcb->snd_max;
	tcp_stats.dsack_undo++;
}

void tcp_cong_timeout(struct tcp_pcb *pcb)
{
	if (!pcb->in_recovery)
		undo_start(pcb);
	tcp_stats.timeouts++;
	pcb->ssthresh = half_flight(pcb);
	pcb->cwnd = pcb->mss;
	pcb->bytes_acked = 0;
	pcb->in_recovery = false;
	pcb->dupacks = 0;
	pcb->recover = pcb->snd_max;
	/* RFC 2018 8: the receiver may have dropped what it SACKed. */
	pcb->sacked_n = 0;
	pcb->rexmit_nxt = pcb->snd_una;
	/* The back-off itself is pcb->backoff (tcp_timer.c). */
}
