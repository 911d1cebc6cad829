/*
 * user/sh/expand.c - word expansion (XCU 2.6), done when a command runs.
 *
 * A raw word is walked once, left to right, into a buffer of characters,
 * each with an attribute saying where it came from:
 *
 *   A_LIT    unquoted text of the word: not split, but a glob character
 *   A_QUOTED quoted ('...', "...", \x, ~ results): neither split nor glob
 *   A_EXP    result of an unquoted $... or `...`: split on IFS and globbed
 *   A_BREAK  a field boundary between the parameters of "$@"
 *   A_SEP    a boundary between the parameters of unquoted $@ / $*
 *
 * Field splitting then looks only at A_EXP characters that are in IFS, and
 * pathname expansion only at unquoted * ? [; quote removal is implicit
 * (quotes never enter the buffer). Patterns (case, ${V%pat}) are built the
 * same way, with quoted special characters given a backslash so that
 * fnmatch and glob take them literally.
 */
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

enum { A_LIT, A_QUOTED, A_EXP, A_BREAK, A_SEP };
enum { X_SPLIT = 1, X_DQ = 2, X_HEREDOC = 4, X_ASSIGN = 8 };

struct xbuf {
	char *s;
	unsigned char *a;
	size_t n, cap;
	int keep;        /* a quoted part was seen: keep an empty field */
};

static void xadd(struct xbuf *b, char c, int attr)
{
	if (b->n + 1 >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xrealloc(b->s, b->cap);
		b->a = xrealloc(b->a, b->cap);
	}
	b->s[b->n] = c;
	b->a[b->n++] = attr;
}

static void xadds(struct xbuf *b, const char *s, int attr)
{
	while (*s)
		xadd(b, *s++, attr);
}

static void xfree(struct xbuf *b)
{
	free(b->s);
	free(b->a);
}

static _Noreturn void expand_fail(int status)
{
	sh.status = status;
	if (!sh.interactive || sh.subshell)
		sh_exit(status);
	extern jmp_buf sh_abort;
	longjmp(sh_abort, 1);
}

/* End of a ${...} or a quoted section starting at p (just after the
 * opening), nesting and quotes respected. Returns the closing char. */
static const char *skip_brace(const char *p)
{
	int depth = 1;

	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');
			if (!q)
				return p + strlen(p);
			p = q;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return p;
		} else if (*p == '{')
			depth++;
		else if (*p == '}' && --depth == 0)
			return p;
	}
	return p;
}

/* End of $( ... ) starting after "$(": the lexer already checked the
 * syntax, so counting parentheses outside quotes is enough here except for
 * case patterns, which we find through the parser. */
static const char *skip_paren(const char *p, int depth)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');
			if (!q)
				return p + strlen(p);
			p = q;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return p;
		} else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
	}
	return p;
}

static char numbuf[4][24];
static int numidx;

static const char *num(long v)
{
	char *b = numbuf[numidx++ & 3];

	snprintf(b, sizeof numbuf[0], "%ld", v);
	return b;
}

static const char *opt_string(void)
{
	static char b[16];
	char *p = b;

	if (sh.opt_e) *p++ = 'e';
	if (sh.opt_f) *p++ = 'f';
	if (sh.interactive) *p++ = 'i';
	if (sh.opt_m) *p++ = 'm';
	if (sh.opt_n) *p++ = 'n';
	if (sh.opt_u) *p++ = 'u';
	if (sh.opt_v) *p++ = 'v';
	if (sh.opt_x) *p++ = 'x';
	if (sh.opt_C) *p++ = 'C';
	*p = 0;
	return b;
}

/* Value of a parameter other than @ and *; NULL if unset. */
static const char *param_value(const char *name)
{
	if (name[0] >= '0' && name[0] <= '9') {
		int i = atoi(name);
		if (i == 0)
			return sh.arg0;
		return i <= sh.argc ? sh.argv[i - 1] : NULL;
	}
	if (name[1] == 0) {
		switch (name[0]) {
		case '?': return num(sh.status);
		case '$': return num(sh.pid);
		case '!': return sh.last_bg ? num(sh.last_bg) : NULL;
		case '#': return num(sh.argc);
		case '-': return opt_string();
		}
	}
	return var_get(name);
}

