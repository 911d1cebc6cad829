# tests/unit/syscall-doc.mk - docs/syscalls.md must match the kernel binary.
UNIT_TESTS += $(BUILD)/tests/check-syscall-doc
$(BUILD)/tests/check-syscall-doc: $(KERNEL_ELF) tools/gen-syscall-doc.sh
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\ntools/gen-syscall-doc.sh $(KERNEL_ELF) /usr/include/x86_64-linux-gnu/asm/unistd_64.h | diff -u docs/syscalls.md - >/dev/null && echo "docs/syscalls.md is up to date" || { echo "docs/syscalls.md is out of date: run make docs"; exit 1; }\n' > $@
	@chmod +x $@

docs: $(KERNEL_ELF)
	tools/gen-syscall-doc.sh $(KERNEL_ELF) /usr/include/x86_64-linux-gnu/asm/unistd_64.h > docs/syscalls.md
.PHONY: docs
