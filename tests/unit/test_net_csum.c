/*
 * tests/unit/test_net_csum.c - the Internet checksum (kernel/net/csum.c)
 * against RFC 1071's worked example and a plain big-endian reference over
 * random buffers of every small length, odd ones included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/ip.h"

/* Reference: sum big-endian 16-bit words, fold, complement; returned in
 * the byte order it is stored in memory. */
static uint16_t ref_csum(const uint8_t *p, size_t len, uint32_t pseudo_be_sum)
{
	uint64_t s = pseudo_be_sum;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	uint16_t c = (uint16_t)~s;
	return htons(c);
}

static void rfc1071_example(void **state)
{
	(void)state;
	/* RFC 1071 4.1: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2. */
	const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(inet_csum(d, sizeof(d), 0), htons((uint16_t)~0xddf2));
}

static void random_buffers_match_reference(void **state)
{
	(void)state;
	uint8_t buf[2048];
	srand(1071);
	for (size_t len = 0; len < 300; len++) {
		for (int round = 0; round < 20; round++) {
			for (size_t i = 0; i < len; i++)
				buf[i] = (uint8_t)rand();
			assert_int_equal(inet_csum(buf, len, 0), ref_csum(buf, len, 0));
		}
	}
	/* Long, all ones: many carries. */
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(inet_csum(buf, sizeof(buf), 0), ref_csum(buf, sizeof(buf), 0));
}

static void checksum_of_data_with_its_checksum_is_zero(void **state)
{
	(void)state;
	uint8_t hdr[20] = { 0x45, 0, 0, 84, 0x12, 0x34, 0x40, 0, 64, 1, 0, 0,
	                    10, 77, 0, 1, 10, 77, 0, 31 };
	uint16_t c = inet_csum(hdr, 20, 0);
	memcpy(hdr + 10, &c, 2);
	assert_int_equal(inet_csum(hdr, 20, 0), 0);
}

static void pseudo_header_udp(void **state)
{
	(void)state;
	/* UDP 10.77.0.1:1234 -> 10.77.0.31:7, payload "hi!" */
	uint8_t udp[11] = { 0x04, 0xd2, 0x00, 0x07, 0x00, 11, 0, 0, 'h', 'i', '!' };
	in_addr_be src = htonl(0x0a4d0001), dst = htonl(0x0a4d001f);
	uint32_t ps = inet_pseudo_sum(src, dst, IPPROTO_UDP, sizeof(udp));
	uint16_t c = inet_csum(udp, sizeof(udp), ps);
	/* The same through the reference with the pseudo-header spelled out. */
	uint8_t full[12 + 11] = { 10, 77, 0, 1, 10, 77, 0, 31, 0, 17, 0, 11 };
	memcpy(full + 12, udp, sizeof(udp));
	assert_int_equal(c, ref_csum(full, sizeof(full), 0));
	memcpy(udp + 6, &c, 2);
	assert_int_equal(inet_csum(udp, sizeof(udp), ps), 0);
}

static void partial_sums_chain(void **state)
{
	(void)state;
	uint8_t buf[1000];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 31 + 7);
	/* Even-sized pieces chain to the same result as one pass. */
	uint32_t s = inet_csum_partial(buf, 400, 0);
	assert_int_equal(inet_csum(buf + 400, 600, s), inet_csum(buf, sizeof(buf), 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc1071_example),
		cmocka_unit_test(random_buffers_match_reference),
		cmocka_unit_test(checksum_of_data_with_its_checksum_is_zero),
		cmocka_unit_test(pseudo_header_udp),
		cmocka_unit_test(partial_sums_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
