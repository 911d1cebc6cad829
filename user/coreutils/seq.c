/*
 * user/coreutils/seq.c - seq [-w] [-s SEP] [FIRST [INCR]] LAST: print the
 * numbers from FIRST (1) to LAST by INCR (1), one per line (or separated
 * by SEP, ending with a newline). -w pads with leading zeros to equal
 * width. Like GNU seq, the output uses as many decimals as the most
 * precise of FIRST and INCR, so "seq 0 0.5 2" prints 0.0 0.5 ... 2.0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int decimals(const char *s)
{
	const char *dot = strchr(s, '.');
	if (!dot)
		return 0;
	int n = strspn(dot + 1, "0123456789");
	return n;
}

static int parse(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	if (end == s || *end) {
		fprintf(stderr, "seq: invalid floating point argument: '%s'\n", s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *sep = "\n";
	int width = 0, i = 1;
	double first = 1, incr = 1, last;

	/* Options first; a negative number ("-1") is an operand. */
	for (; i < argc && argv[i][0] == '-' && argv[i][1] &&
	       !(argv[i][1] >= '0' && argv[i][1] <= '9') && argv[i][1] != '.'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "-w") == 0) {
			width = 1;
		} else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
			sep = argv[++i];
		} else if (strncmp(argv[i], "-s", 2) == 0 && argv[i][2]) {
			sep = argv[i] + 2;
		} else {
			goto usage;
		}
	}
	int n = argc - i;
	if (n < 1 || n > 3)
		goto usage;
	int prec = 0;
	if (n >= 2) {
		if (parse(argv[i], &first))
			return 1;
		prec = decimals(argv[i]);
	}
	if (n == 3) {
		if (parse(argv[i + 1], &incr))
			return 1;
		if (decimals(argv[i + 1]) > prec)
			prec = decimals(argv[i + 1]);
		if (incr == 0) {
			fprintf(stderr, "seq: invalid Zero increment value: '%s'\n", argv[i + 1]);
			goto usage;
		}
	}
	if (parse(argv[argc - 1], &last))
		return 1;
	int w = 0;
	if (width) {
		char a[64], b[64];
		int la = snprintf(a, sizeof a, "%.*f", prec, first);
		int lb = snprintf(b, sizeof b, "%.*f", prec, last);
		w = la > lb ? la : lb;
	}
	int printed = 0;
	for (long k = 0;; k++) {
		double v = first + k * incr;
		if (incr > 0 ? v > last + 1e-10 * (incr) : v < last + 1e-10 * incr)
			break;
		if (printed)
			fputs(sep, stdout);
		if (width)
			printf("%0*.*f", w, prec, v);
		else
			printf("%.*f", prec, v);
		printed = 1;
	}
	if (printed)
		putchar('\n');
	return fflush(stdout) ? 1 : 0;
usage:
	fprintf(stderr, "usage: seq [-w] [-s SEP] [FIRST [INCR]] LAST\n");
	return 2;
}
