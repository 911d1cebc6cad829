/*
 * user/sh/sh.h - the RayOS shell: a POSIX sh. Modules and shared state.
 *
 * Text goes through three stages:
 *
 *   lex.c, parse.c   characters -> tokens -> a syntax tree (struct node),
 *                    one complete command at a time, following the POSIX
 *                    shell grammar. Words stay raw (quotes kept) in the
 *                    tree; here-document bodies are read by the lexer.
 *   expand.c         a raw word -> fields when the command runs: tilde,
 *                    parameters (var.c), $(...) and `...`, $((...))
 *                    (arith.c), field splitting on IFS, pathnames (glob),
 *                    quote removal.
 *   exec.c, redir.c  run the tree: simple commands, pipelines, lists and
 *                    compound commands; jobs.c keeps process groups and
 *                    the terminal; builtins.c, builtin_io.c and
 *                    builtin_proc.c the built-in utilities.
 *
 * main.c reads input (a terminal through lineedit.c and history.c, a
 * script, or -c) and runs each complete command as soon as it is parsed,
 * so that a script's earlier lines take effect (aliases, functions) before
 * later ones are parsed. trap.c keeps the traps.
 *
 * Memory: syntax trees live as long as the shell (functions keep theirs);
 * expansion results come from a stack allocator (stk_*) released after
 * each simple command.
 */
#ifndef SH_H
#define SH_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- memory (main.c) ---- */
void *xmalloc(size_t n);                 /* exits on ENOMEM */
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *stk_alloc(size_t n);               /* released by stk_release */
char *stk_strdup(const char *s);
size_t stk_mark(void);
void stk_release(size_t mark);

/* A growable string. */
struct str {
	char *s;
	size_t n, cap;
};
void str_addc(struct str *b, char c);
void str_addn(struct str *b, const char *s, size_t n);
void str_adds(struct str *b, const char *s);
char *str_take(struct str *b);           /* malloc'd, NUL-terminated */

/* ---- syntax tree (ast in parse.c) ---- */
enum ntype {
	N_CMD, N_PIPE, N_AND, N_OR, N_NOT, N_SEQ, N_BG, N_SUBSHELL, N_GROUP,
	N_IF, N_WHILE, N_UNTIL, N_FOR, N_CASE, N_FUNC,
};

struct word {
	char *text;              /* raw, quotes kept */
	struct word *next;
};

enum rtype {
	R_IN, R_OUT, R_CLOBBER, R_APPEND, R_RDWR, R_DUPIN, R_DUPOUT, R_HEREDOC,
};

struct redir {
	enum rtype type;
	int fd;                  /* the fd redirected */
	char *word;              /* target (raw); here-doc: the delimiter */
	char *body;              /* here-doc body (tabs stripped for <<-) */
	int quoted;              /* here-doc delimiter was quoted: no expansion */
	struct redir *next;
};

struct caseitem {
	struct word *pats;
	struct node *body;
	struct caseitem *next;
};

struct node {
	enum ntype type;
	int lineno;
	struct node *a, *b, *c;  /* children (see parse.c for each type) */
	struct node *next;       /* N_PIPE: the next command of the pipeline */
	struct word *words;      /* N_CMD arguments; N_FOR list */
	struct word *assigns;    /* N_CMD NAME=value prefixes */
	struct redir *redirs;
	char *name;              /* N_FOR variable; N_FUNC name; N_CASE word */
	struct caseitem *cases;
	char *text;              /* source text (jobs, N_BG and N_PIPE) */
	int has_in;              /* N_FOR: an `in` list was given */
};

/* ---- input and parsing (lex.c, parse.c) ---- */
struct input {
	char *buf;               /* text read so far (grows) */
	size_t len, pos, cap;
	int lineno;
	const char *name;        /* script name for messages, or NULL */
	int (*more)(struct input *in); /* append a line; 0 at end of input */
	int eof;
	int interactive;         /* print PS2 for continuation lines */
};

enum parse_status { P_OK, P_EOF, P_ERROR };
/* Parse the next complete command (up to a newline at the top level).
 * P_OK with *out NULL: an empty line. */
enum parse_status parse_command(struct input *in, struct node **out);
void tree_free(struct node *n);
/* Parse a whole string (eval, $(...), -c, trap actions). */
enum parse_status parse_string(const char *s, const char *name, int lineno,
			       struct node **out);
void input_init_string(struct input *in, const char *s, const char *name);
void input_discard(struct input *in);   /* drop the rest after an error */
size_t subst_length(const char *s);     /* of "...)" after "$(" */
extern const char *parse_error;         /* message of the last P_ERROR */

/* ---- expansion (expand.c, arith.c) ---- */
/* Expand words into fields (stk memory), NULL-terminated. */
char **expand_words(struct word *w, int *nfields);
/* Expand without field splitting or globbing: one string (stk). */
char *expand_str(const char *raw);
/* Assignment value: also ~ after ':' */
char *expand_assign(const char *raw);
/* A pattern (case, ${V%pat}): quoted characters get a backslash. */
char *expand_pattern(const char *raw);
/* A here-document body: $, ` and \ only. */
char *expand_heredoc(const char *body);
int pattern_match(const char *pat, const char *s);
int arith_eval(const char *expr, long *result);  /* 0 or -1 (message out) */
char *cmd_subst(const char *text, int backquote);  /* stk */

