/*
 * kernel/drivers/gpt_parse.h - the pure part of GPT handling: validate a
 * header sector and an entry array, decode entries into text. No I/O and no
 * kernel services (only lib.h and crc32), so tests/unit/test_gpt.c feeds it
 * hand-made buffers on the host. kernel/drivers/gpt.c does the reading and
 * registering.
 */
#ifndef KERNEL_DRIVERS_GPT_PARSE_H
#define KERNEL_DRIVERS_GPT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GPT_SECTOR 512
#define GPT_MAX_ENTRIES 1024
#define GPT_MIN_ENTRY_SIZE 128

/* What we keep of a header once it has been validated. */
struct gpt_header_info {
	uint64_t my_lba, alternate_lba;
	uint64_t first_usable, last_usable;
	uint64_t entries_lba;
	uint32_t nentries, entry_size;
	uint32_t entries_crc;
};

/* One decoded partition entry. */
struct gpt_part {
	uint64_t first_lba, last_lba; /* inclusive */
	uint64_t attributes;
	char type_uuid[37];
	char part_uuid[37];
	char label[72];               /* UTF-8, NUL-terminated */
};

/*
 * Check the header in sector (GPT_SECTOR bytes) read from lba of a disk of
 * disk_sectors sectors: signature, header CRC, that it says it lives at lba,
 * sane entry size/count, entry array and usable range inside the disk.
 * Returns 0 and fills *out, or -1 with *why set to a short reason.
 */
int gpt_check_header(const void *sector, uint64_t lba, uint64_t disk_sectors,
                     struct gpt_header_info *out, const char **why);

/* Bytes of the entry array (nentries * entry_size) and how many sectors that
 * occupies. */
size_t gpt_entries_bytes(const struct gpt_header_info *h);
uint64_t gpt_entries_sectors(const struct gpt_header_info *h);

/* Check the CRC of the entry array (at least gpt_entries_bytes() bytes). */
bool gpt_check_entries(const struct gpt_header_info *h, const void *entries);

/*
 * Decode entry i of the array. Returns 1 for a used entry (fills *out),
 * 0 for an unused one (type GUID all zero), -1 for a used entry that is
 * invalid (first > last or outside the usable range; *why says which).
 */
int gpt_decode_entry(const struct gpt_header_info *h, const void *entries,
                     uint32_t i, struct gpt_part *out, const char **why);

/* GUID in the on-disk mixed-endian layout -> "xxxxxxxx-xxxx-...", lower case,
 * 36 characters plus NUL. */
void gpt_guid_to_text(const uint8_t guid[16], char out[37]);

/* Convert at most units UTF-16LE code units (stopping at a NUL) to UTF-8 in
 * out (size bytes, always NUL-terminated, never a cut character). Unpaired
 * surrogates become U+FFFD. Returns the length written. */
size_t utf16le_to_utf8(const uint8_t *in, size_t units, char *out, size_t size);

#endif
