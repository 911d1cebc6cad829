/*
 * kernel/include/net/tcp.h - TCP (RFC 9293) below the socket glue.
 *
 * Files: tcp.c (connection table, demultiplexing, ports, ISNs, RST
 * replies, /proc/net/tcp), tcp_input.c (segment arrival), tcp_sack.c
 * (out-of-order stretches, the SACK and D-SACK blocks that report them),
 * tcp_output.c (building and sending segments), tcp_timer.c
 * (retransmission, delayed ACK, persist, keep-alive, TIME_WAIT),
 * tcp_cong.c (RFC 5681 / 6582 NewReno congestion control and RFC 6298
 * RTO), tcp_sock.c (AF_INET SOCK_STREAM proto_ops).
 *
 * One connection is a struct tcp_pcb. All TCP state is protected by one
 * mutex, tcp_lock: input runs on the netrxd thread, timers on ktimerd,
 * and socket calls in their tasks, so everybody may sleep on it. Nothing
 * here blocks while holding it; ip_output() never calls back into TCP
 * synchronously (loopback goes through the receive queue).
 *
 * Buffers are byte rings: sbuf holds data from snd_una on (sent and
 * unacknowledged, then unsent); rbuf holds in-order data the user has not
 * read (rb_len bytes from rb_head), and after it the receive window: byte
 * rcv_nxt + k belongs at ring offset rb_len + k. Out-of-order data is
 * written there at once; pcb->ooo lists which stretches beyond rcv_nxt are
 * filled (sorted, disjoint), so filling the hole only moves rb_len and
 * the list is also what SACK reports (RFC 2018). Sequence numbers compare
 * with the SEQ_* macros (mod 2^32).
 *
 * The core does not know about sockets: it wakes pcb->wq on every change
 * the owner may wait for, and a pcb whose socket is gone ("orphan") is
 * freed by the core when it reaches CLOSED.
 */
#ifndef KERNEL_NET_TCP_H
#define KERNEL_NET_TCP_H

#include "kernel.h"
#include "ktimer.h"
#include "net/ip.h"
#include "sync.h"

enum tcp_state {
	TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED,
	TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT,
	TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT,
};

#define SEQ_LT(a, b) ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b) ((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)

struct tcp_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t off;        /* data offset in the high nibble */
	uint8_t flags;
	uint16_t win, csum, urp;
} __packed;

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20

#define TCP_HLEN 20
#define TCP_DEFAULT_MSS 536        /* RFC 9293: when the peer sends none */
/* Largest payload of one TSO segment: a 64 KiB IP packet less the IP and
 * TCP headers (TSO segments carry no options). */
#define TCP_TSO_MAX (65535 - 20 - TCP_HLEN)
#define TCP_MAX_WSCALE 14
#define TCP_BUF_DEFAULT (128 * 1024)
#define TCP_BUF_MAX (1024 * 1024)
#define TCP_SNDBUF_AUTO_MAX (2 * 1024 * 1024) /* send ring, auto-tuned */
#define TCP_MSL_NS (30ull * 1000000000ull)   /* TIME_WAIT is 2 MSL */
#define TCP_RTO_MIN_NS (200ull * 1000000)    /* Linux's; RFC 6298 says 1 s */
#define TCP_RTO_MAX_NS (60ull * 1000000000ull)
#define TCP_RTO_INIT_NS (1000ull * 1000000)
#define TCP_DELACK_NS (40ull * 1000000)
#define TCP_MAX_QUICKACKS 16   /* Linux's TCP_MAX_QUICKACKS */
#define TCP_RETRIES 15                       /* data, as Linux tcp_retries2 */
#define TCP_SYN_RETRIES 6
#define TCP_FIN_TIMEOUT_NS (60ull * 1000000000ull) /* orphan in FIN_WAIT_2 */
#define TCP_OOO_MAX 32            /* out-of-order stretches remembered */
#define TCP_SACK_HIST 8           /* recently reported SACK blocks, newest first */
#define TCP_REORDER_MAX 64        /* bound of pcb->reordering, in segments */
#define TCP_RTX_LOG 16            /* resends remembered for lost_rtx_check */

/* A received stretch [seq, end) beyond rcv_nxt. */
struct tcp_ival {
	uint32_t seq, end;
};

