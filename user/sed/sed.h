/*
 * user/sed/sed.h - sed, the stream editor: a script compiled into an
 * array of commands (compile.c), then run over the input one line (one
 * "cycle") at a time (execute.c); main.c reads the options.
 *
 * A script is the POSIX sed language with GNU's common extensions: the
 * commands { } = a b c d D g G h H i l n N p P q Q r s t T w x y z : #,
 * addresses N $ /RE/ \cREc with the I flag, first~step, 0,/RE/, A,+N and
 * A,~N; s///'s flags g p N I w FILE and & \1..\9 \n \t in the
 * replacement; an empty regex means the last one used; a/i/c text in the
 * POSIX form ("a\" newline text) and GNU's one-liner ("a text").
 * Regular expressions are musl's regcomp (BRE, or ERE with -E), after
 * GNU's \w \W \s \S \t \n are turned into what regcomp knows.
 */
#ifndef USER_SED_H
#define USER_SED_H

#include <regex.h>
#include <stdio.h>

enum addr_type { A_NONE, A_LINE, A_LAST, A_RE, A_STEP, A_ZERO, A_PLUS, A_MULT };

struct addr {
	enum addr_type type;
	long line, step;      /* A_LINE; A_STEP first~step; A_PLUS/A_MULT N */
	regex_t *re;          /* A_RE; NULL: the last regex used */
};

struct cmd {
	struct addr a1, a2;
	int negate;
	int in_range;         /* a range is open */
	long range_end;       /* A_PLUS: the line that ends it */
	char op;
	/* s */
	regex_t *re;          /* NULL: the last regex used */
	char *rep;            /* replacement, escapes still in */
	int global, print, nth;
	/* a i c: text; b t T: label; r w: file name */
	char *text;
	int exit_code;        /* q Q: the exit status; l: the line length */
	FILE *wfile;          /* w, and s///w */
	int jump;             /* b t T: target index; {: index after its } */
	unsigned char map[256];   /* y */
};

extern struct cmd *cmds;
extern int ncmds;
extern int opt_n, opt_E, opt_s;

/* compile.c: add script text (one -e or the script operand); check
 * that braces and labels match once all text is in. */
void compile_script(const char *text);
void compile_finish(void);
__attribute__((noreturn)) void die(const char *fmt, ...);

/* execute.c: run the script over the files (NULL-terminated; "-" is
 * stdin) writing to out; in_place: each file is rewritten (-i), with
 * line numbers starting again. Returns the exit status. */
int execute(char **files, int in_place);

#endif
