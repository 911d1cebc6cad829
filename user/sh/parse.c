/*
 * user/sh/parse.c - tokens -> syntax tree, by recursive descent over the
 * POSIX shell grammar (XCU 2.10):
 *
 *   complete_command: and_or ((';' | '&') and_or)* [';' | '&'] NEWLINE
 *   and_or:   pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline: ['!'] command ('|' linebreak command)*
 *   command:  simple_command | compound_command redirect*
 *             | NAME '(' ')' linebreak compound_command redirect*
 *   compound: '{' list '}' | '(' list ')' | if | while | until | for | case
 *
 * Node shapes: N_SEQ/N_AND/N_OR a, b; N_NOT, N_BG a; N_PIPE a (commands
 * chained by ->next); N_SUBSHELL/N_GROUP a; N_IF a (cond) b (then) c
 * (else, an N_IF for elif); N_WHILE/N_UNTIL a (cond) b (body); N_FOR name,
 * words, b; N_CASE name (the word), cases; N_FUNC name, a (body).
 *
 * Reserved words are words: the parser recognizes them where the grammar
 * allows one (unquoted, in command position). Errors longjmp back to
 * parse_command with a message like `unexpected "fi"`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

const char *parse_error;
static char errbuf[256];
static jmp_buf parse_jmp;
static int subst_depth;

_Noreturn void syntax_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
	parse_error = errbuf;
	longjmp(parse_jmp, 1);
}

static _Noreturn void unexpected(const struct token *t)
{
	if (t->type == T_EOF)
		syntax_fail("unexpected end of file");
	syntax_fail("unexpected \"%s\"", tok_describe(t));
}

static struct node *mknode(enum ntype type)
{
	struct node *n = xmalloc(sizeof *n);

	memset(n, 0, sizeof *n);
	n->type = type;
	n->lineno = lx.in->lineno;
	return n;
}

static struct node *mk2(enum ntype type, struct node *a, struct node *b)
{
	struct node *n = mknode(type);

	n->a = a;
	n->b = b;
	return n;
}

static int is_kw(const struct token *t, const char *kw)
{
	return t->type == T_WORD && !t->quoted && strcmp(t->text, kw) == 0;
}

/* Tokens that end a list: the parser above decides what comes next. */
static int ends_list(const struct token *t)
{
	static const char *const kws[] = { "then", "else", "elif", "fi", "do",
					   "done", "esac", "}", NULL };

	if (t->type == T_EOF || t->type == T_RPAR || t->type == T_DSEMI)
		return 1;
	if (t->type != T_WORD || t->quoted)
		return 0;
	for (int i = 0; kws[i]; i++)
		if (strcmp(t->text, kws[i]) == 0)
			return 1;
	return 0;
}

static void linebreak(void)
{
	while (tok_peek()->type == T_NL)
		tok_next();
}

static void expect_kw(const char *kw)
{
	struct token *t = tok_peek();

	if (!is_kw(t, kw))
		unexpected(t);
	free(tok_next().text);
}

static char *source_text(size_t start, size_t end)
{
	const char *b = lx.in->buf;

	while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t' ||
			       b[end - 1] == '\n' || b[end - 1] == ';' ||
			       b[end - 1] == '&'))
		end--;
	return xstrndup(b + start, end - start);
}

static struct node *and_or(void);
static struct node *command(void);

/* A list inside a compound command: newlines separate like ';'. */
static struct node *list(int required)
{
	struct node *head = NULL;

	linebreak();
	if (ends_list(tok_peek())) {
		if (required)
			unexpected(tok_peek());
		return NULL;
	}
	for (;;) {
		size_t start = tok_peek()->start;
		struct node *n = and_or();
		struct token *t = tok_peek();
		enum tok type = t->type;

		if (type == T_AMP) {
			n = mk2(N_BG, n, NULL);
			n->text = source_text(start, t->start);
		}
		head = head ? mk2(N_SEQ, head, n) : n;
		if (type == T_AMP || type == T_SEMI || type == T_NL)
			tok_next();
		else if (ends_list(t))
			return head;
		else
			unexpected(t);
		linebreak();
		if (ends_list(tok_peek()))
			return head;
	}
}

static struct node *pipeline(void)
{
	int bang = 0;
	struct node *first, *n, *p;
	size_t start;

	while (is_kw(tok_peek(), "!")) {
		free(tok_next().text);
		bang = !bang;
	}
	start = tok_peek()->start;
	first = n = command();
	while (tok_peek()->type == T_PIPE) {
		tok_next();
		linebreak();
		n->next = command();
		n = n->next;
	}
	p = mknode(N_PIPE);
	p->a = first;
	p->text = source_text(start, lx.last_end);
	return bang ? mk2(N_NOT, p, NULL) : p;
}