struct tcp_pcb {
	struct tcp_pcb *next;          /* in the connection table */
	enum tcp_state state;
	in_addr_be laddr, faddr;       /* network order; laddr 0 = any */
	uint16_t lport, fport;         /* network order */
	int refs;                      /* the table (while listed) + owner */
	bool orphan;                   /* no socket: freed when CLOSED */
	bool listed;
	void *owner;                   /* the socket, for the glue */
	wait_queue_t wq;               /* every change the owner waits for */

	/* listener */
	struct tcp_pcb *parent;        /* a child not yet accepted */
	struct tcp_pcb *acq_head, *acq_tail, *acq_next; /* established, unaccepted */
	int acq_len, syn_len, backlog;

	/* send side */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
	uint32_t max_snd_wnd;
	uint8_t snd_wscale, rcv_wscale;
	bool wscale_ok;
	uint16_t mss;                  /* send MSS */
	bool tso;                      /* the route's device cuts big segments */
	uint8_t *sbuf;
	uint32_t sb_size, sb_head, sb_len;
	bool snd_autotune;             /* SO_SNDBUF not set: sbuf may grow */
	struct tcp_ival sacked[TCP_OOO_MAX]; /* the peer's SACK blocks above snd_una */
	int sacked_n;
	uint32_t rexmit_nxt;           /* in recovery: holes below were resent */
	/* Recent resends: the segment's seq and snd_max when it left. Data
	 * sent after it being SACKed while it is still missing at snd_una
	 * shows that resend lost too (tcp_input.c lost_rtx_check). */
	struct tcp_ival rtx_log[TCP_RTX_LOG];   /* seq, mark (as end) */
	int rtx_log_n;
	bool fin_queued;               /* FIN follows the data in sbuf */
	bool fin_acked;
	uint8_t ttl;

	/* receive side */
	uint32_t irs, rcv_nxt, rcv_adv;   /* rcv_adv: right edge advertised */
	uint8_t *rbuf;
	uint32_t rb_size, rb_head, rb_len;
	struct tcp_ival ooo[TCP_OOO_MAX];  /* data already in rbuf beyond rcv_nxt */
	int ooo_n;
	uint32_t ooo_bytes;
	bool ooo_fin;                  /* a FIN arrived out of order, at ooo_fin_seq */
	uint32_t ooo_fin_seq;
	bool sack_ok;                  /* both SYNs carried SACK-permitted */
	/* The order of SACK blocks (RFC 2018 4): a seq inside each stretch,
	 * the latest arrival's first, then as they were last reported. */
	uint32_t sack_hist[TCP_SACK_HIST];
	int sack_hist_n;
	/* D-SACK (RFC 2883): data that arrived twice, reported once, as the
	 * first block of the next segment that has room for blocks. */
	bool dsack;
	struct tcp_ival dsack_blk;
	bool fin_rcvd;
	bool rd_shut;                  /* SHUT_RD: discard what arrives */
	/* receive-buffer auto-tuning (tcp_rcv_space_adjust) */
	bool rcv_autotune;             /* SO_RCVBUF not set: rbuf may grow */
	uint32_t rcv_rtt_seq;          /* RTT sample: data up to this edge... */
	uint64_t rcv_rtt_start;        /* ...was offered at this time (ns) */
	uint64_t rcv_rtt;              /* ns, smallest sample; 0: none yet */
	uint64_t rcvq_start;           /* ns: this round of reading began */
	uint32_t rcvq_copied;          /* bytes the user read in the round */

	/* ACK policy (tcp_input.c) */
	bool ack_now;                  /* an ACK is due at once */
	uint32_t rcv_wup;              /* rcv_nxt when our last ACK left */
	uint8_t quick;                 /* quick-ack mode: ACKs left to send at once */
	bool ack_queued;               /* in the receive batch's ACK list */
	uint64_t last_data;            /* ns: in-order data last arrived */

	/* RTT and RTO (RFC 6298), in ns */
	uint64_t srtt, rttvar, rto;
	bool rtt_timing;
	uint32_t rtt_seq;
	uint64_t rtt_start;
	int backoff;                   /* retransmissions of the oldest segment */
	bool persist;                  /* the rtx timer is probing a zero window */
	/* Tail loss probe (RFC 8985 7): the rtx timer runs as the probe
	 * timeout (2 SRTT) rather than the RTO; a probe is out until the
	 * cumulative ACK moves. */
	bool tlp_pending, tlp_out;

