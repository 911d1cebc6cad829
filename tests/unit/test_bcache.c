/*
 * tests/unit/test_bcache.c - kernel/fs/bcache.c on the host over a file
 * (tests/unit/host/blockfile.c): hits and misses, write-back, coalescing,
 * read-ahead, ordering with bwrite, I/O errors, eviction under a small
 * limit, invalidation, and that no memory is leaked.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel.h"
#include "bcache.h"
#include "host/blockfile.h"

extern long stub_allocs;


#define NBLOCKS 1024 /* 4 MiB image of 4 KiB blocks */
#define BS 4096

static char path[64];
static struct blockdev *bd;
static struct blockfile_stats *st;

static uint8_t pattern(uint64_t blkno, size_t i) { return (uint8_t)(blkno * 7 + i / 512); }

static int setup(void **state __unused)
{
	strcpy(path, "/tmp/test_bcache.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static uint8_t blk[BS];
	for (uint64_t b = 0; b < NBLOCKS; b++) {
		for (size_t i = 0; i < BS; i++)
			blk[i] = pattern(b, i);
		assert_int_equal(write(fd, blk, BS), BS);
	}
	close(fd);
	bd = blockfile_open(path, "vdb", false);
	assert_non_null(bd);
	st = blockfile_stats(bd);
	bcache_set_limit(64 << 20);
	bcache_init();
	return 0;
}

static int teardown(void **state __unused)
{
	assert_int_equal(bcache_sync(bd), 0);
	assert_int_equal(bcache_invalidate(bd), 0);
	blockfile_close(bd);
	unlink(path);
	return 0;
}

static void file_block(uint64_t blkno, uint8_t *out)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, (long)(blkno * BS), SEEK_SET);
	assert_int_equal(fread(out, 1, BS, f), BS);
	fclose(f);
}

static void check_pattern(const uint8_t *d, uint64_t blkno)
{
	for (size_t i = 0; i < BS; i += 511)
		assert_int_equal(d[i], pattern(blkno, i));
}

static void test_read_hit_miss(void **state __unused)
{
	unsigned long r0 = st->reads;
	struct buf *b = bread(bd, 10, BS);
	assert_false(IS_ERR(b));
	assert_true(b->flags & B_VALID);
	check_pattern(b->data, 10);
	assert_int_equal(st->reads, r0 + 1);
	struct buf *b2 = bread(bd, 10, BS);
	assert_ptr_equal(b, b2);
	assert_int_equal(st->reads, r0 + 1);
	brelse(b2);
	brelse(b);
	b = bread(bd, 10, BS); /* still cached after release */
	assert_int_equal(st->reads, r0 + 1);
	brelse(b);
	/* A 1 KiB view of the same device is a different buffer. */
	b = bread(bd, 41, 1024);
	assert_false(IS_ERR(b));
	assert_int_equal(b->data[0], pattern(10, 1024));
	brelse(b);
	brelse(NULL);
}

static void test_bad_requests(void **state __unused)
{
	assert_ptr_equal(bread(bd, NBLOCKS, BS), ERR_PTR(-EINVAL));
	assert_ptr_equal(bread(bd, UINT64_MAX, BS), ERR_PTR(-EINVAL));
	assert_ptr_equal(bread(bd, 0, 100), ERR_PTR(-EINVAL));
	assert_ptr_equal(bread(bd, 0, 128 * 1024), ERR_PTR(-EINVAL));
	assert_ptr_equal(bread(NULL, 0, BS), ERR_PTR(-EINVAL));
	assert_ptr_equal(bget(bd, NBLOCKS, BS), ERR_PTR(-EINVAL));
	breadahead(bd, NBLOCKS - 2, BS, 100); /* clipped, no crash */
}

