# tests/unit/net.mk - host tests of the Internet checksum (kernel/net/csum.c)
# and of dhcpcd's message parser (user/dhcpcd/dhcp.c).
$(BUILD)/tests/test_net_csum: tests/unit/test_net_csum.c kernel/net/csum.c kernel/include/net/ip.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Ikernel/include -o $@ tests/unit/test_net_csum.c \
		kernel/net/csum.c $(UNIT_LDLIBS)

$(BUILD)/tests/test_dhcp: tests/unit/test_dhcp.c user/dhcpcd/dhcp.c user/dhcpcd/dhcp.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Iuser/dhcpcd -o $@ tests/unit/test_dhcp.c \
		user/dhcpcd/dhcp.c $(UNIT_LDLIBS)

UNIT_TESTS += $(BUILD)/tests/test_net_csum $(BUILD)/tests/test_dhcp
