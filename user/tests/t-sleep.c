/*
 * user/tests/t-sleep.c - t-sleep S: sleep S seconds with nanosleep(2),
 * resuming after signals that are caught. Used to test ^C on a sleeping
 * process and timers. Prints "slept S s" at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	char *end;
	long s;

	if (argc != 2) {
		fprintf(stderr, "usage: t-sleep SECONDS\n");
		return 2;
	}
	s = strtol(argv[1], &end, 10);
	if (!*argv[1] || *end || s < 0) {
		fprintf(stderr, "t-sleep: %s: not a number of seconds\n", argv[1]);
		return 2;
	}
	struct timespec ts = { s, 0 };
	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR) {
			perror("t-sleep: nanosleep");
			return 1;
		}
	}
	printf("slept %ld s\n", s);
	return 0;
}
