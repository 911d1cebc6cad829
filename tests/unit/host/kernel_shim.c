/*
 * tests/unit/host/kernel_shim.c - the few kernel services that kernel code
 * under test needs on the host: the log, panic, and spinlocks (no-ops: the
 * tests are single-threaded).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"
#include "sync.h"

uint64_t host_hhdm_base;
int host_panics;
jmp_buf *host_panic_jmp;

void kprintf(const char *fmt, ...)
{
	if (!getenv("UNIT_VERBOSE"))
		return;
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	host_panics++;
	if (host_panic_jmp)
		longjmp(*host_panic_jmp, 1);
	abort();
}

void spin_lock(spinlock_t *l) { l->locked = 1; }
void spin_unlock(spinlock_t *l) { l->locked = 0; }
