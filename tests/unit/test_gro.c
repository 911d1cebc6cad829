/*
 * tests/unit/test_gro.c - generic receive offload (kernel/net/gro.c):
 * which runs of TCP segments gro_rx() merges, what the merged segment
 * looks like (payload in order, IP length and checksum, PSH, verified
 * flag, counters), and that everything it must not merge - other flags,
 * differing ACK/window/options/flow, IP options, fragments, bad
 * checksums, gaps, the 64 KiB bound - and malformed frames (truncated
 * headers, lengths that lie) go up unchanged and in order. Malformed
 * frames live in buffers of exactly their length, so that AddressSanitizer
 * catches any read past them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm.h"
#include "net/gro.h"
#include "net/ip_hdr.h"

/* ---- what gro.c and pkt.c use ---- */

static bool fail_alloc;

void *kmalloc(size_t n)
{
	return fail_alloc ? NULL : malloc(n ? n : 1);
}

void *kzalloc(size_t n)
{
	return fail_alloc ? NULL : calloc(1, n ? n : 1);
}

void kfree(void *p)
{
	free(p);
}

#define MAXGOT 128
static struct pkt *got[MAXGOT];
static unsigned ngot;

/* Records what goes up, counting as the real netif_rx does. */
void netif_rx(struct netif *dev, struct pkt *p)
{
	assert_true(ngot < MAXGOT);
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += p->len;
	got[ngot++] = p;
}

/* ---- building frames ---- */

#define SRC 0x0a4d0001u   /* 10.77.0.1 */
#define DST 0x0a4d001fu
#define ACK 0x10
#define PSH 0x08
#define HDR (ETH_HLEN + IP_HLEN + 20)
#define MSS 1448

struct seg {
	uint32_t seq, ack;
	unsigned plen;
	uint8_t flags;
	uint16_t win, sport;
	const uint8_t *opt;     /* TCP options, optlen bytes (multiple of 4) */
	unsigned optlen;
	unsigned pad;           /* link padding after the IP datagram */
	bool bad_csum;          /* TCP checksum wrong */
	bool dev_verified;      /* PKT_CSUM_VERIFIED, checksum field left 0 */
};

/* A packet whose buffer is exactly len bytes. */
static struct pkt *pkt_exact(size_t len)
{
	struct pkt *p = calloc(1, sizeof(*p));
	p->buf = malloc(len ? len : 1);
	p->data = p->buf;
	p->cap = p->len = len;
	return p;
}

static uint8_t payload_byte(uint32_t seq)
{
	return (uint8_t)(seq * 7 + (seq >> 8));
}

static struct pkt *build(const struct seg *s)
{
	unsigned thl = 20 + s->optlen;
	unsigned tot = IP_HLEN + thl + s->plen;
	struct pkt *p = pkt_exact(ETH_HLEN + tot + s->pad);
	uint8_t *d = p->data;

	memset(d, 0, p->len);
	memcpy(d, "\x52\x54\x00\x12\x34\x56\x52\x54\x00\xab\xcd\xef\x08\x00", 14);
	struct ip_hdr *ip = (struct ip_hdr *)(d + ETH_HLEN);
	ip->vihl = 0x45;
	ip->tot_len = htons((uint16_t)tot);
	ip->id = htons((uint16_t)s->seq);
	ip->frag = htons(IP_DF);
	ip->ttl = 64;
	ip->proto = IPPROTO_TCP;
	ip->src = htonl(SRC);
	ip->dst = htonl(DST);
	ip->csum = inet_csum(ip, IP_HLEN, 0);
	uint8_t *th = d + ETH_HLEN + IP_HLEN;
	uint16_t sport = htons(s->sport ? s->sport : 8080), dport = htons(40000);
	uint32_t seq = htonl(s->seq), ack = htonl(s->ack ? s->ack : 1000);
	uint16_t win = htons(s->win ? s->win : 502);
	memcpy(th, &sport, 2);
	memcpy(th + 2, &dport, 2);
	memcpy(th + 4, &seq, 4);
	memcpy(th + 8, &ack, 4);
	th[12] = (uint8_t)(thl / 4 << 4);
	th[13] = s->flags ? s->flags : ACK;
	memcpy(th + 14, &win, 2);
	if (s->optlen)
		memcpy(th + 20, s->opt, s->optlen);
	for (unsigned i = 0; i < s->plen; i++)
		th[thl + i] = payload_byte(s->seq + i);
	if (s->dev_verified) {
		p->csum_flags = PKT_CSUM_VERIFIED;
	} else {
		uint16_t c = inet_csum(th, thl + s->plen,
		                       inet_pseudo_sum(ip->src, ip->dst, IPPROTO_TCP,
		                                       thl + s->plen));
		if (s->bad_csum)
			c ^= 0x0101;
		memcpy(th + 16, &c, 2);
	}
	return p;
}

