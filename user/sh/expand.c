/*
 * user/sh/expand.c - word expansion, done when a command is about to run.
 *
 * One pass over the raw word does, in POSIX order as far as this subset
 * goes: tilde expansion (~ and ~/... at the start), parameter expansion
 * ($NAME, ${NAME}, ${NAME:-word}, $?, $$, $!, $#, $0-$9, $@, $*), quote
 * removal ('...', "...", \c), field splitting of unquoted expansion results
 * on blanks (IFS is fixed to space, tab, newline), and pathname expansion
 * (glob(3)) of fields with unquoted * ? [.
 *
 * Each field is built twice: the literal text, and a glob pattern in which
 * quoted characters are backslash-escaped, so "*".c globs only for *.c with
 * a literal star. A field with no match stays as it was (POSIX).
 * Command substitution $(...) and arithmetic $((...)) are not done yet.
 */
#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

struct buf {
	char *s;
	size_t n, cap;
};

struct expander {
	struct buf lit, pat;
	int started;      /* the current field exists (even if empty: "") */
	int has_glob;     /* it has an unquoted glob character */
	int split;        /* field splitting and globbing wanted */
	char **fields;
	int nfields, cap;
};

static void buf_add(struct buf *b, char c)
{
	if (b->n + 2 > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->s = realloc(b->s, b->cap);
		if (!b->s) {
			fprintf(stderr, "sh: out of memory\n");
			exit(2);
		}
	}
	b->s[b->n++] = c;
	b->s[b->n] = 0;
}

static void push_field(struct expander *e, char *s)
{
	if (e->nfields + 2 > e->cap) {
		int cap = e->cap ? 2 * e->cap : 8;
		char **f = arena_alloc(cap * sizeof(char *));
		if (e->nfields)
			memcpy(f, e->fields, e->nfields * sizeof(char *));
		e->fields = f;
		e->cap = cap;
	}
	e->fields[e->nfields++] = s;
	e->fields[e->nfields] = NULL;
}

static void add_char(struct expander *e, char c, int quoted)
{
	int meta = c == '*' || c == '?' || c == '[';

	buf_add(&e->lit, c);
	if (quoted && (meta || c == '\\' || c == ']'))
		buf_add(&e->pat, '\\');
	buf_add(&e->pat, c);
	if (!quoted && meta)
		e->has_glob = 1;
	e->started = 1;
}

