/*
 * kernel/arch/x86_64/trap.c - what happens on every interrupt and exception.
 *
 * Exceptions from user mode become signals for the task (page faults first
 * go to the memory manager, which may resolve them). Exceptions in kernel
 * mode are bugs - except page faults inside the user-copy routines, which
 * either resolve like user faults or resume at the routine's fixup, making
 * the copy return -EFAULT. Device interrupts go to the handler registered
 * for their vector. On the way out to user mode, pending work (rescheduling,
 * signals) is done by return_to_user_work().
 */
#include "arch.h"
#include "irq.h"
#include "kernel.h"
#include "klog.h"
#include "task.h"
#include "vm.h"
#include "mm.h"
#include "paging.h"

struct ex_entry {
	uint64_t start, end, fixup;
};
extern const struct ex_entry __ex_table_start[], __ex_table_end[];

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved", "x87 floating-point error", "alignment check", "machine check",
	"SIMD floating-point error", "virtualization exception", "control protection",
};

static const struct ex_entry *find_fixup(uint64_t rip)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (rip >= e->start && rip < e->end)
			return e;
	return NULL;
}

void dump_trap_frame(const struct trap_frame *tf)
{
	kprintf(KERN_EMERG "RIP %04lx:%016lx RFLAGS %08lx ERR %lx\n", tf->cs, tf->rip, tf->rflags, tf->error);
	kprintf(KERN_EMERG "RSP %04lx:%016lx CR2 %016lx CR3 %016lx\n", tf->ss, tf->rsp, read_cr2(), read_cr3());
	kprintf(KERN_EMERG "RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
	kprintf(KERN_EMERG "RSI %016lx RDI %016lx RBP %016lx R8  %016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->r8);
	kprintf(KERN_EMERG "R9  %016lx R10 %016lx R11 %016lx R12 %016lx\n", tf->r9, tf->r10, tf->r11, tf->r12);
	kprintf(KERN_EMERG "R13 %016lx R14 %016lx R15 %016lx\n", tf->r13, tf->r14, tf->r15);
}

__noreturn static void kernel_exception(struct trap_frame *tf)
{
	uint64_t cr2 = read_cr2();
	if (tf->vector == 8 && cr2 >= KSTACK_WINDOW && cr2 < KSTACK_WINDOW + (1ULL << 39) &&
	    (cr2 - KSTACK_WINDOW) % (KSTACK_SIZE + PAGE_SIZE) < PAGE_SIZE)
		panic_with_frame(tf, "kernel stack overflow: the stack ran into its guard page at %#lx",
		                 cr2);
	const char *name = tf->vector < 32 && exception_names[tf->vector] ? exception_names[tf->vector] : "exception";
	panic_with_frame(tf, "%s (vector %lu) in kernel mode", name, tf->vector);
}

static void user_exception(struct trap_frame *tf)
{
	int sig = SIGSEGV, code = SI_KERNEL;
	uint64_t addr = tf->rip;
	switch (tf->vector) {
	case 0: sig = SIGFPE; code = FPE_INTDIV; break;
	case 1: case 3: sig = SIGTRAP; code = TRAP_BRKPT; break;
	case 6: sig = SIGILL; code = ILL_ILLOPN; break;
	case 16: case 19: sig = SIGFPE; break;
	case 17: sig = SIGBUS; code = BUS_ADRERR; break;
	case 12: sig = SIGBUS; break;
	default: sig = SIGSEGV; addr = 0; break;
	}
	force_signal_fault(sig, code, addr);
}

static void page_fault(struct trap_frame *tf)
{
	uint64_t addr = read_cr2();
	bool user = frame_from_user(tf);
	if (user || addr < USER_TOP_VM) {
		struct task *t = current;
		int r = t && t->mm ? vm_fault(t->mm, addr, tf->error) : -EFAULT;
		if (r == 0)
			return;
		if (user) {
			if (r == -EIO) /* a file mapping past the end of its file */
				force_signal_fault(SIGBUS, BUS_ADRERR, addr);
			else
				force_signal_fault(r == -ENOMEM ? SIGKILL : SIGSEGV,
				                   r == -EACCES ? SEGV_ACCERR : SEGV_MAPERR, addr);
			return;
		}
	}
	const struct ex_entry *e = find_fixup(tf->rip);
	if (e) {
		tf->rip = e->fixup;
		return;
	}
	panic_with_frame(tf, "page fault at %#lx (%s %s, %s) in kernel mode", addr,
	                 tf->error & 1 ? "protection" : "not-present",
	                 tf->error & 2 ? "write" : "read",
	                 tf->error & 16 ? "instruction fetch" : "data");
}

void trap_dispatch(struct trap_frame *tf)
{
	uint64_t v = tf->vector;
	if (v == 14) {
		/* Faults in user copies may sleep (allocation, I/O): allow
		 * interrupts again if the faulting context had them. */
		if (tf->rflags & (1 << 9))
			irq_enable();
		page_fault(tf);
	} else if (v < 32) {
		if (v == 2) {
			kprintf(KERN_EMERG "NMI received\n");
			return;
		}
		if (frame_from_user(tf)) {
			irq_enable();
			user_exception(tf);
		} else {
			kernel_exception(tf);
		}
	} else {
		irq_handle(tf);
	}
	if (frame_from_user(tf))
		return_to_user_work(tf);
	else if ((tf->rflags & (1 << 9)) && this_cpu()->push_off_depth == 0 && current &&
	         current->need_resched)
		schedule(); /* kernel preemption: the interrupted code held no lock */
}
