/*
 * kernel/net/ip_frag.c - IPv4 fragmentation on output and reassembly on
 * input (RFC 791, RFC 815).
 *
 * Reassembly keeps, per datagram (source, destination, id, protocol), the
 * fragments received so far in a list sorted by offset. It completes when
 * the last fragment (MF clear) has arrived and the pieces cover it without
 * gaps. Hostile input is bounded:
 *  - at most FRAG_QUEUES datagrams and FRAG_MEM bytes are held; beyond
 *    that the oldest datagram is dropped to make room;
 *  - a datagram not completed within FRAG_TIMEOUT is dropped, and when
 *    its first fragment was seen the sender gets ICMP time exceeded
 *    (fragment reassembly time exceeded);
 *  - overlapping fragments drop the whole datagram (as RFC 5722 asks for
 *    IPv6 and Linux does for IPv4: overlaps are only ever attacks), an
 *    exact duplicate is ignored; a fragment reaching past 65535 bytes or a
 *    non-final one whose length is not a multiple of 8 is dropped.
 */
#include "net/ip_hdr.h"
#include "ktime.h"
#include "mm.h"
#include "ktimer.h"
#include "sync.h"

#define FRAG_QUEUES 32
#define FRAG_MEM (256 * 1024)
#define FRAG_TIMEOUT_NS (30ULL * 1000000000)

struct frag {
	struct pkt *p;           /* data at the IP header */
	unsigned off, len;       /* payload bytes [off, off+len) */
	struct frag *next;
};

struct fragq {
	bool used;
	in_addr_be src, dst;
	uint16_t id;
	uint8_t proto;
	unsigned total;          /* payload length, once the last arrived */
	bool have_last;
	unsigned have;           /* payload bytes held */
	size_t mem;
	uint64_t expires, born;
	struct frag *frags;
};

static struct fragq queues[FRAG_QUEUES];
static size_t frag_mem;
static spinlock_t frag_lock = SPINLOCK_INIT("ip frag");
static struct ktimer frag_timer;

int ip_fragment(struct netif *dev, struct pkt *p, unsigned mtu, in_addr_be nh)
{
	struct ip_hdr *h = (struct ip_hdr *)p->data;
	unsigned hlen = ip_hlen(h);
	unsigned payload = p->len - hlen;
	unsigned chunk = (mtu - hlen) & ~7u;
	int err = 0;

	if (mtu < hlen + 8) {
		pkt_free(p);
		return -EMSGSIZE;
	}
	for (unsigned off = 0; off < payload; off += chunk) {
		unsigned n = MIN(chunk, payload - off);
		struct pkt *f = pkt_alloc(hlen + n);
		struct ip_hdr *fh;

		if (!f) {
			err = -ENOBUFS;
			break;
		}
		fh = (struct ip_hdr *)pkt_put(f, hlen + n);
		memcpy(fh, h, hlen);
		memcpy((uint8_t *)fh + hlen, p->data + hlen + off, n);
		fh->tot_len = htons(hlen + n);
		fh->frag = htons((off / 8) | (off + n < payload ? IP_MF : 0));
		fh->csum = 0;
		fh->csum = inet_csum(fh, hlen, 0);
		f->l3 = f->data;
		ip_stats.frag_creates++;
		int r = ip_send_frame(dev, f, nh);
		if (r < 0 && !err)
			err = r;
	}
	if (!err)
		ip_stats.frag_oks++;
	pkt_free(p);
	return err;
}

static void free_queue(struct fragq *q)
{
	struct frag *f, *next;

	for (f = q->frags; f; f = next) {
		next = f->next;
		pkt_free(f->p);
		kfree(f);
	}
	frag_mem -= q->mem;
	q->frags = NULL;
	q->used = false;
	q->mem = 0;
}

static struct fragq *find_or_make(const struct ip_hdr *h)
{
	struct fragq *free = NULL, *oldest = NULL;

	for (int i = 0; i < FRAG_QUEUES; i++) {
		struct fragq *q = &queues[i];

		if (!q->used) {
			if (!free)
				free = q;
			continue;
		}
		if (q->src == h->src && q->dst == h->dst && q->id == h->id &&
		    q->proto == h->proto)
			return q;
		if (!oldest || q->born < oldest->born)
			oldest = q;
	}
	if (!free) {
		ip_stats.reasm_fails++;
		free_queue(oldest);
		free = oldest;
	}
	*free = (struct fragq){
		.used = true, .src = h->src, .dst = h->dst, .id = h->id,
		.proto = h->proto, .born = time_ns(),
		.expires = time_ns() + FRAG_TIMEOUT_NS,
	};
	return free;
}

