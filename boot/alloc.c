/*
 * boot/alloc.c - page allocations for one boot attempt.
 *
 * A boot attempt allocates several ranges (kernel, symbols, initramfs,
 * bootinfo, stack, page tables, map). If any later step fails we go back to
 * the menu, and the user may try another entry, so every range is recorded
 * here and free_all() gives them all back: a failed attempt leaks nothing.
 */
#include "bootmgr.h"

EFI_STATUS alloc_pages(struct allocs *al, UINT32 type, UINT64 bytes,
		       EFI_PHYSICAL_ADDRESS *out)
{
	EFI_PHYSICAL_ADDRESS base = 0;
	UINTN pages = PAGES(bytes ? bytes : 1);
	EFI_STATUS st;

	if (al->n == MAX_ALLOCS)
		return EFI_OUT_OF_RESOURCES;
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
			       (EFI_MEMORY_TYPE)type, pages, &base);
	if (EFI_ERROR(st))
		return st;
	SetMem((VOID *)(UINTN)base, pages * PAGE_SIZE, 0);
	al->a[al->n].base = base;
	al->a[al->n].pages = pages;
	al->n++;
	*out = base;
	return EFI_SUCCESS;
}

void free_all(struct allocs *al)
{
	while (al->n > 0) {
		al->n--;
		uefi_call_wrapper(BS->FreePages, 2, al->a[al->n].base,
				  al->a[al->n].pages);
	}
}
