/*
 * user/tests/t-reclaim.c - the kernel's caches give memory back when a
 * process needs it (tests/integration/test_reclaim.py).
 *
 * "t-reclaim hold DIR MB" writes DIR/private (MB MiB) and DIR/shared
 * (1 MiB), maps DIR/private MAP_PRIVATE and stores into every page (each
 * store copies the page: the file's page stays in the kernel's page cache,
 * mapped by nobody), maps DIR/shared MAP_SHARED and stores a marker into
 * every page (dirty, mapped: the kernel must keep it). It prints "holding"
 * and waits until DIR/go exists; then it checks that every private page
 * still holds its store and the file's other bytes, unmaps the shared
 * file and reads it back with read(), and prints PASS or what is wrong.
 *
 * "t-reclaim fill MB" maps MB MiB of anonymous memory and stores into
 * every page, then prints "filled MB MiB". Without enough memory the
 * kernel kills it (SIGKILL on a fault it cannot serve).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PG 4096L
#define SHARED_LEN (1024 * 1024L)

/* The file's byte at offset off: not zero, differs between pages. */
static unsigned char pattern(long off)
{
	return (unsigned char)(0x41 + (off / PG + off) % 50);
}

static void make_file(const char *path, long len)
{
	static unsigned char buf[64 * 1024];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	for (long at = 0; at < len; at += (long)sizeof(buf)) {
		long n = len - at < (long)sizeof(buf) ? len - at : (long)sizeof(buf);
		for (long i = 0; i < n; i++)
			buf[i] = pattern(at + i);
		if (write(fd, buf, (size_t)n) != n) {
			perror("write");
			exit(1);
		}
	}
	close(fd);
}

static char *map_file(const char *path, long len, int flags)
{
	int fd = open(path, O_RDWR);
	char *p = fd < 0 ? MAP_FAILED : mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED) {
		perror(path);
		exit(1);
	}
	close(fd);
	return p;
}

static void marker(char *buf, long page)
{
	snprintf(buf, 32, "<page %ld>", page);
}

static int hold(const char *dir, long mb)
{
	char priv[256], shared[256], go[256];
	snprintf(priv, sizeof(priv), "%s/private", dir);
	snprintf(shared, sizeof(shared), "%s/shared", dir);
	snprintf(go, sizeof(go), "%s/go", dir);
	long len = mb * 1024 * 1024;
	make_file(priv, len);
	make_file(shared, SHARED_LEN);

	char *p = map_file(priv, len, MAP_PRIVATE);
	for (long off = 0; off < len; off += PG)
		p[off] = (char)~pattern(off);
	char *s = map_file(shared, SHARED_LEN, MAP_SHARED);
	for (long pg = 0; pg < SHARED_LEN / PG; pg++)
		marker(s + pg * PG + 100, pg);
	printf("holding\n");
	fflush(stdout);

	struct stat st;
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	while (stat(go, &st) < 0)
		nanosleep(&tick, NULL);

	int bad = 0;
	for (long off = 0; off < len && bad < 5; off++) {
		unsigned char want = off % PG ? pattern(off) : (unsigned char)~pattern(off);
		if ((unsigned char)p[off] != want) {
			printf("FAIL: private byte %ld is %#x, not %#x\n", off, (unsigned char)p[off], want);
			bad++;
		}
	}
	munmap(s, SHARED_LEN); /* writes the dirty pages back */
	int fd = open(shared, O_RDONLY);
	static char buf[SHARED_LEN];
	if (fd < 0 || read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		printf("FAIL: cannot read %s back\n", shared);
		return 1;
	}
	close(fd);
	for (long pg = 0; pg < SHARED_LEN / PG && bad < 10; pg++) {
		char want[32];
		marker(want, pg);
		if (memcmp(buf + pg * PG + 100, want, strlen(want) + 1)) {
			printf("FAIL: the store into page %ld of %s is lost\n", pg, shared);
			bad++;
		}
	}
	printf(bad ? "FAIL\n" : "PASS\n");
	return bad != 0;
}

static int fill(long mb)
{
	long len = mb * 1024 * 1024;
	char *p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (long off = 0; off < len; off += PG)
		p[off] = 1;
	printf("filled %ld MiB\n", mb);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "fill"))
		return fill(atol(argv[2]));
	fprintf(stderr, "usage: t-reclaim hold DIR MB | fill MB\n");
	return 2;
}
