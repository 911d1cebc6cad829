/*
 * user/tests/t-fsyncw.c - t-fsyncw DIR [COUNT]: fsync-heavy writing for the
 * power-cut test (tests/integration/test_powercut.py). For i = 0, 1, ...:
 * write DIR/f<i> (size and bytes derived from i, see fill()), fsync it,
 * fsync DIR, and only then print "SYNCED f<i> SIZE" and flush stdout. The
 * test kills the machine at a random moment and checks every file that was
 * reported: fsync's promise is that those bytes survive. Every 4th file is
 * written under a temporary name and renamed over f<i> before the fsyncs
 * (the atomic-replace pattern).
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Size of file i: 1 byte to ~300 KiB, some spanning indirect blocks. */
static size_t size_of(unsigned i)
{
	uint32_t x = i * 2654435761u + 12345;
	return 1 + (x >> 8) % (300 * 1024);
}

/* Byte j of file i (the host test computes the same). */
static uint8_t byte_of(unsigned i, size_t j)
{
	return (uint8_t)((j * 31 + i * 7 + (j >> 12)) & 0xff);
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: t-fsyncw DIR [COUNT]\n");
		return 2;
	}
	const char *dir = argv[1];
	unsigned count = argc > 2 ? (unsigned)atoi(argv[2]) : 1000000;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		die(dir);
	static uint8_t buf[300 * 1024 + 1];
	for (unsigned i = 0; i < count; i++) {
		char name[64], tmp[64], path[512], tpath[512];
		snprintf(name, sizeof(name), "f%u", i);
		snprintf(tmp, sizeof(tmp), "f%u.tmp", i);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		snprintf(tpath, sizeof(tpath), "%s/%s", dir, tmp);
		bool rename_it = i % 4 == 3;
		size_t n = size_of(i);
		for (size_t j = 0; j < n; j++)
			buf[j] = byte_of(i, j);
		int fd = open(rename_it ? tpath : path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		if (fd < 0)
			die("open");
		for (size_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, n - off);
			if (w <= 0)
				die("write");
			off += (size_t)w;
		}
		if (fsync(fd) < 0)
			die("fsync");
		close(fd);
		if (rename_it && rename(tpath, path) < 0)
			die("rename");
		if (fsync(dfd) < 0)
			die("fsync dir");
		printf("SYNCED %s %zu\n", name, n);
		fflush(stdout);
	}
	printf("t-fsyncw: done\n");
	return 0;
}
