/*
 * ifconfig - show and configure network interfaces through the SIOC*
 * ioctls, like net-tools ifconfig:
 *
 *   ifconfig [-a]                        every interface
 *   ifconfig IF                          one interface
 *   ifconfig IF [ADDR[/PREFIX]] [netmask MASK] [broadcast BCAST]
 *               [mtu N] [up|down]
 *
 * The list of interfaces comes from /proc/net/dev (which also gives the
 * counters); everything else from SIOCGIFFLAGS, SIOCGIFADDR,
 * SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFMTU, SIOCGIFHWADDR. Changes are
 * applied in the order given; the first failing one stops with its error
 * (status 1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int sock;

struct counters {
	unsigned long long rxb, rxp, rxe, rxd, txb, txp, txe, txd;
};

static int read_counters(const char *name, struct counters *c)
{
	FILE *f = fopen("/proc/net/dev", "r");
	char line[512];
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = 0;
		char *n = line;
		while (*n == ' ')
			n++;
		if (strcmp(n, name))
			continue;
		unsigned long long v[16] = { 0 };
		sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		       &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
		       &v[9], &v[10], &v[11]);
		*c = (struct counters){ v[0], v[1], v[2], v[3], v[8], v[9], v[10], v[11] };
		found = 1;
	}
	fclose(f);
	return found;
}

static const char *human(unsigned long long b, char *buf, size_t n)
{
	const char *unit[] = { "B", "KB", "MB", "GB", "TB" };
	double v = b;
	int u = 0;
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, n, "%.1f %s", v, unit[u]);
	return buf;
}

static int get(const char *name, unsigned long req, struct ifreq *r)
{
	memset(r, 0, sizeof(*r));
	strncpy(r->ifr_name, name, IFNAMSIZ - 1);
	return ioctl(sock, req, r);
}

static const char *ip_of(struct ifreq *r)
{
	return inet_ntoa(((struct sockaddr_in *)&r->ifr_addr)->sin_addr);
}

static void show(const char *name)
{
	struct ifreq r;
	short flags;
	static const struct { int bit; const char *name; } names[] = {
		{ IFF_UP, "UP" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_RUNNING, "RUNNING" },
		{ IFF_MULTICAST, "MULTICAST" },
	};

	if (get(name, SIOCGIFFLAGS, &r) < 0) {
		fprintf(stderr, "ifconfig: %s: %s\n", name, strerror(errno));
		return;
	}
	flags = r.ifr_flags;
	printf("%s: flags=%d<", name, (unsigned short)flags);
	const char *sep = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = ",";
		}
	}
	get(name, SIOCGIFMTU, &r);
	printf(">  mtu %d\n", r.ifr_mtu);
	if (get(name, SIOCGIFADDR, &r) == 0) {
		printf("        inet %s", ip_of(&r));
		if (get(name, SIOCGIFNETMASK, &r) == 0)
			printf("  netmask %s", ip_of(&r));
		if (!(flags & IFF_LOOPBACK) && get(name, SIOCGIFBRDADDR, &r) == 0)
			printf("  broadcast %s", ip_of(&r));
		printf("\n");
	}
	if (get(name, SIOCGIFHWADDR, &r) == 0) {
		unsigned char *m = (unsigned char *)r.ifr_hwaddr.sa_data;
		if (r.ifr_hwaddr.sa_family == ARPHRD_LOOPBACK)
			printf("        loop  txqueuelen 1000  (Local Loopback)\n");
		else
			printf("        ether %02x:%02x:%02x:%02x:%02x:%02x  txqueuelen 1000  "
			       "(Ethernet)\n", m[0], m[1], m[2], m[3], m[4], m[5]);
	}
	struct counters c;
	char b1[32];
	if (read_counters(name, &c)) {
		printf("        RX packets %llu  bytes %llu (%s)\n", c.rxp, c.rxb,
		       human(c.rxb, b1, sizeof(b1)));
		printf("        RX errors %llu  dropped %llu  overruns 0  frame 0\n",
		       c.rxe, c.rxd);
		printf("        TX packets %llu  bytes %llu (%s)\n", c.txp, c.txb,
		       human(c.txb, b1, sizeof(b1)));
		printf("        TX errors %llu  dropped %llu overruns 0  carrier 0  "
		       "collisions 0\n", c.txe, c.txd);
	}
	printf("\n");
}

static int show_all(int all)
{
	FILE *f = fopen("/proc/net/dev", "r");
	char line[512];

	if (!f) {
		perror("ifconfig: /proc/net/dev");
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		struct ifreq r;
		if (!colon)
			continue;
		*colon = 0;
		char *n = line;
		while (*n == ' ')
			n++;
		if (!all && (get(n, SIOCGIFFLAGS, &r) < 0 || !(r.ifr_flags & IFF_UP)))
			continue;
		show(n);
	}
	fclose(f);
	return 0;
}

static int set_addr(const char *name, unsigned long req, const char *text)
{
	struct ifreq r;
	struct sockaddr_in *sin = (struct sockaddr_in *)&r.ifr_addr;

	memset(&r, 0, sizeof(r));
	strncpy(r.ifr_name, name, IFNAMSIZ - 1);
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, text, &sin->sin_addr) != 1) {
		fprintf(stderr, "ifconfig: %s: bad address\n", text);
		return -1;
	}
	if (ioctl(sock, req, &r) < 0) {
		fprintf(stderr, "ifconfig: %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

static int set_flag(const char *name, short bit, int on)
{
	struct ifreq r;

	if (get(name, SIOCGIFFLAGS, &r) < 0) {
		fprintf(stderr, "ifconfig: %s: %s\n", name, strerror(errno));
		return -1;
	}
	r.ifr_flags = on ? (r.ifr_flags | bit) : (r.ifr_flags & ~bit);
	if (ioctl(sock, SIOCSIFFLAGS, &r) < 0) {
		fprintf(stderr, "ifconfig: %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (sock < 0) {
		perror("ifconfig: socket");
		return 1;
	}
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "-a")))
		return show_all(argc == 2);
	const char *name = argv[1];
	if (argc == 2) {
		struct ifreq r;
		if (get(name, SIOCGIFFLAGS, &r) < 0) {
			fprintf(stderr, "ifconfig: %s: error fetching interface information: "
			        "Device not found\n", name);
			return 1;
		}
		show(name);
		return 0;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int err = 0;
		if (!strcmp(a, "up")) {
			err = set_flag(name, IFF_UP, 1);
		} else if (!strcmp(a, "down")) {
			err = set_flag(name, IFF_UP, 0);
		} else if (!strcmp(a, "netmask") && i + 1 < argc) {
			err = set_addr(name, SIOCSIFNETMASK, argv[++i]);
		} else if (!strcmp(a, "broadcast") && i + 1 < argc) {
			err = set_addr(name, SIOCSIFBRDADDR, argv[++i]);
		} else if (!strcmp(a, "mtu") && i + 1 < argc) {
			struct ifreq r;
			memset(&r, 0, sizeof(r));
			strncpy(r.ifr_name, name, IFNAMSIZ - 1);
			r.ifr_mtu = atoi(argv[++i]);
			if (ioctl(sock, SIOCSIFMTU, &r) < 0) {
				fprintf(stderr, "ifconfig: SIOCSIFMTU: %s\n", strerror(errno));
				err = -1;
			}
		} else {
			char addr[64];
			char *slash;
			snprintf(addr, sizeof(addr), "%s", a);
			slash = strchr(addr, '/');
			if (slash)
				*slash++ = 0;
			err = set_addr(name, SIOCSIFADDR, addr);
			if (!err && slash) {
				int bits = atoi(slash);
				if (bits < 0 || bits > 32) {
					fprintf(stderr, "ifconfig: bad prefix /%s\n", slash);
					return 1;
				}
				struct in_addr m = { htonl(bits ? ~0u << (32 - bits) : 0) };
				err = set_addr(name, SIOCSIFNETMASK, inet_ntoa(m));
			}
		}
		if (err)
			return 1;
	}
	return 0;
}
