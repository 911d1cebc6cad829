/*
 * user/coreutils/uptime.c - uptime [-p]: the time, how long the system
 * has been up and the load averages, from /proc/uptime and /proc/loadavg,
 * in procps's format:
 *    05:01:02 up  1:02,  1 user,  load average: 0.00, 0.00, 0.00
 * RayOS has one console and no utmp, so it reports 1 user. -p prints
 * only the "up ..." part in words ("up 1 hour, 2 minutes").
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t k = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[k] = 0;
	return 0;
}

static void plural(int *first, long n, const char *what)
{
	if (!n)
		return;
	printf("%s%ld %s%s", *first ? " " : ", ", n, what, n == 1 ? "" : "s");
	*first = 0;
}

int main(int argc, char **argv)
{
	int opt, pretty = 0;
	while ((opt = getopt(argc, argv, "p")) != -1) {
		if (opt != 'p') {
			fprintf(stderr, "usage: uptime [-p]\n");
			return 2;
		}
		pretty = 1;
	}
	char up[128], load[128];
	if (slurp("/proc/uptime", up, sizeof(up))) {
		perror("uptime: /proc/uptime");
		return 1;
	}
	long secs = (long)strtod(up, NULL);
	long days = secs / 86400, hours = secs / 3600 % 24, mins = secs / 60 % 60;
	if (pretty) {
		int first = 1;
		printf("up");
		plural(&first, days / 7, "week");
		plural(&first, days % 7, "day");
		plural(&first, hours, "hour");
		plural(&first, mins, "minute");
		if (first)
			printf(" 0 minutes");
		printf("\n");
		return 0;
	}
	double l1 = 0, l5 = 0, l15 = 0;
	if (!slurp("/proc/loadavg", load, sizeof(load)))
		sscanf(load, "%lf %lf %lf", &l1, &l5, &l15);
	time_t now = time(NULL);
	struct tm *tm = localtime(&now);
	printf(" %02d:%02d:%02d up ", tm->tm_hour, tm->tm_min, tm->tm_sec);
	if (days)
		printf("%ld day%s, ", days, days == 1 ? "" : "s");
	if (hours)
		printf("%2ld:%02ld, ", hours, mins);
	else
		printf("%ld min, ", mins);
	printf(" 1 user,  load average: %.2f, %.2f, %.2f\n", l1, l5, l15);
	return 0;
}
