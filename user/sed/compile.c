/*
 * user/sed/compile.c - sed script text into struct cmd (sed.h).
 *
 * All script pieces (each -e, or the script operand) are joined with
 * newlines first, as GNU does, so "a\" in one -e takes its text from the
 * next; compile_finish then parses the whole. Commands are separated by
 * newlines or ';' (except after a/i/c text, labels and file names, which
 * run to the end of the line). Blocks are resolved to jump indexes: a '{'
 * knows the command after its '}', and b/t/T know their label's index.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sed.h"

struct cmd *cmds;
int ncmds;
static int capcmds;
static char *script;
static size_t script_len;

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("sed: -e expression: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		die("out of memory");
	return p;
}

void compile_script(const char *text)
{
	size_t n = strlen(text);
	script = realloc(script, script_len + n + 2);
	if (!script)
		die("out of memory");
	memcpy(script + script_len, text, n);
	script_len += n;
	script[script_len++] = '\n';
	script[script_len] = 0;
}

/* GNU's regex escapes that regcomp lacks, rewritten outside brackets:
 * \w \W \s \S as classes, \t \n as the characters. */
static char *translate_re(const char *src)
{
	size_t n = strlen(src);
	char *out = xmalloc(n * 12 + 1), *o = out;
	int in_bracket = 0;
	for (const char *p = src; *p; p++) {
		if (in_bracket) {
			if (*p == ']' && p[-1] != '[' && !(p[-1] == '^' && p[-2] == '['))
				in_bracket = 0;
			*o++ = *p;
			continue;
		}
		if (*p == '[') {
			in_bracket = 1;
			*o++ = *p;
			continue;
		}
		if (*p == '\\' && p[1]) {
			const char *r = NULL;
			switch (p[1]) {
			case 'w': r = "[[:alnum:]_]"; break;
			case 'W': r = "[^[:alnum:]_]"; break;
			case 's': r = "[[:space:]]"; break;
			case 'S': r = "[^[:space:]]"; break;
			case 't': r = "\t"; break;
			case 'n': r = "\n"; break;
			}
			if (r) {
				strcpy(o, r);
				o += strlen(r);
				p++;
				continue;
			}
			*o++ = *p++;
		}
		*o++ = *p;
	}
	*o = 0;
	return out;
}

/* An empty regex stands for the last one used: NULL. */
static regex_t *compile_re(const char *src, int icase)
{
	if (!*src)
		return NULL;
	regex_t *re = xmalloc(sizeof(*re));
	char *t = translate_re(src);
	int err = regcomp(re, t, (opt_E ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0));
	free(t);
	if (err) {
		char msg[128];
		regerror(err, re, msg, sizeof(msg));
		die("%s", msg);
	}
	return re;
}

/* Text up to an unescaped delim: "\delim" becomes delim (a literal, or
 * for a regex the escaped character when delim is special), "\n" a
 * newline; other escapes stay for regcomp or the replacement. */
static char *until(const char **pp, char delim, const char *what)
{
	const char *p = *pp;
	char *out = xmalloc(strlen(p) + 1);
	size_t n = 0;
	while (*p && *p != delim) {
		if (*p == '\\' && p[1]) {
			if (p[1] == delim)
				out[n++] = delim;
			else if (p[1] == '\n')
				out[n++] = '\n';
			else {
				out[n++] = '\\';
				out[n++] = p[1];
			}
			p += 2;
			continue;
		}
		if (*p == '\n' && delim != '\n')
			die("unterminated %s", what);
		out[n++] = *p++;
	}
	if (*p != delim)
		die("unterminated %s", what);
	out[n] = 0;
	*pp = p + 1;
	return out;
}

static int parse_addr(const char **pp, struct addr *a)
{
	const char *p = *pp;
	memset(a, 0, sizeof(*a));
	if (isdigit((unsigned char)*p)) {
		a->line = strtol(p, (char **)&p, 10);
		a->type = a->line == 0 ? A_ZERO : A_LINE;
		if (*p == '~') {
			p++;
			a->type = A_STEP;
			a->step = strtol(p, (char **)&p, 10);
		}
	} else if (*p == '$') {
		a->type = A_LAST;
		p++;
	} else if (*p == '/' || (*p == '\\' && p[1] && p[1] != '\n')) {
		char delim = *p == '/' ? '/' : p[1];
		p += *p == '/' ? 1 : 2;
		char *src = until(&p, delim, "address regex");
		int icase = 0;
		while (*p == 'I' || *p == 'M') {
			icase |= *p == 'I';
			p++;
		}
		a->type = A_RE;
		a->re = compile_re(src, icase);
		free(src);
	} else {
		return 0;
	}
	*pp = p;
	return 1;
}

