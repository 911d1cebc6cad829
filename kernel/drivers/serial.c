/*
 * kernel/drivers/serial.c - COM1, a 16550 UART at I/O port 0x3f8.
 *
 * Output is polled (wait for the transmit holding register to empty), which
 * works from any context including a panic. Input is interrupt driven once
 * interrupts are up: every received byte goes to the console tty.
 */
#include "arch.h"
#include "console.h"
#include "irq.h"
#include "kernel.h"

#define COM1 0x3f8

static bool present;

void serial_putc_polled(char c)
{
	if (!present)
		return;
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		cpu_relax();
	outb(COM1, c);
}

static void serial_write(struct console *c __unused, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		serial_putc_polled(buf[i]);
}

static struct console serial_console = { .name = "ttyS0", .write = serial_write };

void serial_early_init(void)
{
	outb(COM1 + 1, 0x00); /* interrupts off */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + 4, 0x0b); /* DTR, RTS, OUT2 (IRQ line enable) */
	/* Loopback self-test: a missing UART reads back 0xff. */
	outb(COM1 + 4, 0x1e);
	outb(COM1, 0xae);
	present = inb(COM1) == 0xae;
	outb(COM1 + 4, 0x0b);
	if (present)
		console_register(&serial_console);
}

static void serial_interrupt(void *ctx __unused)
{
	char buf[16];
	size_t n = 0;
	while ((inb(COM1 + 5) & 1) && n < sizeof(buf))
		buf[n++] = inb(COM1);
	if (n)
		tty_input(buf, n);
}

void serial_init_irq(void)
{
	if (!present)
		return;
	if (irq_route_isa(4, serial_interrupt, NULL) < 0)
		return;
	outb(COM1 + 1, 0x01); /* interrupt on received data */
	while (inb(COM1 + 5) & 1)
		(void)inb(COM1);
}
