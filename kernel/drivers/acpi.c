/*
 * kernel/drivers/acpi.c - read the firmware's ACPI tables once at boot.
 *
 * RSDP -> XSDT (or the RSDT of ACPI 1.0) -> every table, each checksummed
 * before it is believed. From the MADT we take the CPUs, I/O APICs and ISA
 * interrupt overrides; from the FADT the PM1 control ports, PM timer, reset
 * register, century register, 8042 flag and the DSDT; from MCFG the ECAM
 * window; from HPET its base. There is no AML interpreter: the \_S5 sleep
 * type needed for power-off is found by pattern-matching the DSDT (and SSDTs)
 * bytecode, which is what every hobby kernel and many real ones do.
 *
 * acpi_init() runs before the heap and the APICs exist: it uses only the
 * direct map (the tables sit in RAM, ACPI-reclaimable or NVS, which the boot
 * page tables and ours map) and kprintf. Corrupt tables are logged and
 * skipped, never fatal; the acpi structure keeps safe defaults.
 */
#include "acpi.h"
#include "mm.h"
#include "arch.h"

struct acpi_info acpi;

/* Tables larger than this are assumed corrupt (real DSDTs are < 1 MiB). */
#define ACPI_MAX_TABLE (4u << 20)
/* Highest physical address we accept for a table (64 TiB). */
#define ACPI_MAX_PHYS (1ULL << 46)

struct __packed rsdp {
	char signature[8];      /* "RSD PTR " */
	uint8_t checksum;       /* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;       /* 0: ACPI 1.0, 2: ACPI 2.0+ */
	uint32_t rsdt;
	/* ACPI 2.0+ */
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum;   /* over 'length' bytes */
	uint8_t reserved[3];
};

struct __packed sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
};

/* Generic Address Structure. */
struct __packed gas {
	uint8_t space;          /* 0 memory, 1 I/O, 2 PCI config */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t address;
};

/* FADT offsets we use (ACPI 6.x, table 5.9). Fields past the table's
 * length are treated as absent. */
#define FADT_DSDT            40
#define FADT_SMI_CMD         48
#define FADT_ACPI_ENABLE     52
#define FADT_PM1A_CNT        64
#define FADT_PM1B_CNT        68
#define FADT_PM_TMR          76
#define FADT_PM_TMR_LEN      91
#define FADT_CENTURY         108
#define FADT_IAPC_BOOT_ARCH  109
#define FADT_FLAGS           112
#define FADT_RESET_REG       116
#define FADT_RESET_VALUE     128
#define FADT_X_DSDT          140
#define FADT_X_PM1A_CNT      172
#define FADT_X_PM1B_CNT      184
#define FADT_X_PM_TMR        208

#define FADT_F_RESET_REG_SUP (1u << 10)
#define BOOT_ARCH_8042       (1u << 1)

#define PM1_SCI_EN           (1u << 0)
#define PM1_SLP_TYP_SHIFT    10
#define PM1_SLP_EN           (1u << 13)

/* Kept for acpi_poweroff(): how to switch the chipset into ACPI mode. */
static uint32_t smi_cmd;
static uint8_t acpi_enable_value;

static bool checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static void sig_to_str(const char sig[4], char out[5])
{
	for (int i = 0; i < 4; i++)
		out[i] = sig[i] >= 0x20 && sig[i] < 0x7f ? sig[i] : '?';
	out[4] = '\0';
}

/* Firmware tables live in RAM, well below the 64 TiB the direct map can
 * span; any other address is a corrupt pointer that we must not touch. */
static bool plausible(uint64_t phys)
{
	return phys != 0 && phys < ACPI_MAX_PHYS - ACPI_MAX_TABLE;
}

/* Map a table by physical address and check its header and checksum.
 * Returns NULL (after logging) if it is unusable. */
static const struct sdt_header *map_table(uint64_t phys, const char *what)
{
	const struct sdt_header *t;
	char sig[5];

	if (phys == 0)
		return NULL;
	if (!plausible(phys)) {
		kprintf(KERN_WARNING "acpi: %s pointer 0x%llx is not plausible, skipped\n",
		        what, (unsigned long long)phys);
		return NULL;
	}
	t = phys_to_virt(phys);
	sig_to_str(t->signature, sig);
	if (t->length < sizeof(*t) || t->length > ACPI_MAX_TABLE) {
		kprintf(KERN_WARNING "acpi: %s %s at 0x%llx: bad length %u, skipped\n",
		        what, sig, (unsigned long long)phys, t->length);
		return NULL;
	}
	if (!checksum_ok(t, t->length)) {
		kprintf(KERN_WARNING "acpi: %s %s at 0x%llx: bad checksum, skipped\n",
		        what, sig, (unsigned long long)phys);
		return NULL;
	}
	return t;
}

