/*
 * user/coreutils/grep.c - grep [-EFivnclLqrsHhowx] [-m N] [-A N] [-B N]
 * [-C N] [-e PATTERN]... [-f FILE] [PATTERN] [file...]
 *
 * Prints the lines matching any of the patterns: POSIX regular
 * expressions (basic, or extended with -E; musl's regcomp/regexec) or
 * fixed strings (-F). A pattern containing newlines is several patterns,
 * as in GNU grep.
 *   -i ignore case   -v invert   -n line numbers   -c count per file
 *   -l / -L names of files that match / do not   -q no output, status only
 *   -w the match must be a whole word, -x the whole line
 *   -o print only the matched parts, one per line
 *   -m N stop after N matching lines   -A/-B/-C N lines of context after /
 *   before / around, groups separated by "--", context lines marked '-'
 *   -r recurse into directories (no file: "."), not following symlinks
 *   below the top   -s no file error messages
 *   -H / -h always / never prefix lines with the file name (default:
 *   prefix when more than one file or -r)
 * Matching positions (-o, -w, -x) use the leftmost-longest match from
 * each starting point; -w tries again after a match that is not a word.
 * Exit status: 0 some line matched, 1 none, 2 error (as GNU grep; an error
 * wins over a match unless -q found one).
 */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int opt_i, opt_v, opt_n, opt_c, opt_l, opt_L, opt_q, opt_r, opt_s, opt_F;
static int opt_o, opt_w, opt_x;
static long opt_m = -1, after, before;
static int show_name;
static int status = 1;   /* 0 after any match, 2 after an error */
static const char implicit_dot[] = ".";  /* -r without a file */

struct pattern {
	char *text;
	regex_t re;
};
static struct pattern *pats;
static int npats;

static void usage(void)
{
	fprintf(stderr, "usage: grep [-EFivnclLqrsHhowx] [-m N] [-A N] [-B N] [-C N] "
	        "[-e PATTERN]... [-f FILE] [PATTERN] [file...]\n");
	exit(2);
}

/* Add the patterns in text, one per line. */
static void add_patterns(const char *text)
{
	const char *p = text;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		pats = realloc(pats, sizeof(*pats) * (size_t)(npats + 1));
		if (!pats) {
			fprintf(stderr, "grep: out of memory\n");
			exit(2);
		}
		pats[npats].text = strndup(p, len);
		npats++;
		if (!nl)
			break;
		p = nl + 1;
	}
}

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The leftmost match of pattern p in line at or after offset from:
 * [*so, *eo). 0 if there is none. */
static int find_one(struct pattern *p, const char *line, size_t len, size_t from,
                    size_t *so, size_t *eo)
{
	if (opt_F) {
		const char *t = p->text;
		const char *m = opt_i ? strcasestr(line + from, t) : strstr(line + from, t);
		if (!m)
			return 0;
		*so = (size_t)(m - line);
		*eo = *so + strlen(t);
		return 1;
	}
	regmatch_t rm;
	if (from > len || regexec(&p->re, line + from, 1, &rm, from ? REG_NOTBOL : 0))
		return 0;
	*so = from + (size_t)rm.rm_so;
	*eo = from + (size_t)rm.rm_eo;
	return 1;
}

/* The leftmost acceptable match of any pattern at or after from (for
 * -w and -x, acceptable means a whole word / the whole line). */
static int find_match(const char *line, size_t len, size_t from, size_t *so, size_t *eo)
{
	int found = 0;
	for (int i = 0; i < npats; i++) {
		size_t start = from, s, e;
		while (find_one(&pats[i], line, len, start, &s, &e)) {
			int ok = 1;
			if (opt_x)
				ok = s == 0 && e == len;
			else if (opt_w)
				ok = (s == 0 || !word_char(line[s - 1])) &&
				     (e == len || !word_char(line[e]));
			if (ok) {
				if (!found || s < *so || (s == *so && e > *eo)) {
					*so = s;
					*eo = e;
					found = 1;
				}
				break;
			}
			if (opt_x || s >= len)
				break;
			start = s + 1;
		}
	}
	return found;
}

static int matches(const char *line, size_t len)
{
	size_t so, eo;
	return find_match(line, len, 0, &so, &eo) != opt_v;
}

/* ---- output ---- */

static void prefix(const char *name, long lineno, char sep)
{
	if (show_name)
		printf("%s%c", name, sep);
	if (opt_n)
		printf("%ld%c", lineno, sep);
}

static void print_only(const char *name, long lineno, const char *line, size_t len)
{
	size_t from = 0, so, eo;
	while (from <= len && find_match(line, len, from, &so, &eo)) {
		if (eo > so) {
			prefix(name, lineno, ':');
			printf("%.*s\n", (int)(eo - so), line + so);
			from = eo;
		} else {
			from = so + 1;   /* an empty match prints nothing */
		}
	}
}

