/*
 * user/sh/lex.c - the tokenizer: turns input text into a list of tokens.
 *
 * Tokens are words, newlines and the operators
 *     ;  &  &&  ||  |  <  >  >>  <&  >&  <>
 * A word runs until an unquoted blank or operator character. Quotes are
 * recognised here only to find where a word ends: the word keeps them, and
 * expand.c removes them when the command runs (so `false; echo $?` sees the
 * status of `false`). The exceptions handled here:
 *   - backslash-newline is a line continuation and disappears;
 *   - a word of digits directly followed by < or > is a redirection's fd
 *     (`2>err`), stored in the operator token's io_number;
 *   - # at the start of a word starts a comment up to the end of the line.
 * Input that ends inside quotes or after a backslash is LEX_INCOMPLETE: the
 * caller reads another line and tries again.
 */
#include <ctype.h>
#include <string.h>

#include "sh.h"

static int is_meta(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	       c == '|' || c == '<' || c == '>' || c == '(' || c == ')';
}

static struct token *new_token(enum tok_type type, struct token ***tail)
{
	struct token *t = arena_alloc(sizeof *t);

	t->type = type;
	t->io_number = -1;
	**tail = t;
	*tail = &t->next;
	return t;
}

/* Scan one word starting at p. Returns the end, or NULL if the input ends
 * inside quotes (incomplete). The word's text goes to buf. */
static const char *scan_word(const char *p, char *buf, size_t *len)
{
	size_t n = 0;

	while (*p && !is_meta(*p)) {
		if (*p == '\\') {
			if (!p[1] || (p[1] == '\n' && !p[2]))
				return NULL; /* continued on the next line */
			if (p[1] == '\n') { p += 2; continue; }
			buf[n++] = *p++;
			buf[n++] = *p++;
		} else if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');
			if (!q)
				return NULL;
			memcpy(buf + n, p, q - p + 1);
			n += q - p + 1;
			p = q + 1;
		} else if (*p == '"') {
			buf[n++] = *p++;
			while (*p != '"') {
				if (!*p)
					return NULL;
				if (*p == '\\' && p[1] == '\n') { p += 2; continue; }
				if (*p == '\\' && p[1])
					buf[n++] = *p++;
				buf[n++] = *p++;
			}
			buf[n++] = *p++;
		} else if (*p == '$' && p[1] == '{') {
			const char *q = strchr(p, '}');
			if (!q)
				return NULL;
			memcpy(buf + n, p, q - p + 1);
			n += q - p + 1;
			p = q + 1;
		} else {
			buf[n++] = *p++;
		}
	}
	*len = n;
	return p;
}

enum lex_status lex(const char *src, struct token **out, const char **err)
{
	struct token *head = NULL, **tail = &head;
	const char *p = src;
	char *buf = arena_alloc(strlen(src) + 1);

	for (;;) {
		struct token *t;
		int io_number = -1;

		while (*p == ' ' || *p == '\t' || (*p == '\\' && p[1] == '\n')) {
			if (*p == '\\' && !p[2])
				return LEX_INCOMPLETE; /* continued on the next line */
			p += *p == '\\' ? 2 : 1;
		}
		if (*p == '\\' && !p[1])
			return LEX_INCOMPLETE;
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
		}
		if (!*p) {
			new_token(T_EOF, &tail);
			break;
		}
		if (*p == '\n') {
			new_token(T_NEWLINE, &tail);
			p++;
			continue;
		}
		if (*p == '(' || *p == ')') {
			*err = *p == ')' ? "unexpected ')'"
				: "unexpected '(' (subshells and functions "
				  "are not supported yet)";
			return LEX_ERROR;
		}
		if (!is_meta(*p)) {
			size_t n;
			const char *end = scan_word(p, buf, &n);
			int digits = 1;

			if (!end)
				return LEX_INCOMPLETE;
			for (size_t i = 0; i < n; i++)
				digits &= isdigit((unsigned char)buf[i]) != 0;
			if (digits && n < 4 && (*end == '<' || *end == '>')) {
				io_number = 0;
				for (size_t i = 0; i < n; i++)
					io_number = io_number * 10 + buf[i] - '0';
				p = end;
			} else {
				t = new_token(T_WORD, &tail);
				t->text = arena_strndup(buf, n);
				p = end;
				continue;
			}
		}
		/* An operator. */
		if (p[0] == '&' && p[1] == '&') { t = new_token(T_AND_IF, &tail); p += 2; }
		else if (p[0] == '|' && p[1] == '|') { t = new_token(T_OR_IF, &tail); p += 2; }
		else if (p[0] == '>' && p[1] == '>') { t = new_token(T_DGREAT, &tail); p += 2; }
		else if (p[0] == '<' && p[1] == '&') { t = new_token(T_LESSAND, &tail); p += 2; }
		else if (p[0] == '>' && p[1] == '&') { t = new_token(T_GREATAND, &tail); p += 2; }
		else if (p[0] == '<' && p[1] == '>') { t = new_token(T_LESSGREAT, &tail); p += 2; }
		else if (p[0] == '>' && p[1] == '|') { t = new_token(T_GREAT, &tail); p += 2; }
		else if (*p == ';') { t = new_token(T_SEMI, &tail); p++; }
		else if (*p == '&') { t = new_token(T_AMP, &tail); p++; }
		else if (*p == '|') { t = new_token(T_PIPE, &tail); p++; }
		else if (*p == '<') { t = new_token(T_LESS, &tail); p++; }
		else { t = new_token(T_GREAT, &tail); p++; }
		t->io_number = io_number;
	}
	*out = head;
	return LEX_OK;
}
