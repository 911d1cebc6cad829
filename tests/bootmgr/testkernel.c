/*
 * tests/bootmgr/testkernel.c - a stand-in kernel for testing the boot
 * manager's handoff without the real kernel.
 *
 * Linked with kernel/arch/x86_64/linker.ld like the real kernel, it checks
 * what docs/boot-protocol.md promises (bootinfo magic/version/size, rdi in
 * the direct map, identity map, sorted memory map, kernel range typed
 * KERNEL, initramfs contents, symbols, stack alignment), prints the results
 * on COM1 by polling the UART, then ends QEMU through isa-debug-exit:
 * 0x10 (QEMU status 33) when every check passed, 0x11 (35) otherwise.
 */
#include <stdint.h>
#include <rayos/bootinfo.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void putc(char c)
{
	if (c == '\n')
		putc('\r');
	while (!(inb(0x3f8 + 5) & 0x20))
		;
	outb(0x3f8, c);
}

static void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

static void puthex(uint64_t v)
{
	int i;
	puts("0x");
	for (i = 60; i >= 0; i -= 4)
		putc("0123456789abcdef"[(v >> i) & 15]);
}

static void putdec(uint64_t v)
{
	char b[24];
	int n = 0;
	do {
		b[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		putc(b[--n]);
}

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		puts("TESTKERNEL FAIL: ");
		puts(what);
		puts("\n");
		failures++;
	}
}

#define PTE_P  1ULL
#define PTE_PS 0x80ULL
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

/* Walk the boot page tables for va; returns the leaf entry (0 if absent)
 * and its level (1 = 4 KiB page, 2 = 2 MiB page). Fails on any NX bit. */
static uint64_t walk(uint64_t cr3, uint64_t va, int *level)
{
	uint64_t *t = (uint64_t *)(RAYOS_HHDM_BASE + (cr3 & PTE_ADDR));
	int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		uint64_t e = t[(va >> shift) & 511];
		if (!(e & PTE_P))
			return 0;
		check(!(e & PTE_NX), "NX bit in a boot page table entry");
		if (shift == 12 || (e & PTE_PS)) {
			*level = (shift - 12) / 9 + 1;
			return e;
		}
		t = (uint64_t *)(RAYOS_HHDM_BASE + (e & PTE_ADDR));
	}
	return 0;
}

static void check_page_tables(const struct rayos_bootinfo *bi,
			      const struct rayos_mmap_entry *mm)
{
	uint64_t cr3, e, i;
	int level = 0, reclaim = 0;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	for (i = 0; i < bi->mmap_count; i++)
		if (mm[i].base <= cr3 && cr3 < mm[i].base + mm[i].length)
			reclaim = mm[i].type == RAYOS_MEM_BOOT_RECLAIMABLE;
	check(reclaim, "page tables not in BOOT_RECLAIMABLE memory");
	e = walk(cr3, bi->kernel_virt, &level);
	check(level == 1 && (e & PTE_ADDR) == bi->kernel_phys,
	      "kernel not mapped with 4 KiB pages at kernel_phys");
	e = walk(cr3, bi->kernel_virt + bi->kernel_size - 4096, &level);
	check(level == 1 && (e & PTE_ADDR) == bi->kernel_phys + bi->kernel_size - 4096,
	      "end of the kernel image mapped wrongly");
	e = walk(cr3, 0x40000000, &level);
	check(level == 2 && (e & PTE_ADDR) == 0x40000000, "identity map not 2 MiB pages");
	e = walk(cr3, 0xfee00000, &level);
	check(level == 2 && (e & PTE_ADDR) == 0xfee00000, "identity map does not reach 4 GiB");
	e = walk(cr3, RAYOS_HHDM_BASE + 0xfee00000, &level);
	check(level == 2 && (e & PTE_ADDR) == 0xfee00000, "direct map does not reach 4 GiB");
	/* nothing beyond max(4 GiB, end of the map rounded up to 1 GiB) */
	if (mm[bi->mmap_count - 1].base + mm[bi->mmap_count - 1].length < (63ULL << 30))
		check(walk(cr3, 64ULL << 30, &level) == 0, "unexpected mapping at 64 GiB");
}

static uint64_t bss_probe[512]; /* must read as zero */
static volatile uint64_t data_probe = 0x1234567887654321ULL;

