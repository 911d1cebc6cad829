/*
 * kernel/net/icmp.c - ICMP for IPv4 (RFC 792, RFC 1122 3.2.2).
 *
 * Echo requests are answered in place (the reply reuses the request's
 * buffer). Errors that arrive (destination unreachable, time exceeded,
 * fragmentation needed) are matched to the transport whose packet they
 * quote. Errors we send quote the offending header plus as much data as
 * fits in 576 bytes, never about ICMP errors, broadcasts, non-first
 * fragments or bogus sources, and at most ICMP_RATE per second (so a
 * flood of junk cannot make us flood in turn).
 */
#include "net/ip_hdr.h"
#include "ktime.h"

#define ICMP_RATE 100

/* Until ping sockets exist, echo replies and their errors go nowhere. */
__attribute__((weak)) void ping_input(struct pkt *p, in_addr_be src __unused,
                                      in_addr_be dst __unused)
{
	pkt_free(p);
}
__attribute__((weak)) void ping_icmp_error(in_addr_be src __unused,
		in_addr_be dst __unused, const uint8_t *hdr __unused,
		size_t len __unused, int err __unused)
{
}

static void echo_reply(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	struct icmp_hdr *ic = (struct icmp_hdr *)p->data;
	struct pkt *r;

	/* Linux's default: do not answer pings to a broadcast address. */
	if (dst == 0xffffffff || (p->dev && dst == p->dev->broadcast) ||
	    ip_is_multicast(dst)) {
		pkt_free(p);
		return;
	}
	/* A fresh packet: p may sit in the headroom-poor middle of a
	 * reassembled buffer, and ip_output needs room for its headers. */
	r = pkt_alloc(p->len);
	if (!r) {
		pkt_free(p);
		return;
	}
	struct icmp_hdr *rh = (struct icmp_hdr *)pkt_put(r, p->len);
	memcpy(rh, ic, p->len);
	rh->type = ICMP_ECHOREPLY;
	rh->code = 0;
	rh->csum = 0;
	rh->csum = inet_csum(rh, r->len, 0);
	pkt_free(p);
	ip_output(r, dst, src, IPPROTO_ICMP, 0, false);
}

static int unreach_errno(uint8_t code)
{
	switch (code) {
	case ICMP_NET_UNREACH: return -ENETUNREACH;
	case ICMP_PROT_UNREACH: return -ENOPROTOOPT;
	case ICMP_PORT_UNREACH: return -ECONNREFUSED;
	case ICMP_FRAG_NEEDED: return -EMSGSIZE;
	default: return -EHOSTUNREACH;
	}
}

/* An error about a packet we sent: hand it to the transport. */
static void icmp_error_input(struct pkt *p)
{
	struct icmp_hdr *ic = (struct icmp_hdr *)p->data;
	struct ip_hdr *in;
	unsigned ihl;
	int err;

	if (p->len < sizeof(*ic) + IP_HLEN + 8)
		return;
	in = (struct ip_hdr *)(p->data + sizeof(*ic));
	ihl = ip_hlen(in);
	if ((in->vihl >> 4) != 4 || ihl < IP_HLEN ||
	    p->len < sizeof(*ic) + ihl + 8)
		return;
	/* Only about packets from us, and only about first fragments
	 * (the others quote no transport header). */
	if (!ip_addr_is_local(in->src) || (ntohs(in->frag) & IP_OFFMASK))
		return;
	err = ic->type == ICMP_DEST_UNREACH ? unreach_errno(ic->code) :
	      -EHOSTUNREACH;
	const uint8_t *l4 = (const uint8_t *)in + ihl;
	size_t l4len = p->len - sizeof(*ic) - ihl;
	switch (in->proto) {
	case IPPROTO_TCP:
		tcp_icmp_error(in->src, in->dst, l4, l4len, err,
		               err == -EMSGSIZE ? ntohs(ic->frag.mtu) : 0);
		break;
	case IPPROTO_UDP:
		udp_icmp_error(in->src, in->dst, l4, l4len, err);
		break;
	case IPPROTO_ICMP:
		ping_icmp_error(in->src, in->dst, l4, l4len, err);
		break;
	}
}

void icmp_input(struct pkt *p, in_addr_be src, in_addr_be dst)
{
	struct icmp_hdr *ic = (struct icmp_hdr *)p->data;

	if (p->len < sizeof(*ic) ||
	    (!(p->csum_flags & PKT_CSUM_VERIFIED) && inet_csum(p->data, p->len, 0))) {
		if (p->dev)
			p->dev->stats.rx_errors++;
		pkt_free(p);
		return;
	}
	switch (ic->type) {
	case ICMP_ECHO:
		echo_reply(p, src, dst);
		return;
	case ICMP_ECHOREPLY:
		ping_input(p, src, dst);
		return;
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
		icmp_error_input(p);
		break;
	default:
		break;  /* redirects, timestamps...: ignored */
	}
	pkt_free(p);
}

static bool rate_ok(void)
{
	static uint64_t window;
	static unsigned sent;
	uint64_t now = time_ns() / 1000000000ULL;

	if (now != window) {
		window = now;
		sent = 0;
	}
	return sent++ < ICMP_RATE;
}

void icmp_send_error(struct pkt *orig, uint8_t type, uint8_t code,
                     uint32_t info)
{
	struct ip_hdr *h = (struct ip_hdr *)orig->l3;
	unsigned ihl, tot, quote;
	struct pkt *p;

	if (!h)
		return;
	ihl = ip_hlen(h);
	tot = ntohs(h->tot_len);
	if (ntohs(h->frag) & IP_OFFMASK)
		return;
	if (h->src == 0 || h->src == 0xffffffff || ip_is_multicast(h->src) ||
	    h->dst == 0xffffffff || ip_is_multicast(h->dst) ||
	    (orig->dev && orig->dev->broadcast && h->dst == orig->dev->broadcast))
		return;
	if (h->proto == IPPROTO_ICMP) {
		const struct icmp_hdr *oc = (const void *)((uint8_t *)h + ihl);
		if (tot < ihl + 1 || (oc->type != ICMP_ECHO && oc->type != ICMP_ECHOREPLY))
			return;   /* never an error about an error */
	}
	if (!rate_ok())
		return;
	/* What is left of the original from its IP header on. */
	size_t avail = (size_t)(orig->data + orig->len - (uint8_t *)h);
	quote = MIN(MIN(tot, (unsigned)avail), 576u - IP_HLEN - sizeof(struct icmp_hdr));
	p = pkt_alloc(sizeof(struct icmp_hdr) + quote);
	if (!p)
		return;
	struct icmp_hdr *ic = (struct icmp_hdr *)pkt_put(p, sizeof(*ic) + quote);
	ic->type = type;
	ic->code = code;
	ic->csum = 0;
	ic->info = htonl(info);
	memcpy(ic + 1, h, quote);
	ic->csum = inet_csum(ic, p->len, 0);
	ip_output(p, ip_addr_is_local(h->dst) ? h->dst : 0, h->src, IPPROTO_ICMP,
	          0, false);
}
