/*
 * kernel/drivers/portio.h - x86 I/O port access for the drivers in this
 * directory (ACPI PM registers, the i8042). Kept local to the drivers so it
 * cannot clash with whatever the architecture code defines for itself.
 */
#ifndef KERNEL_DRIVERS_PORTIO_H
#define KERNEL_DRIVERS_PORTIO_H

#include <stdint.h>

static inline uint8_t port_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t port_inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void port_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void port_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void port_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#endif