	/* congestion (RFC 5681 / 6582) */
	uint32_t cwnd, ssthresh, recover;
	uint32_t bytes_acked;          /* in congestion avoidance (RFC 3465) */
	int dupacks;
	bool in_recovery;
	/* Reordering the peer's D-SACKs showed (tcp_cong.c): segments that
	 * must be SACKed above a hole, or duplicate ACKs, before it counts
	 * as lost; 3 until a spurious retransmission is seen. */
	int reordering;
	/* Undo (RFC 2883 D-SACK, as Linux): the window before the last
	 * reduction, and how many of the retransmissions since (from
	 * undo_marker on) the peer has not yet reported as duplicates. */
	bool undo_ok;
	uint32_t undo_marker, prior_cwnd, prior_ssthresh;
	int undo_retrans;

	/* options */
	bool nodelay, keepalive;
	uint32_t keep_idle_s, keep_intvl_s, keep_cnt;
	int keep_probes;
	uint64_t last_rcv;             /* ns, for keep-alive */
	int err;                       /* pending error for the owner (SO_ERROR) */
	uint64_t linger_ns;

	struct ktimer rtx_timer, delack_timer, keep_timer;

	/* statistics for /proc/net/tcp, /proc/net/netstat and tests */
	uint32_t retransmits;
	uid_t uid;
	unsigned long ino;
};

extern mutex_t tcp_lock;

/* Counters of all connections, shown in /proc/net/netstat under
 * Linux's TcpExt names (tcp.c). */
struct tcp_stats {
	uint64_t timeouts;          /* TCPTimeouts: retransmission timeouts */
	uint64_t sack_recovery;     /* TCPSackRecovery: with SACK blocks */
	uint64_t reno_recovery;     /* TCPRenoRecovery: without */
	uint64_t dsack_rcvd;        /* TCPDSACKRecv: D-SACK blocks received */
	uint64_t dsack_old_sent;    /* TCPDSACKOldSent: D-SACKs of data below rcv_nxt */
	uint64_t dsack_ofo_sent;    /* TCPDSACKOfoSent: ... of data held out of order */
	uint64_t dsack_undo;        /* TCPDSACKUndo: reductions undone */
	uint64_t lost_retransmit;   /* TCPLostRetransmit: resends found lost */
	uint64_t loss_probes;       /* TCPLossProbes: tail loss probes sent */
};
extern struct tcp_stats tcp_stats;

/* ---- tcp.c ---- */
void tcp_init(void);
struct tcp_pcb *tcp_pcb_new(void);          /* refs 1 (the owner's) */
void tcp_pcb_put(struct tcp_pcb *pcb);      /* drop a reference */
void tcp_reap(void);                        /* free dead pcbs (tcp.c) */
void tcp_list_add(struct tcp_pcb *pcb);     /* into the table (+1 ref) */
void tcp_list_del(struct tcp_pcb *pcb);
/* Pick a local port (port 0: ephemeral) for laddr; checks conflicts.
 * reuse: SO_REUSEADDR. -EADDRINUSE. */
int tcp_bind_port(struct tcp_pcb *pcb, in_addr_be laddr, uint16_t port, bool reuse);
/* The first pcb of the table (then ->next), tcp_lock held. */
struct tcp_pcb *tcp_pcb_list(void);
/* The connection or listener for a segment. */
struct tcp_pcb *tcp_lookup(in_addr_be src, uint16_t sport, in_addr_be dst,
                           uint16_t dport);
uint32_t tcp_new_isn(in_addr_be laddr, uint16_t lport, in_addr_be faddr,
                     uint16_t fport);
/* Enter CLOSED: stop timers, leave the table, wake the owner; an orphan
 * is freed. err: for the owner (0, -ECONNRESET, -ETIMEDOUT...). */
void tcp_set_closed(struct tcp_pcb *pcb, int err);
void tcp_set_state(struct tcp_pcb *pcb, enum tcp_state st);
const char *tcp_state_name(enum tcp_state st);
/* Buffers for an established connection (0 or -ENOMEM). */
int tcp_alloc_buffers(struct tcp_pcb *pcb, uint32_t rcv, uint32_t snd);
uint32_t tcp_rcv_space(struct tcp_pcb *pcb);  /* free receive space */
/* Receive-buffer auto-tuning: the receiver's RTT estimate on in-order
 * data (tcp_input.c) and the user having read n bytes (tcp_sock.c). */
