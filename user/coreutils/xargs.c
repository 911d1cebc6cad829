/*
 * user/coreutils/xargs.c - xargs [-n N] [-t] [command [arg...]]: run the
 * command (default echo) with the words read from standard input appended,
 * at most N words per run with -n (otherwise as many as fit a limit of
 * 4096 words). Words are separated by blanks and newlines; '...', "..." and
 * backslash quote as in POSIX xargs. -t echoes each command to stderr.
 * Exit status: 123 if some run failed, 127 command not found, 126 not
 * executable, 0 otherwise. The command runs even with no input (as GNU).
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

/* The next word from stdin (malloc'd), or NULL at the end. */
static char *word(void)
{
	int c;
	while ((c = getchar()) == ' ' || c == '\t' || c == '\n')
		;
	if (c == EOF)
		return NULL;
	size_t n = 0, cap = 64;
	char *w = malloc(cap);
	int quote = 0;
	for (; c != EOF; c = getchar()) {
		if (!quote && (c == ' ' || c == '\t' || c == '\n'))
			break;
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
		if (n + 2 > cap)
			w = realloc(w, cap *= 2);
		if (!w)
			exit(1);
		w[n++] = (char)c;
	}
	if (quote) {
		fprintf(stderr, "xargs: unmatched %s quote\n", quote == '"' ? "double" : "single");
		exit(1);
	}
	w[n] = 0;
	return w;
}

int main(int argc, char **argv)
{
	int opt;
	long per = MAXWORDS;
	while ((opt = getopt(argc, argv, "+n:t")) != -1) {
		switch (opt) {
		case 'n': {
			char *end;
			per = strtol(optarg, &end, 10);
			if (*end || per < 1)
				goto usage;
			if (per > MAXWORDS)
				per = MAXWORDS;
			break;
		}
		case 't': opt_t = 1; break;
		default:
			goto usage;
		}
	}
	static char *echo[] = { "echo", NULL };
	char **cmd = optind < argc ? argv + optind : echo;
	int ncmd = optind < argc ? argc - optind : 1;
	char **args = malloc((size_t)(ncmd + MAXWORDS + 1) * sizeof(char *));
	if (!args)
		return 1;
	memcpy(args, cmd, (size_t)ncmd * sizeof(char *));
	int failed = 0, runs = 0;
	for (;;) {
		int n = 0;
		char *w;
		while (n < per && (w = word()))
			args[ncmd + n++] = w;
		if (!n && runs)
			break;
		args[ncmd + n] = NULL;
		failed |= run(args);
		runs++;
		for (int i = 0; i < n; i++)
			free(args[ncmd + i]);
		if (n < per)
			break;
	}
	return failed ? 123 : 0;
usage:
	fprintf(stderr, "usage: xargs [-n N] [-t] [command [arg...]]\n");
	return 2;
}
