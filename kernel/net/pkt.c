/*
 * kernel/net/pkt.c - packet buffers (see net/pkt.h): one kmalloc'ed
 * block per packet, with headroom for the headers pushed on the way down.
 */
#include "mm.h"
#include "net/pkt.h"

struct pkt *pkt_alloc(size_t size)
{
	struct pkt *p = kmalloc(sizeof(*p));
	if (!p)
		return NULL;
	size_t cap = PKT_HEADROOM + size;
	p->buf = kmalloc(cap);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	p->next = NULL;
	p->cap = cap;
	p->data = p->buf + PKT_HEADROOM;
	p->len = 0;
	p->dev = NULL;
	p->l3 = p->l4 = NULL;
	p->csum_flags = 0;
	p->csum_start = p->csum_offset = 0;
	p->tstamp = 0;
	return p;
}

void pkt_free(struct pkt *p)
{
	if (!p)
		return;
	kfree(p->buf);
	kfree(p);
}

struct pkt *pkt_copy(const struct pkt *p)
{
	size_t head = (size_t)(p->data - p->buf);
	struct pkt *c = pkt_alloc(p->cap > PKT_HEADROOM ? p->cap - PKT_HEADROOM : 0);
	if (!c)
		return NULL;
	/* Same layout: same headroom, so l3/l4 keep their offsets. */
	c->data = c->buf + head;
	memcpy(c->data, p->data, p->len);
	c->len = p->len;
	c->dev = p->dev;
	c->l3 = p->l3 ? c->buf + (p->l3 - p->buf) : NULL;
	c->l4 = p->l4 ? c->buf + (p->l4 - p->buf) : NULL;
	c->csum_flags = p->csum_flags;
	c->csum_start = p->csum_start;
	c->csum_offset = p->csum_offset;
	c->tstamp = p->tstamp;
	return c;
}

void pktq_push(struct pkt_queue *q, struct pkt *p)
{
	p->next = NULL;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->count++;
	q->bytes += p->len;
}

struct pkt *pktq_pop(struct pkt_queue *q)
{
	struct pkt *p = q->head;
	if (!p)
		return NULL;
	q->head = p->next;
	if (!q->head)
		q->tail = NULL;
	p->next = NULL;
	q->count--;
	q->bytes -= p->len;
	return p;
}

void pktq_purge(struct pkt_queue *q)
{
	struct pkt *p;
	while ((p = pktq_pop(q)))
		pkt_free(p);
}
