/*
 * user/coreutils/ln.c - ln [-sf] target [link_name], ln [-sf] target...
 * dir: make hard links (or symbolic links with -s) to the targets. With
 * one operand the link goes in the current directory; when the last
 * operand is a directory the links go inside it under the targets' base
 * names. -f removes existing destination files first.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int symbolic, force, verbose;

static int make_link(const char *target, const char *name)
{
	if (force) {
		struct stat st;
		if (lstat(name, &st) == 0 && S_ISDIR(st.st_mode)) {
			fprintf(stderr, "ln: %s: cannot overwrite directory\n", name);
			return 1;
		}
		if (unlink(name) < 0 && errno != ENOENT) {
			fprintf(stderr, "ln: cannot remove '%s': %s\n", name, strerror(errno));
			return 1;
		}
	}
	if ((symbolic ? symlink(target, name) : link(target, name)) < 0) {
		if (errno == EEXIST)
			fprintf(stderr, "ln: failed to create %slink '%s': File exists\n",
				symbolic ? "symbolic " : "hard ", name);
		else
			fprintf(stderr, "ln: failed to create %slink '%s' -> '%s': %s\n",
				symbolic ? "symbolic " : "hard ", name, target, strerror(errno));
		return 1;
	}
	if (verbose)
		printf("'%s' %s '%s'\n", name, symbolic ? "->" : "=>", target);
	return 0;
}

static const char *base(const char *p)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s", p);
	return basename(buf);
}

int main(int argc, char **argv)
{
	int opt, status = 0;
	struct stat st;

	while ((opt = getopt(argc, argv, "sfv")) != -1) {
		if (opt == 's')
			symbolic = 1;
		else if (opt == 'v')
			verbose = 1;
		else if (opt == 'f')
			force = 1;
		else
			goto usage;
	}
	int n = argc - optind;
	if (n < 1)
		goto usage;
	const char *last = argv[argc - 1];
	if (n == 1 || (stat(last, &st) == 0 && S_ISDIR(st.st_mode) && !(n == 2 && force && symbolic && lstat(last, &st) == 0 && S_ISLNK(st.st_mode)))) {
		const char *dir = n == 1 ? "." : last;
		int count = n == 1 ? 1 : n - 1;
		for (int i = 0; i < count; i++) {
			const char *t = argv[optind + i];
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", dir, base(t));
			status |= make_link(t, path);
		}
		return status;
	}
	if (n > 2) {
		fprintf(stderr, "ln: target '%s' is not a directory\n", last);
		return 1;
	}
	return make_link(argv[optind], last);
usage:
	fprintf(stderr, "usage: ln [-sfv] target [link_name]\n       ln [-sfv] target... dir\n");
	return 2;
}
