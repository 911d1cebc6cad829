/*
 * user/sh/parse.c - recursive-descent parser for the subset of the POSIX
 * shell grammar this shell runs:
 *
 *   list      := and_or ((';' | '&' | NEWLINE) and_or)* [';' | '&']
 *   and_or    := pipeline (('&&' | '||') NEWLINE* pipeline)*
 *   pipeline  := ['!'] command ('|' NEWLINE* command)*
 *   command   := (WORD | redirect)+
 *   redirect  := [N] ('<' | '>' | '>>' | '<&' | '>&' | '<>' | '>|') WORD
 *
 * Compound commands (if, while, for, case, functions, subshells) are a later
 * step: they would become new node types beside struct command.
 * Input that stops right after '|', '&&' or '||' is PARSE_INCOMPLETE, so the
 * interactive shell can ask for a continuation line.
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct parser {
	struct token *tok;
	const char *err;
	int incomplete;
};

static const char *tok_name(struct token *t)
{
	switch (t->type) {
	case T_WORD: return t->text;
	case T_NEWLINE: return "newline";
	case T_EOF: return "end of file";
	case T_SEMI: return ";";
	case T_AMP: return "&";
	case T_AND_IF: return "&&";
	case T_OR_IF: return "||";
	case T_PIPE: return "|";
	default: return "redirection";
	}
}

static void syntax_error(struct parser *ps)
{
	static char msg[128];

	if (ps->err)
		return;
	if (ps->tok->type == T_EOF) {
		ps->incomplete = 1;
		ps->err = "unexpected end of file";
		return;
	}
	strcpy(msg, "unexpected ");
	strncat(msg, tok_name(ps->tok), sizeof msg - 20);
	ps->err = msg;
}

static int is_redir(enum tok_type t)
{
	return t == T_LESS || t == T_GREAT || t == T_DGREAT ||
	       t == T_LESSAND || t == T_GREATAND || t == T_LESSGREAT;
}

static void skip_newlines(struct parser *ps)
{
	while (ps->tok->type == T_NEWLINE)
		ps->tok = ps->tok->next;
}

static struct redir *parse_redir(struct parser *ps)
{
	struct token *op = ps->tok;
	struct redir *r = arena_alloc(sizeof *r);

	switch (op->type) {
	case T_LESS: r->type = R_IN; r->fd = 0; break;
	case T_GREAT: r->type = R_OUT; r->fd = 1; break;
	case T_DGREAT: r->type = R_APPEND; r->fd = 1; break;
	case T_LESSAND: r->type = R_DUP_IN; r->fd = 0; break;
	case T_GREATAND: r->type = R_DUP_OUT; r->fd = 1; break;
	default: r->type = R_RDWR; r->fd = 0; break;
	}
	if (op->io_number >= 0)
		r->fd = op->io_number;
	ps->tok = op->next;
	if (ps->tok->type != T_WORD) {
		syntax_error(ps);
		return NULL;
	}
	r->word = ps->tok->text;
	ps->tok = ps->tok->next;
	return r;
}

static struct command *parse_command(struct parser *ps)
{
	struct command *c = arena_alloc(sizeof *c);
	struct redir **rtail = &c->redirs;
	int cap = 8;

	c->words = arena_alloc(cap * sizeof(char *));
	for (;;) {
		struct token *t = ps->tok;

		if (t->type == T_WORD) {
			if (c->nwords + 1 >= cap) {
				char **w = arena_alloc(2 * cap * sizeof(char *));
				memcpy(w, c->words, cap * sizeof(char *));
				c->words = w;
				cap *= 2;
			}
			c->words[c->nwords++] = t->text;
			ps->tok = t->next;
		} else if (is_redir(t->type)) {
			struct redir *r = parse_redir(ps);
			if (!r)
				return NULL;
			*rtail = r;
			rtail = &r->next;
		} else {
			break;
		}
	}
	if (c->nwords == 0 && !c->redirs) {
		syntax_error(ps);
		return NULL;
	}
	return c;
}

static struct pipeline *parse_pipeline(struct parser *ps)
{
	struct pipeline *p = arena_alloc(sizeof *p);
	struct command **tail = &p->cmds;

	if (ps->tok->type == T_WORD && strcmp(ps->tok->text, "!") == 0) {
		p->bang = 1;
		ps->tok = ps->tok->next;
	}
	for (;;) {
		struct command *c = parse_command(ps);
		if (!c)
			return NULL;
		*tail = c;
		tail = &c->next;
		p->ncmds++;
		if (ps->tok->type != T_PIPE)
			return p;
		ps->tok = ps->tok->next;
		skip_newlines(ps);
	}
}

static struct andor *parse_andor(struct parser *ps)
{
	struct andor *head = NULL, **tail = &head;

	for (;;) {
		struct andor *a = arena_alloc(sizeof *a);

		a->pipe = parse_pipeline(ps);
		if (!a->pipe)
			return NULL;
		*tail = a;
		tail = &a->next;
		if (ps->tok->type == T_AND_IF)
			a->op = OP_AND;
		else if (ps->tok->type == T_OR_IF)
			a->op = OP_OR;
		else
			return head;
		ps->tok = ps->tok->next;
		skip_newlines(ps);
	}
}

enum parse_status parse(struct token *toks, struct list **out,
			const char **err)
{
	struct parser ps = { .tok = toks };
	struct list *head = NULL, **tail = &head;

	for (;;) {
		struct list *l;

		skip_newlines(&ps);
		if (ps.tok->type == T_EOF)
			break;
		l = arena_alloc(sizeof *l);
		l->andor = parse_andor(&ps);
		if (!l->andor)
			goto fail;
		*tail = l;
		tail = &l->next;
		if (ps.tok->type == T_AMP || ps.tok->type == T_SEMI) {
			l->background = ps.tok->type == T_AMP;
			ps.tok = ps.tok->next;
		} else if (ps.tok->type != T_NEWLINE && ps.tok->type != T_EOF) {
			syntax_error(&ps);
			goto fail;
		}
	}
	*out = head;
	return PARSE_OK;
fail:
	*err = ps.err;
	return ps.incomplete ? PARSE_INCOMPLETE : PARSE_ERROR;
}
