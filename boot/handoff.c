/*
 * boot/handoff.c - leave UEFI and enter the kernel.
 *
 * The memory-map buffers are allocated before the final GetMemoryMap, since
 * any allocation changes the map and invalidates its key. Between
 * GetMemoryMap and ExitBootServices there is no printing and no allocation;
 * on EFI_INVALID_PARAMETER (the map changed under us, e.g. a timer event
 * allocated) we simply fetch the map again, as the UEFI spec prescribes.
 * After ExitBootServices succeeds no firmware call is made at all: the map
 * is converted in place and we jump through handoff.S.
 */
#include "bootmgr.h"
#include "mmap.h"

#define EBS_TRIES 3
#define MAP_SLACK 64 /* extra descriptors/entries for allocations to come */

void rayos_handoff(UINT64 pml4, UINT64 stack_top, UINT64 entry,
		   UINT64 bootinfo_virt) __attribute__((noreturn));

static inline UINT64 rdtsc(void)
{
	UINT32 lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((UINT64)hi << 32) | lo;
}

/*
 * The handoff only swaps CR3, so the paging mode must already be the one
 * our tables are built for: 4-level long mode. UEFI x64 guarantees PAE and
 * LME; LA57 (5-level) firmware would misread our PML4, so refuse it.
 */
static const CHAR16 *paging_mode_problem(void)
{
	UINT64 cr4;
	UINT32 lo, hi;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080u)); /* EFER */
	(void)hi;
	if (!(cr4 & (1u << 5)) || !(lo & (1u << 8)))
		return L"the CPU is not in long mode with PAE (CR4.PAE/EFER.LME)";
	if (cr4 & (1u << 12))
		return L"5-level paging (CR4.LA57) is active; RayOS needs 4-level";
	return NULL;
}

EFI_STATUS memory_top(UINT64 *top)
{
	UINTN n, key, dsz, i;
	UINT32 ver;
	UINT8 *map = (UINT8 *)LibMemoryMap(&n, &key, &dsz, &ver);

	if (!map)
		return EFI_OUT_OF_RESOURCES;
	*top = 0;
	for (i = 0; i < n; i++) {
		EFI_MEMORY_DESCRIPTOR *d = (EFI_MEMORY_DESCRIPTOR *)(map + i * dsz);
		UINT64 end = d->PhysicalStart + d->NumberOfPages * PAGE_SIZE;
		if (end > *top)
			*top = end;
	}
	FreePool(map);
	return EFI_SUCCESS;
}

EFI_STATUS handoff(EFI_HANDLE image, struct allocs *al, struct boot_plan *plan,
		   const char *title)
{
	struct rayos_bootinfo *bi = plan->bi;
	EFI_PHYSICAL_ADDRESS raw, ents;
	UINTN size = 0, key, dsz, cap;
	UINT32 ver;
	EFI_STATUS st;
	int max, n, try;
	const CHAR16 *why = paging_mode_problem();

	if (why) {
		Print(L"Error: %s\n", why);
		return EFI_UNSUPPORTED;
	}
	st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &dsz, &ver);
	if (st != EFI_BUFFER_TOO_SMALL || dsz < sizeof(struct efi_mdesc)) {
		Print(L"Error: cannot read the memory map (%r)\n", st);
		return EFI_ERROR(st) ? st : EFI_DEVICE_ERROR;
	}
	cap = size + MAP_SLACK * dsz;
	max = (int)(cap / dsz) + MAP_SLACK;
	st = alloc_pages(al, RAYOS_EFI_MEMTYPE_KERNEL,
			 max * sizeof(struct rayos_mmap_entry), &ents);
	if (!EFI_ERROR(st))
		st = alloc_pages(al, EfiLoaderData, cap, &raw);
	if (EFI_ERROR(st)) {
		Print(L"Error: out of memory for the memory map\n");
		return st;
	}

	Print(L"Starting kernel: %a\n", title);

	for (try = 0; try < EBS_TRIES; try++) {
		size = cap;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size,
				       (EFI_MEMORY_DESCRIPTOR *)(UINTN)raw,
				       &key, &dsz, &ver);
		if (EFI_ERROR(st))
			break;
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (st != EFI_INVALID_PARAMETER)
			break;
	}
	if (EFI_ERROR(st)) {
		/* Not allowed by the spec after a failed ExitBootServices, but
		 * edk2 checks the key before tearing anything down, and a
		 * message beats a silent hang. */
		Print(L"Error: ExitBootServices failed (%r)\n", st);
		return st;
	}

	/* ---- no firmware calls from here on ---- */
	__asm__ volatile("cli");
	n = mmap_convert((const void *)(UINTN)raw, size, dsz,
			 (struct rayos_mmap_entry *)(UINTN)ents, max);
	bi->mmap_phys = ents;
	bi->mmap_count = n < 0 ? (UINT32)max : (UINT32)n;
	bi->mmap_entry_size = sizeof(struct rayos_mmap_entry);
	bi->handoff_tsc = rdtsc();
	rayos_handoff(plan->pml4, plan->stack_top, plan->entry,
		      RAYOS_HHDM_BASE + (UINT64)(UINTN)bi);
}
