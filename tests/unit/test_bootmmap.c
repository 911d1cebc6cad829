/*
 * tests/unit/test_bootmmap.c - host tests for the UEFI -> RayOS memory map
 * conversion (boot/mmap.c): type mapping, sorting, merging, the firmware's
 * descriptor stride and running out of room.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "mmap.h"

#define STRIDE 48 /* what OVMF reports; larger than struct efi_mdesc */

static unsigned char map[64 * STRIDE];
static int ndesc;
static struct rayos_mmap_entry out[64];

static void add(uint32_t type, uint64_t phys, uint64_t pages)
{
	struct efi_mdesc *d = (struct efi_mdesc *)(map + ndesc++ * STRIDE);
	memset(d, 0xee, STRIDE); /* the stride padding must be ignored */
	d->type = type;
	d->pad = 0;
	d->phys = phys;
	d->virt = 0;
	d->pages = pages;
	d->attr = 0xf;
}

static int convert(int max)
{
	return mmap_convert(map, (uint64_t)ndesc * STRIDE, STRIDE, out, max);
}

static void test_types(void **state)
{
	(void)state;
	assert_int_equal(mmap_type(7), RAYOS_MEM_USABLE);  /* Conventional */
	assert_int_equal(mmap_type(1), RAYOS_MEM_USABLE);  /* LoaderCode */
	assert_int_equal(mmap_type(2), RAYOS_MEM_USABLE);  /* LoaderData */
	assert_int_equal(mmap_type(3), RAYOS_MEM_USABLE);  /* BootServicesCode */
	assert_int_equal(mmap_type(4), RAYOS_MEM_USABLE);  /* BootServicesData */
	assert_int_equal(mmap_type(5), RAYOS_MEM_RESERVED); /* RuntimeServicesCode */
	assert_int_equal(mmap_type(6), RAYOS_MEM_RESERVED); /* RuntimeServicesData */
	assert_int_equal(mmap_type(0), RAYOS_MEM_RESERVED);
	assert_int_equal(mmap_type(8), RAYOS_MEM_BAD);
	assert_int_equal(mmap_type(9), RAYOS_MEM_ACPI_RECLAIMABLE);
	assert_int_equal(mmap_type(10), RAYOS_MEM_ACPI_NVS);
	assert_int_equal(mmap_type(11), RAYOS_MEM_MMIO);
	assert_int_equal(mmap_type(12), RAYOS_MEM_MMIO);
	assert_int_equal(mmap_type(13), RAYOS_MEM_RESERVED); /* PAL code */
	assert_int_equal(mmap_type(14), RAYOS_MEM_RESERVED); /* persistent */
	assert_int_equal(mmap_type(RAYOS_EFI_MEMTYPE_KERNEL), RAYOS_MEM_KERNEL);
	assert_int_equal(mmap_type(RAYOS_EFI_MEMTYPE_RECLAIM), RAYOS_MEM_BOOT_RECLAIMABLE);
	assert_int_equal(mmap_type(0x80000005), RAYOS_MEM_RESERVED); /* other OEM */
}

static void test_sort_and_merge(void **state)
{
	(void)state;
	ndesc = 0;
	add(7, 0x100000, 16);           /* usable 1M..1M+64K */
	add(0, 0xa0000, 96);            /* reserved */
	add(2, 0x110000, 4);            /* loader data: merges with the usable */
	add(7, 0x0, 160);               /* usable 0..0xa0000 */
	add(RAYOS_EFI_MEMTYPE_KERNEL, 0x114000, 8);
	add(4, 0x11c000, 4);            /* usable again, after the kernel */
	add(7, 0x200000, 0);            /* empty: dropped */
	add(11, 0xfec00000, 1);         /* mmio */
	assert_int_equal(convert(64), 6);
	assert_true(out[0].base == 0 && out[0].length == 0xa0000 &&
		    out[0].type == RAYOS_MEM_USABLE);
	assert_true(out[1].base == 0xa0000 && out[1].type == RAYOS_MEM_RESERVED);
	assert_true(out[2].base == 0x100000 && out[2].length == 0x14000 &&
		    out[2].type == RAYOS_MEM_USABLE);
	assert_true(out[3].base == 0x114000 && out[3].length == 0x8000 &&
		    out[3].type == RAYOS_MEM_KERNEL);
	assert_true(out[4].base == 0x11c000 && out[4].type == RAYOS_MEM_USABLE);
	assert_true(out[5].base == 0xfec00000 && out[5].type == RAYOS_MEM_MMIO);
	assert_int_equal(out[5].reserved, 0);
}

static void test_no_merge_across_gap(void **state)
{
	(void)state;
	ndesc = 0;
	add(7, 0x0, 1);
	add(7, 0x2000, 1); /* a hole at 0x1000 */
	assert_int_equal(convert(64), 2);
}

static void test_overflow(void **state)
{
	int i;
	(void)state;
	ndesc = 0;
	for (i = 0; i < 10; i++)
		add(i % 2 ? 7 : 0, (uint64_t)(9 - i) * 0x1000, 1);
	assert_int_equal(convert(4), -1);
	/* what fit is still sorted */
	for (i = 1; i < 4; i++)
		assert_true(out[i - 1].base < out[i].base);
	assert_int_equal(convert(10), 10);
}

static void test_bad_stride(void **state)
{
	(void)state;
	ndesc = 0;
	add(7, 0, 1);
	assert_int_equal(mmap_convert(map, 40, 16, out, 64), -1);
	assert_int_equal(mmap_convert(map, 0, STRIDE, out, 64), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_sort_and_merge),
		cmocka_unit_test(test_no_merge_across_gap),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_bad_stride),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