/* The -B lines kept while looking for the next match. */
struct held {
	char *text;
	long lineno;
};

static void grep_stream(FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0, count = 0, last_printed = 0, after_left = 0;
	struct held *ring = before ? calloc((size_t)before, sizeof(*ring)) : NULL;
	long nheld = 0, ring_start = 0;
	int context = after || before;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = 0;
		if (opt_m >= 0 && count >= opt_m) {
			/* GNU still prints the trailing context of the last match. */
			if (after_left-- > 0 && !matches(line, (size_t)len)) {
				prefix(name, lineno, '-');
				printf("%s\n", line);
				continue;
			}
			break;
		}
		if (!matches(line, (size_t)len)) {
			if (after_left > 0) {
				after_left--;
				prefix(name, lineno, '-');
				printf("%s\n", line);
				last_printed = lineno;
			} else if (before && !opt_c && !opt_l && !opt_L && !opt_q) {
				long slot = (ring_start + nheld) % before;
				if (nheld == before) {
					free(ring[ring_start].text);
					slot = ring_start;
					ring_start = (ring_start + 1) % before;
					nheld--;
				}
				ring[slot].text = strdup(line);
				ring[slot].lineno = lineno;
				nheld++;
			}
			continue;
		}
		count++;
		if (status != 2)
			status = 0;
		if (opt_q)
			exit(0);
		if (opt_l || opt_L)
			break;
		if (opt_c)
			continue;
		long first = nheld ? ring[ring_start].lineno : lineno;
		if (context && last_printed && first > last_printed + 1)
			printf("--\n");
		for (; nheld; nheld--, ring_start = (ring_start + 1) % before) {
			prefix(name, ring[ring_start].lineno, '-');
			printf("%s\n", ring[ring_start].text);
			free(ring[ring_start].text);
		}
		if (opt_o) {
			if (!opt_v)
				print_only(name, lineno, line, (size_t)len);
		} else {
			prefix(name, lineno, ':');
			printf("%s\n", line);
		}
		last_printed = lineno;
		after_left = after;
	}
	for (; nheld; nheld--, ring_start = (ring_start + 1) % before)
		free(ring[ring_start].text);
	free(ring);
	free(line);
	if (opt_l && count)
		printf("%s\n", name);
	else if (opt_L && !count)
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

static long count_arg(const char *s, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0) {
		fprintf(stderr, "grep: %s: invalid %s argument\n", s, what);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	int opt, ext = 0, name_opt = -1;
	while ((opt = getopt(argc, argv, "EFGivnclLqrRsHhowxe:f:m:A:B:C:")) != -1) {
		switch (opt) {
		case 'E': ext = 1; break;
		case 'F': opt_F = 1; break;
		case 'G': ext = 0; break;
		case 'i': opt_i = 1; break;
		case 'v': opt_v = 1; break;
		case 'n': opt_n = 1; break;
		case 'c': opt_c = 1; break;
		case 'l': opt_l = 1; break;
		case 'L': opt_L = 1; break;
		case 'q': opt_q = 1; break;
		case 'r': case 'R': opt_r = 1; break;
		case 's': opt_s = 1; break;
		case 'H': name_opt = 1; break;
		case 'h': name_opt = 0; break;
		case 'o': opt_o = 1; break;
		case 'w': opt_w = 1; break;
		case 'x': opt_x = 1; break;
		case 'e': add_patterns(optarg); break;
		case 'f': {
			FILE *f = strcmp(optarg, "-") ? fopen(optarg, "r") : stdin;
			if (!f) {
				fprintf(stderr, "grep: %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			char *l = NULL;
			size_t c = 0;
			ssize_t n;
			while ((n = getline(&l, &c, f)) >= 0) {
				if (n && l[n - 1] == '\n')
					l[n - 1] = 0;
				add_patterns(l);
			}
			free(l);
			if (f != stdin)
				fclose(f);
			break;
		}
		case 'm': opt_m = count_arg(optarg, "max count"); break;
		case 'A': after = count_arg(optarg, "context length"); break;
		case 'B': before = count_arg(optarg, "context length"); break;
		case 'C': after = before = count_arg(optarg, "context length"); break;
		default: usage();
		}
	}
	if (!npats && !pats) {
		if (optind >= argc)
			usage();
		add_patterns(argv[optind++]);
	}
	if (!opt_F) {
		for (int i = 0; i < npats; i++) {
			int flags = (ext ? REG_EXTENDED : 0) | (opt_i ? REG_ICASE : 0);
			int err = regcomp(&pats[i].re, pats[i].text, flags);
			if (err) {
				char msg[128];
				regerror(err, &pats[i].re, msg, sizeof(msg));
				fprintf(stderr, "grep: %s\n", msg);
				return 2;
			}
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
