/*
 * user/coreutils/du.c - du [-achks] [-d N] [path...]: disk usage, as GNU du: the
 * blocks allocated (st_blocks, 512-byte units) summed over each tree,
 * printed for every directory (and with -a every file) as "SIZE\tPATH";
 * -s prints only each argument's total, -d N only directories down to N
 * levels below it, -c a grand total at the end. Sizes are KiB, rounded up, or -h
 * human-readable (1024s). A file with several hard links, or a directory
 * reached twice, counts once.
 * Symbolic links are not followed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "human.h"

static int opt_a, opt_s, opt_h, opt_c, max_depth = -1, status;

/* Inodes with several links already counted. */
static struct seen {
	dev_t dev;
	ino_t ino;
} *seen;
static size_t nseen, capseen;

static int counted(const struct stat *st)
{
	for (size_t i = 0; i < nseen; i++)
		if (seen[i].dev == st->st_dev && seen[i].ino == st->st_ino)
			return 1;
	if (nseen == capseen) {
		capseen = capseen ? capseen * 2 : 64;
		seen = realloc(seen, capseen * sizeof(*seen));
		if (!seen) {
			fprintf(stderr, "du: out of memory\n");
			exit(1);
		}
	}
	seen[nseen].dev = st->st_dev;
	seen[nseen].ino = st->st_ino;
	nseen++;
	return 0;
}

static void print(unsigned long long blocks512, const char *path)
{
	unsigned long long bytes = blocks512 * 512;
	if (!opt_h) {
		printf("%llu\t%s\n", (bytes + 1023) / 1024, path);
		return;
	}
	char buf[32];
	human_size(bytes, buf, sizeof(buf));
	printf("%s\t%s\n", buf, path);
}

/* The blocks of the tree at path; depth 0 for an operand. Printed: the
 * operands, directories down to max_depth (-d; none below with -s), and
 * with -a files too. */
static unsigned long long du(const char *path, int depth)
{
	int top = depth == 0;
	int shown = top || (!opt_s && (max_depth < 0 || depth <= max_depth));
	struct stat st;
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "du: cannot access '%s': %s\n", path, strerror(errno));
		status = 1;
		return 0;
	}
	/* Hard links, and directories reached twice (overlapping operands),
	 * count once: GNU du prints nothing for them the second time. */
	if ((st.st_nlink > 1 || S_ISDIR(st.st_mode)) && counted(&st))
		return 0;
	unsigned long long total = (unsigned long long)st.st_blocks;
	if (!S_ISDIR(st.st_mode)) {
		if (top || (opt_a && shown))
			print(total, path);
		return total;
	}
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "du: cannot read directory '%s': %s\n", path,
		        strerror(errno));
		status = 1;
	} else {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *sub = malloc(n);
			if (!sub)
				continue;
			snprintf(sub, n, "%s%s%s", path,
			         path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
			total += du(sub, depth + 1);
			free(sub);
		}
		closedir(d);
	}
	if (shown)
		print(total, path);
	return total;
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "acd:hks")) != -1) {
		switch (opt) {
		case 'a': opt_a = 1; break;
		case 'c': opt_c = 1; break;
		case 'd': {
			char *end;
			max_depth = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || max_depth < 0) {
				fprintf(stderr, "du: invalid maximum depth '%s'\n", optarg);
				return 2;
			}
			break;
		}
		case 'h': opt_h = 1; break;
		case 'k': opt_h = 0; break;
		case 's': opt_s = 1; break;
		default:
			fprintf(stderr, "usage: du [-achks] [-d N] [path...]\n");
			return 2;
		}
	}
	if (opt_s && max_depth > 0) {
		fprintf(stderr, "du: cannot both summarize and show all entries\n");
		return 2;
	}
	unsigned long long total = 0;
	if (optind == argc)
		total += du(".", 0);
	for (int i = optind; i < argc; i++)
		total += du(argv[i], 0);
	if (opt_c)
		print(total, "total");
	return fflush(stdout) ? 1 : status;
}
