/* tests/unit/tcp_harness.h - two TCP stacks on a fake wire (tcp_harness.c). */
#ifndef TCP_HARNESS_H
#define TCP_HARNESS_H

#include "net/tcp.h"

#define HOST_A htonl(0x0a000001)
#define HOST_B htonl(0x0a000002)
#define MS 1000000ull
#define WIRE_MAX 4096

struct wire_pkt {
	struct pkt *p;
	in_addr_be src, dst;
	uint64_t due;
};

struct wire {
	struct wire_pkt q[WIRE_MAX];
	int count;
	unsigned loss_pct;       /* random loss */
	bool blackhole;          /* drop everything */
	uint64_t delay_ns, jitter_ns;   /* jitter reorders */
	unsigned mtu;
	bool tso;                /* the "device" segments (NETIF_F_TSO) */
	bool lro;                /* ... but delivers TSO packets whole, as a
	                          * receiver with large receive offload gets them */
	/* Sees every packet sent (before loss); TSO packets as the pieces
	 * the device cut them into. */
	void (*tap)(struct pkt *p, in_addr_be src, in_addr_be dst);
	/* Sees every TSO packet as TCP handed it down, before the cut. */
	void (*gso_tap)(struct pkt *p, in_addr_be src, in_addr_be dst);
	/* netif_in_rx_batch(): deliveries run as in netrxd's batch, whose
	 * end (tcp_rx_flush) the test calls. */
	bool rx_batch;
	unsigned long tso_sent;
	unsigned long sent, lost, delivered;
};

extern struct wire wire;
extern uint64_t now_ns;
extern int wakeups;

void net_run(uint64_t ns);
void wire_inject(const void *seg, size_t len, in_addr_be src, in_addr_be dst,
                 bool fix_csum);
void harness_reset(void);
int harness_live_allocs(void);

struct tcp_pcb *h_listen(in_addr_be addr, uint16_t port, uint32_t buf);
struct tcp_pcb *h_connect(in_addr_be from, in_addr_be to, uint16_t port, uint32_t buf);
void h_close(struct tcp_pcb *pcb);
long h_transfer(struct tcp_pcb *src, struct tcp_pcb *dst, size_t n, uint64_t limit_ns);

#endif
