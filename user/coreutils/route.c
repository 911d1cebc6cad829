/*
 * route - show and change the IPv4 routing table, like net-tools route:
 *
 *   route [-n]                                    the table (/proc/net/route)
 *   route add|del default gw GW [dev IF] [metric N]
 *   route add|del -net NET netmask MASK [gw GW] [dev IF] [metric N]
 *   route add|del -net NET/PREFIX [gw GW] [dev IF]
 *   route add|del -host ADDR [gw GW] [dev IF]
 *
 * Changes go through SIOCADDRT/SIOCDELRT with a struct rtentry, as on
 * Linux (whose metric field is the metric plus one). Names are not
 * resolved: addresses print as numbers with or without -n.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: route [-n]\n"
	        "       route {add|del} default gw GW [dev IF] [metric N]\n"
	        "       route {add|del} -net NET[/PREFIX] [netmask MASK] [gw GW] [dev IF] [metric N]\n"
	        "       route {add|del} -host ADDR [gw GW] [dev IF] [metric N]\n");
	exit(1);
}

static const char *ip(unsigned long raw, char *buf)
{
	struct in_addr a = { (in_addr_t)raw };
	inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
	return buf;
}

static int show(void)
{
	FILE *f = fopen("/proc/net/route", "r");
	char line[256], dev[32], b1[16], b2[16], b3[16];
	unsigned long dst, gw, mask;
	unsigned flags, ref, use, metric;

	if (!f) {
		perror("route: /proc/net/route");
		return 1;
	}
	printf("Kernel IP routing table\n");
	printf("Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n");
	if (!fgets(line, sizeof(line), f)) {   /* header */
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %lx %lx %x %u %u %u %lx", dev, &dst, &gw, &flags,
		           &ref, &use, &metric, &mask) != 8)
			continue;
		char fl[8], *p = fl;
		if (flags & RTF_UP) *p++ = 'U';
		if (flags & RTF_GATEWAY) *p++ = 'G';
		if (flags & RTF_HOST) *p++ = 'H';
		*p = 0;
		printf("%-15s %-15s %-15s %-5s %-6u %-6u %3u %s\n", ip(dst, b1), ip(gw, b2),
		       ip(mask, b3), fl, metric, ref, use, dev);
	}
	fclose(f);
	return 0;
}

static void set_sin(struct sockaddr *sa, const char *text)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, text, &sin->sin_addr) != 1) {
		fprintf(stderr, "route: %s: bad address\n", text);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "-n")))
		return show();
	if (argc < 3)
		usage();
	int add = !strcmp(argv[1], "add");
	if (!add && strcmp(argv[1], "del"))
		usage();

	struct rtentry rt;
	char dev[32];
	memset(&rt, 0, sizeof(rt));
	rt.rt_flags = RTF_UP;
	int i = 2;
	if (!strcmp(argv[i], "default")) {
		set_sin(&rt.rt_dst, "0.0.0.0");
		set_sin(&rt.rt_genmask, "0.0.0.0");
		i++;
	} else if (!strcmp(argv[i], "-net") || !strcmp(argv[i], "-host")) {
		int host = argv[i][1] == 'h';
		if (++i >= argc)
			usage();
		char net[64];
		snprintf(net, sizeof(net), "%s", argv[i++]);
		char *slash = strchr(net, '/');
		if (slash)
			*slash++ = 0;
		set_sin(&rt.rt_dst, net);
		if (host) {
			rt.rt_flags |= RTF_HOST;
			set_sin(&rt.rt_genmask, "255.255.255.255");
		} else if (slash) {
			int bits = atoi(slash);
			if (bits < 0 || bits > 32)
				usage();
			struct sockaddr_in *m = (struct sockaddr_in *)&rt.rt_genmask;
			m->sin_family = AF_INET;
			m->sin_addr.s_addr = htonl(bits ? ~0u << (32 - bits) : 0);
		}
	} else {
		usage();
	}
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "netmask") && i + 1 < argc) {
			set_sin(&rt.rt_genmask, argv[++i]);
		} else if (!strcmp(argv[i], "gw") && i + 1 < argc) {
			set_sin(&rt.rt_gateway, argv[++i]);
			rt.rt_flags |= RTF_GATEWAY;
		} else if (!strcmp(argv[i], "dev") && i + 1 < argc) {
			snprintf(dev, sizeof(dev), "%s", argv[++i]);
			rt.rt_dev = dev;
		} else if (!strcmp(argv[i], "metric") && i + 1 < argc) {
			rt.rt_metric = (short)(atoi(argv[++i]) + 1);
		} else {
			usage();
		}
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("route: socket");
		return 1;
	}
	if (ioctl(fd, add ? SIOCADDRT : SIOCDELRT, &rt) < 0) {
		fprintf(stderr, "route: %s: %s\n", add ? "SIOCADDRT" : "SIOCDELRT",
		        strerror(errno));
		return 1;
	}
	return 0;
}
