/*
 * kernel/drivers/gpt_parse.c - validation and decoding of GPT structures
 * (UEFI 2.x, chapter 5.3), without I/O. See gpt_parse.h.
 *
 * Everything read from the disk is untrusted: every field is range-checked
 * before it is used as a size or an offset, and multiplications are done in
 * 64 bits on values already bounded, so nothing here can overflow or read
 * outside the buffers it was given.
 */
#include "gpt_parse.h"
#include "crc32.h"
#include "lib.h"

/* Header field offsets (all little-endian). */
#define H_SIGNATURE     0
#define H_REVISION      8
#define H_HEADER_SIZE   12
#define H_HEADER_CRC    16
#define H_MY_LBA        24
#define H_ALTERNATE_LBA 32
#define H_FIRST_USABLE  40
#define H_LAST_USABLE   48
#define H_DISK_GUID     56
#define H_ENTRIES_LBA   72
#define H_NENTRIES      80
#define H_ENTRY_SIZE    84
#define H_ENTRIES_CRC   88
#define H_MIN_SIZE      92

/* Entry field offsets. */
#define E_TYPE_GUID 0
#define E_PART_GUID 16
#define E_FIRST_LBA 32
#define E_LAST_LBA  40
#define E_ATTRS     48
#define E_NAME      56
#define E_NAME_UNITS 36

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

int gpt_check_header(const void *sector, uint64_t lba, uint64_t disk_sectors,
                     struct gpt_header_info *out, const char **why)
{
	const uint8_t *h = sector;
	uint8_t copy[GPT_SECTOR];
	uint32_t hsize, crc;

	if (memcmp(h + H_SIGNATURE, "EFI PART", 8) != 0) {
		*why = "bad signature";
		return -1;
	}
	hsize = get32(h + H_HEADER_SIZE);
	if (hsize < H_MIN_SIZE || hsize > GPT_SECTOR) {
		*why = "bad header size";
		return -1;
	}
	/* The CRC covers the header with its own CRC field zeroed. */
	memcpy(copy, h, hsize);
	memset(copy + H_HEADER_CRC, 0, 4);
	crc = crc32(0, copy, hsize);
	if (crc != get32(h + H_HEADER_CRC)) {
		*why = "header CRC mismatch";
		return -1;
	}

	out->my_lba = get64(h + H_MY_LBA);
	out->alternate_lba = get64(h + H_ALTERNATE_LBA);
	out->first_usable = get64(h + H_FIRST_USABLE);
	out->last_usable = get64(h + H_LAST_USABLE);
	out->entries_lba = get64(h + H_ENTRIES_LBA);
	out->nentries = get32(h + H_NENTRIES);
	out->entry_size = get32(h + H_ENTRY_SIZE);
	out->entries_crc = get32(h + H_ENTRIES_CRC);

	if (out->my_lba != lba) {
		*why = "header is not where it says it is";
		return -1;
	}
	/* The spec requires 128 * 2^n; we accept any multiple of 8 >= 128,
	 * bounded so that entry_size * nentries stays small. */
	if (out->entry_size < GPT_MIN_ENTRY_SIZE || out->entry_size % 8 ||
	    out->entry_size > 4096) {
		*why = "bad partition entry size";
		return -1;
	}
	if (out->nentries == 0 || out->nentries > GPT_MAX_ENTRIES) {
		*why = "bad partition entry count";
		return -1;
	}
	if (out->first_usable > out->last_usable ||
	    out->last_usable >= disk_sectors) {
		*why = "usable range outside the disk";
		return -1;
	}
	if (out->entries_lba < 2 || out->entries_lba >= disk_sectors ||
	    gpt_entries_sectors(out) > disk_sectors - out->entries_lba) {
		*why = "partition entries outside the disk";
		return -1;
	}
	return 0;
}

size_t gpt_entries_bytes(const struct gpt_header_info *h)
{
	return (size_t)h->nentries * h->entry_size;
}

uint64_t gpt_entries_sectors(const struct gpt_header_info *h)
{
	return (gpt_entries_bytes(h) + GPT_SECTOR - 1) / GPT_SECTOR;
}

bool gpt_check_entries(const struct gpt_header_info *h, const void *entries)
{
	return crc32(0, entries, gpt_entries_bytes(h)) == h->entries_crc;
}

int gpt_decode_entry(const struct gpt_header_info *h, const void *entries,
                     uint32_t i, struct gpt_part *out, const char **why)
{
	const uint8_t *e = (const uint8_t *)entries + (size_t)i * h->entry_size;
	static const uint8_t zero[16];

	if (i >= h->nentries) {
		*why = "no such entry";
		return -1;
	}
	if (memcmp(e + E_TYPE_GUID, zero, 16) == 0)
		return 0;
	out->first_lba = get64(e + E_FIRST_LBA);
	out->last_lba = get64(e + E_LAST_LBA);
	out->attributes = get64(e + E_ATTRS);
	gpt_guid_to_text(e + E_TYPE_GUID, out->type_uuid);
	gpt_guid_to_text(e + E_PART_GUID, out->part_uuid);
	utf16le_to_utf8(e + E_NAME, E_NAME_UNITS, out->label, sizeof(out->label));
	if (out->first_lba > out->last_lba) {
		*why = "first LBA after last LBA";
		return -1;
	}
	if (out->first_lba < h->first_usable || out->last_lba > h->last_usable) {
		*why = "outside the usable range";
		return -1;
	}
	return 1;
}

void gpt_guid_to_text(const uint8_t g[16], char out[37])
{
	/* Byte order of the text form: the first three fields are stored
	 * little-endian, the last two as plain byte strings. */
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
	                                   8, 9, 10, 11, 12, 13, 14, 15 };
	static const char hex[] = "0123456789abcdef";
	char *p = out;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[g[order[i]] >> 4];
		*p++ = hex[g[order[i]] & 15];
	}
	*p = '\0';
}

/* Append code point cp as UTF-8 if it fits with room for the NUL. */
static bool put_utf8(char *out, size_t size, size_t *len, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = 0xc0 | cp >> 6;
		b[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = 0xe0 | cp >> 12;
		b[1] = 0x80 | (cp >> 6 & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		b[0] = 0xf0 | cp >> 18;
		b[1] = 0x80 | (cp >> 12 & 0x3f);
		b[2] = 0x80 | (cp >> 6 & 0x3f);
		b[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	if (*len + n + 1 > size)
		return false;
	memcpy(out + *len, b, n);
	*len += n;
	return true;
}

size_t utf16le_to_utf8(const uint8_t *in, size_t units, char *out, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return 0;
	for (size_t i = 0; i < units; i++) {
		uint32_t cp = in[2 * i] | in[2 * i + 1] << 8;

		if (cp == 0)
			break;
		if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < units) {
			uint32_t lo = in[2 * i + 2] | in[2 * i + 3] << 8;
			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				cp = 0xfffd;
			}
		} else if (cp >= 0xd800 && cp < 0xe000) {
			cp = 0xfffd;
		}
		if (!put_utf8(out, size, &len, cp))
			break;
	}
	out[len] = '\0';
	return len;
}