/* The second address may also be +N or ~N (GNU). */
static int parse_addr2(const char **pp, struct addr *a)
{
	const char *p = *pp;
	if (*p == '+' || *p == '~') {
		memset(a, 0, sizeof(*a));
		a->type = *p == '+' ? A_PLUS : A_MULT;
		p++;
		if (!isdigit((unsigned char)*p))
			die("expected a number after %c", p[-1]);
		a->line = strtol(p, (char **)&p, 10);
		*pp = p;
		return 1;
	}
	return parse_addr(pp, a);
}

static void skip_blanks(const char **pp)
{
	while (**pp == ' ' || **pp == '\t')
		(*pp)++;
}

/* A label or file name: to the end of the line (labels also end at ';'). */
static char *rest_of_line(const char **pp, int semicolon_ends)
{
	skip_blanks(pp);
	const char *p = *pp, *s = p;
	while (*p && *p != '\n' && !(semicolon_ends && *p == ';'))
		p++;
	const char *e = p;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	char *out = xmalloc((size_t)(e - s) + 1);
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = 0;
	*pp = p;
	return out;
}

/* a/i/c text: "a\" newline TEXT (POSIX) or "a TEXT" (GNU); lines ending
 * in a backslash continue; a backslash keeps the next character. */
static char *read_text(const char **pp)
{
	const char *p = *pp;
	skip_blanks(&p);
	if (*p == '\\') {
		p++;
		if (*p == '\n')
			p++;
	}
	char *out = xmalloc(strlen(p) + 2);
	size_t n = 0;
	while (*p && *p != '\n') {
		if (*p == '\\' && p[1]) {
			p++;
			out[n++] = *p == 't' ? '\t' : *p;
			p++;
			continue;
		}
		out[n++] = *p++;
	}
	out[n++] = '\n';
	out[n] = 0;
	*pp = p;
	return out;
}

static FILE *open_wfile(const char *name)
{
	if (!*name)
		die("missing filename in r/R/w/W commands");
	if (!strcmp(name, "/dev/stdout"))
		return stdout;
	if (!strcmp(name, "/dev/stderr"))
		return stderr;
	/* The same name twice shares one stream, as GNU. */
	for (int i = 0; i < ncmds; i++)
		if (cmds[i].wfile && cmds[i].text && !strcmp(cmds[i].text, name))
			return cmds[i].wfile;
	FILE *f = fopen(name, "w");
	if (!f) {
		fprintf(stderr, "sed: couldn't open file %s\n", name);
		exit(4);
	}
	return f;
}

static struct cmd *new_cmd(void)
{
	if (ncmds == capcmds) {
		capcmds = capcmds ? capcmds * 2 : 64;
		cmds = realloc(cmds, sizeof(*cmds) * (size_t)capcmds);
		if (!cmds)
			die("out of memory");
	}
	struct cmd *c = &cmds[ncmds++];
	memset(c, 0, sizeof(*c));
	return c;
}

static void parse_s(const char **pp, struct cmd *c)
{
	const char *p = *pp;
	char delim = *p;
	if (!delim || delim == '\n' || delim == '\\')
		die("unterminated `s' command");
	p++;
	char *src = until(&p, delim, "`s' command");
	c->rep = until(&p, delim, "`s' command");
	c->nth = 1;
	int icase = 0;
	for (;;) {
		if (*p == 'g')
			c->global = 1;
		else if (*p == 'p')
			c->print = 1;
		else if (*p == 'I' || *p == 'i')
			icase = 1;
		else if (*p == 'M' || *p == 'm')
			;   /* multi-line mode: not supported, ignored */
		else if (isdigit((unsigned char)*p)) {
			c->nth = (int)strtol(p, (char **)&p, 10);
			if (c->nth < 1)
				die("number option to `s' command may not be zero");
			continue;
		} else if (*p == 'w') {
			p++;
			c->text = rest_of_line(&p, 0);
			c->wfile = open_wfile(c->text);
			break;
		} else
			break;
		p++;
	}
	c->re = compile_re(src, icase);
	free(src);
	*pp = p;
}

