/*
 * user/coreutils/basename.c - basename NAME [SUFFIX], basename -a [-s
 * SUFFIX] NAME...: print NAME without its leading directories and trailing
 * slashes, and without SUFFIX if it ends with it (and is not all of it),
 * like GNU basename ("/" stays "/", "" gives "").
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void base(const char *name, const char *suffix)
{
	char buf[4096];
	size_t n;
	char *p;

	snprintf(buf, sizeof buf, "%s", name);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = 0;
	p = strrchr(buf, '/');
	if (p && p[1])
		p++;
	else
		p = buf;
	n = strlen(p);
	if (suffix && *suffix) {
		size_t s = strlen(suffix);
		if (n > s && strcmp(p + n - s, suffix) == 0)
			p[n - s] = 0;
	}
	puts(p);
}

int main(int argc, char **argv)
{
	int multi = 0, opt;
	const char *suffix = NULL;

	while ((opt = getopt(argc, argv, "as:")) != -1) {
		if (opt == 'a')
			multi = 1;
		else if (opt == 's')
			suffix = optarg, multi = 1;
		else
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	if (!multi) {
		if (argc - optind > 2)
			goto usage;
		base(argv[optind], argc - optind == 2 ? argv[optind + 1] : NULL);
	} else {
		for (int i = optind; i < argc; i++)
			base(argv[i], suffix);
	}
	return fflush(stdout) ? 1 : 0;
usage:
	fprintf(stderr, "usage: basename NAME [SUFFIX]\n       basename -a [-s SUFFIX] NAME...\n");
	return 2;
}
