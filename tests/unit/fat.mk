# tests/unit/fat.mk - the FAT driver (kernel/fs/fat/) on the host, over
# image files made by mkfs.fat and mtools (tests/unit/test_fat.c), and
# over hundreds of damaged images (tests/unit/test_fat_corrupt.c), with the
# VFS and buffer cache of kernel/fs/ and the stubs of test_vfs.
FAT_TEST := $(BUILD)/tests/test_fat
FAT_CORRUPT_TEST := $(BUILD)/tests/test_fat_corrupt
UNIT_TESTS += $(FAT_TEST) $(FAT_CORRUPT_TEST)
FAT_TEST_COMMON := $(VFS_HOST_SRCS) $(sort $(wildcard kernel/fs/fat/*.c)) \
	tests/unit/host/blockfile.c tests/unit/host/hostio.c tests/unit/fat_test_util.c
FAT_TEST_DEPS := $(FAT_TEST_COMMON) $(VFS_HOST_HDRS) $(wildcard kernel/fs/fat/*.h) \
	kernel/include/vfs.h kernel/include/bcache.h kernel/include/fstype.h \
	tests/unit/fat_test.h tests/unit/host/hostio.h tests/unit/host/blockfile.h
FAT_TEST_CFLAGS := $(UNIT_CFLAGS) -Wno-unused-parameter -Ikernel/include -Ikernel/fs -Itests/unit

$(FAT_TEST): tests/unit/test_fat.c $(FAT_TEST_DEPS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(FAT_TEST_CFLAGS) -o $@ $(FAT_TEST_COMMON) tests/unit/test_fat.c $(UNIT_LDLIBS)

$(FAT_CORRUPT_TEST): tests/unit/test_fat_corrupt.c $(FAT_TEST_DEPS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(FAT_TEST_CFLAGS) -o $@ $(FAT_TEST_COMMON) tests/unit/test_fat_corrupt.c $(UNIT_LDLIBS)
