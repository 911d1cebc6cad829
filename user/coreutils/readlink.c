/*
 * user/coreutils/readlink.c - readlink [-fenmqsvz] file...: print the
 * target of symbolic links (readlink(2)), or with -f/-e/-m the canonical
 * absolute name (user/lib/canon.c: every link followed, . and .. resolved):
 * -f all but the last component must exist, -e all of it, -m none of it. -n omits the
 * newline, -z ends with NUL instead. Status 1 when a name has no answer
 * (not a link; missing), quietly as GNU unless -v.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canon.h"

int main(int argc, char **argv)
{
	int opt, mode = 0, no_newline = 0, verbose = 0, zero = 0, status = 0;
	while ((opt = getopt(argc, argv, "femnqsvz")) != -1) {
		switch (opt) {
		case 'f': case 'e': case 'm': mode = opt; break;
		case 'n': no_newline = 1; break;
		case 'q': case 's': verbose = 0; break;
		case 'v': verbose = 1; break;
		case 'z': zero = 1; break;
		default:
			fprintf(stderr, "usage: readlink [-fenmqsvz] file...\n");
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "readlink: missing operand\nusage: readlink [-fenmqsvz] file...\n");
		return 2;
	}
	if (argc - optind > 1)
		no_newline = 0;   /* GNU: -n only with a single name */
	for (int i = optind; i < argc; i++) {
		char out[PATH_MAX];
		ssize_t n;
		if (mode) {
			enum canon_mode m = mode == 'e' ? CANON_EXISTING :
			                    mode == 'm' ? CANON_MISSING : CANON_ALL_BUT_LAST;
			if (!canonicalize(argv[i], m, 1, out)) {
				if (verbose)
					fprintf(stderr, "readlink: %s: %s\n", argv[i], strerror(errno));
				status = 1;
				continue;
			}
		} else if ((n = readlink(argv[i], out, sizeof(out) - 1)) < 0) {
			if (verbose)
				fprintf(stderr, "readlink: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		} else {
			out[n] = 0;
		}
		fputs(out, stdout);
		if (zero)
			putchar(0);
		else if (!no_newline)
			putchar('\n');
	}
	return fflush(stdout) ? 1 : status;
}
