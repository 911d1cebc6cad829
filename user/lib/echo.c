/*
 * user/lib/echo.c - echo [-neE] [string...], shared by the shell's
 * built-in echo (user/sh/builtin.c) and /bin/echo (user/coreutils/echo.c):
 * print the arguments separated by spaces. -n: no trailing newline.
 * -e: interpret \n \t \r \a \b \e \\ \c (stop output) \0NNN (octal);
 * -E (default): do not. Like GNU echo, an argument made only of n/e/E
 * letters after '-' is an option. Output goes to stdout unflushed.
 */
#include <stdio.h>
#include <string.h>

#include "echo.h"

/* Print s with escapes; returns 0 if \c asked to stop output. */
static int put_escaped(const char *p)
{
	for (; *p; p++) {
		if (*p != '\\' || !p[1]) {
			putchar(*p);
			continue;
		}
		switch (*++p) {
		case 'n': putchar('\n'); break;
		case 't': putchar('\t'); break;
		case 'r': putchar('\r'); break;
		case 'a': putchar('\a'); break;
		case 'b': putchar('\b'); break;
		case 'e': putchar(033); break;
		case '\\': putchar('\\'); break;
		case 'c': return 0;
		case '0': {
			int v = 0;
			for (int k = 0; k < 3 && p[1] >= '0' && p[1] <= '7'; k++)
				v = v * 8 + *++p - '0';
			putchar(v);
			break;
		}
		default: putchar('\\'); putchar(*p); break;
		}
	}
	return 1;
}

int echo_main(int argc, char **argv)
{
	int newline = 1, escapes = 0, i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o = argv[i] + 1;
		if (strspn(o, "neE") != strlen(o))
			break;
		for (; *o; o++) {
			if (*o == 'n') newline = 0;
			else if (*o == 'e') escapes = 1;
			else escapes = 0;
		}
	}
	for (int first = 1; i < argc; i++, first = 0) {
		if (!first)
			putchar(' ');
		if (!escapes)
			fputs(argv[i], stdout);
		else if (!put_escaped(argv[i]))
			return 0;
	}
	if (newline)
		putchar('\n');
	return 0;
}
