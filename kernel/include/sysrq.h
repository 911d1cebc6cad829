/*
 * kernel/include/sysrq.h - "magic" requests (kernel/drivers/sysrq.c),
 * reached through /proc/sysrq-trigger, root only.
 */
#ifndef KERNEL_SYSRQ_H
#define KERNEL_SYSRQ_H

/* Act on one key as Linux does: 'c' crash (a NULL dereference in kernel
 * mode, to exercise the panic path), 'b' reboot at once, 'o' power off.
 * Other keys are ignored. Returns only for those. */
void sysrq_handle(char key);

#endif