static void end_field(struct expander *e)
{
	glob_t g;

	if (!e->started)
		return;
	if (e->split && e->has_glob &&
	    glob(e->pat.s, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			push_field(e, arena_strndup(g.gl_pathv[i],
						    strlen(g.gl_pathv[i])));
		globfree(&g);
	} else {
		push_field(e, arena_strndup(e->lit.s ? e->lit.s : "", e->lit.n));
	}
	e->lit.n = e->pat.n = 0;
	e->started = e->has_glob = 0;
}

/* Add the result of an expansion: quoted text stays one piece; unquoted
 * text is split into fields on blanks. */
static void add_value(struct expander *e, const char *v, int quoted)
{
	if (quoted)
		e->started = 1;
	for (; v && *v; v++) {
		if (!quoted && e->split && (*v == ' ' || *v == '\t' || *v == '\n'))
			end_field(e);
		else
			add_char(e, *v, quoted);
	}
}

static const char *special_param(char c, char *tmp)
{
	switch (c) {
	case '?': sprintf(tmp, "%d", sh.last_status); return tmp;
	case '$': sprintf(tmp, "%d", (int)sh.pid); return tmp;
	case '!':
		if (!sh.last_bg)
			return "";
		sprintf(tmp, "%d", (int)sh.last_bg);
		return tmp;
	case '#': sprintf(tmp, "%d", sh.nargs); return tmp;
	case '0': return sh.name;
	default:
		if (c >= '1' && c <= '9')
			return c - '1' < sh.nargs ? sh.args[c - '1'] : "";
		return NULL;
	}
}

/* $@ and $*: in double quotes "$@" gives one field per argument. */
static void add_all_args(struct expander *e, int quoted, int at)
{
	for (int i = 0; i < sh.nargs; i++) {
		if (i > 0) {
			if (quoted && at && e->split)
				end_field(e), e->started = 1;
			else
				add_value(e, " ", quoted);
		}
		add_value(e, sh.args[i], quoted);
	}
	if (sh.nargs == 0 && quoted && at)
		e->started = 0; /* "$@" with no arguments is no field at all */
}

/* Parameter expansion at p (just after '$'). Returns the next position. */
static const char *expand_param(struct expander *e, const char *p, int quoted)
{
	char tmp[32], name[128];
	const char *v;
	size_t n = 0;

	if (*p == '{') {
		const char *end = strchr(p, '}');
		const char *def = NULL;
		int colon = 0;

		if (!end) {
			add_char(e, '$', quoted);
			return p;
		}
		p++;
		if (p < end && (strchr("?$!#@*", *p) || isdigit((unsigned char)*p)))
			name[n++] = *p++;
		else
			while (p < end && (isalnum((unsigned char)*p) || *p == '_') &&
			       n < sizeof name - 1)
				name[n++] = *p++;
		name[n] = 0;
		if (*p == ':' && p[1] == '-') { colon = 1; def = p + 2; }
		else if (*p == '-') def = p + 1;
		if (n == 1 && (name[0] == '@' || name[0] == '*'))
			add_all_args(e, quoted, name[0] == '@');
		else {
			v = n == 1 ? special_param(name[0], tmp) : NULL;
			if (!v && n > 0)
				v = var_get(name);
			if (def && (!v || (colon && !*v)))
				v = expand_single(arena_strndup(def, end - def));
			add_value(e, v, quoted);
		}
		return end + 1;
	}
	if (*p == '@' || *p == '*') {
		add_all_args(e, quoted, *p == '@');
		return p + 1;
	}
	if ((v = special_param(*p, tmp)) != NULL) {
		add_value(e, v, quoted);
		return p + 1;
	}
	while ((isalnum((unsigned char)p[n]) || p[n] == '_') && n < sizeof name - 1) {
		name[n] = p[n];
		n++;
	}
	if (n == 0 || isdigit((unsigned char)name[0])) {
		add_char(e, '$', quoted); /* a lone $ is literal */
		return p;
	}
	name[n] = 0;
	add_value(e, var_get(name), quoted);
	return p + n;
}

static void expand(struct expander *e, const char *p)
{
	if (p[0] == '~' && (p[1] == '/' || p[1] == 0)) {
		const char *home = var_get("HOME");
		add_value(e, home ? home : "~", 1);
		p++;
	}
	while (*p) {
		if (*p == '\\' && p[1]) {
			add_char(e, p[1], 1);
			p += 2;
		} else if (*p == '\'') {
			e->started = 1;
			for (p++; *p && *p != '\''; p++)
				add_char(e, *p, 1);
			if (*p)
				p++;
		} else if (*p == '"') {
			e->started = 1;
			for (p++; *p && *p != '"';) {
				if (*p == '\\' && p[1] && strchr("$`\"\\", p[1])) {
					add_char(e, p[1], 1);
					p += 2;
				} else if (*p == '$') {
					p = expand_param(e, p + 1, 1);
				} else {
					add_char(e, *p++, 1);
				}
			}
			if (*p)
				p++;
		} else if (*p == '$') {
			p = expand_param(e, p + 1, 0);
		} else {
			add_char(e, *p++, 0);
		}
	}
	end_field(e);
	free(e->lit.s);
	free(e->pat.s);
}

char **expand_word(const char *raw, int *nfields)
{
	struct expander e = { .split = 1 };

	expand(&e, raw);
	if (!e.fields)
		e.fields = arena_alloc(sizeof(char *));
	*nfields = e.nfields;
	return e.fields;
}

char *expand_single(const char *raw)
{
	struct expander e = { .split = 0 };

	expand(&e, raw);
	if (e.nfields == 0)
		return arena_strndup("", 0);
	return e.fields[0];
}
