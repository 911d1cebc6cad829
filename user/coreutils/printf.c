/*
 * user/coreutils/printf.c - printf FORMAT [ARGUMENT...]: formatted output,
 * as POSIX and GNU printf.
 *
 * The format is used again and again until the arguments run out (at
 * least once); missing arguments are empty strings or zeros. Escapes:
 * \\ \a \b \f \n \r \t \v \" \NNN (octal) \xHH; \c stops all output.
 * Conversions: %d %i %o %u %x %X %c %s %f %F %e %E %g %G %a %A %%, with
 * flags, width and precision (* takes them from the arguments), and %b
 * (the argument with its escapes expanded). A numeric argument may be a
 * C constant (0x1f, 017) or 'c / "c for the character's code; a bad one
 * is reported ("printf: 'x': expected a numeric value") and makes the
 * status 1, as GNU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int status;
static char **args;
static int nargs, argi;

static const char *next_arg(void)
{
	return argi < nargs ? args[argi++] : NULL;
}

/* One escape at s (after the backslash) into out; returns the characters
 * used; -1 for \c. in_b: %b's rules (\0NNN octal). */
static int escape(const char *s, FILE *out, int in_b)
{
	const char *p = s;
	int v = 0, n = 0;
	switch (*p) {
	case '\\': fputc('\\', out); return 1;
	case 'a': fputc('\a', out); return 1;
	case 'b': fputc('\b', out); return 1;
	case 'f': fputc('\f', out); return 1;
	case 'n': fputc('\n', out); return 1;
	case 'r': fputc('\r', out); return 1;
	case 't': fputc('\t', out); return 1;
	case 'v': fputc('\v', out); return 1;
	case '"': fputc('"', out); return 1;
	case 'c': return -1;
	case 'x':
		for (p++; n < 2 && strchr("0123456789abcdefABCDEF", *p) && *p; p++, n++)
			v = v * 16 + (*p <= '9' ? *p - '0' : (*p | 32) - 'a' + 10);
		if (!n) {
			fputs("\\x", out);
			return 1;
		}
		fputc(v, out);
		return (int)(p - s);
	}
	if (*p >= '0' && *p <= '7') {
		if (in_b && *p == '0')
			p++;
		for (; n < 3 && *p >= '0' && *p <= '7'; p++, n++)
			v = v * 8 + (*p - '0');
		fputc(v & 0xff, out);
		return (int)(p - s);
	}
	fputc('\\', out);
	return 0;
}

/* %b: returns 1 when \c asked to stop. */
static int print_b(const char *s)
{
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			putchar(*s);
			continue;
		}
		int k = escape(s + 1, stdout, 1);
		if (k < 0)
			return 1;
		s += k;
	}
	return 0;
}

static void bad_number(const char *a)
{
	fprintf(stderr, "printf: '%s': expected a numeric value\n", a);
	status = 1;
}

static long long int_arg(const char *a, int is_unsigned, unsigned long long *u)
{
	if (!a || !*a) {
		*u = 0;
		return 0;
	}
	if (*a == '\'' || *a == '"') {
		*u = (unsigned char)a[1];
		return (unsigned char)a[1];
	}
	char *end;
	errno = 0;
	long long v = 0;
	if (is_unsigned && *a != '-') {
		*u = strtoull(a, &end, 0);
		v = (long long)*u;
	} else {
		v = strtoll(a, &end, 0);
		*u = (unsigned long long)v;
	}
	if (end == a || *end) {
		bad_number(a);
	} else if (errno == ERANGE) {
		fprintf(stderr, "printf: '%s': %s\n", a, strerror(errno));
		status = 1;
	}
	return v;
}

static double float_arg(const char *a)
{
	if (!a || !*a)
		return 0;
	if (*a == '\'' || *a == '"')
		return (unsigned char)a[1];
	char *end;
	double v = strtod(a, &end);
	if (end == a || *end)
		bad_number(a);
	return v;
}

/* One pass over the format; returns 1 when output must stop (\c). */
static int pass(const char *f)
{
	for (const char *p = f; *p; p++) {
		if (*p == '\\') {
			int k = escape(p + 1, stdout, 0);
			if (k < 0)
				return 1;
			p += k;
			continue;
		}
		if (*p != '%') {
			putchar(*p);
			continue;
		}
		if (p[1] == '%') {
			putchar('%');
			p++;
			continue;
		}
		/* A conversion: copy flags, width, precision into spec. */
		char spec[64];
		size_t n = 0;
		spec[n++] = '%';
		const char *q = p + 1;
		while (*q && strchr("-+ #0", *q) && n < 20)
			spec[n++] = *q++;
		for (int part = 0; part < 2; part++) {
			if (part == 1) {
				if (*q != '.')
					break;
				spec[n++] = *q++;
			}
			if (*q == '*') {
				unsigned long long u;
				const char *a = next_arg();
				n += (size_t)snprintf(spec + n, sizeof(spec) - n, "%d",
				                      (int)int_arg(a, 0, &u));
				q++;
			} else {
				while (*q >= '0' && *q <= '9' && n < 40)
					spec[n++] = *q++;
			}
		}
		while (*q == 'l' || *q == 'h' || *q == 'L' || *q == 'j' || *q == 'z' || *q == 't')
			q++;   /* length modifiers: all numbers are long long / double */
		char conv = *q;
		const char *a;
		unsigned long long u;
		switch (conv) {
		case 'd': case 'i':
			spec[n++] = 'l'; spec[n++] = 'l'; spec[n++] = conv; spec[n] = 0;
			a = next_arg();
			printf(spec, int_arg(a, 0, &u));
			break;
		case 'o': case 'u': case 'x': case 'X':
			spec[n++] = 'l'; spec[n++] = 'l'; spec[n++] = conv; spec[n] = 0;
			a = next_arg();
			int_arg(a, 1, &u);
			printf(spec, u);
			break;
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
			spec[n++] = conv; spec[n] = 0;
			printf(spec, float_arg(next_arg()));
			break;
		case 'c':
			spec[n++] = 'c'; spec[n] = 0;
			a = next_arg();
			printf(spec, a && *a ? *a : 0);
			break;
		case 's':
			spec[n++] = 's'; spec[n] = 0;
			a = next_arg();
			printf(spec, a ? a : "");
			break;
		case 'b':
			a = next_arg();
			if (a && print_b(a))
				return 1;
			break;
		default:
			fprintf(stderr, "printf: %.*s: invalid conversion specification\n",
			        (int)(q - p + (*q ? 1 : 0)), p);
			exit(1);
		}
		p = q;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--"))
		argv++, argc--;
	if (argc < 2) {
		fprintf(stderr, "usage: printf FORMAT [ARGUMENT...]\n");
		return 2;
	}
	args = argv + 2;
	nargs = argc - 2;
	do {
		int before = argi;
		if (pass(argv[1]))
			break;
		if (argi == before) {   /* the format takes no arguments: once */
			if (nargs)
				fprintf(stderr, "printf: warning: ignoring excess arguments, "
				        "starting with '%s'\n", args[0]);
			break;
		}
	} while (argi < nargs);
	if (fflush(stdout))
		return 1;
	return status;
}
