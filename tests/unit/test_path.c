/*
 * tests/unit/test_path.c - path component splitting (kernel/fs/path.c),
 * which the path walk and the initramfs unpacker rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "path.h"

static void expect_components(const char *path, const char *const *want,
                              size_t nwant)
{
	const char *p = path, *name;
	size_t len, i = 0;
	while ((len = path_component(&p, &name)) != 0) {
		assert_true(i < nwant);
		assert_int_equal(len, strlen(want[i]));
		assert_memory_equal(name, want[i], len);
		i++;
	}
	assert_int_equal(i, nwant);
}

static void test_components(void **state)
{
	(void)state;
	const char *const a[] = { "usr", "bin", "sh" };
	expect_components("/usr/bin/sh", a, 3);
	expect_components("usr//bin///sh/", a, 3);
	expect_components("///usr/bin/sh//", a, 3);
	const char *const b[] = { ".", "..", "x" };
	expect_components("./../x", b, 3);
	expect_components("/", NULL, 0);
	expect_components("", NULL, 0);
}

static void test_rest_empty(void **state)
{
	(void)state;
	const char *p = "a/b/", *name;
	path_component(&p, &name);
	assert_false(path_rest_empty(p));
	path_component(&p, &name);
	assert_true(path_rest_empty(p));
	assert_int_equal(*p, '/'); /* trailing slash is visible to callers */
}

static void split(const char *path, const char *dir, const char *last)
{
	size_t dir_len;
	const char *l;
	size_t len = path_split_last(path, &dir_len, &l);
	assert_int_equal(dir_len, strlen(dir));
	assert_memory_equal(path, dir, dir_len);
	assert_int_equal(len, strlen(last));
	assert_memory_equal(l, last, len);
}

static void test_split_last(void **state)
{
	(void)state;
	split("a", "", "a");
	split("/a", "/", "a");
	split("//a", "/", "a");
	split("a/b", "a", "b");
	split("a//b//", "a", "b");
	split("/x/y/z/", "/x/y", "z");
	split("/", "", "");
	split("///", "", "");
	split("a/..", "a", "..");
	split(".", "", ".");
}

static void test_dots(void **state)
{
	(void)state;
	assert_true(path_is_dot(".", 1));
	assert_false(path_is_dot("..", 2));
	assert_true(path_is_dotdot("..", 2));
	assert_false(path_is_dotdot(".a", 2));
	assert_false(path_is_dotdot("...", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_components),
		cmocka_unit_test(test_rest_empty),
		cmocka_unit_test(test_split_last),
		cmocka_unit_test(test_dots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
