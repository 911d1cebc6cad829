/*
 * kernel/net/arp.c - ARP (RFC 826) for IPv4 over Ethernet.
 *
 * The cache is a small table under one spinlock. An entry is INCOMPLETE
 * while we ask (packets to it wait, at most ARP_MAXQ of them; the request
 * is repeated every second, ARP_TRIES times, then the waiting packets are
 * dropped and their senders told "host unreachable") and REACHABLE once
 * answered, for ARP_TTL seconds; after that it is forgotten and the next
 * packet asks again.
 *
 * Hostile input: a frame with the wrong hardware/protocol sizes or short
 * is dropped. A frame claiming our own address from another MAC is a
 * conflict: logged, never learned. An unsolicited reply or request does
 * not replace the MAC of a REACHABLE entry (that is how ARP spoofing
 * steals traffic); the entry must expire first. Entries are only created
 * for hosts that ask for us or that we asked for, so a flood of ARP from
 * random addresses cannot fill the table with junk.
 */
#include "net/netif.h"
#include "ktime.h"
#include "ktimer.h"
#include "sync.h"

#define ARP_ENTRIES 64
#define ARP_MAXQ 8
#define ARP_TRIES 3
#define ARP_TTL_NS (60ULL * 1000000000)
#define ARP_RETRY_NS (1000ULL * 1000000)

#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2

struct arp_pkt {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[ETH_ALEN];
	in_addr_be spa;
	uint8_t tha[ETH_ALEN];
	in_addr_be tpa;
} __packed;

enum { ARP_FREE, ARP_INCOMPLETE, ARP_REACHABLE };

struct arp_entry {
	int state;
	struct netif *dev;
	in_addr_be ip;
	uint8_t mac[ETH_ALEN];
	uint64_t expires;        /* REACHABLE: forget; INCOMPLETE: retry */
	int tries;
	struct pkt_queue pending;
};

static struct arp_entry cache[ARP_ENTRIES];
static spinlock_t arp_lock = SPINLOCK_INIT("arp");
static struct ktimer arp_timer;

void ip_report_unreachable(struct pkt *p);

static void arp_send(struct netif *dev, uint16_t op, const uint8_t *dst_mac,
                     const uint8_t *tha, in_addr_be tpa)
{
	struct pkt *p = pkt_alloc(sizeof(struct arp_pkt));
	struct arp_pkt *a;

	if (!p)
		return;
	a = (struct arp_pkt *)pkt_put(p, sizeof(*a));
	a->htype = htons(1);
	a->ptype = htons(ETH_P_IP);
	a->hlen = ETH_ALEN;
	a->plen = 4;
	a->op = htons(op);
	memcpy(a->sha, dev->mac, ETH_ALEN);
	a->spa = dev->addr;
	memcpy(a->tha, tha, ETH_ALEN);
	a->tpa = tpa;
	eth_output(dev, p, dst_mac, ETH_P_ARP);
}

static const uint8_t zero_mac[ETH_ALEN];

static struct arp_entry *lookup(struct netif *dev, in_addr_be ip)
{
	for (int i = 0; i < ARP_ENTRIES; i++)
		if (cache[i].state != ARP_FREE && cache[i].ip == ip &&
		    cache[i].dev == dev)
			return &cache[i];
	return NULL;
}

/* A free slot, or the REACHABLE one expiring first (never an INCOMPLETE
 * one: those hold packets). NULL when all are asking. */
static struct arp_entry *slot(void)
{
	struct arp_entry *victim = NULL;

	for (int i = 0; i < ARP_ENTRIES; i++) {
		if (cache[i].state == ARP_FREE)
			return &cache[i];
		if (cache[i].state == ARP_REACHABLE &&
		    (!victim || cache[i].expires < victim->expires))
			victim = &cache[i];
	}
	if (victim)
		victim->state = ARP_FREE;
	return victim;
}

/* Send the packets that waited for e; called without the lock held, on
 * a queue taken out of the entry. */
