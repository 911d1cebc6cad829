/*
 * user/coreutils/which.c - which [-a] name...: print the path of the
 * executable file each name runs, searching PATH (names containing '/'
 * are checked as they are). -a prints every match. Status 1 if some name
 * was not found.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int executable(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

int main(int argc, char **argv)
{
	int opt, all = 0, status = 0;

	while ((opt = getopt(argc, argv, "a")) != -1) {
		if (opt != 'a') {
			fprintf(stderr, "usage: which [-a] name...\n");
			return 2;
		}
		all = 1;
	}
	if (optind == argc) {
		fprintf(stderr, "usage: which [-a] name...\n");
		return 2;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	for (int i = optind; i < argc; i++) {
		int found = 0;
		if (strchr(argv[i], '/')) {
			if (executable(argv[i]))
				puts(argv[i]), found = 1;
		} else {
			for (const char *p = path;; ) {
				const char *c = strchr(p, ':');
				size_t n = c ? (size_t)(c - p) : strlen(p);
				char full[PATH_MAX];
				snprintf(full, sizeof full, "%.*s/%s", (int)(n ? n : 1), n ? p : ".", argv[i]);
				if (executable(full)) {
					puts(full);
					found = 1;
					if (!all)
						break;
				}
				if (!c)
					break;
				p = c + 1;
			}
		}
		if (!found)
			status = 1;
	}
	return fflush(stdout) ? 1 : status;
}
