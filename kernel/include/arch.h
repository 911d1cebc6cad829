/*
 * kernel/include/arch.h - x86_64 instructions, registers and the per-CPU
 * block (kernel/arch/x86_64/).
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include "irq.h"
#include "kernel.h"

/* Segment selectors (kernel/arch/x86_64/gdt.c). The user selectors are laid
 * out as syscall/sysret require: STAR[63:48] = USER32_CS, so that sysret
 * loads SS = USER32_CS + 8 and CS = USER32_CS + 16. */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER32_CS 0x1b
#define USER_DS 0x23
#define USER_CS 0x2b
#define TSS_SEL 0x30

/* The registers saved on every entry to the kernel from an interrupt,
 * exception or system call; the layout matches kernel/arch/x86_64/entry.S. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;   /* interrupt vector; VECTOR_SYSCALL for syscalls */
	uint64_t error;    /* CPU error code or 0 */
	uint64_t rip, cs, rflags, rsp, ss; /* as pushed by the CPU */
};
#define VECTOR_SYSCALL 0x100

static inline bool frame_from_user(const struct trap_frame *tf)
{
	return (tf->cs & 3) == 3;
}

/* Per-CPU block, reached through the GS base while in the kernel. The first
 * fields are used by assembly at fixed offsets. */
struct cpu {
	struct cpu *self;        /* 0: for %gs:0 */
	uint64_t kernel_rsp;     /* 8: top of the current task's kernel stack */
	uint64_t user_rsp;       /* 16: scratch during syscall entry */
	struct task *task;       /* 24: current task */
	int id;
	uint32_t apic_id;
	int irq_depth;           /* interrupt nesting */
	int push_off_depth;      /* irq_push_off nesting */
	bool push_off_if;        /* IF before the outermost push_off */
	struct task *idle;
	struct trap_frame *irq_frame; /* frame of the interrupt being handled */
};
#define CPU_KERNEL_RSP 8
#define CPU_USER_RSP 16

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline void io_wait(void) { outb(0x80, 0); }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_SCE (1 << 0)
#define EFER_NXE (1 << 11)

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt"); }
static inline void cpu_relax(void) { __asm__ volatile("pause"); }
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                         uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

void gdt_init(void);
void tss_set_kernel_stack(uint64_t rsp0);
void idt_init(void);
void cpu_init(void);           /* SSE, NX, syscall MSRs, per-CPU block */
void syscall_init(void);
void lapic_init(void);
void lapic_eoi(void);
uint32_t lapic_id(void);
void ioapic_init(void);
void timer_init(void);         /* clock source + periodic LAPIC tick */
void rtc_init(void);           /* wall clock from the CMOS RTC */
void fpu_save(uint8_t *area);
void fpu_restore(const uint8_t *area);
void fpu_init_state(uint8_t *area);
void backtrace_from(uint64_t rbp, uint64_t rip);
const char *symbol_lookup(uint64_t addr, uint64_t *offset);
void symbols_init(uint64_t symtab_phys, uint64_t symtab_size,
                  uint64_t strtab_phys, uint64_t strtab_size);
void dump_trap_frame(const struct trap_frame *tf);
__noreturn void panic_with_frame(struct trap_frame *tf, const char *fmt, ...) __printf(2, 3);
void irq_handle(struct trap_frame *tf);

/* Switch kernel stacks: save callee-saved registers and rsp into *old_rsp,
 * load new_rsp and return into the other task (kernel/arch/x86_64/switch.S). */
void context_switch(uint64_t *old_rsp, uint64_t new_rsp);
/* Where a new task starts: returns to user mode through its trap frame. */
void task_entry_trampoline(void);
/* Leave the kernel through a trap frame (entry.S). */
__noreturn void trap_return(struct trap_frame *tf);

void machine_power_off(void) __noreturn;
void machine_reboot(void) __noreturn;
void machine_halt(void) __noreturn;

#endif