/* Make room for n more bytes by dropping the oldest datagrams (not q). */
static void make_room(struct fragq *q, size_t n)
{
	while (frag_mem + n > FRAG_MEM) {
		struct fragq *oldest = NULL;

		for (int i = 0; i < FRAG_QUEUES; i++)
			if (queues[i].used && &queues[i] != q &&
			    (!oldest || queues[i].born < oldest->born))
				oldest = &queues[i];
		if (!oldest)
			return;
		ip_stats.reasm_fails++;
		free_queue(oldest);
	}
}

/* The whole datagram, from q's fragments (which stay in q). */
static struct pkt *build(struct fragq *q)
{
	struct ip_hdr *first = (struct ip_hdr *)q->frags->p->data;
	unsigned hlen = ip_hlen(first);
	struct pkt *p = pkt_alloc(hlen + q->total);
	struct ip_hdr *h;

	if (!p)
		return NULL;
	h = (struct ip_hdr *)pkt_put(p, hlen + q->total);
	memcpy(h, first, hlen);
	for (struct frag *f = q->frags; f; f = f->next)
		memcpy((uint8_t *)h + hlen + f->off,
		       f->p->data + ip_hlen((struct ip_hdr *)f->p->data), f->len);
	h->tot_len = htons(hlen + q->total);
	h->frag = 0;
	h->csum = 0;
	h->csum = inet_csum(h, hlen, 0);
	p->dev = q->frags->p->dev;
	p->tstamp = q->frags->p->tstamp;
	p->l3 = p->data;
	return p;
}

struct pkt *ip_reassemble(struct pkt *p)
{
	struct ip_hdr *h = (struct ip_hdr *)p->data;
	unsigned hlen = ip_hlen(h);
	unsigned fo = ntohs(h->frag);
	unsigned off = (fo & IP_OFFMASK) * 8, len = p->len - hlen;
	bool more = fo & IP_MF;
	struct pkt *whole = NULL;
	struct fragq *q;
	struct frag *nf, **pp;

	if (off + len > IP_MAXPACKET - hlen || (more && (len % 8 || !len))) {
		ip_stats.reasm_fails++;
		pkt_free(p);
		return NULL;
	}
	nf = kmalloc(sizeof(*nf));
	if (!nf) {
		pkt_free(p);
		return NULL;
	}
	nf->p = p;
	nf->off = off;
	nf->len = len;

	spin_lock(&frag_lock);
	q = find_or_make(h);
	if (!more) {
		if ((q->have_last && q->total != off + len)) {
			goto bad;
		}
		q->have_last = true;
		q->total = off + len;
	}
	if (q->have_last && off + len > q->total)
		goto bad;
	/* Insert sorted by offset; refuse overlaps. */
	for (pp = &q->frags; *pp && (*pp)->off < off; pp = &(*pp)->next)
		;
	if (*pp && (*pp)->off == off && (*pp)->len == len) {
		spin_unlock(&frag_lock);  /* exact duplicate */
		pkt_free(p);
		kfree(nf);
		return NULL;
	}
	struct frag *prev = pp == &q->frags ? NULL :
	                    container_of(pp, struct frag, next);
	if ((prev && prev->off + prev->len > off) ||
	    (*pp && off + len > (*pp)->off))
		goto bad;
	make_room(q, p->cap);
	nf->next = *pp;
	*pp = nf;
	q->have += len;
	q->mem += p->cap;
	frag_mem += p->cap;
	if (q->have_last && q->have == q->total && q->frags->off == 0) {
		whole = build(q);
		if (whole)
			ip_stats.reasm_oks++;
		else
			ip_stats.reasm_fails++;
		free_queue(q);
	}
	spin_unlock(&frag_lock);
	if (!whole && !ktimer_pending(&frag_timer))
		ktimer_arm_in(&frag_timer, 1000000000ULL);
	return whole;
bad:
	ip_stats.reasm_fails++;
	free_queue(q);
	spin_unlock(&frag_lock);
	pkt_free(p);
	kfree(nf);
	return NULL;
}

static void frag_tick(struct ktimer *t)
{
	uint64_t now = time_ns();
	struct pkt *notify[FRAG_QUEUES];
	int nnotify = 0;
	bool busy = false;

	spin_lock(&frag_lock);
	for (int i = 0; i < FRAG_QUEUES; i++) {
		struct fragq *q = &queues[i];

		if (!q->used)
			continue;
		if (now < q->expires) {
			busy = true;
			continue;
		}
		ip_stats.reasm_fails++;
		/* Keep the first fragment to quote in the ICMP error. */
		if (q->frags && q->frags->off == 0) {
			notify[nnotify++] = q->frags->p;
			q->frags->p = NULL;
		}
		free_queue(q);
	}
	spin_unlock(&frag_lock);
	for (int i = 0; i < nnotify; i++) {
		icmp_send_error(notify[i], ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
		pkt_free(notify[i]);
	}
	if (busy)
		ktimer_arm_in(t, 1000000000ULL);
}

void ip_frag_init(void)
{
	ktimer_init(&frag_timer, frag_tick, NULL);
}
