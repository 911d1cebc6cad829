/*
 * user/coreutils/grep.c - grep [-EFivnclqrsHh] [-e PATTERN] PATTERN [file...]
 *
 * Prints the lines matching a POSIX regular expression (basic, or extended
 * with -E; musl's regcomp/regexec), or a fixed string with -F.
 *   -i ignore case   -v invert   -n line numbers   -c count per file
 *   -l names of files that match   -q no output, status only
 *   -r recurse into directories (no file: ".")   -s no file error messages
 *   -H / -h always / never prefix lines with the file name (default:
 *   prefix when more than one file or -r)
 * Exit status: 0 some line matched, 1 none, 2 error (as GNU grep; an error
 * wins over a match unless -q found one).
 */
#define _GNU_SOURCE /* strcasestr */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int opt_i, opt_v, opt_n, opt_c, opt_l, opt_q, opt_r, opt_s, opt_F;
static int show_name;
static const char *pattern;
static regex_t re;
static int status = 1;   /* 0 after any match, 2 after an error */
static const char implicit_dot[] = ".";  /* -r without a file */

static void usage(void)
{
	fprintf(stderr, "usage: grep [-EFivnclqrsHh] [-e PATTERN] PATTERN [file...]\n");
	exit(2);
}

static int matches(const char *line)
{
	int m;
	if (opt_F)
		m = (opt_i ? strcasestr(line, pattern) : strstr(line, pattern)) != NULL;
	else
		m = regexec(&re, line, 0, NULL, 0) == 0;
	return m != opt_v;
}

static void grep_stream(FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0, count = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = 0;
		if (!matches(line))
			continue;
		count++;
		if (status != 2)
			status = 0;
		if (opt_q)
			exit(0);
		if (opt_l)
			break;
		if (opt_c)
			continue;
		if (show_name)
			printf("%s:", name);
		if (opt_n)
			printf("%ld:", lineno);
		printf("%s\n", line);
	}
	free(line);
	if (opt_l && count)
		printf("%s\n", name);
	else if (opt_c) {
		if (show_name)
			printf("%s:", name);
		printf("%ld\n", count);
	}
}

static void error(const char *path)
{
	if (!opt_s)
		fprintf(stderr, "grep: %s: %s\n", path, strerror(errno));
	status = 2;
}

static void grep_path(const char *path)
{
	struct stat st;
	if (!strcmp(path, "-")) {
		grep_stream(stdin, "(standard input)");
		return;
	}
	if (stat(path, &st) < 0) {
		error(path);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!opt_r) {
			if (!opt_s)
				fprintf(stderr, "grep: %s: Is a directory\n", path);
			status = 2;
			return;
		}
		DIR *d = opendir(path);
		if (!d) {
			error(path);
			return;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *sub = malloc(n);
			if (!sub)
				continue;
			/* With no file named, GNU grep -r names "./x" as "x". */
			if (path == implicit_dot)
				snprintf(sub, n, "%s", e->d_name);
			else
				snprintf(sub, n, "%s%s%s", path,
				         path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
			struct stat ls;
			/* Like GNU grep -r: do not follow symlinks inside the tree. */
			if (lstat(sub, &ls) == 0 && !S_ISLNK(ls.st_mode))
				grep_path(sub);
			free(sub);
		}
		closedir(d);
		return;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		error(path);
		return;
	}
	grep_stream(f, path);
	fclose(f);
}

int main(int argc, char **argv)
{
	int opt, ext = 0, name_opt = -1;
	while ((opt = getopt(argc, argv, "EFivnclqrsHhe:")) != -1) {
		switch (opt) {
		case 'E': ext = 1; break;
		case 'F': opt_F = 1; break;
		case 'i': opt_i = 1; break;
		case 'v': opt_v = 1; break;
		case 'n': opt_n = 1; break;
		case 'c': opt_c = 1; break;
		case 'l': opt_l = 1; break;
		case 'q': opt_q = 1; break;
		case 'r': opt_r = 1; break;
		case 's': opt_s = 1; break;
		case 'H': name_opt = 1; break;
		case 'h': name_opt = 0; break;
		case 'e': pattern = optarg; break;
		default: usage();
		}
	}
	if (!pattern) {
		if (optind >= argc)
			usage();
		pattern = argv[optind++];
	}
	if (!opt_F) {
		int flags = REG_NOSUB | (ext ? REG_EXTENDED : 0) | (opt_i ? REG_ICASE : 0);
		int err = regcomp(&re, pattern, flags);
		if (err) {
			char msg[128];
			regerror(err, &re, msg, sizeof(msg));
			fprintf(stderr, "grep: %s\n", msg);
			return 2;
		}
	}
	int nfiles = argc - optind;
	struct stat st;
	show_name = nfiles > 1 || (opt_r && (nfiles == 0 ||
	            (stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode))));
	if (name_opt >= 0)
		show_name = name_opt;
	if (nfiles == 0) {
		if (opt_r)
			grep_path(implicit_dot);
		else
			grep_stream(stdin, "(standard input)");
	}
	for (int i = optind; i < argc; i++)
		grep_path(argv[i]);
	if (fflush(stdout))
		return 2;
	return status;
}
