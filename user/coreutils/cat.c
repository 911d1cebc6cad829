/*
 * user/coreutils/cat.c - cat [-n] [file...]: copy files (or stdin, or "-")
 * to stdout. -n numbers output lines like GNU cat ("%6d\t").
 * Without -n data is copied with read/write in 64 KiB chunks; with -n it
 * goes through stdio one character at a time. A file that cannot be opened
 * is reported and skipped; the exit status is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int number;
static long line_no = 1;
static int at_line_start = 1;

static int copy_raw(int fd, const char *name)
{
	static char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, n - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "cat: write error: %s\n", strerror(errno));
				return 1;
			}
			off += w;
		}
	}
	return 0;
}

static int copy_numbered(int fd, const char *name)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (at_line_start)
				printf("%6ld\t", line_no++);
			putchar(buf[i]);
			at_line_start = buf[i] == '\n';
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0, opt;

	while ((opt = getopt(argc, argv, "n")) != -1) {
		if (opt != 'n') {
			fprintf(stderr, "usage: cat [-n] [file...]\n");
			return 2;
		}
		number = 1;
	}
	if (optind == argc)
		argv[--optind] = "-";
	for (int i = optind; i < argc; i++) {
		const char *name = argv[i];
		int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);

		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			status = 1;
			continue;
		}
		if (number ? copy_numbered(fd, name) : copy_raw(fd, name))
			status = 1;
		if (fd != 0)
			close(fd);
	}
	if (fflush(stdout) != 0)
		status = 1;
	return status;
}
