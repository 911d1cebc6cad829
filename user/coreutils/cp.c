/*
 * user/coreutils/cp.c - cp [-rRpfainv] src dst, cp [-rRpfainv] src... dir: copy
 * files. file -> file (created or truncated), files -> into an existing
 * directory under their base names. -r (-R) copies directories
 * recursively, recreating symbolic links as links; -p keeps mode, owner
 * and times; -a is -rp; -f removes a destination that cannot be opened and
 * tries again; -i asks before overwriting, -n never overwrites, -v names
 * each copy ("'a' -> 'b'"). Without -r a directory operand is skipped with
 * "cp: -r not specified; omitting directory 'X'". Copying a directory
 * into itself is refused.
 * mv.c includes this file (RAYOS_MV) for its copy-and-remove fallback.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef RAYOS_MV
#define PROG "mv"
#else
#define PROG "cp"
#endif

static int cp_recursive, cp_preserve, cp_force;
static int cp_interactive, cp_noclobber, cp_verbose;   /* cp only */

/* -i and -n, for a destination that is there already: 1 to go on. */
static int may_overwrite(const char *dst)
{
	struct stat st;
	if (lstat(dst, &st) < 0 || S_ISDIR(st.st_mode))
		return 1;
	if (cp_noclobber)
		return 0;
	if (!cp_interactive)
		return 1;
	fprintf(stderr, PROG ": overwrite '%s'? ", dst);
	char line[64];
	return fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y');
}

static void preserve(const char *dst, const struct stat *st, int is_link)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };
	if (lchown(dst, st->st_uid, st->st_gid) < 0 && errno != EPERM)
		fprintf(stderr, PROG ": failed to preserve ownership for '%s': %s\n", dst, strerror(errno));
	if (!is_link && chmod(dst, st->st_mode & 07777) < 0)
		fprintf(stderr, PROG ": failed to preserve permissions for '%s': %s\n", dst, strerror(errno));
	utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW);
}

static int copy_file(const char *src, const char *dst, const struct stat *st)
{
	int in = open(src, O_RDONLY), out;
	if (in < 0) {
		fprintf(stderr, PROG ": cannot open '%s' for reading: %s\n", src, strerror(errno));
		return 1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 0777);
	if (out < 0 && cp_force && unlink(dst) == 0)
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 0777);
	if (out < 0) {
		fprintf(stderr, PROG ": cannot create regular file '%s': %s\n", dst, strerror(errno));
		close(in);
		return 1;
	}
	static char buf[65536];
	ssize_t n;
	int status = 0;
	while ((n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": error reading '%s': %s\n", src, strerror(errno));
			status = 1;
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, n - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, PROG ": error writing '%s': %s\n", dst, strerror(errno));
				status = 1;
				goto done;
			}
			off += w;
		}
	}
done:
	close(in);
	if (close(out) < 0 && !status) {
		fprintf(stderr, PROG ": error writing '%s': %s\n", dst, strerror(errno));
		status = 1;
	}
	if (!status && cp_preserve)
		preserve(dst, st, 0);
	return status;
}

