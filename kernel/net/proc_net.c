/*
 * kernel/net/proc_net.c - /proc/net: dev (interface counters), arp (the
 * neighbour cache), route (the routing table) and udp (sockets, from
 * udp.c), netstat (TCP's counters under Linux's TcpExt names, a subset,
 * from tcp.c), in Linux's formats so that tools written for Linux read them.
 * offload is RayOS's own (Linux shows these through `ethtool -S`): per
 * interface, frames whose TCP/UDP checksum the device filled in on
 * transmit, found good on receive, and found wrong on receive, TCP
 * packets the device segmented (TSO), and frames larger than the MTU
 * received whole (large receive offload).
 */
#include "net/route.h"
#include "procfs.h"
#include "vfs.h"

int proc_net_udp_show(struct proc_buf *b, void *ctx);
int proc_net_tcp_show(struct proc_buf *b, void *ctx);  /* tcp.c */
int proc_net_netstat_show(struct proc_buf *b, void *ctx);  /* tcp.c */

static int dev_show(struct proc_buf *b, void *ctx __unused)
{
	proc_printf(b, "Inter-|   Receive                                                |"
	            "  Transmit\n face |bytes    packets errs drop fifo frame compressed "
	            "multicast|bytes    packets errs drop fifo colls carrier compressed\n");
	for (struct netif *n = READ_ONCE(netif_list); n; n = READ_ONCE(n->next)) {
		struct netif_stats s = n->stats;

		proc_printf(b, "%6s: %7llu %7llu %4llu %4llu    0     0          0         0 "
		            "%8llu %7llu %4llu %4llu    0     0       0          0\n",
		            n->name, (unsigned long long)s.rx_bytes,
		            (unsigned long long)s.rx_packets,
		            (unsigned long long)s.rx_errors,
		            (unsigned long long)s.rx_dropped,
		            (unsigned long long)s.tx_bytes,
		            (unsigned long long)s.tx_packets,
		            (unsigned long long)s.tx_errors,
		            (unsigned long long)s.tx_dropped);
	}
	return 0;
}

static int offload_show(struct proc_buf *b, void *ctx __unused)
{
	proc_printf(b, "Iface tx_csum_offload rx_csum_offload rx_csum_bad tx_tso "
	            "rx_large rx_gro\n");
	for (struct netif *n = READ_ONCE(netif_list); n; n = READ_ONCE(n->next))
		proc_printf(b, "%s %llu %llu %llu %llu %llu %llu\n", n->name,
		            (unsigned long long)n->stats.tx_csum_offload,
		            (unsigned long long)n->stats.rx_csum_offload,
		            (unsigned long long)n->stats.rx_csum_bad,
		            (unsigned long long)n->stats.tx_tso,
		            (unsigned long long)n->stats.rx_large,
		            (unsigned long long)n->stats.rx_gro);
	return 0;
}

static void fmt_ip(char *buf, size_t n, in_addr_be a)
{
	uint32_t h = ntohl(a);
	snprintf(buf, n, "%u.%u.%u.%u", h >> 24, (h >> 16) & 255, (h >> 8) & 255,
	         h & 255);
}

static int arp_show(struct proc_buf *b, void *ctx __unused)
{
	struct arp_view v[64];
	int n = arp_snapshot(v, ARRAY_SIZE(v));

	proc_printf(b, "IP address       HW type     Flags       HW address            "
	            "Mask     Device\n");
	for (int i = 0; i < n && i < (int)ARRAY_SIZE(v); i++) {
		char ip[16];
		fmt_ip(ip, sizeof(ip), v[i].ip);
		proc_printf(b, "%-16s 0x1         0x%x         "
		            "%02x:%02x:%02x:%02x:%02x:%02x     *        %s\n",
		            ip, v[i].complete ? 2 : 0, v[i].mac[0], v[i].mac[1],
		            v[i].mac[2], v[i].mac[3], v[i].mac[4], v[i].mac[5],
		            v[i].dev->name);
	}
	return 0;
}

/* Addresses print as the raw 32-bit value, as Linux does (so 10.0.0.1
 * is 0100000A on x86). */
static int route_show(struct proc_buf *b, void *ctx __unused)
{
	struct route r[32];
	int n = route_snapshot(r, ARRAY_SIZE(r));

	proc_printf(b, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\t"
	            "Mask\t\tMTU\tWindow\tIRTT\n");
	for (int i = 0; i < n && i < (int)ARRAY_SIZE(r); i++)
		proc_printf(b, "%s\t%08X\t%08X\t%04X\t0\t0\t%u\t%08X\t0\t0\t0\n",
		            r[i].dev->name, r[i].dst, r[i].gw, r[i].flags,
		            r[i].metric, r[i].mask);
	return 0;
}

const struct proc_entry proc_net_entries[PROC_NET_NENTRIES] = {
	{ .name = "arp", .mode = S_IFREG | 0444, .show = arp_show },
	{ .name = "dev", .mode = S_IFREG | 0444, .show = dev_show },
	{ .name = "netstat", .mode = S_IFREG | 0444, .show = proc_net_netstat_show },
	{ .name = "offload", .mode = S_IFREG | 0444, .show = offload_show },
	{ .name = "route", .mode = S_IFREG | 0444, .show = route_show },
	{ .name = "tcp", .mode = S_IFREG | 0444, .show = proc_net_tcp_show },
	{ .name = "udp", .mode = S_IFREG | 0444, .show = proc_net_udp_show },
};
