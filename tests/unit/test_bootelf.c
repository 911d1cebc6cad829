/*
 * tests/unit/test_bootelf.c - host tests for the kernel ELF checks
 * (boot/elf.c). Each test builds a small ELF64 image in a buffer with the
 * host's <elf.h>, breaks one thing, and checks that elf_check names it.
 */
#include <elf.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "elf.h"

#define BASE 0xffffffff80000000ULL
#define FILE_SIZE 0x5000

static unsigned char file[FILE_SIZE];
static struct elf_image img;

static Elf64_Ehdr *eh(void) { return (Elf64_Ehdr *)file; }
static Elf64_Phdr *ph(int i) { return (Elf64_Phdr *)(file + 64) + i; }
static Elf64_Shdr *sh(int i) { return (Elf64_Shdr *)(file + 0x4000) + i; }

/* A valid kernel: text at BASE (file 0x1000), data+bss at BASE+0x1000
 * (file 0x2000), a GNU_STACK header, .symtab + .strtab. */
static void make_valid(void)
{
	memset(file, 0, sizeof file);
	memcpy(eh()->e_ident, ELFMAG, SELFMAG);
	eh()->e_ident[EI_CLASS] = ELFCLASS64;
	eh()->e_ident[EI_DATA] = ELFDATA2LSB;
	eh()->e_ident[EI_VERSION] = EV_CURRENT;
	eh()->e_type = ET_EXEC;
	eh()->e_machine = EM_X86_64;
	eh()->e_version = EV_CURRENT;
	eh()->e_entry = BASE + 0x10;
	eh()->e_phoff = 64;
	eh()->e_ehsize = sizeof(Elf64_Ehdr);
	eh()->e_phentsize = sizeof(Elf64_Phdr);
	eh()->e_phnum = 3;
	*ph(0) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = 0x1000, .p_vaddr = BASE, .p_paddr = BASE,
		.p_filesz = 0x800, .p_memsz = 0x800, .p_align = 0x1000 };
	*ph(1) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_offset = 0x2000, .p_vaddr = BASE + 0x1000, .p_paddr = BASE + 0x1000,
		.p_filesz = 0x100, .p_memsz = 0x3000, .p_align = 0x1000 };
	*ph(2) = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };

	eh()->e_shoff = 0x4000;
	eh()->e_shentsize = sizeof(Elf64_Shdr);
	eh()->e_shnum = 3;
	*sh(1) = (Elf64_Shdr){ .sh_type = SHT_SYMTAB, .sh_offset = 0x3000,
		.sh_size = 3 * sizeof(Elf64_Sym), .sh_link = 2,
		.sh_entsize = sizeof(Elf64_Sym) };
	*sh(2) = (Elf64_Shdr){ .sh_type = SHT_STRTAB, .sh_offset = 0x3100,
		.sh_size = 0x40 };
}

static const char *check(void)
{
	return elf_check(file, sizeof file, &img);
}