/* Copy src (of any type) to the path dst. */
static int copy_any(const char *src, const char *dst)
{
	struct stat st, dst_st;

	if ((cp_recursive ? lstat(src, &st) : stat(src, &st)) < 0) {
		fprintf(stderr, PROG ": cannot stat '%s': %s\n", src, strerror(errno));
		return 1;
	}
	if (stat(dst, &dst_st) == 0 && dst_st.st_dev == st.st_dev && dst_st.st_ino == st.st_ino) {
		fprintf(stderr, PROG ": '%s' and '%s' are the same file\n", src, dst);
		return 1;
	}
	if (!S_ISDIR(st.st_mode) && !may_overwrite(dst))
		return 0;
	if (cp_verbose)
		printf("'%s' -> '%s'\n", src, dst);
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(src, target, sizeof target - 1);
		if (n < 0) {
			fprintf(stderr, PROG ": cannot read symbolic link '%s': %s\n", src, strerror(errno));
			return 1;
		}
		target[n] = 0;
		if (cp_force)
			unlink(dst);
		if (symlink(target, dst) < 0) {
			fprintf(stderr, PROG ": cannot create symbolic link '%s': %s\n", dst, strerror(errno));
			return 1;
		}
		if (cp_preserve)
			preserve(dst, &st, 1);
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!cp_recursive) {
			fprintf(stderr, PROG ": -r not specified; omitting directory '%s'\n", src);
			return 1;
		}
		/* Refuse to copy a directory into itself. */
		char rs[PATH_MAX], rd[PATH_MAX], parent[PATH_MAX];
		snprintf(parent, sizeof parent, "%s", dst);
		if (realpath(src, rs) && realpath(dirname(parent), rd)) {
			size_t l = strlen(rs);
			if (strncmp(rs, rd, l) == 0 && (rd[l] == '/' || rd[l] == 0)) {
				fprintf(stderr, PROG ": cannot copy a directory, '%s', into itself, '%s'\n", src, dst);
				return 1;
			}
		}
		if (mkdir(dst, (st.st_mode & 0777) | 0700) < 0 && errno != EEXIST) {
			fprintf(stderr, PROG ": cannot create directory '%s': %s\n", dst, strerror(errno));
			return 1;
		}
		DIR *d = opendir(src);
		if (!d) {
			fprintf(stderr, PROG ": cannot access '%s': %s\n", src, strerror(errno));
			return 1;
		}
		int status = 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char s2[PATH_MAX], d2[PATH_MAX];
			snprintf(s2, sizeof s2, "%s/%s", src, e->d_name);
			snprintf(d2, sizeof d2, "%s/%s", dst, e->d_name);
			status |= copy_any(s2, d2);
		}
		closedir(d);
		if (cp_preserve)
			preserve(dst, &st, 0);
		else
			chmod(dst, st.st_mode & 0777);
		return status;
	}
	if (S_ISREG(st.st_mode))
		return copy_file(src, dst, &st);
	if (mknod(dst, st.st_mode, st.st_rdev) < 0) {
		fprintf(stderr, PROG ": cannot create special file '%s': %s\n", dst, strerror(errno));
		return 1;
	}
	if (cp_preserve)
		preserve(dst, &st, 0);
	return 0;
}

/* dir/basename(src) into buf. */
static const char *into_dir(char *buf, size_t size, const char *dir, const char *src)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", src);
	size_t n = strlen(tmp);
	while (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = 0;
	snprintf(buf, size, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", basename(tmp));
	return buf;
}

#ifndef RAYOS_MV
int main(int argc, char **argv)
{
	int opt, status = 0;
	struct stat st;

	while ((opt = getopt(argc, argv, "rRpfainv")) != -1) {
		switch (opt) {
		case 'r': case 'R': cp_recursive = 1; break;
		case 'p': cp_preserve = 1; break;
		case 'f': cp_force = 1; cp_interactive = cp_noclobber = 0; break;
		case 'i': cp_interactive = 1; cp_noclobber = 0; break;
		case 'n': cp_noclobber = 1; cp_interactive = 0; break;
		case 'v': cp_verbose = 1; break;
		case 'a': cp_recursive = cp_preserve = 1; break;
		default: goto usage;
		}
	}
	int n = argc - optind;
	if (n < 2)
		goto usage;
	const char *last = argv[argc - 1];
	if (stat(last, &st) == 0 && S_ISDIR(st.st_mode)) {
		for (int i = optind; i < argc - 1; i++) {
			char dst[PATH_MAX];
			status |= copy_any(argv[i], into_dir(dst, sizeof dst, last, argv[i]));
		}
		return status;
	}
	if (n > 2) {
		if (stat(last, &st) < 0)
			fprintf(stderr, "cp: target '%s': %s\n", last, strerror(errno));
		else
			fprintf(stderr, "cp: target '%s' is not a directory\n", last);
		return 1;
	}
	return copy_any(argv[optind], last);
usage:
	fprintf(stderr, "usage: cp [-rRpfainv] src dst\n       cp [-rRpfainv] src... dir\n");
	return 2;
}
#endif
