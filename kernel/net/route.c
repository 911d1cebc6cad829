/*
 * kernel/net/route.c - the IPv4 routing table (see net/route.h): a fixed
 * array under a spinlock, scanned on each lookup. A few routes is all a
 * host has, so a scan is cheaper than any tree.
 */
#include "net/route.h"
#include "sync.h"

#define MAX_ROUTES 32

static struct route routes[MAX_ROUTES];
static int nroutes;
static spinlock_t route_lock = SPINLOCK_INIT("route");

static int prefix_len(in_addr_be mask)
{
	/* A contiguous mask: count from the top (no libgcc popcount here). */
	uint32_t m = ntohl(mask);
	int n = 0;

	while (m & 0x80000000u) {
		n++;
		m <<= 1;
	}
	return n;
}

int route_lookup(in_addr_be dst, struct route *out)
{
	int best = -1;

	spin_lock(&route_lock);
	for (int i = 0; i < nroutes; i++) {
		struct route *r = &routes[i];

		if ((dst & r->mask) != r->dst || !(r->dev->flags & IFF_UP))
			continue;
		if (best < 0 || prefix_len(r->mask) > prefix_len(routes[best].mask) ||
		    (r->mask == routes[best].mask && r->metric < routes[best].metric))
			best = i;
	}
	if (best >= 0)
		*out = routes[best];
	spin_unlock(&route_lock);
	return best >= 0 ? 0 : -ENETUNREACH;
}

int route_add(in_addr_be dst, in_addr_be mask, in_addr_be gw,
              struct netif *dev, unsigned metric)
{
	int err = 0;

	if ((dst & mask) != dst || !dev)
		return -EINVAL;
	spin_lock(&route_lock);
	for (int i = 0; i < nroutes; i++) {
		if (routes[i].dst == dst && routes[i].mask == mask &&
		    routes[i].metric == metric) {
			err = -EEXIST;
			goto out;
		}
	}
	if (nroutes == MAX_ROUTES) {
		err = -ENOBUFS;
		goto out;
	}
	routes[nroutes++] = (struct route){
		.dst = dst, .mask = mask, .gw = gw, .dev = dev, .metric = metric,
		.flags = RTF_UP | (gw ? RTF_GATEWAY : 0) |
		         (mask == 0xffffffff ? RTF_HOST : 0),
	};
out:
	spin_unlock(&route_lock);
	return err;
}

static void remove_at(int i)
{
	routes[i] = routes[--nroutes];
}

int route_del(in_addr_be dst, in_addr_be mask, in_addr_be gw,
              struct netif *dev)
{
	int err = -ESRCH;

	spin_lock(&route_lock);
	for (int i = 0; i < nroutes; i++) {
		struct route *r = &routes[i];

		if (r->dst == dst && r->mask == mask && (!gw || r->gw == gw) &&
		    (!dev || r->dev == dev)) {
			remove_at(i);
			err = 0;
			break;
		}
	}
	spin_unlock(&route_lock);
	return err;
}

void route_flush_dev(struct netif *dev)
{
	spin_lock(&route_lock);
	for (int i = 0; i < nroutes;) {
		if (routes[i].dev == dev)
			remove_at(i);
		else
			i++;
	}
	spin_unlock(&route_lock);
}

int route_snapshot(struct route *out, int max)
{
	int n;

	spin_lock(&route_lock);
	n = nroutes;
	for (int i = 0; i < n && i < max; i++)
		out[i] = routes[i];
	spin_unlock(&route_lock);
	return n;
}
