/*
 * user/sh/lex.c - characters -> tokens, following POSIX "Token
 * Recognition" (XCU 2.3).
 *
 * A word keeps its raw text, quotes included: expansion (expand.c) needs
 * to know what was quoted. To find where a word ends the lexer follows
 * its structure: '...', "...", \x, ${...}, $((...)), `...` and $(...),
 * whose inside is a whole command list: it is parsed right here
 * (parse_subst) so that a ')' inside a case pattern or a quoted string
 * does not end it early. The text is parsed again when it runs.
 *
 * Input comes from struct input, which grows on demand: when the lexer
 * needs a character past the end it calls in->more(), which reads another
 * line (from a script, or from the terminal with the PS2 prompt). Offsets,
 * not pointers, are kept into the buffer because it moves when it grows.
 *
 * Here-documents: the parser queues each << redirection (lex_heredoc);
 * when the lexer passes the next newline it reads the bodies, line by
 * line, up to the delimiter.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

struct lexer lx;

int input_peekc(struct input *in)
{
	while (in->pos >= in->len) {
		if (in->eof || !in->more || !in->more(in)) {
			in->eof = 1;
			return -1;
		}
	}
	return (unsigned char)in->buf[in->pos];
}

static int pc(void)
{
	return input_peekc(lx.in);
}

static int gc(void)
{
	int c = pc();

	if (c < 0)
		return -1;
	lx.in->pos++;
	if (c == '\n')
		lx.in->lineno++;
	return c;
}

/* The character after the next one (for "\<newline>" and operators). */
static int pc2(void)
{
	struct input *in = lx.in;

	if (pc() < 0)
		return -1;
	while (in->pos + 1 >= in->len) {
		if (in->eof || !in->more || !in->more(in))
			return -1;
	}
	return (unsigned char)in->buf[in->pos + 1];
}

static _Noreturn void eof_fail(void)
{
	syntax_fail("unexpected end of file");
}

/* Skip "\<newline>" line continuations at the current position. */
static void skip_continuations(void)
{
	while (pc() == '\\' && pc2() == '\n') {
		gc();
		gc();
	}
}

static void scan_dollar(struct str *b);
static void scan_backquote(struct str *b);

static void scan_squote(struct str *b)
{
	str_addc(b, gc());
	for (;;) {
		int c = gc();
		if (c < 0)
			eof_fail();
		str_addc(b, c);
		if (c == '\'')
			return;
	}
}

static void scan_dquote(struct str *b)
{
	str_addc(b, gc());
	for (;;) {
		int c = pc();
		if (c < 0)
			eof_fail();
		if (c == '"') {
			str_addc(b, gc());
			return;
		}
		if (c == '\\') {
			str_addc(b, gc());
			if ((c = gc()) < 0)
				eof_fail();
			str_addc(b, c);
		} else if (c == '$') {
			scan_dollar(b);
		} else if (c == '`') {
			scan_backquote(b);
		} else {
			str_addc(b, gc());
		}
	}
}

static void scan_backquote(struct str *b)
{
	str_addc(b, gc());
	for (;;) {
		int c = gc();
		if (c < 0)
			eof_fail();
		str_addc(b, c);
		if (c == '`')
			return;
		if (c == '\\') {
			if ((c = gc()) < 0)
				eof_fail();
			str_addc(b, c);
		}
	}
}

/* ${...}: up to the matching brace, with quotes and nesting inside. */
static void scan_brace(struct str *b)
{
	str_addc(b, gc()); /* { */
	for (;;) {
		int c = pc();
		if (c < 0)
			eof_fail();
		if (c == '}') {
			str_addc(b, gc());
			return;
		}
		if (c == '\'')
			scan_squote(b);
		else if (c == '"')
			scan_dquote(b);
		else if (c == '$')
			scan_dollar(b);
		else if (c == '`')
			scan_backquote(b);
		else if (c == '\\') {
			str_addc(b, gc());
			if ((c = gc()) < 0)
				eof_fail();
			str_addc(b, c);
		} else
			str_addc(b, gc());
	}
}

