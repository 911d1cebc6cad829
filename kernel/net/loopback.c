/*
 * kernel/net/loopback.c - the loopback interface "lo", 127.0.0.1/8.
 *
 * Its frames carry no link header: IP hands it packets starting at the IP
 * header, and transmitting one is receiving it (through netrxd, so a
 * reply is never sent from inside the sender's own call chain).
 * Checksums are never computed: a packet that never leaves memory
 * cannot be corrupted on a wire, so PKT_CSUM_PARTIAL becomes VERIFIED.
 */
#include "net/netif.h"

static struct netif lo;

static int lo_xmit(struct netif *dev, struct pkt *p)
{
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += p->len;
	if (p->csum_flags & PKT_CSUM_PARTIAL)
		p->csum_flags = PKT_CSUM_VERIFIED;
	netif_rx(dev, p);
	return 0;
}

static const struct netif_ops lo_ops = { .xmit = lo_xmit };

struct netif *netif_loopback = &lo;

void loopback_init(void)
{
	lo.mtu = 65536;
	lo.flags = IFF_LOOPBACK | IFF_UP | IFF_RUNNING;
	lo.features = NETIF_F_TX_CSUM;
	lo.link_up = true;
	lo.ops = &lo_ops;
	netif_register(&lo, "lo");
	netif_set_addr(&lo, htonl(0x7f000001), htonl(0xff000000));
}
