/*
 * user/tests/t-pie.c - built as a static PIE (ET_DYN without an
 * interpreter; see user/build.mk): the kernel must load it at some base and
 * start it with the usual stack, and musl's start code relocates it. A
 * pointer stored in initialised data only holds the right value if those
 * relocations were applied.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>

static int target = 42;
static int *pointer = &target; /* needs a R_X86_64_RELATIVE relocation */

int main(int argc, char **argv)
{
	unsigned long phdr = getauxval(AT_PHDR), entry = getauxval(AT_ENTRY);
	printf("t-pie: main at %p, AT_PHDR %#lx, AT_ENTRY %#lx, argc %d\n", (void *)main,
	       phdr, entry, argc);
	int ok = pointer == &target && *pointer == 42 && phdr && entry && argv[argc] == NULL;
	/* A PIE's code sits where the kernel chose, which is never the
	 * link address 0. */
	ok = ok && (uintptr_t)main > 0x10000;
	puts(ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
