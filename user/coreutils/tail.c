/*
 * user/coreutils/tail.c - tail [-f] [-n N] [-c N] [-N] [file...]: print the
 * last N (10) lines, or with -c the last N bytes, of each file (or stdin,
 * or "-"); "-n +N" / "-c +N" start at line / byte N instead. Several files
 * get "==> name <==" headers like GNU tail. -f (one file) then keeps
 * following the file: it checks for new data every 0.2 s (a sleep loop,
 * no inotify) and prints it, until killed; a truncated file is read again
 * from its start.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "slurp.h"

static long count = 10;
static int bytes, from_start, follow;

static int write_all(const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w, n -= w;
	}
	return 0;
}

static int tail(int fd, const char *name)
{
	size_t len, start = 0;
	char *b = slurp(fd, &len);
	if (!b) {
		fprintf(stderr, "tail: error reading '%s': %s\n", name, strerror(errno));
		return 1;
	}
	if (bytes) {
		if (from_start)
			start = count > 1 ? (size_t)count - 1 : 0;
		else
			start = (size_t)count >= len ? 0 : len - count;
		if (start > len)
			start = len;
	} else if (from_start) {
		long line = 1;
		while (start < len && line < count)
			if (b[start++] == '\n')
				line++;
	} else {
		/* Walk back over count newlines; a last line without one counts. */
		long left = count;
		start = len;
		if (start && b[start - 1] == '\n')
			start--;
		while (start > 0 && left > 0) {
			if (b[start - 1] == '\n' && --left == 0)
				break;
			start--;
		}
		if (count == 0)
			start = len;
	}
	write_all(b + start, len - start);
	free(b);
	return 0;
}

static void follow_fd(int fd)
{
	char buf[65536];
	struct timespec nap = { 0, 200000000 };
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n > 0) {
			if (write_all(buf, n) < 0)
				exit(1);
			continue;
		}
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "tail: %s\n", strerror(errno));
			exit(1);
		}
		struct stat st;
		off_t pos = lseek(fd, 0, SEEK_CUR);
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && pos > st.st_size) {
			fprintf(stderr, "tail: file truncated\n");
			lseek(fd, 0, SEEK_SET);
			continue;
		}
		nanosleep(&nap, NULL);
	}
}

static int parse_count(const char *s)
{
	char *end;
	from_start = *s == '+';
	if (*s == '+' || *s == '-')
		s++;
	count = strtol(s, &end, 10);
	if (end == s || *end || count < 0) {
		fprintf(stderr, "tail: invalid number: '%s'\n", s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int opt, status = 0;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		if (parse_count(argv[1] + 1))
			return 2;
		argv[1] = argv[0];
		argv++, argc--;
	}
	while ((opt = getopt(argc, argv, "fn:c:")) != -1) {
		if (opt == 'f') {
			follow = 1;
			continue;
		}
		if (opt != 'n' && opt != 'c')
			goto usage;
		bytes = opt == 'c';
		if (parse_count(optarg))
			goto usage;
	}
	int nfiles = argc - optind;
	if (nfiles == 0)
		argv[--optind] = "-", nfiles = 1;
	int last_fd = -1;
	for (int i = optind; i < argc; i++) {
		const char *name = argv[i];
		int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "tail: cannot open '%s' for reading: %s\n", name, strerror(errno));
			status = 1;
			continue;
		}
		if (nfiles > 1) {
			char hdr[4200];
			int n = snprintf(hdr, sizeof hdr, "%s==> %s <==\n", i > optind ? "\n" : "",
					 fd == 0 ? "standard input" : name);
			write_all(hdr, n);
		}
		status |= tail(fd, name);
		if (follow && nfiles == 1)
			last_fd = fd;
		else if (fd)
			close(fd);
	}
	if (last_fd >= 0)
		follow_fd(last_fd);
	return status;
usage:
	fprintf(stderr, "usage: tail [-f] [-n [+]N] [-c [+]N] [file...]\n");
	return 2;
}
