/*
 * kernel/include/crc32.h - the CRC-32 of IEEE 802.3 / zlib / UEFI
 * (reflected polynomial 0xEDB88320, initial value and final xor ~0).
 * Used by the GPT code to check its header and entry array.
 */
#ifndef KERNEL_CRC32_H
#define KERNEL_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* crc32(0, buf, len) is the CRC of buf; pass a previous result as crc to
 * continue over several buffers. */
uint32_t crc32(uint32_t crc, const void *buf, size_t len);

#endif
