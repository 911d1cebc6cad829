/*
 * user/coreutils/realpath.c - realpath [-emqsz] file...: print the
 * canonical absolute name of each file (user/lib/canon.c: links followed,
 * . and .. resolved). Like GNU, the last component need not exist unless
 * -e, and none with -m; -s does not follow links (names cleaned up only);
 * -q hides errors; -z ends names with NUL.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canon.h"

int main(int argc, char **argv)
{
	int opt, quiet = 0, no_links = 0, zero = 0, status = 0;
	enum canon_mode mode = CANON_ALL_BUT_LAST;
	while ((opt = getopt(argc, argv, "emqsz")) != -1) {
		switch (opt) {
		case 'e': mode = CANON_EXISTING; break;
		case 'm': mode = CANON_MISSING; break;
		case 'q': quiet = 1; break;
		case 's': no_links = 1; break;
		case 'z': zero = 1; break;
		default:
			fprintf(stderr, "usage: realpath [-emqsz] file...\n");
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "realpath: missing operand\nusage: realpath [-emqsz] file...\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		char out[PATH_MAX];
		if (!canonicalize(argv[i], mode, !no_links, out)) {
			if (!quiet)
				fprintf(stderr, "realpath: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		fputs(out, stdout);
		putchar(zero ? 0 : '\n');
	}
	return fflush(stdout) ? 1 : status;
}