static void expect_error(const char *needle)
{
	const char *why = check();
	assert_non_null(why);
	if (!strstr(why, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", why, needle);
}

static void test_valid(void **state)
{
	(void)state;
	make_valid();
	assert_null(check());
	assert_int_equal(img.nsegments, 2);
	assert_true(img.entry == BASE + 0x10);
	assert_true(img.vlow == BASE);
	assert_true(img.vhigh == BASE + 0x4000);
	assert_int_equal(img.seg[1].filesz, 0x100);
	assert_int_equal(img.seg[1].memsz, 0x3000);
	assert_int_equal(img.symtab_off, 0x3000);
	assert_int_equal(img.symtab_size, 3 * sizeof(Elf64_Sym));
	assert_int_equal(img.strtab_off, 0x3100);
	assert_int_equal(img.strtab_size, 0x40);
}

static void test_bad_magic(void **state)
{
	(void)state;
	make_valid();
	file[1] = 'X';
	expect_error("not an ELF file (bad magic)");
	assert_non_null(elf_check(file, 3, &img));
	assert_non_null(elf_check("", 0, &img));
}

static void test_short_header(void **state)
{
	(void)state;
	make_valid();
	assert_non_null(strstr(elf_check(file, 40, &img), "too short"));
}

static void test_wrong_class_endian_machine_type(void **state)
{
	(void)state;
	make_valid();
	file[EI_CLASS] = ELFCLASS32;
	expect_error("64-bit");
	make_valid();
	file[EI_DATA] = ELFDATA2MSB;
	expect_error("little-endian");
	make_valid();
	eh()->e_machine = EM_AARCH64;
	expect_error("x86-64");
	make_valid();
	eh()->e_type = ET_DYN;
	expect_error("ET_EXEC");
}

static void test_truncated_phdrs(void **state)
{
	(void)state;
	make_valid();
	assert_non_null(strstr(elf_check(file, 64 + 56, &img), "program headers lie outside"));
	make_valid();
	eh()->e_phoff = FILE_SIZE - 8;
	expect_error("program headers lie outside");
	make_valid();
	eh()->e_phoff = ~0ULL - 8; /* overflow must not wrap into the file */
	expect_error("program headers lie outside");
	make_valid();
	eh()->e_phnum = 0;
	expect_error("no program headers");
	make_valid();
	eh()->e_phentsize = 32;
	expect_error("e_phentsize");
}

static void test_filesz_gt_memsz(void **state)
{
	(void)state;
	make_valid();
	ph(1)->p_filesz = 0x4000;
	expect_error("file size larger than memory size");
}

static void test_segment_outside_file(void **state)
{
	(void)state;
	make_valid();
	ph(0)->p_offset = 0x4000;
	ph(0)->p_filesz = ph(0)->p_memsz = 0x2000;
	expect_error("outside the file");
	make_valid();
	ph(1)->p_offset = ~0ULL - 0xfff; /* offset + size overflows */
	expect_error("outside the file");
}

static void test_overlap_and_empty(void **state)
{
	(void)state;
	make_valid();
	ph(1)->p_vaddr = BASE + 0x400;
	ph(1)->p_offset = 0x2400;
	expect_error("overlap");
	make_valid();
	ph(0)->p_type = PT_NOTE;
	ph(1)->p_type = PT_NOTE;
	expect_error("empty image");
	make_valid();
	ph(0)->p_memsz = ph(0)->p_filesz = 0; /* empty segments are ignored */
	ph(1)->p_memsz = ph(1)->p_filesz = 0;
	expect_error("empty image");
}

static void test_congruence_wrap_span_entry(void **state)
{
	(void)state;
	make_valid();
	ph(1)->p_vaddr = BASE + 0x1010;
	expect_error("page congruent");
	make_valid();
	ph(1)->p_vaddr = ~0ULL - 0x1fff; /* end would wrap past 2^64 */
	ph(1)->p_offset = 0x2000;
	expect_error("wraps");
	make_valid();
	ph(1)->p_vaddr = BASE + (2ULL << 30);
	expect_error("more than 1 GiB");
	make_valid();
	ph(1)->p_memsz = ~0ULL; /* must not slip past the wrap check */
	expect_error("larger than 1 GiB");
	make_valid();
	eh()->e_entry = BASE + 0x900; /* past text's memsz, before data */
	expect_error("entry point");
}

static void test_symbols_optional(void **state)
{
	(void)state;
	make_valid();
	eh()->e_shoff = 0;
	eh()->e_shnum = 0;
	assert_null(check());
	assert_int_equal(img.symtab_size, 0);
	assert_int_equal(img.strtab_size, 0);
	/* a symtab outside the file is ignored, not fatal */
	make_valid();
	sh(1)->sh_offset = FILE_SIZE;
	assert_null(check());
	assert_int_equal(img.symtab_size, 0);
	/* a bad link is ignored too */
	make_valid();
	sh(1)->sh_link = 7;
	assert_null(check());
	assert_int_equal(img.symtab_size, 0);
}

static void test_too_many_segments(void **state)
{
	int i;
	(void)state;
	make_valid();
	eh()->e_phnum = ELF_MAX_SEGMENTS + 1;
	for (i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
		*ph(i) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 0x1000,
			.p_vaddr = BASE + i * 0x1000ULL, .p_filesz = 0x10,
			.p_memsz = 0x10 };
	expect_error("too many");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_short_header),
		cmocka_unit_test(test_wrong_class_endian_machine_type),
		cmocka_unit_test(test_truncated_phdrs),
		cmocka_unit_test(test_filesz_gt_memsz),
		cmocka_unit_test(test_segment_outside_file),
		cmocka_unit_test(test_overlap_and_empty),
		cmocka_unit_test(test_congruence_wrap_span_entry),
		cmocka_unit_test(test_symbols_optional),
		cmocka_unit_test(test_too_many_segments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
