/*
 * kernel/arch/x86_64/cpu.c - per-CPU set-up: the per-CPU block behind GS,
 * SSE for user programs, no-execute pages, and the SYSCALL instruction.
 *
 * The kernel itself is compiled without SSE (-mgeneral-regs-only), so the
 * FPU/SSE registers belong to user space alone: they are saved and restored
 * with fxsave/fxrstor on every task switch (fpu_save/fpu_restore).
 */
#include "arch.h"
#include "kernel.h"

static struct cpu boot_cpu;
extern void syscall_entry(void);

void cpu_init(void)
{
	boot_cpu.self = &boot_cpu;
	boot_cpu.id = 0;
	wrmsr(MSR_GS_BASE, (uint64_t)&boot_cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);

	/* SSE: CR0.MP on, EM off; CR4.OSFXSR, OSXMMEXCPT. */
	uint64_t cr0 = read_cr0();
	cr0 &= ~(1ULL << 2);        /* EM */
	cr0 |= (1ULL << 1);         /* MP */
	cr0 &= ~(1ULL << 3);        /* TS */
	cr0 |= (1ULL << 16);        /* WP: honour read-only pages in ring 0 */
	write_cr0(cr0);
	uint64_t cr4 = read_cr4();
	cr4 |= (1ULL << 9) | (1ULL << 10);
	write_cr4(cr4);
	__asm__ volatile("fninit");

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE | EFER_SCE);
}

void syscall_init(void)
{
	/* STAR[47:32]: kernel CS (SS = +8); STAR[63:48]: base of the user
	 * selectors for sysret (SS = +8, CS = +16). */
	wrmsr(MSR_STAR, ((uint64_t)(USER32_CS & ~3) << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Clear IF, TF, DF, AC, NT on entry. */
	wrmsr(MSR_FMASK, (1 << 9) | (1 << 8) | (1 << 10) | (1 << 18) | (1 << 14));
}

void fpu_save(uint8_t *area)
{
	__asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

void fpu_restore(const uint8_t *area)
{
	__asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

/* The state a new program starts with: default control words, nothing else. */
void fpu_init_state(uint8_t *area)
{
	memset(area, 0, 512);
	*(uint16_t *)(area + 0) = 0x037f;     /* FCW */
	*(uint32_t *)(area + 24) = 0x1f80;    /* MXCSR */
	*(uint32_t *)(area + 28) = 0xffff;    /* MXCSR_MASK */
}
