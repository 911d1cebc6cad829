/*
 * kernel/arch/x86_64/gdt.c - segments and the task-state segment.
 *
 * Long mode ignores segment bases and limits except for FS/GS (set through
 * MSRs) and the TSS, which gives the CPU the kernel stack to use when an
 * interrupt arrives in ring 3 (rsp0) and separate known-good stacks (IST) for
 * double faults, NMIs and machine checks, which may strike while the normal
 * stack is unusable.
 */
#include "arch.h"
#include "kernel.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

static struct tss tss;
static uint64_t gdt[9];
static uint8_t ist_stacks[3][8192] __aligned(16);

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

#define SEG_CODE64_KERNEL 0x00af9a000000ffffULL
#define SEG_DATA_KERNEL 0x00cf92000000ffffULL
#define SEG_CODE32_USER 0x00cffa000000ffffULL
#define SEG_DATA_USER 0x00cff2000000ffffULL
#define SEG_CODE64_USER 0x00affa000000ffffULL

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[1] = SEG_CODE64_KERNEL; /* 0x08 */
	gdt[2] = SEG_DATA_KERNEL;   /* 0x10 */
	gdt[3] = SEG_CODE32_USER;   /* 0x18 (unused, for the sysret layout) */
	gdt[4] = SEG_DATA_USER;     /* 0x20 */
	gdt[5] = SEG_CODE64_USER;   /* 0x28 */

	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;
	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
	         (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[7] = base >> 32;

	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)&ist_stacks[i][sizeof(ist_stacks[i])];
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */

	struct gdt_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq $0x08\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw $0x10, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		/* FS and GS are left alone: loading a selector would clear
		 * the GS base that holds the per-CPU block. */
		"movw $0x30, %%ax\n\t"
		"ltr %%ax\n\t"
		:
		: "m"(p)
		: "rax", "memory");
}

void tss_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
