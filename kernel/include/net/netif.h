/*
 * kernel/include/net/netif.h - network interfaces (kernel/net/netif.c),
 * Ethernet (eth.c) and ARP (arp.c).
 *
 * A driver fills a struct netif (name prefix, MAC, MTU, ops->xmit) and
 * calls netif_register(). Received frames go to netif_rx() - from the
 * driver's interrupt handler - which only queues them: the kernel thread
 * "netrxd" takes them off the queue and runs the protocols (Ethernet, ARP,
 * IP, the transports) in thread context, where they may take any lock and
 * allocate, but must not sleep for long.
 *
 * Transmit: ops->xmit(dev, p) gets a complete Ethernet frame in p and
 * consumes it (sends it or drops it, counting a drop). It may be called
 * from any thread context, concurrently; the driver serialises. Called
 * from netrxd (netif_in_rx_batch()), it may put the frame on the ring
 * without notifying the device; netrxd calls ops->flush after the batch.
 *
 * flags use Linux's IFF_* values, which SIOCGIFFLAGS reports unchanged.
 * IFF_RUNNING follows the link state the driver reports.
 */
#ifndef KERNEL_NET_NETIF_H
#define KERNEL_NET_NETIF_H

#include "kernel.h"
#include "net/ip.h"
#include "net/pkt.h"

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_ZLEN 60        /* minimum frame without FCS */
#define ETH_DATA_LEN 1500
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806

#define IFNAMSIZ 16

#define IFF_UP 0x1
#define IFF_BROADCAST 0x2
#define IFF_LOOPBACK 0x8
#define IFF_RUNNING 0x40
#define IFF_MULTICAST 0x1000

/* Hardware features a driver offers. */
#define NETIF_F_TX_CSUM 0x1   /* fills PKT_CSUM_PARTIAL checksums */
/* TCP segmentation offload (IPv4): takes a TCP packet of up to 64 KiB
 * with pkt->gso_size set and PKT_CSUM_PARTIAL, and sends it as segments
 * of gso_size payload bytes each, copying the headers (IP id, sequence
 * numbers, checksums and FIN/PSH on the last one fixed up). */
#define NETIF_F_TSO 0x2

struct netif_stats {
	uint64_t rx_packets, rx_bytes, rx_errors, rx_dropped;
	uint64_t tx_packets, tx_bytes, tx_errors, tx_dropped;
	/* Checksum offload (/proc/net/offload): frames whose L4 checksum the
	 * device filled in, checked good, or found wrong. */
	uint64_t tx_csum_offload, rx_csum_offload, rx_csum_bad;
	uint64_t tx_tso;           /* packets the device segmented (TSO) */
	uint64_t rx_large;         /* frames over the MTU received whole */
	uint64_t rx_gro;           /* segments gro_rx() merged (net/gro.h) */
};

struct netif;
struct netif_ops {
	int (*xmit)(struct netif *dev, struct pkt *p);  /* consumes p */
	/* Optional: hand the device what xmit queued without telling it
	 * (see netif_in_rx_batch). Thread context. */
	void (*flush)(struct netif *dev);
};

struct netif {
	char name[IFNAMSIZ];
	int index;                 /* 1, 2, ... (if_nametoindex) */
	uint8_t mac[ETH_ALEN];
	unsigned mtu;
	unsigned flags;            /* IFF_* */
	unsigned features;         /* NETIF_F_* */
	bool link_up;              /* carrier, set by the driver */
	/* IPv4 configuration (one address per interface). */
	in_addr_be addr, netmask, broadcast;
	const struct netif_ops *ops;
	void *priv;
	struct netif_stats stats;
	struct netif *next;
};

extern struct netif *netif_list;   /* in registration order; never shrinks */
extern struct netif *netif_loopback;

/* Name is a prefix ("eth", "lo"): the first free NAME0, NAME1... is used. */
int netif_register(struct netif *dev, const char *prefix);
struct netif *netif_by_name(const char *name);
struct netif *netif_by_index(int index);
void netif_set_link(struct netif *dev, bool up);
/* Hand a received frame (p->data at the Ethernet header) to the stack;
 * any context, including interrupt handlers. Consumes p. */
void netif_rx(struct netif *dev, struct pkt *p);
/* True in netrxd while it works through received frames; ops->flush
 * follows the batch, so xmit may leave the doorbell to it. */
bool netif_in_rx_batch(void);
/* Queue a frame for sending on dev: counts and calls ops->xmit. */
int netif_xmit(struct netif *dev, struct pkt *p);
/* Change address/netmask (connected route, gratuitous ARP follow). */
int netif_set_addr(struct netif *dev, in_addr_be addr, in_addr_be mask);
int netif_set_flags(struct netif *dev, unsigned flags);

void net_init(void);       /* boot: loopback, routes; before drivers */
void net_start(void);      /* boot: start netrxd (after init exists) */
void net_cmdline_ip(const char *val);  /* ip=ADDR::GW:MASK::DEV:off */
void virtio_net_init(void);   /* drivers: probe their PCI functions */
void e1000_init(void);

/* Ethernet (eth.c). */
void eth_input(struct netif *dev, struct pkt *p);
/* Prepend the Ethernet header and send. Consumes p. */
int eth_output(struct netif *dev, struct pkt *p, const uint8_t *dst,
               uint16_t type);
extern const uint8_t eth_broadcast[ETH_ALEN];

/* ARP (arp.c). */
void arp_input(struct netif *dev, struct pkt *p);
/* Send the IPv4 packet p (data at its IP header) to next hop nh on dev,
 * resolving nh first when needed (the packet waits). Consumes p. */
int arp_output(struct netif *dev, struct pkt *p, in_addr_be nh);
void arp_announce(struct netif *dev);   /* gratuitous ARP for dev->addr */
void arp_flush_dev(struct netif *dev);
void arp_init(void);
struct arp_view {
	in_addr_be ip;
	uint8_t mac[ETH_ALEN];
	bool complete;
	struct netif *dev;
};
int arp_snapshot(struct arp_view *out, int max);   /* for /proc/net/arp */

/* Internal to ip*.c. */
void ip_input(struct netif *dev, struct pkt *p);
void ip_frag_init(void);
struct pkt *ip_reassemble(struct pkt *p);   /* NULL: kept or dropped */

#endif
