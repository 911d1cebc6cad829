/*
 * kernel/mm/kstack.c - kernel stacks with guard pages.
 *
 * Every task's kernel stack lives in its own slot of a dedicated window of
 * the kernel address space: KSTACK_SIZE of mapped pages above one page that
 * is never mapped. A stack that overflows runs into that page and faults;
 * the fault cannot be handled on the broken stack, so the CPU raises a
 * double fault, which runs on its own IST stack (gdt.c) and reports a panic
 * instead of silently overwriting whatever lay below, as it would in the
 * direct map. Freed slots are reused (a short free list), so the window
 * grows only with the largest number of tasks alive at once.
 */
#include "kernel.h"
#include "mm.h"
#include "paging.h"
#include "sync.h"
#include "task.h"

#define SLOT_SIZE (KSTACK_SIZE + PAGE_SIZE)
#define KSTACK_PAGES (KSTACK_SIZE / PAGE_SIZE)

static spinlock_t kstack_lock = SPINLOCK_INIT("kstack");
static uint64_t next_slot;
static uint64_t *free_slots;      /* stack of freed slot numbers */
static size_t nfree, free_cap;

static void unmap_stack(uint64_t base, int pages)
{
	for (int i = 0; i < pages; i++) {
		uint64_t *pte = pte_lookup(kernel_pml4, base + i * PAGE_SIZE, false);
		if (pte && (*pte & PTE_P)) {
			page_free(*pte & PTE_ADDR);
			*pte = 0;
			tlb_flush_page(base + i * PAGE_SIZE);
		}
	}
}

/* Returns the lowest address of a new stack, or 0. */
uint64_t kstack_alloc(void)
{
	spin_lock(&kstack_lock);
	uint64_t slot = nfree ? free_slots[--nfree] : next_slot++;
	spin_unlock(&kstack_lock);
	uint64_t base = KSTACK_WINDOW + slot * SLOT_SIZE + PAGE_SIZE; /* guard below */
	for (int i = 0; i < (int)KSTACK_PAGES; i++) {
		phys_addr_t p = page_alloc();
		if (!p || page_map(kernel_pml4, base + i * PAGE_SIZE, p, PTE_W | PTE_NX | PTE_G)) {
			if (p)
				page_free(p);
			unmap_stack(base, i);
			kstack_free_slot(slot);
			return 0;
		}
	}
	return base;
}

void kstack_free_slot(uint64_t slot)
{
	spin_lock(&kstack_lock);
	if (nfree == free_cap) {
		/* Grow the free list outside the lock would race; it is small and
		 * kmalloc never sleeps, so grow it here. */
		size_t cap = free_cap ? free_cap * 2 : 64;
		uint64_t *n = kmalloc(cap * sizeof(*n));
		if (!n) {
			spin_unlock(&kstack_lock);
			return; /* the slot is leaked, its pages are not */
		}
		memcpy(n, free_slots, nfree * sizeof(*n));
		kfree(free_slots);
		free_slots = n;
		free_cap = cap;
	}
	free_slots[nfree++] = slot;
	spin_unlock(&kstack_lock);
}

void kstack_free(uint64_t base)
{
	unmap_stack(base, KSTACK_PAGES);
	kstack_free_slot((base - PAGE_SIZE - KSTACK_WINDOW) / SLOT_SIZE);
}
