/*
 * kernel/net/ip.c - IPv4 input and output (RFC 791, RFC 1122 host rules).
 *
 * Input checks the header (version, lengths, checksum, martian sources),
 * keeps only packets for one of our addresses or a broadcast (a host does
 * not forward), sends fragments to reassembly (ip_frag.c) and hands each
 * datagram to its transport. Output routes (route.c), builds the header,
 * resolves checksum offload when the device cannot, fragments what
 * exceeds the MTU (ip_frag.c) and passes the packet to ARP, or straight
 * to the loopback interface for our own addresses.
 */
#include "net/ip_hdr.h"
#include "net/route.h"

struct ip_stats ip_stats;
static uint16_t ip_next_id;

/* Until a transport is linked in, its packets are refused the way a host
 * without it would refuse them. The real ones override these. */
__attribute__((weak)) void tcp_input(struct pkt *p, in_addr_be src __unused,
                                     in_addr_be dst __unused)
{
	icmp_send_error(p, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
	pkt_free(p);
}
__attribute__((weak)) void tcp_icmp_error(in_addr_be src __unused,
		in_addr_be dst __unused, const uint8_t *hdr __unused,
		size_t len __unused, int err __unused, unsigned mtu __unused)
{
}

bool ip_addr_is_local(in_addr_be a)
{
	if ((ntohl(a) >> 24) == 127)
		return true;
	for (struct netif *n = READ_ONCE(netif_list); n; n = READ_ONCE(n->next))
		if (n->addr && n->addr == a)
			return true;
	return false;
}

/* The interface limited broadcasts (255.255.255.255) leave through: the
 * packet's own (SO_BINDTODEVICE) or the first Ethernet interface up. */
static struct netif *broadcast_dev(struct pkt *p)
{
	if (p->dev)
		return p->dev;
	for (struct netif *n = READ_ONCE(netif_list); n; n = READ_ONCE(n->next))
		if ((n->flags & IFF_UP) && !(n->flags & IFF_LOOPBACK))
			return n;
	return NULL;
}

/* dev and next hop for dst; false when there is no route. */
static bool ip_route(struct pkt *p, in_addr_be dst, struct netif **dev,
                     in_addr_be *nh)
{
	struct route r;

	if (dst == 0xffffffff) {
		*dev = broadcast_dev(p);
		*nh = dst;
		return *dev != NULL;
	}
	if (ip_addr_is_local(dst)) {
		*dev = netif_loopback;
		*nh = dst;
		return true;
	}
	if (route_lookup(dst, &r) < 0)
		return false;
	*dev = r.dev;
	*nh = r.gw ? r.gw : dst;
	return true;
}

int ip_route_lookup(in_addr_be dst, in_addr_be *src, unsigned *mtu)
{
	struct pkt fake = { 0 };
	struct netif *dev;
	in_addr_be nh;

	if (!ip_route(&fake, dst, &dev, &nh))
		return -ENETUNREACH;
	if (src)
		*src = ip_addr_is_local(dst) ? ((ntohl(dst) >> 24) == 127 ?
		       htonl(0x7f000001) : dst) : dev->addr;
	if (mtu)
		*mtu = dev->mtu;
	return 0;
}

unsigned ip_route_features(in_addr_be dst)
{
	struct pkt fake = { 0 };
	struct netif *dev;
	in_addr_be nh;

	return ip_route(&fake, dst, &dev, &nh) ? dev->features : 0;
}

/* Fill in a PKT_CSUM_PARTIAL checksum in software. p->data is at the IP
 * header (hlen bytes). */
static void resolve_csum(struct pkt *p, unsigned hlen)
{
	size_t start = p->csum_start;
	uint16_t c;

	p->csum_flags &= ~PKT_CSUM_PARTIAL;
	if (start < hlen || start + p->csum_offset + 2 > p->len)
		return;
	c = inet_csum(p->data + start, p->len - start, 0);
	if (c == 0)
		c = 0xffff;   /* UDP: 0 means "none"; TCP never sees this */
	memcpy(p->data + start + p->csum_offset, &c, 2);
}

int ip_send_frame(struct netif *dev, struct pkt *p, in_addr_be nh)
{
	if (dev->flags & IFF_LOOPBACK)
		return netif_xmit(dev, p);
	return arp_output(dev, p, nh);
}

int ip_output(struct pkt *p, in_addr_be src, in_addr_be dst, uint8_t proto,
              uint8_t ttl, bool df)
{
	struct ip_hdr *h;
	struct netif *dev;
	in_addr_be nh;

	ip_stats.out_requests++;
	if (!ip_route(p, dst, &dev, &nh)) {
		ip_stats.out_no_routes++;
		pkt_free(p);
		return -ENETUNREACH;
	}
	if (p->len + IP_HLEN > IP_MAXPACKET) {
		pkt_free(p);
		return -EMSGSIZE;
	}
	if (p->len + IP_HLEN > dev->mtu && df) {
		pkt_free(p);
		return -EMSGSIZE;
	}
	if (!src)
		src = dev == netif_loopback && (ntohl(dst) >> 24) == 127 ?
		      htonl(0x7f000001) : (dev == netif_loopback ? dst : dev->addr);
	h = (struct ip_hdr *)pkt_push(p, IP_HLEN);
	if (!h) {
		pkt_free(p);
		return -ENOBUFS;
	}
	h->vihl = 0x45;
	h->tos = 0;
	h->tot_len = htons(p->len);
	/* A TSO packet's segments take consecutive ids from its own (the
	 * device or host adds one a segment): reserve at least as many, so
	 * that the next packet's id is not one of them. */
	h->id = htons(__atomic_fetch_add(&ip_next_id,
	                                 p->gso_size ? (p->len + p->gso_size - 1) / p->gso_size : 1,
	                                 __ATOMIC_RELAXED));
	h->frag = df ? htons(IP_DF) : 0;
	h->ttl = ttl ? ttl : IP_DEFAULT_TTL;
	h->proto = proto;
	h->csum = 0;
	h->src = src;
	h->dst = dst;
	h->csum = inet_csum(h, IP_HLEN, 0);
	p->l3 = p->data;

	/* A TSO packet (TCP sized it for the route's device, which cuts it)
	 * goes as it is; should the route have moved to a device without
	 * TSO, it is fragmented like any big packet: slower, still correct. */
	if (p->gso_size && (dev->features & NETIF_F_TSO) &&
	    (p->csum_flags & PKT_CSUM_PARTIAL) && proto == IPPROTO_TCP)
		return ip_send_frame(dev, p, nh);
	p->gso_size = 0;
	if (p->len > dev->mtu) {
		if (p->csum_flags & PKT_CSUM_PARTIAL)
			resolve_csum(p, IP_HLEN);
		return ip_fragment(dev, p, dev->mtu, nh);
	}
	if ((p->csum_flags & PKT_CSUM_PARTIAL) &&
	    !(dev->features & NETIF_F_TX_CSUM))
		resolve_csum(p, IP_HLEN);
	return ip_send_frame(dev, p, nh);
}

/* A packet we sent could not be delivered (ARP gave up): tell its sender
 * as an ICMP host unreachable would. p->data is at its IP header. */
void ip_report_unreachable(struct pkt *p)
{
	struct ip_hdr *h = (struct ip_hdr *)p->data;

	if (p->len >= IP_HLEN + 8 && ip_hlen(h) + 8 <= p->len) {
		const uint8_t *l4 = p->data + ip_hlen(h);
		size_t l4len = p->len - ip_hlen(h);

		switch (h->proto) {
		case IPPROTO_TCP:
			tcp_icmp_error(h->src, h->dst, l4, l4len, -EHOSTUNREACH, 0);
			break;
		case IPPROTO_UDP:
			udp_icmp_error(h->src, h->dst, l4, l4len, -EHOSTUNREACH);
			break;
		case IPPROTO_ICMP:
			ping_icmp_error(h->src, h->dst, l4, l4len, -EHOSTUNREACH);
			break;
		}
	}
	pkt_free(p);
}

/* Is dst ours as seen on dev? */
static bool for_us(struct netif *dev, in_addr_be dst)
{
	if (dst == 0xffffffff)
		return true;
	if (dev->flags & IFF_LOOPBACK)
		return true;
	/* Before DHCP finished, a server may unicast to the address it
	 * offers: an unconfigured interface takes everything (like BSD's
	 * DHCP-era behaviour) and the transports sort it out. */
	if (!dev->addr)
		return !ip_is_multicast(dst);
	if (dst == dev->broadcast)
		return true;
	return ip_addr_is_local(dst) && (ntohl(dst) >> 24) != 127;
}

static bool martian_src(struct netif *dev, in_addr_be src)
{
	if (dev->flags & IFF_LOOPBACK)
		return false;
	return src == 0xffffffff || ip_is_multicast(src) ||
	       (ntohl(src) >> 24) == 127 || (dev->broadcast && src == dev->broadcast);
}

void ip_input(struct netif *dev, struct pkt *p)
{
	struct ip_hdr *h = (struct ip_hdr *)p->data;
	unsigned hlen, tot;

	ip_stats.in_receives++;
	if (p->len < IP_HLEN || (h->vihl >> 4) != 4)
		goto hdr_error;
	hlen = ip_hlen(h);
	tot = ntohs(h->tot_len);
	if (hlen < IP_HLEN || hlen > p->len || tot < hlen || tot > p->len)
		goto hdr_error;
	if (!(dev->flags & IFF_LOOPBACK) && inet_csum(h, hlen, 0) != 0)
		goto hdr_error;
	pkt_trim(p, tot);   /* Ethernet padding */
	if (martian_src(dev, h->src) || !for_us(dev, h->dst)) {
		ip_stats.in_addr_errors++;
		pkt_free(p);
		return;
	}
	p->l3 = p->data;
	if (ntohs(h->frag) & (IP_MF | IP_OFFMASK)) {
		ip_stats.reasm_reqds++;
		p = ip_reassemble(p);
		if (!p)
			return;
		h = (struct ip_hdr *)p->data;
		hlen = ip_hlen(h);
	}
	in_addr_be src = h->src, dst = h->dst;
	uint8_t proto = h->proto;
	pkt_pull(p, hlen);
	p->l4 = p->data;
	ip_stats.in_delivers++;
	switch (proto) {
	case IPPROTO_ICMP:
		icmp_input(p, src, dst);
		break;
	case IPPROTO_UDP:
		udp_input(p, src, dst);
		break;
	case IPPROTO_TCP:
		tcp_input(p, src, dst);
		break;
	default:
		ip_stats.in_unknown_protos++;
		if (dst != 0xffffffff && dst != dev->broadcast)
			icmp_send_error(p, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
		pkt_free(p);
		break;
	}
	return;
hdr_error:
	ip_stats.in_hdr_errors++;
	dev->stats.rx_errors++;
	pkt_free(p);
}

