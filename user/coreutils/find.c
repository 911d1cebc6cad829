/*
 * user/coreutils/find.c - find [path...] [expression]: walk directory
 * trees and evaluate an expression on every file, like GNU find.
 *
 * The expression is parsed once into a tree (struct node), by recursive
 * descent over POSIX find's grammar:
 *     or   := and { -o and }          and := not { [-a] not }
 *     not  := ! not | ( or ) | primary
 * and evaluated per file with short-circuit, left to right. When it has
 * no action (-print, -print0, -exec, -ok, -delete), it runs as
 * "( expr ) -print", as POSIX says.
 *
 * Tests: -name -iname -path -ipath (fnmatch), -type C, -size [+-]N[cwbkMG]
 * (rounded up to the unit, as GNU), -empty, -newer F, -perm [-/]OCTAL,
 * -mtime/-mmin [+-]N, -user, -group, -uid, -gid, -links [+-]N, -true,
 * -false. Actions: -print, -print0, -exec CMD {} ; (true if it exits 0),
 * -exec CMD {} + (paths gathered, run in batches), -delete, -prune,
 * -quit. Options: -maxdepth N, -mindepth N, -depth (contents before
 * their directory; implied by -delete).
 *
 * Paths default to "."; symbolic links are not followed. Order is
 * directory order (readdir), as GNU find's. Errors name the path as GNU
 * does ("find: 'x': No such file or directory") and make the status 1;
 * a bad expression is a usage error: status 2 (GNU find says 1; 2 is the
 * rule for usage errors of every RayOS tool).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum kind {
	N_AND, N_OR, N_NOT,
	N_NAME, N_INAME, N_PATH, N_IPATH, N_TYPE, N_SIZE, N_EMPTY, N_NEWER,
	N_PERM, N_MTIME, N_MMIN, N_UID, N_GID, N_LINKS, N_TRUE, N_FALSE,
	N_PRINT, N_PRINT0, N_EXEC, N_EXECPLUS, N_DELETE, N_PRUNE, N_QUIT,
};

struct node {
	enum kind kind;
	struct node *l, *r;
	const char *arg;
	long long num;
	int cmp;            /* -1 less than, 0 exactly, 1 more than */
	long long unit;     /* -size */
	int permhow;        /* -perm: 0 exact, '-' all of, '/' any of */
	struct timespec t;  /* -newer */
	char **argv;        /* -exec: the command, {} still in */
	int argc;
	/* -exec +: paths gathered so far */
	char **batch;
	int nbatch;
	size_t batch_bytes;
};

static char **args;
static struct node *expr;
static int nargs, pos;
static int maxdepth = -1, mindepth, depth_first, status;
static time_t now;

static void usage(void)
{
	fprintf(stderr, "usage: find [path...] [-maxdepth N] [-mindepth N] [-depth] "
	        "[expression]\n");
	exit(2);
}

static void *xcalloc(size_t n)
{
	void *p = calloc(1, n);
	if (!p) {
		fprintf(stderr, "find: out of memory\n");
		exit(1);
	}
	return p;
}

/* ---- parsing ---- */

static const char *next_arg(const char *pred)
{
	if (pos >= nargs) {
		fprintf(stderr, "find: missing argument to `%s'\n", pred);
		exit(2);
	}
	return args[pos++];
}

/* [+-]N: cmp and value. */
static long long number(const char *pred, const char *s, int *cmp, char **end)
{
	*cmp = *s == '+' ? 1 : *s == '-' ? -1 : 0;
	if (*s == '+' || *s == '-')
		s++;
	char *e;
	errno = 0;
	long long v = strtoll(s, &e, 10);
	if (e == s || errno || v < 0 || (!end && *e)) {
		fprintf(stderr, "find: invalid argument `%s' to `%s'\n", s, pred);
		exit(2);
	}
	if (end)
		*end = e;
	return v;
}

static struct node *parse_or(void);