/* Append $@ / $* (quoted or not) according to the context. */
static void add_params(struct xbuf *b, int star, int mode)
{
	const char *ifs = var_get("IFS");
	char sep = ifs ? ifs[0] : ' ';

	for (int i = 0; i < sh.argc; i++) {
		if (i > 0) {
			if (!(mode & X_SPLIT))
				xadd(b, ' ', A_QUOTED);
			else if (!(mode & X_DQ))
				xadd(b, ' ', A_SEP);
			else if (!star)
				xadd(b, ' ', A_BREAK);
			else if (sep)
				xadd(b, sep, A_QUOTED);
		}
		xadds(b, sh.argv[i], (mode & X_DQ) ? A_QUOTED : A_EXP);
	}
}

static void xp(struct xbuf *b, const char *p, const char *end, int mode);

/* Expand a ${...} operand word into a plain string (malloc'd). */
static char *operand(const char *p, const char *end, int mode)
{
	struct xbuf w = { 0 };
	char *s;

	xp(&w, p, end, mode & X_DQ);
	s = xstrndup(w.s ? w.s : "", w.n);
	xfree(&w);
	return s;
}

/* A pattern operand: quoted special characters escaped. */
static char *pattern_of(struct xbuf *w)
{
	struct str s = { 0 };

	for (size_t i = 0; i < w->n; i++) {
		if (w->a[i] == A_QUOTED && strchr("\\*?[]", w->s[i]))
			str_addc(&s, '\\');
		str_addc(&s, w->s[i]);
	}
	return str_take(&s);
}

static char *operand_pattern(const char *p, const char *end, int mode)
{
	struct xbuf w = { 0 };
	char *s;

	(void)mode; /* the pattern is not quoted by "..." around ${...} */
	xp(&w, p, end, 0);
	s = pattern_of(&w);
	xfree(&w);
	return s;
}

/* ${V%pat} and friends: remove the shortest/longest matching suffix or
 * prefix. */
static char *trim(const char *v, const char *pat, int suffix, int longest)
{
	size_t n = strlen(v);
	char *t = xstrdup(v);

	if (suffix) {
		for (size_t k = 0; k <= n; k++) {
			size_t i = longest ? k : n - k;
			if (fnmatch(pat, v + i, 0) == 0) {
				t[i] = 0;
				return t;
			}
		}
	} else {
		for (size_t k = 0; k <= n; k++) {
			size_t i = longest ? n - k : k;
			char c = t[i];
			t[i] = 0;
			int m = fnmatch(pat, t, 0) == 0;
			t[i] = c;
			if (m) {
				char *r = xstrdup(v + i);
				free(t);
				return r;
			}
		}
	}
	return t;
}

/* ${...}: p points after "${", end at the closing brace. */
static void expand_brace(struct xbuf *b, const char *p, const char *end,
			 int mode)
{
	char name[256];
	size_t nl = 0;
	int length = 0;
	const char *val;
	int attr = (mode & X_DQ) ? A_QUOTED : A_EXP;

	if (*p == '#' && p + 1 < end) {
		length = 1;
		p++;
	}
	if (var_name_len(p) > 0) {
		nl = var_name_len(p);
	} else if (*p >= '0' && *p <= '9') {
		while (p + nl < end && p[nl] >= '0' && p[nl] <= '9')
			nl++;
	} else if (p < end && strchr("@*#?-$!", *p)) {
		nl = 1;
	}
	if (nl == 0 || nl >= sizeof name) {
		if (length && p == end) { /* ${#} */
			xadds(b, num(sh.argc), attr);
			return;
		}
		sh_error("${%.*s}: bad substitution", (int)(end - p), p);
		expand_fail(2);
	}
	memcpy(name, p, nl);
	name[nl] = 0;
	p += nl;
	int all = (name[0] == '@' || name[0] == '*') && nl == 1;
	int set = all ? sh.argc > 0 : (val = param_value(name)) != NULL;
	if (all)
		val = NULL;

	if (length) {
		if (p != end) {
			sh_error("bad substitution");
			expand_fail(2);
		}
		if (all) {
			xadds(b, num(sh.argc), attr);
			return;
		}
		if (!set && sh.opt_u) {
			sh_error("%s: parameter not set", name);
			expand_fail(2);
		}
		xadds(b, num(set ? (long)strlen(val) : 0), attr);
		return;
	}
	if (p == end) {
		if (!set && sh.opt_u && name[0] != '@' && name[0] != '*') {
			sh_error("%s: parameter not set", name);
			expand_fail(2);
		}
		if (all)
			add_params(b, name[0] == '*', mode);
		else if (val)
			xadds(b, val, attr);
		return;
	}
	int colon = *p == ':';
	if (colon)
		p++;
	char op = *p++;
	int empty = !set || (!all && val[0] == 0) || (all && sh.argc == 1 && !sh.argv[0][0]);
	int use_word = colon ? empty : !set;

	switch (op) {
	case '-':
	case '=':
		if (use_word) {
			if (op == '=') {
				char *w = operand(p, end, mode);
				if (all || !var_name_len(name)) {
					sh_error("%s: bad variable name", name);
					free(w);
					expand_fail(2);
				}
				var_set(name, w, 0);
				xadds(b, w, attr);
				free(w);
			} else {
				xp(b, p, end, mode);
			}
			return;
		}
		break;
	case '+':
		if (!use_word)
			xp(b, p, end, mode);
		return;
	case '?':
		if (use_word) {
			char *w = operand(p, end, mode);
			sh_error("%s: %s", name, *w ? w : colon ? "parameter not set or null"
				 : "parameter not set");
			free(w);
			expand_fail(2);
		}
		break;
	case '%':
	case '#': {
		if (colon)
			goto bad;
		int longest = *p == op;
		if (longest)
			p++;
		if (!set && sh.opt_u) {
			sh_error("%s: parameter not set", name);
			expand_fail(2);
		}
		char *pat = operand_pattern(p, end, mode);
		char *r = trim(all ? "" : set ? val : "", pat, op == '%', longest);
		xadds(b, r, attr);
		free(pat);
		free(r);
		return;
	}
	default:
	bad:
		sh_error("bad substitution");
		expand_fail(2);
	}
	if (all)
		add_params(b, name[0] == '*', mode);
	else if (val)
		xadds(b, val, attr);
}

