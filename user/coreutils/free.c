/*
 * user/coreutils/free.c - free [-b|-k|-m|-g|-h]: memory use from
 * /proc/meminfo, in procps's layout. Units: KiB (default, -k), bytes,
 * MiB, GiB, or -h: the largest fitting unit with one decimal ("1.9Gi").
 * RayOS has no shared memory or swap, so those columns are 0 (buff/cache
 * is meminfo's Buffers + Cached + SReclaimable, when present: RayOS's
 * Cached is its file mapping and exec page caches); used = total -
 * available, as procps 4 computes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int unit = 'k';

static long meminfo(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ':')
			return strtol(p + n + 1, NULL, 10);
	return 0;
}

static void show(long kb)
{
	char buf[32];
	if (unit == 'h') {
		const char *units = "KMGTP";
		double v = (double)kb;
		int u = 0;
		while (v >= 1024 && u < 4) {
			v /= 1024;
			u++;
		}
		if (kb < 1024)
			snprintf(buf, sizeof(buf), "%ldKi", kb);
		else if (v < 10)
			snprintf(buf, sizeof(buf), "%.1f%ci", v, units[u]);
		else
			snprintf(buf, sizeof(buf), "%ld%ci", (long)v, units[u]);
		if (kb == 0)
			snprintf(buf, sizeof(buf), "0B");
	} else {
		long long v = kb;
		if (unit == 'b')
			v *= 1024;
		else if (unit == 'm')
			v /= 1024;
		else if (unit == 'g')
			v /= 1024 * 1024;
		snprintf(buf, sizeof(buf), "%lld", v);
	}
	printf(" %11s", buf);
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "bkmgh")) != -1) {
		if (opt == '?') {
			fprintf(stderr, "usage: free [-b|-k|-m|-g|-h]\n");
			return 2;
		}
		unit = opt;
	}
	if (optind < argc) {
		fprintf(stderr, "usage: free [-b|-k|-m|-g|-h]\n");
		return 2;
	}
	static char text[4096];
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f) {
		perror("free: /proc/meminfo");
		return 1;
	}
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = 0;
	long total = meminfo(text, "MemTotal"), free = meminfo(text, "MemFree");
	long avail = meminfo(text, "MemAvailable");
	long cache = meminfo(text, "Buffers") + meminfo(text, "Cached") +
	             meminfo(text, "SReclaimable");
	long shared = meminfo(text, "Shmem");
	long used = total - avail;
	printf("               total        used        free      shared  buff/cache   available\n");
	printf("Mem:    ");
	show(total); show(used); show(free); show(shared); show(cache); show(avail);
	printf("\nSwap:   ");
	long st = meminfo(text, "SwapTotal"), sf = meminfo(text, "SwapFree");
	show(st); show(st - sf); show(sf);
	printf("\n");
	return 0;
}