static void flush_queue(struct netif *dev, struct pkt_queue *q,
                        const uint8_t *mac)
{
	struct pkt *p;

	while ((p = pktq_pop(q)))
		eth_output(dev, p, mac, ETH_P_IP);
}

int arp_output(struct netif *dev, struct pkt *p, in_addr_be nh)
{
	struct arp_entry *e;
	uint8_t mac[ETH_ALEN];
	bool ask = false;

	if (nh == 0xffffffff || (dev->broadcast && nh == dev->broadcast))
		return eth_output(dev, p, eth_broadcast, ETH_P_IP);

	spin_lock(&arp_lock);
	e = lookup(dev, nh);
	if (e && e->state == ARP_REACHABLE) {
		memcpy(mac, e->mac, ETH_ALEN);
		spin_unlock(&arp_lock);
		return eth_output(dev, p, mac, ETH_P_IP);
	}
	if (!e) {
		e = slot();
		if (!e) {
			spin_unlock(&arp_lock);
			dev->stats.tx_dropped++;
			pkt_free(p);
			return -ENOBUFS;
		}
		e->state = ARP_INCOMPLETE;
		e->dev = dev;
		e->ip = nh;
		e->tries = 1;
		e->expires = time_ns() + ARP_RETRY_NS;
		e->pending = (struct pkt_queue){ 0 };
		ask = true;
	}
	if (e->pending.count >= ARP_MAXQ) {
		/* Keep the newest: drop the oldest waiting packet. */
		pkt_free(pktq_pop(&e->pending));
		dev->stats.tx_dropped++;
	}
	p->dev = dev;
	pktq_push(&e->pending, p);
	spin_unlock(&arp_lock);
	if (ask) {
		arp_send(dev, ARPOP_REQUEST, eth_broadcast, zero_mac, nh);
		if (!ktimer_pending(&arp_timer))
			ktimer_arm_in(&arp_timer, ARP_RETRY_NS / 4);
	}
	return 0;
}

void arp_input(struct netif *dev, struct pkt *p)
{
	struct arp_pkt *a = (struct arp_pkt *)p->data;
	struct pkt_queue q = { 0 };
	struct arp_entry *e;
	uint8_t sha[ETH_ALEN];
	bool for_us, reply;

	if (p->len < sizeof(*a) || a->htype != htons(1) ||
	    a->ptype != htons(ETH_P_IP) || a->hlen != ETH_ALEN || a->plen != 4 ||
	    (a->op != htons(ARPOP_REQUEST) && a->op != htons(ARPOP_REPLY))) {
		dev->stats.rx_errors++;
		pkt_free(p);
		return;
	}
	memcpy(sha, a->sha, ETH_ALEN);
	/* Senders with broadcast/multicast MACs or no address are bogus
	 * (0.0.0.0 is an address probe, RFC 5227: answer it, learn nothing). */
	bool bad_sha = (sha[0] & 1) || !memcmp(sha, zero_mac, ETH_ALEN);
	if (dev->addr && a->spa == dev->addr) {
		if (memcmp(sha, dev->mac, ETH_ALEN))
			kprintf_once(KERN_WARNING "arp: %s: another host "
			             "(%02x:%02x:%02x:%02x:%02x:%02x) claims our address\n",
			             dev->name, sha[0], sha[1], sha[2], sha[3],
			             sha[4], sha[5]);
		pkt_free(p);
		return;
	}
	for_us = dev->addr && a->tpa == dev->addr;
	reply = for_us && a->op == htons(ARPOP_REQUEST);

	if (!bad_sha && a->spa && a->spa != 0xffffffff) {
		spin_lock(&arp_lock);
		e = lookup(dev, a->spa);
		if (e && e->state == ARP_INCOMPLETE) {
			memcpy(e->mac, sha, ETH_ALEN);
			e->state = ARP_REACHABLE;
			e->expires = time_ns() + ARP_TTL_NS;
			q = e->pending;
			e->pending = (struct pkt_queue){ 0 };
		} else if (e && !memcmp(e->mac, sha, ETH_ALEN)) {
			e->expires = time_ns() + ARP_TTL_NS;  /* confirmed */
		} else if (!e && for_us) {
			/* It will talk to us: learn it now (RFC 826). */
			e = slot();
			if (e) {
				e->state = ARP_REACHABLE;
				e->dev = dev;
				e->ip = a->spa;
				memcpy(e->mac, sha, ETH_ALEN);
				e->expires = time_ns() + ARP_TTL_NS;
				e->pending = (struct pkt_queue){ 0 };
			}
		}
		/* else: a REACHABLE entry with another MAC - not replaced. */
		spin_unlock(&arp_lock);
	}
	if (reply && !bad_sha)
		arp_send(dev, ARPOP_REPLY, sha, sha, a->spa);
	else if (reply && a->spa == 0)  /* probe: answer to broadcast */
		arp_send(dev, ARPOP_REPLY, eth_broadcast, sha, 0);
	pkt_free(p);
	if (q.count)
		flush_queue(dev, &q, sha);
}

