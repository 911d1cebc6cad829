/*
 * kernel/lib/crc32.c - CRC-32 (IEEE 802.3, as used by UEFI's GPT).
 *
 * A nibble-wide table (16 entries) instead of the usual 256-entry one: the
 * GPT is checked a handful of times per boot, so speed does not matter and
 * a table small enough to read and verify by eye does. No dependencies, so
 * the host unit tests build it unchanged.
 */
#include "crc32.h"

/* crc_table[i] = CRC remainder of the 4-bit value i, reflected. */
static const uint32_t crc_table[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc_table[crc & 15];
		crc = (crc >> 4) ^ crc_table[crc & 15];
	}
	return ~crc;
}
