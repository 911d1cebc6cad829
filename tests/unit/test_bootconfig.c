/*
 * tests/unit/test_bootconfig.c - host tests for the boot.cfg parser
 * (boot/config.c): valid files, comments, every error kind with its line
 * number, and the limits. Errors are matched as whole "FILE:LINE: ..."
 * prefixes because the line number is the part users rely on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "config.h"

#define NAME "\\rayos\\boot.cfg"

static struct bootcfg cfg;

static int parse(const char *text)
{
	return bootcfg_parse(&cfg, NAME, text, strlen(text));
}

/* Is there an error starting with "NAME:line: " and containing needle? */
static int has_error(int line, const char *needle)
{
	char prefix[64];
	int i;
	snprintf(prefix, sizeof prefix, NAME ":%d: ", line);
	for (i = 0; i < cfg.nerrors; i++)
		if (!strncmp(cfg.errors[i], prefix, strlen(prefix)) &&
		    strstr(cfg.errors[i], needle))
			return 1;
	return 0;
}

static void dump_errors(void)
{
	int i;
	for (i = 0; i < cfg.nerrors; i++)
		printf("  error: %s\n", cfg.errors[i]);
}

static void test_valid(void **state)
{
	(void)state;
	assert_int_equal(parse(
		"# comment\n"
		"timeout=5\n"
		"default=two\n"
		"\n"
		"[one]\n"
		"title=First\n"
		"kernel=/rayos/kernel.elf\n"
		"initrd=\\rayos\\initrd.cpio\n"
		"cmdline=console=ttyS0 a=b#c\n"
		"[two]\n"
		"kernel=other.elf\n"), 2);
	dump_errors();
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(cfg.timeout, 5);
	assert_int_equal(cfg.default_index, 1);
	assert_string_equal(cfg.entries[0].id, "one");
	assert_string_equal(cfg.entries[0].title, "First");
	assert_string_equal(cfg.entries[0].kernel, "\\rayos\\kernel.elf");
	assert_string_equal(cfg.entries[0].initrd, "\\rayos\\initrd.cpio");
	assert_string_equal(cfg.entries[0].cmdline, "console=ttyS0 a=b#c");
	assert_int_equal(cfg.entries[0].line, 5);
	/* title defaults to the id; relative paths become absolute */
	assert_string_equal(cfg.entries[1].title, "two");
	assert_string_equal(cfg.entries[1].kernel, "\\other.elf");
	assert_string_equal(cfg.entries[1].initrd, "");
}

static void test_whitespace_crlf_comments(void **state)
{
	(void)state;
	assert_int_equal(parse(
		"  # indented comment\r\n"
		"\t\r\n"
		"timeout = 0 \r\n"
		"[a]\r\n"
		"  kernel = \\k.elf  \r\n"
		"  title =  Spaced title \r\n"), 1);
	dump_errors();
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(cfg.timeout, 0);
	assert_string_equal(cfg.entries[0].kernel, "\\k.elf");
	assert_string_equal(cfg.entries[0].title, "Spaced title");
}

static void test_defaults_and_empty(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(cfg.timeout, BOOTCFG_DEFAULT_TIMEOUT);
	assert_int_equal(parse("[x]\nkernel=\\k\n"), 1);
	assert_int_equal(cfg.default_index, 0);
	/* no trailing newline */
	assert_int_equal(parse("[x]\nkernel=\\k"), 1);
	assert_string_equal(cfg.entries[0].kernel, "\\k");
}

static void test_timeout_values(void **state)
{
	(void)state;
	parse("timeout=menu\n");
	assert_int_equal(cfg.timeout, BOOTCFG_TIMEOUT_FOREVER);
	parse("timeout=-1\n");
	assert_int_equal(cfg.timeout, BOOTCFG_TIMEOUT_FOREVER);
	parse("timeout=3600\n");
	assert_int_equal(cfg.timeout, 3600);
	assert_int_equal(cfg.nerrors, 0);
	parse("\ntimeout=3601\n");
	assert_true(has_error(2, "too large"));
	parse("timeout=soon\n");
	assert_true(has_error(1, "bad timeout \"soon\""));
	parse("timeout=\n");
	assert_true(has_error(1, "bad timeout"));
	parse("timeout=-2\n");
	assert_true(has_error(1, "bad timeout"));
}

