/*
 * kernel/arch/x86_64/irq.c - device interrupts: the vector table, the local
 * APIC, the I/O APICs and MSI.
 *
 * The legacy 8259 PICs are remapped out of the way and masked; ISA
 * interrupts (keyboard, COM1) go through the I/O APIC using the MADT's
 * source overrides; PCI devices use MSI/MSI-X, which needs no ACPI _PRT
 * routing (we have no AML interpreter). Every handler runs with interrupts
 * off and the EOI is sent after it returns.
 */
#include "acpi.h"
#include "arch.h"
#include "irq.h"
#include "kernel.h"
#include "mm.h"
#include "sync.h"

#define FIRST_DYN_VECTOR 0x80
#define LAST_DYN_VECTOR 0xef
#define TIMER_VECTOR 0xf0
#define SPURIOUS_VECTOR 0xff

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0

struct irq_slot {
	irq_handler_t handler;
	void *ctx;
};
static struct irq_slot slots[256];
static spinlock_t irq_lock = SPINLOCK_INIT("irq");
static volatile uint32_t *lapic;
static volatile uint32_t *ioapic_regs[ACPI_MAX_IOAPICS];
uint64_t irq_counts[256];

static inline uint32_t lapic_read(unsigned reg) { return lapic[reg / 4]; }
static inline void lapic_write(unsigned reg, uint32_t v) { lapic[reg / 4] = v; (void)lapic[LAPIC_ID / 4]; }

static void pic_disable(void)
{
	/* Remap the PICs to 0x20-0x2f (so stray IRQs don't look like CPU
	 * exceptions), then mask every line. */
	outb(0x20, 0x11); io_wait();
	outb(0xa0, 0x11); io_wait();
	outb(0x21, 0x20); io_wait();
	outb(0xa1, 0x28); io_wait();
	outb(0x21, 4); io_wait();
	outb(0xa1, 2); io_wait();
	outb(0x21, 1); io_wait();
	outb(0xa1, 1); io_wait();
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void lapic_init(void)
{
	pic_disable();
	uint64_t phys = acpi.lapic_phys ? acpi.lapic_phys : (rdmsr(0x1b) & ~0xfffULL);
	lapic = ioremap(phys, PAGE_SIZE);
	if (!lapic)
		panic("lapic: cannot map %#lx", phys);
	wrmsr(0x1b, rdmsr(0x1b) | (1 << 11)); /* APIC global enable */
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);
	this_cpu()->apic_id = lapic_id();
}

uint32_t lapic_id(void) { return lapic_read(LAPIC_ID) >> 24; }
void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

/* LAPIC timer: one-shot with the maximum count, for calibration. */
void lapic_timer_oneshot_max(void)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3); /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, 1 << 16); /* masked */
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
}
uint32_t lapic_timer_current(void) { return lapic_read(LAPIC_TIMER_CUR); }

void lapic_timer_periodic(uint32_t count)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, TIMER_VECTOR | (1 << 17)); /* periodic */
	lapic_write(LAPIC_TIMER_INIT, count);
}

static uint32_t ioapic_read(int i, unsigned reg)
{
	ioapic_regs[i][0] = reg;
	return ioapic_regs[i][4];
}

static void ioapic_write(int i, unsigned reg, uint32_t v)
{
	ioapic_regs[i][0] = reg;
	ioapic_regs[i][4] = v;
}

void ioapic_init(void)
{
	for (int i = 0; i < acpi.nioapics; i++) {
		ioapic_regs[i] = ioremap(acpi.ioapics[i].phys, PAGE_SIZE);
		if (!ioapic_regs[i])
			continue;
		unsigned n = ((ioapic_read(i, 1) >> 16) & 0xff) + 1;
		for (unsigned pin = 0; pin < n; pin++) {
			ioapic_write(i, 0x10 + 2 * pin, 1 << 16); /* masked */
			ioapic_write(i, 0x11 + 2 * pin, 0);
		}
		kprintf("ioapic: id %u at %#lx, GSI %u-%u\n", acpi.ioapics[i].id,
		        acpi.ioapics[i].phys, acpi.ioapics[i].gsi_base, acpi.ioapics[i].gsi_base + n - 1);
	}
}

