/*
 * kernel/net/udp.c - UDP (RFC 768, RFC 1122 4.1): checksums, ports and
 * demultiplexing. The bound endpoints are a list under a spinlock; a host
 * has few of them. Received datagrams are checked (length field within
 * the packet, checksum unless the device verified it or the sender sent
 * none) and handed to the best-matching endpoint.
 */
#include "net/ip_hdr.h"
#include "net/udp.h"
#include "procfs.h"
#include "sync.h"

#define EPHEMERAL_LOW 49152
#define EPHEMERAL_HIGH 65535

static struct udp_pcb *pcbs;
static spinlock_t udp_lock = SPINLOCK_INIT("udp");
static uint16_t next_ephemeral = EPHEMERAL_LOW;

static bool conflict(struct udp_pcb *pcb, in_addr_be addr, uint16_t port)
{
	for (struct udp_pcb *o = pcbs; o; o = o->next) {
		if (o == pcb || o->lport != port)
			continue;
		if (o->laddr && addr && o->laddr != addr)
			continue;
		if (o->reuse && pcb->reuse)
			continue;
		return true;
	}
	return false;
}

int udp_bind(struct udp_pcb *pcb, in_addr_be addr, uint16_t port)
{
	int err = 0;

	if (addr && addr != 0xffffffff && !ip_addr_is_local(addr))
		return -EADDRNOTAVAIL;
	spin_lock(&udp_lock);
	if (pcb->lport) {
		err = -EINVAL;
		goto out;
	}
	if (!port) {
		for (int tries = 0; tries <= EPHEMERAL_HIGH - EPHEMERAL_LOW; tries++) {
			uint16_t p = htons(next_ephemeral);
			next_ephemeral = next_ephemeral == EPHEMERAL_HIGH ?
			                 EPHEMERAL_LOW : next_ephemeral + 1;
			if (!conflict(pcb, addr, p)) {
				port = p;
				break;
			}
		}
		if (!port) {
			err = -EADDRINUSE;
			goto out;
		}
	} else if (conflict(pcb, addr, port)) {
		err = -EADDRINUSE;
		goto out;
	}
	pcb->laddr = addr;
	pcb->lport = port;
	pcb->next = pcbs;
	pcbs = pcb;
out:
	spin_unlock(&udp_lock);
	return err;
}

void udp_set_peer(struct udp_pcb *pcb, in_addr_be laddr, in_addr_be faddr,
                  uint16_t fport)
{
	spin_lock(&udp_lock);
	if (!pcb->laddr)
		pcb->laddr = laddr;
	pcb->faddr = faddr;
	pcb->fport = fport;
	spin_unlock(&udp_lock);
}

void udp_unbind(struct udp_pcb *pcb)
{
	spin_lock(&udp_lock);
	for (struct udp_pcb **pp = &pcbs; *pp; pp = &(*pp)->next) {
		if (*pp == pcb) {
			*pp = pcb->next;
			break;
		}
	}
	pcb->lport = 0;
	spin_unlock(&udp_lock);
}

/* Best match, scored: local address exact 2, peer match 4. */
static struct udp_pcb *lookup(in_addr_be src, uint16_t sport, in_addr_be dst,
                              uint16_t dport, struct netif *dev)
{
	struct udp_pcb *best = NULL;
	int best_score = -1;

	for (struct udp_pcb *o = pcbs; o; o = o->next) {
		int score = 0;

		if (o->lport != dport)
			continue;
		if (o->dev && o->dev != dev)
			continue;
		if (o->laddr) {
			if (o->laddr != dst)
				continue;
			score += 2;
		}
		if (o->faddr) {
			if (o->faddr != src || o->fport != sport)
				continue;
			score += 4;
		}
		if (score > best_score) {
			best = o;
			best_score = score;
		}
	}
	return best;
}

