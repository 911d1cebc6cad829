# tests/unit/cpio.mk - host tests of the cpio newc reader and the path
# helpers of kernel/fs/ (pure code, built with the host compiler).
CPIO_TEST := $(BUILD)/tests/test_cpio
PATH_TEST := $(BUILD)/tests/test_path
UNIT_TESTS += $(CPIO_TEST) $(PATH_TEST)

$(CPIO_TEST): tests/unit/test_cpio.c kernel/fs/cpio.c kernel/fs/cpio.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Ikernel/fs -o $@ tests/unit/test_cpio.c kernel/fs/cpio.c $(UNIT_LDLIBS)

$(PATH_TEST): tests/unit/test_path.c kernel/fs/path.c kernel/fs/path.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Ikernel/fs -o $@ tests/unit/test_path.c kernel/fs/path.c $(UNIT_LDLIBS)
