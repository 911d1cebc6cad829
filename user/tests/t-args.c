/*
 * user/tests/t-args.c - t-args [args...]: check what execve put on the new
 * process's stack. Prints argc and every argv[i], then checks:
 *   - argv[argc] is NULL, envp follows argv and matches environ, and the
 *     environment is not empty (init sets PATH, HOME, TERM);
 *   - the auxiliary vector: AT_PAGESZ is 4096, AT_RANDOM points at 16
 *     readable bytes, AT_PHDR and AT_ENTRY are present (getauxval).
 * One PASS/FAIL line per check; exit 0 only if all pass.
 */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;
static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (!ok)
		failures++;
}

int main(int argc, char **argv, char **envp)
{
	int nenv = 0;

	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	check(argv[argc] == NULL, "argv[argc] is NULL");
	check(envp == argv + argc + 1, "envp follows argv");
	check(envp == environ, "envp is environ");
	for (char **e = envp; *e; e++)
		nenv++;
	printf("envc=%d\n", nenv);
	check(nenv > 0, "environment is not empty");

	unsigned long pagesz = getauxval(AT_PAGESZ);
	unsigned long rnd = getauxval(AT_RANDOM);
	unsigned long phdr = getauxval(AT_PHDR);
	unsigned long entry = getauxval(AT_ENTRY);
	printf("AT_PAGESZ=%lu AT_RANDOM=%#lx AT_PHDR=%#lx AT_ENTRY=%#lx\n",
	       pagesz, rnd, phdr, entry);
	check(pagesz == 4096, "AT_PAGESZ is 4096");
	check(rnd != 0, "AT_RANDOM is not NULL");
	if (rnd) {
		unsigned char bytes[16];
		memcpy(bytes, (void *)rnd, 16); /* must be readable */
		int nonzero = 0;
		for (int i = 0; i < 16; i++)
			nonzero |= bytes[i];
		check(nonzero != 0, "AT_RANDOM bytes are not all zero");
	}
	check(phdr != 0, "AT_PHDR is present");
	check(entry != 0, "AT_ENTRY is present");
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
