/*
 * user/coreutils/uniq.c - uniq [-cdui] [-f N] [-s N] [-w N] [input
 * [output]]: collapse runs of equal adjacent lines into one (the first of
 * each run is printed).
 *   -c prefix each line with its count ("%7d ", as GNU uniq)
 *   -d print only lines that repeat   -u print only lines that do not
 *   -i compare ignoring case   -f N skip N fields (blanks then
 *   non-blanks) and -s N then N characters before comparing; -w N compare
 *   at most N characters
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int opt_c, opt_d, opt_u, opt_i;
static long skip_fields, skip_chars, check_chars = -1;

/* The part of a line that is compared. */
static const char *key(const char *s, size_t len, size_t *klen)
{
	const char *p = s, *end = s + len;
	for (long f = 0; f < skip_fields; f++) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
	}
	for (long c = 0; c < skip_chars && p < end; c++)
		p++;
	*klen = (size_t)(end - p);
	if (check_chars >= 0 && *klen > (size_t)check_chars)
		*klen = (size_t)check_chars;
	return p;
}

static int same(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t ka, kb;
	const char *x = key(a, alen, &ka), *y = key(b, blen, &kb);
	if (ka != kb)
		return 0;
	if (!opt_i)
		return !memcmp(x, y, ka);
	for (size_t i = 0; i < ka; i++)
		if (tolower((unsigned char)x[i]) != tolower((unsigned char)y[i]))
			return 0;
	return 1;
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0) {
		fprintf(stderr, "uniq: %s: invalid number\n", s);
		exit(2);
	}
	return v;
}

static void emit(FILE *out, const char *line, size_t len, long count)
{
	if ((opt_d && count < 2) || (opt_u && count > 1))
		return;
	if (opt_c)
		fprintf(out, "%7ld ", count);
	fwrite(line, 1, len, out);
	putc('\n', out);
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "cduif:s:w:")) != -1) {
		switch (opt) {
		case 'c': opt_c = 1; break;
		case 'd': opt_d = 1; break;
		case 'u': opt_u = 1; break;
		case 'i': opt_i = 1; break;
		case 'f': skip_fields = number(optarg); break;
		case 's': skip_chars = number(optarg); break;
		case 'w': check_chars = number(optarg); break;
		default:
			fprintf(stderr, "usage: uniq [-cdui] [-f N] [-s N] [-w N] [input [output]]\n");
			return 2;
		}
	}
	if (argc - optind > 2) {
		fprintf(stderr, "uniq: extra operand '%s'\n", argv[optind + 2]);
		fprintf(stderr, "usage: uniq [-cdui] [-f N] [-s N] [-w N] [input [output]]\n");
		return 2;
	}
	FILE *in = stdin, *out = stdout;
	if (optind < argc && strcmp(argv[optind], "-")) {
		in = fopen(argv[optind], "r");
		if (!in) {
			fprintf(stderr, "uniq: %s: %s\n", argv[optind], strerror(errno));
			return 1;
		}
	}
	if (optind + 1 < argc) {
		out = fopen(argv[optind + 1], "w");
		if (!out) {
			perror("uniq");
			return 1;
		}
	}
	char *prev = NULL, *line = NULL;
	size_t prevcap = 0, cap = 0, prevlen = 0;
	long count = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, in)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (count && same(line, (size_t)len, prev, prevlen)) {
			count++;
			continue;
		}
		if (count)
			emit(out, prev, prevlen, count);
		/* The new line becomes the previous one: swap the buffers. */
		char *t = prev;
		size_t tc = prevcap;
		prev = line;
		prevcap = cap;
		line = t;
		cap = tc;
		prevlen = (size_t)len;
		count = 1;
	}
	if (count)
		emit(out, prev, prevlen, count);
	return fflush(out) ? 1 : 0;
}
