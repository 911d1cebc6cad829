# kernel/build.mk - the kernel: a freestanding ELF64 linked at the top of the
# address space (kernel/arch/x86_64/linker.ld). Every .c and .S below kernel/
# is part of it; generated sources live in build/kernel/gen/.

KERNEL_ELF := $(BUILD)/kernel/kernel.elf
KERNEL_ESP := $(BUILD)/kernel/kernel-esp.elf  # debug info stripped, symbols kept

KERNEL_CC := gcc
# -O1: a clean build of the whole system stays under 10 s on two cores
# (-O2 costs 1.2 s more there); the kernel's share of the boot is device
# time, not compute. `make KERNEL_OPT=-O2` or `make DEBUG=1` (DWARF for gdb)
# when wanted.
KERNEL_OPT ?= -O1
KERNEL_CFLAGS := -std=gnu11 $(KERNEL_OPT) -pipe $(if $(filter 1,$(DEBUG)),-g) -Wall -Wextra -Werror \
	-ffreestanding -nostdinc -isystem $(shell $(KERNEL_CC) -print-file-name=include) \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-asynchronous-unwind-tables -fno-common \
	-Ikernel/include -Iinclude -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T kernel/arch/x86_64/linker.ld

KERNEL_SRCS := $(shell find kernel -name '*.c' -o -name '*.S' | sort)
KERNEL_GEN := $(BUILD)/kernel/gen/syscall_table.c $(BUILD)/kernel/gen/font.c
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS)) \
	$(patsubst %.c,%.o,$(KERNEL_GEN))

$(BUILD)/kernel/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(KERNEL_CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(KERNEL_CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/kernel/gen/%.o: $(BUILD)/kernel/gen/%.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(KERNEL_CC) $(KERNEL_CFLAGS) -c $< -o $@

# The system-call table comes from Linux's own list of numbers.
$(BUILD)/kernel/gen/syscall_table.c: tools/gen-syscall-table.sh /usr/include/x86_64-linux-gnu/asm/unistd_64.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)tools/gen-syscall-table.sh /usr/include/x86_64-linux-gnu/asm/unistd_64.h > $@

# The console font: a PSF from Debian console-setup-linux package, embedded as bytes.
KERNEL_FONT := /usr/share/consolefonts/Lat15-Fixed16.psf.gz
$(BUILD)/kernel/gen/font.c: tools/embed-font.sh $(KERNEL_FONT)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)tools/embed-font.sh $(KERNEL_FONT) > $@

$(KERNEL_ELF): $(KERNEL_OBJS) kernel/arch/x86_64/linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)ld $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS)

$(KERNEL_ESP): $(KERNEL_ELF)
	$(Q)objcopy --strip-debug $< $@

kernel: $(KERNEL_ESP)
.PHONY: kernel

-include $(KERNEL_OBJS:.o=.d)
