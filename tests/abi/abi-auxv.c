/*
 * tests/abi/abi-auxv.c - /proc/<pid>/auxv (see tests/abi/README.md): the
 * binary aux vector of (type, value) pairs ending with AT_NULL, the
 * entries every program has against getauxval, reading it in small
 * pieces, a forked child's copy, and the file's mode.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static ssize_t read_auxv(const char *path, uint64_t *v, size_t size, size_t chunk)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t n = 0;
	for (;;) {
		ssize_t k = read(fd, (char *)v + n, size - n < chunk ? size - n : chunk);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	return (ssize_t)n;
}

/* The value of type in the vector, and whether it is there. */
static int find(const uint64_t *v, ssize_t n, uint64_t type, uint64_t *val)
{
	for (ssize_t i = 0; i + 1 < n / 8; i += 2)
		if (v[i] == type) {
			*val = v[i + 1];
			return 1;
		}
	return 0;
}

int main(void)
{
	static uint64_t v[256], w[256];
	ssize_t n = read_auxv("/proc/self/auxv", v, sizeof(v), sizeof(v));
	CHECK("whole pairs", n > 0 && n % 16 == 0);
	int nulls = 0;
	for (ssize_t i = 0; i + 1 < n / 8; i += 2)
		nulls += v[i] == AT_NULL;
	CHECK("one AT_NULL, at the end", nulls == 1 && n >= 16 && v[n / 8 - 2] == AT_NULL && v[n / 8 - 1] == 0);

	static const struct { uint64_t type; const char *name; } keys[] = {
		{ AT_PHDR, "AT_PHDR" }, { AT_PHENT, "AT_PHENT" }, { AT_PHNUM, "AT_PHNUM" },
		{ AT_PAGESZ, "AT_PAGESZ" }, { AT_ENTRY, "AT_ENTRY" }, { AT_UID, "AT_UID" },
		{ AT_EUID, "AT_EUID" }, { AT_GID, "AT_GID" }, { AT_EGID, "AT_EGID" },
		{ AT_RANDOM, "AT_RANDOM" }, { AT_EXECFN, "AT_EXECFN" }, { AT_SECURE, "AT_SECURE" },
	};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		uint64_t val = 0;
		int there = find(v, n, keys[k].type, &val);
		printf("%s: %s\n", keys[k].name,
		       !there ? "missing" : val == getauxval(keys[k].type) ? "as getauxval" : "differs");
	}
	uint64_t val = 0;
	find(v, n, AT_PAGESZ, &val);
	printf("page size: %lu\n", (unsigned long)val);
	find(v, n, AT_PHENT, &val);
	printf("phent: %lu\n", (unsigned long)val);
	find(v, n, AT_UID, &val);
	CHECK("AT_UID is getuid", val == getuid());
	find(v, n, AT_EXECFN, &val);
	CHECK("AT_EXECFN names this program", val && strstr((const char *)(uintptr_t)val, "abi-auxv") != NULL);

	ssize_t m = read_auxv("/proc/self/auxv", w, sizeof(w), 5);
	CHECK("read 5 bytes at a time", m == n && !memcmp(v, w, (size_t)n));

	pid_t pid = fork();
	if (pid == 0) {
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d/auxv", (int)getpid());
		ssize_t c = read_auxv(p, w, sizeof(w), sizeof(w));
		_exit(c == n && !memcmp(v, w, (size_t)n) ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK("child after fork has the same", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/auxv", (int)getpid());
	m = read_auxv(p, w, sizeof(w), sizeof(w));
	CHECK("/proc/<pid>/auxv is /proc/self/auxv", m == n && !memcmp(v, w, (size_t)n));

	struct stat sb;
	R("stat", stat("/proc/self/auxv", &sb));
	printf("mode: %o\n", (unsigned)(sb.st_mode & 07777));
	CHECK("regular file", S_ISREG(sb.st_mode));
	printf("DONE\n");
	return 0;
}
