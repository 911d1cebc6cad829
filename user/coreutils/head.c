/*
 * user/coreutils/head.c - head [-n N] [-c N] [-N] [file...]: print the
 * first N (10) lines, or with -c the first N bytes, of each file (or
 * stdin, or "-"); with several files each gets a "==> name <==" header
 * like GNU head. A negative N ("-n -2") prints all but the last N.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slurp.h"

static long count = 10;
static int bytes;

static int head(int fd, const char *name)
{
	char buf[65536];
	ssize_t n;
	long left = count;

	if (count < 0) {
		size_t len, end;
		char *b = slurp(fd, &len);
		if (!b)
			goto err;
		if (bytes) {
			end = (size_t)-count >= len ? 0 : len + count;
		} else {
			/* Keep the first (lines - N) lines; a last line without
			 * a newline counts too. */
			long lines = 0, keep;
			for (size_t i = 0; i < len; i++)
				lines += b[i] == '\n';
			if (len && b[len - 1] != '\n')
				lines++;
			keep = lines + count;
			for (end = 0; end < len && keep > 0; end++)
				if (b[end] == '\n')
					keep--;
		}
		fwrite(b, 1, end, stdout);
		free(b);
		return 0;
	}
	while (left > 0 && (n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto err;
		}
		ssize_t take = 0;
		if (bytes) {
			take = n < left ? n : left;
			left -= take;
		} else {
			while (take < n && left > 0)
				if (buf[take++] == '\n')
					left--;
		}
		fwrite(buf, 1, take, stdout);
	}
	return 0;
err:
	fprintf(stderr, "head: %s: %s\n", name, strerror(errno));
	return 1;
}

static int parse_count(const char *s)
{
	char *end;
	count = strtol(s, &end, 10);
	if (end == s || *end) {
		fprintf(stderr, "head: invalid number: '%s'\n", s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int opt, status = 0;

	/* Old style "head -5". */
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		if (parse_count(argv[1] + 1))
			return 2;
		argv[1] = argv[0];
		argv++, argc--;
	}
	while ((opt = getopt(argc, argv, "n:c:")) != -1) {
		if (opt != 'n' && opt != 'c')
			goto usage;
		bytes = opt == 'c';
		if (parse_count(optarg))
			goto usage;
	}
	int nfiles = argc - optind;
	if (nfiles == 0)
		argv[--optind] = "-", nfiles = 1;
	for (int i = optind; i < argc; i++) {
		const char *name = argv[i];
		int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "head: cannot open '%s' for reading: %s\n", name, strerror(errno));
			status = 1;
			continue;
		}
		if (nfiles > 1)
			printf("%s==> %s <==\n", i > optind ? "\n" : "",
			       fd == 0 ? "standard input" : name);
		fflush(stdout);
		status |= head(fd, name);
		fflush(stdout);
		if (fd)
			close(fd);
	}
	return fflush(stdout) ? 1 : status;
usage:
	fprintf(stderr, "usage: head [-n N] [-c N] [file...]\n");
	return 2;
}