static void expand_dollar(struct xbuf *b, const char **pp, const char *end,
			  int mode)
{
	const char *p = *pp + 1; /* after $ */
	int attr = (mode & X_DQ) ? A_QUOTED : A_EXP;

	if (p < end && *p == '{') {
		const char *e = skip_brace(p + 1);
		expand_brace(b, p + 1, e, mode);
		*pp = *e ? e + 1 : e;
		return;
	}
	if (p + 1 < end && p[0] == '(' && p[1] == '(') {
		/* $((expr)) */
		const char *e = skip_paren(p + 2, 1);
		struct xbuf w = { 0 };
		long v;
		xp(&w, p + 2, e, X_DQ);
		char *expr = xstrndup(w.s ? w.s : "", w.n);
		xfree(&w);
		if (arith_eval(expr, &v) < 0) {
			free(expr);
			expand_fail(2);
		}
		free(expr);
		xadds(b, num(v), attr);
		*pp = *e ? e + 2 : e;
		return;
	}
	if (p < end && *p == '(') {
		const char *e = p + subst_length(p + 1);
		char *text = xstrndup(p + 1, e - p - 1);
		char *out = cmd_subst(text, 0);
		free(text);
		xadds(b, out, attr);
		*pp = *e ? e + 1 : e;
		return;
	}
	int nl = var_name_len(p);
	if (nl == 0 && p < end && ((*p >= '0' && *p <= '9') || strchr("@*#?-$!", *p)))
		nl = 1;
	if (nl == 0 || p + nl > end) {
		xadd(b, '$', (mode & X_DQ) ? A_QUOTED : A_LIT);
		*pp = p;
		return;
	}
	char name[256];
	if (nl >= (int)sizeof name)
		nl = sizeof name - 1;
	memcpy(name, p, nl);
	name[nl] = 0;
	*pp = p + nl;
	if (nl == 1 && (name[0] == '@' || name[0] == '*')) {
		add_params(b, name[0] == '*', mode);
		return;
	}
	const char *v = param_value(name);
	if (!v && sh.opt_u) {
		sh_error("%s: parameter not set", name);
		expand_fail(2);
	}
	if (v)
		xadds(b, v, attr);
}

/* `...`: the text with \$ \` \\ (and \" inside "...") unescaped. */
static void expand_backquote(struct xbuf *b, const char **pp, int mode)
{
	const char *p = *pp + 1;
	struct str t = { 0 };

	for (; *p && *p != '`'; p++) {
		if (*p == '\\' && p[1] && (strchr("$`\\", p[1]) ||
					   (p[1] == '"' && (mode & X_DQ))))
			p++;
		str_addc(&t, *p);
	}
	*pp = *p ? p + 1 : p;
	char *text = str_take(&t);
	char *out = cmd_subst(text, 1);
	free(text);
	xadds(b, out, (mode & X_DQ) ? A_QUOTED : A_EXP);
}

