/*
 * user/coreutils/printenv.c - printenv [-0] [NAME...]: print the whole
 * environment (NAME=value lines), or the value of each NAME; the status is
 * 1 if some NAME is not set. -0 ends each entry with NUL, not newline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int opt, end = '\n', status = 0;

	while ((opt = getopt(argc, argv, "0")) != -1) {
		if (opt != '0') {
			fprintf(stderr, "usage: printenv [-0] [NAME...]\n");
			return 2;
		}
		end = 0;
	}
	if (optind == argc) {
		for (char **e = environ; *e; e++)
			printf("%s%c", *e, end);
	}
	for (int i = optind; i < argc; i++) {
		const char *v = getenv(argv[i]);
		if (v)
			printf("%s%c", v, end);
		else
			status = 1;
	}
	return fflush(stdout) ? 1 : status;
}
