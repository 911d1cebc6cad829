/*
 * kernel/include/net/udp.h - UDP (kernel/net/udp.c): port demultiplexing
 * and datagram output, below the socket glue (kernel/net/udp_sock.c).
 *
 * A struct udp_pcb is one bound endpoint. udp_input() finds the best
 * match for a datagram (connected exact match, then bound address, then
 * the wildcard) and calls its recv(); nothing matching gets ICMP port
 * unreachable. Ports and addresses are in network byte order.
 */
#ifndef KERNEL_NET_UDP_H
#define KERNEL_NET_UDP_H

#include "net/netif.h"

struct udp_hdr {
	uint16_t sport, dport, len, csum;
} __packed;

struct udp_pcb {
	in_addr_be laddr;          /* 0: any */
	uint16_t lport;            /* 0: not bound */
	in_addr_be faddr;          /* connected peer, or 0 */
	uint16_t fport;
	struct netif *dev;         /* SO_BINDTODEVICE, or NULL */
	bool reuse;                /* SO_REUSEADDR */
	bool broadcast;            /* SO_BROADCAST */
	/* recv: p->data at the payload; consumes p. Called on netrxd. */
	void (*recv)(struct udp_pcb *pcb, struct pkt *p, in_addr_be src,
	             uint16_t sport, in_addr_be dst);
	void (*error)(struct udp_pcb *pcb, int err);
	void *owner;
	uint32_t drops;
	size_t rx_queued, tx_queued;   /* for /proc/net/udp */
	unsigned long ino;
	uid_t uid;
	struct udp_pcb *next;
};

/* port 0: an ephemeral port. -EADDRINUSE, -EADDRNOTAVAIL. */
int udp_bind(struct udp_pcb *pcb, in_addr_be addr, uint16_t port);
void udp_unbind(struct udp_pcb *pcb);
/* Connect (faddr 0: disconnect); laddr becomes the local address if the
 * endpoint was bound to any. */
void udp_set_peer(struct udp_pcb *pcb, in_addr_be laddr, in_addr_be faddr,
                  uint16_t fport);
/* Send p (data at the payload) from pcb to dst:dport; src 0 = the
 * route's. Binds an ephemeral port first if needed. Consumes p. */
int udp_output(struct udp_pcb *pcb, struct pkt *p, in_addr_be dst,
               uint16_t dport, uint8_t ttl);

#endif
