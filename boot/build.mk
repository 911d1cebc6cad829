# boot/build.mk - the UEFI boot manager (gnu-efi). OWNED BY THE BOOT PART.
#
# boot/*.c and boot/*.S are compiled as a position-independent ELF shared
# object with gnu-efi's crt0 and linker script, then converted to a PE32+
# EFI application. The flags are the ones measured in
# /work/shared/notes/uefi-boot-qemu.md; the gnu-efi headers are -isystem so
# that -Wextra -Werror applies to our code only. boot/config.c, boot/elf.c
# and boot/mmap.c have no EFI dependency and are also unit tested on the
# host (tests/unit/bootmgr.mk).
BOOT_EFI := $(BUILD)/boot/BOOTX64.EFI

EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
BOOT_CC := gcc
BOOT_CFLAGS := -std=gnu11 -O2 -pipe -Wall -Wextra -Werror \
	-isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -isystem $(EFI_INC)/protocol \
	-Iinclude -DGNU_EFI_USE_MS_ABI -fpic -ffreestanding -fno-stack-protector \
	-fno-stack-check -fshort-wchar -mno-red-zone -maccumulate-outgoing-args \
	-MMD -MP
BOOT_LDFLAGS := -shared -Bsymbolic -nostdlib -znocombreloc -L$(EFI_LIB) \
	-T $(EFI_LIB)/elf_x86_64_efi.lds

BOOT_SRCS := $(sort $(wildcard boot/*.c boot/*.S))
BOOT_OBJS := $(patsubst boot/%,$(BUILD)/boot/%.o,$(BOOT_SRCS))

$(BUILD)/boot/%.c.o: boot/%.c
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(BOOT_CFLAGS) -c $< -o $@

$(BUILD)/boot/%.S.o: boot/%.S
	@mkdir -p $(dir $@)
	$(BOOT_CC) $(BOOT_CFLAGS) -c $< -o $@

$(BUILD)/boot/bootmgr.so: $(BOOT_OBJS)
	ld $(BOOT_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $(BOOT_OBJS) -o $@ -lefi -lgnuefi

$(BOOT_EFI): $(BUILD)/boot/bootmgr.so
	objcopy -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym \
		-j .rel -j .rela -j '.rel.*' -j '.rela.*' -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

boot: $(BOOT_EFI)
.PHONY: boot

-include $(BOOT_OBJS:.o=.d)