static void test_writeback_and_sync(void **state __unused)
{
	uint8_t disk[BS];
	struct buf *b = bread(bd, 20, BS);
	assert_false(IS_ERR(b));
	block_lock(b);
	memset(b->data, 0xab, 100);
	block_unlock(b);
	unsigned long w0 = st->writes, f0 = st->flushes;
	bdirty(b);
	uint64_t cached, dirty;
	bcache_stats(&cached, &dirty);
	assert_int_equal(dirty, BS);
	assert_true(cached >= BS);
	brelse(b);
	file_block(20, disk);
	assert_int_equal(disk[0], pattern(20, 0)); /* not written yet */
	assert_int_equal(st->writes, w0);
	assert_int_equal(bcache_sync(bd), 0);
	assert_int_equal(st->writes, w0 + 1);
	assert_true(st->flushes > f0);
	file_block(20, disk);
	assert_int_equal(disk[0], 0xab);
	assert_int_equal(disk[99], 0xab);
	assert_int_equal(disk[100], pattern(20, 100));
	bcache_stats(NULL, &dirty);
	assert_int_equal(dirty, 0);
	/* Nothing dirty: a sync writes nothing but still flushes. */
	f0 = st->flushes;
	assert_int_equal(bcache_sync(NULL), 0);
	assert_int_equal(st->writes, w0 + 1);
	assert_true(st->flushes > f0);
}

static void test_coalescing(void **state __unused)
{
	/* 40 consecutive blocks written with bget (no reads), one gap, then
	 * 3 more: 128 KiB runs, so 32 + 8 + 3 -> 3 requests. */
	unsigned long r0 = st->reads, w0 = st->writes;
	for (uint64_t n = 100; n < 144; n++) {
		if (n == 140)
			continue;
		struct buf *b = bget(bd, n, BS);
		assert_false(IS_ERR(b));
		memset(b->data, (int)n, BS);
		bdirty(b);
		brelse(b);
	}
	assert_int_equal(st->reads, r0);
	assert_int_equal(bcache_sync(bd), 0);
	assert_int_equal(st->writes, w0 + 3);
	uint8_t disk[BS];
	for (uint64_t n = 100; n < 144; n++) {
		file_block(n, disk);
		if (n == 140)
			check_pattern(disk, n);
		else
			assert_int_equal(disk[BS - 1], (uint8_t)n);
	}
}

static void test_bwrite_is_synchronous(void **state __unused)
{
	uint8_t disk[BS];
	struct buf *b = bget(bd, 200, BS);
	memset(b->data, 0x5a, BS);
	bdirty(b);
	unsigned long w0 = st->writes;
	assert_int_equal(bwrite(b), 0);
	assert_int_equal(st->writes, w0 + 1);
	assert_false(b->flags & B_DIRTY);
	file_block(200, disk);
	assert_int_equal(disk[4095], 0x5a);
	brelse(b);
	assert_int_equal(bcache_sync(bd), 0);
	assert_int_equal(st->writes, w0 + 1); /* was clean */
}

static void test_readahead(void **state __unused)
{
	unsigned long r0 = st->reads;
	breadahead(bd, 300, BS, 32);
	assert_int_equal(st->reads, r0 + 1);
	for (uint64_t n = 300; n < 332; n++) {
		struct buf *b = bread(bd, n, BS);
		assert_false(IS_ERR(b));
		check_pattern(b->data, n);
		brelse(b);
	}
	assert_int_equal(st->reads, r0 + 1);
	/* Cached blocks in the middle split the run without re-reading. */
	breadahead(bd, 296, BS, 40);
	assert_int_equal(st->reads, r0 + 3); /* 296..299 and 332..335 */
	struct buf *b = bread(bd, 335, BS);
	check_pattern(b->data, 335);
	brelse(b);
	assert_int_equal(st->reads, r0 + 3);
}

static void test_read_error(void **state __unused)
{
	st->fail_read_after = 1;
	assert_ptr_equal(bread(bd, 500, BS), ERR_PTR(-EIO));
	/* Not cached as valid: the next read goes to the disk again. */
	struct buf *b = bread(bd, 500, BS);
	assert_false(IS_ERR(b));
	check_pattern(b->data, 500);
	brelse(b);
}