void udp_input(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	struct udp_hdr *h = (struct udp_hdr *)p->data;
	struct udp_pcb *pcb;
	unsigned len;

	if (p->len < sizeof(*h))
		goto bad;
	len = ntohs(h->len);
	if (len < sizeof(*h) || len > p->len)
		goto bad;
	pkt_trim(p, len);
	if (h->csum && !(p->csum_flags & PKT_CSUM_VERIFIED) &&
	    inet_csum(p->data, len, inet_pseudo_sum(src, dst, IPPROTO_UDP, len)))
		goto bad;

	spin_lock(&udp_lock);
	pcb = lookup(src, h->sport, dst, h->dport, p->dev);
	if (pcb && pcb->recv) {
		uint16_t sport = h->sport;
		pkt_pull(p, sizeof(*h));
		/* The callback runs under udp_lock, so the pcb cannot be
		 * unbound and freed meanwhile; it only queues. */
		pcb->recv(pcb, p, src, sport, dst);
		spin_unlock(&udp_lock);
		return;
	}
	spin_unlock(&udp_lock);
	if (dst != 0xffffffff && !(p->dev && dst == p->dev->broadcast) &&
	    !ip_is_multicast(dst))
		icmp_send_error(p, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	pkt_free(p);
	return;
bad:
	if (p->dev)
		p->dev->stats.rx_errors++;
	pkt_free(p);
}

void udp_icmp_error(in_addr_be src, in_addr_be dst, const uint8_t *hdr,
                    size_t len, int err)
{
	const struct udp_hdr *h = (const struct udp_hdr *)hdr;
	struct udp_pcb *pcb;

	if (len < sizeof(*h))
		return;
	spin_lock(&udp_lock);
	/* Our datagram went src:sport -> dst:dport. */
	pcb = lookup(dst, h->dport, src, h->sport, NULL);
	if (pcb && pcb->error)
		pcb->error(pcb, err);
	spin_unlock(&udp_lock);
}

int udp_output(struct udp_pcb *pcb, struct pkt *p, in_addr_be dst,
               uint16_t dport, uint8_t ttl)
{
	struct udp_hdr *h;
	in_addr_be src = pcb->laddr;
	int err;

	if (!pcb->lport && (err = udp_bind(pcb, 0, 0)) < 0) {
		pkt_free(p);
		return err;
	}
	if (!dport) {
		pkt_free(p);
		return -EINVAL;
	}
	if (!src && dst != 0xffffffff && ip_route_lookup(dst, &src, NULL) < 0) {
		pkt_free(p);
		return -ENETUNREACH;
	}
	h = (struct udp_hdr *)pkt_push(p, sizeof(*h));
	if (!h) {
		pkt_free(p);
		return -ENOBUFS;
	}
	h->sport = pcb->lport;
	h->dport = dport;
	h->len = htons(p->len);
	/* Offload: the pseudo-header sum in place; the device or ip_output
	 * finishes it. */
	inet_csum_offload(p, src, dst, IPPROTO_UDP, offsetof(struct udp_hdr, csum));
	p->dev = pcb->dev;
	return ip_output(p, src, dst, IPPROTO_UDP, ttl, false);
}

int proc_net_udp_show(struct proc_buf *b, void *ctx __unused)
{
	int sl = 0;

	proc_printf(b, "   sl  local_address rem_address   st tx_queue rx_queue tr "
	            "tm->when retrnsmt   uid  timeout inode ref pointer drops\n");
	spin_lock(&udp_lock);
	for (struct udp_pcb *o = pcbs; o; o = o->next)
		proc_printf(b, "%5d: %08X:%04X %08X:%04X %02X %08lX:%08lX 00:00000000 "
		            "00000000 %5u        0 %lu 2 0000000000000000 %u\n",
		            sl++, o->laddr, ntohs(o->lport), o->faddr, ntohs(o->fport),
		            o->faddr ? 1 : 7, (unsigned long)o->tx_queued,
		            (unsigned long)o->rx_queued, o->uid, o->ino, o->drops);
	spin_unlock(&udp_lock);
	return 0;
}
