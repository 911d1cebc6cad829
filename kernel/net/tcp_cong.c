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
 * rather than ACKs (RFC 3465); the third duplicate ACK halves the
 * flight into ssthresh, retransmits the head and inflates cwnd by three
 * segments; each further duplicate inflates by one; a partial ACK
 * retransmits the next hole and deflates by the amount acknowledged; the
 * ACK covering `recover` ends recovery with cwnd = min(ssthresh, flight +
 * MSS). A timeout collapses cwnd to one segment (the loss window).
 * With SACK (tcp_input.c) the same cwnd rules hold; the blocks only
 * decide which holes go out during recovery and when it starts.
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
			/* Full acknowledgment: leave recovery. */
			pcb->cwnd = MIN(pcb->ssthresh, tcp_flight(pcb) + pcb->mss);
			pcb->in_recovery = false;
			pcb->dupacks = 0;
			return false;
		}
		/* Partial: the next hole is lost too. */
		pcb->cwnd = pcb->cwnd > acked ? pcb->cwnd - acked : 0;
		pcb->cwnd += pcb->mss;
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

bool tcp_cong_dupack(struct tcp_pcb *pcb)
{
	pcb->dupacks++;
	if (pcb->in_recovery) {
		pcb->cwnd += pcb->mss;
		return false;
	}
	/* RFC 6582 4.1: no new recovery for losses of the old window. */
	if (pcb->dupacks == 3 && SEQ_GT(pcb->snd_una, pcb->recover - 1)) {
		pcb->ssthresh = half_flight(pcb);
		pcb->bytes_acked = 0;
		pcb->recover = pcb->snd_max;
		pcb->cwnd = pcb->ssthresh + 3u * pcb->mss;
		pcb->in_recovery = true;
		pcb->rexmit_nxt = pcb->snd_una;
		return true;
	}
	return false;
}

void tcp_cong_timeout(struct tcp_pcb *pcb)
{
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
