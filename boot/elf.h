/*
 * boot/elf.h - validation of the kernel's ELF64 image.
 *
 * elf_check() looks at a whole kernel file in memory and either explains in
 * plain words what is wrong with it or returns the load plan: the PT_LOAD
 * segments, the page-aligned virtual span they cover, the entry point and
 * where .symtab/.strtab sit in the file. No EFI dependency, so the checks
 * are unit tested on the host (tests/unit/test_bootelf.c); the loader only
 * copies bytes once the plan is known to be sane.
 */
#ifndef BOOT_ELF_H
#define BOOT_ELF_H

#include <stdint.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_MAX_SPAN     (1ULL << 30) /* a kernel image above 1 GiB is a bug */
#define ELF_PAGE         4096ULL

struct elf_segment {
	uint64_t vaddr, memsz;   /* where it goes */
	uint64_t offset, filesz; /* what to copy from the file */
	uint32_t flags;          /* PF_X/PF_W/PF_R, informational */
};

struct elf_image {
	uint64_t entry;
	uint64_t vlow, vhigh;    /* page-aligned [vlow, vhigh) over all segments */
	int nsegments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	/* .symtab and its linked .strtab; size 0 when absent or unusable */
	uint64_t symtab_off, symtab_size;
	uint64_t strtab_off, strtab_size;
};

/*
 * Check the ELF file buf[0..len) and fill *img. Returns 0 (NULL) when the
 * image can be loaded, else a message such as "not an ELF file (bad magic)"
 * for the caller to prefix with the file name.
 */
const char *elf_check(const void *buf, uint64_t len, struct elf_image *img);

#endif /* BOOT_ELF_H */
