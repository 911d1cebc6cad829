/*
 * user/coreutils/sed.c - sed [-nE] [-i] [-e SCRIPT]... [SCRIPT] [file...]:
 * a stream editor for a deliberate subset of POSIX sed.
 *
 * Commands, separated by ';' or newlines, each with an optional address
 * or address range and an optional '!' (negate):
 *   s/RE/REPLACEMENT/[g][p][N]  substitute (first, Nth, or all with g);
 *                               & is the match, \1..\9 groups, \n newline;
 *                               any delimiter character may replace '/'
 *   d  delete the line, start the next cycle     p  print the line
 *   q  print (unless -n) and quit                =  print the line number
 * Addresses: N (line number), $ (last line), /RE/; ranges A1,A2 as POSIX
 * (A2 a line number not after A1 ends the range at once).
 * Options: -n no automatic printing; -E extended regular expressions (-r
 * too); -e adds script text; -i edits files in place (through a temporary
 * file renamed over the original). Not implemented: hold space, a/i/c, y,
 * branches, blocks {}, w, and the empty regex meaning "the last one".
 * Regular expressions are musl's regcomp (BRE, or ERE with -E).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { A_NONE, A_LINE, A_LAST, A_RE };

struct addr {
	int type;
	long line;
	regex_t re;
};

struct cmd {
	struct addr a1, a2;
	int negate;
	int in_range;
	char op;
	regex_t re;        /* s */
	char *rep;         /* s: replacement, escapes still in */
	int global, print, nth;
};

static struct cmd cmds[256];
static int ncmds;
static int opt_n, opt_E;
static long lineno;
static int last_line;

static void die(const char *msg)
{
	fprintf(stderr, "sed: -e expression: %s\n", msg);
	exit(1);
}

/* Copy text up to an unescaped delim into a new string ("\delim" becomes
 * delim, other escapes are kept for regcomp / the replacement). */
static char *until(const char **pp, char delim)
{
	const char *p = *pp;
	size_t cap = strlen(p) + 1, n = 0;
	char *out = malloc(cap);
	if (!out)
		die("out of memory");
	while (*p && *p != delim) {
		if (*p == '\\' && p[1]) {
			if (p[1] == delim) {
				out[n++] = delim;
			} else if (p[1] == 'n') {
				out[n++] = '\n';
			} else {
				out[n++] = '\\';
				out[n++] = p[1];
			}
			p += 2;
			continue;
		}
		out[n++] = *p++;
	}
	if (*p != delim)
		die("unterminated `s' command");
	out[n] = 0;
	*pp = p + 1;
	return out;
}

static void compile(regex_t *re, const char *src)
{
	int err = regcomp(re, src, opt_E ? REG_EXTENDED : 0);
	if (err) {
		char msg[128];
		regerror(err, re, msg, sizeof(msg));
		die(msg);
	}
}

static int parse_addr(const char **pp, struct addr *a)
{
	const char *p = *pp;
	if (*p >= '0' && *p <= '9') {
		a->type = A_LINE;
		a->line = strtol(p, (char **)&p, 10);
	} else if (*p == '$') {
		a->type = A_LAST;
		p++;
	} else if (*p == '/' || (*p == '\\' && p[1])) {
		char delim = *p == '/' ? '/' : p[1];
		p += *p == '/' ? 1 : 2;
		char *src = until(&p, delim);
		a->type = A_RE;
		compile(&a->re, src);
		free(src);
	} else {
		a->type = A_NONE;
	}
	*pp = p;
	return a->type != A_NONE;
}

