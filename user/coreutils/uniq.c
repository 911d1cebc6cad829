/*
 * user/coreutils/uniq.c - uniq [-cdu] [input [output]]: collapse runs of
 * equal adjacent lines into one.
 *   -c prefix each line with its count ("%7d ", as GNU uniq)
 *   -d print only lines that repeat   -u print only lines that do not
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int opt_c, opt_d, opt_u;

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
	while ((opt = getopt(argc, argv, "cdu")) != -1) {
		switch (opt) {
		case 'c': opt_c = 1; break;
		case 'd': opt_d = 1; break;
		case 'u': opt_u = 1; break;
		default:
			fprintf(stderr, "usage: uniq [-cdu] [input [output]]\n");
			return 2;
		}
	}
	if (argc - optind > 2) {
		fprintf(stderr, "usage: uniq [-cdu] [input [output]]\n");
		return 2;
	}
	FILE *in = stdin, *out = stdout;
	if (optind < argc && strcmp(argv[optind], "-")) {
		in = fopen(argv[optind], "r");
		if (!in) {
			fprintf(stderr, "uniq: %s: No such file or directory\n", argv[optind]);
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
		if (count && (size_t)len == prevlen && !memcmp(line, prev, prevlen)) {
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
