/*
 * tests/unit/host/hostio.c - plain libc services for host unit tests that
 * include kernel headers (which clash with <stdio.h> and friends): run a
 * shell command, read and write whole host files, make scratch paths.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostio.h"

int hio_run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (getenv("UNIT_VERBOSE"))
		fprintf(stderr, "+ %s\n", cmd);
	int st = system(cmd);
	/* <sys/wait.h> would pull in the kernel's signal.h: decode by hand */
	if (st == -1 || (st & 0x7f))
		return -1;
	return (st >> 8) & 0xff;
}

char *hio_capture(size_t *len, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + n, 1, cap - n - 1, p)) > 0) {
		n += k;
		if (cap - n < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	pclose(p);
	if (buf)
		buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

void *hio_read_file(const char *path, size_t *len)
{
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = (size_t)n;
	}
	return buf;
}

int hio_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t k = fwrite(data, 1, len, f);
	fclose(f);
	return k == len ? 0 : -1;
}

const char *hio_tmpdir(void)
{
	static char dir[256];
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/rayos-unit-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

void hio_cleanup(void)
{
	if (hio_tmpdir()[0] && !getenv("UNIT_KEEP"))
		hio_run("rm -rf '%s'", hio_tmpdir());
}

void *hio_malloc(size_t n) { return malloc(n); }
void hio_free(void *p) { free(p); }
