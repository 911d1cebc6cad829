/*
 * kernel/drivers/psf.c - PSF1/PSF2 console fonts (the format of the Linux
 * console fonts in kbd; see kbd's doc/font-formats).
 *
 *   PSF1: magic 36 04, mode, charsize (= height; width is always 8).
 *         mode bit 0: 512 glyphs instead of 256; bits 1-2: Unicode table.
 *         Table: per glyph, UCS-2 values ending in FFFF (FFFE starts
 *         multi-character sequences, which we skip).
 *   PSF2: 32-byte header (magic 72 b5 4a 86, version, headersize, flags,
 *         length, charsize, height, width). flags bit 0: Unicode table.
 *         Table: per glyph, UTF-8 strings ending in FF (FE starts
 *         sequences).
 *
 * The font is built into the kernel, but it is still parsed as untrusted
 * input: every size is checked against the buffer.
 */
#include "psf.h"
#include "lib.h"

#define PSF1_MODE512    0x01
#define PSF1_MODEHASTAB 0x02
#define PSF1_MODESEQ    0x04
#define PSF2_HAS_UNICODE_TABLE 0x01

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int psf_parse(const void *data, size_t size, struct psf_font *f,
              const char **why)
{
	const uint8_t *p = data;
	size_t hdr;

	memset(f, 0, sizeof(*f));
	if (size >= 4 && p[0] == 0x36 && p[1] == 0x04) {
		f->version = 1;
		f->nglyphs = p[2] & PSF1_MODE512 ? 512 : 256;
		f->width = 8;
		f->height = p[3];
		f->bytes_per_row = 1;
		f->bytes_per_glyph = p[3];
		hdr = 4;
		if (p[2] & (PSF1_MODEHASTAB | PSF1_MODESEQ))
			f->utab = p; /* fixed up below */
	} else if (size >= 32 && get32(p) == 0x864ab572) {
		uint32_t flags = get32(p + 12);

		f->version = 2;
		hdr = get32(p + 8);
		f->nglyphs = get32(p + 16);
		f->bytes_per_glyph = get32(p + 20);
		f->height = get32(p + 24);
		f->width = get32(p + 28);
		f->bytes_per_row = (f->width + 7) / 8;
		if (hdr < 32 || hdr > size) {
			*why = "bad PSF2 header size";
			return -1;
		}
		if (flags & PSF2_HAS_UNICODE_TABLE)
			f->utab = p;
	} else {
		*why = "not a PSF1 or PSF2 font";
		return -1;
	}

	if (f->width == 0 || f->height == 0 || f->width > PSF_MAX_DIM ||
	    f->height > PSF_MAX_DIM) {
		*why = "bad glyph dimensions";
		return -1;
	}
	if (f->bytes_per_glyph != f->bytes_per_row * f->height) {
		*why = "glyph size does not match dimensions";
		return -1;
	}
	if (f->nglyphs == 0 || f->nglyphs > 65536) {
		*why = "bad glyph count";
		return -1;
	}
	/* Both factors are bounded, so the product cannot overflow. */
	if ((uint64_t)f->nglyphs * f->bytes_per_glyph > size - hdr) {
		*why = "glyphs extend past the end of the font";
		return -1;
	}
	f->glyphs = p + hdr;
	if (f->utab) {
		size_t used = hdr + (size_t)f->nglyphs * f->bytes_per_glyph;
		f->utab = p + used;
		f->utab_len = size - used;
	}
	return 0;
}

const uint8_t *psf_glyph(const struct psf_font *f, uint32_t index)
{
	if (index >= f->nglyphs)
		index = 0;
	return f->glyphs + (size_t)index * f->bytes_per_glyph;
}

static void set_map(uint16_t *map, uint32_t n, uint32_t cp, uint32_t glyph,
                    uint8_t *seen)
{
	if (cp < n && !(seen[cp / 8] & (1u << (cp % 8)))) {
		seen[cp / 8] |= 1u << (cp % 8);
		map[cp] = glyph;
	}
}

/* Decode one UTF-8 character at *pp (< end); returns the code point or
 * 0xfffd and advances past it. */
static uint32_t utf8_next(const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	uint32_t cp = *p++;
	int more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;

	if (more)
		cp &= 0x3f >> more;
	else if (cp >= 0x80)
		cp = 0xfffd;
	while (more-- && p < end && (*p & 0xc0) == 0x80)
		cp = cp << 6 | (*p++ & 0x3f);
	*pp = p;
	return cp;
}

/* Walk the Unicode table, recording single characters (sequences are
 * skipped up to the glyph's terminator). */
static void map_table(const struct psf_font *f, uint16_t *map, uint32_t n,
                      uint8_t *seen)
{
	const uint8_t *p = f->utab, *end = f->utab + f->utab_len;

	for (uint32_t g = 0; g < f->nglyphs && p < end; g++) {
		bool in_seq = false;

		if (f->version == 1) {
			while (p + 2 <= end) {
				uint32_t u = p[0] | p[1] << 8;
				p += 2;
				if (u == 0xffff)
					break;
				if (u == 0xfffe)
					in_seq = true;
				else if (!in_seq)
					set_map(map, n, u, g, seen);
			}
		} else {
			while (p < end) {
				if (*p == 0xff) {
					p++;
					break;
				}
				if (*p == 0xfe) {
					in_seq = true;
					p++;
					continue;
				}
				uint32_t u = utf8_next(&p, end);
				if (!in_seq)
					set_map(map, n, u, g, seen);
			}
		}
	}
}

void psf_unicode_map(const struct psf_font *f, uint16_t *map, uint32_t n)
{
	uint8_t seen[PSF_MAP_MAX / 8];
	uint16_t fallback;

	if (n > PSF_MAP_MAX)
		n = PSF_MAP_MAX;
	memset(seen, 0, sizeof(seen));
	if (f->utab)
		map_table(f, map, n, seen);
	else
		for (uint32_t cp = 0; cp < n && cp < f->nglyphs; cp++)
			set_map(map, n, cp, cp, seen);
	fallback = '?' < n && (seen['?' / 8] & (1u << ('?' % 8))) ? map['?'] : 0;
	for (uint32_t cp = 0; cp < n; cp++)
		if (!(seen[cp / 8] & (1u << (cp % 8))))
			map[cp] = fallback;
}
