/*
 * user/tests/t-mmapw.c - stores through MAP_SHARED file mappings reach
 * the disk. "t-mmapw write DIR" makes three files of 2 pages + 100 bytes
 * in DIR and writes a marker into each through a shared mapping, in every
 * page, then gets it to the file one way each: DIR/by-msync with
 * msync(MS_SYNC), DIR/by-munmap with munmap, DIR/by-exit by a child that
 * just exits. "t-mmapw check DIR" (after a reboot, so nothing is cached)
 * reads them with read() and prints "DIR/NAME ok" or what is wrong.
 * "t-mmapw mem DIR": the page cache of a mapped 8 MiB file (written
 * first) comes out of
 * free memory while it is mapped and goes back when it is unmapped
 * (MemFree in /proc/meminfo, before / mapped / after, in KiB, then PASS
 * or FAIL).
 * "t-mmapw stress DIR N": N random steps on one file - stores through a
 * shared mapping (also from forked children), pwrite, ftruncate, msync,
 * remapping, a private mapping's own stores - checking after each that
 * the mapping, read() and a model of the file agree (PASS or the first
 * difference).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096
#define LEN (2 * PG + 100)

static const char *names[] = { "by-msync", "by-munmap", "by-exit" };

/* The marker of file k at offset off. */
static void marker(char *buf, int k, long off)
{
	snprintf(buf, 32, "<%s@%ld>", names[k], off);
}

static const long offs[] = { 10, PG + 20, 2 * PG + 30 };

static char *map_new(const char *dir, int k)
{
	char path[256], fill[LEN];
	snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(fill, '.', sizeof(fill));
	if (fd < 0 || write(fd, fill, sizeof(fill)) != sizeof(fill)) {
		perror(path);
		exit(1);
	}
	char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	for (int i = 0; i < 3; i++) {
		char m[32];
		marker(m, k, offs[i]);
		memcpy(p + offs[i], m, strlen(m));
	}
	return p;
}

static int check(const char *dir, int k)
{
	char path[256], buf[LEN + 1];
	snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (n != LEN) {
		printf("%s: size %zd\n", path, n);
		return 1;
	}
	char want[LEN];
	memset(want, '.', LEN);
	for (int i = 0; i < 3; i++) {
		char m[32];
		marker(m, k, offs[i]);
		memcpy(want + offs[i], m, strlen(m));
	}
	if (memcmp(buf, want, LEN)) {
		printf("%s: contents differ\n", path);
		return 1;
	}
	printf("%s ok\n", path);
	return 0;
}

static long memfree_kib(void)
{
	char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) : -1;
}

static int mem(const char *dir)
{
	enum { SIZE = 8 << 20 };
	char path[256];
	snprintf(path, sizeof(path), "%s/mem-test", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	/* Written, not sparse: the write-back at munmap then needs no new
	 * blocks of the file system's own. */
	static char chunk[1 << 16];
	memset(chunk, 'm', sizeof(chunk));
	for (long off = 0; fd >= 0 && off < SIZE; off += sizeof(chunk))
		if (write(fd, chunk, sizeof(chunk)) != sizeof(chunk))
			fd = -1;
	if (fd < 0) {
		perror(path);
		return 1;
	}
	long before = memfree_kib();
	char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	for (long i = 0; i < SIZE; i += PG)
		p[i] = 1;
	long mapped = memfree_kib();
	munmap(p, SIZE);
	close(fd);
	long after = memfree_kib();
	unlink(path);
	printf("%ld %ld %ld\n", before, mapped, after);
	int ok = before - mapped >= (SIZE >> 10) * 3 / 4 && labs(after - before) < 1024;
	printf("%s\n", ok ? "PASS" : "FAIL");
	return !ok;
}

/* ---- stress: a model of the file against the mapping and read() ---- */

#define MAXPG 8
static unsigned long rnd_state = 12345;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rnd_state >> 33) % n;
}

