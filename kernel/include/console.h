/*
 * kernel/include/console.h - kernel output sinks and input sources.
 *
 * Output: kprintf and the tty write to every registered console (COM1 and
 * the framebuffer). Input: the serial port and the PS/2 keyboard call
 * tty_input() from their interrupt handlers.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel.h"
#include <rayos/bootinfo.h>

struct console {
	const char *name;
	void (*write)(struct console *c, const char *buf, size_t len);
	struct console *next;
};
void console_register(struct console *c);
void console_write(const char *buf, size_t len); /* to every console */

/* COM1 (kernel/drivers/serial.c) */
void serial_early_init(void);   /* polling output, before interrupts */
void serial_init_irq(void);     /* interrupt-driven input */
void serial_putc_polled(char c);

/* Framebuffer text console (kernel/drivers/fbcon.c). The font is a PSF
 * embedded at build time from Debian's console fonts. */
void fbcon_init(const struct rayos_framebuffer *fb);
/* PS/2 keyboard (kernel/drivers/ps2kbd.c), US layout. */
void ps2kbd_init(void);

/* The console tty's input path (kernel/drivers/tty.c). Safe in interrupt
 * context. */
void tty_input(const char *buf, size_t len);

#endif
