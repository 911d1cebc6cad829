/*
 * user/coreutils/df.c - df [-ahk] [path...]: free space of the mounted
 * file systems, from /proc/mounts and statfs(2), in GNU df's layout.
 * Without paths, every mount with blocks is listed (pseudo file systems
 * such as proc and devfs report none and appear only with -a); with
 * paths, the file system of each. Sizes are 1K blocks, or with -h the
 * largest fitting unit (1024s, as "df -h": 12K 3.4M 120M 2.0G).
 * Use% is used / (used + available), rounded up, as GNU df.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "human.h"

static int opt_a, opt_h;

static void size(unsigned long long blocks, unsigned long long bsize,
                 int width)
{
	char buf[32];
	if (opt_h)
		human_size(blocks * bsize, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%llu", blocks * bsize / 1024);
	printf(" %*s", width, buf);
}

static int show(const char *src, const char *dir)
{
	struct statfs st;
	if (statfs(dir, &st) < 0) {
		fprintf(stderr, "df: %s: No such file or directory\n", dir);
		return 1;
	}
	if (!st.f_blocks && !opt_a)
		return 0;
	unsigned long long bs = st.f_frsize ? st.f_frsize : st.f_bsize;
	unsigned long long used = st.f_blocks - st.f_bfree;
	int w = opt_h ? 5 : 10;
	printf("%-14s", src);
	size(st.f_blocks, bs, w);
	size(used, bs, w);
	size(st.f_bavail, bs, w);
	unsigned long long whole = used + st.f_bavail;
	if (whole)
		printf(" %3llu%%", (used * 100 + whole - 1) / whole);
	else
		printf("    -");
	printf(" %s\n", dir);
	return 0;
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "ahk")) != -1) {
		switch (opt) {
		case 'a': opt_a = 1; break;
		case 'h': opt_h = 1; break;
		case 'k': opt_h = 0; break;
		default:
			fprintf(stderr, "usage: df [-ahk] [path...]\n");
			return 2;
		}
	}
	FILE *f = fopen("/proc/mounts", "r");
	if (!f) {
		perror("df: /proc/mounts");
		return 1;
	}
	/* The mounts, kept for matching paths to their file system. */
	char src[64][128], dir[64][256];
	int n = 0;
	char line[512];
	while (n < 64 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %255s", src[n], dir[n]) == 2)
			n++;
	fclose(f);
	if (opt_h)
		printf("Filesystem      Size  Used Avail Use%% Mounted on\n");
	else
		printf("Filesystem      1K-blocks       Used  Available Use%% Mounted on\n");
	int status = 0;
	if (optind == argc) {
		for (int i = 0; i < n; i++)
			status |= show(src[i], dir[i]);
		return status;
	}
	for (int i = optind; i < argc; i++) {
		struct stat ps, ms;
		if (stat(argv[i], &ps) < 0) {
			fprintf(stderr, "df: %s: No such file or directory\n", argv[i]);
			status = 1;
			continue;
		}
		/* The last mount on the same device is the one the path is on. */
		int best = -1;
		for (int k = 0; k < n; k++)
			if (stat(dir[k], &ms) == 0 && ms.st_dev == ps.st_dev)
				best = k;
		if (best < 0)
			status |= show("-", argv[i]);
		else {
			int save = opt_a;
			opt_a = 1;
			status |= show(src[best], dir[best]);
			opt_a = save;
		}
	}
	return status;
}
