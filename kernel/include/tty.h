/*
 * kernel/include/tty.h - the console terminal (kernel/drivers/tty.c):
 * line discipline (canonical editing, echo, signals), termios and window
 * size, process-group job control hooks. Device nodes: /dev/console,
 * /dev/tty, /dev/ttyS0 all refer to the one console tty for now.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include "kernel.h"

void tty_init(void); /* registers the device nodes; after vfs_init() */

#endif
