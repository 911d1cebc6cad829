/*
 * kernel/net/tcp_timer.c - the three timers of a connection (ktimer.h):
 *
 *   rtx     retransmission (RFC 6298: the oldest unacknowledged segment
 *           after RTO << backoff; SYNs the same way), the tail loss
 *           probe before it when it may (RFC 8985 7: tlp_ok(), 2 SRTT),
 *           and the persist timer when the peer's window is zero (a
 *           one-byte probe; a zero-window peer is probed forever and
 *           never timed out);
 *   delack  a delayed ACK (40 ms; what is due sooner, more than one full
 *           segment's worth or quick-ack mode, tcp_input.c sends);
 *   keep    keep-alive probes (SO_KEEPALIVE, TCP_KEEPIDLE/INTVL/CNT),
 *           the end of TIME_WAIT (2 MSL), and an orphan's FIN_WAIT_2
 *           limit.
 *
 * A pending timer holds a reference to its pcb, so a callback that was
 * already on its way when the connection closed still finds the memory;
 * callbacks take tcp_lock and do nothing to a CLOSED pcb.
 */
#include "net/tcp.h"
#include "ktime.h"

static void arm(struct tcp_pcb *pcb, struct ktimer *t, uint64_t delay_ns)
{
	if (!ktimer_pending(t))
		pcb->refs++;
	ktimer_arm_in(t, delay_ns);
}

static void stop(struct tcp_pcb *pcb, struct ktimer *t)
{
	if (ktimer_cancel(t))
		tcp_pcb_put(pcb);
}

static uint64_t rtx_delay(struct tcp_pcb *pcb)
{
	int b = MIN(pcb->backoff, 16);
	return MIN(pcb->rto << b, TCP_RTO_MAX_NS);
}

/* RFC 8985 7.2: a probe instead of waiting for the RTO when data is
 * out on an established connection with SACK, outside recovery and
 * back-off, no probe out yet, and an RTT measured. */
static bool tlp_ok(struct tcp_pcb *pcb)
{
	return pcb->sack_ok && pcb->srtt && !pcb->in_recovery && !pcb->backoff &&
	       !pcb->tlp_out && !pcb->persist && pcb->snd_una != pcb->snd_max &&
	       (pcb->state == TCP_ESTABLISHED || pcb->state == TCP_CLOSE_WAIT);
}

void tcp_arm_rtx(struct tcp_pcb *pcb)
{
	uint64_t rto = rtx_delay(pcb);
	pcb->tlp_pending = false;
	if (tlp_ok(pcb)) {
		/* PTO = 2 SRTT, plus the peer's delayed-ACK time when one
		 * segment is out (its ACK may wait), at least 10 ms (Linux). */
		uint64_t pto = MAX(2 * pcb->srtt, 10ull * 1000000);
		if (tcp_flight(pcb) <= pcb->mss)
			pto += TCP_RTO_MIN_NS;
		if (pto < rto) {
			pcb->tlp_pending = true;
			rto = pto;
		}
	}
	arm(pcb, &pcb->rtx_timer, rto);
}

void tcp_stop_rtx(struct tcp_pcb *pcb)
{
	pcb->persist = false;
	stop(pcb, &pcb->rtx_timer);
}

void tcp_arm_delack(struct tcp_pcb *pcb)
{
	if (!ktimer_pending(&pcb->delack_timer))
		arm(pcb, &pcb->delack_timer, TCP_DELACK_NS);
}

void tcp_stop_delack(struct tcp_pcb *pcb)
{
	stop(pcb, &pcb->delack_timer);
}

void tcp_arm_keepalive(struct tcp_pcb *pcb)
{
	pcb->last_rcv = time_ns();
	pcb->keep_probes = 0;
	if (pcb->keepalive && !ktimer_pending(&pcb->keep_timer) &&
	    (pcb->state == TCP_ESTABLISHED || pcb->state == TCP_CLOSE_WAIT))
		arm(pcb, &pcb->keep_timer, (uint64_t)pcb->keep_idle_s * 1000000000ull);
}

void tcp_enter_time_wait(struct tcp_pcb *pcb)
{
	tcp_set_state(pcb, TCP_TIME_WAIT);
	tcp_trim_time_wait(pcb);
	tcp_stop_rtx(pcb);
	stop(pcb, &pcb->keep_timer);
	arm(pcb, &pcb->keep_timer, 2 * TCP_MSL_NS);
}

void tcp_arm_fin_wait2(struct tcp_pcb *pcb)
{
	if (pcb->orphan) {
		stop(pcb, &pcb->keep_timer);
		arm(pcb, &pcb->keep_timer, TCP_FIN_TIMEOUT_NS);
	}
}

