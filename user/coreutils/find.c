/*
 * user/coreutils/find.c - find [path...] [expression]: walk directory
 * trees and act on the files that pass every test (tests are ANDed; there
 * is no -o, ! or parentheses in this subset).
 *   -name PATTERN   the last path component matches (fnmatch, shell glob)
 *   -type C         f d l c b p s
 *   -maxdepth N / -mindepth N   (global options, as GNU find)
 *   -print          print the path (the default action when none is given)
 *   -exec CMD {} ;  run CMD with {} replaced by the path; true if it
 *                   exited 0
 * Paths default to "."; symbolic links are not followed. Output is in
 * directory order (readdir), as GNU find's.
 */
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { T_NAME, T_TYPE, T_PRINT, T_EXEC };

struct test {
	int kind;
	const char *arg;
	char **argv;   /* -exec: the command, {} still in */
	int argc;
};

static struct test tests[64];
static int ntests, has_action, status;
static int maxdepth = -1, mindepth;

static void usage(void)
{
	fprintf(stderr, "usage: find [path...] [-name PAT] [-type C] [-maxdepth N] "
	        "[-mindepth N] [-print] [-exec CMD {} ;]\n");
	exit(2);
}

static int type_char(mode_t m)
{
	if (S_ISREG(m)) return 'f';
	if (S_ISDIR(m)) return 'd';
	if (S_ISLNK(m)) return 'l';
	if (S_ISCHR(m)) return 'c';
	if (S_ISBLK(m)) return 'b';
	if (S_ISFIFO(m)) return 'p';
	if (S_ISSOCK(m)) return 's';
	return '?';
}

static int run_exec(struct test *t, const char *path)
{
	char *argv[t->argc + 1];
	for (int i = 0; i < t->argc; i++)
		argv[i] = strcmp(t->argv[i], "{}") ? t->argv[i] : (char *)path;
	argv[t->argc] = NULL;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("find: fork");
		return 0;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "find: '%s': No such file or directory\n", argv[0]);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void visit(const char *path, const struct stat *st)
{
	const char *base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	for (int i = 0; i < ntests; i++) {
		struct test *t = &tests[i];
		switch (t->kind) {
		case T_NAME:
			if (fnmatch(t->arg, base, 0))
				return;
			break;
		case T_TYPE:
			if (type_char(st->st_mode) != t->arg[0])
				return;
			break;
		case T_PRINT:
			printf("%s\n", path);
			break;
		case T_EXEC:
			if (!run_exec(t, path))
				return;
			break;
		}
	}
	if (!has_action)
		printf("%s\n", path);
}

static void walk(const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "find: '%s': No such file or directory\n", path);
		status = 1;
		return;
	}
	if (depth >= mindepth)
		visit(path, &st);
	if (!S_ISDIR(st.st_mode) || (maxdepth >= 0 && depth >= maxdepth))
		return;
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "find: '%s': Permission denied\n", path);
		status = 1;
		return;
	}
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
		walk(sub, depth + 1);
		free(sub);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	int i = 1;
	while (i < argc && argv[i][0] != '-')
		i++;
	int first_expr = i;
	while (i < argc) {
		const char *a = argv[i++];
		if (ntests == 64)
			usage();
		struct test *t = &tests[ntests];
		if (!strcmp(a, "-name") || !strcmp(a, "-type")) {
			if (i >= argc)
				usage();
			t->kind = a[1] == 'n' ? T_NAME : T_TYPE;
			t->arg = argv[i++];
			if (t->kind == T_TYPE && (strlen(t->arg) != 1 || !strchr("fdlcbps", t->arg[0]))) {
				fprintf(stderr, "find: Unknown argument to -type: %s\n", t->arg);
				return 1;
			}
			ntests++;
		} else if (!strcmp(a, "-maxdepth") || !strcmp(a, "-mindepth")) {
			if (i >= argc)
				usage();
			char *end;
			long v = strtol(argv[i++], &end, 10);
			if (*end || v < 0)
				usage();
			if (a[2] == 'a')
				maxdepth = (int)v;
			else
				mindepth = (int)v;
		} else if (!strcmp(a, "-print")) {
			t->kind = T_PRINT;
			has_action = 1;
			ntests++;
		} else if (!strcmp(a, "-exec")) {
			t->kind = T_EXEC;
			t->argv = &argv[i];
			while (i < argc && strcmp(argv[i], ";"))
				i++;
			if (i >= argc || i == t->argv - argv) {
				fprintf(stderr, "find: missing argument to `-exec'\n");
				return 1;
			}
			t->argc = (int)(&argv[i] - t->argv);
			i++;
			has_action = 1;
			ntests++;
		} else {
			fprintf(stderr, "find: unknown predicate `%s'\n", a);
			usage();
		}
	}
	if (first_expr == 1)
		walk(".", 0);
	for (int k = 1; k < first_expr; k++)
		walk(argv[k], 0);
	return status;
}