/* Unaligned little-endian reads from table bodies (x86 allows them). */
static uint8_t rd8(const void *t, size_t off) { return ((const uint8_t *)t)[off]; }
static uint16_t rd16(const void *t, size_t off)
{
	uint16_t v;
	memcpy(&v, (const uint8_t *)t + off, 2);
	return v;
}
static uint32_t rd32(const void *t, size_t off)
{
	uint32_t v;
	memcpy(&v, (const uint8_t *)t + off, 4);
	return v;
}
static uint64_t rd64(const void *t, size_t off)
{
	uint64_t v;
	memcpy(&v, (const uint8_t *)t + off, 8);
	return v;
}

/* ---- MADT ---------------------------------------------------------------- */

static void add_cpu(uint32_t apic_id)
{
	if (apic_id > 0xff) {
		kprintf(KERN_WARNING "acpi: CPU with x2APIC id %u ignored\n", apic_id);
		return;
	}
	for (int i = 0; i < acpi.ncpus; i++)
		if (acpi.cpu_apic_ids[i] == apic_id)
			return;
	if (acpi.ncpus == ACPI_MAX_CPUS) {
		kprintf_once(KERN_WARNING "acpi: more than %d CPUs, rest ignored\n",
		             ACPI_MAX_CPUS);
		return;
	}
	acpi.cpu_apic_ids[acpi.ncpus++] = apic_id;
}

static void parse_madt(const struct sdt_header *t)
{
	const uint8_t *p = (const uint8_t *)t;
	uint32_t off = sizeof(*t) + 8; /* local APIC address, flags */

	if (t->length < off) {
		kprintf(KERN_WARNING "acpi: MADT too short\n");
		return;
	}
	acpi.lapic_phys = rd32(t, sizeof(*t));
	while (off + 2 <= t->length) {
		uint8_t type = p[off], len = p[off + 1];

		if (len < 2 || off + len > t->length) {
			kprintf(KERN_WARNING "acpi: MADT entry at +%u has bad length %u; "
			        "ignoring the rest\n", off, len);
			break;
		}
		switch (type) {
		case 0: /* Processor Local APIC: uid, apic id, flags */
			if (len >= 8 && (rd32(p, off + 4) & 1))
				add_cpu(p[off + 3]);
			break;
		case 1: /* I/O APIC: id, reserved, address, GSI base */
			if (len < 12)
				break;
			if (acpi.nioapics == ACPI_MAX_IOAPICS) {
				kprintf(KERN_WARNING "acpi: too many I/O APICs\n");
				break;
			}
			acpi.ioapics[acpi.nioapics].id = p[off + 2];
			acpi.ioapics[acpi.nioapics].phys = rd32(p, off + 4);
			acpi.ioapics[acpi.nioapics].gsi_base = rd32(p, off + 8);
			acpi.nioapics++;
			break;
		case 2: /* Interrupt Source Override: bus, source, GSI, flags */
			if (len >= 10 && p[off + 2] == 0 && p[off + 3] < 16) {
				struct acpi_isa_override *o = &acpi.isa[p[off + 3]];
				o->present = true;
				o->gsi = rd32(p, off + 4);
				o->flags = rd16(p, off + 8);
			}
			break;
		case 5: /* Local APIC Address Override (64-bit) */
			if (len >= 12)
				acpi.lapic_phys = rd64(p, off + 4);
			break;
		case 9: /* Processor Local x2APIC: reserved, id, flags, uid */
			if (len >= 16 && (rd32(p, off + 8) & 1))
				add_cpu(rd32(p, off + 4));
			break;
		default:
			break;
		}
		off += len;
	}
}

/* ---- FADT and \_S5 --------------------------------------------------------- */

/*
 * Decode one AML integer constant at p (ZeroOp, OneOp, BytePrefix,
 * WordPrefix, DWordPrefix). Returns the bytes consumed, 0 if it is not one
 * or runs past end.
 */
static size_t aml_integer(const uint8_t *p, const uint8_t *end, uint32_t *v)
{
	if (p >= end)
		return 0;
	switch (p[0]) {
	case 0x00: *v = 0; return 1;
	case 0x01: *v = 1; return 1;
	case 0x0a:
		if (end - p < 2)
			return 0;
		*v = p[1];
		return 2;
	case 0x0b:
		if (end - p < 3)
			return 0;
		*v = rd16(p, 1);
		return 3;
	case 0x0c:
		if (end - p < 5)
			return 0;
		*v = rd32(p, 1);
		return 5;
	default:
		return 0;
	}
}

