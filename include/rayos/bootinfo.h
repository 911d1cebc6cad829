/*
 * include/rayos/bootinfo.h - the boot protocol between the RayOS boot
 * manager (boot/) and the kernel (kernel/).
 *
 * The boot manager loads the kernel ELF64 image and the initramfs into
 * physical memory it allocates with the UEFI memory type
 * RAYOS_EFI_MEMTYPE_KERNEL, builds page tables (see below), exits boot
 * services and jumps to the ELF entry point with:
 *
 *   rdi = virtual address (in the direct map) of a struct rayos_bootinfo
 *   rsp = 16-byte aligned, in the identity map, at least 64 KiB deep
 *   interrupts disabled, CR0.PG/PE, CR4.PAE, EFER.LME set
 *
 * Page tables handed over:
 *   - identity map of [0, 4 GiB) and of all memory in the map, 2 MiB pages
 *   - the same physical range again at RAYOS_HHDM_BASE (the direct map)
 *   - each PT_LOAD segment of the kernel at its p_vaddr, 4 KiB pages, backed
 *     by the physical pages the boot manager loaded it into
 * The kernel replaces these tables with its own early on; the pages that hold
 * them are of type RAYOS_MEM_BOOT_RECLAIMABLE.
 *
 * Every address in this structure is PHYSICAL unless its name ends in _virt.
 * Everything the structure points to lives in memory that the memory map
 * marks RAYOS_MEM_KERNEL or RAYOS_MEM_BOOT_RECLAIMABLE, never USABLE.
 *
 * The layout is fixed (explicit padding, fixed-size fields) so that the
 * boot manager (built with the MS ABI as an EFI application) and the kernel
 * agree byte for byte. Bump RAYOS_BOOTINFO_VERSION on any change.
 * See docs/boot-protocol.md.
 */
#ifndef RAYOS_BOOTINFO_H
#define RAYOS_BOOTINFO_H

#include <stdint.h>

#define RAYOS_BOOTINFO_MAGIC   0x4f464e49544f4f42ULL /* "BOOTINFO" little-endian */
#define RAYOS_BOOTINFO_VERSION 1

/* Higher-half direct map of physical memory and the kernel image base. */
#define RAYOS_HHDM_BASE        0xffff800000000000ULL
#define RAYOS_KERNEL_BASE      0xffffffff80000000ULL

/* UEFI memory type (OS-loader range) the boot manager uses for the kernel
 * image, the initramfs and the boot information, so that the kernel can tell
 * them apart from the boot manager's own (reclaimable) allocations. */
#define RAYOS_EFI_MEMTYPE_KERNEL   0x80000001u
#define RAYOS_EFI_MEMTYPE_RECLAIM  0x80000002u

/* Normalised memory map entry types. */
enum rayos_mem_type {
	RAYOS_MEM_USABLE = 1,           /* free RAM */
	RAYOS_MEM_RESERVED = 2,         /* firmware/unusable, never touch */
	RAYOS_MEM_ACPI_RECLAIMABLE = 3, /* ACPI tables; free after parsing */
	RAYOS_MEM_ACPI_NVS = 4,
	RAYOS_MEM_MMIO = 5,
	RAYOS_MEM_KERNEL = 6,           /* kernel image, initramfs, bootinfo */
	RAYOS_MEM_BOOT_RECLAIMABLE = 7, /* boot page tables; free once the kernel
	                                   runs on its own tables */
	RAYOS_MEM_BAD = 8,
};

struct rayos_mmap_entry {
	uint64_t base;   /* physical, page aligned */
	uint64_t length; /* bytes, multiple of 4096 */
	uint32_t type;   /* enum rayos_mem_type */
	uint32_t reserved;
};

/* Pixel format: a channel occupies bits [pos, pos+size) of a 32-bit pixel. */
struct rayos_framebuffer {
	uint64_t base;   /* physical address; 0 when there is no framebuffer */
	uint64_t size;   /* bytes */
	uint32_t width, height;
	uint32_t pitch;  /* bytes per scan line */
	uint32_t bpp;    /* bits per pixel, always 32 for now */
	uint8_t red_pos, red_size;
	uint8_t green_pos, green_size;
	uint8_t blue_pos, blue_size;
	uint8_t reserved[2];
};

#define RAYOS_CMDLINE_MAX 1024
#define RAYOS_TITLE_MAX   64

struct rayos_bootinfo {
	uint64_t magic;         /* RAYOS_BOOTINFO_MAGIC */
	uint32_t version;       /* RAYOS_BOOTINFO_VERSION */
	uint32_t size;          /* sizeof(struct rayos_bootinfo) */

	uint64_t kernel_phys;   /* lowest physical address of the loaded image */
	uint64_t kernel_size;   /* bytes from kernel_phys, page multiple */
	uint64_t kernel_virt;   /* lowest p_vaddr of the image */

	uint64_t initrd_phys;   /* cpio newc archive; 0 if none */
	uint64_t initrd_size;

	uint64_t mmap_phys;     /* array of struct rayos_mmap_entry, sorted */
	uint32_t mmap_count;
	uint32_t mmap_entry_size; /* sizeof(struct rayos_mmap_entry) */

	/* The kernel ELF's .symtab and .strtab, for symbolized backtraces. */
	uint64_t symtab_phys;   /* array of Elf64_Sym; 0 if absent */
	uint64_t symtab_size;   /* bytes */
	uint64_t strtab_phys;
	uint64_t strtab_size;

	uint64_t acpi_rsdp;     /* physical address of the RSDP; 0 if absent */
	uint64_t efi_system_table; /* physical; informational only */

	struct rayos_framebuffer fb;

	/* TSC read just before the jump to the kernel, for boot timing. */
	uint64_t handoff_tsc;

	char cmdline[RAYOS_CMDLINE_MAX]; /* NUL-terminated ASCII */
	char entry_title[RAYOS_TITLE_MAX]; /* the menu entry that was booted */
};

#endif /* RAYOS_BOOTINFO_H */