static void test_unknown_key(void **state)
{
	(void)state;
	assert_int_equal(parse(
		"[a]\n"
		"title=A\n"
		"kernal=\\k\n"
		"kernel=\\k\n"), 1);
	assert_int_equal(cfg.nerrors, 1);
	assert_true(has_error(3, "unknown key \"kernal\""));
	parse("foo=bar\n");
	assert_true(has_error(1, "unknown key \"foo\""));
}

static void test_outside_entry(void **state)
{
	(void)state;
	parse("timeout=1\n\nkernel=\\k\n[a]\nkernel=\\k\n");
	assert_true(has_error(3, "line outside any entry"));
	assert_int_equal(cfg.nentries, 1);
	parse("just words\n");
	assert_true(has_error(1, "line outside any entry"));
	parse("[a]\nkernel=\\k\njust words\n");
	assert_true(has_error(3, "expected key=value"));
	assert_int_equal(cfg.nentries, 1);
}

static void test_missing_kernel(void **state)
{
	(void)state;
	assert_int_equal(parse(
		"[good]\nkernel=\\k\n"
		"\n"
		"[x]\ntitle=No kernel\n"
		"[also]\nkernel=\\k2\n"), 2);
	assert_true(has_error(4, "missing kernel= in entry \"x\""));
	assert_string_equal(cfg.entries[1].id, "also");
	/* at the end of the file too */
	parse("[y]\ntitle=t\n");
	assert_true(has_error(1, "missing kernel= in entry \"y\""));
	assert_int_equal(cfg.nentries, 0);
}

static void test_duplicate_id(void **state)
{
	(void)state;
	assert_int_equal(parse(
		"[a]\nkernel=\\k1\n"
		"[a]\nkernel=\\k2\nbogus=1\n"
		"[b]\nkernel=\\k3\n"), 2);
	assert_true(has_error(3, "duplicate entry id \"a\" (first on line 1)"));
	/* the rejected entry's own lines are not reported again */
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.entries[0].kernel, "\\k1");
	assert_string_equal(cfg.entries[1].id, "b");
}

static void test_duplicate_key(void **state)
{
	(void)state;
	parse("[a]\nkernel=\\k1\nkernel=\\k2\n");
	assert_true(has_error(3, "duplicate key kernel="));
	assert_string_equal(cfg.entries[0].kernel, "\\k1");
}

static void test_default(void **state)
{
	(void)state;
	parse("default=nope\n[a]\nkernel=\\k\n[b]\nkernel=\\k\n");
	assert_true(has_error(1, "default=nope names no entry"));
	assert_int_equal(cfg.default_index, 0);
	parse("default=\n[a]\nkernel=\\k\n");
	assert_true(has_error(1, "empty value for default="));
	/* globals are not accepted inside entries */
	parse("[a]\nkernel=\\k\ntimeout=4\n");
	assert_true(has_error(3, "timeout= must come before the first [entry]"));
	assert_int_equal(cfg.timeout, BOOTCFG_DEFAULT_TIMEOUT);
}

static void test_bad_headers(void **state)
{
	(void)state;
	parse("[a\nkernel=\\k\n");
	assert_true(has_error(1, "expected \"]\""));
	assert_int_equal(cfg.nentries, 0);
	assert_int_equal(cfg.nerrors, 1); /* kernel= of a bad entry: skipped quietly */
	parse("[bad id]\n");
	assert_true(has_error(1, "bad entry id \"bad id\""));
	parse("[]\n");
	assert_true(has_error(1, "bad entry id"));
}

static void test_too_many_entries(void **state)
{
	char buf[4096];
	size_t n = 0;
	int i;
	(void)state;
	for (i = 0; i < BOOTCFG_MAX_ENTRIES + 2; i++)
		n += snprintf(buf + n, sizeof buf - n, "[e%d]\nkernel=\\k\n", i);
	assert_int_equal(parse(buf), BOOTCFG_MAX_ENTRIES);
	/* entry number 17 starts at line 2*16+1 */
	assert_true(has_error(2 * BOOTCFG_MAX_ENTRIES + 1, "too many entries (limit 16)"));
	assert_int_equal(cfg.nerrors, 2);
}