void arp_announce(struct netif *dev)
{
	/* Gratuitous request: sender and target are our new address. */
	arp_send(dev, ARPOP_REQUEST, eth_broadcast, zero_mac, dev->addr);
}

static void drop_entry(struct arp_entry *e, struct pkt_queue *failed)
{
	struct pkt *p;

	while ((p = pktq_pop(&e->pending)))
		pktq_push(failed, p);
	e->state = ARP_FREE;
}

void arp_flush_dev(struct netif *dev)
{
	struct pkt_queue failed = { 0 };

	spin_lock(&arp_lock);
	for (int i = 0; i < ARP_ENTRIES; i++)
		if (cache[i].state != ARP_FREE && cache[i].dev == dev)
			drop_entry(&cache[i], &failed);
	spin_unlock(&arp_lock);
	pktq_purge(&failed);
}

/* Every quarter second while anything is cached: retry or give up on
 * INCOMPLETE entries, forget expired REACHABLE ones. */
static void arp_tick(struct ktimer *t)
{
	struct pkt_queue failed = { 0 };
	struct { struct netif *dev; in_addr_be ip; } ask[ARP_ENTRIES];
	int nask = 0;
	bool busy = false;
	uint64_t now = time_ns();

	spin_lock(&arp_lock);
	for (int i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &cache[i];

		if (e->state == ARP_FREE)
			continue;
		busy = true;
		if (now < e->expires)
			continue;
		if (e->state == ARP_REACHABLE) {
			e->state = ARP_FREE;
		} else if (e->tries >= ARP_TRIES) {
			drop_entry(e, &failed);
		} else {
			e->tries++;
			e->expires = now + ARP_RETRY_NS;
			ask[nask].dev = e->dev;
			ask[nask++].ip = e->ip;
		}
	}
	spin_unlock(&arp_lock);
	for (int i = 0; i < nask; i++)
		arp_send(ask[i].dev, ARPOP_REQUEST, eth_broadcast, zero_mac, ask[i].ip);
	struct pkt *p;
	while ((p = pktq_pop(&failed))) {
		if (p->dev)
			p->dev->stats.tx_dropped++;
		ip_report_unreachable(p);
	}
	if (busy)
		ktimer_arm_in(t, ARP_RETRY_NS / 4);
}

void arp_init(void)
{
	ktimer_init(&arp_timer, arp_tick, NULL);
}

int arp_snapshot(struct arp_view *out, int max)
{
	int n = 0;

	spin_lock(&arp_lock);
	for (int i = 0; i < ARP_ENTRIES && n < max; i++) {
		if (cache[i].state == ARP_FREE)
			continue;
		out[n].ip = cache[i].ip;
		memcpy(out[n].mac, cache[i].mac, ETH_ALEN);
		out[n].complete = cache[i].state == ARP_REACHABLE;
		out[n].dev = cache[i].dev;
		n++;
	}
	spin_unlock(&arp_lock);
	return n;
}