static void parse(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ';')
			p++;
		if (!*p)
			return;
		if (ncmds == (int)(sizeof(cmds) / sizeof(cmds[0])))
			die("too many commands");
		struct cmd *c = &cmds[ncmds++];
		memset(c, 0, sizeof(*c));
		if (parse_addr(&p, &c->a1) && *p == ',') {
			p++;
			if (!parse_addr(&p, &c->a2))
				die("unexpected `,'");
		}
		while (*p == ' ')
			p++;
		if (*p == '!') {
			c->negate = 1;
			p++;
			while (*p == ' ')
				p++;
		}
		c->op = *p;
		if (!*p)
			die("missing command");
		p++;
		switch (c->op) {
		case 'd': case 'p': case 'q': case '=':
			break;
		case 's': {
			char delim = *p;
			if (!delim || delim == '\n' || delim == '\\')
				die("unterminated `s' command");
			p++;
			char *src = until(&p, delim);
			compile(&c->re, src);
			free(src);
			c->rep = until(&p, delim);
			c->nth = 1;
			for (;;) {
				if (*p == 'g')
					c->global = 1;
				else if (*p == 'p')
					c->print = 1;
				else if (*p >= '1' && *p <= '9') {
					c->nth = (int)strtol(p, (char **)&p, 10);
					continue;
				} else
					break;
				p++;
			}
			break;
		}
		default:
			die("unknown command");
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p && *p != ';' && *p != '\n')
			die("extra characters after command");
	}
}

static int match_addr(struct addr *a, const char *line)
{
	switch (a->type) {
	case A_LINE: return lineno == a->line;
	case A_LAST: return last_line;
	case A_RE: return regexec(&a->re, line, 0, NULL, 0) == 0;
	default: return 1;
	}
}

static int selected(struct cmd *c, const char *line)
{
	int sel;
	if (c->a1.type == A_NONE) {
		sel = 1;
	} else if (c->a2.type == A_NONE) {
		sel = match_addr(&c->a1, line);
	} else if (c->in_range) {
		sel = 1;
		if (c->a2.type == A_LINE ? lineno >= c->a2.line : match_addr(&c->a2, line))
			c->in_range = 0;
	} else {
		sel = match_addr(&c->a1, line);
		if (sel) {
			/* A line-number end at or before this line ends it now. */
			if (c->a2.type == A_LINE ? lineno < c->a2.line : !last_line)
				c->in_range = 1;
		}
	}
	return sel != c->negate;
}

/* A growing output string. */
struct str {
	char *s;
	size_t len, cap;
};

static void put(struct str *o, const char *p, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->s = realloc(o->s, o->cap);
		if (!o->s) {
			fprintf(stderr, "sed: out of memory\n");
			exit(1);
		}
	}
	memcpy(o->s + o->len, p, n);
	o->len += n;
	o->s[o->len] = 0;
}

