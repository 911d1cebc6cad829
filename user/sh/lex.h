/*
 * user/sh/lex.h - the lexer's interface to the parser (lex.c, parse.c).
 *
 * The POSIX shell's lexing depends on the parser's state (reserved words
 * only in command position, here-document bodies after the next newline,
 * aliases on command names, $(...) that holds a whole command list), so the
 * parser pulls one token at a time with one token of lookahead and tells
 * the lexer what it needs.
 */
#ifndef SH_LEX_H
#define SH_LEX_H

#include "sh.h"

enum tok {
	T_WORD, T_NL, T_EOF, T_SEMI, T_AMP, T_AND, T_OR, T_PIPE, T_LPAR,
	T_RPAR, T_DSEMI, T_LESS, T_GREAT, T_CLOBBER, T_DGREAT, T_LESSGREAT,
	T_LESSAND, T_GREATAND, T_DLESS, T_DLESSDASH,
};

struct token {
	enum tok type;
	char *text;      /* T_WORD: raw text (malloc'd) */
	int quoted;      /* T_WORD: contains quoting characters */
	int io_number;   /* redirection operators: the fd before it, or -1 */
	int lineno;
	size_t start;    /* offset in the input where the token begins */
};

#define MAX_HEREDOCS 32

struct lexer {
	struct input *in;
	struct token peek;
	int have_peek;
	struct redir *hd[MAX_HEREDOCS]; /* waiting for their bodies (next newline) */
	int nhd;
	size_t last_end;         /* offset after the last token taken */
};
extern struct lexer lx;

struct token *tok_peek(void);
struct token tok_next(void);
void lex_heredoc(struct redir *r);   /* queue for the next newline */
const char *tok_describe(const struct token *t);
_Noreturn void syntax_fail(const char *fmt, ...);
int input_peekc(struct input *in);
/* Parse a command list up to ')' (for $(...)); used by lex.c. */
void parse_subst(void);

#endif
