/*
 * user/dhcpcd/dhcp.c - building and parsing DHCP messages (see dhcp.h).
 * The parser trusts nothing: every option length is checked against the
 * message, option overload (52) is honoured for the file/sname fields, and
 * lease times are clamped to sane values (T1 < T2 < lease).
 */
#include <arpa/inet.h>
#include <string.h>

#include "dhcp.h"

#define OP_REQUEST 1
#define OP_REPLY 2
#define MAGIC 0x63825363
#define HDR_LEN 236

#define OPT_PAD 0
#define OPT_SUBNET 1
#define OPT_ROUTER 3
#define OPT_DNS 6
#define OPT_HOSTNAME 12
#define OPT_DOMAIN 15
#define OPT_REQUESTED 50
#define OPT_LEASE 51
#define OPT_OVERLOAD 52
#define OPT_MSGTYPE 53
#define OPT_SERVER 54
#define OPT_PARAMS 55
#define OPT_MAXSIZE 57
#define OPT_T1 58
#define OPT_T2 59
#define OPT_CLIENTID 61
#define OPT_END 255

static uint8_t *put_opt(uint8_t *p, uint8_t code, const void *data, uint8_t len)
{
	*p++ = code;
	*p++ = len;
	memcpy(p, data, len);
	return p + len;
}

size_t dhcp_build(uint8_t *buf, int type, uint32_t xid, const uint8_t mac[6],
                  uint32_t ciaddr, uint32_t requested, uint32_t server,
                  const char *hostname, uint16_t secs)
{
	uint8_t *p = buf + HDR_LEN;
	uint32_t magic = htonl(MAGIC);
	uint16_t maxsize = htons(DHCP_MAX);
	uint8_t t = (uint8_t)type;
	uint8_t params[] = { OPT_SUBNET, OPT_ROUTER, OPT_DNS, OPT_DOMAIN, OPT_LEASE,
	                     OPT_T1, OPT_T2 };
	uint8_t cid[7] = { 1 };

	memset(buf, 0, DHCP_MAX);
	buf[0] = OP_REQUEST;
	buf[1] = 1;            /* Ethernet */
	buf[2] = 6;
	memcpy(buf + 4, &xid, 4);
	secs = htons(secs);
	memcpy(buf + 8, &secs, 2);
	if (!ciaddr)           /* no address yet: ask for broadcast replies */
		buf[10] = 0x80;
	memcpy(buf + 12, &ciaddr, 4);
	memcpy(buf + 28, mac, 6);
	memcpy(p, &magic, 4);
	p += 4;
	p = put_opt(p, OPT_MSGTYPE, &t, 1);
	memcpy(cid + 1, mac, 6);
	p = put_opt(p, OPT_CLIENTID, cid, sizeof(cid));
	p = put_opt(p, OPT_MAXSIZE, &maxsize, 2);
	if (requested)
		p = put_opt(p, OPT_REQUESTED, &requested, 4);
	if (server)
		p = put_opt(p, OPT_SERVER, &server, 4);
	if (hostname && *hostname) {
		size_t n = strlen(hostname);
		p = put_opt(p, OPT_HOSTNAME, hostname, n > 63 ? 63 : (uint8_t)n);
	}
	p = put_opt(p, OPT_PARAMS, params, sizeof(params));
	*p++ = OPT_END;
	size_t len = (size_t)(p - buf);
	return len < 300 ? 300 : len;   /* BOOTP's minimum, some servers want it */
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Walk one option area; returns -1 if malformed. */
static int scan(const uint8_t *p, size_t len, struct lease *l, int *type,
                int *overload)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i++];
		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return 0;
		if (i >= len)
			return -1;
		uint8_t n = p[i++];
		if (n > len - i)
			return -1;
		const uint8_t *d = p + i;
		switch (code) {
		case OPT_MSGTYPE: if (n == 1) *type = d[0]; break;
		case OPT_SUBNET: if (n == 4) l->netmask = get32(d); break;
		case OPT_ROUTER: if (n >= 4) l->router = get32(d); break;
		case OPT_SERVER: if (n == 4) l->server = get32(d); break;
		case OPT_LEASE: if (n == 4) l->lease_time = ntohl(get32(d)); break;
		case OPT_T1: if (n == 4) l->t1 = ntohl(get32(d)); break;
		case OPT_T2: if (n == 4) l->t2 = ntohl(get32(d)); break;
		case OPT_OVERLOAD: if (n == 1) *overload = d[0]; break;
		case OPT_DNS:
			for (int k = 0; k + 4 <= n && l->ndns < 3; k += 4)
				l->dns[l->ndns++] = get32(d + k);
			break;
		case OPT_DOMAIN: {
			size_t m = n < sizeof(l->domain) - 1 ? n : sizeof(l->domain) - 1;
			memcpy(l->domain, d, m);
			l->domain[m] = 0;
			/* Only a plain host name goes into resolv.conf. */
			for (size_t k = 0; k < m; k++) {
				char c = l->domain[k];
				if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				      (c >= '0' && c <= '9') || c == '-' || c == '.'))
					l->domain[0] = 0;
			}
			break;
		}
		}
		i += n;
	}
	return 0;   /* no END: tolerated */
}

int dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const uint8_t mac[6],
               struct lease *l)
{
	int type = -1, overload = 0;

	memset(l, 0, sizeof(*l));
	if (len < HDR_LEN + 4 || buf[0] != OP_REPLY || buf[1] != 1 || buf[2] != 6 ||
	    get32(buf + 4) != xid || memcmp(buf + 28, mac, 6) ||
	    get32(buf + HDR_LEN) != htonl(MAGIC))
		return -1;
	l->addr = get32(buf + 16);
	if (scan(buf + HDR_LEN + 4, len - HDR_LEN - 4, l, &type, &overload) < 0)
		return -1;
	if (overload & 1)
		scan(buf + 108, 128, l, &type, &overload);
	if (overload & 2)
		scan(buf + 44, 64, l, &type, &overload);
	if (type != 2 && type != 5 && type != 6)
		return -1;
	if (type == 6)
		return type;
	if (!l->addr || l->addr == 0xffffffff)
		return -1;
	if (l->lease_time == 0)
		l->lease_time = 3600;
	if (l->lease_time < 10)
		l->lease_time = 10;
	if (l->t1 == 0 || l->t1 >= l->lease_time)
		l->t1 = l->lease_time / 2;
	if (l->t2 == 0 || l->t2 >= l->lease_time || l->t2 <= l->t1)
		l->t2 = l->lease_time / 8 * 7 > l->t1 ? l->lease_time / 8 * 7 : l->t1 + 1;
	return type;
}
