/*
 * kernel/net/af_inet.c - the AF_INET socket family: socket(AF_INET, ...)
 * dispatches SOCK_DGRAM to UDP or ICMP ping sockets (inet_dgram.c) and
 * SOCK_STREAM to TCP (tcp_sock_create, from the TCP files). Also the
 * interface and route ioctls every AF_INET socket answers, as on Linux:
 * SIOCGIFCONF, the SIOCGIF.../SIOCSIF... pairs (flags, address, netmask, broadcast,
 * MTU, hardware address, index, name) and SIOCADDRT/SIOCDELRT. Changes
 * need euid 0 (Linux asks for CAP_NET_ADMIN).
 */
#include "net/inet.h"
#include "net/route.h"
#include "task.h"
#include "uaccess.h"

#define SIOCADDRT 0x890b
#define SIOCDELRT 0x890c
#define SIOCGIFNAME 0x8910
#define SIOCGIFCONF 0x8912
#define SIOCGIFFLAGS 0x8913
#define SIOCSIFFLAGS 0x8914
#define SIOCGIFADDR 0x8915
#define SIOCSIFADDR 0x8916
#define SIOCGIFBRDADDR 0x8919
#define SIOCSIFBRDADDR 0x891a
#define SIOCGIFNETMASK 0x891b
#define SIOCSIFNETMASK 0x891c
#define SIOCGIFMTU 0x8921
#define SIOCSIFMTU 0x8922
#define SIOCGIFHWADDR 0x8927
#define SIOCGIFINDEX 0x8933

#define ARPHRD_ETHER 1
#define ARPHRD_LOOPBACK 772

struct ifreq {
	char ifr_name[IFNAMSIZ];
	union {
		struct sockaddr ifr_addr;
		short ifr_flags;
		int ifr_ifindex;
		int ifr_mtu;
		char ifr_pad[24];
	};
};

struct ifconf {
	int ifc_len;
	uint64_t ifc_buf;   /* user pointer */
};

struct rtentry {
	unsigned long rt_pad1;
	struct sockaddr rt_dst, rt_gateway, rt_genmask;
	unsigned short rt_flags;
	short rt_pad2;
	unsigned long rt_pad3;
	void *rt_pad4;
	short rt_metric;
	char *rt_dev;       /* user pointer */
	unsigned long rt_mtu, rt_window;
	unsigned short rt_irtt;
};

int inet_addr_from(const struct sockaddr_storage *a, int len,
                   in_addr_be *addr, uint16_t *port)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)a;

	if (len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (sin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	*addr = sin->sin_addr.s_addr;
	*port = sin->sin_port;
	return 0;
}

void inet_addr_to(struct sockaddr_storage *a, int *len, in_addr_be addr,
                  uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)a;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = port;
	sin->sin_addr.s_addr = addr;
	*len = sizeof(*sin);
}

/* Until TCP is linked in, stream sockets are not supported. */
__attribute__((weak)) int tcp_sock_create(struct socket *s __unused,
                                          int protocol __unused)
{
	return -ESOCKTNOSUPPORT;
}

static int inet_create(struct socket *s, int type, int protocol)
{
	switch (type) {
	case SOCK_DGRAM:
		return inet_dgram_create(s, protocol);
	case SOCK_STREAM:
		if (protocol != 0 && protocol != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		return tcp_sock_create(s, protocol);
	}
	return -ESOCKTNOSUPPORT;
}

static const struct net_family inet_family = {
	.family = AF_INET,
	.create = inet_create,
};

void af_inet_init(void)
{
	sock_register(&inet_family);
}

/* ---- ioctls ---- */

static void put_sin(struct sockaddr *sa, in_addr_be a)
{
	int len;
	inet_addr_to((struct sockaddr_storage *)sa, &len, a, 0);
}

static int get_sin(const struct sockaddr *sa, in_addr_be *a)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

	if (sin->sin_family != AF_INET)
		return -EINVAL;
	*a = sin->sin_addr.s_addr;
	return 0;
}

static bool may_admin(void)
{
	return current->cred.euid == 0;
}

static long ifconf(uint64_t arg)
{
	struct ifconf ic;
	int used = 0;

	if (copy_from_user(&ic, (void *)arg, sizeof(ic)))
		return -EFAULT;
	for (struct netif *n = READ_ONCE(netif_list); n; n = READ_ONCE(n->next)) {
		struct ifreq r;

		if (!n->addr)
			continue;   /* like Linux: configured interfaces only */
		if (ic.ifc_buf) {
			if (used + (int)sizeof(r) > ic.ifc_len)
				break;
			memset(&r, 0, sizeof(r));
			strlcpy(r.ifr_name, n->name, IFNAMSIZ);
			put_sin(&r.ifr_addr, n->addr);
			if (copy_to_user((void *)(ic.ifc_buf + used), &r, sizeof(r)))
				return -EFAULT;
		}
		used += sizeof(r);
	}
	ic.ifc_len = used;
	return copy_to_user((void *)arg, &ic, sizeof(ic)) ? -EFAULT : 0;
}

