# tests/unit/user-host.mk - run the user programs on the build host.
# They are ordinary static Linux binaries, so the test programs, the shell
# and the utilities are checked here before any kernel runs them
# (tests/unit/user-host.sh; about a second).
USER_HOST_CHECK := $(BUILD)/tests/user-host-check

$(USER_HOST_CHECK): tests/unit/user-host.sh tests/unit/user-host.mk $(USER_BINS)
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec sh tests/unit/user-host.sh $(BUILD)/user\n' > $@
	chmod +x $@

UNIT_TESTS += $(USER_HOST_CHECK)
