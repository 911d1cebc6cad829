/*
 * kernel/arch/x86_64/panic.c - the end of the road: print what happened,
 * the registers and a symbolized backtrace on every console, then halt -
 * or reboot when the command line says panic=reboot.
 *
 * Symbols come from the kernel ELF's own .symtab, which the boot manager
 * loads and passes in the boot information (no second link step).
 */
#include "arch.h"
#include "kernel.h"
#include "klog.h"
#include "mm.h"
#include "task.h"

struct elf_sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

static const struct elf_sym *syms;
static size_t nsyms;
static const char *strs;
static size_t strs_size;
bool panic_reboot;
static volatile int panicking;

void symbols_init(uint64_t symtab_phys, uint64_t symtab_size, uint64_t strtab_phys,
                  uint64_t strtab_size)
{
	if (!symtab_phys || !strtab_phys)
		return;
	syms = phys_to_virt(symtab_phys);
	nsyms = symtab_size / sizeof(struct elf_sym);
	strs = phys_to_virt(strtab_phys);
	strs_size = strtab_size;
}

const char *symbol_lookup(uint64_t addr, uint64_t *offset)
{
	const struct elf_sym *best = NULL;
	for (size_t i = 0; i < nsyms; i++) {
		const struct elf_sym *s = &syms[i];
		if ((s->info & 0xf) != 2 /* STT_FUNC */ || s->value > addr)
			continue;
		if (!best || s->value > best->value)
			best = s;
	}
	if (!best || best->name >= strs_size || (best->size && addr >= best->value + best->size + 64))
		return NULL;
	*offset = addr - best->value;
	return strs + best->name;
}

static void print_addr(uint64_t addr)
{
	uint64_t off;
	const char *name = symbol_lookup(addr, &off);
	if (name)
		kprintf(KERN_EMERG "  [<%016lx>] %s+%#lx\n", addr, name, off);
	else
		kprintf(KERN_EMERG "  [<%016lx>] ?\n", addr);
}

void backtrace_from(uint64_t rbp, uint64_t rip)
{
	kprintf(KERN_EMERG "Backtrace:\n");
	print_addr(rip);
	for (int depth = 0; depth < 32 && rbp; depth++) {
		/* Only follow frame pointers into kernel memory. */
		if (rbp < RAYOS_HHDM_BASE || (rbp & 7))
			break;
		uint64_t *frame = (uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (ret < RAYOS_KERNEL_BASE)
			break;
		print_addr(ret);
		rbp = frame[0];
	}
}

__noreturn static void panic_end(void)
{
	if (panic_reboot) {
		kprintf(KERN_EMERG "Rebooting in 1 second (panic=reboot)\n");
		for (volatile uint64_t i = 0; i < 300000000ULL; i++)
			;
		machine_reboot();
	}
	kprintf(KERN_EMERG "System halted.\n");
	for (;;) {
		irq_disable();
		hlt();
	}
}

static void panic_header(const char *fmt, va_list ap)
{
	irq_disable();
	if (panicking++) {
		/* A panic while panicking: stop at once. */
		for (;;)
			hlt();
	}
	printk_panic_mode();
	kprintf(KERN_EMERG "\n*** KERNEL PANIC: ");
	vkprintf(fmt, ap);
	kprintf("\n");
	struct task *t = this_cpu() ? this_cpu()->task : NULL;
	if (t)
		kprintf(KERN_EMERG "in task %d (%s)\n", t->tid, t->comm);
}

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	panic_header(fmt, ap);
	va_end(ap);
	backtrace_from((uint64_t)__builtin_frame_address(0), (uint64_t)&&here);
here:
	panic_end();
}

__noreturn void panic_with_frame(struct trap_frame *tf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	panic_header(fmt, ap);
	va_end(ap);
	dump_trap_frame(tf);
	backtrace_from(tf->rbp, tf->rip);
	panic_end();
}
