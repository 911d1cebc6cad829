/*
 * user/sed/execute.c - running a compiled sed script (sed.h).
 *
 * One cycle per input line: the line (without its newline) goes into the
 * pattern space, the commands run in order (jumps for blocks and
 * branches), then the pattern space is printed unless -n, and text queued
 * by a and r follows. The input is the files in turn as one stream (each
 * file separately with -s or -i); one line of look-ahead tells whether a
 * line is the last ($). The hold space lives across cycles and files.
 *
 * GNU's behaviour at the edges: n and N with no next line quit (printing
 * the pattern space unless -n); D restarts the cycle without reading
 * when a newline remains; c prints its text at the end of a range (or
 * for every line when negated); q prints, Q does not; an empty regex
 * means the last regex used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "sed.h"

/* A growing string (pattern space, hold space, output of s). */
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
			exit(4);
		}
	}
	memcpy(o->s + o->len, p, n);
	o->len += n;
	o->s[o->len] = 0;
}

static void set(struct str *o, const char *p, size_t n)
{
	o->len = 0;
	put(o, p, n);
}

/* ---- input: the files as one stream, with one line of look-ahead ---- */

static char **files;
static int file_index, separate, status;
static FILE *in;
static struct str next;
static int have_next;
static long lineno;

static FILE *open_next_file(void)
{
	while (files[file_index]) {
		const char *name = files[file_index++];
		if (!strcmp(name, "-"))
			return stdin;
		FILE *f = fopen(name, "r");
		if (f)
			return f;
		fprintf(stderr, "sed: can't read %s: %s\n", name, strerror(errno));
		status = 2;
	}
	return NULL;
}

/* Read the look-ahead line; 0 at the end of the stream (of this file
 * only, when files are separate). */
static int fetch(void)
{
	static char *buf;
	static size_t cap;
	for (;;) {
		if (!in && (separate || !(in = open_next_file())))
			return have_next = 0;
		ssize_t len = getline(&buf, &cap, in);
		if (len >= 0) {
			if (len && buf[len - 1] == '\n')
				len--;
			set(&next, buf, (size_t)len);
			return have_next = 1;
		}
		if (in != stdin)
			fclose(in);
		in = NULL;
		if (separate)
			return have_next = 0;
	}
}

/* The next line into ps; 0 at the end. */
static int read_line(struct str *ps)
{
	if (!have_next)
		return 0;
	set(ps, next.s, next.len);
	lineno++;
	fetch();
	return 1;
}

static int is_last(void)
{
	return !have_next;
}

/* ---- matching ---- */

static regex_t *last_re;

static int re_exec(regex_t *re, const char *s, size_t nm, regmatch_t *m, int flags)
{
	if (!re)
		re = last_re;
	if (!re) {
		fprintf(stderr, "sed: no previous regular expression\n");
		exit(1);
	}
	last_re = re;
	return regexec(re, s, nm, m, flags);
}

static int match_addr(struct addr *a, struct str *ps)
{
	switch (a->type) {
	case A_LINE: return lineno == a->line;
	case A_LAST: return is_last();
	case A_RE: return re_exec(a->re, ps->s, 0, NULL, 0) == 0;
	case A_STEP:
		return a->step <= 0 ? lineno == a->line :
		       lineno >= a->line && (lineno - a->line) % a->step == 0;
	default: return 0;
	}
}

/* Whether c applies to this line; ranges as POSIX and GNU. */
static int selected(struct cmd *c, struct str *ps)
{
	int sel;
	if (c->a1.type == A_NONE) {
		sel = 1;
	} else if (c->a2.type == A_NONE) {
		sel = match_addr(&c->a1, ps);
	} else if (c->in_range) {
		sel = 1;
		switch (c->a2.type) {
		case A_LINE: c->in_range = lineno < c->a2.line; break;
		case A_PLUS: c->in_range = lineno < c->range_end; break;
		case A_MULT: c->in_range = c->a2.line > 0 && lineno % c->a2.line != 0; break;
		default: c->in_range = !match_addr(&c->a2, ps); break;
		}
		if (c->a2.type == A_LINE && lineno > c->a2.line)
			c->in_range = 0;
	} else {
		/* 0,/RE/: the range is open before the first line, so /RE/ can
		 * end it on line 1. */
		if (c->a1.type == A_ZERO)
			sel = lineno == 1 ? (c->in_range = 1) : 0;
		else
			sel = match_addr(&c->a1, ps);
		if (sel) {
			c->in_range = 1;
			switch (c->a2.type) {
			case A_LINE: c->in_range = lineno < c->a2.line; break;
			case A_PLUS:
				c->range_end = lineno + c->a2.line;
				c->in_range = c->a2.line > 0;
				break;
			case A_MULT:
				c->in_range = c->a2.line > 0 && lineno % c->a2.line != 0;
				break;
			case A_ZERO: break;
			default:
				if (c->a1.type == A_ZERO)
					c->in_range = !match_addr(&c->a2, ps);
				break;
			}
		}
	}
	return sel != c->negate;
}

