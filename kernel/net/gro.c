/*
 * kernel/net/gro.c - generic receive offload (see net/gro.h): what one
 * batch of a device's received frames holds of a TCP flow, data segments
 * in sequence, goes up to the stack as one segment. TCP then processes
 * and acknowledges one segment instead of one per two MSS-sized ones,
 * and under emulation the ACKs are what a download costs most (QEMU
 * sends each during the doorbell write: see e1000.c). Linux's GRO does
 * the same; a device with large receive (virtio-net's GUEST_TSO4) does
 * it itself and needs none of this.
 *
 * A run of frames merges when each one is
 *   - Ethernet type IPv4, IP version 4 with no options (IHL 5), not a
 *     fragment (MF clear, offset 0, the reserved bit clear), a good IP
 *     header checksum, TCP, and a total length that fits in the frame
 *     (link padding past it is trimmed off);
 *   - TCP with a header that fits in that length, ACK set and no flag
 *     but ACK and PSH (SYN, FIN, RST, URG, ECE, CWR and the reserved
 *     bits each keep their segment whole), and at least one payload byte
 *     (pure ACKs carry the information TCP counts duplicates by);
 *   - checksummed good: verified by the device (PKT_CSUM_VERIFIED) or
 *     here in software. A bad one goes up unmerged and unverified, for
 *     the transport to count and drop;
 * and each after the first continues the first: same Ethernet
 * addresses, IP addresses, TOS, TTL and DF, same ports, sequence number
 * exactly where the run's payload ends, same ACK number, window and TCP
 * options byte for byte (header length included). A segment with PSH
 * ends the run it joins, as in Linux: the sender asked for that data to
 * be delivered. The merged segment takes the first one's headers with
 * the IP length and checksum redone and PSH if the last had it; its
 * payload is at most what an IP datagram holds (IP_MAXPACKET). It is
 * marked verified, which is true only because every piece was.
 * Everything else - and a run of one, and a run for which no buffer can
 * be had - goes up as it came, in order: the batch is never reordered.
 * Only neighbours merge (no flow table): a batch is one device's burst,
 * in which a download's segments come back to back.
 *
 * Where: drivers call gro_rx() with the batch they just took (e1000: one
 * interrupt's; virtio-net: one interrupt's or one netrxd poll's, only
 * with MTU-size buffers), rather than netrxd merging what it pops from
 * its queue. The batch is then one device's frames in ring order and the
 * driver decides whether merging is worth it (not when the device hands
 * over 64 KiB segments); netrxd's queue mixes devices and loopback, and
 * by merging before netif_rx() the queue holds one entry per segment.
 * The cost is the copy into the merged buffer in the interrupt handler,
 * which e1000's driver-private merging paid before this file took it
 * over.
 */
#include "net/gro.h"
#include "net/ip_hdr.h"

#define TCP_HLEN 20
#define TH_PSH 0x08
#define TH_ACK 0x10

struct gro_seg {
	const struct ip_hdr *ip;
	const uint8_t *th;
	unsigned hlen;          /* Ethernet + IP + TCP header bytes */
	unsigned plen;          /* TCP payload bytes */
	uint32_t seq;
};

/* Is p a TCP data segment that may be merged? Fills *s, checks (and
 * marks) the checksum and trims link padding. Reads nothing past p->len. */
static bool gro_parse(struct pkt *p, struct gro_seg *s)
{
	const uint8_t *d = p->data;
	const struct ip_hdr *ip = (const struct ip_hdr *)(d + ETH_HLEN);
	const uint8_t *th = d + ETH_HLEN + IP_HLEN;
	unsigned tot, thl;
	uint32_t seq;

	if (p->len < ETH_HLEN + IP_HLEN + TCP_HLEN ||
	    d[12] != ETH_P_IP >> 8 || d[13] != (ETH_P_IP & 0xff) ||
	    ip->vihl != 0x45 || ip->proto != IPPROTO_TCP ||
	    (ntohs(ip->frag) & (IP_RF | IP_MF | IP_OFFMASK)) ||
	    inet_csum(ip, IP_HLEN, 0))
		return false;
	tot = ntohs(ip->tot_len);
	thl = (th[12] >> 4) * 4u;
	if (tot > p->len - ETH_HLEN || thl < TCP_HLEN || (th[12] & 0x0f) ||
	    tot <= IP_HLEN + thl)
		return false;   /* no payload, or header past the length */
	if ((th[13] & ~(TH_ACK | TH_PSH)) || !(th[13] & TH_ACK))
		return false;
	if (!(p->csum_flags & PKT_CSUM_VERIFIED)) {
		uint32_t ps = inet_pseudo_sum(ip->src, ip->dst, IPPROTO_TCP,
		                              tot - IP_HLEN);
		if (inet_csum(th, tot - IP_HLEN, ps))
			return false;
		p->csum_flags |= PKT_CSUM_VERIFIED;
	}
	pkt_trim(p, ETH_HLEN + tot);
	memcpy(&seq, th + 4, 4);
	s->ip = ip;
	s->th = th;
	s->hlen = ETH_HLEN + IP_HLEN + thl;
	s->plen = tot - IP_HLEN - thl;
	s->seq = ntohl(seq);
	return true;
}