static struct node *and_or(void)
{
	struct node *n = pipeline();

	for (;;) {
		enum tok t = tok_peek()->type;

		if (t != T_AND && t != T_OR)
			return n;
		tok_next();
		linebreak();
		n = mk2(t == T_AND ? N_AND : N_OR, n, pipeline());
	}
}

static int is_redir_op(enum tok t)
{
	return t >= T_LESS && t <= T_DLESSDASH;
}

/* Strip the quotes of a here-document delimiter. */
static char *unquote_delim(const char *s)
{
	struct str b = { 0 };

	for (; *s; s++) {
		if (*s == '\\' && s[1])
			str_addc(&b, *++s);
		else if (*s != '\'' && *s != '"')
			str_addc(&b, *s);
	}
	return str_take(&b);
}

static struct redir *redirect(void)
{
	struct token op = tok_next();
	struct token w;
	struct redir *r = xmalloc(sizeof *r);

	memset(r, 0, sizeof *r);
	if (tok_peek()->type != T_WORD)
		unexpected(tok_peek());
	w = tok_next();
	switch (op.type) {
	case T_LESS: r->type = R_IN; break;
	case T_GREAT: r->type = R_OUT; break;
	case T_CLOBBER: r->type = R_CLOBBER; break;
	case T_DGREAT: r->type = R_APPEND; break;
	case T_LESSGREAT: r->type = R_RDWR; break;
	case T_LESSAND: r->type = R_DUPIN; break;
	case T_GREATAND: r->type = R_DUPOUT; break;
	default: r->type = R_HEREDOC; break;
	}
	r->fd = op.io_number >= 0 ? op.io_number
		: (r->type == R_IN || r->type == R_RDWR || r->type == R_DUPIN ||
		   r->type == R_HEREDOC) ? 0 : 1;
	if (r->type == R_HEREDOC) {
		r->word = unquote_delim(w.text);
		r->quoted = (w.quoted ? 1 : 0) | (op.type == T_DLESSDASH ? 2 : 0);
		free(w.text);
		lex_heredoc(r);
	} else {
		r->word = w.text;
	}
	return r;
}

static void add_redir(struct redir ***tail)
{
	struct redir *r = redirect();

	**tail = r;
	*tail = &r->next;
}

static void redirects(struct node *n)
{
	struct redir **tail = &n->redirs;

	while (*tail)
		tail = &(*tail)->next;
	while (is_redir_op(tok_peek()->type))
		add_redir(&tail);
}

static int is_assignment(const struct token *t)
{
	int n = var_name_len(t->text);

	return n > 0 && t->text[n] == '=';
}

/* A simple command; `first` is its first word already taken (or NULL). */
static struct node *simple(void)
{
	struct node *n = mknode(N_CMD);
	struct word **wt = &n->words, **at = &n->assigns;
	struct redir **rt = &n->redirs;
	const char *expanded[8];
	int nexpanded = 0;

	for (;;) {
		struct token *t = tok_peek();

		if (is_redir_op(t->type)) {
			add_redir(&rt);
			continue;
		}
		if (t->type != T_WORD)
			break;
		if (!n->words && is_assignment(t)) {
			struct word *w = xmalloc(sizeof *w);
			w->text = tok_next().text;
			w->next = NULL;
			*at = w;
			at = &w->next;
			continue;
		}
		/* Alias substitution on the command name. */
		const char *al = !n->words && !t->quoted ? alias_get(t->text) : NULL;
		for (int i = 0; al && i < nexpanded; i++)
			if (strcmp(expanded[i], t->text) == 0)
				al = NULL;
		if (al && nexpanded < 8) {
			struct input *in = lx.in;
			size_t start = t->start, end = in->pos;
			size_t vl = strlen(al), nl = in->len - end + start + vl;

			expanded[nexpanded++] = alias_get(t->text) ? t->text : "";
			if (nl + 1 > in->cap) {
				in->cap = nl + 64;
				in->buf = xrealloc(in->buf, in->cap);
			}
			memmove(in->buf + start + vl, in->buf + end, in->len - end);
			memcpy(in->buf + start, al, vl);
			in->len = nl;
			in->buf[in->len] = 0;
			in->pos = start;
			lx.have_peek = 0;
			continue;
		}
		struct word *w = xmalloc(sizeof *w);
		w->text = tok_next().text;
		w->next = NULL;
		*wt = w;
		wt = &w->next;
		if (n->words == w && tok_peek()->type == T_LPAR && !n->assigns &&
		    !n->redirs)
			return n; /* a function definition: command() goes on */
	}
	if (!n->words && !n->assigns && !n->redirs)
		unexpected(tok_peek());
	return n;
}

