/*
 * kernel/include/acpi.h - what the kernel learns from the ACPI tables
 * (kernel/drivers/acpi.c): RSDP -> XSDT -> MADT, FADT, MCFG, HPET.
 * No AML interpreter: the \_S5 sleep type is found by scanning the DSDT.
 */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include "kernel.h"

#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_CPUS 64

struct acpi_ioapic {
	uint8_t id;
	uint64_t phys;
	uint32_t gsi_base;
};

struct acpi_isa_override {
	bool present;
	uint32_t gsi;
	uint16_t flags; /* MPS INTI flags: polarity bits 0-1, trigger bits 2-3 */
};

struct acpi_info {
	bool present;
	uint64_t lapic_phys;
	int ncpus;
	uint8_t cpu_apic_ids[ACPI_MAX_CPUS];
	int nioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	struct acpi_isa_override isa[16];
	uint64_t hpet_phys;            /* 0 if no HPET table */
	uint64_t mcfg_phys;            /* ECAM base for segment 0; 0 if none */
	uint8_t mcfg_bus_start, mcfg_bus_end;
	/* FADT */
	uint32_t pm1a_cnt, pm1b_cnt;   /* I/O ports; 0 if absent */
	uint32_t pm_tmr;               /* ACPI PM timer port, 0 if absent */
	uint16_t slp_typa, slp_typb;   /* \_S5 values */
	bool s5_found;
	bool reset_supported;
	uint8_t reset_space;           /* 0 memory, 1 I/O */
	uint64_t reset_addr;
	uint8_t reset_value;
	uint8_t century_reg;           /* CMOS century register, 0 if none */
	bool has_8042;                 /* FADT IAPC_BOOT_ARCH bit 1 */
};

extern struct acpi_info acpi;

/* Parse the tables. Prints what it found; missing tables are not fatal. */
void acpi_init(uint64_t rsdp_phys);
/* Enter S5. Returns only if that failed. */
void acpi_poweroff(void);
/* Reset through the FADT reset register; returns only if that failed. */
void acpi_reboot(void);

#endif
