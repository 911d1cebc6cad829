/*
 * user/coreutils/test.c - test EXPRESSION, [ EXPRESSION ]: evaluate a
 * POSIX test expression; exit 0 if true, 1 if false, 2 on a syntax error
 * (with a message). Installed as /bin/test and /bin/[ (which requires the
 * closing "]").
 * Primaries: -e -f -d -b -c -p -S -h/-L -r -w -x -s -u -g -k FILE, -t FD,
 * -n / -z STRING, STRING, S1 = S2 (also ==), S1 != S2, S1 < S2, S1 > S2,
 * N1 -eq -ne -lt -le -gt -ge N2, F1 -nt -ot -ef F2; operators ! EXPR,
 * EXPR -a EXPR (binds tighter than -o), EXPR -o EXPR, ( EXPR ).
 * With 1 to 4 arguments the POSIX rules by argument count apply first
 * (so "test -n", "test ! =" and "[ = = = ]" mean what POSIX says).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char **args;
static int nargs, pos;
static const char *prog = "test";

static void syntax(const char *msg, const char *arg)
{
	if (arg)
		fprintf(stderr, "%s: %s: %s\n", prog, arg, msg);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
	exit(2);
}

static long long integer(const char *s)
{
	char *end;
	errno = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end || errno)
		syntax("integer expression expected", s);
	return v;
}

static int is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("efdbcpShLrwxsugktnz", s[1]);
}

static int is_binary(const char *s)
{
	static const char *ops[] = { "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt",
		"-le", "-gt", "-ge", "-nt", "-ot", "-ef", NULL };
	for (int i = 0; ops[i]; i++)
		if (strcmp(s, ops[i]) == 0)
			return 1;
	return 0;
}

static int unary(const char *op, const char *a)
{
	struct stat st;
	switch (op[1]) {
	case 'n': return *a != 0;
	case 'z': return *a == 0;
	case 't': return isatty(integer(a));
	case 'r': return access(a, R_OK) == 0;
	case 'w': return access(a, W_OK) == 0;
	case 'x': return access(a, X_OK) == 0;
	case 'h': case 'L': return lstat(a, &st) == 0 && S_ISLNK(st.st_mode);
	}
	if (stat(a, &st) < 0)
		return 0;
	switch (op[1]) {
	case 'e': return 1;
	case 'f': return S_ISREG(st.st_mode);
	case 'd': return S_ISDIR(st.st_mode);
	case 'b': return S_ISBLK(st.st_mode);
	case 'c': return S_ISCHR(st.st_mode);
	case 'p': return S_ISFIFO(st.st_mode);
	case 'S': return S_ISSOCK(st.st_mode);
	case 's': return st.st_size > 0;
	case 'u': return (st.st_mode & S_ISUID) != 0;
	case 'g': return (st.st_mode & S_ISGID) != 0;
	case 'k': return (st.st_mode & S_ISVTX) != 0;
	}
	return 0;
}

static int newer(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
	       (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec > b->st_mtim.tv_nsec);
}

static int binary(const char *a, const char *op, const char *b)
{
	if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0) return strcmp(a, b) == 0;
	if (strcmp(op, "!=") == 0) return strcmp(a, b) != 0;
	if (strcmp(op, "<") == 0) return strcmp(a, b) < 0;
	if (strcmp(op, ">") == 0) return strcmp(a, b) > 0;
	if (op[0] == '-' && (op[1] == 'n' || op[1] == 'o' || op[1] == 'e') && op[2] != 'q' && op[2] != 'e') {
		struct stat sa, sb;
		int ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
		if (strcmp(op, "-nt") == 0) return ha && (!hb || newer(&sa, &sb));
		if (strcmp(op, "-ot") == 0) return hb && (!ha || newer(&sb, &sa));
		return ha && hb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	}
	long long x = integer(a), y = integer(b);
	if (strcmp(op, "-eq") == 0) return x == y;
	if (strcmp(op, "-ne") == 0) return x != y;
	if (strcmp(op, "-lt") == 0) return x < y;
	if (strcmp(op, "-le") == 0) return x <= y;
	if (strcmp(op, "-gt") == 0) return x > y;
	return x >= y;
}

static int expr_or(void);

static const char *peek(int k)
{
	return pos + k < nargs ? args[pos + k] : NULL;
}

static int primary(void)
{
	const char *a = peek(0);
	if (!a)
		syntax("argument expected", NULL);
	if (strcmp(a, "!") == 0) {
		pos++;
		return !primary();
	}
	if (strcmp(a, "(") == 0) {
		pos++;
		int v = expr_or();
		if (!peek(0) || strcmp(peek(0), ")") != 0)
			syntax("')' expected", NULL);
		pos++;
		return v;
	}
	if (peek(1) && is_binary(peek(1)) && peek(2)) {
		pos += 3;
		return binary(a, args[pos - 2], args[pos - 1]);
	}
	if (is_unary(a) && peek(1)) {
		pos += 2;
		return unary(a, args[pos - 1]);
	}
	pos++;
	return *a != 0;
}

static int expr_and(void)
{
	int v = primary();
	while (peek(0) && strcmp(peek(0), "-a") == 0) {
		pos++;
		v = primary() && v;
	}
	return v;
}

static int expr_or(void)
{
	int v = expr_and();
	while (peek(0) && strcmp(peek(0), "-o") == 0) {
		pos++;
		v = expr_and() || v;
	}
	return v;
}

/* POSIX's rules for 0 to 4 arguments; -1 when they do not decide. */
static int by_count(char **a, int n)
{
	switch (n) {
	case 0:
		return 0;
	case 1:
		return a[0][0] != 0;
	case 2:
		if (strcmp(a[0], "!") == 0)
			return a[1][0] == 0;
		if (is_unary(a[0]))
			return unary(a[0], a[1]);
		syntax("unary operator expected", a[0]);
		break;
	case 3:
		if (is_binary(a[1]))
			return binary(a[0], a[1], a[2]);
		if (strcmp(a[0], "!") == 0) {
			int v = by_count(a + 1, 2);
			return v < 0 ? -1 : !v;
		}
		if (strcmp(a[0], "(") == 0 && strcmp(a[2], ")") == 0)
			return a[1][0] != 0;
		break;
	case 4:
		if (strcmp(a[0], "!") == 0) {
			int v = by_count(a + 1, 3);
			return v < 0 ? -1 : !v;
		}
		if (strcmp(a[0], "(") == 0 && strcmp(a[3], ")") == 0) {
			int v = by_count(a + 1, 2);
			return v;
		}
		break;
	}
	return -1;
}

int main(int argc, char **argv)
{
	const char *b = strrchr(argv[0], '/');
	b = b ? b + 1 : argv[0];
	if (strcmp(b, "[") == 0) {
		prog = "[";
		if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
			fprintf(stderr, "[: missing ']'\n");
			return 2;
		}
		argc--;
	}
	args = argv + 1;
	nargs = argc - 1;
	int v = by_count(args, nargs);
	if (v < 0) {
		v = expr_or();
		if (pos < nargs)
			syntax("extra argument", args[pos]);
	}
	return v ? 0 : 1;
}