static struct netif dev;

static int setup(void **state)
{
	(void)state;
	memset(&dev, 0, sizeof(dev));
	ngot = 0;
	fail_alloc = false;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ngot; i++)
		pkt_free(got[i]);
	ngot = 0;
	return 0;
}

static uint32_t seq_of(const struct pkt *p)
{
	uint32_t s;
	memcpy(&s, p->data + ETH_HLEN + IP_HLEN + 4, 4);
	return ntohl(s);
}

/* p is a well-formed segment carrying plen bytes from seq on. */
static void check_seg(const struct pkt *p, uint32_t seq, unsigned plen, unsigned hdr)
{
	const struct ip_hdr *ip = (const struct ip_hdr *)(p->data + ETH_HLEN);

	assert_int_equal(p->len, hdr + plen);
	assert_int_equal(ntohs(ip->tot_len), hdr - ETH_HLEN + plen);
	assert_int_equal(inet_csum(ip, IP_HLEN, 0), 0);
	assert_int_equal(seq_of(p), seq);
	for (unsigned i = 0; i < plen; i++)
		if (p->data[hdr + i] != payload_byte(seq + i))
			fail_msg("payload byte %u of seq %u wrong", i, seq);
}

static unsigned flags_of(const struct pkt *p)
{
	return p->data[ETH_HLEN + IP_HLEN + 13];
}

/* A run of n full segments from seq; returns the next seq. */
static uint32_t run(struct pkt **f, unsigned *k, unsigned n, uint32_t seq)
{
	for (unsigned i = 0; i < n; i++, seq += MSS)
		f[(*k)++] = build(&(struct seg){ .seq = seq, .plen = MSS });
	return seq;
}

static void in_order_run_merges(void **state)
{
	(void)state;
	struct pkt *f[8];
	unsigned k = 0;
	uint64_t wire = 0;

	run(f, &k, 5, 1000);
	for (unsigned i = 0; i < k; i++)
		wire += f[i]->len;
	gro_rx(&dev, f, k);
	assert_int_equal(ngot, 1);
	check_seg(got[0], 1000, 5 * MSS, HDR);
	assert_true(got[0]->csum_flags & PKT_CSUM_VERIFIED);
	assert_int_equal(flags_of(got[0]), ACK);
	assert_int_equal(dev.stats.rx_gro, 1);
	/* Counted as on the wire. */
	assert_int_equal(dev.stats.rx_packets, 5);
	assert_int_equal(dev.stats.rx_bytes, wire);
}

static void single_segment_goes_up_as_it_came(void **state)
{
	(void)state;
	struct pkt *f[1];
	unsigned k = 0;

	run(f, &k, 1, 5);
	struct pkt *orig = f[0];
	gro_rx(&dev, f, 1);
	assert_int_equal(ngot, 1);
	assert_ptr_equal(got[0], orig);
	check_seg(got[0], 5, MSS, HDR);
	assert_int_equal(dev.stats.rx_gro, 0);
}

/* A segment whose checksum is wrong splits the run and goes up
 * unverified; device-verified ones merge without their sum looked at,
 * and the result is verified. */
static void bad_checksum_splits_and_stays_unverified(void **state)
{
	(void)state;
	struct pkt *f[5];
	unsigned k = 0;

	f[k++] = build(&(struct seg){ .seq = 0, .plen = MSS, .dev_verified = true });
	f[k++] = build(&(struct seg){ .seq = MSS, .plen = MSS, .dev_verified = true });
	f[k++] = build(&(struct seg){ .seq = 2 * MSS, .plen = MSS, .bad_csum = true });
	f[k++] = build(&(struct seg){ .seq = 3 * MSS, .plen = MSS });
	f[k++] = build(&(struct seg){ .seq = 4 * MSS, .plen = MSS });
	struct pkt *bad = f[2];
	gro_rx(&dev, f, k);
	assert_int_equal(ngot, 3);
	check_seg(got[0], 0, 2 * MSS, HDR);
	assert_true(got[0]->csum_flags & PKT_CSUM_VERIFIED);
	assert_ptr_equal(got[1], bad);
	assert_false(got[1]->csum_flags & PKT_CSUM_VERIFIED);
	/* A bad one after a good one cannot join it either: its sum is
	 * checked, not assumed from the run. */
	check_seg(got[2], 3 * MSS, 2 * MSS, HDR);
	assert_true(got[2]->csum_flags & PKT_CSUM_VERIFIED);
	assert_int_equal(dev.stats.rx_gro, 2);
}

