/*
 * kernel/include/paging.h - 4-level page tables (kernel/mm/paging.c).
 *
 * Layout of the address space:
 *   0x0000000000000000 - 0x00007fffffffffff  user (one struct mm per process)
 *   0xffff800000000000 - ...                  direct map of RAM (HHDM)
 *   0xffffc00000000000 - ...                  MMIO window (ioremap)
 *   0xffffc80000000000 - ...                  kernel stacks with guard pages
 *   0xffffffff80000000 - ...                  kernel image
 * The kernel half (PML4 entries 256-511) is created once at boot and then
 * copied into every process's PML4, so kernel mappings are the same in every
 * address space; no new top-level kernel entry may appear after that.
 */
#ifndef KERNEL_PAGING_H
#define KERNEL_PAGING_H

#include "kernel.h"

#define PTE_P (1ULL << 0)
#define PTE_W (1ULL << 1)
#define PTE_U (1ULL << 2)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_A (1ULL << 5)
#define PTE_D (1ULL << 6)
#define PTE_PS (1ULL << 7)
#define PTE_G (1ULL << 8)
#define PTE_COW (1ULL << 9) /* software: private page shared until written */
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

#define IOREMAP_BASE 0xffffc00000000000ULL
#define KSTACK_WINDOW 0xffffc80000000000ULL /* kernel stacks (kernel/mm/kstack.c) */
#define USER_TOP_ADDR 0x0000800000000000ULL

extern phys_addr_t kernel_pml4;

void paging_init(const struct rayos_bootinfo *bi);
/* Pointer to the last-level entry for va, creating tables if create. NULL if
 * absent (or a table could not be allocated). */
uint64_t *pte_lookup(phys_addr_t pml4, uint64_t va, bool create);
int page_map(phys_addr_t pml4, uint64_t va, phys_addr_t pa, uint64_t flags);
/* A new PML4 for a process: kernel half copied, user half empty. */
phys_addr_t pml4_new(void);
/* Free every user-half table page (not the pages they map) and the PML4. */
void pml4_free_user_tables(phys_addr_t pml4);
/* Page-table pages below pml4 in the user half (VmPTE). */
uint64_t pml4_user_table_pages(phys_addr_t pml4);
void tlb_flush_all(void);
/* Kernel stacks (kernel/mm/kstack.c): KSTACK_SIZE bytes above an unmapped
 * guard page. kstack_alloc returns the lowest address, or 0. */
uint64_t kstack_alloc(void);
void kstack_free(uint64_t base);
void kstack_free_slot(uint64_t slot);
static inline void tlb_flush_page(uint64_t va) { __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory"); }

#endif
