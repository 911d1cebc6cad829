/*
 * kernel/drivers/pci.c - PCI Express enumeration through ECAM, BAR sizing,
 * capabilities and MSI-X.
 *
 * The firmware (OVMF) has assigned every BAR and bus number already, so we
 * only discover: starting at the MCFG's first bus we scan 32 devices x 8
 * functions and follow PCI-to-PCI bridges to their secondary buses, which
 * visits every bus that can hold a device without mapping all 256 MiB of
 * configuration space. Each bus visited gets one 1 MiB ioremap(); a
 * function's 'ecam' pointer is its 4 KiB inside it.
 *
 * Interrupts: PCI devices use MSI-X only (no INTx routing, so no AML _PRT
 * needed). pci_msix_set() maps a device's MSI-X table on first use.
 */
#include "pci.h"
#include "acpi.h"
#include "irq.h"
#include "mm.h"

struct pci_device *pci_devices;

#define PCI_VENDOR_ID     0x00
#define PCI_DEVICE_ID     0x02
#define PCI_COMMAND       0x04
#define PCI_STATUS        0x06
#define PCI_REVISION      0x08
#define PCI_HEADER_TYPE   0x0e
#define PCI_BAR0          0x10
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBSYS_VENDOR 0x2c
#define PCI_SUBSYS_ID     0x2e
#define PCI_CAP_PTR       0x34

#define PCI_CMD_IO        (1u << 0)
#define PCI_CMD_MEM       (1u << 1)
#define PCI_CMD_MASTER    (1u << 2)
#define PCI_CMD_INTX_OFF  (1u << 10)
#define PCI_STATUS_CAPS   (1u << 4)

#define PCI_CAP_MSIX      0x11
#define MSIX_CTRL_ENABLE  (1u << 15)
#define MSIX_CTRL_FMASK   (1u << 14)

/* One MSI-X table mapping per device that asked for one. */
struct msix_map {
	struct pci_device *dev;
	volatile uint32_t *table;
	unsigned nentries;
	struct msix_map *next;
};
static struct msix_map *msix_maps;

static uint8_t *bus_ecam[256];   /* mapped config space per bus, or NULL */
static uint8_t bus_seen[256 / 8]; /* guards against bridge loops */

/* ---- config space access (ECAM is plain memory-mapped I/O) ------------------ */

uint8_t pci_read8(struct pci_device *d, unsigned off)
{
	return *(volatile uint8_t *)((uint8_t *)d->ecam + (off & 0xfff));
}
uint16_t pci_read16(struct pci_device *d, unsigned off)
{
	return *(volatile uint16_t *)((uint8_t *)d->ecam + (off & 0xffe));
}
uint32_t pci_read32(struct pci_device *d, unsigned off)
{
	return *(volatile uint32_t *)((uint8_t *)d->ecam + (off & 0xffc));
}
void pci_write8(struct pci_device *d, unsigned off, uint8_t v)
{
	*(volatile uint8_t *)((uint8_t *)d->ecam + (off & 0xfff)) = v;
}
void pci_write16(struct pci_device *d, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)((uint8_t *)d->ecam + (off & 0xffe)) = v;
}
void pci_write32(struct pci_device *d, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)((uint8_t *)d->ecam + (off & 0xffc)) = v;
}

/* ---- BARs ------------------------------------------------------------------ */

/*
 * Size the BARs the standard way: write all ones, read back which bits
 * stick, restore. Decoding is switched off meanwhile so that the device
 * never answers at the bogus all-ones address.
 */
