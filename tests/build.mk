# tests/build.mk - host unit tests (cmocka) and QEMU integration tests.
#
# Each tests/unit/NAME.mk adds its test binary to UNIT_TESTS (and says how to
# build it), so parts of the tree add tests without editing this file.
UNIT_TESTS :=
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -Ikernel/include/host \
	-fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_LDLIBS := -lcmocka
include $(sort $(wildcard tests/unit/*.mk))

unit-test: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

# Integration tests boot build/rayos.img in QEMU; see tests/integration/.
PYTEST_ARGS ?=
integration-test: all $(INTEGRATION_DEPS)
	$(PYTHON) -m pytest -v -p no:cacheprovider tests/integration $(PYTEST_ARGS)

.PHONY: unit-test integration-test
