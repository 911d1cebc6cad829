/*
 * kernel/include/irq.h - interrupt vectors, the I/O APIC and MSI
 * (kernel/arch/x86_64/irq.c, apic.c).
 *
 * Vectors 0-31 are CPU exceptions, 32-47 are reserved (legacy PIC, masked),
 * 0x80-0xef are handed out by irq_alloc_vector(), 0xf0 is the LAPIC timer,
 * 0xfe the panic IPI, 0xff spurious. The generic dispatcher sends the EOI
 * after the handler returns; handlers run with interrupts off.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "kernel.h"

typedef void (*irq_handler_t)(void *ctx);

/* Allocate a free vector and install handler on it. Returns the vector
 * (0x80..0xef) or -ENOSPC. */
int irq_alloc_vector(irq_handler_t handler, void *ctx);

/* Route legacy ISA IRQ n (0-15) to a new vector with handler, honouring the
 * MADT's interrupt source overrides. Returns the vector or -errno. */
int irq_route_isa(unsigned isa_irq, irq_handler_t handler, void *ctx);

/* Route global system interrupt gsi (a PCI INTx line, found by the
 * caller) to a new vector with handler. Returns the vector or -errno. */
int irq_route_gsi(unsigned gsi, bool level, bool active_low,
                  irq_handler_t handler, void *ctx);

/* Values to program into an MSI/MSI-X address and data register so that
 * the device interrupts this CPU (the BSP) on vector. */
uint64_t msi_address(void);
uint32_t msi_data(int vector);

/* Save-and-disable / restore the interrupt flag. */
static inline uint64_t irq_save(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
	return flags;
}
static inline void irq_restore(uint64_t flags)
{
	if (flags & (1 << 9))
		__asm__ volatile("sti" ::: "memory");
}
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline bool irq_enabled(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return flags & (1 << 9);
}

#endif
