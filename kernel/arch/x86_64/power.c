/*
 * kernel/arch/x86_64/power.c - turning the machine off or restarting it:
 * ACPI S5 / the FADT reset register first, then the legacy fallbacks.
 */
#include "acpi.h"
#include "arch.h"
#include "kernel.h"

__noreturn void machine_power_off(void)
{
	irq_disable();
	acpi_poweroff();
	/* QEMU's isa-debug-exit, if the test harness added one, is a last
	 * resort that still ends the emulator. */
	kprintf(KERN_EMERG "power off failed: halting\n");
	machine_halt();
}

__noreturn void machine_reboot(void)
{
	irq_disable();
	acpi_reboot();
	/* 8042 reset pulse, then a triple fault. */
	for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
		;
	outb(0x64, 0xfe);
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed null_idt = { 0, 0 };
	__asm__ volatile("lidt %0; int3" ::"m"(null_idt));
	machine_halt();
}

__noreturn void machine_halt(void)
{
	irq_disable();
	for (;;)
		hlt();
}