static void parse_y(const char **pp, struct cmd *c)
{
	const char *p = *pp;
	char delim = *p;
	if (!delim || delim == '\n' || delim == '\\')
		die("unterminated `y' command");
	p++;
	char *a = until(&p, delim, "`y' command"), *b = until(&p, delim, "`y' command");
	/* until() kept other escapes: \\ is a backslash, \n a newline. */
	char *lists[2] = { a, b };
	for (int k = 0; k < 2; k++) {
		char *r = lists[k], *w = lists[k];
		for (; *r; r++) {
			if (*r == '\\' && r[1] == '\\')
				*w++ = *++r;
			else if (*r == '\\' && r[1] == 'n')
				*w++ = '\n', r++;
			else
				*w++ = *r;
		}
		*w = 0;
	}
	if (strlen(a) != strlen(b))
		die("strings for `y' command are different lengths");
	for (int i = 0; i < 256; i++)
		c->map[i] = (unsigned char)i;
	for (size_t i = 0; a[i]; i++)
		c->map[(unsigned char)a[i]] = (unsigned char)b[i];
	free(a);
	free(b);
	*pp = p;
}

void compile_finish(void)
{
	const char *p = script ? script : "";
	int stack[64], depth = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ';')
			p++;
		if (!*p)
			break;
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		struct cmd *c = new_cmd();
		if (parse_addr(&p, &c->a1)) {
			skip_blanks(&p);
			if (*p == ',') {
				p++;
				skip_blanks(&p);
				if (!parse_addr2(&p, &c->a2))
					die("unexpected `,'");
			}
		}
		if (c->a1.type == A_ZERO && (c->a2.type != A_RE))
			die("invalid usage of line address 0");
		skip_blanks(&p);
		while (*p == '!') {
			c->negate = 1;
			p++;
			skip_blanks(&p);
		}
		c->op = *p;
		if (!*p || *p == '\n' || *p == ';')
			die("missing command");
		p++;
		switch (c->op) {
		case '{':
			if (depth == 64)
				die("too many nested blocks");
			stack[depth++] = ncmds - 1;
			continue;   /* a command may follow on the same line */
		case '}':
			if (c->a1.type != A_NONE)
				die("} doesn't want any addresses");
			if (!depth)
				die("unexpected `}'");
			cmds[stack[--depth]].jump = ncmds;
			break;
		case '=': case 'd': case 'D': case 'g': case 'G': case 'h': case 'H':
		case 'n': case 'N': case 'p': case 'P': case 'x': case 'z':
			break;
		case 'l': case 'q': case 'Q':   /* l: the line length; q Q: the status */
			skip_blanks(&p);
			c->exit_code = isdigit((unsigned char)*p) ? (int)strtol(p, (char **)&p, 10) :
			               c->op == 'l' ? 70 : 0;
			break;
		case 'a': case 'i': case 'c':
			c->text = read_text(&p);
			break;
		case ':':
			if (c->a1.type != A_NONE)
				die(": doesn't want any addresses");
			c->text = rest_of_line(&p, 1);
			if (!*c->text)
				die("\":\" lacks a label");
			break;
		case 'b': case 't': case 'T':
			c->text = rest_of_line(&p, 1);
			break;
		case 'r':
			c->text = rest_of_line(&p, 0);
			break;
		case 'w':
			c->text = rest_of_line(&p, 0);
			c->wfile = open_wfile(c->text);
			break;
		case 's':
			parse_s(&p, c);
			break;
		case 'y':
			parse_y(&p, c);
			break;
		default:
			die("unknown command: `%c'", c->op);
		}
		skip_blanks(&p);
		if (*p == '}' || *p == '#')
			continue;
		if (*p && *p != ';' && *p != '\n')
			die("extra characters after command");
	}
	if (depth)
		die("unmatched `{'");
	/* Branch targets: a label's index, or the end of the script. */
	for (int i = 0; i < ncmds; i++) {
		struct cmd *c = &cmds[i];
		if (c->op != 'b' && c->op != 't' && c->op != 'T')
			continue;
		c->jump = ncmds;
		if (!*c->text)
			continue;
		int found = 0;
		for (int k = 0; k < ncmds && !found; k++)
			if (cmds[k].op == ':' && !strcmp(cmds[k].text, c->text)) {
				c->jump = k;
				found = 1;
			}
		if (!found)
			die("can't find label for jump to `%s'", c->text);
	}
}
