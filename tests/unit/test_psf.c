/*
 * tests/unit/test_psf.c - PSF1/PSF2 parsing and Unicode mapping
 * (kernel/drivers/psf.c) on fonts built in memory, including truncated and
 * inconsistent ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "psf.h"

static uint8_t buf[65536];

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

/* PSF1, 256 glyphs of 8x16, glyph i filled with byte i; with a Unicode
 * table mapping glyph 1 to U+2592 and U+00E9, glyph 'A' to 'A' and a
 * sequence, glyph '?' to '?'. Returns the size. */
static size_t make_psf1(bool table)
{
	uint8_t *p = buf;
	size_t n;

	p[0] = 0x36;
	p[1] = 0x04;
	p[2] = table ? 0x02 : 0x00;
	p[3] = 16;
	for (int g = 0; g < 256; g++)
		memset(p + 4 + g * 16, g, 16);
	n = 4 + 256 * 16;
	if (!table)
		return n;
	for (int g = 0; g < 256; g++) {
		uint16_t vals[6];
		int k = 0;
		if (g == 1) {
			vals[k++] = 0x2592;
			vals[k++] = 0x00e9;
		} else if (g == 'A') {
			vals[k++] = 'A';
			vals[k++] = 0xfffe; /* sequence: not a single character */
			vals[k++] = 'B';
		} else if (g == '?') {
			vals[k++] = '?';
		}
		vals[k++] = 0xffff;
		for (int i = 0; i < k; i++) {
			buf[n++] = vals[i] & 0xff;
			buf[n++] = vals[i] >> 8;
		}
	}
	return n;
}

/* PSF2, 10 glyphs of 12x20 (2 bytes per row), header size 32. */
static size_t make_psf2(bool table)
{
	uint8_t *p = buf;
	size_t n;

	put32(p, 0x864ab572);
	put32(p + 4, 0);
	put32(p + 8, 32);
	put32(p + 12, table ? 1 : 0);
	put32(p + 16, 10);
	put32(p + 20, 40);
	put32(p + 24, 20);
	put32(p + 28, 12);
	for (int g = 0; g < 10; g++)
		memset(p + 32 + g * 40, 0x10 + g, 40);
	n = 32 + 10 * 40;
	if (!table)
		return n;
	for (int g = 0; g < 10; g++) {
		if (g == 3) { /* U+2500 box drawing, then 'x' */
			buf[n++] = 0xe2; buf[n++] = 0x94; buf[n++] = 0x80;
			buf[n++] = 'x';
		}
		if (g == 4) /* '?' */
			buf[n++] = '?';
		if (g == 5) { /* a sequence only */
			buf[n++] = 0xfe; buf[n++] = 'e'; buf[n++] = 0xcc; buf[n++] = 0x81;
		}
		buf[n++] = 0xff;
	}
	return n;
}

static void test_psf1(void **state)
{
	struct psf_font f;
	const char *why = NULL;
	static uint16_t map[PSF_MAP_MAX];
	size_t n = make_psf1(true);

	(void)state;
	assert_int_equal(psf_parse(buf, n, &f, &why), 0);
	assert_int_equal(f.version, 1);
	assert_int_equal(f.nglyphs, 256);
	assert_int_equal(f.width, 8);
	assert_int_equal(f.height, 16);
	assert_int_equal(f.bytes_per_glyph, 16);
	assert_non_null(f.utab);
	assert_int_equal(psf_glyph(&f, 'Z')[0], 'Z');
	assert_int_equal(psf_glyph(&f, 9999)[0], 0); /* out of range: glyph 0 */

	psf_unicode_map(&f, map, PSF_MAP_MAX);
	assert_int_equal(map[0x2592], 1);
	assert_int_equal(map[0xe9], 1);
	assert_int_equal(map['A'], 'A');
	assert_int_equal(map['B'], '?'); /* only in a sequence: unmapped */
	assert_int_equal(map['z'], '?');
}

static void test_psf1_no_table(void **state)
{
	struct psf_font f;
	const char *why = NULL;
	static uint16_t map[512];
	size_t n = make_psf1(false);

	(void)state;
	assert_int_equal(psf_parse(buf, n, &f, &why), 0);
	assert_null(f.utab);
	psf_unicode_map(&f, map, 512);
	assert_int_equal(map['a'], 'a');
	assert_int_equal(map[255], 255);
	assert_int_equal(map[300], '?');
}

static void test_psf2(void **state)
{
	struct psf_font f;
	const char *why = NULL;
	static uint16_t map[PSF_MAP_MAX];
	size_t n = make_psf2(true);

	(void)state;
	assert_int_equal(psf_parse(buf, n, &f, &why), 0);
	assert_int_equal(f.version, 2);
	assert_int_equal(f.nglyphs, 10);
	assert_int_equal(f.width, 12);
	assert_int_equal(f.height, 20);
	assert_int_equal(f.bytes_per_row, 2);
	assert_int_equal(psf_glyph(&f, 7)[39], 0x17);
	psf_unicode_map(&f, map, PSF_MAP_MAX);
	assert_int_equal(map[0x2500], 3);
	assert_int_equal(map['x'], 3);
	assert_int_equal(map['e'], 4); /* sequence only -> '?' glyph */
	assert_int_equal(map[0], 4);
}

