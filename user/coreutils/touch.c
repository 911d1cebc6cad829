/*
 * user/coreutils/touch.c - touch [-acm] [-d YYYY-MM-DD[ HH:MM[:SS]] | -t
 * [[CC]YY]MMDDhhmm[.ss]] file...: set the access and modification times
 * of each file to now (or the given time) with utimensat(2), creating
 * missing files (not with -c). -a / -m change only one of the times.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "datearg.h"

static int parse_t(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	char buf[32];
	const char *dot = strchr(s, '.');
	size_t n = dot ? (size_t)(dot - s) : strlen(s);
	if (n != 8 && n != 10 && n != 12)
		return -1;
	if (strspn(s, "0123456789") != n)
		return -1;
	time_t now = time(NULL);
	struct tm *lt = localtime(&now);
	int year = lt->tm_year + 1900, k = 0;
	memcpy(buf, s, n);
	buf[n] = 0;
#define TWO(i) ((buf[i] - '0') * 10 + buf[(i) + 1] - '0')
	if (n == 12) { year = TWO(0) * 100 + TWO(2); k = 4; }
	else if (n == 10) { year = TWO(0) < 69 ? 2000 + TWO(0) : 1900 + TWO(0); k = 2; }
	tm.tm_year = year - 1900;
	tm.tm_mon = TWO(k) - 1;
	tm.tm_mday = TWO(k + 2);
	tm.tm_hour = TWO(k + 4);
	tm.tm_min = TWO(k + 6);
	if (dot) {
		if (strlen(dot) != 3)
			return -1;
		tm.tm_sec = (dot[1] - '0') * 10 + dot[2] - '0';
	}
#undef TWO
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, no_create = 0, only_a = 0, only_m = 0, status = 0;
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	time_t t;

	while ((opt = getopt(argc, argv, "acmd:t:")) != -1) {
		switch (opt) {
		case 'a': only_a = 1; break;
		case 'c': no_create = 1; break;
		case 'm': only_m = 1; break;
		case 'd':
		case 't':
			if ((opt == 'd' ? parse_date_arg : parse_t)(optarg, &t) < 0) {
				fprintf(stderr, "touch: invalid date format '%s'\n", optarg);
				return 1;
			}
			ts[0].tv_sec = ts[1].tv_sec = t;
			ts[0].tv_nsec = ts[1].tv_nsec = 0;
			break;
		default:
			goto usage;
		}
	}
	if (optind == argc)
		goto usage;
	if (only_a && !only_m)
		ts[1].tv_nsec = UTIME_OMIT;
	if (only_m && !only_a)
		ts[0].tv_nsec = UTIME_OMIT;
	for (int i = optind; i < argc; i++) {
		if (utimensat(AT_FDCWD, argv[i], ts, 0) == 0)
			continue;
		if (errno == ENOENT && no_create)
			continue;
		if (errno == ENOENT) {
			int fd = open(argv[i], O_WRONLY | O_CREAT, 0666);
			if (fd >= 0) {
				close(fd);
				if (utimensat(AT_FDCWD, argv[i], ts, 0) == 0)
					continue;
			}
		}
		fprintf(stderr, "touch: cannot touch '%s': %s\n", argv[i], strerror(errno));
		status = 1;
	}
	return status;
usage:
	fprintf(stderr, "usage: touch [-acm] [-d DATE | -t STAMP] file...\n");
	return 2;
}
