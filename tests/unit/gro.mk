# tests/unit/gro.mk - generic receive offload (kernel/net/gro.c): the merge
# rules and malformed frames, over the real packet buffers and checksum.
GRO_TEST := $(BUILD)/tests/test_gro
UNIT_TESTS += $(GRO_TEST)
GRO_TEST_SRCS := kernel/net/gro.c kernel/net/pkt.c kernel/net/csum.c \
	tests/unit/test_gro.c tests/unit/host/kernel_shim.c

$(GRO_TEST): $(GRO_TEST_SRCS) kernel/include/net/gro.h kernel/include/net/netif.h \
		kernel/include/net/pkt.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -DRAYOS_HOST_TEST -Ikernel/include -o $@ \
		$(GRO_TEST_SRCS) $(UNIT_LDLIBS)
