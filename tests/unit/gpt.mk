# tests/unit/gpt.mk - host tests for the GPT parser and CRC-32
# (kernel/drivers/gpt_parse.c, kernel/lib/crc32.c).
GPT_TEST_CFLAGS := $(UNIT_CFLAGS) -Ikernel/include

$(BUILD)/tests/test_gpt: tests/unit/test_gpt.c kernel/drivers/gpt_parse.c \
		kernel/lib/crc32.c kernel/drivers/gpt_parse.h kernel/include/crc32.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(GPT_TEST_CFLAGS) -Ikernel/drivers -o $@ tests/unit/test_gpt.c \
		kernel/drivers/gpt_parse.c kernel/lib/crc32.c $(UNIT_LDLIBS)

$(BUILD)/tests/test_crc32: tests/unit/test_crc32.c kernel/lib/crc32.c kernel/include/crc32.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(GPT_TEST_CFLAGS) -o $@ tests/unit/test_crc32.c kernel/lib/crc32.c \
		$(UNIT_LDLIBS)

UNIT_TESTS += $(BUILD)/tests/test_gpt $(BUILD)/tests/test_crc32
