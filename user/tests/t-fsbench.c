/*
 * user/tests/t-fsbench.c - t-fsbench write|read|files DIR: the storage
 * figures of `make bench` (tools/bench_storage.py), one static binary run
 * on RayOS and on the Linux reference alike. Each phase prints
 * "BENCH name value unit" lines:
 *   write  DIR/big, 64 MiB in 1 MiB writes, then fsync      (MB/s)
 *   read   DIR/big read back in 1 MiB reads (the caller remounts first,
 *          so the cache is cold)                            (MB/s)
 *   files  2000 files of 100 bytes created in DIR/many      (files/s),
 *          then an "ls -l" of that directory (readdir + lstat of every
 *          entry)                                           (ms),
 *          then all deleted and the directory removed      (files/s)
 * Times are CLOCK_MONOTONIC, which follows host time under QEMU TCG.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024 * 1024)
#define BIG_MIB 64
#define NFILES 2000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void phase_write(const char *dir)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/big", dir);
	char *buf = malloc(MIB);
	if (!buf)
		die("malloc");
	for (int i = 0; i < MIB; i++)
		buf[i] = (char)(i * 7);
	double t0 = now();
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		die(path);
	for (int i = 0; i < BIG_MIB; i++)
		if (write(fd, buf, MIB) != MIB)
			die("write");
	if (fsync(fd) < 0)
		die("fsync");
	close(fd);
	double dt = now() - t0;
	printf("BENCH seqwrite %.1f MB/s\n", BIG_MIB * 1.048576 / dt);
}

static void phase_read(const char *dir)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/big", dir);
	char *buf = malloc(MIB);
	if (!buf)
		die("malloc");
	double t0 = now();
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, MIB);
		if (n < 0)
			die("read");
		if (n == 0)
			break;
		total += n;
	}
	close(fd);
	double dt = now() - t0;
	if (total != (long)BIG_MIB * MIB) {
		fprintf(stderr, "read %ld bytes, expected %d MiB\n", total, BIG_MIB);
		exit(1);
	}
	printf("BENCH seqread %.1f MB/s\n", BIG_MIB * 1.048576 / dt);
}

static void phase_files(const char *dir)
{
	char d[512], path[1024];
	snprintf(d, sizeof(d), "%s/many", dir);
	if (mkdir(d, 0755) < 0)
		die(d);
	char data[100];
	memset(data, 'x', sizeof(data));
	double t0 = now();
	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/file-%05d", d, i);
		int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0 || write(fd, data, sizeof(data)) != sizeof(data))
			die(path);
		close(fd);
	}
	double dt = now() - t0;
	printf("BENCH create %.0f files/s\n", NFILES / dt);

	t0 = now();
	DIR *dp = opendir(d);
	if (!dp)
		die(d);
	int n = 0;
	struct dirent *e;
	struct stat st;
	while ((e = readdir(dp))) {
		snprintf(path, sizeof(path), "%s/%s", d, e->d_name);
		if (lstat(path, &st) < 0)
			die(path);
		n++;
	}
	closedir(dp);
	dt = now() - t0;
	if (n != NFILES + 2) {
		fprintf(stderr, "listed %d entries, expected %d\n", n, NFILES + 2);
		exit(1);
	}
	printf("BENCH lsl %.1f ms\n", dt * 1000);

	t0 = now();
	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/file-%05d", d, i);
		if (unlink(path) < 0)
			die(path);
	}
	if (rmdir(d) < 0)
		die(d);
	dt = now() - t0;
	printf("BENCH delete %.0f files/s\n", NFILES / dt);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: t-fsbench write|read|files DIR\n");
		return 2;
	}
	if (!strcmp(argv[1], "write"))
		phase_write(argv[2]);
	else if (!strcmp(argv[1], "read"))
		phase_read(argv[2]);
	else if (!strcmp(argv[1], "files"))
		phase_files(argv[2]);
	else
		return 2;
	fflush(stdout);
	return 0;
}
