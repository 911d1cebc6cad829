/*
 * user/coreutils/df.c - df [-ahkT] [path...]: free space of the mounted
 * file systems, from /proc/mounts and statfs(2), in GNU df's layout.
 *
 * Without paths, every mount with blocks is listed (pseudo file systems
 * such as proc and devfs report none and appear only with -a); with
 * paths, the file system each is on: the longest mount directory that
 * is a prefix of the path's real name and has its device. Sizes are 1K blocks rounded up, or with -h the
 * largest fitting unit (user/lib/human.c: 12K 3.4M 120M 2.0G); Use% is
 * used / (used + available), rounded up, as GNU df.
 *
 * All rows are made first, then printed in columns as wide as their
 * widest value, with GNU's minimum widths (Filesystem 14, numbers 5,
 * Use% 4); no header when nothing could be shown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "human.h"

#define NCOLS 7
#define MAXROWS 64

static int opt_a, opt_h, opt_T;
static char rows[MAXROWS + 1][NCOLS][256];
static int nrows;

static void size(unsigned long long blocks, unsigned long long bsize,
                 char *buf, size_t n)
{
	if (opt_h)
		human_size(blocks * bsize, buf, n);
	else
		snprintf(buf, n, "%llu", (blocks * bsize + 1023) / 1024);
}

/* Add the row of the file system mounted on dir; 1 on failure. */
static int add(const char *src, const char *dir, const char *type, int always)
{
	struct statfs st;
	if (statfs(dir, &st) < 0) {
		fprintf(stderr, "df: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if ((!st.f_blocks && !opt_a && !always) || nrows == MAXROWS)
		return 0;
	char (*r)[256] = rows[++nrows];
	unsigned long long bs = st.f_frsize ? st.f_frsize : st.f_bsize;
	unsigned long long used = st.f_blocks - st.f_bfree;
	unsigned long long whole = used + st.f_bavail;
	snprintf(r[0], 256, "%s", src);
	snprintf(r[1], 256, "%s", type);
	size(st.f_blocks, bs, r[2], 256);
	size(used, bs, r[3], 256);
	size(st.f_bavail, bs, r[4], 256);
	if (whole)
		snprintf(r[5], 256, "%llu%%", (used * 100 + whole - 1) / whole);
	else
		snprintf(r[5], 256, "-");
	snprintf(r[6], 256, "%s", dir);
	return 0;
}

static void print_rows(void)
{
	static const int minw[NCOLS] = { 14, 4, 5, 5, 5, 4, 0 };
	snprintf(rows[0][0], 256, "Filesystem");
	snprintf(rows[0][1], 256, "Type");
	snprintf(rows[0][2], 256, "%s", opt_h ? "Size" : "1K-blocks");
	snprintf(rows[0][3], 256, "Used");
	snprintf(rows[0][4], 256, "%s", opt_h ? "Avail" : "Available");
	snprintf(rows[0][5], 256, "Use%%");
	snprintf(rows[0][6], 256, "Mounted on");
	int w[NCOLS];
	for (int c = 0; c < NCOLS; c++) {
		w[c] = minw[c];
		for (int r = 0; r <= nrows; r++)
			if ((int)strlen(rows[r][c]) > w[c])
				w[c] = (int)strlen(rows[r][c]);
	}
	for (int r = 0; r <= nrows; r++) {
		for (int c = 0; c < NCOLS; c++) {
			if (c == 1 && !opt_T)
				continue;
			if (c == NCOLS - 1)
				printf("%s\n", rows[r][c]);
			else if (c < 2 || (r == 0 && c == 6))
				printf("%-*s ", w[c], rows[r][c]);
			else
				printf("%*s ", w[c], rows[r][c]);
		}
	}
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "ahkT")) != -1) {
		switch (opt) {
		case 'a': opt_a = 1; break;
		case 'h': opt_h = 1; break;
		case 'k': opt_h = 0; break;
		case 'T': opt_T = 1; break;
		default:
			fprintf(stderr, "usage: df [-ahkT] [path...]\n");
			return 2;
		}
	}
	FILE *f = fopen("/proc/mounts", "r");
	if (!f) {
		fprintf(stderr, "df: /proc/mounts: %s\n", strerror(errno));
		return 1;
	}
	/* The mounts, kept for matching paths to their file system. */
	static char src[MAXROWS][128], dir[MAXROWS][256], type[MAXROWS][64];
	int n = 0;
	char line[1024];
	while (n < MAXROWS && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %255s %63s", src[n], dir[n], type[n]) == 3)
			n++;
	fclose(f);
	int status = 0;
	if (optind == argc) {
		for (int i = 0; i < n; i++)
			status |= add(src[i], dir[i], type[i], 0);
	}
	for (int i = optind; i < argc; i++) {
		struct stat ps, ms;
		if (stat(argv[i], &ps) < 0) {
			fprintf(stderr, "df: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		/* The mount point: the longest mount directory that is a
		 * prefix of the path's real name and has its device (the last
		 * such, for stacked mounts). */
		char real[4096];
		if (!realpath(argv[i], real))
			snprintf(real, sizeof(real), "%s", argv[i]);
		int best = -1;
		size_t best_len = 0;
		for (int k = 0; k < n; k++) {
			size_t len = strlen(dir[k]);
			int prefix = !strcmp(dir[k], "/") ||
			             (!strncmp(real, dir[k], len) &&
			              (real[len] == '/' || !real[len]));
			if (prefix && len >= best_len && stat(dir[k], &ms) == 0 &&
			    ms.st_dev == ps.st_dev) {
				best = k;
				best_len = len;
			}
		}
		if (best < 0)
			status |= add("-", argv[i], "-", 1);
		else
			status |= add(src[best], dir[best], type[best], 1);
	}
	if (nrows)
		print_rows();
	return fflush(stdout) ? 1 : status;
}
