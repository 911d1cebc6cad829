/*
 * kernel/net/netif.c - the network-interface layer (see net/netif.h):
 * the list of interfaces, their addresses and flags, the receive queue
 * and the thread "netrxd" that runs the protocols on received frames.
 *
 * Why a thread: drivers receive in interrupt handlers, where nothing may
 * block and locks must be irq-safe. Handing frames to one thread keeps
 * every protocol in thread context, in arrival order, and lets a burst
 * of interrupts coalesce into one batch. Frames sent while netrxd works
 * through a batch (ACKs, echo replies) may wait in the driver's ring until
 * the batch is done: drivers with ops->flush ring the device's doorbell
 * once then (netif_in_rx_batch()), which under emulation costs about as
 * much as the frame itself. The queue is bounded
 * (RXQ_MAX frames): past it frames are dropped and counted, as a NIC does
 * when its ring overflows, instead of exhausting memory.
 */
#include "net/netif.h"
#include "net/route.h"
#include "net/tcp.h"
#include "sync.h"
#include "task.h"
#include "ktime.h"

#define RXQ_MAX 1024

struct netif *netif_list;
static struct netif **netif_tail = &netif_list;
static int netif_count;
static spinlock_t netif_lock = SPINLOCK_INIT("netif");

static struct pkt_queue rxq;
static spinlock_t rxq_lock = SPINLOCK_INIT("net rx");
static wait_queue_t rxq_wq = WAIT_QUEUE_INIT("net rx");

/* From the ip= boot parameter, applied when the device appears. */
static struct {
	bool set;
	in_addr_be addr, gw, mask;
	char dev[IFNAMSIZ];
} boot_ip;

int netif_register(struct netif *dev, const char *prefix)
{
	int unit = 0;

	spin_lock(&netif_lock);
	for (;;) {
		char name[IFNAMSIZ];
		bool taken = false;

		snprintf(name, sizeof(name), "%s%d", prefix, unit);
		for (struct netif *n = netif_list; n; n = n->next)
			if (!strcmp(n->name, name))
				taken = true;
		if (!taken) {
			strlcpy(dev->name, name, sizeof(dev->name));
			break;
		}
		unit++;
	}
	/* lo keeps its bare name, as on Linux. */
	if (dev->flags & IFF_LOOPBACK)
		strlcpy(dev->name, prefix, sizeof(dev->name));
	dev->index = ++netif_count;
	dev->next = NULL;
	*netif_tail = dev;
	netif_tail = &dev->next;
	spin_unlock(&netif_lock);

	kprintf("net: %s: %02x:%02x:%02x:%02x:%02x:%02x mtu %u\n", dev->name,
	        dev->mac[0], dev->mac[1], dev->mac[2], dev->mac[3], dev->mac[4],
	        dev->mac[5], dev->mtu);
	if (boot_ip.set && (!boot_ip.dev[0] || !strcmp(boot_ip.dev, dev->name)) &&
	    !(dev->flags & IFF_LOOPBACK)) {
		boot_ip.set = false;
		netif_set_flags(dev, dev->flags | IFF_UP);
		netif_set_addr(dev, boot_ip.addr, boot_ip.mask);
		if (boot_ip.gw)
			route_add(0, 0, boot_ip.gw, dev, 0);
	}
	return 0;
}

struct netif *netif_by_name(const char *name)
{
	for (struct netif *n = READ_ONCE(netif_list); n; n = READ_ONCE(n->next))
		if (!strcmp(n->name, name))
			return n;
	return NULL;
}

struct netif *netif_by_index(int index)
{
	for (struct netif *n = READ_ONCE(netif_list); n; n = READ_ONCE(n->next))
		if (n->index == index)
			return n;
	return NULL;
}

void netif_set_link(struct netif *dev, bool up)
{
	if (dev->link_up == up)
		return;
	dev->link_up = up;
	if (up)
		dev->flags |= IFF_RUNNING;
	else
		dev->flags &= ~IFF_RUNNING;
	kprintf("net: %s: link %s\n", dev->name, up ? "up" : "down");
}

void netif_rx(struct netif *dev, struct pkt *p)
{
	bool dropped = false;

	p->dev = dev;
	p->tstamp = time_ns();
	spin_lock(&rxq_lock);
	if (rxq.count >= RXQ_MAX)
		dropped = true;
	else
		pktq_push(&rxq, p);
	spin_unlock(&rxq_lock);
	if (dropped) {
		dev->stats.rx_dropped++;
		pkt_free(p);
		return;
	}
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += p->len;
	wake_up(&rxq_wq);
}

int netif_xmit(struct netif *dev, struct pkt *p)
{
	if (!(dev->flags & IFF_UP)) {
		dev->stats.tx_dropped++;
		pkt_free(p);
		return -ENETDOWN;
	}
	p->dev = dev;
	return dev->ops->xmit(dev, p);
}

