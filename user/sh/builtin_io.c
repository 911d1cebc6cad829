/*
 * user/sh/builtin_io.c - built-ins that read or format text: printf,
 * read, and test/[ (whose code is /bin/test's, user/coreutils/test.c,
 * compiled in here with its main renamed; its exit(2) on a syntax error
 * comes back to the built-in through a longjmp).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

/* ---- test ---- */
static jmp_buf test_jmp;

static _Noreturn void test_exit(int status)
{
	longjmp(test_jmp, status + 1);
}

#undef main
#define main test_main
#define exit test_exit
#include "../coreutils/test.c"
#undef exit
#undef main

int bi_test(int argc, char **argv)
{
	int st = setjmp(test_jmp);

	fflush(stdout);
	if (st)
		return st - 1;
	pos = 0;
	prog = "test";
	return test_main(argc, argv);
}

/* ---- printf ---- */
static int printf_status;

/* Print one backslash escape at *pp (after the backslash); for %b, \c
 * stops all output (returns 1). */
static int put_escape(const char **pp, int in_b)
{
	const char *p = *pp;
	int c = *p++;

	switch (c) {
	case 'n': putchar('\n'); break;
	case 't': putchar('\t'); break;
	case 'r': putchar('\r'); break;
	case 'a': putchar('\a'); break;
	case 'b': putchar('\b'); break;
	case 'f': putchar('\f'); break;
	case 'v': putchar('\v'); break;
	case 'e': putchar(033); break;
	case '\\': putchar('\\'); break;
	case 'c':
		if (in_b) {
			*pp = p;
			return 1;
		}
		putchar('\\');
		putchar('c');
		break;
	case '0': case '1': case '2': case '3':
	case '4': case '5': case '6': case '7': {
		int v = c - '0', max = (in_b && c == '0') ? 3 : 2;
		for (int k = 0; k < max && *p >= '0' && *p <= '7'; k++)
			v = v * 8 + *p++ - '0';
		putchar(v);
		break;
	}
	case 0:
		putchar('\\');
		p--;
		break;
	default:
		putchar('\\');
		putchar(c);
		break;
	}
	*pp = p;
	return 0;
}

static long long num_arg(const char *s)
{
	char *end;
	long long v;

	if (!s)
		return 0;
	if ((s[0] == '\'' || s[0] == '"') && s[1])
		return (unsigned char)s[1];
	errno = 0;
	v = strtoll(s, &end, 0);
	if (end == s || *end || errno) {
		sh_error("printf: %s: %s", s, end == s ? "expected numeric value"
			 : errno ? strerror(errno) : "not completely converted");
		printf_status = 1;
	}
	return v;
}

int bi_printf(int argc, char **argv)
{
	if (argc < 2) {
		sh_error("printf: usage: printf format [arg ...]");
		return 2;
	}
	const char *fmt = argv[1];
	char **args = argv + 2;
	int nargs = argc - 2, ai = 0;

	printf_status = 0;
	do {
		int used = 0;
		for (const char *p = fmt; *p; ) {
			if (*p == '\\') {
				p++;
				put_escape(&p, 0);
				continue;
			}
			if (*p != '%') {
				putchar(*p++);
				continue;
			}
			if (p[1] == '%') {
				putchar('%');
				p += 2;
				continue;
			}
			/* %[flags][width][.prec]conv */
			char spec[64];
			size_t n = 0;
			spec[n++] = *p++;
			while (*p && strchr("-+ #0", *p) && n < 20)
				spec[n++] = *p++;
			if (*p == '*') {
				n += snprintf(spec + n, sizeof spec - n, "%d",
					      (int)num_arg(ai < nargs ? args[ai++] : NULL));
				p++;
			}
			while (isdigit((unsigned char)*p) && n < 40)
				spec[n++] = *p++;
			if (*p == '.') {
				spec[n++] = *p++;
				if (*p == '*') {
					n += snprintf(spec + n, sizeof spec - n, "%d",
						      (int)num_arg(ai < nargs ? args[ai++] : NULL));
					p++;
				}
				while (isdigit((unsigned char)*p) && n < 50)
					spec[n++] = *p++;
			}
			char conv = *p;
			if (!conv) {
				sh_error("printf: %s: invalid format", fmt);
				return 1;
			}
			p++;
			const char *arg = ai < nargs ? args[ai++] : NULL;
			used = 1;
			switch (conv) {
			case 'd': case 'i':
				spec[n++] = 'l'; spec[n++] = 'l'; spec[n++] = 'd'; spec[n] = 0;
				printf(spec, num_arg(arg));
				break;
			case 'u': case 'o': case 'x': case 'X':
				spec[n++] = 'l'; spec[n++] = 'l'; spec[n++] = conv; spec[n] = 0;
				printf(spec, (unsigned long long)num_arg(arg));
				break;
			case 'c':
				spec[n++] = 'c'; spec[n] = 0;
				if (arg && *arg)
					printf(spec, arg[0]);
				else if (arg || n > 2)
					printf(spec, 0 ? 0 : '\0');
				break;
			case 's':
				spec[n++] = 's'; spec[n] = 0;
				printf(spec, arg ? arg : "");
				break;
			case 'b': {
				const char *s = arg ? arg : "";
				while (*s) {
					if (*s == '\\') {
						s++;
						if (put_escape(&s, 1))
							return printf_status;
					} else {
						putchar(*s++);
					}
				}
				break;
			}
			default:
				sh_error("printf: %%%c: invalid directive", conv);
				return 1;
			}
		}
		if (!used)
			break;
	} while (ai < nargs);
	return printf_status;
}