/*
 * Look for  NameOp "_S5_" PackageOp PkgLength NumElements a b ...  in an
 * AML table body (the name may be prefixed by '\'). Fills acpi.slp_typa/b.
 */
static bool find_s5(const struct sdt_header *t)
{
	const uint8_t *start = (const uint8_t *)t + sizeof(*t);
	const uint8_t *end = (const uint8_t *)t + t->length;

	for (const uint8_t *p = start; p + 4 <= end; p++) {
		const uint8_t *q;
		uint32_t a, b;
		size_t n;

		if (memcmp(p, "_S5_", 4) != 0)
			continue;
		/* A definition, not a reference: NameOp before the name. */
		if (!((p - start >= 1 && p[-1] == 0x08) ||
		      (p - start >= 2 && p[-1] == '\\' && p[-2] == 0x08)))
			continue;
		q = p + 4;
		if (q >= end || *q++ != 0x12) /* PackageOp */
			continue;
		if (q >= end)
			continue;
		q += 1 + (*q >> 6);           /* PkgLength: 1-4 bytes */
		q++;                          /* NumElements */
		if (q >= end)
			continue;
		n = aml_integer(q, end, &a);
		if (!n)
			continue;
		q += n;
		n = aml_integer(q, end, &b);
		if (!n)
			continue;
		acpi.slp_typa = a & 7;
		acpi.slp_typb = b & 7;
		acpi.s5_found = true;
		return true;
	}
	return false;
}

/* An I/O port from a legacy 32-bit FADT field or its X_ GAS, preferring the
 * X_ field when it is present and says I/O space. */
static uint32_t fadt_port(const struct sdt_header *t, size_t legacy, size_t xgas)
{
	uint32_t port = 0;

	if (t->length >= legacy + 4)
		port = rd32(t, legacy);
	if (t->length >= xgas + sizeof(struct gas)) {
		uint64_t addr = rd64(t, xgas + 4);
		if (addr && rd8(t, xgas) == 1 && addr <= 0xffff)
			port = (uint32_t)addr;
	}
	return port <= 0xffff ? port : 0;
}

static void parse_fadt(const struct sdt_header *t, uint64_t *dsdt)
{
	uint32_t len = t->length;

	*dsdt = len >= FADT_DSDT + 4 ? rd32(t, FADT_DSDT) : 0;
	if (len >= FADT_X_DSDT + 8 && rd64(t, FADT_X_DSDT))
		*dsdt = rd64(t, FADT_X_DSDT);
	if (len >= FADT_ACPI_ENABLE + 1) {
		smi_cmd = rd32(t, FADT_SMI_CMD);
		acpi_enable_value = rd8(t, FADT_ACPI_ENABLE);
	}
	acpi.pm1a_cnt = fadt_port(t, FADT_PM1A_CNT, FADT_X_PM1A_CNT);
	acpi.pm1b_cnt = fadt_port(t, FADT_PM1B_CNT, FADT_X_PM1B_CNT);
	if (len > FADT_PM_TMR_LEN && rd8(t, FADT_PM_TMR_LEN) >= 4)
		acpi.pm_tmr = fadt_port(t, FADT_PM_TMR, FADT_X_PM_TMR);
	if (len > FADT_CENTURY)
		acpi.century_reg = rd8(t, FADT_CENTURY);
	/* IAPC_BOOT_ARCH exists from FADT revision 3 (ACPI 2.0); before that
	 * every PC had an 8042. */
	if (t->revision >= 3 && len >= FADT_IAPC_BOOT_ARCH + 2)
		acpi.has_8042 = rd16(t, FADT_IAPC_BOOT_ARCH) & BOOT_ARCH_8042;
	else
		acpi.has_8042 = true;
	if (len >= FADT_RESET_VALUE + 1 &&
	    (rd32(t, FADT_FLAGS) & FADT_F_RESET_REG_SUP)) {
		uint8_t space = rd8(t, FADT_RESET_REG);
		uint64_t addr = rd64(t, FADT_RESET_REG + 4);

		if ((space == 0 || space == 1) && addr) {
			acpi.reset_supported = true;
			acpi.reset_space = space;
			acpi.reset_addr = addr;
			acpi.reset_value = rd8(t, FADT_RESET_VALUE);
		} else {
			kprintf(KERN_NOTICE "acpi: reset register in space %u not supported\n",
			        space);
		}
	}
}

/* ---- MCFG, HPET ------------------------------------------------------------ */

