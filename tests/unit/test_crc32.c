/* tests/unit/test_crc32.c - CRC-32 against known check values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "crc32.h"

static void test_check_value(void **state)
{
	(void)state;
	/* The standard check value of CRC-32/ISO-HDLC. */
	assert_int_equal(crc32(0, "123456789", 9), 0xcbf43926);
	assert_int_equal(crc32(0, "", 0), 0);
	assert_int_equal(crc32(0, "a", 1), 0xe8b7be43);
}

static void test_incremental(void **state)
{
	const char *s = "The quick brown fox jumps over the lazy dog";
	uint32_t whole = crc32(0, s, strlen(s));

	(void)state;
	assert_int_equal(whole, 0x414fa339);
	assert_int_equal(crc32(crc32(0, s, 10), s + 10, strlen(s) - 10), whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_incremental),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
