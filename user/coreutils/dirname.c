/*
 * user/coreutils/dirname.c - dirname NAME...: print each NAME without its
 * last component and trailing slashes, like GNU dirname ("a" gives ".",
 * "/a" gives "/", "a/b/" gives "a"). No options.
 */
#include <stdio.h>
#include <string.h>

static void dir(const char *name)
{
	char buf[4096];
	size_t n;

	snprintf(buf, sizeof buf, "%s", name);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		n--;
	while (n > 0 && buf[n - 1] != '/')
		n--;
	if (n == 0) {
		puts(".");
		return;
	}
	while (n > 1 && buf[n - 1] == '/')
		n--;
	buf[n] = 0;
	puts(buf);
}

int main(int argc, char **argv)
{
	int i = 1;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1])
		i = argc + 1;
	if (i >= argc) {
		fprintf(stderr, "usage: dirname NAME...\n");
		return 2;
	}
	for (; i < argc; i++)
		dir(argv[i]);
	return fflush(stdout) ? 1 : 0;
}
