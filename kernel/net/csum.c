/*
 * kernel/net/csum.c - the Internet checksum (RFC 1071): one's-complement
 * sum of 16-bit big-endian words. Summing native little-endian words
 * gives the byte-swapped sum, and the byte order of a one's-complement
 * sum commutes with folding (RFC 1071 section 2(B)), so we sum 32 bits
 * at a time into a 64-bit accumulator and only fix up at the end.
 * Host unit-tested (tests/unit/test_net_csum.c).
 */
#include "net/ip.h"
#include "net/ip_hdr.h"
#include "net/pkt.h"

static uint32_t fold32(uint64_t s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

static uint16_t fold16(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The partial sum is kept in network byte order semantics: the value
 * returned, folded to 16 bits and complemented, is the checksum as it is
 * stored in memory (a native uint16_t store of it puts the right bytes on
 * the wire). */
uint32_t inet_csum_partial(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	uint64_t s = sum;

	/* 32 bytes a round, as 32-bit halves of 64-bit loads: under TCG the
	 * loop's own instructions cost as much as the additions, and this
	 * sum runs over every byte received without checksum offload. Each
	 * round adds less than 2^35, so s cannot overflow on any packet.
	 * __builtin_memcpy: the kernel is -ffreestanding, where a plain
	 * memcpy of 4 bytes is a call (it was one per word here). */
	while (len >= 32) {
		uint64_t a, b, c, d;
		__builtin_memcpy(&a, p, 8);
		__builtin_memcpy(&b, p + 8, 8);
		__builtin_memcpy(&c, p + 16, 8);
		__builtin_memcpy(&d, p + 24, 8);
		s += (a & 0xffffffff) + (a >> 32) + (b & 0xffffffff) + (b >> 32) +
		     (c & 0xffffffff) + (c >> 32) + (d & 0xffffffff) + (d >> 32);
		p += 32;
		len -= 32;
	}
	while (len >= 4) {
		uint32_t w;
		__builtin_memcpy(&w, p, 4);
		s += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t w;
		__builtin_memcpy(&w, p, 2);
		s += w;
		p += 2;
		len -= 2;
	}
	if (len)
		s += *p;   /* the odd byte is the high half of a BE word */
	return fold32(s);
}

uint16_t inet_csum(const void *data, size_t len, uint32_t sum)
{
	return (uint16_t)~fold16(inet_csum_partial(data, len, sum));
}

uint32_t inet_pseudo_sum(in_addr_be src, in_addr_be dst, uint8_t proto,
                         uint16_t l4len)
{
	uint64_t s = (uint64_t)src + dst;

	/* proto and length as they lie in memory: BE 16-bit words. */
	s += htons(proto);
	s += htons(l4len);
	return fold32(s);
}

void inet_csum_offload(struct pkt *p, in_addr_be src, in_addr_be dst, uint8_t proto,
                       unsigned csum_offset)
{
	uint16_t ps = fold16(inet_pseudo_sum(src, dst, proto, (uint16_t)p->len));
	memcpy(p->data + csum_offset, &ps, sizeof(ps));
	p->csum_flags = PKT_CSUM_PARTIAL;
	p->csum_start = IP_HLEN;
	p->csum_offset = (uint16_t)csum_offset;
}
