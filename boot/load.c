/*
 * boot/load.c - put one menu entry into memory and describe it.
 *
 * Order matters for error handling: everything that can fail (files, ELF
 * checks, allocations, page tables) happens here, before anything is
 * irreversible, and every allocation goes through struct allocs so a
 * failure anywhere releases all of it and the menu can be shown again.
 *
 * The kernel image gets ONE contiguous physical range covering its lowest to
 * highest PT_LOAD page, so kernel_phys + (vaddr - kernel_virt) is the
 * physical address of any kernel virtual address, which keeps the kernel's
 * own early page-table code trivial.
 */
#include "bootmgr.h"

void load_error(const struct bootcfg_entry *e, const char *path,
		const CHAR16 *what)
{
	Print(L"Error: %a: %s (entry \"%a\", %a:%d)\n", path, what, e->id,
	      CONFIG_PATH, e->line);
}

static void load_error_ascii(const struct bootcfg_entry *e, const char *path,
			     const char *what)
{
	CHAR16 w[128];
	UINTN i;
	for (i = 0; what[i] && i + 1 < 128; i++)
		w[i] = (CHAR16)(unsigned char)what[i];
	w[i] = 0;
	load_error(e, path, w);
}

static void copy_str(char *dst, const char *src, UINTN cap)
{
	UINTN i;
	for (i = 0; src[i] && i + 1 < cap; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

/* Read a whole file into fresh pages of RAYOS_EFI_MEMTYPE_KERNEL. */
static EFI_STATUS load_file_pages(const struct bootcfg_entry *e,
				  const char *path, struct allocs *al,
				  UINT64 *phys, UINT64 *size)
{
	EFI_FILE_HANDLE fh;
	EFI_PHYSICAL_ADDRESS base;
	EFI_STATUS st;

	st = file_open(path, &fh, size);
	if (EFI_ERROR(st)) {
		load_error(e, path, file_strerror(st));
		return st;
	}
	Print(L"Loading %a (%ld KiB)\n", path, (*size + 1023) / 1024);
	if (!*size) { /* an empty initramfs is the same as none: 0/0 */
		file_close(fh);
		*phys = 0;
		return EFI_SUCCESS;
	}
	st = alloc_pages(al, RAYOS_EFI_MEMTYPE_KERNEL, *size, &base);
	if (EFI_ERROR(st)) {
		file_close(fh);
		load_error(e, path, L"out of memory");
		return st;
	}
	st = file_read(fh, (VOID *)(UINTN)base, *size);
	file_close(fh);
	if (EFI_ERROR(st)) {
		load_error(e, path, file_strerror(st));
		return st;
	}
	*phys = base;
	return EFI_SUCCESS;
}

/* Copy a byte range of the kernel file (symbols) into KERNEL pages. */
static EFI_STATUS keep_range(struct allocs *al, const UINT8 *file, UINT64 off,
			     UINT64 size, UINT64 *phys)
{
	EFI_PHYSICAL_ADDRESS base;
	EFI_STATUS st;

	*phys = 0;
	if (!size)
		return EFI_SUCCESS;
	st = alloc_pages(al, RAYOS_EFI_MEMTYPE_KERNEL, size, &base);
	if (EFI_ERROR(st))
		return st;
	CopyMem((VOID *)(UINTN)base, (VOID *)(file + off), size);
	*phys = base;
	return EFI_SUCCESS;
}

/* Kernel file -> image pages + symbol pages, per the ELF plan in *img. */
static EFI_STATUS load_kernel(const struct bootcfg_entry *e, struct allocs *al,
			      struct elf_image *img, struct rayos_bootinfo *bi)
{
	EFI_FILE_HANDLE fh;
	EFI_PHYSICAL_ADDRESS kphys;
	UINT64 size;
	UINT8 *file;
	const char *why;
	EFI_STATUS st;
	int i;

	st = file_open(e->kernel, &fh, &size);
	if (EFI_ERROR(st)) {
		load_error(e, e->kernel, file_strerror(st));
		return st;
	}
	Print(L"Loading %a (%ld KiB)\n", e->kernel, (size + 1023) / 1024);
	file = AllocatePool(size ? size : 1);
	if (!file) {
		file_close(fh);
		load_error(e, e->kernel, L"out of memory");
		return EFI_OUT_OF_RESOURCES;
	}
	st = file_read(fh, file, size);
	file_close(fh);
	if (EFI_ERROR(st)) {
		load_error(e, e->kernel, file_strerror(st));
		goto out;
	}
	why = elf_check(file, size, img);
	if (why) {
		load_error_ascii(e, e->kernel, why);
		st = EFI_LOAD_ERROR;
		goto out;
	}
	st = alloc_pages(al, RAYOS_EFI_MEMTYPE_KERNEL, img->vhigh - img->vlow, &kphys);
	if (EFI_ERROR(st)) {
		load_error(e, e->kernel, L"out of memory for the kernel image");
		goto out;
	}
	/* alloc_pages zeroed the range, so .bss and the gaps are already 0 */
	for (i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->seg[i];
		CopyMem((VOID *)(UINTN)(kphys + (s->vaddr - img->vlow)),
			file + s->offset, s->filesz);
	}
	bi->kernel_phys = kphys;
	bi->kernel_size = img->vhigh - img->vlow;
	bi->kernel_virt = img->vlow;
	bi->symtab_size = img->symtab_size;
	bi->strtab_size = img->strtab_size;
	st = keep_range(al, file, img->symtab_off, img->symtab_size, &bi->symtab_phys);
	if (!EFI_ERROR(st))
		st = keep_range(al, file, img->strtab_off, img->strtab_size,
				&bi->strtab_phys);
	if (EFI_ERROR(st))
		load_error(e, e->kernel, L"out of memory for the symbol table");
out:
	FreePool(file);
	return st;
}

EFI_STATUS load_entry(const struct bootcfg_entry *e, struct allocs *al,
		      struct boot_plan *plan)
{
	static struct elf_image img; /* large-ish; keep it off the stack */
	EFI_PHYSICAL_ADDRESS bi_phys, stack;
	struct rayos_bootinfo *bi;
	UINT64 top;
	EFI_STATUS st;

	/* bootinfo first: the loaders below fill its fields in place */
	st = alloc_pages(al, RAYOS_EFI_MEMTYPE_KERNEL, sizeof *bi, &bi_phys);
	if (EFI_ERROR(st)) {
		load_error(e, e->kernel, L"out of memory for the boot information");
		goto fail;
	}
	bi = (struct rayos_bootinfo *)(UINTN)bi_phys;

	st = load_kernel(e, al, &img, bi);
	if (EFI_ERROR(st))
		goto fail;
	if (e->initrd[0]) {
		st = load_file_pages(e, e->initrd, al, &bi->initrd_phys,
				     &bi->initrd_size);
		if (EFI_ERROR(st))
			goto fail;
	}
	st = alloc_pages(al, RAYOS_EFI_MEMTYPE_KERNEL, KERNEL_STACK_SIZE, &stack);
	if (EFI_ERROR(st)) {
		load_error(e, e->kernel, L"out of memory for the kernel stack");
		goto fail;
	}

	/* map [0, max(4 GiB, top of memory rounded up to 1 GiB)) */
	st = memory_top(&top);
	if (EFI_ERROR(st)) {
		load_error(e, e->kernel, L"cannot read the memory map");
		goto fail;
	}
	top = (top + (1ULL << 30) - 1) & ~((1ULL << 30) - 1);
	if (top < (4ULL << 30))
		top = 4ULL << 30;
	st = paging_build(al, top, &img, bi->kernel_phys, &plan->pml4);
	if (st == EFI_UNSUPPORTED) {
		load_error(e, e->kernel, L"kernel must be linked in the top half, above the direct map");
		goto fail;
	} else if (EFI_ERROR(st)) {
		load_error(e, e->kernel, L"out of memory for page tables");
		goto fail;
	}

	bi->magic = RAYOS_BOOTINFO_MAGIC;
	bi->version = RAYOS_BOOTINFO_VERSION;
	bi->size = sizeof *bi;
	bi->acpi_rsdp = find_acpi_rsdp();
	bi->efi_system_table = (UINT64)(UINTN)ST;
	find_framebuffer(&bi->fb);
	copy_str(bi->cmdline, e->cmdline, sizeof bi->cmdline);
	copy_str(bi->entry_title, e->title, sizeof bi->entry_title);

	plan->bi = bi;
	plan->entry = img.entry;
	plan->stack_top = stack + KERNEL_STACK_SIZE;
	return EFI_SUCCESS;
fail:
	free_all(al);
	return st;
}
