/*
 * user/coreutils/sort.c - sort [-bdfghinrsu] [-t C] [-k KEY]... [-o FILE]
 * [-c] [file...]: sort lines as GNU sort does in the C locale.
 *
 * Keys: -k F[.C][OPTS][,F[.C][OPTS]] picks fields F..F (characters C of
 * them), with ordering options of their own (b d f g h i n r); a key
 * without any inherits the global ones. Fields are separated by the -t
 * character, or else each field is a run of blanks and the non-blanks
 * after it (so leading blanks belong to the field unless -b). Key
 * boundaries are found exactly as GNU's begfield/limfield do.
 *
 * Comparison: key by key; when all keys are equal, the whole lines byte
 * by byte (GNU's "last resort", reversed by a global -r), unless -s
 * (stable) or -u. -u prints the first of each run of lines with equal
 * keys. Orderings: bytes; -n numbers (sign, digits, one decimal point,
 * compared as strings so any length works; no number is 0); -g floating
 * point (strtod: exponents, inf, nan first); -h human sizes (the suffix
 * K M G T P E Z Y first, then the number); -f folds lower case to upper;
 * -d keeps only blanks and alphanumerics; -i only printable characters.
 *
 * Everything is read into memory; -c only checks the order (status 1 and
 * "sort: FILE:N: disorder: LINE" at the first line out of order).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct key {
	size_t sword, schar;   /* start: field and char, 0-based */
	size_t eword, echar;   /* end: field 0-based (SIZE_MAX: line end), char 1-based (0: field end) */
	int skipsblanks, skipeblanks;
	int numeric, general, human, fold, dict, nonprint, reverse;
};

#define MAXKEYS 32
#define NO_END ((size_t)-1)

static struct key keys[MAXKEYS], global;
static int nkeys, opt_u, opt_s, opt_c;
static int tab = -1;   /* -t character, or -1: blanks */

struct line {
	char *s;
	size_t len;
	size_t index;   /* input order, for -s and -u */
};

static void usage(void)
{
	fprintf(stderr, "usage: sort [-bdfghinrsuc] [-t C] [-k F[.C][OPTS][,F[.C][OPTS]]]... "
	        "[-o FILE] [file...]\n");
	exit(2);
}