static struct node *primary(void)
{
	const char *a = args[pos++];
	struct node *n = xcalloc(sizeof(*n));
	static const struct { const char *name; enum kind kind; int takes_arg; } simple[] = {
		{ "-name", N_NAME, 1 }, { "-iname", N_INAME, 1 }, { "-path", N_PATH, 1 },
		{ "-wholename", N_PATH, 1 }, { "-ipath", N_IPATH, 1 },
		{ "-empty", N_EMPTY, 0 }, { "-true", N_TRUE, 0 }, { "-false", N_FALSE, 0 },
		{ "-print", N_PRINT, 0 }, { "-print0", N_PRINT0, 0 },
		{ "-delete", N_DELETE, 0 }, { "-prune", N_PRUNE, 0 }, { "-quit", N_QUIT, 0 },
	};
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (!strcmp(a, simple[i].name)) {
			n->kind = simple[i].kind;
			if (simple[i].takes_arg)
				n->arg = next_arg(a);
			if (n->kind == N_DELETE)
				depth_first = 1;
			return n;
		}
	if (!strcmp(a, "-type")) {
		n->kind = N_TYPE;
		n->arg = next_arg(a);
		if (strlen(n->arg) != 1 || !strchr("fdlcbps", n->arg[0])) {
			fprintf(stderr, "find: Unknown argument to -type: %s\n", n->arg);
			exit(2);
		}
	} else if (!strcmp(a, "-size")) {
		char *e;
		n->kind = N_SIZE;
		n->num = number(a, next_arg(a), &n->cmp, &e);
		switch (*e) {
		case 'c': n->unit = 1; break;
		case 'w': n->unit = 2; break;
		case 'k': n->unit = 1024; break;
		case 'M': n->unit = 1024 * 1024; break;
		case 'G': n->unit = 1024LL * 1024 * 1024; break;
		case 'b': case 0: n->unit = 512; break;
		default:
			fprintf(stderr, "find: invalid -size type `%c'\n", *e);
			exit(2);
		}
		if (*e && e[1]) {
			fprintf(stderr, "find: invalid -size `%s'\n", args[pos - 1]);
			exit(2);
		}
	} else if (!strcmp(a, "-mtime") || !strcmp(a, "-mmin") ||
	           !strcmp(a, "-links") || !strcmp(a, "-uid") || !strcmp(a, "-gid")) {
		n->kind = a[2] == 't' ? N_MTIME : a[2] == 'm' ? N_MMIN :
		          a[1] == 'l' ? N_LINKS : a[1] == 'u' ? N_UID : N_GID;
		n->num = number(a, next_arg(a), &n->cmp, NULL);
	} else if (!strcmp(a, "-user") || !strcmp(a, "-group")) {
		const char *v = next_arg(a);
		char *e;
		n->kind = a[1] == 'u' ? N_UID : N_GID;
		if (n->kind == N_UID) {
			struct passwd *pw = getpwnam(v);
			n->num = pw ? (long long)pw->pw_uid : strtoll(v, &e, 10);
			if (!pw && (!*v || *e)) {
				fprintf(stderr, "find: '%s' is not the name of a known user\n", v);
				exit(2);
			}
		} else {
			struct group *gr = getgrnam(v);
			n->num = gr ? (long long)gr->gr_gid : strtoll(v, &e, 10);
			if (!gr && (!*v || *e)) {
				fprintf(stderr, "find: '%s' is not the name of an existing group\n", v);
				exit(2);
			}
		}
	} else if (!strcmp(a, "-newer")) {
		struct stat st;
		n->kind = N_NEWER;
		n->arg = next_arg(a);
		if (stat(n->arg, &st) < 0) {
			fprintf(stderr, "find: '%s': %s\n", n->arg, strerror(errno));
			exit(1);
		}
		n->t = st.st_mtim;
	} else if (!strcmp(a, "-perm")) {
		const char *v = next_arg(a);
		char *e;
		n->kind = N_PERM;
		n->permhow = *v == '-' || *v == '/' ? *v++ : 0;
		n->num = strtol(v, &e, 8);
		if (!*v || *e || n->num > 07777) {
			fprintf(stderr, "find: invalid mode `%s'\n", v);
			exit(2);
		}
	} else if (!strcmp(a, "-exec") || !strcmp(a, "-ok")) {
		if (a[1] == 'o') {
			fprintf(stderr, "find: -ok is not supported (no prompting)\n");
			exit(2);
		}
		n->kind = N_EXEC;
		n->argv = &args[pos];
		while (pos < nargs && strcmp(args[pos], ";") &&
		       !(strcmp(args[pos], "+") == 0 && pos > 0 && !strcmp(args[pos - 1], "{}")))
			pos++;
		if (pos >= nargs || &args[pos] == n->argv) {
			fprintf(stderr, "find: missing argument to `-exec'\n");
			exit(2);
		}
		if (!strcmp(args[pos], "+"))
			n->kind = N_EXECPLUS;
		n->argc = (int)(&args[pos] - n->argv);
		pos++;
	} else {
		fprintf(stderr, "find: unknown predicate `%s'\n", a);
		usage();
	}
	return n;
}

