/*
 * user/coreutils/mv.c - mv [-fi] src dst, mv [-fi] src... dir: move
 * (rename) files, into a directory under their base names when the last
 * operand is one. rename(2) across file systems fails with EXDEV; then the
 * file or tree is copied with cp.c's code (keeping mode, owner and times)
 * and the source removed. -i asks before overwriting, -f does not ask.
 */
#define RAYOS_MV 1
#include "cp.c"

static int interactive, mv_verbose;

static int remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		if (!d)
			return -1;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char sub[PATH_MAX];
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			remove_tree(sub);
		}
		closedir(d);
		return rmdir(path);
	}
	return unlink(path);
}

static int move(const char *src, const char *dst)
{
	struct stat st;
	if (lstat(src, &st) < 0) {
		fprintf(stderr, "mv: cannot stat '%s': %s\n", src, strerror(errno));
		return 1;
	}
	if (interactive && lstat(dst, &st) == 0) {
		char line[64];
		fprintf(stderr, "mv: overwrite '%s'? ", dst);
		if (!fgets(line, sizeof line, stdin) || (line[0] != 'y' && line[0] != 'Y'))
			return 0;
	}
	if (rename(src, dst) == 0) {
		if (mv_verbose)
			printf("renamed '%s' -> '%s'\n", src, dst);
		return 0;
	}
	if (errno != EXDEV) {
		fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", src, dst, strerror(errno));
		return 1;
	}
	cp_recursive = cp_preserve = cp_force = 1;
	if (lstat(dst, &st) == 0 && !S_ISDIR(st.st_mode))
		unlink(dst);
	if (copy_any(src, dst))
		return 1;
	if (remove_tree(src) < 0) {
		fprintf(stderr, "mv: cannot remove '%s': %s\n", src, strerror(errno));
		return 1;
	}
	if (mv_verbose)
		printf("copied '%s' -> '%s'\nremoved '%s'\n", src, dst, src);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, status = 0;
	struct stat st;

	while ((opt = getopt(argc, argv, "fiv")) != -1) {
		if (opt == 'f')
			interactive = 0;
		else if (opt == 'i')
			interactive = 1;
		else if (opt == 'v')
			mv_verbose = 1;
		else
			goto usage;
	}
	int n = argc - optind;
	if (n < 2)
		goto usage;
	const char *last = argv[argc - 1];
	if (stat(last, &st) == 0 && S_ISDIR(st.st_mode)) {
		for (int i = optind; i < argc - 1; i++) {
			char dst[PATH_MAX];
			status |= move(argv[i], into_dir(dst, sizeof dst, last, argv[i]));
		}
		return status;
	}
	if (n > 2) {
		fprintf(stderr, "mv: target '%s' is not a directory\n", last);
		return 1;
	}
	if (lstat(argv[optind], &st) < 0) {
		fprintf(stderr, "mv: cannot stat '%s': %s\n", argv[optind], strerror(errno));
		return 1;
	}
	return move(argv[optind], last);
usage:
	fprintf(stderr, "usage: mv [-fi] src dst\n       mv [-fi] src... dir\n");
	return 2;
}
