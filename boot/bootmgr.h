/*
 * boot/bootmgr.h - interfaces between the EFI-side files of the boot manager.
 *
 *   main.c     efi_main: configuration, the menu/boot loop, error pauses
 *   menu.c     the menu on ConOut/ConIn with the countdown
 *   file.c     reading files from the ESP the manager was loaded from
 *   alloc.c    page allocations that can all be undone on failure
 *   load.c     kernel, symbols and initramfs into memory; bootinfo
 *   sysinfo.c  ACPI RSDP and GOP framebuffer for the bootinfo
 *   paging.c   the page tables handed to the kernel
 *   handoff.c  final memory map, ExitBootServices, jump (with handoff.S)
 *
 * Firmware calls go through uefi_call_wrapper (a direct ms_abi call with
 * GNU_EFI_USE_MS_ABI); our own functions use the normal SysV ABI.
 */
#ifndef BOOT_BOOTMGR_H
#define BOOT_BOOTMGR_H

#include <efi.h>
#include <efilib.h>
#include <rayos/bootinfo.h>
#include "config.h"
#include "elf.h"

#define CONFIG_PATH "\\rayos\\boot.cfg"
#define PAGE_SIZE 4096ULL
#define PAGES(bytes) (((bytes) + PAGE_SIZE - 1) / PAGE_SIZE)
#define KERNEL_STACK_SIZE (64 * 1024)

/* ---- alloc.c ---- */
#define MAX_ALLOCS 16
struct allocs {
	int n;
	struct {
		EFI_PHYSICAL_ADDRESS base;
		UINTN pages;
	} a[MAX_ALLOCS];
};
/* Allocate zeroed pages of the given memory type anywhere; remembered in al
 * so free_all() can undo a half-finished boot. */
EFI_STATUS alloc_pages(struct allocs *al, UINT32 type, UINT64 bytes,
		       EFI_PHYSICAL_ADDRESS *out);
void free_all(struct allocs *al);

/* ---- file.c ---- */
EFI_STATUS file_init(EFI_HANDLE image);
/* Open path (ASCII, '\'-separated) on the boot volume and get its size. */
EFI_STATUS file_open(const char *path, EFI_FILE_HANDLE *fh, UINT64 *size);
/* Read exactly size bytes from the start of fh into buf. */
EFI_STATUS file_read(EFI_FILE_HANDLE fh, void *buf, UINT64 size);
void file_close(EFI_FILE_HANDLE fh);
/* A short English reason for a failed file operation. */
const CHAR16 *file_strerror(EFI_STATUS st);

/* ---- load.c ---- */
/* Everything the final handoff needs, in identity-mapped physical memory. */
struct boot_plan {
	struct rayos_bootinfo *bi;
	UINT64 entry;         /* kernel virtual entry point */
	UINT64 pml4;          /* physical */
	UINT64 stack_top;     /* physical == identity-mapped virtual */
};
/* Load everything for entry e. On failure the error has been printed and
 * every allocation released. */
EFI_STATUS load_entry(const struct bootcfg_entry *e, struct allocs *al,
		      struct boot_plan *plan);
/* Print "Error: PATH: WHAT (entry "ID", \rayos\boot.cfg:N)". */
void load_error(const struct bootcfg_entry *e, const char *path,
		const CHAR16 *what);

/* ---- sysinfo.c ---- */
UINT64 find_acpi_rsdp(void);
void find_framebuffer(struct rayos_framebuffer *fb);

/* ---- paging.c ---- */
/* Build the handoff page tables (RAYOS_EFI_MEMTYPE_RECLAIM pages). */
EFI_STATUS paging_build(struct allocs *al, UINT64 phys_top,
			const struct elf_image *img, UINT64 kernel_phys,
			UINT64 *pml4);

/* ---- handoff.c ---- */
/* Highest physical address in the current memory map. */
EFI_STATUS memory_top(UINT64 *top);
/* Allocate the memory-map buffers, exit boot services and jump. Returns
 * only when boot services could not be exited (error printed). */
EFI_STATUS handoff(EFI_HANDLE image, struct allocs *al, struct boot_plan *plan,
		   const char *title);

/* ---- menu.c ---- */
enum menu_action {
	MENU_BOOT,      /* boot cfg->entries[*index] */
	MENU_REBOOT,
	MENU_POWEROFF,
	MENU_EXIT,      /* return to the firmware */
};
/* Show the menu; *countdown is cleared once the user touched a key. */
enum menu_action menu_run(const struct bootcfg *cfg, int *index,
			  int *countdown);
/* Wait for a key or timeout_s seconds (-1: forever). Returns 1 on a key. */
int wait_key(int timeout_s, EFI_INPUT_KEY *key);

#endif /* BOOT_BOOTMGR_H */