static struct node *binary(enum kind k, struct node *l, struct node *r)
{
	struct node *n = xcalloc(sizeof(*n));
	n->kind = k;
	n->l = l;
	n->r = r;
	return n;
}

static struct node *parse_not(void)
{
	if (pos >= nargs) {
		fprintf(stderr, "find: expected an expression\n");
		usage();
	}
	if (!strcmp(args[pos], "!") || !strcmp(args[pos], "-not")) {
		pos++;
		return binary(N_NOT, parse_not(), NULL);
	}
	if (!strcmp(args[pos], "(")) {
		pos++;
		struct node *n = parse_or();
		if (pos >= nargs || strcmp(args[pos], ")")) {
			fprintf(stderr, "find: invalid expression; I was expecting to find a ')' somewhere but did not see one.\n");
			exit(2);
		}
		pos++;
		return n;
	}
	return primary();
}

static int ends_and(void)
{
	return pos >= nargs || !strcmp(args[pos], "-o") || !strcmp(args[pos], "-or") ||
	       !strcmp(args[pos], ")");
}

static struct node *parse_and(void)
{
	struct node *n = parse_not();
	while (!ends_and()) {
		if (!strcmp(args[pos], "-a") || !strcmp(args[pos], "-and"))
			pos++;
		n = binary(N_AND, n, parse_not());
	}
	return n;
}

static struct node *parse_or(void)
{
	struct node *n = parse_and();
	while (pos < nargs && (!strcmp(args[pos], "-o") || !strcmp(args[pos], "-or"))) {
		pos++;
		n = binary(N_OR, n, parse_and());
	}
	return n;
}

static int has_action(const struct node *n)
{
	if (!n)
		return 0;
	switch (n->kind) {
	case N_PRINT: case N_PRINT0: case N_EXEC: case N_EXECPLUS: case N_DELETE:
		return 1;
	default:
		return has_action(n->l) || has_action(n->r);
	}
}

/* ---- running commands ---- */

static int run(char **argv)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "find: fork: %s\n", strerror(errno));
		return 0;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "find: '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int run_exec(struct node *n, const char *path)
{
	char *argv[n->argc + 1];
	for (int i = 0; i < n->argc; i++) {
		/* GNU replaces {} also inside a word: "x{}y". */
		const char *w = n->argv[i], *b = strstr(w, "{}");
		if (!b) {
			argv[i] = (char *)w;
			continue;
		}
		size_t len = strlen(w) + strlen(path) + 1;
		argv[i] = xcalloc(len);
		snprintf(argv[i], len, "%.*s%s%s", (int)(b - w), w, path, b + 2);
	}
	argv[n->argc] = NULL;
	int ok = run(argv);
	for (int i = 0; i < n->argc; i++)
		if (argv[i] != n->argv[i])
			free(argv[i]);
	return ok;
}

