# tests/unit/bcache.mk - the buffer cache (kernel/fs/bcache.c) on the host
# over a file-backed block device (tests/unit/host/blockfile.c).
BCACHE_TEST := $(BUILD)/tests/test_bcache
UNIT_TESTS += $(BCACHE_TEST)
BCACHE_TEST_SRCS := kernel/fs/bcache.c kernel/mm/shrinker.c tests/unit/host/blockfile.c tests/unit/vfs_stubs.c tests/unit/test_bcache.c

$(BCACHE_TEST): $(BCACHE_TEST_SRCS) tests/unit/host/blockfile.h kernel/include/bcache.h kernel/include/block.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Wno-unused-parameter -Ikernel/include -Itests/unit -o $@ $(BCACHE_TEST_SRCS) $(UNIT_LDLIBS)
