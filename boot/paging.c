/*
 * boot/paging.c - the page tables the kernel starts on.
 *
 * Layout (docs/boot-protocol.md):
 *   - identity map of [0, phys_top) with 2 MiB pages,
 *   - the same at RAYOS_HHDM_BASE: PML4[256+i] points at the very same PDPT
 *     pages as PML4[i], so the direct map costs no extra tables,
 *   - each kernel PT_LOAD segment at its p_vaddr with 4 KiB pages.
 * All entries are present+writable and never NX, so the tables work whether
 * or not EFER.NXE is set; the kernel installs its own tables with proper
 * permissions early. All table pages come from one RAYOS_EFI_MEMTYPE_RECLAIM
 * block sized in advance, so there is a single allocation to undo.
 */
#include "bootmgr.h"

#define PTE_P   0x001ULL
#define PTE_W   0x002ULL
#define PTE_PS  0x080ULL
#define ADDR_MASK 0x000ffffffffff000ULL
#define GIB (1ULL << 30)
#define MIB2 (1ULL << 21)

struct pool {
	UINT64 next, end; /* physical; identity-mapped while we run */
};

static UINT64 *pool_page(struct pool *p)
{
	UINT64 *pg;
	if (p->next >= p->end)
		return NULL;
	pg = (UINT64 *)(UINTN)p->next;
	p->next += PAGE_SIZE; /* already zeroed by alloc_pages */
	return pg;
}

/* The table that entry t[i] points to, created on demand. */
static UINT64 *next_table(struct pool *p, UINT64 *t, unsigned i)
{
	UINT64 *n;
	if (t[i] & PTE_P)
		return (UINT64 *)(UINTN)(t[i] & ADDR_MASK);
	n = pool_page(p);
	if (n)
		t[i] = (UINT64)(UINTN)n | PTE_P | PTE_W;
	return n;
}

static int map_4k(struct pool *p, UINT64 *pml4, UINT64 va, UINT64 pa)
{
	UINT64 *pdpt, *pd, *pt;

	if (!(pdpt = next_table(p, pml4, (va >> 39) & 511)) ||
	    !(pd = next_table(p, pdpt, (va >> 30) & 511)) ||
	    !(pt = next_table(p, pd, (va >> 21) & 511)))
		return -1;
	pt[(va >> 12) & 511] = pa | PTE_P | PTE_W;
	return 0;
}

EFI_STATUS paging_build(struct allocs *al, UINT64 phys_top,
			const struct elf_image *img, UINT64 kernel_phys,
			UINT64 *pml4_out)
{
	UINT64 gib = phys_top / GIB, npdpt = (gib + 511) / 512;
	UINT64 span = img->vhigh - img->vlow;
	/* kernel: one PT per 2 MiB (+2 per segment for the ragged ends),
	 * one PD per GiB (+2), PDPTs for at most two PML4 slots */
	UINT64 kpages = span / MIB2 + 2 * img->nsegments + 2 + span / GIB + 2 + 2;
	UINT64 total = 1 + npdpt + gib + kpages;
	EFI_PHYSICAL_ADDRESS base;
	struct pool p;
	UINT64 *pml4, g, va;
	EFI_STATUS st;
	int i;

	/* The kernel must sit above the direct map in the higher half, or its
	 * 4 KiB mappings would land inside the 2 MiB identity/direct tables. */
	if (npdpt > 255 || img->vlow < RAYOS_HHDM_BASE ||
	    ((img->vlow >> 39) & 511) < 256 + npdpt)
		return EFI_UNSUPPORTED;
	st = alloc_pages(al, RAYOS_EFI_MEMTYPE_RECLAIM, total * PAGE_SIZE, &base);
	if (EFI_ERROR(st))
		return st;
	p.next = base;
	p.end = base + total * PAGE_SIZE;
	pml4 = pool_page(&p);

	/* identity + direct map: PDPTs filled with PDs of 2 MiB pages */
	for (g = 0; g < gib; g++) {
		UINT64 *pdpt = next_table(&p, pml4, g / 512), *pd;
		unsigned j;
		if (!pdpt || !(pd = next_table(&p, pdpt, g % 512)))
			return EFI_OUT_OF_RESOURCES;
		for (j = 0; j < 512; j++)
			pd[j] = (g * GIB + j * MIB2) | PTE_P | PTE_W | PTE_PS;
	}
	for (g = 0; g < npdpt; g++)
		pml4[256 + g] = pml4[g];

	/* the kernel image: phys = kernel_phys + (va - vlow) */
	for (i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->seg[i];
		UINT64 lo = s->vaddr & ~(PAGE_SIZE - 1);
		UINT64 hi = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		for (va = lo; va < hi; va += PAGE_SIZE)
			if (map_4k(&p, pml4, va, kernel_phys + (va - img->vlow)))
				return EFI_OUT_OF_RESOURCES;
	}
	*pml4_out = (UINT64)(UINTN)pml4;
	return EFI_SUCCESS;
}