static struct node *compound_if(void)
{
	struct node *n = mknode(N_IF);

	n->a = list(1);
	expect_kw("then");
	n->b = list(1);
	if (is_kw(tok_peek(), "elif")) {
		free(tok_next().text);
		n->c = compound_if();
		return n;
	}
	if (is_kw(tok_peek(), "else")) {
		free(tok_next().text);
		n->c = list(1);
	}
	expect_kw("fi");
	return n;
}

static struct node *do_group(void)
{
	struct node *body;

	linebreak();
	expect_kw("do");
	body = list(1);
	expect_kw("done");
	return body;
}

static struct node *compound_for(void)
{
	struct node *n = mknode(N_FOR);
	struct token t = tok_next();
	struct word **wt = &n->words;

	if (t.type != T_WORD || var_name_len(t.text) != (int)strlen(t.text))
		syntax_fail("bad for loop variable");
	n->name = t.text;
	linebreak();
	if (is_kw(tok_peek(), "in")) {
		free(tok_next().text);
		n->has_in = 1;
		while (tok_peek()->type == T_WORD) {
			struct word *w = xmalloc(sizeof *w);
			w->text = tok_next().text;
			w->next = NULL;
			*wt = w;
			wt = &w->next;
		}
		if (tok_peek()->type != T_SEMI && tok_peek()->type != T_NL)
			unexpected(tok_peek());
		tok_next();
	} else if (tok_peek()->type == T_SEMI) {
		tok_next();
	}
	n->b = do_group();
	return n;
}

static struct node *compound_case(void)
{
	struct node *n = mknode(N_CASE);
	struct caseitem **ct = &n->cases;
	struct token t = tok_next();

	if (t.type != T_WORD)
		unexpected(&t);
	n->name = t.text;
	linebreak();
	expect_kw("in");
	for (;;) {
		linebreak();
		if (is_kw(tok_peek(), "esac"))
			break;
		struct caseitem *ci = xmalloc(sizeof *ci);
		struct word **wt = &ci->pats;
		memset(ci, 0, sizeof *ci);
		if (tok_peek()->type == T_LPAR)
			tok_next();
		for (;;) {
			struct token p = tok_next();
			if (p.type != T_WORD)
				unexpected(&p);
			struct word *w = xmalloc(sizeof *w);
			w->text = p.text;
			w->next = NULL;
			*wt = w;
			wt = &w->next;
			if (tok_peek()->type != T_PIPE)
				break;
			tok_next();
		}
		if (tok_peek()->type != T_RPAR)
			unexpected(tok_peek());
		tok_next();
		ci->body = list(0);
		*ct = ci;
		ct = &ci->next;
		if (tok_peek()->type == T_DSEMI) {
			tok_next();
			continue;
		}
		linebreak();
		if (!is_kw(tok_peek(), "esac"))
			unexpected(tok_peek());
	}
	free(tok_next().text);
	return n;
}

static struct node *command(void)
{
	struct token *t = tok_peek();
	struct node *n;

	if (t->type == T_LPAR) {
		tok_next();
		n = mknode(N_SUBSHELL);
		n->a = list(1);
		if (tok_peek()->type != T_RPAR)
			unexpected(tok_peek());
		tok_next();
	} else if (t->type == T_WORD && !t->quoted) {
		const char *w = t->text;

		if (!strcmp(w, "{")) {
			free(tok_next().text);
			n = mknode(N_GROUP);
			n->a = list(1);
			expect_kw("}");
		} else if (!strcmp(w, "if")) {
			free(tok_next().text);
			n = compound_if();
		} else if (!strcmp(w, "while") || !strcmp(w, "until")) {
			n = mknode(w[0] == 'w' ? N_WHILE : N_UNTIL);
			free(tok_next().text);
			n->a = list(1);
			n->b = do_group();
		} else if (!strcmp(w, "for")) {
			free(tok_next().text);
			n = compound_for();
		} else if (!strcmp(w, "case")) {
			free(tok_next().text);
			n = compound_case();
		} else if (ends_list(t) || !strcmp(w, "in")) {
			unexpected(t);
		} else {
			goto simple_cmd;
		}
	} else {
	simple_cmd:
		n = simple();
		if (tok_peek()->type != T_LPAR)
			return n;
		if (!n->words || n->words->next || n->assigns || n->redirs)
			unexpected(tok_peek());
		/* NAME ( ) compound-command */
		struct node *f = mknode(N_FUNC);
		f->name = n->words->text;
		if (var_name_len(f->name) == 0)
			syntax_fail("bad function name \"%s\"", f->name);
		tok_next();
		if (tok_peek()->type != T_RPAR)
			unexpected(tok_peek());
		tok_next();
		linebreak();
		f->a = command();  /* POSIX wants a compound command; dash, any */
		return f;
	}
	redirects(n);
	return n;
}

