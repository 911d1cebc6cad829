# tests/unit/fs.mk - the whole of kernel/fs/ (VFS, ramfs, devfs, pipes,
# initramfs, system calls) run on the host over stubbed core services
# (tests/unit/vfs_stubs.c), driven through the sys_* entry points.
VFS_TEST := $(BUILD)/tests/test_vfs
UNIT_TESTS += $(VFS_TEST)
VFS_TEST_SRCS := $(VFS_HOST_SRCS) tests/unit/test_vfs.c

$(VFS_TEST): $(VFS_TEST_SRCS) $(VFS_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Wno-unused-parameter -Ikernel/include -Ikernel/fs -o $@ $(VFS_TEST_SRCS) $(UNIT_LDLIBS)