/* ---- read ---- */
int bi_read(int argc, char **argv)
{
	int raw = 0, i = 1;
	const char *prompt = NULL;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'r')
				raw = 1;
			else if (*o == 'p' && i + 1 < argc) {
				prompt = argv[++i];
				break;
			} else {
				sh_error("read: Illegal option -%c", *o);
				return 2;
			}
		}
	}
	if (prompt && isatty(0)) {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	/* One byte at a time: what follows the line stays for others. The
	 * attribute string marks escaped characters (not field separators). */
	struct str line = { 0 }, quoted = { 0 };
	int got_eof = 0;
	for (;;) {
		char c;
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR) {
			if (got_sigint || trap_pending) {
				free(line.s);
				free(quoted.s);
				return 128 + SIGINT;
			}
			continue;
		}
		if (r <= 0) {
			got_eof = 1;
			break;
		}
		if (c == '\n')
			break;
		if (c == '\\' && !raw) {
			r = read(0, &c, 1);
			if (r <= 0) {
				got_eof = 1;
				break;
			}
			if (c == '\n')
				continue;
			str_addc(&line, c);
			str_addc(&quoted, 1);
			continue;
		}
		str_addc(&line, c);
		str_addc(&quoted, 0);
	}
	const char *ifs = var_get("IFS");
	if (!ifs)
		ifs = " \t\n";
	size_t n = line.n, p = 0;
	char *s = line.s ? line.s : "";
	char *q = quoted.s;
#define IS_IFS(k) (!q[k] && strchr(ifs, s[k]))
#define IS_WS(k) (IS_IFS(k) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n'))
	while (p < n && IS_WS(p))
		p++;
	if (i >= argc) {
		var_set("REPLY", "", 0);
		argv[i] = "REPLY";
		argc = i + 1;
	}
	for (; i < argc; i++) {
		struct str val = { 0 };
		if (i == argc - 1) {
			/* the rest, less trailing IFS white space */
			size_t e = n;
			while (e > p && IS_WS(e - 1))
				e--;
			str_addn(&val, s + p, e - p);
			p = n;
		} else {
			while (p < n && !IS_IFS(p))
				str_addc(&val, s[p++]);
			if (p < n) {
				int ws = IS_WS(p);
				p++;
				while (p < n && IS_WS(p))
					p++;
				if (ws && p < n && IS_IFS(p) && !IS_WS(p)) {
					p++;
					while (p < n && IS_WS(p))
						p++;
				}
			}
		}
		char *v = str_take(&val);
		if (var_name_len(argv[i]) != (int)strlen(argv[i])) {
			sh_error("read: %s: bad variable name", argv[i]);
			free(v);
			free(line.s);
			free(quoted.s);
			return 2;
		}
		var_set(argv[i], v, 0);
		free(v);
	}
	free(line.s);
	free(quoted.s);
	return got_eof ? 1 : 0;
}
