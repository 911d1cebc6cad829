/*
 * kernel/mm/paging.c - building and editing page tables; the kernel's own
 * tables and the MMIO window. See kernel/include/paging.h for the layout.
 */
#include "arch.h"
#include "kernel.h"
#include "mm.h"
#include "paging.h"
#include "sync.h"

phys_addr_t kernel_pml4;
static bool kernel_half_frozen;
static uint64_t ioremap_next = IOREMAP_BASE;
static spinlock_t ioremap_lock = SPINLOCK_INIT("ioremap");

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[], __kernel_start[];

static inline uint64_t *table(phys_addr_t p) { return phys_to_virt(p & PTE_ADDR); }

uint64_t *pte_lookup(phys_addr_t pml4, uint64_t va, bool create)
{
	uint64_t *t = table(pml4);
	for (int level = 3; level > 0; level--) {
		unsigned idx = (va >> (12 + 9 * level)) & 511;
		uint64_t e = t[idx];
		if (!(e & PTE_P)) {
			if (!create)
				return NULL;
			BUG_ON(level == 3 && idx >= 256 && kernel_half_frozen);
			phys_addr_t n = page_alloc_zero();
			if (!n)
				return NULL;
			/* Intermediate entries are permissive; the leaf decides. */
			e = n | PTE_P | PTE_W | (va < USER_TOP_ADDR ? PTE_U : 0);
			t[idx] = e;
		} else if (e & PTE_PS) {
			return NULL; /* a large page covers va */
		}
		t = table(e);
	}
	return &t[(va >> 12) & 511];
}

int page_map(phys_addr_t pml4, uint64_t va, phys_addr_t pa, uint64_t flags)
{
	uint64_t *pte = pte_lookup(pml4, va, true);
	if (!pte)
		return -ENOMEM;
	*pte = (pa & PTE_ADDR) | flags | PTE_P;
	return 0;
}

static void map_2m(phys_addr_t pml4, uint64_t va, phys_addr_t pa, uint64_t flags)
{
	uint64_t *t = table(pml4);
	for (int level = 3; level > 1; level--) {
		unsigned idx = (va >> (12 + 9 * level)) & 511;
		if (!(t[idx] & PTE_P)) {
			phys_addr_t n = page_alloc_zero();
			if (!n)
				panic("paging: out of memory building the direct map");
			t[idx] = n | PTE_P | PTE_W;
		}
		t = table(t[idx]);
	}
	t[(va >> 21) & 511] = (pa & ~0x1fffffULL) | flags | PTE_P | PTE_PS;
}

static bool is_ram_type(uint32_t t)
{
	return t == RAYOS_MEM_USABLE || t == RAYOS_MEM_KERNEL ||
	       t == RAYOS_MEM_BOOT_RECLAIMABLE || t == RAYOS_MEM_ACPI_RECLAIMABLE ||
	       t == RAYOS_MEM_ACPI_NVS;
}

void paging_init(const struct rayos_bootinfo *bi)
{
	kernel_pml4 = page_alloc_zero();
	if (!kernel_pml4)
		panic("paging: no memory for the kernel PML4");

	/* Direct map: every 2 MiB region that holds RAM (incl. ACPI tables). */
	const struct rayos_mmap_entry *map = phys_to_virt(bi->mmap_phys);
	uint64_t top = 0;
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		if (!is_ram_type(map[i].type))
			continue;
		uint64_t s = ALIGN_DOWN(map[i].base, 0x200000ULL);
		uint64_t e = ALIGN_UP(map[i].base + map[i].length, 0x200000ULL);
		for (uint64_t a = MAX(s, top); a < e; a += 0x200000ULL)
			map_2m(kernel_pml4, RAYOS_HHDM_BASE + a, a, PTE_W | PTE_G | PTE_NX);
		top = MAX(top, e);
	}

	/* The kernel image with the permissions of each part. */
	for (char *va = __kernel_start; va < __kernel_end; va += PAGE_SIZE) {
		phys_addr_t pa = bi->kernel_phys + ((uint64_t)va - bi->kernel_virt);
		uint64_t flags = PTE_G;
		if (va >= __text_start && va < __text_end)
			flags |= 0;
		else if (va >= __rodata_start && va < __rodata_end)
			flags |= PTE_NX;
		else
			flags |= PTE_W | PTE_NX;
		if (page_map(kernel_pml4, (uint64_t)va, pa, flags))
			panic("paging: cannot map the kernel image");
	}

	/* Pre-create the top-level entries of the MMIO and stack windows so that the
	 * kernel half never changes after processes exist. */
	if (!pte_lookup(kernel_pml4, IOREMAP_BASE, true))
		panic("paging: cannot create the MMIO window");
	if (!pte_lookup(kernel_pml4, KSTACK_WINDOW, true))
		panic("paging: cannot create the kernel stack window");

	write_cr3(kernel_pml4);
	kernel_half_frozen = true;
}

void *ioremap(phys_addr_t phys, size_t size)
{
	phys_addr_t start = ALIGN_DOWN(phys, PAGE_SIZE);
	size_t len = ALIGN_UP(phys + size, PAGE_SIZE) - start;
	spin_lock(&ioremap_lock);
	uint64_t va = ioremap_next;
	ioremap_next += len + PAGE_SIZE; /* leave a guard page */
	spin_unlock(&ioremap_lock);
	for (size_t off = 0; off < len; off += PAGE_SIZE)
		if (page_map(kernel_pml4, va + off, start + off,
		             PTE_W | PTE_PCD | PTE_PWT | PTE_NX | PTE_G))
			return NULL;
	return (void *)(va + (phys - start));
}

phys_addr_t pml4_new(void)
{
	phys_addr_t p = page_alloc_zero();
	if (!p)
		return 0;
	memcpy((uint64_t *)phys_to_virt(p) + 256, (uint64_t *)phys_to_virt(kernel_pml4) + 256,
	       256 * sizeof(uint64_t));
	return p;
}

static void free_level(phys_addr_t t, int level)
{
	uint64_t *e = table(t);
	if (level > 1)
		for (int i = 0; i < 512; i++)
			if ((e[i] & PTE_P) && !(e[i] & PTE_PS))
				free_level(e[i] & PTE_ADDR, level - 1);
	page_free(t);
}

static uint64_t count_level(phys_addr_t t, int level)
{
	uint64_t n = 1, *e = table(t);
	if (level > 1)
		for (int i = 0; i < 512; i++)
			if ((e[i] & PTE_P) && !(e[i] & PTE_PS))
				n += count_level(e[i] & PTE_ADDR, level - 1);
	return n;
}

uint64_t pml4_user_table_pages(phys_addr_t pml4)
{
	uint64_t n = 0, *e = table(pml4);
	for (int i = 0; i < 256; i++)
		if (e[i] & PTE_P)
			n += count_level(e[i] & PTE_ADDR, 3);
	return n;
}

void pml4_free_user_tables(phys_addr_t pml4)
{
	uint64_t *e = table(pml4);
	for (int i = 0; i < 256; i++)
		if (e[i] & PTE_P)
			free_level(e[i] & PTE_ADDR, 3);
	page_free(pml4);
}

void tlb_flush_all(void)
{
	write_cr3(read_cr3());
}
