/*
 * dhcpcd - a DHCP client daemon (RFC 2131, options RFC 2132):
 *
 *   dhcpcd [-f] [-1] [-q] [-t TIMEOUT] [-h HOSTNAME] [IF]     (IF: eth0)
 *
 * INIT: DISCOVER, broadcast, retransmitted after 2, 4, 8... s (at most
 * 16) until an OFFER arrives or TIMEOUT (30 s) passes (status 1).
 * REQUESTING: REQUEST for the offered address from the offering server;
 * NAK starts over. BOUND: the address, netmask and broadcast address go on
 * the interface (SIOCSIF* ioctls), the router becomes the default route
 * (SIOCADDRT), the DNS servers and domain are written to /etc/resolv.conf
 * (through a temporary file and rename, so readers never see half of
 * it). Then dhcpcd goes to the background (unless -f) and keeps the
 * lease: at T1 (default half the lease) RENEWING sends REQUEST unicast to
 * the server, at T2 (default 7/8) REBINDING broadcasts it, both
 * retransmitted at half the remaining time (at least 1 s); an ACK
 * restarts the timers, a NAK or the end of the lease removes the address
 * and route and starts over at INIT. -1 exits once bound.
 *
 * Progress lines go to stdout in the foreground and to the kernel log
 * (/dev/kmsg, so dmesg shows them) in the background.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcp.h"

static const char *ifname = "eth0";
static int sock = -1, quiet, background;
static uint8_t mac[6];
static char hostname[64];

static void logmsg(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n = snprintf(buf, sizeof(buf), "dhcpcd[%d]: %s: ", getpid(), ifname);

	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (background) {
		int fd = open("/dev/kmsg", O_WRONLY);
		if (fd >= 0) {
			(void)!write(fd, buf, strlen(buf));
			close(fd);
		}
	} else if (!quiet) {
		printf("%s\n", buf);
		fflush(stdout);
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ---- interface configuration ---- */

static int ifreq_addr(unsigned long req, uint32_t addr)
{
	struct ifreq r;
	struct sockaddr_in *sin = (struct sockaddr_in *)&r.ifr_addr;

	memset(&r, 0, sizeof(r));
	strncpy(r.ifr_name, ifname, IFNAMSIZ - 1);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = addr;
	return ioctl(sock, req, &r);
}

static int set_up(void)
{
	struct ifreq r;

	memset(&r, 0, sizeof(r));
	strncpy(r.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(sock, SIOCGIFFLAGS, &r) < 0)
		return -1;
	r.ifr_flags |= IFF_UP;
	if (ioctl(sock, SIOCSIFFLAGS, &r) < 0)
		return -1;
	if (ioctl(sock, SIOCGIFHWADDR, &r) < 0)
		return -1;
	memcpy(mac, r.ifr_hwaddr.sa_data, 6);
	return 0;
}

static int route(unsigned long req, uint32_t gw)
{
	struct rtentry rt;
	char dev[IFNAMSIZ];

	memset(&rt, 0, sizeof(rt));
	snprintf(dev, sizeof(dev), "%s", ifname);
	((struct sockaddr_in *)&rt.rt_dst)->sin_family = AF_INET;
	((struct sockaddr_in *)&rt.rt_genmask)->sin_family = AF_INET;
	((struct sockaddr_in *)&rt.rt_gateway)->sin_family = AF_INET;
	((struct sockaddr_in *)&rt.rt_gateway)->sin_addr.s_addr = gw;
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	rt.rt_dev = dev;
	return ioctl(sock, req, &rt);
}

static int write_resolv_to(const char *path, const struct lease *l)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "# written by dhcpcd for %s\n", ifname);
	if (l->domain[0])
		fprintf(f, "search %s\n", l->domain);
	for (int i = 0; i < l->ndns; i++) {
		struct in_addr a = { l->dns[i] };
		fprintf(f, "nameserver %s\n", inet_ntoa(a));
	}
	return fclose(f);
}

