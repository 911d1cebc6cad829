# tests/unit/procfs.mk - /proc (kernel/fs/procfs.c, proc_files.c) on the
# host, with the rest of kernel/fs/ and the same stubs as test_vfs.
PROCFS_TEST := $(BUILD)/tests/test_procfs
UNIT_TESTS += $(PROCFS_TEST)
PROCFS_TEST_SRCS := $(VFS_HOST_SRCS) tests/unit/test_procfs.c

$(PROCFS_TEST): $(PROCFS_TEST_SRCS) $(VFS_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Wno-unused-parameter -Ikernel/include -Ikernel/fs -o $@ $(PROCFS_TEST_SRCS) $(UNIT_LDLIBS)