static void tilde(struct xbuf *b, const char **pp, const char *end, int mode)
{
	const char *p = *pp + 1, *e = p;
	const char *home = NULL;

	while (e < end && *e != '/' && !((mode & X_ASSIGN) && *e == ':')) {
		if (strchr("\\'\"$`", *e)) { /* quoted name: not a tilde prefix */
			xadd(b, '~', A_LIT);
			*pp = p;
			return;
		}
		e++;
	}
	if (e == p) {
		home = var_get("HOME");
	} else {
		char *user = xstrndup(p, e - p);
		struct passwd *pw = getpwnam(user);
		free(user);
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home) {
		xadd(b, '~', A_LIT);
		*pp = p;
		return;
	}
	xadds(b, home, A_QUOTED);
	b->keep = 1;
	*pp = e;
}

/* The core: expand raw text p..end into b. */
static void xp(struct xbuf *b, const char *p, const char *end, int mode)
{
	int dq = mode & X_DQ;
	const char *start = p;

	while (p < end) {
		char c = *p;

		if (c == '~' && !dq && !(mode & X_HEREDOC) &&
		    (p == start || ((mode & X_ASSIGN) && p[-1] == ':'))) {
			tilde(b, &p, end, mode);
		} else if (c == '\'' && !dq) {
			b->keep = 1;
			for (p++; p < end && *p != '\''; p++)
				xadd(b, *p, A_QUOTED);
			p++;
		} else if (c == '"' && !(mode & X_HEREDOC)) {
			if (dq) {   /* inside ${V:-"..."} within "..." */
				p++;
				continue;
			}
			const char *q = p + 1;
			for (; q < end && *q != '"'; q++)
				if (*q == '\\' && q + 1 < end)
					q++;
				else if (*q == '$' && q[1] == '(' && q[2] != '(') {
					q += 1 + subst_length(q + 2);
				} else if (*q == '$' && q[1] == '(') {
					q = skip_paren(q + 2, 1);
				} else if (*q == '$' && q[1] == '{')
					q = skip_brace(q + 2);
				else if (*q == '`') {
					for (q++; q < end && *q != '`'; q++)
						if (*q == '\\' && q[1])
							q++;
				}
			if (!(sh.argc == 0 && q - p == 3 && !strncmp(p + 1, "$@", 2)) &&
			    !(sh.argc == 0 && q - p == 5 && !strncmp(p + 1, "${@}", 4)))
				b->keep = 1;
			xp(b, p + 1, q, mode | X_DQ);
			p = q < end ? q + 1 : q;
		} else if (c == '\\') {
			if (p + 1 >= end) {
				xadd(b, '\\', dq ? A_QUOTED : A_LIT);
				p++;
			} else if (!dq) {
				b->keep = 1;
				xadd(b, p[1], A_QUOTED);
				p += 2;
			} else if (strchr("$`\\\n", p[1]) ||
				   (p[1] == '"' && !(mode & X_HEREDOC))) {
				if (p[1] != '\n')
					xadd(b, p[1], A_QUOTED);
				p += 2;
			} else {
				xadd(b, '\\', A_QUOTED);
				p++;
			}
		} else if (c == '$') {
			expand_dollar(b, &p, end, mode);
		} else if (c == '`') {
			expand_backquote(b, &p, mode);
		} else {
			xadd(b, c, dq ? A_QUOTED : A_LIT);
			p++;
		}
	}
}

/* ---- fields ---- */
struct fields {
	char **v;
	int n, cap;
};

