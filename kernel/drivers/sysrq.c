/*
 * kernel/drivers/sysrq.c - the magic SysRq actions behind
 * /proc/sysrq-trigger (root only, by the file's 0200 mode).
 *
 * 'c' crashes on purpose so the real fault path can be tested end to end:
 * a write through a NULL pointer in kernel mode becomes a page fault that
 * no fixup covers, so trap.c panics with the registers and a symbolized
 * backtrace (and panic=reboot then restarts the machine). 'b' and 'o'
 * restart or switch off immediately, without syncing, as Linux's do.
 */
#include "arch.h"
#include "kernel.h"
#include "klog.h"
#include "sysrq.h"

/* Not inlined, so the backtrace names it. */
__attribute__((noinline)) static void sysrq_crash(void)
{
	kprintf(KERN_EMERG "sysrq: triggering a crash (NULL pointer dereference)\n");
	int *p = NULL;
	/* Hide the NULL from the compiler: a store it can see is NULL would
	 * be undefined behaviour and could be compiled into a trap (ud2)
	 * instead of the page fault we want. */
	__asm__ volatile("" : "+r"(p));
	*(volatile int *)p = 1;
}

void sysrq_handle(char key)
{
	switch (key) {
	case 'c':
		sysrq_crash();
		break;
	case 'b':
		kprintf(KERN_EMERG "sysrq: resetting\n");
		machine_reboot();
	case 'o':
		kprintf(KERN_EMERG "sysrq: powering off\n");
		machine_power_off();
	default:
		break;  /* unknown keys are ignored, as on Linux */
	}
}
