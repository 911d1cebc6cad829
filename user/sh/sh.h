/*
 * user/sh/sh.h - the RayOS shell's modules and the data passed between them.
 *
 * A command line goes through four stages, one file each:
 *
 *   lex.c     characters -> tokens (words keep their quotes; operators)
 *   parse.c   tokens -> a syntax tree: list of and-or lists of pipelines of
 *             simple commands (words + redirections)
 *   expand.c  a word -> fields, at the moment the command runs ($VAR, $?,
 *             ~, quote removal, field splitting, pathname globbing)
 *   exec.c    runs the tree: fork/execve, pipes, redirections, process
 *             groups and the terminal (job.c), built-ins (builtin.c)
 *
 * var.c holds shell variables and builds the environment for execve.
 * main.c reads input (a terminal, a script, or -c) and drives the stages.
 *
 * Memory: everything a line needs (tokens, tree, expanded words) comes from
 * an arena that is freed in one go after the line has run.
 */
#ifndef SH_H
#define SH_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- arena (main.c) ---- */
void *arena_alloc(size_t n);              /* zeroed; exits on ENOMEM */
char *arena_strndup(const char *s, size_t n);
void arena_reset(void);

/* ---- tokens (lex.c) ---- */
enum tok_type {
	T_WORD, T_NEWLINE, T_EOF,
	T_SEMI, T_AMP, T_AND_IF, T_OR_IF, T_PIPE,
	T_LESS, T_GREAT, T_DGREAT, T_LESSAND, T_GREATAND, T_LESSGREAT,
};

struct token {
	enum tok_type type;
	char *text;   /* T_WORD: raw text with quotes; NULL otherwise */
	int io_number; /* redirection operators: the fd before it, or -1 */
	struct token *next;
};

enum lex_status { LEX_OK, LEX_INCOMPLETE, LEX_ERROR };
/* Tokenize a whole input (possibly several lines). On LEX_INCOMPLETE the
 * input ends inside quotes or after a backslash: more input is needed. */
enum lex_status lex(const char *src, struct token **out, const char **err);

/* ---- syntax tree (parse.c) ---- */
enum redir_type { R_IN, R_OUT, R_APPEND, R_DUP_IN, R_DUP_OUT, R_RDWR };

struct redir {
	enum redir_type type;
	int fd;        /* the fd redirected */
	char *word;    /* file name or fd number (raw, expanded at run time) */
	struct redir *next;
};

struct command {
	char **words;  /* raw words, NULL-terminated */
	int nwords;
	struct redir *redirs;
	struct command *next; /* next in the pipeline */
};

struct pipeline {
	struct command *cmds;
	int ncmds;
	int bang;      /* ! pipeline: invert the status */
};

enum andor_op { OP_NONE, OP_AND, OP_OR };

struct andor {
	struct pipeline *pipe;
	enum andor_op op; /* how the NEXT pipeline is joined to this one */
	struct andor *next;
};

struct list {
	struct andor *andor;
	int background;
	struct list *next;
};

enum parse_status { PARSE_OK, PARSE_INCOMPLETE, PARSE_ERROR };
enum parse_status parse(struct token *toks, struct list **out,
			const char **err);

/* ---- expansion (expand.c) ---- */
/* Expand a raw word into fields (NULL-terminated, arena memory). */
char **expand_word(const char *raw, int *nfields);
/* Expand without field splitting or globbing (redirection targets,
 * assignments); always exactly one result. */
char *expand_single(const char *raw);

/* ---- variables (var.c) ---- */
const char *var_get(const char *name);
int var_set(const char *name, const char *value, int export);
int var_unset(const char *name);
void var_export(const char *name);
void var_import_environ(char **envp);
char **var_environ(void);   /* exported variables, malloc'd, for execve */
void var_print_exports(void);
int var_name_ok(const char *s, size_t n);

/* ---- shell state (main.c) ---- */
struct shell {
	int interactive;   /* reading commands from a terminal */
	int jobctl;        /* process groups + terminal foreground control */
	int tty_fd;        /* the terminal (fd 0) when jobctl */
	pid_t pgid;        /* the shell's own process group */
	pid_t pid;         /* $$: the shell's pid, also in subshells */
	int last_status;   /* $? */
	pid_t last_bg;     /* $! */
	char *name;        /* $0 */
	char **args;       /* $1... */
	int nargs;
	int exiting;       /* `exit` was run: leave after this line */
	int exit_status;
};
extern struct shell sh;
extern volatile sig_atomic_t sh_got_sigint; /* ^C reached the shell */

/* ---- execution (exec.c, job.c, builtin.c) ---- */
int run_list(struct list *l);
int run_string(const char *src, const char *where);

int job_wait_fg(pid_t *pids, int n); /* status of the last one */
void job_add_bg(pid_t pid, const char *what);
void job_reap_bg(int report);
void job_wait_all(void);
void job_take_terminal(pid_t pgid);
void job_child_setup(pid_t pgid, int foreground);
int status_of(int wstatus, int report);

typedef int (*builtin_fn)(int argc, char **argv);
builtin_fn builtin_find(const char *name);

/* Exit status conventions. */
#define ST_NOTFOUND 127
#define ST_NOEXEC 126

#endif