/* Apply c's substitution to *line; returns whether it replaced anything. */
static int substitute(struct cmd *c, char **line)
{
	struct str o = { 0 };
	const char *s = *line;
	regmatch_t m[10];
	int count = 0, done = 0, flags = 0, after_match = 0;
	put(&o, "", 0);
	for (;;) {
		if (regexec(&c->re, s, 10, m, flags))
			break;
		flags = REG_NOTBOL;
		if (after_match && m[0].rm_so == 0 && m[0].rm_eo == 0) {
			/* No empty match right after the previous match (POSIX). */
			if (!*s)
				break;
			put(&o, s++, 1);
			after_match = 0;
			continue;
		}
		count++;
		put(&o, s, (size_t)m[0].rm_so);
		if (count >= c->nth && (c->global || count == c->nth)) {
			for (const char *r = c->rep; *r; r++) {
				if (*r == '&') {
					put(&o, s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
				} else if (*r == '\\' && r[1] >= '1' && r[1] <= '9') {
					int g = *++r - '0';
					if (m[g].rm_so >= 0)
						put(&o, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
				} else if (*r == '\\' && r[1]) {
					put(&o, ++r, 1);
				} else {
					put(&o, r, 1);
				}
			}
			done = 1;
		} else {
			put(&o, s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
		}
		if (m[0].rm_eo == m[0].rm_so) {
			/* An empty match: copy one character and move on. */
			s += m[0].rm_eo;
			if (!*s)
				break;
			put(&o, s++, 1);
			after_match = 0;
		} else {
			s += m[0].rm_eo;
			after_match = 1;
		}
		if (done && !c->global)
			break;
	}
	put(&o, s, strlen(s));
	if (done) {
		free(*line);
		*line = o.s;
	} else {
		free(o.s);
	}
	return done;
}

/* Run the script over one stream; returns 1 when q asked to stop. */
static int run(FILE *in, FILE *out, int last_file)
{
	char *next = NULL, *line = NULL;
	size_t cap = 0;
	ssize_t len = getline(&next, &cap, in);
	while (len >= 0) {
		if (len > 0 && next[len - 1] == '\n')
			next[len - 1] = 0;
		line = next;
		next = NULL;
		cap = 0;
		len = getline(&next, &cap, in);
		lineno++;
		last_line = len < 0 && last_file;
		int deleted = 0, quit = 0;
		for (int i = 0; i < ncmds && !deleted && !quit; i++) {
			struct cmd *c = &cmds[i];
			if (!selected(c, line))
				continue;
			switch (c->op) {
			case 'd': deleted = 1; break;
			case 'p': fprintf(out, "%s\n", line); break;
			case '=': fprintf(out, "%ld\n", lineno); break;
			case 'q': quit = 1; break;
			case 's':
				if (substitute(c, &line) && c->print)
					fprintf(out, "%s\n", line);
				break;
			}
		}
		if (!deleted && !opt_n)
			fprintf(out, "%s\n", line);
		free(line);
		if (quit) {
			free(next);
			return 1;
		}
	}
	free(next);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: sed [-nEi] [-e SCRIPT]... [SCRIPT] [file...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt, in_place = 0;
	char *script = NULL;
	size_t slen = 0;
	while ((opt = getopt(argc, argv, "nErie:")) != -1) {
		switch (opt) {
		case 'n': opt_n = 1; break;
		case 'E': case 'r': opt_E = 1; break;
		case 'i': in_place = 1; break;
		case 'e': {
			size_t n = strlen(optarg);
			script = realloc(script, slen + n + 2);
			if (!script)
				return 1;
			memcpy(script + slen, optarg, n);
			slen += n;
			script[slen++] = '\n';
			script[slen] = 0;
			break;
		}
		default: usage();
		}
	}
	if (!script) {
		if (optind >= argc)
			usage();
		script = argv[optind++];
	}
	parse(script);
	int nfiles = argc - optind, status = 0;
	if (in_place && !nfiles) {
		fprintf(stderr, "sed: no input files\n");
		return 1;
	}
	if (!nfiles) {
		run(stdin, stdout, 1);
		return fflush(stdout) ? 1 : 0;
	}
	for (int i = optind; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;
		if (!f) {
			fprintf(stderr, "sed: can't read %s: No such file or directory\n", argv[i]);
			status = 2;
			continue;
		}
		if (!in_place) {
			int q = run(f, stdout, i == argc - 1);
			if (f != stdin)
				fclose(f);
			if (q)
				break;
			continue;
		}
		/* -i: each file is its own stream, line numbers restart. */
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s.sedXXXXXX", argv[i]);
		int fd = mkstemp(tmp);
		FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!out) {
			fprintf(stderr, "sed: couldn't open temporary file %s\n", tmp);
			fclose(f);
			status = 4;
			continue;
		}
		lineno = 0;
		for (int k = 0; k < ncmds; k++)
			cmds[k].in_range = 0;
		run(f, out, 1);
		fclose(f);
		if (fclose(out) || rename(tmp, argv[i])) {
			fprintf(stderr, "sed: cannot rename %s\n", tmp);
			unlink(tmp);
			status = 4;
		}
	}
	if (fflush(stdout))
		return 1;
	return status;
}
