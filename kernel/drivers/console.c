/*
 * kernel/drivers/console.c - the list of output consoles (serial,
 * framebuffer). console_write() sends bytes to all of them.
 */
#include "console.h"
#include "kernel.h"

static struct console *consoles;

void console_register(struct console *c)
{
	c->next = consoles;
	consoles = c;
}

void console_write(const char *buf, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, buf, len);
}