static int blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* ---- key boundaries (GNU's begfield and limfield) ---- */

static const char *begfield(const struct line *l, const struct key *k)
{
	const char *ptr = l->s, *lim = l->s + l->len;
	size_t sword = k->sword;
	if (tab >= 0) {
		while (ptr < lim && sword--) {
			while (ptr < lim && (unsigned char)*ptr != tab)
				ptr++;
			if (ptr < lim)
				ptr++;
		}
	} else {
		while (ptr < lim && sword--) {
			while (ptr < lim && blank(*ptr))
				ptr++;
			while (ptr < lim && !blank(*ptr))
				ptr++;
		}
	}
	if (k->skipsblanks)
		while (ptr < lim && blank(*ptr))
			ptr++;
	return (size_t)(lim - ptr) < k->schar ? lim : ptr + k->schar;
}

static const char *limfield(const struct line *l, const struct key *k)
{
	const char *ptr = l->s, *lim = l->s + l->len;
	size_t eword = k->eword, echar = k->echar;
	if (eword == NO_END)
		return lim;
	if (echar == 0)
		eword++;   /* all of the end field */
	if (tab >= 0) {
		while (ptr < lim && eword--) {
			while (ptr < lim && (unsigned char)*ptr != tab)
				ptr++;
			if (ptr < lim && (eword || echar))
				ptr++;
		}
	} else {
		while (ptr < lim && eword--) {
			while (ptr < lim && blank(*ptr))
				ptr++;
			while (ptr < lim && !blank(*ptr))
				ptr++;
		}
	}
	if (echar) {
		if (k->skipeblanks)
			while (ptr < lim && blank(*ptr))
				ptr++;
		ptr = (size_t)(lim - ptr) < echar ? lim : ptr + echar;
	}
	return ptr;
}

/* ---- orderings ---- */

/* -n: compare the numbers at the start of a and b (blanks skipped) as
 * decimal strings: sign, then integer digits by length and value, then
 * the fraction. Anything that is not a number counts as zero. */
static int numcompare(const char *a, const char *ae, const char *b, const char *be)
{
	while (a < ae && blank(*a))
		a++;
	while (b < be && blank(*b))
		b++;
	int na = a < ae && *a == '-', nb = b < be && *b == '-';
	a += na;
	b += nb;
	/* Integer parts without leading zeros, and fractions. */
	while (a < ae && *a == '0')
		a++;
	while (b < be && *b == '0')
		b++;
	const char *ai = a, *bi = b;
	while (a < ae && isdigit((unsigned char)*a))
		a++;
	while (b < be && isdigit((unsigned char)*b))
		b++;
	size_t la = (size_t)(a - ai), lb = (size_t)(b - bi);
	const char *af = a < ae && *a == '.' ? a + 1 : a, *bf = b < be && *b == '.' ? b + 1 : b;
	const char *afe = af, *bfe = bf;
	while (afe < ae && isdigit((unsigned char)*afe))
		afe++;
	while (bfe < be && isdigit((unsigned char)*bfe))
		bfe++;
	/* Trailing zeros of the fraction do not count. */
	while (afe > af && afe[-1] == '0')
		afe--;
	while (bfe > bf && bfe[-1] == '0')
		bfe--;
	int za = !la && afe == af, zb = !lb && bfe == bf;
	if (za)
		na = 0;   /* -0 is 0 */
	if (zb)
		nb = 0;
	if (na != nb)
		return na ? -1 : 1;
	int sign = na ? -1 : 1, c = 0;
	if (la != lb)
		c = la < lb ? -1 : 1;
	else if ((c = memcmp(ai, bi, la)) != 0)
		c = c < 0 ? -1 : 1;
	else {
		for (; af < afe || bf < bfe; af++, bf++) {
			char x = af < afe ? *af : '0', y = bf < bfe ? *bf : '0';
			if (x != y) {
				c = x < y ? -1 : 1;
				break;
			}
		}
	}
	return sign * c;
}

static double general(const char *k, const char *ke, int *ok)
{
	char buf[128];
	size_t n = (size_t)(ke - k) < sizeof(buf) - 1 ? (size_t)(ke - k) : sizeof(buf) - 1;
	memcpy(buf, k, n);
	buf[n] = 0;
	char *end;
	double v = strtod(buf, &end);
	*ok = end != buf;
	return v;
}

/* -g: not-numbers first, then NaN, then by value (GNU's order). */
static int gencompare(const char *a, const char *ae, const char *b, const char *be)
{
	int oka, okb;
	double x = general(a, ae, &oka), y = general(b, be, &okb);
	if (!oka || !okb)
		return oka - okb;
	if (isnan(x) || isnan(y))
		return isnan(x) && isnan(y) ? 0 : isnan(x) ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* -h: the suffix's power first (negative for negative numbers, none for
 * zero), then the number; GNU's find_unit_order. */
static int human_power(const char *k, const char *ke)
{
	while (k < ke && blank(*k))
		k++;
	int neg = k < ke && *k == '-';
	k += neg;
	int nonzero = 0;
	while (k < ke && (isdigit((unsigned char)*k) || *k == '.'))
		nonzero |= *k++ > '0';
	const char *units = "KMGTPEZY", *u = k < ke && *k ? strchr(units, *k) : NULL;
	int order = nonzero && u ? (int)(u - units) + 1 : 0;
	return neg ? -order : order;
}

static int humancompare(const char *a, const char *ae, const char *b, const char *be)
{
	int pa = human_power(a, ae), pb = human_power(b, be);
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return numcompare(a, ae, b, be);
}

static int ignored(const struct key *k, unsigned char c)
{
	if (k->dict && !(blank(c) || isalnum(c)))
		return 1;
	return k->nonprint && !isprint(c);
}

static int textcompare(const struct key *k, const char *a, const char *ae,
                       const char *b, const char *be)
{
	if (!k->fold && !k->dict && !k->nonprint) {
		size_t la = (size_t)(ae - a), lb = (size_t)(be - b);
		int c = memcmp(a, b, la < lb ? la : lb);
		if (c)
			return c < 0 ? -1 : 1;
		return la < lb ? -1 : la > lb;
	}
	for (;;) {
		while (a < ae && ignored(k, (unsigned char)*a))
			a++;
		while (b < be && ignored(k, (unsigned char)*b))
			b++;
		if (a == ae || b == be)
			return (a < ae) - (b < be);
		unsigned char x = (unsigned char)*a++, y = (unsigned char)*b++;
		if (k->fold) {
			x = (unsigned char)toupper(x);
			y = (unsigned char)toupper(y);
		}
		if (x != y)
			return x < y ? -1 : 1;
	}
}

static int keycompare(const struct key *k, const struct line *a, const struct line *b)
{
	const char *ta = begfield(a, k), *la = limfield(a, k);
	const char *tb = begfield(b, k), *lb = limfield(b, k);
	if (la < ta)
		la = ta;
	if (lb < tb)
		lb = tb;
	int c;
	if (k->numeric)
		c = numcompare(ta, la, tb, lb);
	else if (k->general)
		c = gencompare(ta, la, tb, lb);
	else if (k->human)
		c = humancompare(ta, la, tb, lb);
	else
		c = textcompare(k, ta, la, tb, lb);
	return k->reverse ? -c : c;
}

static int keys_compare(const struct line *a, const struct line *b)
{
	for (int i = 0; i < nkeys; i++) {
		int c = keycompare(&keys[i], a, b);
		if (c)
			return c;
	}
	return 0;
}

static int line_cmp(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;
	int c = keys_compare(a, b);
	if (c || opt_u || opt_s)
		return c;
	size_t n = a->len < b->len ? a->len : b->len;
	c = memcmp(a->s, b->s, n);
	c = c ? (c < 0 ? -1 : 1) : (a->len < b->len ? -1 : a->len > b->len);
	return global.reverse ? -c : c;
}

/* qsort is not stable: -s and -u need input order among equals. */
static int stable_cmp(const void *pa, const void *pb)
{
	int c = line_cmp(pa, pb);
	if (c)
		return c;
	const struct line *a = pa, *b = pb;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* ---- options ---- */

/* Ordering letters; returns where they end. */
static const char *set_ordering(const char *s, struct key *k, int end_pos)
{
	for (;; s++) {
		switch (*s) {
		case 'b':
			if (end_pos)
				k->skipeblanks = 1;
			else
				k->skipsblanks = 1;
			break;
		case 'd': k->dict = 1; break;
		case 'f': k->fold = 1; break;
		case 'g': k->general = 1; break;
		case 'h': k->human = 1; break;
		case 'i': k->nonprint = 1; break;
		case 'n': k->numeric = 1; break;
		case 'r': k->reverse = 1; break;
		default: return s;
		}
	}
}

static int has_ordering(const struct key *k)
{
	return k->skipsblanks || k->skipeblanks || k->dict || k->fold ||
	       k->general || k->human || k->nonprint || k->numeric || k->reverse;
}

static size_t count(const char **s, const char *spec)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(*s, &end, 10);
	if (end == *s || errno) {
		fprintf(stderr, "sort: invalid number in key '%s'\n", spec);
		exit(2);
	}
	*s = end;
	return v;
}

static void parse_key(const char *spec)
{
	if (nkeys == MAXKEYS) {
		fprintf(stderr, "sort: too many keys\n");
		exit(2);
	}
	struct key *k = &keys[nkeys++];
	memset(k, 0, sizeof(*k));
	const char *s = spec;
	k->sword = count(&s, spec);
	if (!k->sword--) {
		fprintf(stderr, "sort: field number is zero: invalid field specification '%s'\n", spec);
		exit(2);
	}
	if (*s == '.') {
		s++;
		k->schar = count(&s, spec);
		if (!k->schar--) {
			fprintf(stderr, "sort: character offset is zero: invalid field specification '%s'\n", spec);
			exit(2);
		}
	}
	s = set_ordering(s, k, 0);
	if (*s != ',') {
		k->eword = NO_END;
		k->echar = 0;
	} else {
		s++;
		k->eword = count(&s, spec);
		if (!k->eword--) {
			fprintf(stderr, "sort: field number is zero: invalid field specification '%s'\n", spec);
			exit(2);
		}
		if (*s == '.') {
			s++;
			k->echar = count(&s, spec);
		}
		s = set_ordering(s, k, 1);
	}
	if (*s) {
		fprintf(stderr, "sort: invalid field specification '%s'\n", spec);
		exit(2);
	}
}

/* ---- input ---- */

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
	return ferror(f) ? -2 : 0;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "bcCdfghimno:rsSt:T:uk:")) != -1) {
		switch (opt) {
		case 'b': global.skipsblanks = global.skipeblanks = 1; break;
		case 'c': case 'C': opt_c = opt; break;
		case 'd': global.dict = 1; break;
		case 'f': global.fold = 1; break;
		case 'g': global.general = 1; break;
		case 'h': global.human = 1; break;
		case 'i': global.nonprint = 1; break;
		case 'm': break;   /* merge: sorting everything gives the same */
		case 'n': global.numeric = 1; break;
		case 'o': out = optarg; break;
		case 'r': global.reverse = 1; break;
		case 's': opt_s = 1; break;
		case 'S': case 'T': break;   /* buffer size, temporary directory */
		case 'u': opt_u = 1; break;
		case 't':
			if (!optarg[0] || optarg[1]) {
				fprintf(stderr, "sort: multi-character tab '%s'\n", optarg);
				usage();
			}
			tab = (unsigned char)optarg[0];
			break;
		case 'k': parse_key(optarg); break;
		default: usage();
		}
	}
	/* Keys without ordering options take the global ones; no key: the
	 * whole line, with the global options. */
	for (int i = 0; i < nkeys; i++)
		if (!has_ordering(&keys[i])) {
			struct key k = global;
			k.sword = keys[i].sword;
			k.schar = keys[i].schar;
			k.eword = keys[i].eword;
			k.echar = keys[i].echar;
			keys[i] = k;
		}
	if (!nkeys) {
		keys[0] = global;
		keys[0].eword = NO_END;
		nkeys = 1;
	}

	int status = 0;
	if (optind == argc)
		argv[--optind] = "-";
	const char *first = argv[optind];
	for (int i = optind; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;
		if (!f) {
			fprintf(stderr, "sort: cannot read: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		int r = read_stream(f);
		if (r == -1)
			goto nomem;
		if (r == -2) {
			fprintf(stderr, "sort: read failed: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if (f != stdin)
			fclose(f);
	}
	if (opt_c) {
		for (size_t i = 1; i < nlines; i++) {
			int c = line_cmp(&lines[i - 1], &lines[i]);
			if (c > 0 || (opt_u && c == 0)) {
				if (opt_c == 'c')
					fprintf(stderr, "sort: %s:%zu: disorder: %.*s\n",
					        first, i + 1, (int)lines[i].len, lines[i].s);
				return 1;
			}
		}
		return 0;
	}
	qsort(lines, nlines, sizeof(*lines), opt_s || opt_u ? stable_cmp : line_cmp);
	if (out && !freopen(out, "w", stdout)) {
		fprintf(stderr, "sort: open failed: %s: %s\n", out, strerror(errno));
		return 2;
	}
	for (size_t i = 0; i < nlines; i++) {
		if (opt_u && i && keys_compare(&lines[i - 1], &lines[i]) == 0)
			continue;
		fwrite(lines[i].s, 1, lines[i].len, stdout);
		putchar('\n');
	}
	return fflush(stdout) ? 2 : status;
nomem:
	fprintf(stderr, "sort: out of memory\n");
	return 2;
}
