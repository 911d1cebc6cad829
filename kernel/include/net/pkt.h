/*
 * kernel/include/net/pkt.h - packet buffers (kernel/net/pkt.c).
 *
 * One struct pkt holds one frame in one contiguous allocation:
 *
 *   buf            data            data + len          buf + cap
 *   |-- headroom --|---- payload ----|---- tailroom ----|
 *
 * Going down the stack each layer pkt_push()es its header in front; going
 * up each layer pkt_pull()s its header off. PKT_HEADROOM leaves room for
 * Ethernet + IPv4 + TCP headers with options and a virtio-net header.
 * A packet has one owner at a time: whoever is handed a pkt either queues
 * it or frees it (pkt_free); functions that "consume" p say so.
 */
#ifndef KERNEL_NET_PKT_H
#define KERNEL_NET_PKT_H

#include "kernel.h"

#define PKT_HEADROOM 128

/* csum flags: receive side */
#define PKT_CSUM_VERIFIED 0x1 /* the device checked the L4 checksum */
/* transmit side: the device fills the L4 checksum (offload). The
 * protocol stores the pseudo-header sum in the checksum field and sets
 * csum_start (offset from the L3 header) and csum_offset. */
#define PKT_CSUM_PARTIAL 0x2

struct netif;
struct pkt {
	struct pkt *next;        /* for queues; NULL when not queued */
	uint8_t *buf;            /* the allocation */
	size_t cap;
	uint8_t *data;           /* current layer's header */
	size_t len;              /* bytes from data on */
	struct netif *dev;       /* received on / to be sent on */
	uint8_t *l3;             /* network header (set by IP) */
	uint8_t *l4;             /* transport header (set by IP on input) */
	unsigned csum_flags;
	uint16_t csum_start;     /* for PKT_CSUM_PARTIAL, from l3 */
	uint16_t csum_offset;    /* from csum_start */
	uint16_t gso_size;       /* TSO: cut the TCP payload into pieces of
	                          * this size (0: send as it is); only to a
	                          * NETIF_F_TSO device, with PKT_CSUM_PARTIAL */
	uint64_t tstamp;         /* monotonic ns when received */
};

/* A packet with PKT_HEADROOM before data and room for size bytes after;
 * len 0. NULL when memory is short (the caller drops and counts it). */
struct pkt *pkt_alloc(size_t size);
void pkt_free(struct pkt *p);   /* NULL allowed */
/* Boot: put the buffer caches on the shrinker list. */
void pkt_init(void);
/* A copy with the same headroom (for loopback, retransmission). */
struct pkt *pkt_copy(const struct pkt *p);

/* Prepend n bytes (a header); NULL if no headroom left. */
static inline uint8_t *pkt_push(struct pkt *p, size_t n)
{
	if ((size_t)(p->data - p->buf) < n)
		return NULL;
	p->data -= n;
	p->len += n;
	return p->data;
}
/* Remove n bytes from the front; NULL if the packet is shorter. */
static inline uint8_t *pkt_pull(struct pkt *p, size_t n)
{
	if (p->len < n)
		return NULL;
	uint8_t *h = p->data;
	p->data += n;
	p->len -= n;
	return h;
}
/* Append n bytes at the end; NULL if no tailroom left. */
static inline uint8_t *pkt_put(struct pkt *p, size_t n)
{
	if ((size_t)(p->buf + p->cap - (p->data + p->len)) < n)
		return NULL;
	uint8_t *t = p->data + p->len;
	p->len += n;
	return t;
}
/* Cut the packet to n bytes (drops link-layer padding). */
static inline void pkt_trim(struct pkt *p, size_t n)
{
	if (n < p->len)
		p->len = n;
}

/* A FIFO of packets. */
struct pkt_queue {
	struct pkt *head, *tail;
	size_t count, bytes;
};
void pktq_push(struct pkt_queue *q, struct pkt *p);
struct pkt *pktq_pop(struct pkt_queue *q);   /* NULL when empty */
void pktq_purge(struct pkt_queue *q);        /* free all */

#endif