static void write_resolv(const struct lease *l)
{
	const char *tmp = "/etc/resolv.conf.dhcpcd";

	if (!l->ndns && !l->domain[0])
		return;
	if (write_resolv_to(tmp, l) == 0 && rename(tmp, "/etc/resolv.conf") == 0)
		return;
	/* A bind-mounted resolv.conf (containers) cannot be replaced: write
	 * it in place instead. */
	unlink(tmp);
	if (write_resolv_to("/etc/resolv.conf", l) < 0)
		logmsg("cannot write /etc/resolv.conf: %s", strerror(errno));
}

static uint32_t configured_addr, configured_router;

static void deconfigure(void)
{
	if (configured_router)
		route(SIOCDELRT, configured_router);
	if (configured_addr)
		ifreq_addr(SIOCSIFADDR, 0);
	configured_addr = configured_router = 0;
}

static int configure(const struct lease *l)
{
	uint32_t mask = l->netmask ? l->netmask : htonl(0xffffff00);

	if (configured_addr != l->addr) {
		deconfigure();
		if (ifreq_addr(SIOCSIFADDR, l->addr) < 0 ||
		    ifreq_addr(SIOCSIFNETMASK, mask) < 0 ||
		    ifreq_addr(SIOCSIFBRDADDR, l->addr | ~mask) < 0) {
			logmsg("cannot set the address: %s", strerror(errno));
			return -1;
		}
		configured_addr = l->addr;
	}
	if (l->router && l->router != configured_router) {
		if (configured_router)
			route(SIOCDELRT, configured_router);
		if (route(SIOCADDRT, l->router) < 0 && errno != EEXIST)
			logmsg("cannot add the default route: %s", strerror(errno));
		configured_router = l->router;
	}
	write_resolv(l);
	return 0;
}

/* ---- the exchange ---- */

