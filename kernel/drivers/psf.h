/*
 * kernel/drivers/psf.h - PC Screen Font (PSF1 and PSF2) parsing for the
 * framebuffer console. Pure functions over a byte buffer, no kernel
 * services, so tests/unit/test_psf.c runs them on the host.
 */
#ifndef KERNEL_DRIVERS_PSF_H
#define KERNEL_DRIVERS_PSF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PSF_MAX_DIM 64 /* widest/tallest glyph we accept */
/* psf_unicode_map() covers at most the code points below this (Latin,
 * Greek, Cyrillic, box drawing and block elements). */
#define PSF_MAP_MAX 0x2600

struct psf_font {
	int version;             /* 1 or 2 */
	uint32_t nglyphs;
	uint32_t width, height;  /* pixels */
	uint32_t bytes_per_row;  /* (width + 7) / 8 */
	uint32_t bytes_per_glyph;
	const uint8_t *glyphs;   /* nglyphs * bytes_per_glyph */
	const uint8_t *utab;     /* Unicode table, NULL if none */
	size_t utab_len;
};

/* Parse a font image of size bytes. Returns 0, or -1 with *why set. */
int psf_parse(const void *data, size_t size, struct psf_font *f,
              const char **why);

/* Bitmap of glyph index (rows of bytes_per_row bytes, MSB = leftmost),
 * or glyph 0 if index is out of range. */
const uint8_t *psf_glyph(const struct psf_font *f, uint32_t index);

/* Fill map[cp] for code points cp < n with a glyph index: from the font's
 * Unicode table when it has one (first glyph listing cp wins), else the
 * identity for cp < nglyphs. Unmapped code points get the glyph of '?'.
 * n is clamped to PSF_MAP_MAX. */
void psf_unicode_map(const struct psf_font *f, uint16_t *map, uint32_t n);

#endif
