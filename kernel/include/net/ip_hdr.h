/*
 * kernel/include/net/ip_hdr.h - the IPv4 and ICMP wire headers, for the
 * files of kernel/net/ that parse or build them.
 */
#ifndef KERNEL_NET_IP_HDR_H
#define KERNEL_NET_IP_HDR_H

#include "net/netif.h"

struct ip_hdr {
	uint8_t vihl;        /* version 4, header length in 32-bit words */
	uint8_t tos;
	uint16_t tot_len;
	uint16_t id;
	uint16_t frag;       /* flags and offset in 8-byte units */
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;
	in_addr_be src, dst;
} __packed;

#define IP_RF 0x8000
#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff
#define IP_HLEN 20
#define IP_MAXPACKET 65535

static inline unsigned ip_hlen(const struct ip_hdr *h)
{
	return (h->vihl & 0xf) * 4u;
}

struct icmp_hdr {
	uint8_t type, code;
	uint16_t csum;
	union {
		struct { uint16_t id, seq; } echo;
		uint32_t info;   /* unused / pointer / next-hop MTU */
		struct { uint16_t unused, mtu; } frag;
	};
} __packed;

#define ICMP_ECHOREPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETERPROB 12

#define ICMP_NET_UNREACH 0
#define ICMP_HOST_UNREACH 1
#define ICMP_PROT_UNREACH 2
#define ICMP_PORT_UNREACH 3
#define ICMP_FRAG_NEEDED 4
#define ICMP_EXC_FRAGTIME 1

static inline bool ip_is_multicast(in_addr_be a)
{
	return (ntohl(a) & 0xf0000000) == 0xe0000000;
}

/* Internal to kernel/net/ip*.c and icmp.c. */
void ip_report_unreachable(struct pkt *p);   /* consumes p */
/* Ping sockets get ICMP echo replies and errors about their echoes. */
void ping_input(struct pkt *p, in_addr_be src, in_addr_be dst);
void ping_icmp_error(in_addr_be src, in_addr_be dst, const uint8_t *hdr,
                     size_t len, int err);
/* Send p, whose data is a whole IP packet, out of dev to next hop nh. */
int ip_send_frame(struct netif *dev, struct pkt *p, in_addr_be nh);
int ip_fragment(struct netif *dev, struct pkt *p, unsigned mtu, in_addr_be nh);
struct ip_stats {
	uint64_t in_receives, in_hdr_errors, in_addr_errors, in_delivers;
	uint64_t in_unknown_protos, reasm_reqds, reasm_oks, reasm_fails;
	uint64_t out_requests, out_no_routes, frag_oks, frag_creates;
};
extern struct ip_stats ip_stats;

#endif
