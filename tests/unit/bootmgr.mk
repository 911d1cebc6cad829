# tests/unit/bootmgr.mk - boot manager tests. OWNED BY THE BOOT PART.
#
# Unit tests: the EFI-free parts of boot/ (config parser, ELF checks, memory
# map conversion) built for the host with cmocka.
# Integration: a disk image with the boot manager and a stand-in kernel
# (tests/bootmgr/testkernel.c) that checks the handoff and ends QEMU, so the
# boot manager is tested end to end without the real kernel.

BOOTMGR_TESTS := $(BUILD)/tests/test_bootconfig $(BUILD)/tests/test_bootelf \
	$(BUILD)/tests/test_bootmmap
UNIT_TESTS += $(BOOTMGR_TESTS)

$(BUILD)/tests/test_bootconfig: tests/unit/test_bootconfig.c boot/config.c boot/config.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -iquote boot -o $@ tests/unit/test_bootconfig.c boot/config.c $(UNIT_LDLIBS)

$(BUILD)/tests/test_bootelf: tests/unit/test_bootelf.c boot/elf.c boot/elf.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -iquote boot -o $@ tests/unit/test_bootelf.c boot/elf.c $(UNIT_LDLIBS)

$(BUILD)/tests/test_bootmmap: tests/unit/test_bootmmap.c boot/mmap.c boot/mmap.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -iquote boot -o $@ tests/unit/test_bootmmap.c boot/mmap.c $(UNIT_LDLIBS)

# ---- stand-in kernel and its disk image ------------------------------------
BOOTMGR_TK := $(BUILD)/tests/bootmgr/testkernel.elf
BOOTMGR_IMG := $(BUILD)/tests/bootmgr/disk.img
INTEGRATION_DEPS += $(BOOTMGR_IMG)

$(BOOTMGR_TK): tests/bootmgr/testkernel.c include/rayos/bootinfo.h kernel/arch/x86_64/linker.ld
	@mkdir -p $(dir $@)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -fno-pic \
		-fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
		-fno-stack-protector -fno-asynchronous-unwind-tables -Iinclude \
		-c tests/bootmgr/testkernel.c -o $@.o
	ld -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
		--no-warn-rwx-segments -T kernel/arch/x86_64/linker.ld -o $@ $@.o

# An initramfs with one file, so the test kernel can check the cpio magic.
$(BUILD)/tests/bootmgr/initrd.cpio:
	@mkdir -p $(BUILD)/tests/bootmgr/initrd
	echo "rayos boot manager test" > $(BUILD)/tests/bootmgr/initrd/hello
	(cd $(BUILD)/tests/bootmgr/initrd && echo hello | cpio -o -H newc --quiet) > $@

$(BOOTMGR_IMG): $(BOOT_EFI) $(BOOTMGR_TK) $(BUILD)/tests/bootmgr/initrd.cpio boot/boot.cfg tools/mkimage.sh
	@mkdir -p $(BUILD)/tests/bootmgr/root
	tools/mkimage.sh all $@ $(BOOT_EFI) $(BOOTMGR_TK) $(BUILD)/tests/bootmgr/initrd.cpio \
		boot/boot.cfg $(BUILD)/tests/bootmgr/root

bootmgr-image: $(BOOTMGR_IMG)
.PHONY: bootmgr-image