static int send_msg(int type, uint32_t xid, const struct lease *l, uint32_t ciaddr,
                    uint32_t to, double started)
{
	uint8_t buf[DHCP_MAX];
	size_t n = dhcp_build(buf, type, xid, mac, ciaddr,
	                      type == DHCPREQUEST && !ciaddr ? l->addr : 0,
	                      type == DHCPREQUEST && !ciaddr ? l->server : 0,
	                      hostname, (uint16_t)(now() - started));
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(67),
	                           .sin_addr.s_addr = to };
	if (sendto(sock, buf, n, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		logmsg("send: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Wait until deadline for a reply to xid of one of the wanted types;
 * returns its type (lease filled) or 0 at the deadline. */
static int wait_reply(uint32_t xid, double deadline, struct lease *l,
                      int want1, int want2)
{
	uint8_t buf[DHCP_MAX];

	for (;;) {
		double left = deadline - now();
		if (left <= 0)
			return 0;
		struct pollfd p = { .fd = sock, .events = POLLIN };
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		ssize_t n = recv(sock, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0)
			continue;
		struct lease got;
		int type = dhcp_parse(buf, (size_t)n, xid, mac, &got);
		if (type == want1 || type == want2) {
			*l = got;
			return type;
		}
	}
}

static uint32_t new_xid(void)
{
	uint32_t x;
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, &x, sizeof(x)) != sizeof(x))
		x = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	if (fd >= 0)
		close(fd);
	return x;
}

/* INIT and REQUESTING until bound; 0, or -1 after timeout seconds. */
static int obtain(struct lease *l, double timeout)
{
	double end = now() + timeout, started = now();

	while (now() < end) {
		uint32_t xid = new_xid();
		struct lease offer;
		int type = 0;

		for (double wait = 2; !type && now() < end; wait = wait < 16 ? wait * 2 : 16) {
			send_msg(DHCPDISCOVER, xid, NULL, 0, INADDR_BROADCAST, started);
			double d = now() + wait;
			type = wait_reply(xid, d < end ? d : end, &offer, DHCPOFFER, -1);
		}
		if (!type)
			break;
		struct in_addr a = { offer.addr }, s = { offer.server };
		char sa[16];
		snprintf(sa, sizeof(sa), "%s", inet_ntoa(s));
		logmsg("offered %s from %s", inet_ntoa(a), sa);
		for (int tries = 0; tries < 4 && now() < end; tries++) {
			send_msg(DHCPREQUEST, xid, &offer, 0, INADDR_BROADCAST, started);
			type = wait_reply(xid, now() + 2 * (tries + 1), l, DHCPACK, DHCPNAK);
			if (type)
				break;
		}
		if (type == DHCPACK) {
			if (!l->server)
				l->server = offer.server;
			return 0;
		}
		if (type == DHCPNAK)
			logmsg("NAK from %s, starting over", sa);
	}
	return -1;
}

static void announce(const struct lease *l, const char *what)
{
	struct in_addr a = { l->addr };
	logmsg("%s %s, lease %u s (renew %u s, rebind %u s)", what, inet_ntoa(a),
	       l->lease_time, l->t1, l->t2);
}

/* Keep the lease alive; returns when it is lost. */
static void maintain(struct lease *l)
{
	for (;;) {
		double bound_at = now();
		double t1 = bound_at + l->t1, t2 = bound_at + l->t2,
		       expire = bound_at + l->lease_time;
		struct lease got;
		int type = 0;

		while (now() < t1) {
			struct timespec ts = { 0, 200000000 };
			nanosleep(&ts, NULL);
		}
		uint32_t xid = new_xid();
		/* RENEWING: unicast to the server, then REBINDING: broadcast. */
		while (!type && now() < expire) {
			int rebinding = now() >= t2;
			double limit = rebinding ? expire : t2;
			double wait = (limit - now()) / 2;
			if (wait < 1)
				wait = 1;
			if (wait > 60)
				wait = 60;
			send_msg(DHCPREQUEST, xid, l, l->addr,
			         rebinding ? INADDR_BROADCAST : l->server, bound_at);
			type = wait_reply(xid, now() + wait, &got, DHCPACK, DHCPNAK);
		}
		if (type != DHCPACK) {
			logmsg(type == DHCPNAK ? "NAK: lease lost" : "lease expired");
			deconfigure();
			return;
		}
		if (!got.server)
			got.server = l->server;
		*l = got;
		configure(l);
		announce(l, "renewed");
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: dhcpcd [-f] [-1] [-q] [-t timeout] [-h hostname] [interface]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int foreground = 0, oneshot = 0, opt;
	double timeout = 30;

	while ((opt = getopt(argc, argv, "f1qt:h:")) != -1) {
		switch (opt) {
		case 'f': foreground = 1; break;
		case '1': oneshot = 1; break;
		case 'q': quiet = 1; break;
		case 't': timeout = atof(optarg); break;
		case 'h': snprintf(hostname, sizeof(hostname), "%s", optarg); break;
		default: usage();
		}
	}
	if (optind < argc)
		ifname = argv[optind++];
	if (optind < argc)
		usage();
	if (!hostname[0])
		gethostname(hostname, sizeof(hostname) - 1);

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		perror("dhcpcd: socket");
		return 1;
	}
	int one = 1;
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(68) };
	if (setsockopt(sock, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1) < 0 ||
	    bind(sock, (struct sockaddr *)&me, sizeof(me)) < 0) {
		fprintf(stderr, "dhcpcd: %s: socket setup: %s\n", ifname, strerror(errno));
		return 1;
	}
	if (set_up() < 0) {
		fprintf(stderr, "dhcpcd: %s: %s\n", ifname, strerror(errno));
		return 1;
	}
	struct lease l;
	if (obtain(&l, timeout) < 0) {
		logmsg("no lease within %g s", timeout);
		return 1;
	}
	if (configure(&l) < 0)
		return 1;
	announce(&l, "leased");
	if (oneshot)
		return 0;
	if (!foreground) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("dhcpcd: fork");
			return 1;
		}
		if (pid > 0) {
			printf("dhcpcd: %s: forked to background, pid %d\n", ifname, pid);
			return 0;
		}
		setsid();
		background = 1;
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	for (;;) {
		maintain(&l);
		while (obtain(&l, 3600) < 0)
			;
		configure(&l);
		announce(&l, "leased");
	}
}