static int stress(const char *dir, long steps)
{
	static char model[MAXPG * PG], buf[MAXPG * PG];
	char path[256];
	snprintf(path, sizeof(path), "%s/stress", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	size_t size = 0;
	char *m = mmap(NULL, MAXPG * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *priv = NULL;
	size_t priv_len = 0;
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (long step = 0; step < steps; step++) {
		unsigned op = rnd(100);
		if (op < 35 && size) { /* store through the mapping */
			size_t off = rnd((unsigned)size), n = 1 + rnd(64);
			if (off + n > size)
				n = size - off;
			char c = (char)('A' + rnd(26));
			memset(m + off, c, n);
			memset(model + off, c, n);
		} else if (op < 55) { /* pwrite, maybe extending */
			size_t off = rnd((unsigned)size + 1 + PG), n = 1 + rnd(300);
			if (off + n > MAXPG * PG)
				continue;
			char c = (char)('a' + rnd(26));
			memset(buf, c, n);
			if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n) {
				printf("step %ld: pwrite failed\n", step);
				return 1;
			}
			if (off > size)
				memset(model + size, 0, off - size);
			memcpy(model + off, buf, n);
			if (off + n > size)
				size = off + n;
		} else if (op < 65) { /* ftruncate */
			size_t ns = rnd(MAXPG * PG + 1);
			if (ftruncate(fd, (off_t)ns)) {
				printf("step %ld: ftruncate failed\n", step);
				return 1;
			}
			if (ns > size)
				memset(model + size, 0, ns - size);
			size = ns;
		} else if (op < 72) {
			if (msync(m, MAXPG * PG, rnd(2) ? MS_SYNC : MS_ASYNC)) {
				printf("step %ld: msync failed\n", step);
				return 1;
			}
		} else if (op < 78) { /* unmap and map again */
			munmap(m, MAXPG * PG);
			m = mmap(NULL, MAXPG * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (m == MAP_FAILED) {
				printf("step %ld: mmap failed\n", step);
				return 1;
			}
		} else if (op < 86 && size) { /* a child stores and exits */
			size_t off = rnd((unsigned)size);
			char c = (char)('0' + rnd(10));
			pid_t pid = fork();
			if (pid == 0) {
				m[off] = c;
				_exit(0);
			}
			waitpid(pid, NULL, 0);
			model[off] = c;
		} else if (op < 93) { /* a private mapping: its stores stay its own */
			if (priv)
				munmap(priv, priv_len);
			priv = NULL;
			if (size) {
				priv_len = (size + PG - 1) & ~(size_t)(PG - 1);
				priv = mmap(NULL, priv_len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
				if (priv == MAP_FAILED) {
					printf("step %ld: private mmap failed\n", step);
					return 1;
				}
				priv[rnd((unsigned)size)] = '#';
			}
		} else if (op < 96 && size) { /* munmap a middle page, map it back fixed */
			size_t pg = rnd((unsigned)((size + PG - 1) / PG));
			munmap(m + pg * PG, PG);
			if (mmap(m + pg * PG, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
			         (off_t)(pg * PG)) != m + pg * PG) {
				printf("step %ld: fixed mmap failed\n", step);
				return 1;
			}
		}
		/* Check: read() and the mapping both show the model. */
		ssize_t n = pread(fd, buf, sizeof(buf), 0);
		if (n != (ssize_t)size || memcmp(buf, model, size)) {
			printf("step %ld (op %u): read() differs (size %zd, want %zu)\n", step, op, n, size);
			return 1;
		}
		if (memcmp(m, model, size)) {
			printf("step %ld (op %u): mapping differs\n", step, op);
			return 1;
		}
	}
	close(fd);
	munmap(m, MAXPG * PG);
	if (priv)
		munmap(priv, priv_len);
	/* After the last munmap, a fresh descriptor reads the model. */
	fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	unlink(path);
	if (n != (ssize_t)size || memcmp(buf, model, size)) {
		printf("final read differs\n");
		return 1;
	}
	printf("PASS\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: t-mmapw write|check|mem|stress DIR [N]\n");
		return 2;
	}
	const char *dir = argv[2];
	if (!strcmp(argv[1], "stress"))
		return stress(dir, argc > 3 ? atol(argv[3]) : 2000);
	if (!strcmp(argv[1], "mem"))
		return mem(dir);
	if (!strcmp(argv[1], "check")) {
		int bad = 0;
		for (int k = 0; k < 3; k++)
			bad |= check(dir, k);
		return bad;
	}
	char *p = map_new(dir, 0);
	if (msync(p, LEN, MS_SYNC)) {
		perror("msync");
		return 1;
	}
	p = map_new(dir, 1);
	if (munmap(p, LEN)) {
		perror("munmap");
		return 1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		map_new(dir, 2);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("written\n");
	return 0;
}
