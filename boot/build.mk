# boot/build.mk - the UEFI boot manager (gnu-efi). OWNED BY THE BOOT PART.
BOOT_EFI := $(BUILD)/boot/BOOTX64.EFI
