/*
 * user/coreutils/pwd.c - pwd [-LP]: print the working directory.
 *
 * -P (the default, as POSIX says for the utility, unlike the shell
 * built-in) prints getcwd(2)'s answer: the directory's real name, no
 * symbolic links. -L prints $PWD instead when it is an absolute name of
 * the same directory without "." or ".." components, which keeps the
 * symlinks a shell's cd went through; otherwise it falls back to -P.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* $PWD names this directory and is in the canonical form -L asks for. */
static int pwd_env_ok(const char *p)
{
	struct stat a, b;
	if (!p || p[0] != '/')
		return 0;
	for (const char *s = p; *s; s++)
		if (s[0] == '/' && s[1] == '.' &&
		    (s[2] == '/' || !s[2] || (s[2] == '.' && (s[3] == '/' || !s[3]))))
			return 0;
	return stat(p, &a) == 0 && stat(".", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int main(int argc, char **argv)
{
	int logical = 0, opt;
	while ((opt = getopt(argc, argv, "LP")) != -1) {
		switch (opt) {
		case 'L': logical = 1; break;
		case 'P': logical = 0; break;
		default:
			fprintf(stderr, "usage: pwd [-LP]\n");
			return 2;
		}
	}
	if (optind < argc)
		fprintf(stderr, "pwd: ignoring non-option arguments\n");
	const char *env = getenv("PWD");
	if (logical && pwd_env_ok(env)) {
		puts(env);
		return fflush(stdout) ? 1 : 0;
	}
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf))) {
		fprintf(stderr, "pwd: error retrieving current directory: %s\n",
		        strerror(errno));
		return 1;
	}
	puts(buf);
	return fflush(stdout) ? 1 : 0;
}
