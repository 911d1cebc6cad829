/*
 * boot/mmap.h - conversion of the UEFI memory map into the RayOS one.
 *
 * Runs after ExitBootServices, so it may not call the firmware or allocate:
 * it works on the raw map buffer and writes into an array the caller
 * allocated beforehand. No EFI headers, so it is unit tested on the host
 * (tests/unit/test_bootmmap.c).
 */
#ifndef BOOT_MMAP_H
#define BOOT_MMAP_H

#include <stdint.h>
#include <rayos/bootinfo.h>

/* The fixed prefix of EFI_MEMORY_DESCRIPTOR (UEFI 2.x); the firmware's
 * stride (desc_size) may be larger, so never index an array of these. */
struct efi_mdesc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys, virt, pages, attr;
};

/* UEFI memory type -> enum rayos_mem_type */
uint32_t mmap_type(uint32_t efi_type);

/*
 * Convert the UEFI map (map_size bytes, one descriptor every desc_size
 * bytes) into out[0..max): sorted by base, adjacent entries of the same type
 * merged, empty ones dropped. Returns the entry count, or -1 if max was too
 * small (out then holds a truncated but still sorted map).
 */
int mmap_convert(const void *map, uint64_t map_size, uint64_t desc_size,
		 struct rayos_mmap_entry *out, int max);

#endif /* BOOT_MMAP_H */