static void parse_mcfg(const struct sdt_header *t)
{
	/* Header, 8 reserved bytes, then 16-byte allocations:
	 * base (8), segment (2), start bus, end bus, reserved (4). */
	for (uint32_t off = sizeof(*t) + 8; off + 16 <= t->length; off += 16) {
		if (rd16(t, off + 8) != 0)
			continue;
		if (rd8(t, off + 10) > rd8(t, off + 11)) {
			kprintf(KERN_WARNING "acpi: MCFG bus range %u-%u invalid\n",
			        rd8(t, off + 10), rd8(t, off + 11));
			continue;
		}
		acpi.mcfg_phys = rd64(t, off);
		acpi.mcfg_bus_start = rd8(t, off + 10);
		acpi.mcfg_bus_end = rd8(t, off + 11);
		return;
	}
	kprintf(KERN_WARNING "acpi: MCFG has no segment 0 entry\n");
}

static void parse_hpet(const struct sdt_header *t)
{
	/* Header, event timer block id (4), base address GAS (12). */
	if (t->length < sizeof(*t) + 16 || rd8(t, sizeof(*t) + 4) != 0) {
		kprintf(KERN_WARNING "acpi: HPET table unusable\n");
		return;
	}
	acpi.hpet_phys = rd64(t, sizeof(*t) + 8);
}

/* ---- RSDP and the root table ------------------------------------------------ */

/* Validate the RSDP; return the root table's address and entry width. */
static uint64_t find_root(uint64_t rsdp_phys, unsigned *entry_size)
{
	const struct rsdp *r;

	if (rsdp_phys >= ACPI_MAX_PHYS) {
		kprintf(KERN_WARNING "acpi: RSDP address 0x%llx not plausible\n",
		        (unsigned long long)rsdp_phys);
		return 0;
	}
	r = phys_to_virt(rsdp_phys);
	if (memcmp(r->signature, "RSD PTR ", 8) != 0) {
		kprintf(KERN_WARNING "acpi: no RSDP signature at 0x%llx\n",
		        (unsigned long long)rsdp_phys);
		return 0;
	}
	if (!checksum_ok(r, 20)) {
		kprintf(KERN_WARNING "acpi: RSDP checksum bad\n");
		return 0;
	}
	if (r->revision >= 2) {
		if (r->length >= sizeof(*r) && r->length <= 4096 &&
		    checksum_ok(r, r->length) && r->xsdt) {
			*entry_size = 8;
			return r->xsdt;
		}
		kprintf(KERN_WARNING "acpi: RSDP v2 extended part bad, using RSDT\n");
	}
	*entry_size = 4;
	return r->rsdt;
}

void acpi_init(uint64_t rsdp_phys)
{
	const struct sdt_header *root, *t;
	uint64_t root_phys, dsdt = 0;
	unsigned esize = 0, n;
	char sig[5], list[128];
	size_t listlen = 0;

	memset(&acpi, 0, sizeof(acpi));
	acpi.lapic_phys = 0xfee00000; /* architectural default */
	acpi.has_8042 = true;         /* without a FADT, assume a legacy PC */
	if (!rsdp_phys) {
		kprintf(KERN_WARNING "acpi: no RSDP from the boot manager\n");
		return;
	}
	root_phys = find_root(rsdp_phys, &esize);
	root = map_table(root_phys, "root");
	if (!root)
		return;
	if (memcmp(root->signature, esize == 8 ? "XSDT" : "RSDT", 4) != 0) {
		kprintf(KERN_WARNING "acpi: root table has wrong signature\n");
		return;
	}
	acpi.present = true;
	list[0] = '\0';

	n = (root->length - sizeof(*root)) / esize;
	for (unsigned i = 0; i < n; i++) {
		size_t off = sizeof(*root) + (size_t)i * esize;
		uint64_t phys = esize == 8 ? rd64(root, off) : rd32(root, off);

		t = map_table(phys, "table");
		if (!t)
			continue;
		sig_to_str(t->signature, sig);
		if (listlen + 6 < sizeof(list))
			listlen += snprintf(list + listlen, sizeof(list) - listlen,
			                    " %s", sig);
		if (!memcmp(sig, "APIC", 4))
			parse_madt(t);
		else if (!memcmp(sig, "FACP", 4))
			parse_fadt(t, &dsdt);
		else if (!memcmp(sig, "MCFG", 4))
			parse_mcfg(t);
		else if (!memcmp(sig, "HPET", 4))
			parse_hpet(t);
	}

	/* \_S5 normally lives in the DSDT; some firmware puts it in an SSDT. */
	t = map_table(dsdt, "DSDT");
	if (t && !memcmp(t->signature, "DSDT", 4))
		find_s5(t);
	for (unsigned i = 0; i < n && !acpi.s5_found; i++) {
		size_t off = sizeof(*root) + (size_t)i * esize;
		uint64_t phys = esize == 8 ? rd64(root, off) : rd32(root, off);
		const struct sdt_header *s;

		if (!plausible(phys) ||
		    memcmp(((const struct sdt_header *)phys_to_virt(phys))->signature,
		           "SSDT", 4) != 0)
			continue;
		if ((s = map_table(phys, "SSDT")))
			find_s5(s);
	}
	if (!acpi.s5_found)
		kprintf(KERN_WARNING "acpi: no \\_S5 package found; power-off unavailable\n");

	kprintf("acpi: tables:%s\n", list);
	kprintf("acpi: %d CPU%s, %d I/O APIC%s, LAPIC 0x%llx, HPET 0x%llx, "
	        "ECAM 0x%llx bus %u-%u, PM1a 0x%x, PM timer 0x%x, S5 %u/%u, "
	        "8042 %s, reset %s 0x%llx=0x%x, century %u\n",
	        acpi.ncpus, acpi.ncpus == 1 ? "" : "s",
	        acpi.nioapics, acpi.nioapics == 1 ? "" : "s",
	        (unsigned long long)acpi.lapic_phys,
	        (unsigned long long)acpi.hpet_phys,
	        (unsigned long long)acpi.mcfg_phys,
	        acpi.mcfg_bus_start, acpi.mcfg_bus_end, acpi.pm1a_cnt, acpi.pm_tmr,
	        acpi.slp_typa, acpi.slp_typb, acpi.has_8042 ? "yes" : "no",
	        acpi.reset_supported ? (acpi.reset_space ? "io" : "mem") : "none",
	        (unsigned long long)acpi.reset_addr, acpi.reset_value,
	        acpi.century_reg);
}

