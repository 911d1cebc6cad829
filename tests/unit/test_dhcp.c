/*
 * tests/unit/test_dhcp.c - dhcpcd's DHCP message code (user/dhcpcd/dhcp.c):
 * a DISCOVER it builds carries what RFC 2131 asks for; replies are parsed
 * into leases, and malformed ones (wrong xid or MAC, truncated options,
 * option lengths past the end, missing message type) are refused.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dhcp.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x77, 0x00, 0x31 };
#define XID 0x12345678u

/* A server reply of type t with extra options opts (ending in 255). */
static size_t reply(uint8_t *b, int t, const uint8_t *opts, size_t olen)
{
	memset(b, 0, DHCP_MAX);
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	uint32_t x = XID, yi = htonl(0x0a4d001f), magic = htonl(0x63825363);
	memcpy(b + 4, &x, 4);
	memcpy(b + 16, &yi, 4);
	memcpy(b + 28, mac, 6);
	memcpy(b + 236, &magic, 4);
	uint8_t *p = b + 240;
	*p++ = 53;
	*p++ = 1;
	*p++ = (uint8_t)t;
	memcpy(p, opts, olen);
	return 240 + 3 + olen;
}

static void discover_is_well_formed(void **state)
{
	(void)state;
	uint8_t b[DHCP_MAX];
	size_t n = dhcp_build(b, DHCPDISCOVER, XID, mac, 0, 0, 0, "rayos", 0);
	assert_true(n >= 300);
	assert_int_equal(b[0], 1);
	assert_int_equal(b[10], 0x80);   /* broadcast flag: no address yet */
	assert_memory_equal(b + 28, mac, 6);
	assert_int_equal(b[240], 53);
	assert_int_equal(b[242], DHCPDISCOVER);
}

static void ack_becomes_lease(void **state)
{
	(void)state;
	uint8_t b[DHCP_MAX];
	const uint8_t opts[] = {
		1, 4, 255, 255, 255, 0,        /* subnet */
		3, 4, 10, 77, 0, 1,            /* router */
		6, 8, 10, 77, 0, 1, 10, 77, 0, 2,
		15, 8, 'l', 'a', 'n', '.', 't', 'e', 's', 't',
		51, 4, 0, 0, 0, 120,           /* lease 120 s */
		58, 4, 0, 0, 0, 4,             /* T1 */
		59, 4, 0, 0, 0, 7,             /* T2 */
		54, 4, 10, 77, 0, 1,
		255,
	};
	struct lease l;
	size_t n = reply(b, DHCPACK, opts, sizeof(opts));
	assert_int_equal(dhcp_parse(b, n, XID, mac, &l), DHCPACK);
	assert_int_equal(l.addr, htonl(0x0a4d001f));
	assert_int_equal(l.netmask, htonl(0xffffff00));
	assert_int_equal(l.router, htonl(0x0a4d0001));
	assert_int_equal(l.server, htonl(0x0a4d0001));
	assert_int_equal(l.ndns, 2);
	assert_string_equal(l.domain, "lan.test");
	assert_int_equal(l.lease_time, 120);
	assert_int_equal(l.t1, 4);
	assert_int_equal(l.t2, 7);
}

static void defaults_for_missing_times(void **state)
{
	(void)state;
	uint8_t b[DHCP_MAX];
	const uint8_t opts[] = { 51, 4, 0, 0, 0x0e, 0x10, 255 };   /* 3600 s */
	struct lease l;
	size_t n = reply(b, DHCPOFFER, opts, sizeof(opts));
	assert_int_equal(dhcp_parse(b, n, XID, mac, &l), DHCPOFFER);
	assert_int_equal(l.t1, 1800);
	assert_int_equal(l.t2, 3150);
}

static void malformed_replies_are_refused(void **state)
{
	(void)state;
	uint8_t b[DHCP_MAX];
	struct lease l;
	const uint8_t end[] = { 255 };
	size_t n = reply(b, DHCPACK, end, 1);

	assert_int_equal(dhcp_parse(b, n, XID + 1, mac, &l), -1);     /* xid */
	uint8_t other[6] = { 2, 0, 0, 0, 0, 1 };
	assert_int_equal(dhcp_parse(b, n, XID, other, &l), -1);       /* mac */
	assert_int_equal(dhcp_parse(b, 200, XID, mac, &l), -1);       /* short */
	const uint8_t overrun[] = { 3, 200, 1, 2 };                  /* len past end */
	n = reply(b, DHCPACK, overrun, sizeof(overrun));
	assert_int_equal(dhcp_parse(b, n, XID, mac, &l), -1);
	const uint8_t notype[] = { 255 };
	n = reply(b, DHCPACK, notype, 1);
	b[242] = 99;                                                  /* bad type */
	assert_int_equal(dhcp_parse(b, n, XID, mac, &l), -1);
	n = reply(b, DHCPACK, end, 1);
	memset(b + 16, 0, 4);                                         /* no yiaddr */
	assert_int_equal(dhcp_parse(b, n, XID, mac, &l), -1);
	const uint8_t baddomain[] = { 15, 5, 'a', '\n', 'b', ';', 'c', 255 };
	n = reply(b, DHCPACK, baddomain, sizeof(baddomain));
	assert_int_equal(dhcp_parse(b, n, XID, mac, &l), DHCPACK);
	assert_string_equal(l.domain, "");   /* never into resolv.conf */
}

static void nak_is_reported(void **state)
{
	(void)state;
	uint8_t b[DHCP_MAX];
	struct lease l;
	const uint8_t end[] = { 255 };
	size_t n = reply(b, DHCPNAK, end, 1);
	assert_int_equal(dhcp_parse(b, n, XID, mac, &l), DHCPNAK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(discover_is_well_formed),
		cmocka_unit_test(ack_becomes_lease),
		cmocka_unit_test(defaults_for_missing_times),
		cmocka_unit_test(malformed_replies_are_refused),
		cmocka_unit_test(nak_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
