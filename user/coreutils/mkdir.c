/*
 * user/coreutils/mkdir.c - mkdir [-p] [-m MODE] dir...: create
 * directories. -p creates missing parents and accepts existing
 * directories; -m sets the mode (octal, or symbolic relative to a=rwx,
 * e.g. "u=rwx,go=rx") of the named directory regardless of the umask.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Octal or symbolic MODE applied to base; returns -1 if invalid. */
static long parse_mode(const char *s, mode_t base)
{
	char *end;
	long m = strtol(s, &end, 8);
	if (*s && !*end)
		return m >= 0 && m <= 07777 ? m : -1;
	m = base;
	for (;;) {
		int who = 0;
		for (; strchr("ugoa", *s) && *s; s++)
			who |= *s == 'u' ? 04700 : *s == 'g' ? 02070 : *s == 'o' ? 01007 : 07777;
		if (!who)
			who = 07777;
		if (!*s || !strchr("+-=", *s))
			return -1;
		while (*s && strchr("+-=", *s)) {
			char op = *s++;
			int bits = 0;
			for (; *s && strchr("rwxst", *s); s++)
				bits |= *s == 'r' ? 0444 : *s == 'w' ? 0222 : *s == 'x' ? 0111 :
					*s == 's' ? 06000 : 01000;
			bits &= who;
			if (op == '+') m |= bits;
			else if (op == '-') m &= ~bits;
			else m = (m & ~who) | bits;
		}
		if (!*s)
			return m;
		if (*s++ != ',')
			return -1;
	}
}

static int verbose;

static void created(const char *path)
{
	if (verbose) {
		printf("mkdir: created directory '%s'\n", path);
		fflush(stdout);   /* in order with the errors */
	}
}

static int make_parents(char *path, mode_t mode)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0777) == 0) {
			created(path);
		} else if (errno != EEXIST) {
			fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path, strerror(errno));
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, mode) < 0) {
		struct stat st;
		if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return 1;
		fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path, strerror(errno));
		return -1;
	}
	created(path);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, parents = 0, status = 0;
	long mode = -1;
	const char *mode_s = NULL;

	while ((opt = getopt(argc, argv, "pm:v")) != -1) {
		if (opt == 'p')
			parents = 1;
		else if (opt == 'm')
			mode_s = optarg;
		else if (opt == 'v')
			verbose = 1;
		else
			goto usage;
	}
	if (optind == argc)
		goto usage;
	if (mode_s) {
		mode_t um = umask(0);
		umask(um);
		mode = parse_mode(mode_s, 0777 & ~um);
		if (mode < 0) {
			fprintf(stderr, "mkdir: invalid mode '%s'\n", mode_s);
			return 1;
		}
	}
	for (int i = optind; i < argc; i++) {
		int r;
		if (parents) {
			r = make_parents(argv[i], 0777);
		} else {
			r = mkdir(argv[i], 0777);
			if (r < 0)
				fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", argv[i], strerror(errno));
			else
				created(argv[i]);
		}
		if (r < 0)
			status = 1;
		else if (r == 0 && mode >= 0 && chmod(argv[i], mode) < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
usage:
	fprintf(stderr, "usage: mkdir [-pv] [-m MODE] dir...\n");
	return 2;
}
