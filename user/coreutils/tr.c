/*
 * user/coreutils/tr.c - tr [-cds] SET1 [SET2]: translate, delete or
 * squeeze bytes from standard input to standard output.
 * Sets: characters, ranges a-z, escapes \n \t \r \\ \NNN (octal), and the
 * classes [:alpha:] [:digit:] [:alnum:] [:upper:] [:lower:] [:space:]
 * [:blank:] [:punct:]. SET2 shorter than SET1 is padded with its last
 * character (GNU). -c uses the complement of SET1; -d deletes SET1's
 * bytes; -s squeezes runs of one byte of the last set given into one.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: tr [-cds] SET1 [SET2]\n");
	exit(2);
}

static int escape(const char **pp)
{
	const char *p = *pp;
	if (*p != '\\' || !p[1]) {
		*pp = p + 1;
		return (unsigned char)*p;
	}
	p++;
	int c;
	if (*p >= '0' && *p <= '7') {
		c = 0;
		for (int k = 0; k < 3 && *p >= '0' && *p <= '7'; k++)
			c = c * 8 + *p++ - '0';
		*pp = p;
		return c & 0xff;
	}
	switch (*p) {
	case 'n': c = '\n'; break;
	case 't': c = '\t'; break;
	case 'r': c = '\r'; break;
	case 'a': c = '\a'; break;
	case 'b': c = '\b'; break;
	case 'f': c = '\f'; break;
	case 'v': c = '\v'; break;
	default: c = (unsigned char)*p; break;
	}
	*pp = p + 1;
	return c;
}

static const struct {
	const char *name;
	int (*fn)(int);
} classes[] = {
	{ "alpha", isalpha }, { "digit", isdigit }, { "alnum", isalnum },
	{ "upper", isupper }, { "lower", islower }, { "space", isspace },
	{ "blank", isblank }, { "punct", ispunct },
};

/* Expand a set into out (up to 4096 bytes); returns its length. */
static int expand(const char *s, unsigned char *out)
{
	int n = 0;
	while (*s && n < 4000) {
		if (s[0] == '[' && s[1] == ':') {
			const char *end = strstr(s + 2, ":]");
			size_t k;
			for (k = 0; end && k < sizeof(classes) / sizeof(classes[0]); k++)
				if (strlen(classes[k].name) == (size_t)(end - s - 2) &&
				    !memcmp(classes[k].name, s + 2, (size_t)(end - s - 2)))
					break;
			if (end && k < sizeof(classes) / sizeof(classes[0])) {
				for (int c = 0; c < 256; c++)
					if (classes[k].fn(c))
						out[n++] = (unsigned char)c;
				s = end + 2;
				continue;
			}
		}
		int a = escape(&s);
		if (s[0] == '-' && s[1]) {
			s++;
			int b = escape(&s);
			if (b < a) {
				fprintf(stderr, "tr: range-endpoints of '%c-%c' are in reverse collating sequence order\n", a, b);
				exit(1);
			}
			for (int c = a; c <= b; c++)
				out[n++] = (unsigned char)c;
		} else {
			out[n++] = (unsigned char)a;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	int opt, opt_c = 0, opt_d = 0, opt_s = 0;
	while ((opt = getopt(argc, argv, "cdsC")) != -1) {
		switch (opt) {
		case 'c': case 'C': opt_c = 1; break;
		case 'd': opt_d = 1; break;
		case 's': opt_s = 1; break;
		default: usage();
		}
	}
	int nsets = argc - optind;
	int need2 = !opt_d && !opt_s;
	if (nsets < 1 || nsets > 2 || (need2 && nsets != 2) ||
	    (opt_d && !opt_s && nsets != 1))
		usage();

	static unsigned char s1[4096], s2[4096];
	int n1 = expand(argv[optind], s1);
	int n2 = nsets == 2 ? expand(argv[optind + 1], s2) : 0;
	unsigned char in1[256] = { 0 }, squeeze[256] = { 0 };
	int map[256];
	for (int i = 0; i < n1; i++)
		in1[s1[i]] = 1;
	if (opt_c)
		for (int c = 0; c < 256; c++)
			in1[c] = !in1[c];
	for (int c = 0; c < 256; c++)
		map[c] = c;
	int translate = !opt_d && nsets == 2;
	if (translate) {
		if (!n2) {
			fprintf(stderr, "tr: when not truncating set1, string2 must be non-empty\n");
			return 1;
		}
		if (opt_c) {
			/* Every byte not in SET1, in order, maps to SET2's last. */
			for (int c = 0, k = 0; c < 256; c++)
				if (in1[c])
					map[c] = s2[k < n2 ? k++ : n2 - 1];
		} else {
			for (int i = 0; i < n1; i++)
				map[s1[i]] = s2[i < n2 ? i : n2 - 1];
		}
	}
	if (opt_s) {
		if (nsets == 2)
			for (int i = 0; i < n2; i++)
				squeeze[s2[i]] = 1;
		else
			memcpy(squeeze, in1, sizeof(squeeze));
	}
	int c, last = -1;
	while ((c = getchar()) != EOF) {
		if (opt_d && in1[c])
			continue;
		c = map[c];
		if (opt_s && squeeze[c] && c == last)
			continue;
		putchar(c);
		last = c;
	}
	return fflush(stdout) ? 1 : 0;
}
