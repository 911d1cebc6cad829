# tests/build.mk - host unit tests (cmocka) and QEMU integration tests.
#
# Each tests/unit/NAME.mk adds its test binary to UNIT_TESTS (and says how to
# build it), so parts of the tree add tests without editing this file.
UNIT_TESTS :=
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -Ikernel/include/host \
	-fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_LDLIBS := -lcmocka
# The VFS and everything under kernel/fs/ as the host tests link it: core
# services come from tests/unit/vfs_stubs.c; procfs reads the load average
# kept by kernel/proc/loadavg.c.
VFS_HOST_SRCS := $(sort $(wildcard kernel/fs/*.c)) kernel/proc/loadavg.c kernel/mm/filemap.c kernel/mm/shrinker.c tests/unit/vfs_stubs.c
# ...and the headers they include: any change rebuilds the tests.
VFS_HOST_HDRS := $(wildcard kernel/include/*.h kernel/include/net/*.h kernel/fs/*.h)
include $(sort $(wildcard tests/unit/*.mk))

unit-test: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

# Integration tests boot build/rayos.img in QEMU; see tests/integration/.
PYTEST_ARGS ?=
integration-test: all $(INTEGRATION_DEPS)
	$(PYTHON) -m pytest -v -p no:cacheprovider tests/integration $(PYTEST_ARGS)

.PHONY: unit-test integration-test
