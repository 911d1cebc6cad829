/*
 * tests/unit/test_cpio.c - the cpio newc reader (kernel/fs/cpio.c) on
 * archives built here: a valid one, then one defect at a time, each of
 * which must be reported (with an offset) and never read out of bounds
 * (the tests run under AddressSanitizer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpio.h"

struct buf {
	uint8_t *p;
	size_t len;
};

static void put(struct buf *b, const void *d, size_t n)
{
	b->p = realloc(b->p, b->len + n);
	assert_non_null(b->p);
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void pad4(struct buf *b)
{
	static const uint8_t z[4];
	put(b, z, (4 - b->len % 4) % 4);
}

static void entry(struct buf *b, const char *magic, const char *name,
                  unsigned mode, const void *data, size_t size, unsigned check)
{
	char h[CPIO_HEADER_SIZE + 64];
	unsigned namesize = (unsigned)strlen(name) + 1;
	snprintf(h, sizeof(h),
	         "%.6s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
	         magic, 7u, mode, 1000u, 100u, 1u, 1700000000u, (unsigned)size,
	         0u, 0u, 1u, 3u, namesize, check);
	assert_int_equal(strlen(h), CPIO_HEADER_SIZE);
	put(b, h, CPIO_HEADER_SIZE);
	put(b, name, namesize);
	pad4(b);
	put(b, data, size);
	pad4(b);
}

static void trailer(struct buf *b)
{
	entry(b, "070701", "TRAILER!!!", 0, "", 0, 0);
}

/* Read to the end; return cpio_next's last result. */
static int read_all(struct buf *b, struct cpio_reader *r, int *entries)
{
	struct cpio_entry e;
	int rc;
	*entries = 0;
	cpio_init(r, b->p, b->len);
	while ((rc = cpio_next(r, &e)) == 1)
		(*entries)++;
	return rc;
}

/* Copy into an exactly sized allocation so ASan catches any overread. */
static struct buf exact(struct buf *b, size_t len)
{
	struct buf c = { malloc(len ? len : 1), len };
	memcpy(c.p, b->p, len);
	return c;
}

static void test_valid(void **state)
{
	(void)state;
	struct buf b = { 0 };
	entry(&b, "070701", ".", 040755, "", 0, 0);
	entry(&b, "070701", "etc", 040755, "", 0, 0);
	entry(&b, "070701", "etc/motd", 0100644, "hello\n", 6, 0);
	entry(&b, "070701", "bin/sh", 0120777, "busybox", 7, 0);
	entry(&b, "070701", "dev/null", 020666, "", 0, 0);
	trailer(&b);
	struct buf x = exact(&b, b.len);

	struct cpio_reader r;
	struct cpio_entry e;
	cpio_init(&r, x.p, x.len);
	assert_int_equal(cpio_next(&r, &e), 1);
	assert_string_equal(e.name, ".");
	assert_int_equal(cpio_next(&r, &e), 1);
	assert_string_equal(e.name, "etc");
	assert_int_equal(e.mode, 040755);
	assert_int_equal(cpio_next(&r, &e), 1);
	assert_string_equal(e.name, "etc/motd");
	assert_int_equal(e.namelen, 8);
	assert_int_equal(e.size, 6);
	assert_memory_equal(e.data, "hello\n", 6);
	assert_int_equal(e.uid, 1000);
	assert_int_equal(e.gid, 100);
	assert_int_equal(e.mtime, 1700000000u);
	assert_int_equal(cpio_next(&r, &e), 1);
	assert_int_equal(e.mode, 0120777);
	assert_memory_equal(e.data, "busybox", 7);
	assert_int_equal(cpio_next(&r, &e), 1);
	assert_int_equal(e.rdevmajor, 1);
	assert_int_equal(e.rdevminor, 3);
	assert_int_equal(cpio_next(&r, &e), 0); /* trailer */
	free(x.p);
	free(b.p);
}

static void test_crc_format(void **state)
{
	(void)state;
	struct buf b = { 0 };
	entry(&b, "070702", "a", 0100644, "abc", 3, 'a' + 'b' + 'c');
	trailer(&b);
	int n;
	struct cpio_reader r;
	assert_int_equal(read_all(&b, &r, &n), 0);
	assert_int_equal(n, 1);
	free(b.p);

	struct buf c = { 0 };
	entry(&c, "070702", "a", 0100644, "abc", 3, 1);
	trailer(&c);
	assert_int_equal(read_all(&c, &r, &n), -1);
	assert_string_equal(r.error, "checksum mismatch");
	free(c.p);
}

