/*
 * kernel/net/eth.c - Ethernet II framing: strip and check the header on
 * the way up, dispatch on the EtherType; prepend it on the way down.
 * Frames not addressed to us (another unicast MAC, multicast) are dropped
 * here; the bridge may flood them to us before it learns addresses.
 */
#include "net/netif.h"

const uint8_t eth_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct eth_hdr {
	uint8_t dst[ETH_ALEN];
	uint8_t src[ETH_ALEN];
	uint16_t type;
} __packed;

void eth_input(struct netif *dev, struct pkt *p)
{
	struct eth_hdr *h = (struct eth_hdr *)pkt_pull(p, ETH_HLEN);

	if (!h) {
		dev->stats.rx_errors++;
		pkt_free(p);
		return;
	}
	if (memcmp(h->dst, dev->mac, ETH_ALEN) &&
	    memcmp(h->dst, eth_broadcast, ETH_ALEN)) {
		pkt_free(p);   /* not for us: flooded unicast or multicast */
		return;
	}
	if (!(dev->flags & IFF_UP)) {
		dev->stats.rx_dropped++;
		pkt_free(p);
		return;
	}
	switch (ntohs(h->type)) {
	case ETH_P_IP:
		ip_input(dev, p);
		break;
	case ETH_P_ARP:
		arp_input(dev, p);
		break;
	default:
		pkt_free(p);    /* IPv6 and others: not spoken here */
		break;
	}
}

int eth_output(struct netif *dev, struct pkt *p, const uint8_t *dst,
               uint16_t type)
{
	struct eth_hdr *h = (struct eth_hdr *)pkt_push(p, ETH_HLEN);

	if (!h) {
		dev->stats.tx_errors++;
		pkt_free(p);
		return -ENOBUFS;
	}
	memcpy(h->dst, dst, ETH_ALEN);
	memcpy(h->src, dev->mac, ETH_ALEN);
	h->type = htons(type);
	return netif_xmit(dev, p);
}
