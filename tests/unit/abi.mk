# tests/unit/abi.mk - the ABI conformance suite (tests/abi/README.md).
# Each tests/abi/abi-NAME.c becomes a static musl binary, installed in the
# image as /usr/libexec/abi/abi-NAME. On the host each one is run here and
# its output kept as $(BUILD)/abi/abi-NAME.host.out: the reference that
# tests/integration/test_abi.py compares RayOS's output with.
ABI_PROGS := $(sort $(basename $(notdir $(wildcard tests/abi/abi-*.c))))
ABI_BINS := $(addprefix $(BUILD)/abi/,$(ABI_PROGS))

$(BUILD)/abi/abi-%: tests/abi/abi-%.c tests/abi/abi.h tests/unit/abi.mk
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(USER_ROOT)/usr/libexec/abi/%: $(BUILD)/abi/%
	install -D -m 755 $< $@

USER_INSTALLED += $(addprefix $(USER_ROOT)/usr/libexec/abi/,$(ABI_PROGS))
.SECONDARY: $(ABI_BINS)

# The unit-test step: run every program on the host; it must exit 0 and
# end with DONE. The output is written where test_abi.py finds it.
ABI_HOST_CHECK := $(BUILD)/tests/abi-host-check
$(ABI_HOST_CHECK): tests/unit/abi.mk $(ABI_BINS)
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nset -e\nfor p in $(ABI_PROGS); do $(BUILD)/abi/$$p > $(BUILD)/abi/$$p.host.out; tail -1 $(BUILD)/abi/$$p.host.out | grep -qx DONE; echo "abi: $$p ok"; done\n' > $@
	chmod +x $@

UNIT_TESTS += $(ABI_HOST_CHECK)
