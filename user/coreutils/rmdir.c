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
	int opt, parents = 0, verbose = 0, status = 0;

	while ((opt = getopt(argc, argv, "pv")) != -1) {
		if (opt == 'p')
			parents = 1;
		else if (opt == 'v')
			verbose = 1;
		else {
			fprintf(stderr, "usage: rmdir [-pv] dir...\n");
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "usage: rmdir [-pv] dir...\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		char *p = argv[i];
		size_t len = strlen(p);
		for (;;) {
			if (verbose) {
				printf("rmdir: removing directory, '%s'\n", p);
				fflush(stdout);   /* in order with the errors */
			}
			if (rmdir(p) < 0) {
				/* GNU words it differently for the parents of -p. */
				fprintf(stderr, "rmdir: failed to remove %s'%s': %s\n",
				        p != argv[i] || strlen(p) != len ? "directory " : "", p,
				        strerror(errno));
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
