/*
 * user/coreutils/cut.c - cut -f LIST [-d C] [-s] | -c LIST | -b LIST
 * [file...]: print selected parts of each line.
 * LIST is comma-separated numbers and ranges: N, N-M, N- and -M (1-based).
 *   -f fields separated by -d's character (default TAB); a line without
 *      the delimiter is printed whole unless -s
 *   -c / -b characters / bytes (the same here: bytes)
 * Selected parts come out in input order, joined by the delimiter for -f,
 * as GNU cut does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXPOS 4096
static unsigned char sel[MAXPOS + 2]; /* sel[i]: position i selected */
static int open_end;                  /* "N-": everything from N */
static int mode;                      /* 'f' or 'c' */
static char delim = '\t';
static int opt_s;

static void usage(void)
{
	fprintf(stderr, "usage: cut -f LIST [-d C] [-s] | -c LIST [file...]\n");
	exit(2);
}

static int selected(long i)
{
	if (i <= MAXPOS && sel[i])
		return 1;
	return open_end && i >= open_end;
}

static void parse_list(const char *s)
{
	while (*s) {
		char *end;
		long a = 1, b;
		if (*s != '-') {
			a = strtol(s, &end, 10);
			if (end == s || a < 1)
				usage();
			s = end;
		}
		b = a;
		if (*s == '-') {
			s++;
			if (*s >= '0' && *s <= '9') {
				b = strtol(s, &end, 10);
				s = end;
				if (b < a)
					usage();
			} else {
				if (!open_end || a < open_end)
					open_end = (int)a;
				b = a - 1;
			}
		}
		for (long i = a; i <= b && i <= MAXPOS; i++)
			sel[i] = 1;
		if (*s == ',')
			s++;
		else if (*s)
			usage();
	}
}

static void cut_line(const char *l, size_t len)
{
	if (mode == 'c') {
		for (size_t i = 0; i < len; i++)
			if (selected((long)i + 1))
				putchar(l[i]);
		putchar('\n');
		return;
	}
	if (!memchr(l, delim, len)) {
		if (!opt_s) {
			fwrite(l, 1, len, stdout);
			putchar('\n');
		}
		return;
	}
	long f = 1;
	int first = 1;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && l[i] != delim)
			continue;
		if (selected(f)) {
			if (!first)
				putchar(delim);
			fwrite(l + start, 1, i - start, stdout);
			first = 0;
		}
		f++;
		start = i + 1;
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "f:c:b:d:s")) != -1) {
		switch (opt) {
		case 'f': case 'c': case 'b':
			if (mode)
				usage();
			mode = opt == 'f' ? 'f' : 'c';
			parse_list(optarg);
			break;
		case 'd':
			if (!optarg[0] || optarg[1])
				usage();
			delim = optarg[0];
			break;
		case 's': opt_s = 1; break;
		default: usage();
		}
	}
	if (!mode)
		usage();
	int status = 0;
	int nfiles = argc - optind;
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *name = nfiles ? argv[optind + i] : "-";
		FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
		if (!f) {
			fprintf(stderr, "cut: %s: No such file or directory\n", name);
			status = 1;
			continue;
		}
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;
		while ((len = getline(&line, &cap, f)) >= 0) {
			if (len > 0 && line[len - 1] == '\n')
				len--;
			cut_line(line, (size_t)len);
		}
		free(line);
		if (f != stdin)
			fclose(f);
	}
	return fflush(stdout) ? 1 : status;
}
