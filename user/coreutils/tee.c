/*
 * user/coreutils/tee.c - tee [-a] [file...]: copy stdin to stdout and to
 * each file (truncated, or appended to with -a). A file that cannot be
 * opened is reported and skipped (status 1); the copy goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int write_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w, n -= w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int opt, flags = O_WRONLY | O_CREAT | O_TRUNC, status = 0;

	while ((opt = getopt(argc, argv, "a")) != -1) {
		if (opt != 'a') {
			fprintf(stderr, "usage: tee [-a] [file...]\n");
			return 2;
		}
		flags = O_WRONLY | O_CREAT | O_APPEND;
	}
	int n = argc - optind;
	int fds[n + 1];
	const char *names[n + 1];
	fds[0] = 1, names[0] = "standard output";
	for (int i = 0; i < n; i++) {
		names[i + 1] = argv[optind + i];
		fds[i + 1] = open(names[i + 1], flags, 0666);
		if (fds[i + 1] < 0) {
			fprintf(stderr, "tee: %s: %s\n", names[i + 1], strerror(errno));
			status = 1;
		}
	}
	char buf[65536];
	ssize_t r;
	while ((r = read(0, buf, sizeof buf)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "tee: read error: %s\n", strerror(errno));
			return 1;
		}
		for (int i = 0; i <= n; i++) {
			if (fds[i] >= 0 && write_all(fds[i], buf, r) < 0) {
				fprintf(stderr, "tee: %s: %s\n", names[i], strerror(errno));
				fds[i] = -1;
				status = 1;
			}
		}
	}
	for (int i = 1; i <= n; i++)
		if (fds[i] >= 0 && close(fds[i]) < 0) {
			fprintf(stderr, "tee: %s: %s\n", names[i], strerror(errno));
			status = 1;
		}
	return status;
}