static void other_flags_never_merge(void **state)
{
	(void)state;
	static const uint8_t bad_flags[] = {
		ACK | 0x01,   /* FIN */
		ACK | 0x02,   /* SYN */
		ACK | 0x04,   /* RST */
		ACK | 0x20,   /* URG */
		ACK | 0x40,   /* ECE */
		ACK | 0x80,   /* CWR */
		PSH,          /* no ACK */
	};

	for (unsigned b = 0; b < sizeof(bad_flags); b++) {
		struct pkt *f[3];
		f[0] = build(&(struct seg){ .seq = 0, .plen = 100 });
		f[1] = build(&(struct seg){ .seq = 100, .plen = 100, .flags = bad_flags[b] });
		f[2] = build(&(struct seg){ .seq = 200, .plen = 100 });
		struct pkt *mid = f[1];
		gro_rx(&dev, f, 3);
		assert_int_equal(ngot, 3);
		assert_ptr_equal(got[1], mid);
		assert_int_equal(flags_of(got[1]), bad_flags[b]);
		teardown(NULL);
	}
	assert_int_equal(dev.stats.rx_gro, 0);
}

static void psh_ends_the_run_it_joins(void **state)
{
	(void)state;
	struct pkt *f[5];
	unsigned k = 0;

	f[k++] = build(&(struct seg){ .seq = 0, .plen = MSS });
	f[k++] = build(&(struct seg){ .seq = MSS, .plen = MSS, .flags = ACK | PSH });
	f[k++] = build(&(struct seg){ .seq = 2 * MSS, .plen = MSS });
	f[k++] = build(&(struct seg){ .seq = 3 * MSS, .plen = 10 });
	gro_rx(&dev, f, k);
	assert_int_equal(ngot, 2);
	check_seg(got[0], 0, 2 * MSS, HDR);
	assert_int_equal(flags_of(got[0]), ACK | PSH);
	check_seg(got[1], 2 * MSS, MSS + 10, HDR);
	assert_int_equal(flags_of(got[1]), ACK);
}

static void gaps_and_repeats_split(void **state)
{
	(void)state;
	struct pkt *f[5];
	unsigned k = 0;

	f[k++] = build(&(struct seg){ .seq = 0, .plen = 500 });
	f[k++] = build(&(struct seg){ .seq = 500, .plen = 500 });
	f[k++] = build(&(struct seg){ .seq = 1500, .plen = 500 });   /* gap */
	f[k++] = build(&(struct seg){ .seq = 1500, .plen = 500 });   /* repeat */
	f[k++] = build(&(struct seg){ .seq = 1000, .plen = 500 });   /* late */
	gro_rx(&dev, f, k);
	assert_int_equal(ngot, 4);
	check_seg(got[0], 0, 1000, HDR);
	check_seg(got[1], 1500, 500, HDR);
	check_seg(got[2], 1500, 500, HDR);
	check_seg(got[3], 1000, 500, HDR);
}

static void differing_ack_window_port_options_split(void **state)
{
	(void)state;
	static const uint8_t ts1[12] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 9 };
	static const uint8_t ts2[12] = { 1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 9 };
	struct pkt *f[8];
	unsigned k = 0;

	f[k++] = build(&(struct seg){ .seq = 0, .plen = 100 });
	f[k++] = build(&(struct seg){ .seq = 100, .plen = 100, .ack = 2000 });
	f[k++] = build(&(struct seg){ .seq = 200, .plen = 100, .ack = 2000, .win = 600 });
	f[k++] = build(&(struct seg){ .seq = 300, .plen = 100, .ack = 2000, .win = 600,
	                               .sport = 9 });
	/* Timestamps: the same ones merge, different ones do not. */
	f[k++] = build(&(struct seg){ .seq = 400, .plen = 100, .opt = ts1, .optlen = 12 });
	f[k++] = build(&(struct seg){ .seq = 500, .plen = 100, .opt = ts1, .optlen = 12 });
	f[k++] = build(&(struct seg){ .seq = 600, .plen = 100, .opt = ts2, .optlen = 12 });
	f[k++] = build(&(struct seg){ .seq = 700, .plen = 100 });   /* no options */
	gro_rx(&dev, f, k);
	assert_int_equal(ngot, 7);
	for (unsigned i = 0; i < 4; i++)
		check_seg(got[i], i * 100, 100, HDR);
	check_seg(got[4], 400, 200, HDR + 12);
	assert_memory_equal(got[4]->data + HDR, ts1, 12);
	check_seg(got[5], 600, 100, HDR + 12);
	check_seg(got[6], 700, 100, HDR);
}

