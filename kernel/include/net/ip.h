/*
 * kernel/include/net/ip.h - IPv4 as the transport protocols see it
 * (kernel/net/ip*.c), and the entry points IP calls in them.
 *
 * Addresses (in_addr_be) and ports are in network byte order everywhere,
 * as they are on the wire and in struct sockaddr_in.
 */
#ifndef KERNEL_NET_IP_H
#define KERNEL_NET_IP_H

#include "kernel.h"
#include "net/pkt.h"

typedef uint32_t in_addr_be;   /* network byte order */

#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

#define IP_DEFAULT_TTL 64

static inline uint16_t htons(uint16_t x) { return __builtin_bswap16(x); }
static inline uint16_t ntohs(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t htonl(uint32_t x) { return __builtin_bswap32(x); }
static inline uint32_t ntohl(uint32_t x) { return __builtin_bswap32(x); }

/* Internet checksum (RFC 1071) over len bytes, continuing from sum (a
 * 32-bit partial sum, 0 to start); returns the folded, complemented sum. */
uint16_t inet_csum(const void *data, size_t len, uint32_t sum);
/* Partial sum to continue with: unfolded one's-complement sum of data. */
uint32_t inet_csum_partial(const void *data, size_t len, uint32_t sum);
/* Partial sum of the TCP/UDP pseudo-header. */
uint32_t inet_pseudo_sum(in_addr_be src, in_addr_be dst, uint8_t proto,
                         uint16_t l4len);
struct pkt;
/* Checksum offload for the transport segment at p->data (all of p): the
 * pseudo-header sum goes into its checksum field at csum_offset and p is
 * marked PKT_CSUM_PARTIAL, so that the device - or ip_output() in software
 * - sums the segment once, where it is sent. */
void inet_csum_offload(struct pkt *p, in_addr_be src, in_addr_be dst, uint8_t proto,
                       unsigned csum_offset);

/*
 * Send p, whose data starts at the transport header, to dst. src 0: the
 * route's source address. ttl 0: the default (or the socket's IP_TTL).
 * IP adds its header, fragments when the packet exceeds the route's MTU
 * (unless df), resolves the next hop with ARP and queues on the
 * interface. Consumes p in every case. Returns 0, -ENETUNREACH (no
 * route), -EHOSTUNREACH (ARP gave up, reported later by the error
 * callback), -EMSGSIZE (df and too big) or -ENOBUFS.
 */
int ip_output(struct pkt *p, in_addr_be src, in_addr_be dst, uint8_t proto,
              uint8_t ttl, bool df);
/* The source address and MTU a packet to dst would get; 0 / -ENETUNREACH
 * when there is no route. */
int ip_route_lookup(in_addr_be dst, in_addr_be *src, unsigned *mtu);
/* The NETIF_F_* features of the interface a packet to dst would leave
 * by; 0 when there is no route. */
unsigned ip_route_features(in_addr_be dst);
bool ip_addr_is_local(in_addr_be a);   /* one of our addresses (or 127/8) */

/*
 * Input: IP calls these with p->data at the transport header, p->len the
 * transport length (padding trimmed), p->l3 at the IP header, after the
 * header checksum was verified and fragments were reassembled. The
 * transport checks its own checksum (unless PKT_CSUM_VERIFIED). Each
 * consumes p.
 */
void tcp_input(struct pkt *p, in_addr_be src, in_addr_be dst);
void udp_input(struct pkt *p, in_addr_be src, in_addr_be dst);
void icmp_input(struct pkt *p, in_addr_be src, in_addr_be dst);

/* An ICMP error (unreachable, time exceeded, frag needed) arrived about a
 * packet we sent: hdr points at our original transport header (at least
 * 8 bytes), from src to dst as we sent it. err is -ECONNREFUSED
 * (port unreachable), -EHOSTUNREACH, -ENETUNREACH, -EMSGSIZE (with mtu)...
 */
void tcp_icmp_error(in_addr_be src, in_addr_be dst, const uint8_t *hdr,
                    size_t len, int err, unsigned mtu);
void udp_icmp_error(in_addr_be src, in_addr_be dst, const uint8_t *hdr,
                    size_t len, int err);
/* Send an ICMP error about orig (orig->l3 at its IP header). */
void icmp_send_error(struct pkt *orig, uint8_t type, uint8_t code,
                     uint32_t info);

#endif
