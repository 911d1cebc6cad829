/*
 * user/coreutils/rm.c - rm [-rRfi] file...: remove files; -r (-R)
 * removes directories and their contents (depth first, without following
 * symbolic links); -f ignores missing files and never asks; -i asks
 * "rm: remove FILE? " on stderr before each removal (a 'y' answer
 * removes). Refuses to remove "/", "." and "..".
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int force, recursive, interactive, verbose;

static int ask(const char *what, const char *path)
{
	char line[64];
	fprintf(stderr, "rm: %s '%s'? ", what, path);
	if (!fgets(line, sizeof line, stdin))
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

static int dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;
	while (d && empty && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	if (d)
		closedir(d);
	return empty;
}

static int removal(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (force && errno == ENOENT)
			return 0;
		fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!recursive) {
			fprintf(stderr, "rm: cannot remove '%s': Is a directory\n", path);
			return 1;
		}
		/* GNU asks to descend only into a directory with something in it. */
		if (interactive && !dir_empty(path) && !ask("descend into directory", path))
			return 0;
		DIR *d = opendir(path);
		int status = 0;
		if (!d) {
			fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
			return 1;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *sub = malloc(n);
			snprintf(sub, n, "%s%s%s", path,
				 path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
			status |= removal(sub);
			free(sub);
		}
		closedir(d);
		if (interactive && !ask("remove directory", path))
			return status;
		if (rmdir(path) < 0) {
			fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
			return 1;
		}
		if (verbose) {
			printf("removed directory '%s'\n", path);
			fflush(stdout);   /* in order with the errors */
		}
		return status;
	}
	if (interactive && !ask(S_ISREG(st.st_mode) ? (st.st_size ? "remove regular file" :
		"remove regular empty file") : "remove", path))
		return 0;
	if (unlink(path) < 0) {
		fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
		return 1;
	}
	if (verbose) {
		printf("removed '%s'\n", path);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int opt, status = 0;

	while ((opt = getopt(argc, argv, "rRfiv")) != -1) {
		switch (opt) {
		case 'r': case 'R': recursive = 1; break;
		case 'f': force = 1; interactive = 0; break;
		case 'i': interactive = 1; force = 0; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: rm [-rRfiv] file...\n");
			return 2;
		}
	}
	if (optind == argc && !force) {
		fprintf(stderr, "usage: rm [-rRfiv] file...\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		const char *b = strrchr(argv[i], '/');
		b = b && b[1] ? b + 1 : argv[i];
		if (strcmp(b, ".") == 0 || strcmp(b, "..") == 0) {
			fprintf(stderr, "rm: refusing to remove '.' or '..' directory: skipping '%s'\n", argv[i]);
			status = 1;
			continue;
		}
		if (strspn(argv[i], "/") == strlen(argv[i]) && argv[i][0]) {
			fprintf(stderr, "rm: it is dangerous to operate recursively on '/'\n");
			status = 1;
			continue;
		}
		status |= removal(argv[i]);
	}
	return status;
}