static void rtx_expired(struct tcp_pcb *pcb)
{
	if (pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RECEIVED) {
		if (++pcb->backoff > TCP_SYN_RETRIES) {
			tcp_set_closed(pcb, ETIMEDOUT);
			return;
		}
		tcp_retransmit_head(pcb);
		tcp_arm_rtx(pcb);
		return;
	}
	if (pcb->persist) {
		/* Probe the zero window with the next byte; it becomes an
		 * ordinary outstanding byte the rtx timer resends. */
		pcb->persist = false;
		uint32_t off = pcb->snd_nxt - pcb->snd_una;
		tcp_send_probe(pcb);
		if (pcb->sb_len > off) {
			pcb->snd_nxt++;
			if (SEQ_GT(pcb->snd_nxt, pcb->snd_max))
				pcb->snd_max = pcb->snd_nxt;
		}
		if (pcb->backoff < 16)
			pcb->backoff++;
		tcp_arm_rtx(pcb);
		return;
	}
	if (pcb->snd_una == pcb->snd_max)
		return;   /* everything was acknowledged meanwhile */
	if (pcb->tlp_pending) {
		/* The probe timeout, not the RTO: no back-off, no cwnd
		 * change; its ACK's SACK blocks show what the tail lost. */
		pcb->tlp_pending = false;
		pcb->tlp_out = true;
		tcp_send_tlp(pcb);
		tcp_arm_rtx(pcb);   /* now the RTO (tlp_out) */
		return;
	}
	if (pcb->snd_wnd != 0 && ++pcb->backoff > TCP_RETRIES) {
		tcp_send_rst_for(pcb);
		tcp_set_closed(pcb, ETIMEDOUT);
		return;
	}
	if (pcb->snd_wnd == 0 && pcb->backoff < 16)
		pcb->backoff++;     /* probing a zero window never gives up */
	pcb->rtt_timing = false;     /* Karn */
	tcp_cong_timeout(pcb);
	pcb->snd_nxt = pcb->snd_una;
	tcp_retransmit_head(pcb);
	tcp_arm_rtx(pcb);
}

static void rtx_fn(struct ktimer *t)
{
	struct tcp_pcb *pcb = t->arg;
	mutex_lock(&tcp_lock);
	tcp_reap();
	if (pcb->state != TCP_CLOSED && !ktimer_pending(t))
		rtx_expired(pcb);
	tcp_pcb_put(pcb);
	mutex_unlock(&tcp_lock);
}

static void delack_fn(struct ktimer *t)
{
	struct tcp_pcb *pcb = t->arg;
	mutex_lock(&tcp_lock);
	tcp_reap();
	if (pcb->state != TCP_CLOSED && !ktimer_pending(t) &&
	    (pcb->rcv_nxt != pcb->rcv_wup || pcb->ack_now))
		tcp_send_ack(pcb);
	tcp_pcb_put(pcb);
	mutex_unlock(&tcp_lock);
}

static void keep_expired(struct tcp_pcb *pcb)
{
	if (pcb->state == TCP_TIME_WAIT ||
	    (pcb->state == TCP_FIN_WAIT_2 && pcb->orphan)) {
		tcp_set_closed(pcb, 0);
		return;
	}
	if (!pcb->keepalive ||
	    (pcb->state != TCP_ESTABLISHED && pcb->state != TCP_CLOSE_WAIT))
		return;
	uint64_t now = time_ns(), idle_ns = (uint64_t)pcb->keep_idle_s * 1000000000ull;
	if (now - pcb->last_rcv < idle_ns && pcb->keep_probes == 0) {
		arm(pcb, &pcb->keep_timer, idle_ns - (now - pcb->last_rcv));
		return;
	}
	if ((uint32_t)pcb->keep_probes >= pcb->keep_cnt) {
		tcp_send_rst_for(pcb);
		tcp_set_closed(pcb, ETIMEDOUT);
		return;
	}
	pcb->keep_probes++;
	/* An old sequence number makes the peer answer with an ACK. */
	uint32_t saved = pcb->snd_nxt;
	pcb->snd_nxt = pcb->snd_una - 1;
	tcp_send_ack(pcb);
	pcb->snd_nxt = saved;
	arm(pcb, &pcb->keep_timer, (uint64_t)pcb->keep_intvl_s * 1000000000ull);
}

static void keep_fn(struct ktimer *t)
{
	struct tcp_pcb *pcb = t->arg;
	mutex_lock(&tcp_lock);
	tcp_reap();
	if (pcb->state != TCP_CLOSED && !ktimer_pending(t))
		keep_expired(pcb);
	tcp_pcb_put(pcb);
	mutex_unlock(&tcp_lock);
}

void tcp_timers_init(struct tcp_pcb *pcb)
{
	ktimer_init(&pcb->rtx_timer, rtx_fn, pcb);
	ktimer_init(&pcb->delack_timer, delack_fn, pcb);
	ktimer_init(&pcb->keep_timer, keep_fn, pcb);
}

void tcp_timers_stop(struct tcp_pcb *pcb)
{
	pcb->persist = false;
	stop(pcb, &pcb->rtx_timer);
	stop(pcb, &pcb->delack_timer);
	stop(pcb, &pcb->keep_timer);
}
