/*
 * user/dhcpcd/dhcp.h - DHCP messages (RFC 2131 section 2, options RFC
 * 2132): building requests and parsing replies into a struct lease.
 * Addresses are in network byte order.
 */
#ifndef DHCPCD_DHCP_H
#define DHCPCD_DHCP_H

#include <stddef.h>
#include <stdint.h>

#define DHCP_MAX 576

#define DHCPDISCOVER 1
#define DHCPOFFER 2
#define DHCPREQUEST 3
#define DHCPDECLINE 4
#define DHCPACK 5
#define DHCPNAK 6
#define DHCPRELEASE 7

struct lease {
	uint32_t addr, server, netmask, router;
	uint32_t dns[3];
	int ndns;
	char domain[128];
	uint32_t lease_time, t1, t2;   /* seconds */
};

/* A client message of the given type into buf (DHCP_MAX bytes); returns
 * its length. requested/server: options 50/54 when non-zero. */
size_t dhcp_build(uint8_t *buf, int type, uint32_t xid, const uint8_t mac[6],
                  uint32_t ciaddr, uint32_t requested, uint32_t server,
                  const char *hostname, uint16_t secs);
/* Parse a server reply for xid and our mac: its message type (OFFER, ACK,
 * NAK) with l filled, or -1 when it is malformed or not for us. */
int dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const uint8_t mac[6],
               struct lease *l);

#endif