/* ---- power-off and reset ----------------------------------------------------- */

/* Make sure the chipset is in ACPI mode (SCI_EN), as sleep-state writes
 * are ignored otherwise. Bounded: gives up after ~1 s worth of polling. */
static void enter_acpi_mode(void)
{
	if (inw(acpi.pm1a_cnt) & PM1_SCI_EN)
		return;
	if (!smi_cmd || !acpi_enable_value || smi_cmd > 0xffff)
		return;
	outb(smi_cmd, acpi_enable_value);
	for (int i = 0; i < 1000000; i++) {
		if (inw(acpi.pm1a_cnt) & PM1_SCI_EN)
			return;
		cpu_relax();
	}
	kprintf(KERN_WARNING "acpi: chipset did not enter ACPI mode\n");
}

static void write_slp(uint32_t port, uint16_t typ)
{
	uint16_t v = inw(port);

	v &= ~(7u << PM1_SLP_TYP_SHIFT);
	v |= (typ & 7) << PM1_SLP_TYP_SHIFT | PM1_SLP_EN;
	outw(port, v);
}

void acpi_poweroff(void)
{
	if (!acpi.pm1a_cnt || !acpi.s5_found) {
		kprintf(KERN_ERR "acpi: cannot power off (PM1a 0x%x, \\_S5 %s)\n",
		        acpi.pm1a_cnt, acpi.s5_found ? "found" : "missing");
		return;
	}
	enter_acpi_mode();
	write_slp(acpi.pm1a_cnt, acpi.slp_typa);
	if (acpi.pm1b_cnt)
		write_slp(acpi.pm1b_cnt, acpi.slp_typb);
	/* Power should be gone within microseconds; give it a moment. */
	for (int i = 0; i < 10000000; i++)
		cpu_relax();
	kprintf(KERN_ERR "acpi: S5 request ignored by the hardware\n");
}

void acpi_reboot(void)
{
	if (acpi.reset_supported) {
		if (acpi.reset_space == 1 && acpi.reset_addr <= 0xffff) {
			outb(acpi.reset_addr, acpi.reset_value);
		} else if (acpi.reset_space == 0) {
			volatile uint8_t *r = ioremap(acpi.reset_addr, 1);
			if (r)
				*r = acpi.reset_value;
		}
		for (int i = 0; i < 1000000; i++)
			cpu_relax();
		kprintf(KERN_WARNING "acpi: reset register did not reset\n");
	}
	/* The keyboard controller's reset line: wait (bounded) for its input
	 * buffer to drain, then pulse it. */
	for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
		cpu_relax();
	outb(0x64, 0xfe);
	for (int i = 0; i < 1000000; i++)
		cpu_relax();
	kprintf(KERN_ERR "acpi: reset failed\n");
}