/* ---- commands ---- */

/* Apply c's substitution to ps; returns whether it replaced anything. */
static int substitute(struct cmd *c, struct str *ps)
{
	struct str o = { 0 };
	const char *s = ps->s;
	regmatch_t m[10];
	int count = 0, done = 0, flags = 0, after_match = 0;
	put(&o, "", 0);
	for (;;) {
		if (re_exec(c->re, s, 10, m, flags))
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
				} else if (*r == '\\' && r[1] >= '0' && r[1] <= '9') {
					int g = *++r - '0';
					if (m[g].rm_so >= 0)
						put(&o, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
				} else if (*r == '\\' && r[1] == 'n') {
					put(&o, "\n", 1);
					r++;
				} else if (*r == '\\' && r[1] == 't') {
					put(&o, "\t", 1);
					r++;
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
		free(ps->s);
		*ps = o;
	} else {
		free(o.s);
	}
	return done;
}

/* l: the pattern space unambiguously, lines cut to width columns (the
 * default 70; 0 or 1: not cut), each cut marked with a backslash. */
static void list(FILE *out, struct str *ps, int width)
{
	int col = 0;
	for (size_t i = 0; i < ps->len; i++) {
		unsigned char ch = (unsigned char)ps->s[i];
		char buf[8];
		const char *esc = NULL;
		switch (ch) {
		case '\\': esc = "\\\\"; break;
		case '\a': esc = "\\a"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\v': esc = "\\v"; break;
		}
		if (!esc && (ch < 32 || ch >= 127)) {
			snprintf(buf, sizeof(buf), "\\%03o", ch);
			esc = buf;
		} else if (!esc) {
			buf[0] = (char)ch;
			buf[1] = 0;
			esc = buf;
		}
		int w = (int)strlen(esc);
		if (width > 1 && col + w > width - 1) {
			fputs("\\\n", out);
			col = 0;
		}
		fputs(esc, out);
		col += w;
	}
	fputs("$\n", out);
}

/* Text that a and r add after the cycle's output. */
struct queued {
	int is_file;
	const char *text;
};
static struct queued *queue;
static int nqueue, capqueue;

static void enqueue(int is_file, const char *text)
{
	if (nqueue == capqueue) {
		capqueue = capqueue ? capqueue * 2 : 16;
		queue = realloc(queue, sizeof(*queue) * (size_t)capqueue);
		if (!queue)
			exit(4);
	}
	queue[nqueue].is_file = is_file;
	queue[nqueue++].text = text;
}

static void flush_queue(FILE *out)
{
	for (int i = 0; i < nqueue; i++) {
		if (!queue[i].is_file) {
			fputs(queue[i].text, out);
			continue;
		}
		FILE *f = fopen(queue[i].text, "r");   /* a missing file is no error */
		if (!f)
			continue;
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, out);
		fclose(f);
	}
	nqueue = 0;
}

static void print_ps(FILE *f, struct str *ps)
{
	fwrite(ps->s, 1, ps->len, f);
	fputc('\n', f);
}

/* Run the script over the current stream. Returns 1 when q/Q ended
 * everything, with *code the exit status they asked for. */
static struct str hold;   /* kept across files (-s, -i), as GNU */

