# tests/unit/mount.mk - mount(2), umount2(2), tmpfs, EROFS, the root switch
# and vfs_shutdown (kernel/fs/mount.c, fstype.c, super.c) on the host, with
# the rest of kernel/fs/ and the same stubs as test_vfs.
MOUNT_TEST := $(BUILD)/tests/test_mount
UNIT_TESTS += $(MOUNT_TEST)
MOUNT_TEST_SRCS := $(VFS_HOST_SRCS) tests/unit/test_mount.c

$(MOUNT_TEST): $(MOUNT_TEST_SRCS) $(VFS_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Wno-unused-parameter -Ikernel/include -Ikernel/fs -o $@ $(MOUNT_TEST_SRCS) $(UNIT_LDLIBS)