static void add_field(struct fields *f, char *s)
{
	if (f->n + 2 > f->cap) {
		int cap = f->cap ? f->cap * 2 : 16;
		char **v = stk_alloc(cap * sizeof *v);
		if (f->n)
			memcpy(v, f->v, f->n * sizeof *v);
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = s;
	f->v[f->n] = NULL;
}

static int glob_errfn(const char *path, int err)
{
	(void)path;
	(void)err;
	return 0;
}

/* One field (chars s..s+n with attributes a): pathname expansion. */
static void finish_field(struct fields *f, const char *s,
			 const unsigned char *a, size_t n)
{
	int magic = 0;

	for (size_t i = 0; i < n && !sh.opt_f && !magic; i++) {
		if (a[i] != A_LIT && a[i] != A_EXP)
			continue;
		if (s[i] == '*' || s[i] == '?')
			magic = 1;
		else if (s[i] == '[' && memchr(s + i + 1, ']', n - i - 1))
			magic = 1;  /* a lone "[" (the test command) is no pattern */
	}
	if (magic) {
		struct xbuf w = { .s = (char *)s, .a = (unsigned char *)a, .n = n };
		char *pat = pattern_of(&w);
		glob_t g;
		if (glob(pat, 0, glob_errfn, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++)
				add_field(f, stk_strdup(g.gl_pathv[i]));
			globfree(&g);
			free(pat);
			return;
		}
		free(pat);
	}
	char *r = stk_alloc(n + 1);
	memcpy(r, s, n);
	r[n] = 0;
	add_field(f, r);
}

/* Split b into fields on IFS (only A_EXP characters) and glob each. */
static void split(struct fields *f, struct xbuf *b)
{
	const char *ifs = var_get("IFS");
	size_t start = 0, i = 0;
	int have = b->keep; /* the current field exists even if empty */

	if (!ifs)
		ifs = " \t\n";
	while (i < b->n) {
		unsigned char a = b->a[i];
		char c = b->s[i];

		if (a == A_BREAK || a == A_SEP) {
			if (a == A_BREAK || i > start)
				finish_field(f, b->s + start, b->a + start, i - start);
			i++;
			start = i;
			have = a == A_BREAK;
			continue;
		}
		if (a != A_EXP || !*ifs || !strchr(ifs, c)) {
			i++;
			continue;
		}
		int ws = c == ' ' || c == '\t' || c == '\n';
		if (i > start || have || !ws)
			finish_field(f, b->s + start, b->a + start, i - start);
		i++;
		/* IFS white space around one delimiter counts once */
		while (i < b->n && b->a[i] == A_EXP && strchr(ifs, b->s[i]) &&
		       (b->s[i] == ' ' || b->s[i] == '\t' || b->s[i] == '\n'))
			i++;
		if (ws && i < b->n && b->a[i] == A_EXP && strchr(ifs, b->s[i])) {
			i++;
			while (i < b->n && b->a[i] == A_EXP && strchr(ifs, b->s[i]) &&
			       (b->s[i] == ' ' || b->s[i] == '\t' || b->s[i] == '\n'))
				i++;
		}
		start = i;
		have = 0;
	}
	if (i > start || have)
		finish_field(f, b->s + start, b->a + start, i - start);
}

static int is_plain(const char *s)
{
	return !s[strcspn(s, "$`'\"\\~*?[")];
}

char **expand_words(struct word *w, int *nfields)
{
	struct fields f = { 0 };

	add_field(&f, NULL);
	f.n = 0;
	for (; w; w = w->next) {
		if (is_plain(w->text)) {
			add_field(&f, stk_strdup(w->text));
			continue;
		}
		struct xbuf b = { 0 };
		xp(&b, w->text, w->text + strlen(w->text), X_SPLIT);
		split(&f, &b);
		xfree(&b);
	}
	*nfields = f.n;
	return f.v;
}

static char *expand_mode(const char *raw, int mode)
{
	struct xbuf b = { 0 };
	char *r;

	if (is_plain(raw))
		return stk_strdup(raw);
	xp(&b, raw, raw + strlen(raw), mode);
	r = stk_alloc(b.n + 1);
	if (b.n)
		memcpy(r, b.s, b.n);
	r[b.n] = 0;
	xfree(&b);
	return r;
}

char *expand_str(const char *raw)
{
	return expand_mode(raw, 0);
}

char *expand_assign(const char *raw)
{
	return expand_mode(raw, X_ASSIGN);
}

char *expand_heredoc(const char *body)
{
	struct xbuf b = { 0 };
	char *r;

	xp(&b, body, body + strlen(body), X_DQ | X_HEREDOC);
	r = stk_alloc(b.n + 1);
	if (b.n)
		memcpy(r, b.s, b.n);
	r[b.n] = 0;
	xfree(&b);
	return r;
}

char *expand_pattern(const char *raw)
{
	struct xbuf b = { 0 };
	char *p, *r;

	xp(&b, raw, raw + strlen(raw), 0);
	p = pattern_of(&b);
	r = stk_strdup(p);
	free(p);
	xfree(&b);
	return r;
}

int pattern_match(const char *pat, const char *s)
{
	return fnmatch(pat, s, 0) == 0;
}
