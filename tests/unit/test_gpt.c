/*
 * tests/unit/test_gpt.c - the GPT parser (kernel/drivers/gpt_parse.c) on
 * disks built in memory: a valid table, each kind of corruption the kernel
 * must survive, the backup-header fallback, and the text conversions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crc32.h"
#include "gpt_parse.h"

#define DISK_SECTORS 4096 /* 2 MiB */
#define NENTRIES 128
#define ESIZE 128

static uint8_t *disk;

static const uint8_t esp_type[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
                                      0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };
static const uint8_t linux_type[16] = { 0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47,
                                        0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4 };

static uint8_t *sector(uint64_t lba) { return disk + lba * GPT_SECTOR; }

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void put_name(uint8_t *e, const char *ascii)
{
	for (int i = 0; ascii[i]; i++)
		e[56 + 2 * i] = ascii[i];
}

static void fix_header_crc(uint64_t lba)
{
	uint8_t *h = sector(lba);
	put32(h + 16, 0);
	put32(h + 16, crc32(0, h, 92));
}

static void write_header(uint64_t lba, uint64_t alt, uint64_t entries_lba)
{
	uint8_t *h = sector(lba);
	uint32_t ecrc = crc32(0, sector(entries_lba), NENTRIES * ESIZE);

	memset(h, 0, GPT_SECTOR);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, lba);
	put64(h + 32, alt);
	put64(h + 40, 34);
	put64(h + 48, DISK_SECTORS - 34);
	put64(h + 72, entries_lba);
	put32(h + 80, NENTRIES);
	put32(h + 84, ESIZE);
	put32(h + 88, ecrc);
	fix_header_crc(lba);
}

/* Two partitions: ESP at 34..1057 and a Linux one at 1058..2081, with the
 * same table at LBA 2 (primary) and at the end (backup). */
static int setup(void **state)
{
	uint8_t *e;

	(void)state;
	disk = calloc(DISK_SECTORS, GPT_SECTOR);
	e = sector(2);
	memcpy(e, esp_type, 16);
	for (int i = 0; i < 16; i++)
		e[16 + i] = 0x10 + i;
	put64(e + 32, 34);
	put64(e + 40, 1057);
	put_name(e, "EFI System");
	e += ESIZE * 2; /* entry 3: leave entry 2 unused */
	memcpy(e, linux_type, 16);
	for (int i = 0; i < 16; i++)
		e[16 + i] = 0xa0 + i;
	put64(e + 32, 1058);
	put64(e + 40, 2081);
	put_name(e, "rayos-root");
	memcpy(sector(DISK_SECTORS - 33), sector(2), 32 * GPT_SECTOR);
	write_header(1, DISK_SECTORS - 1, 2);
	write_header(DISK_SECTORS - 1, 1, DISK_SECTORS - 33);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(disk);
	return 0;
}

