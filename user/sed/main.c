/*
 * user/sed/main.c - sed [-nsEr] [-i] [-e SCRIPT]... [-f FILE]... [SCRIPT]
 * [file...]: the options; the language is described in sed.h.
 *   -n  no automatic printing of the pattern space
 *   -e  script text (several join with newlines), -f a script file
 *   -E, -r  extended regular expressions
 *   -s  each file is its own stream ($ and line numbers per file)
 *   -i  edit the files in place (implies -s)
 * Exit status: 0; 1 for a bad script; 2 when an input file could not be
 * read; 4 for an I/O error; or what q/Q asked for.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sed.h"

int opt_n, opt_E, opt_s;

static void usage(void)
{
	fprintf(stderr, "usage: sed [-nsEri] [-e SCRIPT]... [-f FILE]... [SCRIPT] [file...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt, in_place = 0, have_script = 0;
	while ((opt = getopt(argc, argv, "nsErie:f:")) != -1) {
		switch (opt) {
		case 'n': opt_n = 1; break;
		case 's': opt_s = 1; break;
		case 'E': case 'r': opt_E = 1; break;
		case 'i': in_place = 1; break;
		case 'e':
			compile_script(optarg);
			have_script = 1;
			break;
		case 'f': {
			FILE *f = strcmp(optarg, "-") ? fopen(optarg, "r") : stdin;
			if (!f) {
				fprintf(stderr, "sed: couldn't open file %s\n", optarg);
				return 1;
			}
			char *line = NULL;
			size_t cap = 0;
			ssize_t n;
			while ((n = getline(&line, &cap, f)) >= 0) {
				if (n && line[n - 1] == '\n')
					line[n - 1] = 0;
				compile_script(line);
			}
			free(line);
			if (f != stdin)
				fclose(f);
			have_script = 1;
			break;
		}
		default: usage();
		}
	}
	if (!have_script) {
		if (optind >= argc)
			usage();
		compile_script(argv[optind++]);
	}
	compile_finish();
	if (in_place && optind == argc) {
		fprintf(stderr, "sed: no input files\n");
		return 1;
	}
	return execute(argv + optind, in_place);
}