void tcp_rcv_rtt_measure(struct tcp_pcb *pcb);
void tcp_rcv_space_adjust(struct tcp_pcb *pcb, uint32_t n);
/* Send-buffer auto-tuning (tcp_sndbuf_expand): the writer found the
 * ring full (tcp_sock.c); grows it when the ring, not cwnd or the
 * peer's window, is what holds the sender back. */
void tcp_sndbuf_expand(struct tcp_pcb *pcb);
/* The window scale to offer: room for TCP_BUF_MAX when auto-tuning. */
uint8_t tcp_rcv_wscale(struct tcp_pcb *pcb);
/* User operations (tcp_lock held). pcb bound (laddr, lport) first. */
int tcp_connect_start(struct tcp_pcb *pcb, in_addr_be dst, uint16_t port,
                      uint32_t rcvbuf, uint32_t sndbuf);
void tcp_listen_start(struct tcp_pcb *pcb, int backlog, uint32_t rcvbuf,
                      uint32_t sndbuf);
/* The next established child, or NULL; it carries one reference for the
 * caller. */
struct tcp_pcb *tcp_accept_child(struct tcp_pcb *l);
/* Queue our FIN (close or SHUT_WR): FIN_WAIT_1 or LAST_ACK. */
void tcp_shutdown_wr(struct tcp_pcb *pcb);

/* ---- tcp_input.c ---- */
/* Entry from IP: tcp_input() in net/ip.h. */
void tcp_segment(struct tcp_pcb *pcb, struct pkt *p, in_addr_be src, in_addr_be dst);

/* ---- tcp_output.c ---- */
/* Send what the windows, Nagle and the ACK policy allow. */
void tcp_output(struct tcp_pcb *pcb);
/* A segment with no data: flags (ACK is added when synchronized). */
void tcp_send_ctl(struct tcp_pcb *pcb, uint8_t flags);
void tcp_send_ack(struct tcp_pcb *pcb);
/* (Re)send the segment at snd_una (fast retransmit / timeout). */
void tcp_retransmit_head(struct tcp_pcb *pcb);
/* In recovery: resend the next hole the peer's SACK blocks show, if any
 * (RFC 6675 NextSeg rule 1); false when there is none. */
bool tcp_retransmit_hole(struct tcp_pcb *pcb);
/* The tail loss probe: one new segment if the windows allow, else the
 * last one again (RFC 8985 7.3). */
void tcp_send_tlp(struct tcp_pcb *pcb);
/* Zero-window probe (persist timer) or keep-alive probe. */
void tcp_send_probe(struct tcp_pcb *pcb);
/* A RST in reply to a segment with no connection (RFC 9293 3.10.7.1). */
void tcp_send_reset(in_addr_be src, in_addr_be dst, const struct tcp_hdr *th,
                    uint32_t seglen);
void tcp_send_rst_for(struct tcp_pcb *pcb);  /* abort: RST from pcb */
uint32_t tcp_flight(struct tcp_pcb *pcb);     /* bytes in flight */
uint32_t tcp_pipe(struct tcp_pcb *pcb);       /* RFC 6675 pipe */
/* In SACK recovery: resend holes while cwnd - pipe allows. */
void tcp_sack_recovery_send(struct tcp_pcb *pcb);
/* Queue user data; returns bytes taken (may be less: buffer full). */
uint32_t tcp_sbuf_write(struct tcp_pcb *pcb, const void *buf, uint32_t n);
/* The same from the user's buffers (sock_msg.ufetch); -EFAULT. */
long tcp_sbuf_fetch(struct tcp_pcb *pcb, int (*fetch)(void *ctx, void *k, size_t n),
                    void *ctx, uint32_t n);
uint32_t tcp_rbuf_read(struct tcp_pcb *pcb, void *buf, uint32_t n, bool peek);
/* The same through copy(ctx, ...) (a user copy: 0 or -EFAULT); bytes, or
 * -EFAULT with nothing consumed. */
long tcp_rbuf_copy_out(struct tcp_pcb *pcb, int (*copy)(void *ctx, const void *k, size_t n),
                       void *ctx, uint32_t n, bool peek);
/* The user read: announce a larger window if that matters. */
void tcp_window_update(struct tcp_pcb *pcb);