static void test_valid(void **state)
{
	struct gpt_header_info h;
	struct gpt_part p;
	const char *why = NULL;
	int used = 0;

	(void)state;
	assert_int_equal(gpt_check_header(sector(1), 1, DISK_SECTORS, &h, &why), 0);
	assert_int_equal(h.nentries, NENTRIES);
	assert_int_equal(h.entry_size, ESIZE);
	assert_int_equal(h.entries_lba, 2);
	assert_int_equal(gpt_entries_sectors(&h), 32);
	assert_true(gpt_check_entries(&h, sector(h.entries_lba)));

	assert_int_equal(gpt_decode_entry(&h, sector(2), 0, &p, &why), 1);
	assert_string_equal(p.type_uuid, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
	assert_string_equal(p.part_uuid, "13121110-1514-1716-1819-1a1b1c1d1e1f");
	assert_string_equal(p.label, "EFI System");
	assert_int_equal(p.first_lba, 34);
	assert_int_equal(p.last_lba, 1057);
	assert_int_equal(gpt_decode_entry(&h, sector(2), 1, &p, &why), 0);
	assert_int_equal(gpt_decode_entry(&h, sector(2), 2, &p, &why), 1);
	assert_string_equal(p.type_uuid, "0fc63daf-8483-4772-8e79-3d69d8477de4");
	assert_string_equal(p.label, "rayos-root");
	for (uint32_t i = 0; i < h.nentries; i++)
		used += gpt_decode_entry(&h, sector(2), i, &p, &why) == 1;
	assert_int_equal(used, 2);
	assert_int_equal(gpt_decode_entry(&h, sector(2), NENTRIES, &p, &why), -1);
}

static void test_bad_signature(void **state)
{
	struct gpt_header_info h;
	const char *why = NULL;

	(void)state;
	sector(1)[0] = 'X';
	fix_header_crc(1);
	assert_int_equal(gpt_check_header(sector(1), 1, DISK_SECTORS, &h, &why), -1);
	assert_string_equal(why, "bad signature");
	/* A blank disk is the same case. */
	memset(sector(1), 0, GPT_SECTOR);
	assert_int_equal(gpt_check_header(sector(1), 1, DISK_SECTORS, &h, &why), -1);
}

static void test_bad_header_crc(void **state)
{
	struct gpt_header_info h;
	const char *why = NULL;

	(void)state;
	sector(1)[48] ^= 1; /* last usable LBA, CRC not updated */
	assert_int_equal(gpt_check_header(sector(1), 1, DISK_SECTORS, &h, &why), -1);
	assert_string_equal(why, "header CRC mismatch");
}

static void test_bad_entries_crc(void **state)
{
	struct gpt_header_info h;
	const char *why = NULL;

	(void)state;
	sector(2)[56] = 'X'; /* renames partition 1 */
	assert_int_equal(gpt_check_header(sector(1), 1, DISK_SECTORS, &h, &why), 0);
	assert_false(gpt_check_entries(&h, sector(2)));
}

/* What gpt_scan() does: primary fails, so the backup at the last LBA is
 * used, and it describes the same partitions. */
static void test_backup_fallback(void **state)
{
	struct gpt_header_info h;
	struct gpt_part p;
	const char *why = NULL;

	(void)state;
	memset(sector(1), 0xff, GPT_SECTOR);
	assert_int_equal(gpt_check_header(sector(1), 1, DISK_SECTORS, &h, &why), -1);
	assert_int_equal(gpt_check_header(sector(DISK_SECTORS - 1), DISK_SECTORS - 1,
	                                  DISK_SECTORS, &h, &why), 0);
	assert_int_equal(h.entries_lba, DISK_SECTORS - 33);
	assert_int_equal(h.alternate_lba, 1);
	assert_true(gpt_check_entries(&h, sector(h.entries_lba)));
	assert_int_equal(gpt_decode_entry(&h, sector(h.entries_lba), 2, &p, &why), 1);
	assert_string_equal(p.label, "rayos-root");
	/* The backup header is rejected if read from the wrong place. */
	assert_int_equal(gpt_check_header(sector(DISK_SECTORS - 1), 1, DISK_SECTORS,
	                                  &h, &why), -1);
}

/* Change one header field, re-sign it, and expect rejection with reason. */
static void expect_rejected(unsigned off, uint64_t v, int width, const char *reason)
{
	struct gpt_header_info h;
	const char *why = NULL;

	setup(NULL);
	if (width == 4)
		put32(sector(1) + off, (uint32_t)v);
	else
		put64(sector(1) + off, v);
	fix_header_crc(1);
	assert_int_equal(gpt_check_header(sector(1), 1, DISK_SECTORS, &h, &why), -1);
	assert_string_equal(why, reason);
	teardown(NULL);
}

static void test_bad_sizes(void **state)
{
	(void)state;
	teardown(NULL); /* expect_rejected makes its own disks */
	expect_rejected(84, 64, 4, "bad partition entry size");
	expect_rejected(84, 130, 4, "bad partition entry size");
	expect_rejected(84, 1u << 20, 4, "bad partition entry size");
	expect_rejected(80, 0, 4, "bad partition entry count");
	expect_rejected(80, 1025, 4, "bad partition entry count");
	expect_rejected(80, 0xffffffff, 4, "bad partition entry count");
	expect_rejected(12, 1000, 4, "bad header size");
	expect_rejected(12, 20, 4, "bad header size");
	expect_rejected(72, DISK_SECTORS - 2, 8, "partition entries outside the disk");
	expect_rejected(72, ~0ULL, 8, "partition entries outside the disk");
	expect_rejected(72, 0, 8, "partition entries outside the disk");
	expect_rejected(48, DISK_SECTORS, 8, "usable range outside the disk");
	expect_rejected(40, DISK_SECTORS - 10, 8, "usable range outside the disk");
	expect_rejected(24, 7, 8, "header is not where it says it is");
	setup(NULL);
}

static void test_bad_entry(void **state)
{
	struct gpt_header_info h;
	struct gpt_part p;
	const char *why = NULL;

	(void)state;
	assert_int_equal(gpt_check_header(sector(1), 1, DISK_SECTORS, &h, &why), 0);
	put64(sector(2) + 32, 2000); /* first > last */
	assert_int_equal(gpt_decode_entry(&h, sector(2), 0, &p, &why), -1);
	assert_string_equal(why, "first LBA after last LBA");
	put64(sector(2) + 32, 10); /* before first usable */
	assert_int_equal(gpt_decode_entry(&h, sector(2), 0, &p, &why), -1);
	assert_string_equal(why, "outside the usable range");
}

static void test_utf16(void **state)
{
	char out[72];
	/* "é€😀" then an unpaired high surrogate, then 'x' */
	const uint8_t in[] = { 0xe9, 0x00, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde,
	                       0x00, 0xd8, 'x', 0, 0, 0, 'y', 0 };

	(void)state;
	assert_int_equal(utf16le_to_utf8(in, 8, out, sizeof(out)), 2 + 3 + 4 + 3 + 1);
	assert_string_equal(out, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbd" "x");
	/* Stops at NUL; truncation never cuts a character. */
	assert_int_equal(utf16le_to_utf8(in, 8, out, 4), 2);
	assert_string_equal(out, "\xc3\xa9");
	assert_int_equal(utf16le_to_utf8(in, 8, out, 1), 0);
	assert_string_equal(out, "");
}

static void test_guid_text(void **state)
{
	char out[37];

	(void)state;
	gpt_guid_to_text(esp_type, out);
	assert_string_equal(out, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
	assert_int_equal(strlen(out), 36);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_signature, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_header_crc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_entries_crc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_entry, setup, teardown),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_guid_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
