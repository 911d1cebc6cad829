/*
 * kernel/include/net/route.h - the IPv4 routing table (kernel/net/route.c).
 *
 * A short list of routes; lookup takes the longest matching prefix, then
 * the lowest metric. Giving an interface an address adds its connected
 * route (no gateway); the default route is 0.0.0.0/0 via a gateway, set by
 * SIOCADDRT (route/ifconfig tools, dhcpcd) or the ip= boot parameter.
 */
#ifndef KERNEL_NET_ROUTE_H
#define KERNEL_NET_ROUTE_H

#include "net/netif.h"

#define RTF_UP 0x1
#define RTF_GATEWAY 0x2
#define RTF_HOST 0x4

struct route {
	in_addr_be dst, mask, gw;   /* gw 0: directly connected */
	struct netif *dev;
	unsigned flags;             /* RTF_* */
	unsigned metric;
};

/* Fill *out with the route to dst; -ENETUNREACH when none. */
int route_lookup(in_addr_be dst, struct route *out);
/* -EEXIST when the same dst/mask/metric exists; -ENOBUFS when full. */
int route_add(in_addr_be dst, in_addr_be mask, in_addr_be gw,
              struct netif *dev, unsigned metric);
/* Delete the route matching dst/mask (and gw/dev when non-zero/NULL). */
int route_del(in_addr_be dst, in_addr_be mask, in_addr_be gw,
              struct netif *dev);
void route_flush_dev(struct netif *dev);   /* all routes through dev */
/* Copy up to max routes into out; returns how many exist. */
int route_snapshot(struct route *out, int max);

#endif