static void test_long_values(void **state)
{
	char buf[4096], val[2048];
	(void)state;
	memset(val, 'x', sizeof val);

	val[BOOTCFG_TITLE_MAX] = 0; /* one too many */
	snprintf(buf, sizeof buf, "[a]\nkernel=\\k\ntitle=%s\n", val);
	assert_int_equal(parse(buf), 1);
	assert_true(has_error(3, "value of title= too long (max 63 characters)"));
	assert_string_equal(cfg.entries[0].title, "a");

	val[BOOTCFG_TITLE_MAX - 1] = 0; /* exactly the limit */
	snprintf(buf, sizeof buf, "[a]\nkernel=\\k\ntitle=%s\n", val);
	parse(buf);
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(strlen(cfg.entries[0].title), BOOTCFG_TITLE_MAX - 1);

	memset(val, 'y', sizeof val);
	val[BOOTCFG_PATH_MAX + 10] = 0;
	snprintf(buf, sizeof buf, "[a]\nkernel=\\%s\n", val);
	assert_int_equal(parse(buf), 0); /* kernel rejected -> entry incomplete */
	assert_true(has_error(2, "value of kernel= too long"));
	assert_true(has_error(1, "missing kernel="));

	memset(val, 'c', sizeof val);
	val[sizeof val - 1] = 0;
	snprintf(buf, sizeof buf, "[a]\nkernel=\\k\ncmdline=%s\n", val);
	parse(buf);
	assert_true(has_error(3, "too long"));

	memset(val, 'i', sizeof val);
	val[BOOTCFG_ID_MAX] = 0;
	snprintf(buf, sizeof buf, "[%s]\nkernel=\\k\n", val);
	parse(buf);
	assert_true(has_error(1, "entry id"));
	assert_true(has_error(1, "too long"));
}

static void test_long_line_and_binary(void **state)
{
	static char buf[8192];
	(void)state;
	memset(buf, 'z', 3000);
	strcpy(buf + 3000, "\n[a]\nkernel=\\k\n");
	assert_int_equal(parse(buf), 1);
	assert_true(has_error(1, "line too long"));

	assert_int_equal(bootcfg_parse(&cfg, NAME, "[a]\nkernel=\\k\ntitle=\x01\xff\n", 23), 1);
	assert_true(has_error(3, "non-ASCII"));
	/* NUL bytes inside the buffer are reported, not taken as the end */
	assert_int_equal(bootcfg_parse(&cfg, NAME, "[a]\n\0\nkernel=\\k\n", 16), 1);
	assert_true(has_error(2, "non-ASCII"));
}

static void test_error_limit(void **state)
{
	char buf[4096];
	size_t n = 0;
	int i;
	(void)state;
	for (i = 0; i < BOOTCFG_MAX_ERRORS + 5; i++)
		n += snprintf(buf + n, sizeof buf - n, "bad%d=1\n", i);
	parse(buf);
	assert_int_equal(cfg.nerrors, BOOTCFG_MAX_ERRORS);
	assert_int_equal(cfg.errors_dropped, 5);
}

static void test_shipped_config(void **state)
{
	FILE *f = fopen("boot/boot.cfg", "r");
	char buf[8192];
	size_t n;
	(void)state;
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_true(bootcfg_parse(&cfg, NAME, buf, n) >= 1);
	dump_errors();
	assert_int_equal(cfg.nerrors, 0);
	assert_string_equal(cfg.entries[cfg.default_index].title, "RayOS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_whitespace_crlf_comments),
		cmocka_unit_test(test_defaults_and_empty),
		cmocka_unit_test(test_timeout_values),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_outside_entry),
		cmocka_unit_test(test_missing_kernel),
		cmocka_unit_test(test_duplicate_id),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_too_many_entries),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_long_line_and_binary),
		cmocka_unit_test(test_error_limit),
		cmocka_unit_test(test_shipped_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