/* IP options, fragments, a bad IP header checksum, a different TTL:
 * each goes up untouched, joining neither neighbour. */
static void ip_level_exclusions(void **state)
{
	(void)state;
	for (int c = 0; c < 5; c++) {
		struct pkt *f[3];
		f[0] = build(&(struct seg){ .seq = 0, .plen = 100 });
		f[1] = build(&(struct seg){ .seq = 100, .plen = 100 });
		f[2] = build(&(struct seg){ .seq = 200, .plen = 100 });
		struct ip_hdr *ip = (struct ip_hdr *)(f[1]->data + ETH_HLEN);
		switch (c) {
		case 0: ip->vihl = 0x46; break;                       /* options */
		case 1: ip->frag = htons(IP_MF); break;               /* first fragment */
		case 2: ip->frag = htons(IP_DF | 3); break;           /* offset */
		case 3: break;                                        /* bad csum */
		case 4: ip->ttl = 63; break;
		}
		if (c != 3) {
			ip->csum = 0;
			ip->csum = inet_csum(ip, IP_HLEN, 0);
		} else {
			ip->csum ^= 1;
		}
		struct pkt *mid = f[1];
		size_t midlen = mid->len;
		gro_rx(&dev, f, 3);
		assert_int_equal(ngot, 3);
		check_seg(got[0], 0, 100, HDR);
		assert_ptr_equal(got[1], mid);
		assert_int_equal(got[1]->len, midlen);
		/* A different TTL is a good segment, just not of this run. */
		assert_int_equal(!!(got[1]->csum_flags & PKT_CSUM_VERIFIED), c == 4);
		check_seg(got[2], 200, 100, HDR);
		teardown(NULL);
	}
	assert_int_equal(dev.stats.rx_gro, 0);
}

static void size_bound_holds(void **state)
{
	(void)state;
	struct pkt *f[50];
	unsigned k = 0;

	run(f, &k, 50, 7);
	gro_rx(&dev, f, k);
	/* 45 * 1448 + 40 = 65200 fits an IP datagram, 46 would not. */
	assert_int_equal(ngot, 2);
	check_seg(got[0], 7, 45 * MSS, HDR);
	check_seg(got[1], 7 + 45 * MSS, 5 * MSS, HDR);
	assert_true(ntohs(((struct ip_hdr *)(got[0]->data + ETH_HLEN))->tot_len) <= IP_MAXPACKET);
}

static void padding_is_trimmed(void **state)
{
	(void)state;
	struct pkt *f[2];

	f[0] = build(&(struct seg){ .seq = 0, .plen = 6, .pad = 6 });   /* 60-byte minimum */
	f[1] = build(&(struct seg){ .seq = 6, .plen = 6, .pad = 6 });
	gro_rx(&dev, f, 2);
	assert_int_equal(ngot, 1);
	check_seg(got[0], 0, 12, HDR);
}

static void no_memory_passes_frames_through(void **state)
{
	(void)state;
	struct pkt *f[3];
	unsigned k = 0;

	run(f, &k, 3, 0);
	struct pkt *o[3] = { f[0], f[1], f[2] };
	fail_alloc = true;
	gro_rx(&dev, f, k);
	fail_alloc = false;
	assert_int_equal(ngot, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_ptr_equal(got[i], o[i]);
		check_seg(got[i], i * MSS, MSS, HDR);
	}
	assert_int_equal(dev.stats.rx_gro, 0);
}

/* Malformed frames, each in a buffer of exactly its length between two
 * good segments it must keep apart: they go up unmerged, unchanged, in
 * order. */