int irq_alloc_vector(irq_handler_t handler, void *ctx)
{
	spin_lock(&irq_lock);
	for (int v = FIRST_DYN_VECTOR; v <= LAST_DYN_VECTOR; v++) {
		if (!slots[v].handler) {
			slots[v].handler = handler;
			slots[v].ctx = ctx;
			spin_unlock(&irq_lock);
			return v;
		}
	}
	spin_unlock(&irq_lock);
	return -ENOSPC;
}

void irq_set_handler(int vector, irq_handler_t handler, void *ctx)
{
	spin_lock(&irq_lock);
	slots[vector].handler = handler;
	slots[vector].ctx = ctx;
	spin_unlock(&irq_lock);
}

int irq_route_isa(unsigned isa_irq, irq_handler_t handler, void *ctx)
{
	if (isa_irq >= 16)
		return -EINVAL;
	uint32_t gsi = isa_irq;
	uint16_t flags = 0;
	if (acpi.isa[isa_irq].present) {
		gsi = acpi.isa[isa_irq].gsi;
		flags = acpi.isa[isa_irq].flags;
	}
	int io = -1;
	for (int i = 0; i < acpi.nioapics; i++) {
		unsigned n = ((ioapic_read(i, 1) >> 16) & 0xff) + 1;
		if (ioapic_regs[i] && gsi >= acpi.ioapics[i].gsi_base && gsi < acpi.ioapics[i].gsi_base + n)
			io = i;
	}
	if (io < 0) {
		kprintf(KERN_WARNING "irq: no I/O APIC serves ISA IRQ %u (GSI %u)\n", isa_irq, gsi);
		return -ENODEV;
	}
	int vec = irq_alloc_vector(handler, ctx);
	if (vec < 0)
		return vec;
	uint32_t lo = vec;
	if ((flags & 3) == 3)
		lo |= 1 << 13; /* active low */
	if (((flags >> 2) & 3) == 3)
		lo |= 1 << 15; /* level triggered */
	unsigned pin = gsi - acpi.ioapics[io].gsi_base;
	ioapic_write(io, 0x11 + 2 * pin, this_cpu()->apic_id << 24);
	ioapic_write(io, 0x10 + 2 * pin, lo);
	return vec;
}

int irq_route_gsi(unsigned gsi, bool level, bool active_low,
                  irq_handler_t handler, void *ctx)
{
	int io = -1;

	for (int i = 0; i < acpi.nioapics; i++) {
		unsigned n = ((ioapic_read(i, 1) >> 16) & 0xff) + 1;
		if (ioapic_regs[i] && gsi >= acpi.ioapics[i].gsi_base &&
		    gsi < acpi.ioapics[i].gsi_base + n)
			io = i;
	}
	if (io < 0)
		return -ENODEV;
	int vec = irq_alloc_vector(handler, ctx);
	if (vec < 0)
		return vec;
	uint32_t lo = vec | (active_low ? 1 << 13 : 0) | (level ? 1 << 15 : 0);
	unsigned pin = gsi - acpi.ioapics[io].gsi_base;
	ioapic_write(io, 0x11 + 2 * pin, this_cpu()->apic_id << 24);
	ioapic_write(io, 0x10 + 2 * pin, lo);
	return vec;
}

uint64_t msi_address(void) { return 0xfee00000ULL | ((uint64_t)this_cpu()->apic_id << 12); }
uint32_t msi_data(int vector) { return (uint32_t)vector; }

void irq_handle(struct trap_frame *tf)
{
	unsigned v = tf->vector;
	if (v == SPURIOUS_VECTOR)
		return;
	if (v < 0x30)
		return; /* a spurious IRQ from the masked legacy PIC */
	irq_counts[v]++;
	this_cpu()->irq_depth++;
	this_cpu()->irq_frame = tf;
	if (slots[v].handler)
		slots[v].handler(slots[v].ctx);
	this_cpu()->irq_depth--;
	lapic_eoi();
}