/* $((...)): up to the "))" that balances, parentheses counted. */
static void scan_arith(struct str *b)
{
	int depth = 0;

	str_addc(b, gc());
	str_addc(b, gc()); /* (( */
	for (;;) {
		int c = pc();
		if (c < 0)
			eof_fail();
		if (c == ')' && depth == 0 && pc2() == ')') {
			str_addc(b, gc());
			str_addc(b, gc());
			return;
		}
		if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		if (c == '$') {
			scan_dollar(b);
			continue;
		}
		if (c == '\'' ) {
			scan_squote(b);
			continue;
		}
		if (c == '"') {
			scan_dquote(b);
			continue;
		}
		if (c == '`') {
			scan_backquote(b);
			continue;
		}
		str_addc(b, gc());
	}
}

/* $(...): parse the command list inside and copy its text. */
static void scan_subst(struct str *b)
{
	struct lexer saved = lx;
	size_t start = lx.in->pos;

	gc(); /* ( */
	lx.have_peek = 0;
	lx.nhd = 0;
	parse_subst();   /* consumes the closing ')' */
	str_addc(b, '$');
	str_addn(b, lx.in->buf + start, lx.in->pos - start);
	saved.in = lx.in;
	lx = saved;
}

static void scan_dollar(struct str *b)
{
	int c;

	gc(); /* $ */
	c = pc();
	if (c == '{') {
		str_addc(b, '$');
		scan_brace(b);
	} else if (c == '(') {
		if (pc2() == '(') {
			str_addc(b, '$');
			scan_arith(b);
		} else {
			scan_subst(b);
		}
	} else {
		str_addc(b, '$');
	}
}

static int is_meta(int c)
{
	return c < 0 || c == ' ' || c == '\t' || c == '\n' || c == ';' ||
	       c == '&' || c == '|' || c == '<' || c == '>' || c == '(' ||
	       c == ')';
}

/* Scan one word; returns whether any character was quoted. */
static int scan_word(struct str *b)
{
	int quoted = 0;

	for (;;) {
		skip_continuations();
		int c = pc();
		if (is_meta(c))
			return quoted;
		if (c == '\'') {
			scan_squote(b);
			quoted = 1;
		} else if (c == '"') {
			scan_dquote(b);
			quoted = 1;
		} else if (c == '\\') {
			str_addc(b, gc());
			if ((c = gc()) < 0)
				return 1;
			str_addc(b, c);
			quoted = 1;
		} else if (c == '$') {
			scan_dollar(b);
		} else if (c == '`') {
			scan_backquote(b);
		} else {
			str_addc(b, gc());
		}
	}
}

/* Read one here-document body, up to its delimiter line. r->quoted:
 * bit 0 the delimiter was quoted, bit 1 strip leading tabs (<<-). */
static void read_heredoc(struct redir *r)
{
	struct str body = { 0 }, line = { 0 };

	for (;;) {
		int c;

		line.n = 0;
		while ((c = gc()) >= 0 && c != '\n')
			str_addc(&line, c);
		str_addc(&line, 0);
		char *l = line.s;
		if (r->quoted & 2)
			while (*l == '\t')
				l++;
		if (strcmp(l, r->word) == 0 || (c < 0 && !*l))
			break;
		str_adds(&body, l);
		str_addc(&body, '\n');
		if (c < 0)
			break;
	}
	free(line.s);
	r->body = str_take(&body);
	r->quoted &= 1;
}

static void read_heredocs(void)
{
	int n = lx.nhd;

	lx.nhd = 0;
	for (int i = 0; i < n; i++)
		read_heredoc(lx.hd[i]);
}

