/*
 * kernel/include/pci.h - PCI Express configuration through ECAM
 * (kernel/drivers/pci.c). The firmware has already assigned BARs; we keep
 * its assignment.
 */
#ifndef KERNEL_PCI_H
#define KERNEL_PCI_H

#include "kernel.h"

struct pci_device {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t class_code, subclass, prog_if, revision;
	uint16_t subsys_vendor, subsys_id;
	uint64_t bar[6];      /* physical base (memory) or port (I/O) */
	uint64_t bar_size[6];
	bool bar_is_io[6];
	void *ecam;           /* mapped config space (4 KiB) */
	struct pci_device *next;
};

extern struct pci_device *pci_devices; /* list of all functions found */

void pci_init(void); /* enumerate through ECAM (acpi.mcfg_phys) */
uint8_t pci_read8(struct pci_device *d, unsigned off);
uint16_t pci_read16(struct pci_device *d, unsigned off);
uint32_t pci_read32(struct pci_device *d, unsigned off);
void pci_write8(struct pci_device *d, unsigned off, uint8_t v);
void pci_write16(struct pci_device *d, unsigned off, uint16_t v);
void pci_write32(struct pci_device *d, unsigned off, uint32_t v);
/* Offset of the first (or next after 'after'; 0 = from the start) capability
 * with the given id, or 0. */
unsigned pci_find_cap(struct pci_device *d, uint8_t id, unsigned after);
void pci_enable_bus_master(struct pci_device *d);
/* Enable MSI-X and point table entry 'entry' at vector. Returns 0/-errno. */
int pci_msix_set(struct pci_device *d, unsigned entry, int vector);

#endif