static void words_free(struct word *w)
{
	while (w) {
		struct word *next = w->next;
		free(w->text);
		free(w);
		w = next;
	}
}

/* Free a tree after it ran. The bodies of the functions it defined stay:
 * the function table owns them now. */
void tree_free(struct node *n)
{
	while (n) {
		struct node *next = n->next;
		words_free(n->words);
		words_free(n->assigns);
		for (struct redir *r = n->redirs, *rn; r; r = rn) {
			rn = r->next;
			free(r->word);
			free(r->body);
			free(r);
		}
		for (struct caseitem *c = n->cases, *cn; c; c = cn) {
			cn = c->next;
			words_free(c->pats);
			tree_free(c->body);
			free(c);
		}
		if (n->type != N_FUNC || func_get(n->name) != n->a)
			tree_free(n->a);
		free(n->name);
		tree_free(n->b);
		tree_free(n->c);
		free(n->text);
		free(n);
		n = next;
	}
}

/* Called by the lexer at "$(": a list up to the matching ')'. */
void parse_subst(void)
{
	struct node *n;

	subst_depth++;
	n = list(0);
	tree_free(n);
	subst_depth--;
	if (tok_peek()->type != T_RPAR)
		unexpected(tok_peek());
	lx.have_peek = 0; /* the ')' is consumed: input is right after it */
}

/* Length of the text of a $(...) whose inside starts at s, up to and
 * including the closing ')'; found by parsing, like the lexer did. */
size_t subst_length(const char *s)
{
	struct input in;
	struct lexer saved = lx;
	jmp_buf saved_jmp;
	size_t n;

	memcpy(saved_jmp, parse_jmp, sizeof saved_jmp);
	input_init_string(&in, s, NULL);
	lx.in = &in;
	lx.have_peek = 0;
	lx.nhd = 0;
	if (setjmp(parse_jmp))
		n = strlen(s);
	else {
		parse_subst();
		n = in.pos;
	}
	memcpy(parse_jmp, saved_jmp, sizeof saved_jmp);
	lx = saved;
	free(in.buf);
	return n;
}

enum parse_status parse_command(struct input *in, struct node **out)
{
	struct token *t;
	struct node *volatile head = NULL;

	lx.in = in;
	lx.have_peek = 0;
	lx.nhd = 0;
	subst_depth = 0;
	*out = NULL;
	if (setjmp(parse_jmp))
		return P_ERROR;
	t = tok_peek();
	if (t->type == T_EOF)
		return P_EOF;
	if (t->type == T_NL) {
		tok_next();
		return P_OK;
	}
	for (;;) {
		size_t start = tok_peek()->start;
		struct node *n = and_or();

		t = tok_peek();
		if (t->type == T_AMP) {
			n = mk2(N_BG, n, NULL);
			n->text = source_text(start, t->start);
		}
		head = head ? mk2(N_SEQ, head, n) : n;
		if (t->type == T_AMP || t->type == T_SEMI) {
			tok_next();
			t = tok_peek();
		} else if (t->type != T_NL && t->type != T_EOF) {
			unexpected(t);
		}
		if (t->type == T_NL) {
			tok_next();
			break;
		}
		if (t->type == T_EOF)
			break;
	}
	*out = head;
	return P_OK;
}

static int more_none(struct input *in)
{
	(void)in;
	return 0;
}

void input_init_string(struct input *in, const char *s, const char *name)
{
	memset(in, 0, sizeof *in);
	in->len = strlen(s);
	in->cap = in->len + 1;
	in->buf = xmalloc(in->cap);
	memcpy(in->buf, s, in->len + 1);
	in->lineno = 1;
	in->name = name;
	in->more = more_none;
}

void input_discard(struct input *in)
{
	in->pos = in->len;
}

/* Parse all of s into one tree (a sequence). */
enum parse_status parse_string(const char *s, const char *name, int lineno,
			       struct node **out)
{
	struct input in;
	struct node *head = NULL;
	enum parse_status st;
	struct lexer saved = lx;

	input_init_string(&in, s, name);
	in.lineno = lineno;
	for (;;) {
		struct node *n;

		st = parse_command(&in, &n);
		if (st == P_ERROR) {
			sh.lineno = in.lineno;
			break;
		}
		if (st == P_EOF) {
			st = P_OK;
			break;
		}
		if (n)
			head = head ? mk2(N_SEQ, head, n) : n;
	}
	lx = saved;
	free(in.buf);
	*out = head;
	return st;
}
