/*
 * user/coreutils/sleep.c - sleep NUMBER[smhd]...: pause for the sum of the
 * durations; each may be fractional ("0.5") and carry a unit suffix
 * (s seconds, the default; m minutes; h hours; d days), like GNU sleep.
 * Uses nanosleep, resumed after signal handlers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	double total = 0;

	if (argc < 2)
		goto usage;
	for (int i = 1; i < argc; i++) {
		char *end;
		double v = strtod(argv[i], &end);
		if (end == argv[i] || v < 0 || (argv[i][0] == '-'))
			goto bad;
		switch (*end) {
		case 0: case 's': break;
		case 'm': v *= 60; break;
		case 'h': v *= 3600; break;
		case 'd': v *= 86400; break;
		default: goto bad;
		}
		if (*end && end[1])
			goto bad;
		total += v;
		continue;
bad:
		fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
		goto usage;
	}
	struct timespec ts = { (time_t)total, (long)((total - (time_t)total) * 1e9) };
	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR) {
			perror("sleep");
			return 1;
		}
	}
	return 0;
usage:
	fprintf(stderr, "usage: sleep NUMBER[smhd]...\n");
	return 2;
}