__attribute__((used)) void run(struct rayos_bootinfo *bi, uint64_t rsp);
__attribute__((used)) void run(struct rayos_bootinfo *bi, uint64_t rsp)
{
	const struct rayos_mmap_entry *mm;
	uint64_t i, total = 0, kernel_ok = 0;

	puts("\nKERNEL OK: entered, bootinfo at ");
	puthex((uint64_t)bi);
	puts("\n");
	check((uint64_t)bi >= RAYOS_HHDM_BASE, "bootinfo pointer not in the direct map");
	check(bi->magic == RAYOS_BOOTINFO_MAGIC, "bad bootinfo magic");
	check(bi->version == RAYOS_BOOTINFO_VERSION, "bad bootinfo version");
	check(bi->size == sizeof *bi, "bad bootinfo size");
	check(rsp % 16 == 0, "stack not 16-byte aligned at entry");
	check(data_probe == 0x1234567887654321ULL, ".data not loaded");
	for (i = 0; i < 512; i++)
		check(bss_probe[i] == 0, ".bss not zeroed");
	/* the identity map must show the same bytes as the direct map */
	check(((struct rayos_bootinfo *)((uint64_t)bi - RAYOS_HHDM_BASE))->magic ==
	      RAYOS_BOOTINFO_MAGIC, "identity map does not match the direct map");
	check(bi->kernel_virt == RAYOS_KERNEL_BASE, "kernel_virt is not the link address");
	check(*(uint64_t *)(RAYOS_HHDM_BASE + bi->kernel_phys) ==
	      *(uint64_t *)bi->kernel_virt, "kernel_phys does not hold the image");

	mm = (const struct rayos_mmap_entry *)(RAYOS_HHDM_BASE + bi->mmap_phys);
	check(bi->mmap_entry_size == sizeof *mm, "bad mmap_entry_size");
	check(bi->mmap_count > 0, "empty memory map");
	for (i = 0; i < bi->mmap_count; i++) {
		if (i)
			check(mm[i].base >= mm[i - 1].base + mm[i - 1].length,
			      "memory map not sorted or overlapping");
		if (i && mm[i].type == mm[i - 1].type)
			check(mm[i].base != mm[i - 1].base + mm[i - 1].length,
			      "memory map has unmerged neighbours");
		if (mm[i].type == RAYOS_MEM_USABLE)
			total += mm[i].length;
		if (mm[i].type == RAYOS_MEM_KERNEL && mm[i].base <= bi->kernel_phys &&
		    bi->kernel_phys + bi->kernel_size <= mm[i].base + mm[i].length)
			kernel_ok = 1;
	}
	check(kernel_ok, "kernel image not inside a RAYOS_MEM_KERNEL range");
	check_page_tables(bi, mm);
	/* the direct map must reach the end of RAM: touch the last usable word */
	for (i = bi->mmap_count; i-- > 0;) {
		if (mm[i].type == RAYOS_MEM_USABLE) {
			volatile uint64_t *last = (volatile uint64_t *)
				(RAYOS_HHDM_BASE + mm[i].base + mm[i].length - 8);
			*last = 0x5a5a5a5a5a5a5a5aULL;
			check(*last == 0x5a5a5a5a5a5a5a5aULL, "top of RAM not mapped");
			puts("top of usable RAM: ");
			puthex(mm[i].base + mm[i].length);
			puts("\n");
			break;
		}
	}
	if (bi->initrd_phys) {
		const char *c = (const char *)(RAYOS_HHDM_BASE + bi->initrd_phys);
		check(c[0] == '0' && c[1] == '7' && c[2] == '0' && c[3] == '7' &&
		      c[4] == '0' && c[5] == '1', "initrd is not a cpio newc archive");
	}
	check(bi->symtab_phys && bi->symtab_size && bi->strtab_phys && bi->strtab_size,
	      "no symbol table");

	puts("bootinfo: version "); putdec(bi->version);
	puts(" size "); putdec(bi->size);
	puts("\nmmap: "); putdec(bi->mmap_count);
	puts(" entries, usable "); putdec(total >> 20);
	puts(" MiB\nkernel: phys "); puthex(bi->kernel_phys);
	puts(" size "); putdec(bi->kernel_size);
	puts("\ninitrd: phys "); puthex(bi->initrd_phys);
	puts(" size "); putdec(bi->initrd_size);
	puts("\nsymtab: "); putdec(bi->symtab_size);
	puts(" bytes, strtab: "); putdec(bi->strtab_size);
	puts(" bytes\nrsdp: "); puthex(bi->acpi_rsdp);
	puts("\nfb: base "); puthex(bi->fb.base);
	puts(" "); putdec(bi->fb.width); puts("x"); putdec(bi->fb.height);
	puts(" pitch "); putdec(bi->fb.pitch);
	puts(" size "); putdec(bi->fb.size);
	puts("\ncmdline: \""); puts(bi->cmdline);
	puts("\"\ntitle: \""); puts(bi->entry_title);
	puts("\"\n");
	if (bi->acpi_rsdp) {
		const char *r = (const char *)(RAYOS_HHDM_BASE + bi->acpi_rsdp);
		check(r[0] == 'R' && r[1] == 'S' && r[2] == 'D' && r[3] == ' ',
		      "acpi_rsdp does not point at \"RSD PTR \"");
	}
	if (failures) {
		puts("TESTKERNEL: FAILED\n");
		outb(0xf4, 0x11);
	} else {
		puts("TESTKERNEL: ALL CHECKS PASSED\n");
		outb(0xf4, 0x10);
	}
	for (;;)
		__asm__ volatile("hlt");
}

/* rsp as the boot manager left it, before any push by compiled code. */
__attribute__((section(".text.entry"), naked)) void _start(void)
{
	__asm__ volatile("mov %rsp, %rsi\n\t"
			 "call run\n\t"
			 "1: hlt\n\t"
			 "jmp 1b");
}