/* Does b belong with a? Flow, IP fields that must not change, ACK,
 * window and options (both parsed, so both headers are in bounds). */
static bool gro_same(const struct pkt *pa, const struct gro_seg *a,
                     const struct pkt *pb, const struct gro_seg *b)
{
	return a->hlen == b->hlen && !memcmp(pa->data, pb->data, 12) &&
	       a->ip->tos == b->ip->tos && a->ip->ttl == b->ip->ttl &&
	       a->ip->frag == b->ip->frag &&
	       !memcmp(&a->ip->src, &b->ip->src, 8) &&
	       !memcmp(a->th, b->th, 4) &&                  /* ports */
	       !memcmp(a->th + 8, b->th + 8, 4) &&          /* ACK */
	       !memcmp(a->th + 14, b->th + 14, 2) &&        /* window */
	       !memcmp(a->th + TCP_HLEN, b->th + TCP_HLEN,  /* options */
	               a->hlen - (ETH_HLEN + IP_HLEN + TCP_HLEN));
}

/* frames[i..j) as one segment; NULL if no buffer (nothing consumed). */
static struct pkt *gro_merge(struct netif *dev, struct pkt **frames,
                             unsigned i, unsigned j, unsigned hlen,
                             unsigned total)
{
	struct pkt *m = pkt_alloc(hlen + total);
	uint64_t wire = 0;

	if (!m)
		return NULL;
	uint8_t *d = pkt_put(m, hlen + total);
	memcpy(d, frames[i]->data, hlen);
	d += hlen;
	for (unsigned k = i; k < j; k++) {
		struct pkt *p = frames[k];
		memcpy(d, p->data + hlen, p->len - hlen);
		d += p->len - hlen;
		wire += p->len;
		if (k == j - 1)
			m->data[ETH_HLEN + IP_HLEN + 13] |=
				p->data[ETH_HLEN + IP_HLEN + 13] & TH_PSH;
		pkt_free(p);
	}
	struct ip_hdr *ip = (struct ip_hdr *)(m->data + ETH_HLEN);
	ip->tot_len = htons((uint16_t)(hlen - ETH_HLEN + total));
	ip->csum = 0;
	ip->csum = inet_csum(ip, IP_HLEN, 0);
	m->csum_flags = PKT_CSUM_VERIFIED;
	/* As on the wire: netif_rx counts the merged segment once, so the
	 * frames merged away and their headers are counted here. */
	dev->stats.rx_packets += j - i - 1;
	dev->stats.rx_bytes += wire - m->len;
	dev->stats.rx_gro++;
	return m;
}

void gro_rx(struct netif *dev, struct pkt **frames, unsigned n)
{
	struct gro_seg first, next;
	unsigned i = 0;

	while (i < n) {
		unsigned j = i + 1, total;
		struct pkt *m;

		if (!gro_parse(frames[i], &first)) {
			netif_rx(dev, frames[i++]);
			continue;
		}
		total = first.plen;
		if (!(first.th[13] & TH_PSH)) {
			while (j < n && gro_parse(frames[j], &next) &&
			       next.seq == first.seq + total &&
			       gro_same(frames[i], &first, frames[j], &next) &&
			       first.hlen - ETH_HLEN + total + next.plen <= IP_MAXPACKET) {
				total += next.plen;
				j++;
				if (next.th[13] & TH_PSH)
					break;
			}
		}
		if (j - i == 1 || !(m = gro_merge(dev, frames, i, j, first.hlen, total))) {
			netif_rx(dev, frames[i++]);
			continue;
		}
		netif_rx(dev, m);
		i = j;
	}
}
