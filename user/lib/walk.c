/*
 * user/lib/walk.c - the recursion step of -R options: call a function for
 * every entry of a directory with the entry's path.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "walk.h"

int walk_children(const char *prog, const char *dir, int (*fn)(const char *path, int top))
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: cannot read directory '%s': %s\n", prog, dir, strerror(errno));
		return 1;
	}
	int status = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char sub[PATH_MAX];
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		status |= fn(sub, 0);
	}
	closedir(d);
	return status;
}