/* -exec CMD {} +: run with the gathered paths in place of the final {}. */
static void flush_batch(struct node *n)
{
	if (!n->nbatch)
		return;
	int k = n->argc - 1;   /* the {} */
	char **argv = xcalloc(sizeof(char *) * (size_t)(k + n->nbatch + 1));
	memcpy(argv, n->argv, sizeof(char *) * (size_t)k);
	memcpy(argv + k, n->batch, sizeof(char *) * (size_t)n->nbatch);
	if (!run(argv))
		status = 1;
	for (int i = 0; i < n->nbatch; i++)
		free(n->batch[i]);
	free(argv);
	n->nbatch = 0;
	n->batch_bytes = 0;
}

static void batch_add(struct node *n, const char *path)
{
	if (n->nbatch == 1024 || n->batch_bytes > 64 * 1024)
		flush_batch(n);
	if (!n->batch)
		n->batch = xcalloc(sizeof(char *) * 1024);
	n->batch[n->nbatch++] = strdup(path);
	n->batch_bytes += strlen(path) + 1;
}

static void flush_all(struct node *n)
{
	if (!n)
		return;
	if (n->kind == N_EXECPLUS)
		flush_batch(n);
	flush_all(n->l);
	flush_all(n->r);
}

/* ---- evaluation ---- */

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

static int compare(long long v, const struct node *n)
{
	return n->cmp > 0 ? v > n->num : n->cmp < 0 ? v < n->num : v == n->num;
}

static int is_empty(const char *path, const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return st->st_size == 0;
	if (!S_ISDIR(st->st_mode))
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *e;
	int empty = 1;
	while (empty && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* prune: set when -prune was true for this file. */
static int eval(struct node *n, const char *path, const struct stat *st,
                int *prune)
{
	const char *base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	switch (n->kind) {
	case N_AND:
		return eval(n->l, path, st, prune) && eval(n->r, path, st, prune);
	case N_OR:
		return eval(n->l, path, st, prune) || eval(n->r, path, st, prune);
	case N_NOT:
		return !eval(n->l, path, st, prune);
	case N_NAME:
		return !fnmatch(n->arg, base, 0);
	case N_INAME:
		return !fnmatch(n->arg, base, FNM_CASEFOLD);
	case N_PATH:
		return !fnmatch(n->arg, path, 0);
	case N_IPATH:
		return !fnmatch(n->arg, path, FNM_CASEFOLD);
	case N_TYPE:
		return type_char(st->st_mode) == n->arg[0];
	case N_SIZE: {
		long long units = (st->st_size + n->unit - 1) / n->unit;
		return compare(units, n);
	}
	case N_EMPTY:
		return is_empty(path, st);
	case N_NEWER:
		return st->st_mtim.tv_sec > n->t.tv_sec ||
		       (st->st_mtim.tv_sec == n->t.tv_sec && st->st_mtim.tv_nsec > n->t.tv_nsec);
	case N_PERM: {
		mode_t m = st->st_mode & 07777, want = (mode_t)n->num;
		if (n->permhow == '-')
			return (m & want) == want;
		if (n->permhow == '/')
			return want ? (m & want) != 0 : 1;
		return m == want;
	}
	case N_MTIME:
		return compare((now - st->st_mtime) / 86400, n);
	case N_MMIN:
		return compare((now - st->st_mtime + 59) / 60, n);
	case N_UID:
		return compare(st->st_uid, n);
	case N_GID:
		return compare(st->st_gid, n);
	case N_LINKS:
		return compare((long long)st->st_nlink, n);
	case N_TRUE:
		return 1;
	case N_FALSE:
		return 0;
	case N_PRINT:
		printf("%s\n", path);
		return 1;
	case N_PRINT0:
		fputs(path, stdout);
		putchar(0);
		return 1;
	case N_EXEC:
		return run_exec(n, path);
	case N_EXECPLUS:
		batch_add(n, path);
		return 1;
	case N_DELETE:
		if (!strcmp(path, "."))
			return 1;
		if ((S_ISDIR(st->st_mode) ? rmdir(path) : unlink(path)) < 0) {
			fprintf(stderr, "find: cannot delete '%s': %s\n", path, strerror(errno));
			status = 1;
			return 0;
		}
		return 1;
	case N_PRUNE:
		*prune = 1;
		return 1;
	case N_QUIT:
		/* Now, without finishing the expression (GNU), but after the
		 * pending -exec + batches. */
		flush_all(expr);
		exit(fflush(stdout) ? 1 : status);
	}
	return 0;
}

static void walk(const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "find: '%s': %s\n", path, strerror(errno));
		status = 1;
		return;
	}
	int prune = 0;
	int visit = depth >= mindepth;
	if (visit && !depth_first)
		eval(expr, path, &st, &prune);
	if (S_ISDIR(st.st_mode) && !prune &&
	    (maxdepth < 0 || depth < maxdepth)) {
		DIR *d = opendir(path);
		if (!d) {
			fprintf(stderr, "find: '%s': %s\n", path, strerror(errno));
			status = 1;
		} else {
			struct dirent *e;
			size_t plen = strlen(path);
			while ((e = readdir(d))) {
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
					continue;
				size_t n = plen + strlen(e->d_name) + 2;
				char *sub = malloc(n);
				if (!sub)
					continue;
				snprintf(sub, n, "%s%s%s", path,
				         plen && path[plen - 1] == '/' ? "" : "/", e->d_name);
				walk(sub, depth + 1);
				free(sub);
			}
			closedir(d);
		}
	}
	if (visit && depth_first)
		eval(expr, path, &st, &prune);
}

