/*
 * user/coreutils/xargs.c - xargs [-0rt] [-d DELIM] [-n N] [-L N] [-I REPL]
 * [command [arg...]]: run the command (default echo) with the arguments
 * read from standard input appended, at most N per run with -n, the words
 * of at most N lines with -L (otherwise as many as fit a limit of 4096).
 * Words are separated by blanks and newlines; '...', "..." and backslash
 * quote as in POSIX xargs; with -0 or -d each item ends at the delimiter
 * and is taken as it is. -I runs the command once per input line with
 * REPL replaced by the line. -r runs nothing for empty input. -t echoes
 * each command to stderr.
 * Exit status: 123 if some run failed, 127 command not found, 126 not
 * executable, 0 otherwise. Without -r the command runs once even with no input (as GNU).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXWORDS 4096

static int opt_t;

static int run(char **argv)
{
	if (opt_t) {
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
		fputc('\n', stderr);
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("xargs: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		int e = errno;
		fprintf(stderr, "xargs: %s: %s\n", argv[0], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return 1;
	if (WIFEXITED(st) && (WEXITSTATUS(st) == 127 || WEXITSTATUS(st) == 126))
		exit(WEXITSTATUS(st));
	return !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* How input splits into arguments: POSIX words (blanks, newlines and
 * quotes), or items ended by one delimiter (-0, -d) taken as they are. */
static int delim = -1;

static char *grow(char *w, size_t n, size_t *cap)
{
	if (n + 2 > *cap) {
		*cap *= 2;
		w = realloc(w, *cap);
		if (!w) {
			fprintf(stderr, "xargs: out of memory\n");
			exit(1);
		}
	}
	return w;
}

/* The next argument from stdin (malloc'd), or NULL at the end; *eol is
 * set when it ended a line (for -L and -I). */
static char *word(int *eol)
{
	int c;
	size_t n = 0, cap = 64;
	char *w;
	*eol = 0;
	if (delim >= 0) {
		c = getchar();
		if (c == EOF)
			return NULL;
		w = malloc(cap);
		for (; c != EOF && c != delim; c = getchar()) {
			w = grow(w, n, &cap);
			w[n++] = (char)c;
		}
		w[n] = 0;
		*eol = 1;
		return w;
	}
	while ((c = getchar()) == ' ' || c == '\t' || c == '\n')
		;
	if (c == EOF)
		return NULL;
	w = malloc(cap);
	int quote = 0;
	for (; c != EOF; c = getchar()) {
		if (!quote && (c == ' ' || c == '\t' || c == '\n')) {
			*eol = c == '\n';
			break;
		}
		if (quote && c == quote) {
			quote = 0;
			continue;
		}
		if (!quote && (c == '\'' || c == '"')) {
			quote = c;
			continue;
		}
		if (!quote && c == '\\') {
			c = getchar();
			if (c == EOF)
				break;
		}
		w = grow(w, n, &cap);
		w[n++] = (char)c;
	}
	if (quote) {
		fprintf(stderr, "xargs: unmatched %s quote; by default quotes are special "
		        "to xargs unless you use the -0 option\n",
		        quote == '"' ? "double" : "single");
		exit(1);
	}
	if (c == EOF)
		*eol = 1;
	w[n] = 0;
	return w;
}

/* -I: one input line (leading blanks dropped, the newline ends it). */
static char *input_line(void)
{
	int c;
	while ((c = getchar()) == ' ' || c == '\t')
		;
	if (c == EOF)
		return NULL;
	size_t n = 0, cap = 64;
	char *w = malloc(cap);
	for (; c != EOF && c != (delim >= 0 ? delim : '\n'); c = getchar()) {
		w = grow(w, n, &cap);
		w[n++] = (char)c;
	}
	w[n] = 0;
	return w;
}

/* A copy of s with every occurrence of r replaced by v. */
static char *replace(const char *s, const char *r, const char *v)
{
	size_t rl = strlen(r), vl = strlen(v), n = 0;
	for (const char *p = s; (p = strstr(p, r)); p += rl)
		n++;
	char *out = malloc(strlen(s) + n * vl + 1), *o = out;
	if (!out)
		exit(1);
	for (const char *p = s, *q; ; p = q + rl) {
		q = strstr(p, r);
		size_t k = q ? (size_t)(q - p) : strlen(p);
		memcpy(o, p, k);
		o += k;
		if (!q)
			break;
		memcpy(o, v, vl);
		o += vl;
	}
	*o = 0;
	return out;
}

static void usage(void)
{
	fprintf(stderr, "usage: xargs [-0rt] [-d DELIM] [-n N] [-L N] [-I REPL] "
	        "[command [arg...]]\n");
	exit(2);
}

static long count_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1) {
		fprintf(stderr, "xargs: invalid number \"%s\"\n", s);
		usage();
	}
	return v;
}

int main(int argc, char **argv)
{
	int opt, no_empty = 0;
	long per = MAXWORDS, per_lines = 0;
	const char *repl = NULL;
	while ((opt = getopt(argc, argv, "+0d:n:L:I:rt")) != -1) {
		switch (opt) {
		case '0': delim = 0; break;
		case 'd':
			if (optarg[0] == '\\' && optarg[1] == 'n' && !optarg[2])
				delim = '\n';
			else if (optarg[0] == '\\' && optarg[1] == 't' && !optarg[2])
				delim = '\t';
			else if (optarg[0] && !optarg[1])
				delim = (unsigned char)optarg[0];
			else {
				fprintf(stderr, "xargs: invalid delimiter \"%s\"\n", optarg);
				usage();
			}
			break;
		case 'n':   /* -n and -L: the last one counts, as GNU */
			per_lines = 0;
			per = count_arg(optarg);
			if (per > MAXWORDS)
				per = MAXWORDS;
			break;
		case 'L': per_lines = count_arg(optarg); per = MAXWORDS; break;
		case 'I': repl = optarg; break;
		case 'r': no_empty = 1; break;
		case 't': opt_t = 1; break;
		default:
			usage();
		}
	}
	static char *echo[] = { "echo", NULL };
	char **cmd = optind < argc ? argv + optind : echo;
	int ncmd = optind < argc ? argc - optind : 1;
	char **args = malloc((size_t)(ncmd + MAXWORDS + 1) * sizeof(char *));
	if (!args)
		return 1;
	int failed = 0, runs = 0;
	if (repl) {
		/* One command per input line, REPL replaced in every argument. */
		char *line;
		while ((line = input_line())) {
			for (int i = 0; i < ncmd; i++)
				args[i] = replace(cmd[i], repl, line);
			args[ncmd] = NULL;
			failed |= run(args);
			for (int i = 0; i < ncmd; i++)
				free(args[i]);
			free(line);
		}
		return failed ? 123 : 0;
	}
	memcpy(args, cmd, (size_t)ncmd * sizeof(char *));
	for (;;) {
		int n = 0, eol, lines = 0;
		char *w;
		while (n < per && (!per_lines || lines < per_lines) && (w = word(&eol))) {
			args[ncmd + n++] = w;
			lines += eol;
		}
		if (!n && (runs || no_empty))
			break;
		args[ncmd + n] = NULL;
		failed |= run(args);
		runs++;
		for (int i = 0; i < n; i++)
			free(args[ncmd + i]);
		if (!n || feof(stdin))
			break;
	}
	return failed ? 123 : 0;
}