static void test_bad_fonts(void **state)
{
	struct psf_font f;
	const char *why = NULL;
	size_t n;

	(void)state;
	memset(buf, 0, 64);
	assert_int_equal(psf_parse(buf, 64, &f, &why), -1);
	assert_string_equal(why, "not a PSF1 or PSF2 font");
	assert_int_equal(psf_parse(buf, 0, &f, &why), -1);

	n = make_psf1(false);
	assert_int_equal(psf_parse(buf, n - 1, &f, &why), -1);
	assert_string_equal(why, "glyphs extend past the end of the font");
	assert_int_equal(psf_parse(buf, 3, &f, &why), -1);
	buf[3] = 0; /* zero height */
	assert_int_equal(psf_parse(buf, n, &f, &why), -1);
	assert_string_equal(why, "bad glyph dimensions");

	n = make_psf2(false);
	assert_int_equal(psf_parse(buf, n - 1, &f, &why), -1);
	put32(buf + 8, 100000); /* header size past the end */
	assert_int_equal(psf_parse(buf, n, &f, &why), -1);
	assert_string_equal(why, "bad PSF2 header size");
	n = make_psf2(false);
	put32(buf + 20, 41); /* charsize inconsistent with 12x20 */
	assert_int_equal(psf_parse(buf, n, &f, &why), -1);
	assert_string_equal(why, "glyph size does not match dimensions");
	n = make_psf2(false);
	put32(buf + 16, 0xffffffff); /* huge glyph count */
	assert_int_equal(psf_parse(buf, n, &f, &why), -1);
	n = make_psf2(false);
	put32(buf + 28, 1000); /* absurd width */
	assert_int_equal(psf_parse(buf, n, &f, &why), -1);
	assert_int_equal(psf_parse(buf, 31, &f, &why), -1);
}

/* A truncated Unicode table must not be read past its end. */
static void test_truncated_table(void **state)
{
	struct psf_font f;
	const char *why = NULL;
	static uint16_t map[PSF_MAP_MAX];
	size_t n = make_psf2(true);
	uint8_t *copy;

	(void)state;
	for (size_t cut = 32 + 400; cut < n; cut++) {
		copy = malloc(cut); /* exact size: ASan catches overreads */
		memcpy(copy, buf, cut);
		assert_int_equal(psf_parse(copy, cut, &f, &why), 0);
		psf_unicode_map(&f, map, PSF_MAP_MAX);
		free(copy);
	}
	n = make_psf1(true);
	for (size_t cut = 4 + 4096; cut < n; cut += 3) {
		copy = malloc(cut);
		memcpy(copy, buf, cut);
		assert_int_equal(psf_parse(copy, cut, &f, &why), 0);
		psf_unicode_map(&f, map, PSF_MAP_MAX);
		free(copy);
	}
}

/* Real console fonts, when the machine has them (Debian's console-setup
 * and kbd packages): PSF1 with 512 glyphs and a Unicode table, and PSF2. */
static void test_real_fonts(void **state)
{
	static const char *const fonts[] = {
		"/usr/share/consolefonts/default8x16.psf.gz",
		"/usr/share/consolefonts/Uni2-VGA16.psf.gz",
		"/usr/share/consolefonts/Uni3-TerminusBold32x16.psf.gz",
	};
	static uint16_t map[PSF_MAP_MAX];
	int tested = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(fonts) / sizeof(fonts[0]); i++) {
		char cmd[256];
		struct psf_font f;
		const char *why = NULL;
		FILE *p;
		size_t n;

		snprintf(cmd, sizeof(cmd), "gzip -dc %s 2>/dev/null", fonts[i]);
		p = popen(cmd, "r");
		if (!p)
			continue;
		n = fread(buf, 1, sizeof(buf), p);
		pclose(p);
		if (n == 0)
			continue;
		assert_int_equal(psf_parse(buf, n, &f, &why), 0);
		psf_unicode_map(&f, map, PSF_MAP_MAX);
		/* 'A' has a glyph of its own, with some pixels set. */
		assert_int_not_equal(map['A'], map[0x1]);
		const uint8_t *g = psf_glyph(&f, map['A']);
		int bits = 0;
		for (uint32_t k = 0; k < f.bytes_per_glyph; k++)
			bits += g[k] != 0;
		assert_true(bits > 0);
		tested++;
	}
	if (!tested)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psf1),
		cmocka_unit_test(test_psf1_no_table),
		cmocka_unit_test(test_psf2),
		cmocka_unit_test(test_bad_fonts),
		cmocka_unit_test(test_truncated_table),
		cmocka_unit_test(test_real_fonts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
