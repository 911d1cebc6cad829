/*
 * user/coreutils/rmdir.c - rmdir [-p] dir...: remove empty directories;
 * -p also removes each parent named in the path ("a/b/c": c, b, a).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int opt, parents = 0, status = 0;

	while ((opt = getopt(argc, argv, "p")) != -1) {
		if (opt != 'p') {
			fprintf(stderr, "usage: rmdir [-p] dir...\n");
			return 2;
		}
		parents = 1;
	}
	if (optind == argc) {
		fprintf(stderr, "usage: rmdir [-p] dir...\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		char *p = argv[i];
		for (;;) {
			if (rmdir(p) < 0) {
				fprintf(stderr, "rmdir: failed to remove '%s': %s\n", p, strerror(errno));
				status = 1;
				break;
			}
			if (!parents)
				break;
			char *slash = strrchr(p, '/');
			while (slash && slash > p && slash[1] == 0) {
				*slash = 0;
				slash = strrchr(p, '/');
			}
			if (!slash || slash == p)
				break;
			*slash = 0;
		}
	}
	return status;
}