static void size_bars(struct pci_device *d, int nbars)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);

	pci_write16(d, PCI_COMMAND, cmd & ~(PCI_CMD_IO | PCI_CMD_MEM));
	for (int i = 0; i < nbars; i++) {
		unsigned off = PCI_BAR0 + 4 * i;
		uint32_t orig = pci_read32(d, off), probe;
		uint64_t base, mask;

		pci_write32(d, off, 0xffffffff);
		probe = pci_read32(d, off);
		pci_write32(d, off, orig);
		if (orig & 1) { /* I/O space: 16-bit ports on x86 */
			mask = probe & ~3u & 0xffff;
			d->bar_is_io[i] = true;
			d->bar[i] = orig & ~3u & 0xffff;
			d->bar_size[i] = mask ? (~mask & 0xffff) + 1 : 0;
			continue;
		}
		base = orig & ~0xfu;
		mask = probe & ~0xfu;
		if (((orig >> 1) & 3) == 2 && i + 1 < nbars) { /* 64-bit */
			uint32_t orig_hi = pci_read32(d, off + 4), probe_hi;

			pci_write32(d, off + 4, 0xffffffff);
			probe_hi = pci_read32(d, off + 4);
			pci_write32(d, off + 4, orig_hi);
			base |= (uint64_t)orig_hi << 32;
			mask |= (uint64_t)probe_hi << 32;
			d->bar[i] = base;
			d->bar_size[i] = mask ? ~mask + 1 : 0;
			i++; /* the upper half is not a BAR of its own */
			continue;
		}
		d->bar[i] = base;
		d->bar_size[i] = mask ? (uint32_t)(~mask + 1) : 0;
	}
	pci_write16(d, PCI_COMMAND, cmd);
}

/* ---- enumeration ------------------------------------------------------------ */

static void scan_bus(unsigned bus);

static uint8_t *map_bus(unsigned bus)
{
	if (!bus_ecam[bus]) {
		phys_addr_t phys = acpi.mcfg_phys + ((phys_addr_t)bus << 20);
		bus_ecam[bus] = ioremap(phys, 1 << 20);
		if (!bus_ecam[bus])
			kprintf(KERN_ERR "pci: cannot map ECAM of bus %u\n", bus);
	}
	return bus_ecam[bus];
}

static void add_function(uint8_t *ecam, unsigned bus, unsigned dev, unsigned fn)
{
	struct pci_device *d = kzalloc(sizeof(*d)), **pp;
	uint32_t class;
	uint8_t htype;

	if (!d) {
		kprintf(KERN_ERR "pci: out of memory\n");
		return;
	}
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	d->ecam = ecam;
	d->vendor = pci_read16(d, PCI_VENDOR_ID);
	d->device = pci_read16(d, PCI_DEVICE_ID);
	class = pci_read32(d, PCI_REVISION);
	d->revision = class & 0xff;
	d->prog_if = class >> 8;
	d->subclass = class >> 16;
	d->class_code = class >> 24;
	htype = pci_read8(d, PCI_HEADER_TYPE) & 0x7f;
	if (htype == 0) {
		d->subsys_vendor = pci_read16(d, PCI_SUBSYS_VENDOR);
		d->subsys_id = pci_read16(d, PCI_SUBSYS_ID);
		size_bars(d, 6);
	} else if (htype == 1) {
		size_bars(d, 2);
	}

	kprintf("pci %02x:%02x.%x %04x:%04x class %02x.%02x\n", bus, dev, fn,
	        d->vendor, d->device, d->class_code, d->subclass);
	/* Keep the list in bus order. */
	for (pp = &pci_devices; *pp; pp = &(*pp)->next)
		;
	*pp = d;

	if (htype == 1) {
		unsigned sec = pci_read8(d, PCI_SECONDARY_BUS);
		if (sec > bus && sec >= acpi.mcfg_bus_start && sec <= acpi.mcfg_bus_end)
			scan_bus(sec);
		else if (sec)
			kprintf(KERN_WARNING "pci %02x:%02x.%x: bridge to bus %u ignored\n",
			        bus, dev, fn, sec);
	}
}

static void scan_bus(unsigned bus)
{
	uint8_t *ecam;

	if (bus_seen[bus / 8] & (1u << (bus % 8)))
		return;
	bus_seen[bus / 8] |= 1u << (bus % 8);
	ecam = map_bus(bus);
	if (!ecam)
		return;
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			uint8_t *cfg = ecam + (dev << 15 | fn << 12);
			uint16_t vendor = *(volatile uint16_t *)cfg;

			if (vendor == 0xffff || vendor == 0) {
				if (fn == 0)
					break; /* no device: skip its functions */
				continue;
			}
			add_function(cfg, bus, dev, fn);
			/* Functions 1-7 exist only on multi-function devices. */
			if (fn == 0 && !(cfg[PCI_HEADER_TYPE] & 0x80))
				break;
		}
	}
}