void lex_heredoc(struct redir *r)
{
	if (lx.nhd == MAX_HEREDOCS)
		syntax_fail("too many here-documents on one line");
	lx.hd[lx.nhd++] = r;
}

static struct token lex_token(void)
{
	struct token t = { .io_number = -1 };
	int c;

again:
	while ((c = pc()) == ' ' || c == '\t' || (c == '\\' && pc2() == '\n')) {
		if (c == '\\')
			gc();
		gc();
	}
	if (c == '#') {
		while ((c = pc()) >= 0 && c != '\n')
			gc();
	}
	t.start = lx.in->pos;
	t.lineno = lx.in->lineno;
	c = gc();
	switch (c) {
	case -1: t.type = T_EOF; return t;
	case '\n':
		t.type = T_NL;
		if (lx.nhd)
			read_heredocs();
		return t;
	case ';':
		if (pc() == ';') {
			gc();
			t.type = T_DSEMI;
		} else
			t.type = T_SEMI;
		return t;
	case '&':
		if (pc() == '&') {
			gc();
			t.type = T_AND;
		} else
			t.type = T_AMP;
		return t;
	case '|':
		if (pc() == '|') {
			gc();
			t.type = T_OR;
		} else
			t.type = T_PIPE;
		return t;
	case '(': t.type = T_LPAR; return t;
	case ')': t.type = T_RPAR; return t;
	case '<':
		t.type = T_LESS;
		if (pc() == '<') {
			gc();
			t.type = T_DLESS;
			if (pc() == '-') {
				gc();
				t.type = T_DLESSDASH;
			}
		} else if (pc() == '&') {
			gc();
			t.type = T_LESSAND;
		} else if (pc() == '>') {
			gc();
			t.type = T_LESSGREAT;
		}
		return t;
	case '>':
		t.type = T_GREAT;
		if (pc() == '>') {
			gc();
			t.type = T_DGREAT;
		} else if (pc() == '&') {
			gc();
			t.type = T_GREATAND;
		} else if (pc() == '|') {
			gc();
			t.type = T_CLOBBER;
		}
		return t;
	}
	/* A word: put the first character back and scan. */
	lx.in->pos--;
	if (c == '\n')
		lx.in->lineno--;
	struct str b = { 0 };
	t.type = T_WORD;
	t.quoted = scan_word(&b);
	if (b.n == 0 && !t.quoted) {
		free(b.s);
		goto again;  /* only line continuations */
	}
	str_addc(&b, 0);
	t.text = b.s;
	c = pc();
	if ((c == '<' || c == '>') && !t.quoted && b.n <= 4 &&
	    strspn(t.text, "0123456789") == strlen(t.text)) {
		int fd = atoi(t.text);
		free(t.text);
		t = lex_token();
		t.io_number = fd;
	}
	return t;
}

struct token *tok_peek(void)
{
	if (!lx.have_peek) {
		lx.peek = lex_token();
		lx.have_peek = 1;
	}
	return &lx.peek;
}

struct token tok_next(void)
{
	struct token t = *tok_peek();

	lx.have_peek = 0;
	lx.last_end = lx.in->pos;
	return t;
}

const char *tok_describe(const struct token *t)
{
	static const char *names[] = {
		[T_NL] = "newline", [T_EOF] = "end of file", [T_SEMI] = ";",
		[T_AMP] = "&", [T_AND] = "&&", [T_OR] = "||", [T_PIPE] = "|",
		[T_LPAR] = "(", [T_RPAR] = ")", [T_DSEMI] = ";;",
		[T_LESS] = "<", [T_GREAT] = ">", [T_CLOBBER] = ">|",
		[T_DGREAT] = ">>", [T_LESSGREAT] = "<>", [T_LESSAND] = "<&",
		[T_GREATAND] = ">&", [T_DLESS] = "<<", [T_DLESSDASH] = "<<-",
	};

	return t->type == T_WORD ? t->text : names[t->type];
}