static struct pkt *malformed(int c)
{
	struct pkt *good = build(&(struct seg){ .seq = 100, .plen = 100 });
	struct ip_hdr *ip = (struct ip_hdr *)(good->data + ETH_HLEN);
	uint8_t *th = good->data + ETH_HLEN + IP_HLEN;
	struct pkt *p;
	size_t cut = good->len;

	switch (c) {
	case 0: cut = 0; break;
	case 1: cut = ETH_HLEN - 1; break;
	case 2: cut = ETH_HLEN + IP_HLEN - 1; break;
	case 3: cut = ETH_HLEN + IP_HLEN + 19; break;        /* TCP header cut */
	case 4: cut = HDR + 50; break;                       /* IP length lies */
	case 5: ip->tot_len = htons(IP_HLEN + 19); break;    /* shorter than TCP */
	case 6: ip->tot_len = htons(0xffff); break;
	case 7: th[12] = 4 << 4; break;                      /* data offset < 5 */
	case 8:                                              /* header past the end */
		th[12] = 15 << 4;
		ip->tot_len = htons(IP_HLEN + 40);
		cut = ETH_HLEN + IP_HLEN + 40;
		break;
	case 9: ip->tot_len = htons(IP_HLEN + 20); break;    /* no payload */
	case 10: good->data[12] = 0x86, good->data[13] = 0xdd; break;  /* not IPv4 */
	case 11: ip->proto = 17; break;
	case 12: ip->vihl = 0x65; break;
	case 13: {                                           /* reserved/NS bit */
		uint16_t z = 0;
		th[12] |= 0x01;
		memcpy(th + 16, &z, 2);   /* checksum redone: only the bit is wrong */
		z = inet_csum(th, 120, inet_pseudo_sum(ip->src, ip->dst, IPPROTO_TCP, 120));
		memcpy(th + 16, &z, 2);
		break;
	}
	}
	if (c >= 5 && c != 10) {
		ip->csum = 0;
		ip->csum = inet_csum(ip, IP_HLEN, 0);
	}
	p = pkt_exact(cut);
	memcpy(p->data, good->data, cut);
	pkt_free(good);
	return p;
}

static void malformed_frames_pass_through(void **state)
{
	(void)state;
	for (int c = 0; c <= 13; c++) {
		struct pkt *f[3];
		f[0] = build(&(struct seg){ .seq = 0, .plen = 100 });
		f[1] = malformed(c);
		f[2] = build(&(struct seg){ .seq = 200, .plen = 100 });
		struct pkt *mid = f[1];
		size_t len = mid->len;
		uint8_t copy[HDR + 100];
		memcpy(copy, mid->data, len);
		gro_rx(&dev, f, 3);
		assert_int_equal(ngot, 3);
		check_seg(got[0], 0, 100, HDR);
		assert_ptr_equal(got[1], mid);
		assert_int_equal(got[1]->len, len);
		assert_memory_equal(got[1]->data, copy, len);
		assert_false(got[1]->csum_flags & PKT_CSUM_VERIFIED);
		check_seg(got[2], 200, 100, HDR);
		teardown(NULL);
	}
	assert_int_equal(dev.stats.rx_gro, 0);
}

/* A run of malformed frames alone, each the first of a batch too. */
static void malformed_alone(void **state)
{
	(void)state;
	for (int c = 0; c <= 13; c++) {
		struct pkt *f[2] = { malformed(c), malformed(c) };
		gro_rx(&dev, f, 2);
		assert_int_equal(ngot, 2);
		teardown(NULL);
	}
	gro_rx(&dev, NULL, 0);
	assert_int_equal(ngot, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(in_order_run_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(single_segment_goes_up_as_it_came, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_checksum_splits_and_stays_unverified, setup, teardown),
		cmocka_unit_test_setup_teardown(other_flags_never_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(psh_ends_the_run_it_joins, setup, teardown),
		cmocka_unit_test_setup_teardown(gaps_and_repeats_split, setup, teardown),
		cmocka_unit_test_setup_teardown(differing_ack_window_port_options_split, setup, teardown),
		cmocka_unit_test_setup_teardown(ip_level_exclusions, setup, teardown),
		cmocka_unit_test_setup_teardown(size_bound_holds, setup, teardown),
		cmocka_unit_test_setup_teardown(padding_is_trimmed, setup, teardown),
		cmocka_unit_test_setup_teardown(no_memory_passes_frames_through, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_frames_pass_through, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_alone, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