static int run_stream(FILE *out, int *code)
{
	struct str ps = { 0 };
	put(&ps, "", 0);
	if (!hold.s)
		put(&hold, "", 0);
	int reread = 1;   /* 0 after D with a newline left */
	for (;;) {
		if (reread && !read_line(&ps))
			break;
		reread = 1;
		int tflag = 0, end_cycle = 0, autoprint = !opt_n, quit = 0;
		for (int i = 0; i < ncmds && !end_cycle;) {
			struct cmd *c = &cmds[i];
			int sel = selected(c, &ps);
			if (!sel) {
				i = c->op == '{' ? c->jump : i + 1;
				continue;
			}
			int next_i = i + 1;
			switch (c->op) {
			case '{': case '}': case ':':
				break;
			case '=': fprintf(out, "%ld\n", lineno); break;
			case 'a': enqueue(0, c->text); break;
			case 'i': fputs(c->text, out); break;
			case 'c':
				/* In a range, the text goes out once, at its end. */
				if (c->negate || c->a2.type == A_NONE || !c->in_range)
					fputs(c->text, out);
				autoprint = 0;
				end_cycle = 1;
				break;
			case 'b': next_i = c->jump; break;
			case 't':
				if (tflag) {
					tflag = 0;
					next_i = c->jump;
				}
				break;
			case 'T':
				if (!tflag)
					next_i = c->jump;
				else
					tflag = 0;
				break;
			case 'd':
				autoprint = 0;
				end_cycle = 1;
				break;
			case 'D': {
				char *nl = memchr(ps.s, '\n', ps.len);
				autoprint = 0;
				end_cycle = 1;
				if (nl) {
					size_t k = (size_t)(nl - ps.s) + 1;
					memmove(ps.s, nl + 1, ps.len - k + 1);
					ps.len -= k;
					reread = 0;
				}
				break;
			}
			case 'g': set(&ps, hold.s, hold.len); break;
			case 'G': put(&ps, "\n", 1); put(&ps, hold.s, hold.len); break;
			case 'h': set(&hold, ps.s, ps.len); break;
			case 'H': put(&hold, "\n", 1); put(&hold, ps.s, ps.len); break;
			case 'x': { struct str t = ps; ps = hold; hold = t; break; }
			case 'l': list(out, &ps, c->exit_code); break;
			case 'n':
				if (is_last()) {
					quit = 1;   /* GNU: autoprint, then quit */
					end_cycle = 1;
					break;
				}
				if (!opt_n)
					print_ps(out, &ps);
				flush_queue(out);
				read_line(&ps);
				break;
			case 'N': {
				if (is_last()) {
					quit = 1;
					end_cycle = 1;
					break;
				}
				struct str line = { 0 };
				put(&line, "", 0);
				flush_queue(out);
				read_line(&line);
				put(&ps, "\n", 1);
				put(&ps, line.s, line.len);
				free(line.s);
				break;
			}
			case 'p': print_ps(out, &ps); break;
			case 'P': {
				char *nl = memchr(ps.s, '\n', ps.len);
				fwrite(ps.s, 1, nl ? (size_t)(nl - ps.s) : ps.len, out);
				fputc('\n', out);
				break;
			}
			case 'q':
				*code = c->exit_code;
				quit = 1;
				end_cycle = 1;
				break;
			case 'Q':
				*code = c->exit_code;
				quit = 1;
				autoprint = 0;
				end_cycle = 1;
				break;
			case 'r': enqueue(1, c->text); break;
			case 'w': print_ps(c->wfile, &ps); break;
			case 's':
				if (substitute(c, &ps)) {
					tflag = 1;
					if (c->print)
						print_ps(out, &ps);
					if (c->wfile)
						print_ps(c->wfile, &ps);
				}
				break;
			case 'y':
				for (size_t k = 0; k < ps.len; k++)
					ps.s[k] = (char)c->map[(unsigned char)ps.s[k]];
				break;
			case 'z': set(&ps, "", 0); break;
			}
			i = next_i;
		}
		if (autoprint)
			print_ps(out, &ps);
		flush_queue(out);
		if (quit) {
			free(ps.s);
			return 1;
		}
	}
	free(ps.s);
	return 0;
}

static void reset_ranges(void)
{
	for (int k = 0; k < ncmds; k++)
		cmds[k].in_range = 0;
}

int execute(char **file_list, int in_place)
{
	static char *stdin_only[] = { "-", NULL };
	files = file_list[0] ? file_list : stdin_only;
	int code = 0;
	if (!in_place) {
		separate = opt_s;
		for (;;) {
			if (separate && !(in = open_next_file()))
				break;
			lineno = separate ? 0 : lineno;
			reset_ranges();
			fetch();
			if (run_stream(stdout, &code)) {
				status = code ? code : status;
				break;
			}
			if (!separate)
				break;
		}
		if (fflush(stdout))
			return 4;
		return status;
	}
	/* -i: each file its own stream, written to a temporary file that
	 * takes the original's mode and replaces it. */
	separate = 1;
	for (; files[file_index]; ) {
		const char *name = files[file_index];
		struct stat st;
		if (!(in = open_next_file()))
			break;
		if (fstat(fileno(in), &st) < 0 || !S_ISREG(st.st_mode)) {
			fprintf(stderr, "sed: couldn't edit %s: not a regular file\n", name);
			fclose(in);
			in = NULL;
			status = 4;
			continue;
		}
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s.sedXXXXXX", name);
		int fd = mkstemp(tmp);
		FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!out) {
			fprintf(stderr, "sed: couldn't open temporary file %s: %s\n", tmp,
			        strerror(errno));
			fclose(in);
			in = NULL;
			status = 4;
			continue;
		}
		fchmod(fd, st.st_mode & 07777);
		lineno = 0;
		reset_ranges();
		fetch();
		int quit = run_stream(out, &code);
		if (in) {
			fclose(in);
			in = NULL;
		}
		if (fclose(out) || rename(tmp, name)) {
			fprintf(stderr, "sed: cannot rename %s: %s\n", tmp, strerror(errno));
			unlink(tmp);
			status = 4;
		}
		if (quit) {
			status = code ? code : status;
			break;
		}
	}
	return fflush(stdout) ? 4 : status;
}
