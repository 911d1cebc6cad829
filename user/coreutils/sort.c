/*
 * user/coreutils/sort.c - sort [-nru] [-t C] [-k N[,M]] [file...]: sort
 * lines, as GNU sort does in the C locale.
 *   -n compare the key as a number (leading blanks skipped; no number: 0)
 *   -r reverse   -u print only the first of lines with equal keys
 *   -t C fields are separated by C (default: a field is a run of blanks
 *        and the non-blanks after it, so leading blanks belong to it)
 *   -k N[,M] the key is fields N to M (default: to the end of the line)
 * Lines with equal keys are ordered by the whole line (byte order) unless
 * -u, like GNU's "last resort" comparison. Everything is read into memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int opt_n, opt_r, opt_u;
static int sep = -1;          /* -t character, or -1: blanks */
static int key_start, key_end; /* fields, 1-based; 0: whole line / to end */

struct line {
	char *s;
	size_t len;
	size_t index;   /* input order: -u keeps the first of equal lines */
};

static void usage(void)
{
	fprintf(stderr, "usage: sort [-nru] [-t C] [-k N[,M]] [file...]\n");
	exit(2);
}

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Start of field n (1-based) in s[0..len), or s + len. */
static const char *field(const char *s, const char *end, int n)
{
	const char *p = s;
	for (int f = 1; f < n && p < end; f++) {
		if (sep >= 0) {
			while (p < end && *p != sep)
				p++;
			if (p < end)
				p++;
		} else {
			while (p < end && blank(*p))
				p++;
			while (p < end && !blank(*p))
				p++;
		}
	}
	return p;
}

/* The key of l: [*k, *kend). */
static void key(const struct line *l, const char **k, const char **kend)
{
	const char *s = l->s, *end = l->s + l->len;
	if (!key_start) {
		*k = s;
		*kend = end;
		return;
	}
	*k = field(s, end, key_start);
	if (!key_end) {
		*kend = end;
		return;
	}
	/* End of field M: the start of M + 1, less its separator. */
	const char *e = field(s, end, key_end + 1);
	if (sep >= 0 && e < end)
		e--;
	else if (sep >= 0 && e == end && e > s && field(s, end, key_end) == end)
		e = end;
	*kend = e < *k ? *k : e;
}

static double number(const char *k, const char *kend)
{
	char buf[64];
	size_t n = (size_t)(kend - k);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, k, n);
	buf[n] = 0;
	return strtod(buf, NULL);
}

static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

static int key_cmp(const struct line *a, const struct line *b)
{
	const char *ka, *ea, *kb, *eb;
	key(a, &ka, &ea);
	key(b, &kb, &eb);
	if (opt_n) {
		double x = number(ka, ea), y = number(kb, eb);
		return x < y ? -1 : x > y;
	}
	return bytes_cmp(ka, (size_t)(ea - ka), kb, (size_t)(eb - kb));
}

static int line_cmp(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;
	int c = key_cmp(a, b);
	if (!c && !opt_u)
		c = bytes_cmp(a->s, a->len, b->s, b->len);
	if (opt_r)
		c = -c;
	if (!c)
		c = a->index < b->index ? -1 : a->index > b->index;
	return c;
}

static struct line *lines;
static size_t nlines, caplines;

static int read_stream(FILE *f)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		if (len > 0 && buf[len - 1] == '\n')
			len--;
		if (nlines == caplines) {
			caplines = caplines ? caplines * 2 : 256;
			lines = realloc(lines, caplines * sizeof(*lines));
			if (!lines)
				return -1;
		}
		lines[nlines].s = malloc((size_t)len + 1);
		if (!lines[nlines].s)
			return -1;
		memcpy(lines[nlines].s, buf, (size_t)len);
		lines[nlines].len = (size_t)len;
		lines[nlines].index = nlines;
		nlines++;
	}
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int opt;
	char *end;
	while ((opt = getopt(argc, argv, "nrut:k:")) != -1) {
		switch (opt) {
		case 'n': opt_n = 1; break;
		case 'r': opt_r = 1; break;
		case 'u': opt_u = 1; break;
		case 't':
			if (!optarg[0] || optarg[1])
				usage();
			sep = (unsigned char)optarg[0];
			break;
		case 'k':
			key_start = (int)strtol(optarg, &end, 10);
			if (key_start < 1)
				usage();
			if (*end == ',') {
				key_end = (int)strtol(end + 1, &end, 10);
				if (key_end < key_start)
					usage();
			}
			if (*end)
				usage();
			break;
		default: usage();
		}
	}
	int status = 0;
	if (optind == argc && read_stream(stdin))
		goto nomem;
	for (int i = optind; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;
		if (!f) {
			fprintf(stderr, "sort: %s: No such file or directory\n", argv[i]);
			status = 2;
			continue;
		}
		if (read_stream(f))
			goto nomem;
		if (f != stdin)
			fclose(f);
	}
	qsort(lines, nlines, sizeof(*lines), line_cmp);
	for (size_t i = 0; i < nlines; i++) {
		if (opt_u && i && key_cmp(&lines[i - 1], &lines[i]) == 0)
			continue;
		fwrite(lines[i].s, 1, lines[i].len, stdout);
		putchar('\n');
	}
	return fflush(stdout) ? 2 : status;
nomem:
	fprintf(stderr, "sort: out of memory\n");
	return 2;
}