static long route_ioctl(unsigned cmd, uint64_t arg)
{
	struct rtentry rt;
	in_addr_be dst, gw = 0, mask = 0;
	struct netif *dev = NULL;
	char name[IFNAMSIZ];
	struct route r;

	if (!may_admin())
		return -EPERM;
	if (copy_from_user(&rt, (void *)arg, sizeof(rt)))
		return -EFAULT;
	if (get_sin(&rt.rt_dst, &dst) < 0)
		return -EINVAL;
	if (rt.rt_flags & RTF_HOST)
		mask = 0xffffffff;
	else if (rt.rt_genmask.sa_family == AF_INET)
		get_sin(&rt.rt_genmask, &mask);
	if (rt.rt_flags & RTF_GATEWAY) {
		if (get_sin(&rt.rt_gateway, &gw) < 0)
			return -EINVAL;
	}
	if (rt.rt_dev) {
		long n = strncpy_from_user(name, rt.rt_dev, sizeof(name));
		if (n < 0)
			return n;
		dev = netif_by_name(name);
		if (!dev)
			return -ENODEV;
	}
	if ((dst & mask) != dst)
		return -EINVAL;
	if (cmd == SIOCDELRT)
		return route_del(dst, mask, gw, dev);
	if (!dev) {
		/* The interface the gateway (or destination) is on. */
		if (route_lookup(gw ? gw : dst, &r) < 0 || (gw && r.gw))
			return -ENETUNREACH;
		dev = r.dev;
	}
	return route_add(dst, mask, gw, dev,
	                 rt.rt_metric > 0 ? (unsigned)rt.rt_metric - 1 : 0);
}

/* Linux gives a new address its classful netmask until told otherwise. */
static in_addr_be classful_mask(in_addr_be a)
{
	uint32_t h = ntohl(a);
	if (!(h & 0x80000000))
		return htonl(0xff000000);
	if ((h & 0xc0000000) == 0x80000000)
		return htonl(0xffff0000);
	return htonl(0xffffff00);
}

long inet_ioctl(struct socket *s __unused, unsigned cmd, uint64_t arg)
{
	struct ifreq r;
	struct netif *dev;
	in_addr_be a;
	bool set = false;
	int err = 0;

	switch (cmd) {
	case SIOCGIFCONF:
		return ifconf(arg);
	case SIOCADDRT:
	case SIOCDELRT:
		return route_ioctl(cmd, arg);
	case SIOCSIFFLAGS: case SIOCSIFADDR: case SIOCSIFNETMASK:
	case SIOCSIFBRDADDR: case SIOCSIFMTU:
		set = true;
		break;
	case SIOCGIFNAME: case SIOCGIFFLAGS: case SIOCGIFADDR:
	case SIOCGIFNETMASK: case SIOCGIFBRDADDR: case SIOCGIFMTU:
	case SIOCGIFHWADDR: case SIOCGIFINDEX:
		break;
	default:
		return -ENOTTY;
	}
	if (set && !may_admin())
		return -EPERM;
	if (copy_from_user(&r, (void *)arg, sizeof(r)))
		return -EFAULT;
	r.ifr_name[IFNAMSIZ - 1] = 0;
	dev = cmd == SIOCGIFNAME ? netif_by_index(r.ifr_ifindex) :
	      netif_by_name(r.ifr_name);
	if (!dev)
		return -ENODEV;

	switch (cmd) {
	case SIOCGIFNAME:
		strlcpy(r.ifr_name, dev->name, IFNAMSIZ);
		break;
	case SIOCGIFFLAGS:
		r.ifr_flags = (short)dev->flags;
		break;
	case SIOCSIFFLAGS:
		err = netif_set_flags(dev, (unsigned short)r.ifr_flags);
		break;
	case SIOCGIFADDR:
		if (!dev->addr)
			return -EADDRNOTAVAIL;
		put_sin(&r.ifr_addr, dev->addr);
		break;
	case SIOCSIFADDR:
		if (get_sin(&r.ifr_addr, &a) < 0)
			return -EINVAL;
		if (dev->flags & IFF_LOOPBACK)
			return -EPERM;   /* lo stays 127.0.0.1/8 */
		err = netif_set_addr(dev, a, a ? (dev->addr && dev->netmask ?
		                     dev->netmask : classful_mask(a)) : 0);
		break;
	case SIOCGIFNETMASK:
		if (!dev->addr)
			return -EADDRNOTAVAIL;
		put_sin(&r.ifr_addr, dev->netmask);
		break;
	case SIOCSIFNETMASK:
		if (get_sin(&r.ifr_addr, &a) < 0 || !dev->addr)
			return -EINVAL;
		if (dev->flags & IFF_LOOPBACK)
			return -EPERM;
		err = netif_set_addr(dev, dev->addr, a);
		break;
	case SIOCGIFBRDADDR:
		if (!dev->addr)
			return -EADDRNOTAVAIL;
		put_sin(&r.ifr_addr, dev->broadcast);
		break;
	case SIOCSIFBRDADDR:
		if (get_sin(&r.ifr_addr, &a) < 0)
			return -EINVAL;
		dev->broadcast = a;
		break;
	case SIOCGIFMTU:
		r.ifr_mtu = dev->mtu;
		break;
	case SIOCSIFMTU:
		/* Drivers receive at most a 1500-byte payload. */
		if (r.ifr_mtu < 68 || (unsigned)r.ifr_mtu >
		    ((dev->flags & IFF_LOOPBACK) ? 65536u : ETH_DATA_LEN))
			return -EINVAL;
		dev->mtu = r.ifr_mtu;
		break;
	case SIOCGIFHWADDR:
		memset(&r.ifr_addr, 0, sizeof(r.ifr_addr));
		r.ifr_addr.sa_family = (dev->flags & IFF_LOOPBACK) ?
		                       ARPHRD_LOOPBACK : ARPHRD_ETHER;
		memcpy(r.ifr_addr.sa_data, dev->mac, ETH_ALEN);
		break;
	case SIOCGIFINDEX:
		r.ifr_ifindex = dev->index;
		break;
	}
	if (err)
		return err;
	if (!set || cmd == SIOCSIFFLAGS)
		return copy_to_user((void *)arg, &r, sizeof(r)) ? -EFAULT : 0;
	return 0;
}