/* ---- tcp_timer.c ---- */
void tcp_timers_init(struct tcp_pcb *pcb);
void tcp_timers_stop(struct tcp_pcb *pcb);
void tcp_arm_rtx(struct tcp_pcb *pcb);        /* restart the RTO timer */
void tcp_stop_rtx(struct tcp_pcb *pcb);
void tcp_arm_delack(struct tcp_pcb *pcb);
/* End of a netrxd receive batch: the ACKs of in-order data it delivered
 * leave now, one a connection (tcp_input.c). */
void tcp_rx_flush(void);
void tcp_stop_delack(struct tcp_pcb *pcb);
void tcp_arm_keepalive(struct tcp_pcb *pcb);  /* after activity */
void tcp_enter_time_wait(struct tcp_pcb *pcb);
/* Free the rings TIME_WAIT no longer needs (tcp.c). */
void tcp_trim_time_wait(struct tcp_pcb *pcb);
void tcp_arm_fin_wait2(struct tcp_pcb *pcb);

/* ---- tcp_cong.c ---- */
void tcp_cong_init(struct tcp_pcb *pcb);
void tcp_rtt_sample(struct tcp_pcb *pcb, uint64_t rtt_ns);
/* A new cumulative ACK of acked bytes; returns true when the caller must
 * retransmit the head (NewReno partial ACK). */
bool tcp_cong_ack(struct tcp_pcb *pcb, uint32_t acked);
/* A duplicate ACK; returns true to fast-retransmit the head now. */
bool tcp_cong_dupack(struct tcp_pcb *pcb);
void tcp_cong_timeout(struct tcp_pcb *pcb);
/* Segments SACKed above a hole (or duplicate ACKs) that make it lost. */
uint32_t tcp_dupthresh(struct tcp_pcb *pcb);
/* Enter fast recovery (RFC 6582 / 6675) unless the loss belongs to the
 * window of the last one; true when entered (the caller resends). */
bool tcp_cong_enter_recovery(struct tcp_pcb *pcb);
/* A retransmission of n segments (counted for undo). */
void tcp_cong_retransmitted(struct tcp_pcb *pcb, uint32_t nsegs);
/* The segment at seq was resent just now (tcp_input.c lost_rtx_check). */
void tcp_rtx_note(struct tcp_pcb *pcb, uint32_t seq);
/* The peer reported [seq, end) twice (D-SACK, RFC 2883). */
void tcp_cong_dsack(struct tcp_pcb *pcb, uint32_t seq, uint32_t end);

/* ---- tcp_sack.c ---- */
/* Merge [seq, end) into a sorted list of disjoint stretches of at most
 * max; false when it would need one more. */
bool tcp_ival_add(struct tcp_ival *v, int *n, int max, uint32_t seq, uint32_t end);
/* [seq, end) beyond rcv_nxt is in rbuf now; false when the list is full
 * and it touches no stretch (the caller drops the data). */
bool tcp_ooo_add(struct tcp_pcb *pcb, uint32_t seq, uint32_t end);
/* The out-of-order stretch holding seq, or -1. */
int tcp_ooo_find(struct tcp_pcb *pcb, uint32_t seq);
/* rcv_nxt moved: take the stretches it reached; true when the FIN that
 * waited out of order is in order now. */
bool tcp_ooo_advance(struct tcp_pcb *pcb);
/* An out-of-order segment starting at seq arrived (its stretch goes first). */
void tcp_sack_note(struct tcp_pcb *pcb, uint32_t seq);
/* [seq, end) arrived a second time: a D-SACK in the next ACK, at once. */
void tcp_dsack_set(struct tcp_pcb *pcb, uint32_t seq, uint32_t end);
/* Data [seq, end) arrived: D-SACK the part of it already held. */
void tcp_dsack_ooo(struct tcp_pcb *pcb, uint32_t seq, uint32_t end);
/* The SACK option for a segment with room for max blocks, into o;
 * returns its length (0: none). */
unsigned tcp_sack_option(struct tcp_pcb *pcb, uint8_t *o, unsigned max);

/* ---- tcp_sock.c ---- */
struct socket;
struct proc_buf;
int tcp_sock_create(struct socket *s, int protocol);
int proc_net_tcp_show(struct proc_buf *b, void *ctx);
int proc_net_netstat_show(struct proc_buf *b, void *ctx);

#endif