/* ---- variables (var.c) ---- */
#define V_EXPORT 1
#define V_READONLY 2
const char *var_get(const char *name);
int var_set(const char *name, const char *value, int flags); /* -1: readonly */
int var_unset(const char *name);
void var_flag(const char *name, int flags);
void var_import_environ(char **envp);
char **var_environ(void);                /* malloc'd, for execve */
void var_list(int flags, const char *prefix); /* print (export -p, set) */
int var_name_len(const char *s);         /* length of a NAME prefix */
int var_local(const char *name);         /* in a function: make local */
void var_push_scope(void);
void var_pop_scope(void);

/* ---- functions and aliases (var.c) ---- */
struct node *func_get(const char *name);
void func_set(const char *name, struct node *body);
int func_unset(const char *name);
void func_list(const char *name);
const char *alias_get(const char *name);
void alias_set(const char *name, const char *value);
int alias_unset(const char *name);
void alias_print(const char *name);
void alias_unset_all(void);

/* ---- shell state (main.c) ---- */
struct shell {
	int interactive;
	int jobctl;              /* process groups + terminal control */
	int tty_fd;
	pid_t pgid;              /* the shell's own process group */
	pid_t pid;               /* $$ (also in subshells) */
	int status;              /* $? */
	pid_t last_bg;           /* $! */
	char *arg0;              /* $0 */
	char **argv;             /* $1... (malloc'd) */
	int argc;
	int subshell;            /* >0 in a forked child */
	int opt_e, opt_u, opt_x, opt_f, opt_n, opt_C, opt_v, opt_m;
	int no_errexit;          /* >0: in a condition, -e does not apply */
	int breaking, continuing, returning; /* loop/function unwinding */
	int loop_depth, func_depth;
	const char *script;      /* for messages: script name or NULL */
	int lineno;              /* line of the command running */
	int exiting;
};
extern struct shell sh;

void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void sh_exit(int status);      /* EXIT trap, history, exit */
int run_text(const char *text, const char *name); /* eval, source */
int run_file_fd(int fd, const char *name);

/* ---- execution (exec.c, redir.c) ---- */
#define RUN_CHILD 1              /* in a forked child: may exec in place */
int run_node(struct node *n, int flags);
void check_errexit(int status);
int path_search(const char *name, char *out, size_t outsz); /* 0 found */
int exec_external(char **argv, int in_child); /* returns on failure */
struct saved_fd;
/* Apply redirections; with save, remember the old fds for redir_restore. */
int redir_apply(struct redir *r, struct saved_fd **save);
void redir_restore(struct saved_fd *save);
int redir_setup_heredoc(struct redir *r);

/* ---- jobs (jobs.c) ---- */
struct job;
struct job *job_new(const char *text, int background);
void job_add_proc(struct job *j, pid_t pid);
void job_set_pgid(struct job *j, pid_t pgid);
pid_t job_pgid(struct job *j);
int job_wait_fg(struct job *j);          /* status; stopped -> kept */
void job_started_bg(struct job *j);
void job_child_setup(pid_t pgid, int foreground);
void job_notify(void);                   /* Done/Stopped notices */
void job_reap(void);                     /* collect children, no blocking */
int bi_jobs(int argc, char **argv);
int bi_fg(int argc, char **argv);
int bi_bg(int argc, char **argv);
int bi_wait(int argc, char **argv);
int job_kill_spec(const char *spec, int sig); /* %N for kill: -1 not a job */
int wait_status(int ws);                 /* wait status -> $? */
const char *signal_message(int sig);

/* ---- traps (trap.c) ---- */
void trap_init(void);
void trap_run_pending(void);
void trap_run_exit(void);
void trap_reset_for_child(void);
extern volatile sig_atomic_t trap_pending;
extern volatile sig_atomic_t got_sigint;
int sig_number(const char *name);        /* "INT", "SIGINT", "2"; -1 */
const char *sig_name(int sig);
int bi_trap(int argc, char **argv);

/* ---- built-ins (builtin*.c) ---- */
typedef int (*builtin_fn)(int argc, char **argv);
struct builtin {
	const char *name;
	builtin_fn fn;
	int special;             /* POSIX special built-in */
	const char *help;
};
const struct builtin *builtin_find(const char *name);
extern const struct builtin builtins[];
int bi_test(int argc, char **argv);
int bi_printf(int argc, char **argv);
int bi_read(int argc, char **argv);
int bi_history(int argc, char **argv);
int bi_kill(int argc, char **argv);
int bi_umask(int argc, char **argv);
int bi_times(int argc, char **argv);

/* ---- interactive (lineedit.c, history.c, complete.c) ---- */
char *line_read(const char *prompt);     /* malloc'd; NULL at EOF */
void hist_load(void);
void hist_add(const char *line);
int hist_count(void);
const char *hist_at(int i);
/* Complete the word ending at pos in line; returns a malloc'd new line
 * and sets *newpos, or NULL; may print a list of candidates. */
char *complete(const char *line, int pos, int *newpos, int *listed);
char *prompt_string(void);               /* PS1 expanded */

#define ST_NOTFOUND 127
#define ST_NOEXEC 126

#endif
