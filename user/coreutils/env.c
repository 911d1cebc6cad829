/*
 * user/coreutils/env.c - env [-i] [-u NAME] [NAME=value...] [command
 * [arg...]]: run command (found on PATH) with a modified environment, or
 * print the environment. -i starts from an empty one, -u removes NAME.
 * Status 127 if the command is not found, 126 if it cannot be run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int i = 1;
	static char *empty[] = { NULL };

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "-") == 0) {
			environ = empty;
		} else if (strcmp(argv[i], "-u") == 0 && i + 1 < argc) {
			unsetenv(argv[++i]);
		} else {
			fprintf(stderr, "usage: env [-i] [-u NAME] [NAME=value...] [command [arg...]]\n");
			return 2;
		}
	}
	for (; i < argc && strchr(argv[i], '='); i++) {
		if (putenv(argv[i]) != 0) {
			fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
			return 125;
		}
	}
	if (i == argc) {
		for (char **e = environ; *e; e++)
			puts(*e);
		return fflush(stdout) ? 1 : 0;
	}
	execvp(argv[i], argv + i);
	int err = errno;
	fprintf(stderr, "env: %s: %s\n", argv[i], strerror(err));
	return err == ENOENT ? 127 : 126;
}
