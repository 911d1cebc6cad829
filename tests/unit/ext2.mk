# tests/unit/ext2.mk - the ext2 driver (kernel/fs/ext2/) on the host, over
# image files made by mke2fs -d, driven through the VFS's system calls
# (kernel/fs/*.c with tests/unit/vfs_stubs.c), cross-checked with debugfs
# and e2fsck -fn; plus the corruption test over hundreds of damaged images.
EXT2_TEST := $(BUILD)/tests/test_ext2
UNIT_TESTS += $(EXT2_TEST)
EXT2_TEST_SRCS := $(VFS_HOST_SRCS) $(sort $(wildcard kernel/fs/ext2/*.c)) \
	tests/unit/ext2_host.c tests/unit/test_ext2.c tests/unit/test_ext2_corrupt.c

$(EXT2_TEST): $(EXT2_TEST_SRCS) $(VFS_HOST_HDRS) $(wildcard kernel/fs/ext2/*.h) \
		tests/unit/test_ext2.h kernel/include/vfs.h kernel/include/bcache.h kernel/include/fstype.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Wno-unused-parameter -Ikernel/include -Ikernel/fs -Ikernel \
		-o $@ $(EXT2_TEST_SRCS) $(UNIT_LDLIBS)
