# tests/unit/tcp.mk - the TCP core (kernel/net/tcp*.c but the socket glue)
# with two stacks back to back over a fake, lossy IP (tcp_harness.c).
TCP_TEST := $(BUILD)/tests/test_tcp
UNIT_TESTS += $(TCP_TEST)
TCP_TEST_SRCS := kernel/net/tcp.c kernel/net/tcp_input.c kernel/net/tcp_output.c kernel/net/tcp_sack.c \
	kernel/net/tcp_timer.c kernel/net/tcp_cong.c kernel/net/pkt.c kernel/net/csum.c \
	tests/unit/tcp_harness.c tests/unit/test_tcp.c tests/unit/host/kernel_shim.c

$(TCP_TEST): $(TCP_TEST_SRCS) tests/unit/tcp_harness.h kernel/include/net/tcp.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -DRAYOS_HOST_TEST -Ikernel/include -Itests/unit -o $@ \
		$(TCP_TEST_SRCS) $(UNIT_LDLIBS)
