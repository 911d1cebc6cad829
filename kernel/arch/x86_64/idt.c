/*
 * kernel/arch/x86_64/idt.c - the interrupt descriptor table. Every vector
 * points at its stub in entry.S; double fault, NMI and machine check run on
 * their own IST stacks (gdt.c).
 */
#include "arch.h"
#include "kernel.h"

struct idt_entry {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __packed;

static struct idt_entry idt[256] __aligned(16);
extern const uint64_t isr_stub_table[256];

static void set_gate(int vec, uint64_t handler, int ist, int dpl)
{
	idt[vec].off_lo = handler & 0xffff;
	idt[vec].sel = KERNEL_CS;
	idt[vec].ist = ist;
	idt[vec].type = 0x8e | (dpl << 5); /* present, 64-bit interrupt gate */
	idt[vec].off_mid = (handler >> 16) & 0xffff;
	idt[vec].off_hi = handler >> 32;
	idt[vec].zero = 0;
}

void idt_init(void)
{
	for (int i = 0; i < 256; i++)
		set_gate(i, isr_stub_table[i], 0, 0);
	set_gate(2, isr_stub_table[2], 2, 0);  /* NMI */
	set_gate(8, isr_stub_table[8], 1, 0);  /* double fault */
	set_gate(18, isr_stub_table[18], 3, 0); /* machine check */
	set_gate(3, isr_stub_table[3], 0, 3);  /* int3 allowed from user */

	struct {
		uint16_t limit;
		uint64_t base;
	} __packed p = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" ::"m"(p));
}
