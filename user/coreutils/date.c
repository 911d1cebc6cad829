/*
 * user/coreutils/date.c - date [-u] [-d DATE] [-s DATE] [+FORMAT]: print
 * the date and time, by default like GNU date in the C locale
 * ("Tue Nov 24 04:47:00 UTC 2026", format "%a %b %e %H:%M:%S %Z %Y"), or
 * as +FORMAT with strftime(3) directives (plus %N, nanoseconds). -u uses
 * UTC. -d shows DATE instead of now ("@SECONDS", "YYYY-MM-DD[ HH:MM[:SS]]");
 * -s sets the clock to DATE with clock_settime (root only).
 * The zone comes from TZ (musl: without TZ it is UTC).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "datearg.h"

static int parse_date(const char *s, struct timespec *ts)
{
	ts->tv_nsec = 0;
	return parse_date_arg(s, &ts->tv_sec);
}

int main(int argc, char **argv)
{
	int opt;
	const char *fmt = "%a %b %e %H:%M:%S %Z %Y", *dstr = NULL, *sstr = NULL;
	struct timespec now;

	while ((opt = getopt(argc, argv, "ud:s:")) != -1) {
		if (opt == 'u')
			setenv("TZ", "UTC0", 1);
		else if (opt == 'd')
			dstr = optarg;
		else if (opt == 's')
			sstr = optarg;
		else
			goto usage;
	}
	if (optind < argc) {
		if (argv[optind][0] != '+' || optind + 1 < argc)
			goto usage;
		fmt = argv[optind] + 1;
	}
	tzset();
	clock_gettime(CLOCK_REALTIME, &now);
	if (dstr && parse_date(dstr, &now) < 0) {
		fprintf(stderr, "date: invalid date '%s'\n", dstr);
		return 1;
	}
	if (sstr) {
		if (parse_date(sstr, &now) < 0) {
			fprintf(stderr, "date: invalid date '%s'\n", sstr);
			return 1;
		}
		if (clock_settime(CLOCK_REALTIME, &now) < 0) {
			fprintf(stderr, "date: cannot set date: %s\n", strerror(errno));
			return 1;
		}
	}
	struct tm *tm = localtime(&now.tv_sec);
	if (!tm) {
		fprintf(stderr, "date: time %lld is out of range\n", (long long)now.tv_sec);
		return 1;
	}
	/* Expand %N (nanoseconds) ourselves; strftime does not know it. */
	size_t flen = strlen(fmt);
	char *f2 = malloc(flen * 5 + 1), *o = f2;
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == '%') {
			*o++ = '%', *o++ = '%', p++;
		} else if (p[0] == '%' && p[1] == 'N') {
			o += sprintf(o, "%09ld", now.tv_nsec);
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
	size_t cap = 256 + flen * 16;
	char *out = malloc(cap);
	size_t n = f2[0] ? strftime(out, cap, f2, tm) : 0;
	out[n] = 0;
	puts(out);
	return fflush(stdout) ? 1 : 0;
usage:
	fprintf(stderr, "usage: date [-u] [-d DATE] [-s DATE] [+FORMAT]\n");
	return 2;
}