int netif_set_addr(struct netif *dev, in_addr_be addr, in_addr_be mask)
{
	/* A netmask must be contiguous ones. */
	uint32_t hm = ntohl(mask);
	if (hm & (~hm >> 1))
		return -EINVAL;
	if (dev->addr && dev->netmask)
		route_del(dev->addr & dev->netmask, dev->netmask, 0, dev);
	dev->addr = addr;
	dev->netmask = mask;
	dev->broadcast = addr ? (addr | ~mask) : 0;
	arp_flush_dev(dev);
	if (addr && mask != 0xffffffff && mask)
		route_add(addr & mask, mask, 0, dev, 0);
	if (addr && !(dev->flags & IFF_LOOPBACK) && (dev->flags & IFF_UP))
		arp_announce(dev);
	return 0;
}

int netif_set_flags(struct netif *dev, unsigned flags)
{
	/* Only UP is the user's to change; the rest describe the device. */
	unsigned old = dev->flags;

	dev->flags = (old & ~IFF_UP) | (flags & IFF_UP);
	if ((old & IFF_UP) && !(flags & IFF_UP))
		arp_flush_dev(dev);
	if (!(old & IFF_UP) && (flags & IFF_UP) && dev->addr &&
	    !(dev->flags & IFF_LOOPBACK))
		arp_announce(dev);
	return 0;
}

static struct task *netrxd_task;

/* The transport's end-of-batch work (tcp_input.c: the ACKs it deferred);
 * nothing until TCP is linked in. */
__attribute__((weak)) void tcp_rx_flush(void)
{
}

bool netif_in_rx_batch(void)
{
	return current == READ_ONCE(netrxd_task);
}

static void netrxd(void *arg __unused)
{
	WRITE_ONCE(netrxd_task, current);
	for (;;) {
		struct pkt *p;

		wait_event(&rxq_wq, READ_ONCE(rxq.count) > 0);
		for (;;) {
			spin_lock(&rxq_lock);
			p = pktq_pop(&rxq);
			spin_unlock(&rxq_lock);
			if (!p)
				break;
			if (p->dev->flags & IFF_LOOPBACK)
				ip_input(p->dev, p);  /* no link header */
			else
				eth_input(p->dev, p);
		}
		tcp_rx_flush();   /* its ACKs ring the doorbells below */
		for (struct netif *n = READ_ONCE(netif_list); n; n = READ_ONCE(n->next))
			if (n->ops->flush)
				n->ops->flush(n);
	}
}

/* "a.b.c.d" -> network order; false on junk. */
static bool parse_ip(const char *s, const char *end, in_addr_be *out)
{
	uint32_t a = 0;
	int parts = 0;

	while (s < end) {
		char *e;
		unsigned long v = strtoul(s, &e, 10);

		if (e == s || v > 255 || parts == 4)
			return false;
		a = a << 8 | v;
		parts++;
		s = e;
		if (s < end && *s++ != '.')
			return false;
	}
	if (parts != 4)
		return false;
	*out = htonl(a);
	return true;
}

/* Linux's ip=<client>:<server>:<gw>:<netmask>:<host>:<dev>:<autoconf>;
 * we use client, gw, netmask and dev (empty fields are allowed). */
void net_cmdline_ip(const char *val)
{
	const char *f[7] = { 0 }, *e[7] = { 0 };
	int n = 0;

	f[0] = val;
	for (const char *s = val; *s && n < 7; s++) {
		if (*s == ':') {
			e[n++] = s;
			if (n < 7)
				f[n] = s + 1;
		}
	}
	if (n < 7)
		e[n] = val + strlen(val);
	boot_ip.mask = htonl(0xffffff00);
	if (!parse_ip(f[0], e[0], &boot_ip.addr)) {
		kprintf(KERN_WARNING "net: ip=%s: bad address, ignored\n", val);
		return;
	}
	if (n >= 2 && e[2] > f[2])
		parse_ip(f[2], e[2], &boot_ip.gw);
	if (n >= 3 && e[3] > f[3])
		parse_ip(f[3], e[3], &boot_ip.mask);
	if (n >= 5 && e[5] > f[5])
		strlcpy(boot_ip.dev, f[5], MIN((size_t)(e[5] - f[5] + 1),
		                                sizeof(boot_ip.dev)));
	boot_ip.set = true;
}

void loopback_init(void);

void af_inet_init(void);

void net_init(void)
{
	pkt_init();
	af_inet_init();
	arp_init();
	ip_frag_init();
	loopback_init();
}

void net_start(void)
{
	if (!kthread_create("netrxd", netrxd, NULL))
		panic("net: cannot create netrxd");
}
