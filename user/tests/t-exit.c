/*
 * user/tests/t-exit.c - t-exit N: exit with status N (0-255), so that the
 * shell's $? and the kernel's exit/wait path can be checked:
 * `t-exit 3; echo $?` must print 3.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	char *end;
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: t-exit N\n");
		return 2;
	}
	n = strtol(argv[1], &end, 10);
	if (!*argv[1] || *end || n < 0 || n > 255) {
		fprintf(stderr, "t-exit: %s: not a number from 0 to 255\n", argv[1]);
		return 2;
	}
	exit((int)n);
}