static void test_write_error(void **state __unused)
{
	struct buf *b = bget(bd, 510, BS);
	memset(b->data, 0x77, BS);
	bdirty(b);
	brelse(b);
	st->fail_write_after = 1;
	assert_int_equal(bcache_sync(bd), -EIO);
	/* The data stays dirty and the next sync writes it. */
	uint64_t dirty;
	bcache_stats(NULL, &dirty);
	assert_int_equal(dirty, BS);
	assert_int_equal(bcache_sync(bd), 0);
	uint8_t disk[BS];
	file_block(510, disk);
	assert_int_equal(disk[0], 0x77);
	/* bwrite reports its own failure, and sync reports it once more. */
	b = bread(bd, 511, BS);
	st->fail_write_after = 1;
	bdirty(b);
	assert_int_equal(bwrite(b), -EIO);
	brelse(b);
	assert_int_equal(bcache_sync(bd), -EIO);
	assert_int_equal(bcache_sync(bd), 0);
}

static void test_eviction_under_limit(void **state __unused)
{
	assert_int_equal(bcache_sync(bd), 0);
	bcache_set_limit(64 * 1024); /* 16 buffers */
	uint64_t cached;
	/* Reading much more than fits keeps the cache at the limit. */
	for (uint64_t n = 600; n < 700; n++) {
		struct buf *b = bread(bd, n, BS);
		assert_false(IS_ERR(b));
		check_pattern(b->data, n);
		brelse(b);
		bcache_stats(&cached, NULL);
		assert_true(cached <= 64 * 1024 + BS);
	}
	/* Dirtying more than fits writes back the oldest to make room. */
	for (uint64_t n = 700; n < 800; n++) {
		struct buf *b = bget(bd, n, BS);
		assert_false(IS_ERR(b));
		memset(b->data, (int)(n & 0xff), BS);
		bdirty(b);
		brelse(b);
		bcache_stats(&cached, NULL);
		assert_true(cached <= 64 * 1024 + BS);
	}
	assert_int_equal(bcache_sync(bd), 0);
	for (uint64_t n = 700; n < 800; n++) {
		struct buf *b = bread(bd, n, BS);
		assert_int_equal(b->data[123], (uint8_t)(n & 0xff));
		brelse(b);
	}
	/* At the limit, read-ahead replaces old clean buffers: one request
	 * for 8 blocks, and they are all cached afterwards. */
	unsigned long r0 = st->reads;
	breadahead(bd, 850, BS, 8);
	assert_int_equal(st->reads, r0 + 1);
	for (uint64_t n = 850; n < 858; n++) {
		struct buf *b = bread(bd, n, BS);
		check_pattern(b->data, n);
		brelse(b);
	}
	assert_int_equal(st->reads, r0 + 1);
	bcache_stats(&cached, NULL);
	assert_true(cached <= 64 * 1024 + BS);
	/* Referenced buffers are never evicted, even over the limit. */
	struct buf *held[20];
	for (int i = 0; i < 20; i++)
		held[i] = bread(bd, 900 + i, BS);
	for (int i = 0; i < 20; i++) {
		check_pattern(held[i]->data, 900 + i);
		brelse(held[i]);
	}
	bcache_set_limit(64 << 20);
}

static void test_invalidate_shrink_and_leaks(void **state __unused)
{
	assert_int_equal(bcache_sync(bd), 0);
	assert_int_equal(bcache_invalidate(bd), 0);
	long base = stub_allocs;
	uint64_t cached;
	bcache_stats(&cached, NULL);
	assert_int_equal(cached, 0);

	for (uint64_t n = 0; n < 10; n++)
		brelse(bread(bd, n, BS));
	struct buf *keep = bread(bd, 11, BS);
	assert_true(stub_allocs > base);
	assert_int_equal(bcache_shrink(4), 4);
	bcache_stats(&cached, NULL);
	assert_int_equal(cached, 7 * BS);
	assert_int_equal(bcache_invalidate(bd), 1); /* keep is referenced */
	bcache_stats(&cached, NULL);
	assert_int_equal(cached, BS);
	unsigned long r0 = st->reads;
	struct buf *again = bread(bd, 0, BS);       /* re-read from disk */
	assert_int_equal(st->reads, r0 + 1);
	brelse(again);
	brelse(keep);
	assert_int_equal(bcache_invalidate(bd), 0);
	assert_int_equal(stub_allocs, base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_hit_miss),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_writeback_and_sync),
		cmocka_unit_test(test_coalescing),
		cmocka_unit_test(test_bwrite_is_synchronous),
		cmocka_unit_test(test_readahead),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_eviction_under_limit),
		cmocka_unit_test(test_invalidate_shrink_and_leaks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