int main(int argc, char **argv)
{
	now = time(NULL);
	int first_expr = 1;
	while (first_expr < argc && argv[first_expr][0] != '-' &&
	       strcmp(argv[first_expr], "(") && strcmp(argv[first_expr], "!"))
		first_expr++;
	/* Global options may come anywhere in the expression; take them out. */
	args = xcalloc(sizeof(char *) * (size_t)(argc + 1));
	for (int i = first_expr; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-maxdepth") || !strcmp(a, "-mindepth")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "find: missing argument to `%s'\n", a);
				return 2;
			}
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 0 || !*argv[i]) {
				fprintf(stderr, "find: Expected a positive decimal integer argument to %s, but got `%s'\n",
				        a, argv[i]);
				return 2;
			}
			if (a[2] == 'a')
				maxdepth = (int)v;
			else
				mindepth = (int)v;
		} else if (!strcmp(a, "-depth") || !strcmp(a, "-d")) {
			depth_first = 1;
		} else {
			args[nargs++] = argv[i];
			/* Keep an -exec's words, which may look like options. */
			if (!strcmp(a, "-exec") || !strcmp(a, "-ok"))
				while (i + 1 < argc) {
					args[nargs++] = argv[++i];
					if (!strcmp(argv[i], ";") ||
					    (!strcmp(argv[i], "+") && !strcmp(argv[i - 1], "{}")))
						break;
				}
		}
	}
	if (nargs) {
		expr = parse_or();
		if (pos < nargs) {
			fprintf(stderr, "find: unexpected `%s'\n", args[pos]);
			usage();
		}
	}
	if (!expr || !has_action(expr)) {
		struct node *print = xcalloc(sizeof(*print));
		print->kind = N_PRINT;
		expr = expr ? binary(N_AND, expr, print) : print;
	}
	if (first_expr == 1)
		walk(".", 0);
	for (int k = 1; k < first_expr; k++)
		walk(argv[k], 0);
	flush_all(expr);
	if (fflush(stdout))
		status = 1;
	return status;
}
