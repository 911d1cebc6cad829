/*
 * boot/elf.c - ELF64 kernel image checks (see elf.h).
 *
 * Every field the loader will trust is checked against the file size with
 * overflow-safe arithmetic (a - b style comparisons, never a + b > len),
 * because a truncated or corrupted kernel on the ESP must give a message,
 * not a wild copy. The ELF structures are declared here rather than taken
 * from <elf.h> so the file builds the same inside gnu-efi and on the host.
 */
#include "elf.h"

typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;

typedef struct {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
} Elf64_Shdr;

#define ET_EXEC      2
#define EM_X86_64    62
#define PT_LOAD      1
#define SHT_SYMTAB   2
#define SHT_STRTAB   3
#define SYM_SIZE     24 /* sizeof(Elf64_Sym) */

/* Is [off, off+size) inside a file of len bytes? */
static int in_file(uint64_t off, uint64_t size, uint64_t len)
{
	return off <= len && size <= len - off;
}

static void find_symtab(const unsigned char *b, uint64_t len,
			const Elf64_Ehdr *eh, struct elf_image *img)
{
	const Elf64_Shdr *sh;
	uint64_t i;

	/* Symbols are optional: anything odd here just means "no symbols". */
	if (!eh->e_shoff || !eh->e_shnum || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), len) ||
	    eh->e_shoff % 8)
		return;
	sh = (const Elf64_Shdr *)(b + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *str;
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		if (sh[i].sh_link >= eh->e_shnum)
			return;
		str = &sh[sh[i].sh_link];
		if (str->sh_type != SHT_STRTAB ||
		    !in_file(sh[i].sh_offset, sh[i].sh_size, len) ||
		    !in_file(str->sh_offset, str->sh_size, len) ||
		    sh[i].sh_size % SYM_SIZE)
			return;
		img->symtab_off = sh[i].sh_offset;
		img->symtab_size = sh[i].sh_size;
		img->strtab_off = str->sh_offset;
		img->strtab_size = str->sh_size;
		return;
	}
}

const char *elf_check(const void *buf, uint64_t len, struct elf_image *img)
{
	const unsigned char *b = buf;
	const Elf64_Ehdr *eh = buf;
	const Elf64_Phdr *ph;
	int i, j, entry_ok = 0;

	img->nsegments = 0;
	img->symtab_off = img->symtab_size = 0;
	img->strtab_off = img->strtab_size = 0;

	if (len < 4 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
		return "not an ELF file (bad magic)";
	if (len < sizeof(Elf64_Ehdr))
		return "file too short for an ELF header";
	if (b[4] != 2)
		return "not a 64-bit ELF file (class is not ELFCLASS64)";
	if (b[5] != 1)
		return "not a little-endian ELF file";
	if (eh->e_machine != EM_X86_64)
		return "not an x86-64 ELF file (wrong e_machine)";
	if (eh->e_type != ET_EXEC)
		return "not an executable ELF file (e_type is not ET_EXEC)";
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return "unexpected program header size (e_phentsize)";
	if (!eh->e_phnum)
		return "no program headers";
	if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), len))
		return "program headers lie outside the file (truncated?)";
	if (eh->e_phoff % 8)
		return "misaligned program headers";

	ph = (const Elf64_Phdr *)(b + eh->e_phoff);
	img->vlow = ~0ULL;
	img->vhigh = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		struct elf_segment *s;
		uint64_t lo, hi;

		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		if (img->nsegments == ELF_MAX_SEGMENTS)
			return "too many PT_LOAD segments";
		if (ph[i].p_filesz > ph[i].p_memsz)
			return "a PT_LOAD segment has file size larger than memory size";
		if (!in_file(ph[i].p_offset, ph[i].p_filesz, len))
			return "a PT_LOAD segment lies outside the file (truncated?)";
		if (ph[i].p_memsz > ELF_MAX_SPAN)
			return "a PT_LOAD segment is larger than 1 GiB";
		if (ph[i].p_vaddr > ~0ULL - ph[i].p_memsz - ELF_PAGE)
			return "a PT_LOAD segment wraps around the address space";
		if ((ph[i].p_vaddr ^ ph[i].p_offset) % ELF_PAGE)
			return "a PT_LOAD segment's address and file offset are not page congruent";
		s = &img->seg[img->nsegments++];
		s->vaddr = ph[i].p_vaddr;
		s->memsz = ph[i].p_memsz;
		s->offset = ph[i].p_offset;
		s->filesz = ph[i].p_filesz;
		s->flags = ph[i].p_flags;
		lo = s->vaddr & ~(ELF_PAGE - 1);
		hi = (s->vaddr + s->memsz + ELF_PAGE - 1) & ~(ELF_PAGE - 1);
		if (lo < img->vlow)
			img->vlow = lo;
		if (hi > img->vhigh)
			img->vhigh = hi;
		if (eh->e_entry >= s->vaddr && eh->e_entry - s->vaddr < s->memsz)
			entry_ok = 1;
	}
	if (!img->nsegments)
		return "no loadable (PT_LOAD) segments: empty image";
	for (i = 0; i < img->nsegments; i++) {
		for (j = i + 1; j < img->nsegments; j++) {
			const struct elf_segment *a = &img->seg[i], *c = &img->seg[j];
			if (a->vaddr < c->vaddr + c->memsz && c->vaddr < a->vaddr + a->memsz)
				return "two PT_LOAD segments overlap";
		}
	}
	if (img->vhigh - img->vlow > ELF_MAX_SPAN)
		return "PT_LOAD segments span more than 1 GiB";
	if (!entry_ok)
		return "entry point lies outside every PT_LOAD segment";
	img->entry = eh->e_entry;
	find_symtab(b, len, eh, img);
	return 0;
}
