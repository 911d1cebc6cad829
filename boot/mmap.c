/*
 * boot/mmap.c - UEFI memory map -> struct rayos_mmap_entry[] (see mmap.h).
 *
 * Insertion sort: the firmware map is nearly sorted and holds ~100 entries,
 * and it needs no scratch memory, which matters after ExitBootServices.
 * Entries are merged only when they touch and have the same RayOS type, so
 * the kernel sees e.g. one USABLE range where UEFI listed LoaderData next to
 * ConventionalMemory.
 */
#include "mmap.h"

enum {
	EfiReservedMemoryType, EfiLoaderCode, EfiLoaderData,
	EfiBootServicesCode, EfiBootServicesData, EfiRuntimeServicesCode,
	EfiRuntimeServicesData, EfiConventionalMemory, EfiUnusableMemory,
	EfiACPIReclaimMemory, EfiACPIMemoryNVS, EfiMemoryMappedIO,
	EfiMemoryMappedIOPortSpace, EfiPalCode, EfiPersistentMemory,
};

uint32_t mmap_type(uint32_t t)
{
	switch (t) {
	case EfiConventionalMemory:
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
		return RAYOS_MEM_USABLE;
	case RAYOS_EFI_MEMTYPE_KERNEL:
		return RAYOS_MEM_KERNEL;
	case RAYOS_EFI_MEMTYPE_RECLAIM:
		return RAYOS_MEM_BOOT_RECLAIMABLE;
	case EfiACPIReclaimMemory:
		return RAYOS_MEM_ACPI_RECLAIMABLE;
	case EfiACPIMemoryNVS:
		return RAYOS_MEM_ACPI_NVS;
	case EfiMemoryMappedIO:
	case EfiMemoryMappedIOPortSpace:
		return RAYOS_MEM_MMIO;
	case EfiUnusableMemory:
		return RAYOS_MEM_BAD;
	default: /* runtime services, reserved, PAL code, persistent, OEM */
		return RAYOS_MEM_RESERVED;
	}
}

int mmap_convert(const void *map, uint64_t map_size, uint64_t desc_size,
		 struct rayos_mmap_entry *out, int max)
{
	const unsigned char *p = map;
	uint64_t off;
	int n = 0, i, j, overflow = 0;

	if (desc_size < sizeof(struct efi_mdesc))
		return -1;
	for (off = 0; off + desc_size <= map_size; off += desc_size) {
		const struct efi_mdesc *d = (const void *)(p + off);
		struct rayos_mmap_entry e;

		if (!d->pages)
			continue;
		if (n == max) {
			overflow = 1;
			break;
		}
		e.base = d->phys;
		e.length = d->pages * 4096;
		e.type = mmap_type(d->type);
		e.reserved = 0;
		for (i = n; i > 0 && out[i - 1].base > e.base; i--)
			out[i] = out[i - 1];
		out[i] = e;
		n++;
	}
	/* merge touching entries of one type */
	for (i = 0, j = 1; j < n; j++) {
		if (out[j].type == out[i].type &&
		    out[i].base + out[i].length == out[j].base)
			out[i].length += out[j].length;
		else
			out[++i] = out[j];
	}
	if (n)
		n = i + 1;
	return overflow ? -1 : n;
}
