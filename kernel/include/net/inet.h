/*
 * kernel/include/net/inet.h - the AF_INET socket family (kernel/net/
 * af_inet.c): struct sockaddr_in, and the per-type constructors it
 * dispatches to - SOCK_DGRAM/IPPROTO_UDP and SOCK_DGRAM/IPPROTO_ICMP
 * (ping) in inet_dgram.c, SOCK_STREAM in TCP (tcp_sock_create, weak
 * until TCP is linked in).
 */
#ifndef KERNEL_NET_INET_H
#define KERNEL_NET_INET_H

#include "net/ip.h"
#include "net/socket.h"

#define IPPROTO_IP 0

/* IPPROTO_IP level options (Linux values). */
#define IP_TOS 1
#define IP_TTL 2
#define IP_RECVERR 11

struct in_addr {
	in_addr_be s_addr;
};
struct sockaddr_in {
	sa_family_t sin_family;
	uint16_t sin_port;
	struct in_addr sin_addr;
	uint8_t sin_zero[8];
};

int inet_dgram_create(struct socket *s, int protocol);
int tcp_sock_create(struct socket *s, int protocol);
/* SIOC* interface and route ioctls, FIONREAD left to the caller. */
long inet_ioctl(struct socket *s, unsigned cmd, uint64_t arg);
void af_inet_init(void);

/* Parse a sockaddr_in (AF_INET, len >= 16); -EINVAL / -EAFNOSUPPORT. */
int inet_addr_from(const struct sockaddr_storage *a, int len,
                   in_addr_be *addr, uint16_t *port);
void inet_addr_to(struct sockaddr_storage *a, int *len, in_addr_be addr,
                  uint16_t port);

#endif
