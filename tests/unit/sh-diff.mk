# tests/unit/sh-diff.mk - the shell's differential suite (tests/sh/README.md).
# The reference outputs are made with dash at build time and installed
# with the scripts into the image (/usr/share/sh-tests), where
# tests/integration/test_shell_diff.py runs them under RayOS's /bin/sh; on
# the host the same runner checks build/user/sh. The shell benchmarks of
# `make bench` (tests/sh/bench) are installed next to them.
SH_TESTS := $(USER_ROOT)/usr/share/sh-tests
SH_DIFF_CHECK := $(BUILD)/tests/sh-diff-check

$(SH_TESTS)/.stamp: tests/sh/mkref.sh tests/sh/run.sh tests/sh/differences.txt \
		$(wildcard tests/sh/cases/*.sh tests/sh/bench/*.sh) tests/unit/sh-diff.mk
	@$(if $(Q),echo "  SHREF   $(SH_TESTS)")
	$(Q)tests/sh/mkref.sh tests/sh/cases $(SH_TESTS) dash
	$(Q)mkdir -p $(SH_TESTS)/bench && cp tests/sh/bench/*.sh $(SH_TESTS)/bench/
	@touch $@

USER_INSTALLED += $(SH_TESTS)/.stamp

$(SH_DIFF_CHECK): $(SH_TESTS)/.stamp $(USER_OUT)/sh
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\nexec env -i PATH=/bin:/usr/bin $(USER_OUT)/sh $(SH_TESTS)/run.sh $(USER_OUT)/sh $(SH_TESTS)\n' > $@
	@chmod +x $@

UNIT_TESTS += $(SH_DIFF_CHECK)