static void test_truncated_header(void **state)
{
	(void)state;
	struct buf b = { 0 };
	entry(&b, "070701", "a", 0100644, "abcd", 4, 0);
	size_t first = b.len;
	trailer(&b);
	/* Cut the trailer's header in the middle. */
	struct buf x = exact(&b, first + 50);
	struct cpio_reader r;
	int n;
	assert_int_equal(read_all(&x, &r, &n), -1);
	assert_int_equal(n, 1);
	assert_string_equal(r.error, "truncated header");
	assert_int_equal(r.error_off, first);
	free(x.p);
	free(b.p);
}

static void test_bad_magic(void **state)
{
	(void)state;
	struct buf b = { 0 };
	entry(&b, "070707", "a", 0100644, "", 0, 0); /* old portable ASCII */
	trailer(&b);
	struct cpio_reader r;
	int n;
	assert_int_equal(read_all(&b, &r, &n), -1);
	assert_int_equal(r.error_off, 0);
	assert_non_null(strstr(r.error, "magic"));
	free(b.p);
}

static void test_bad_hex(void **state)
{
	(void)state;
	struct buf b = { 0 };
	entry(&b, "070701", "a", 0100644, "", 0, 0);
	trailer(&b);
	b.p[6 + 8 * 6 + 3] = 'g'; /* inside filesize */
	struct cpio_reader r;
	int n;
	assert_int_equal(read_all(&b, &r, &n), -1);
	assert_int_equal(r.error_off, 6 + 8 * 6);
	free(b.p);
}

static void test_name_overflow(void **state)
{
	(void)state;
	struct buf b = { 0 };
	entry(&b, "070701", "abc", 0100644, "", 0, 0);
	/* namesize field (index 11) claims far more than the archive has */
	memcpy(b.p + 6 + 8 * 11, "00000FFF", 8);
	struct buf x = exact(&b, b.len);
	struct cpio_reader r;
	int n;
	assert_int_equal(read_all(&x, &r, &n), -1);
	assert_string_equal(r.error, "name runs past the end of the archive");
	free(x.p);

	/* above PATH_MAX */
	memcpy(b.p + 6 + 8 * 11, "00002000", 8);
	assert_int_equal(read_all(&b, &r, &n), -1);
	assert_string_equal(r.error, "bad name size");
	/* zero */
	memcpy(b.p + 6 + 8 * 11, "00000000", 8);
	assert_int_equal(read_all(&b, &r, &n), -1);
	assert_string_equal(r.error, "bad name size");
	/* not NUL-terminated: namesize one short */
	memcpy(b.p + 6 + 8 * 11, "00000003", 8);
	assert_int_equal(read_all(&b, &r, &n), -1);
	assert_string_equal(r.error, "name not NUL-terminated");
	free(b.p);
}

static void test_data_past_end(void **state)
{
	(void)state;
	struct buf b = { 0 };
	entry(&b, "070701", "big", 0100644, "0123456789", 10, 0);
	struct buf x = exact(&b, b.len - 8); /* lose part of the data */
	struct cpio_reader r;
	int n;
	assert_int_equal(read_all(&x, &r, &n), -1);
	assert_string_equal(r.error, "file data runs past the end of the archive");
	assert_int_equal(r.error_off, 0);
	free(x.p);

	/* a huge filesize must not wrap around */
	memcpy(b.p + 6 + 8 * 6, "FFFFFFFF", 8);
	assert_int_equal(read_all(&b, &r, &n), -1);
	assert_string_equal(r.error, "file data runs past the end of the archive");
	free(b.p);
}

static void test_missing_trailer(void **state)
{
	(void)state;
	struct buf b = { 0 };
	entry(&b, "070701", "a", 0100644, "xy", 2, 0);
	entry(&b, "070701", "b", 0100644, "", 0, 0);
	struct cpio_reader r;
	int n;
	assert_int_equal(read_all(&b, &r, &n), -1);
	assert_int_equal(n, 2);
	assert_string_equal(r.error, "missing TRAILER!!! entry");
	assert_int_equal(r.error_off, b.len);
	free(b.p);

	/* empty archive */
	struct cpio_reader r2;
	struct cpio_entry e;
	cpio_init(&r2, "", 0);
	assert_int_equal(cpio_next(&r2, &e), -1);
}

static void test_trailer_without_padding(void **state)
{
	(void)state;
	struct buf b = { 0 };
	entry(&b, "070701", "a", 0100644, "x", 1, 0);
	trailer(&b);
	/* "TRAILER!!!" + NUL = 11 bytes: header+name = 121, padded to 124;
	 * archives cut right after the name still end cleanly. */
	struct buf x = exact(&b, b.len - 3);
	struct cpio_reader r;
	int n;
	assert_int_equal(read_all(&x, &r, &n), 0);
	assert_int_equal(n, 1);
	free(x.p);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_crc_format),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_hex),
		cmocka_unit_test(test_name_overflow),
		cmocka_unit_test(test_data_past_end),
		cmocka_unit_test(test_missing_trailer),
		cmocka_unit_test(test_trailer_without_padding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