void pci_init(void)
{
	int n = 0;

	if (!acpi.mcfg_phys) {
		kprintf(KERN_WARNING "pci: no MCFG table, PCI devices unavailable\n");
		return;
	}
	scan_bus(acpi.mcfg_bus_start);
	for (struct pci_device *d = pci_devices; d; d = d->next)
		n++;
	kprintf("pci: %d function%s\n", n, n == 1 ? "" : "s");
}

/* ---- capabilities, bus mastering, MSI-X -------------------------------------- */

unsigned pci_find_cap(struct pci_device *d, uint8_t id, unsigned after)
{
	unsigned off;

	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAPS))
		return 0;
	off = after ? pci_read8(d, after + 1) : pci_read8(d, PCI_CAP_PTR);
	/* 48 is the most capabilities that fit in 192 bytes: a bound on a
	 * corrupt, looping list. */
	for (int n = 0; n < 48 && off >= 0x40; n++) {
		off &= 0xfc;
		if (pci_read8(d, off) == id)
			return off;
		off = pci_read8(d, off + 1);
	}
	return 0;
}

void pci_enable_bus_master(struct pci_device *d)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);

	cmd |= PCI_CMD_MEM | PCI_CMD_MASTER;
	for (int i = 0; i < 6; i++)
		if (d->bar_is_io[i] && d->bar_size[i])
			cmd |= PCI_CMD_IO;
	pci_write16(d, PCI_COMMAND, cmd);
}

static struct msix_map *msix_table(struct pci_device *d, unsigned cap)
{
	struct msix_map *m;
	uint32_t tbl = pci_read32(d, cap + 4);
	unsigned bir = tbl & 7, n = (pci_read16(d, cap + 2) & 0x7ff) + 1;
	uint64_t off = tbl & ~7u;

	for (m = msix_maps; m; m = m->next)
		if (m->dev == d)
			return m;
	if (bir > 5 || d->bar_is_io[bir] || !d->bar[bir] ||
	    off + 16ULL * n > d->bar_size[bir]) {
		kprintf(KERN_WARNING "pci %02x:%02x.%x: MSI-X table outside BAR%u\n",
		        d->bus, d->dev, d->fn, bir);
		return NULL;
	}
	m = kzalloc(sizeof(*m));
	if (!m)
		return NULL;
	m->table = ioremap(d->bar[bir] + off, 16 * n);
	if (!m->table) {
		kfree(m);
		return NULL;
	}
	m->dev = d;
	m->nentries = n;
	m->next = msix_maps;
	msix_maps = m;
	return m;
}

int pci_msix_set(struct pci_device *d, unsigned entry, int vector)
{
	unsigned cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	struct msix_map *m;
	volatile uint32_t *e;
	uint64_t addr;
	uint16_t ctrl;

	if (!cap)
		return -ENODEV;
	if (vector < 0 || vector > 0xff)
		return -EINVAL;
	m = msix_table(d, cap);
	if (!m)
		return -ENXIO;
	if (entry >= m->nentries)
		return -EINVAL;

	/* Enable with the whole function masked, so that no half-written
	 * entry can fire; INTx off since MSI-X replaces it. */
	pci_enable_bus_master(d);
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_INTX_OFF);
	ctrl = pci_read16(d, cap + 2);
	pci_write16(d, cap + 2, ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_FMASK);

	e = m->table + 4 * entry;
	addr = msi_address();
	e[3] |= 1;                 /* mask this entry while it changes */
	e[0] = (uint32_t)addr;
	e[1] = (uint32_t)(addr >> 32);
	e[2] = msi_data(vector);
	e[3] &= ~1u;               /* unmask */

	ctrl = pci_read16(d, cap + 2);
	pci_write16(d, cap + 2, (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FMASK);
	return 0;
}
