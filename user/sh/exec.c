/*
 * user/sh/exec.c - running the syntax tree.
 *
 * run_node walks the tree. Lists, and-or lists, `!`, if, loops, case,
 * { } and function definitions run in the shell itself; ( ) and the
 * commands of a multi-command pipeline run in forked children, which go on
 * walking their part of the tree (a child that reaches an external simple
 * command execs it in place instead of forking again: RUN_CHILD).
 *
 * A simple command: expand the words (expand.c); no command name means
 * the assignments and redirections act on the shell. Otherwise the name is
 * looked up as a special built-in, a function, a built-in, then in PATH
 * (tried in order by execve in the child, like dash: 127 "not found" when
 * no directory has it, 126 when one refused).
 *
 * break/continue/return unwind through sh.breaking, sh.continuing and
 * sh.returning, which every loop and list checks. set -e: a failing
 * pipeline exits the shell unless it runs as a condition (sh.no_errexit).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

static int unwinding(void)
{
	return sh.breaking || sh.continuing || sh.returning || sh.exiting;
}

void check_errexit(int status)
{
	if (status && sh.opt_e && !sh.no_errexit && !unwinding())
		sh_exit(status);
}

static void xtrace(char **argv, struct word *assigns)
{
	const char *ps4 = var_get("PS4");

	fputs(ps4 ? ps4 : "+ ", stderr);
	int first = 1;
	for (struct word *w = assigns; w; w = w->next, first = 0)
		fprintf(stderr, "%s%s", first ? "" : " ", expand_assign(w->text));
	for (; argv && *argv; argv++, first = 0)
		fprintf(stderr, "%s%s", first ? "" : " ", *argv);
	fputc('\n', stderr);
}

int path_search(const char *name, char *out, size_t outsz)
{
	const char *path = var_get("PATH");
	struct stat st;

	if (strchr(name, '/')) {
		snprintf(out, outsz, "%s", name);
		return access(name, X_OK) == 0 ? 0 : -1;
	}
	if (!path)
		path = "/bin:/usr/bin";
	while (1) {
		const char *e = strchr(path, ':');
		size_t dl = e ? (size_t)(e - path) : strlen(path);
		snprintf(out, outsz, "%.*s%s%s", (int)dl, path, dl ? "/" : "",
			 name);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(out, X_OK) == 0)
			return 0;
		if (!e)
			return -1;
		path = e + 1;
	}
}

/* A file that execve refused with ENOEXEC: a script for this shell. */
static _Noreturn void run_as_script(const char *path, char **argv)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int n = 0;

	if (fd < 0) {
		sh_error("%s: %s", path, strerror(errno));
		_exit(ST_NOEXEC);
	}
	while (argv[n])
		n++;
	sh.arg0 = xstrdup(path);
	sh.argc = n > 0 ? n - 1 : 0;
	sh.argv = xmalloc((sh.argc + 1) * sizeof *sh.argv);
	for (int i = 0; i < sh.argc; i++)
		sh.argv[i] = xstrdup(argv[i + 1]);
	sh.script = sh.arg0;
	sh_exit(run_file_fd(fd, path));
}

/* execve argv[0] (through PATH); returns only if it failed, with an
 * error printed; the caller exits with the status. */
int exec_external(char **argv, int in_child)
{
	char **envp = var_environ();
	const char *name = argv[0];
	int err = ENOENT;
	char buf[4096];

	(void)in_child;
	fflush(stdout);
	if (strchr(name, '/')) {
		execve(name, argv, envp);
		err = errno;
		if (err == ENOEXEC)
			run_as_script(name, argv);
		sh_error("%s: %s", name, err == ENOENT ? "not found" : strerror(err));
		return err == ENOENT ? ST_NOTFOUND : ST_NOEXEC;
	}
	const char *path = var_get("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	int denied = 0;
	for (;;) {
		const char *e = strchr(path, ':');
		size_t dl = e ? (size_t)(e - path) : strlen(path);
		snprintf(buf, sizeof buf, "%.*s%s%s", (int)dl, path, dl ? "/" : "",
			 name);
		execve(buf, argv, envp);
		if (errno == ENOEXEC)
			run_as_script(buf, argv);
		if (errno == EACCES) {
			struct stat st;
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
				denied = 1;
		} else if (errno != ENOENT && errno != ENOTDIR) {
			err = errno;
		}
		if (!e)
			break;
		path = e + 1;
	}
	if (denied) {
		sh_error("%s: Permission denied", name);
		return ST_NOEXEC;
	}
	if (err != ENOENT)
		sh_error("%s: %s", name, strerror(err));
	else
		sh_error("%s: not found", name);
	return ST_NOTFOUND;
}

/* Fork, with the shell's buffers flushed first. */
static pid_t xfork(void)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		sh_error("fork: %s", strerror(errno));
	return pid;
}

/* In a child that now runs part of the tree on its own. */
static void become_child(void)
{
	sh.subshell++;
	sh.jobctl = 0;
	sh.interactive = 0;
	trap_reset_for_child();
}

/* ---- simple commands ---- */
struct tmpvar {
	char *name, *old;
	int existed;
	struct tmpvar *next;
};

/* NAME=value prefixes for a built-in or function: set now, undone after. */
static struct tmpvar *assign_temp(struct word *w)
{
	struct tmpvar *list = NULL;

	for (; w; w = w->next) {
		int n = var_name_len(w->text);
		struct tmpvar *t = xmalloc(sizeof *t);
		t->name = xstrndup(w->text, n);
		const char *old = var_get(t->name);
		t->existed = old != NULL;
		t->old = old ? xstrdup(old) : NULL;
		t->next = list;
		list = t;
		var_set(t->name, expand_assign(w->text + n + 1), 0);
	}
	return list;
}

static void restore_temp(struct tmpvar *t)
{
	while (t) {
		struct tmpvar *next = t->next;
		if (t->existed)
			var_set(t->name, t->old, 0);
		else
			var_unset(t->name);
		free(t->name);
		free(t->old);
		free(t);
		t = next;
	}
}

static int assign_all(struct word *w, int flags)
{
	for (; w; w = w->next) {
		int n = var_name_len(w->text);
		char *name = xstrndup(w->text, n);
		int r = var_set(name, expand_assign(w->text + n + 1), flags);
		free(name);
		if (r < 0) {
			if (!sh.interactive)
				sh_exit(2);
			return -1;
		}
	}
	return 0;
}

int subst_status = -1;   /* status of the last $(...) in this command */

static int run_function(struct node *body, int argc, char **argv)
{
	char **oargv = sh.argv, *oarg0 = sh.arg0;
	int oargc = sh.argc, st;

	sh.argv = xmalloc(argc * sizeof *sh.argv);
	for (int i = 1; i < argc; i++)
		sh.argv[i - 1] = xstrdup(argv[i]);
	sh.argc = argc - 1;
	sh.func_depth++;
	var_push_scope();
	int oloop = sh.loop_depth;
	sh.loop_depth = 0;
	st = run_node(body, 0);
	sh.loop_depth = oloop;
	if (sh.returning) {
		sh.returning = 0;
		st = sh.status;
	}
	var_pop_scope();
	sh.func_depth--;
	for (int i = 0; i < sh.argc; i++)
		free(sh.argv[i]);
	free(sh.argv);
	sh.argv = oargv;
	sh.argc = oargc;
	sh.arg0 = oarg0;
	return st;
}

static int run_simple(struct node *n, int flags, const char *text)
{
	size_t mark = stk_mark();
	int argc, st = 0;
	char **argv;
	struct saved_fd *save = NULL;

	sh.lineno = n->lineno;
	subst_status = -1;
	argv = expand_words(n->words, &argc);
	if (argc == 0) {
		if (sh.opt_x && n->assigns)
			xtrace(NULL, n->assigns);
		st = assign_all(n->assigns, 0) < 0 ? 1 : 0;
		if (st == 0 && subst_status >= 0)
			st = subst_status;
		if (n->redirs) {
			if (redir_apply(n->redirs, &save) < 0)
				st = 2;
			redir_restore(save);
		}
		stk_release(mark);
		return sh.status = st;
	}
	if (sh.opt_x)
		xtrace(argv, n->assigns);

	int skip_funcs = 0;
	while (argc > 1 && !strcmp(argv[0], "command") && argv[1][0] != '-') {
		argv++;
		argc--;
		skip_funcs = 1;
	}
	const struct builtin *bi = strchr(argv[0], '/') ? NULL : builtin_find(argv[0]);
	struct node *fn = NULL;
	if (!strchr(argv[0], '/') && !skip_funcs && !(bi && bi->special))
		fn = func_get(argv[0]);

	if (bi || fn) {
		struct tmpvar *tmp = NULL;
		int is_exec = bi && !fn && !strcmp(bi->name, "exec");
		if (bi && bi->special && !fn) {
			if (assign_all(n->assigns, 0) < 0) {
				stk_release(mark);
				return sh.status = 1;
			}
		} else {
			tmp = assign_temp(n->assigns);
		}
		if (redir_apply(n->redirs, is_exec ? NULL : &save) < 0) {
			redir_restore(save);
			restore_temp(tmp);
			stk_release(mark);
			if (bi && bi->special && !sh.interactive)
				sh_exit(2);
			return sh.status = 2;
		}
		if (fn) {
			st = run_function(fn, argc, argv);
		} else {
			st = bi->fn(argc, argv);
			if (fflush(stdout) == EOF || ferror(stdout)) {
				if (errno != EPIPE)
					sh_error("%s: I/O error", argv[0]);
				clearerr(stdout);
				st = 1;
			}
		}
		redir_restore(save);
		restore_temp(tmp);
		stk_release(mark);
		return sh.status = st;
	}

	/* An external command. */
	if (flags & RUN_CHILD) {
		if (redir_apply(n->redirs, NULL) < 0)
			_exit(2);
		assign_all(n->assigns, V_EXPORT);
		_exit(exec_external(argv, 1));
	}
	struct job *j = job_new(text, 0);
	pid_t pid = xfork();
	if (pid < 0) {
		stk_release(mark);
		return sh.status = 2;
	}
	if (pid == 0) {
		job_child_setup(0, 1);
		become_child();
		if (redir_apply(n->redirs, NULL) < 0)
			_exit(2);
		assign_all(n->assigns, V_EXPORT);
		_exit(exec_external(argv, 1));
	}
	job_add_proc(j, pid);
	st = job_wait_fg(j);
	stk_release(mark);
	return sh.status = st;
}

/* ---- pipelines, subshells, background ---- */
static int run_pipeline(struct node *n, int flags)
{
	struct node *c = n->a;
	int st;

	if (!c->next) {
		if (c->type == N_CMD) {
			st = run_simple(c, flags, n->text);
		} else {
			st = run_node(c, flags);
		}
		check_errexit(st);
		return st;
	}
	struct job *j = job_new(n->text, 0);
	int in = -1;
	for (; c; c = c->next) {
		int p[2] = { -1, -1 };
		if (c->next && pipe(p) < 0) {
			sh_error("pipe: %s", strerror(errno));
			break;
		}
		pid_t pid = xfork();
		if (pid == 0) {
			job_child_setup(job_pgid(j), 1);
			become_child();
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (p[1] >= 0) {
				dup2(p[1], 1);
				close(p[1]);
				close(p[0]);
			}
			st = run_node(c, RUN_CHILD);
			sh_exit(st);
		}
		if (pid > 0)
			job_add_proc(j, pid);
		if (in >= 0)
			close(in);
		if (p[1] >= 0)
			close(p[1]);
		in = p[0];
	}
	if (in >= 0)
		close(in);
	st = job_wait_fg(j);
	sh.status = st;
	check_errexit(st);
	return st;
}

static int run_subshell(struct node *n, int flags)
{
	if (flags & RUN_CHILD) {
		if (redir_apply(n->redirs, NULL) < 0)
			sh_exit(2);
		sh_exit(run_node(n->a, 0));
	}
	struct job *j = job_new(n->text, 0);
	pid_t pid = xfork();
	if (pid == 0) {
		job_child_setup(0, 1);
		become_child();
		if (redir_apply(n->redirs, NULL) < 0)
			sh_exit(2);
		sh_exit(run_node(n->a, 0));
	}
	if (pid < 0)
		return sh.status = 2;
	job_add_proc(j, pid);
	return sh.status = job_wait_fg(j);
}

static int run_bg(struct node *n)
{
	struct job *j = job_new(n->text, 1);
	int jobctl = sh.jobctl;
	pid_t pid = xfork();

	if (pid == 0) {
		job_child_setup(0, 0);
		become_child();
		if (!jobctl) {
			signal(SIGINT, SIG_IGN);
			signal(SIGQUIT, SIG_IGN);
			int fd = open("/dev/null", O_RDONLY);
			if (fd > 0) {
				dup2(fd, 0);
				close(fd);
			}
		}
		sh_exit(run_node(n->a, RUN_CHILD));
	}
	if (pid < 0)
		return sh.status = 2;
	job_add_proc(j, pid);
	sh.last_bg = pid;
	job_started_bg(j);
	return sh.status = 0;
}

/* ---- command substitution ---- */
char *cmd_subst(const char *text, int backquote)
{
	int p[2];
	struct str out = { 0 };
	struct node *tree;

	(void)backquote;
	if (pipe(p) < 0) {
		sh_error("pipe: %s", strerror(errno));
		return stk_strdup("");
	}
	pid_t pid = xfork();
	if (pid == 0) {
		become_child();
		close(p[0]);
		if (p[1] != 1) {
			dup2(p[1], 1);
			close(p[1]);
		}
		if (parse_string(text, sh.script, sh.lineno, &tree) != P_OK) {
			sh_error("syntax error: %s", parse_error);
			sh_exit(2);
		}
		sh_exit(run_node(tree, RUN_CHILD));
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return stk_strdup("");
	}
	char buf[4096];
	for (;;) {
		ssize_t r = read(p[0], buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		str_addn(&out, buf, r);
	}
	close(p[0]);
	int ws;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	subst_status = sh.status = wait_status(ws);
	while (out.n && out.s[out.n - 1] == '\n')
		out.n--;
	char *r = stk_alloc(out.n + 1);
	if (out.n)
		memcpy(r, out.s, out.n);
	r[out.n] = 0;
	free(out.s);
	return r;
}

/* ---- compound commands ---- */
static int run_loop(struct node *n)
{
	int st = 0;

	sh.loop_depth++;
	for (;;) {
		sh.no_errexit++;
		int c = run_node(n->a, 0);
		sh.no_errexit--;
		if (sh.breaking || sh.returning || sh.exiting)
			break;
		if (sh.continuing) {
			if (--sh.continuing)
				break;
			continue;
		}
		if ((n->type == N_WHILE) != (c == 0))
			break;
		st = run_node(n->b, 0);
		if (sh.continuing) {
			if (--sh.continuing)
				break;
			continue;
		}
		if (sh.breaking || sh.returning || sh.exiting)
			break;
	}
	if (sh.breaking)
		sh.breaking--;
	sh.loop_depth--;
	return sh.status = st;
}

static int run_for(struct node *n)
{
	size_t mark = stk_mark();
	int count, st = 0;
	char **items;

	if (n->has_in) {
		items = expand_words(n->words, &count);
	} else {
		items = sh.argv;
		count = sh.argc;
	}
	char **copy = xmalloc((count + 1) * sizeof *copy);
	for (int i = 0; i < count; i++)
		copy[i] = xstrdup(items[i]);
	stk_release(mark);
	sh.loop_depth++;
	for (int i = 0; i < count; i++) {
		if (var_set(n->name, copy[i], 0) < 0) {
			st = 1;
			break;
		}
		st = run_node(n->b, 0);
		if (sh.continuing) {
			if (--sh.continuing)
				break;
			continue;
		}
		if (sh.breaking || sh.returning || sh.exiting)
			break;
	}
	if (sh.breaking)
		sh.breaking--;
	sh.loop_depth--;
	for (int i = 0; i < count; i++)
		free(copy[i]);
	free(copy);
	return sh.status = st;
}

static int run_case(struct node *n)
{
	size_t mark = stk_mark();
	const char *w = expand_str(n->name);
	char *word = xstrdup(w);
	int st = 0;

	for (struct caseitem *ci = n->cases; ci; ci = ci->next) {
		for (struct word *p = ci->pats; p; p = p->next) {
			if (pattern_match(expand_pattern(p->text), word)) {
				stk_release(mark);
				free(word);
				return sh.status = ci->body ? run_node(ci->body, 0) : 0;
			}
		}
	}
	stk_release(mark);
	free(word);
	return sh.status = st;
}

int run_node(struct node *n, int flags)
{
	int st;

	if (!n)
		return sh.status = 0;
	if (unwinding())
		return sh.status;
	if (sh.opt_n && !sh.interactive)
		return 0;
	if (got_sigint && sh.interactive && !sh.subshell) {
		/* ^C while the shell itself runs a loop: back to the prompt */
		extern jmp_buf sh_abort;
		got_sigint = 0;
		fputc('\n', stderr);
		longjmp(sh_abort, 1);
	}
	trap_run_pending();
	if (n->redirs && n->type != N_CMD && n->type != N_SUBSHELL) {
		struct saved_fd *save = NULL;
		if (redir_apply(n->redirs, &save) < 0) {
			redir_restore(save);
			return sh.status = 2;
		}
		struct redir *r = n->redirs;
		n->redirs = NULL;
		st = run_node(n, flags & ~RUN_CHILD);
		n->redirs = r;
		redir_restore(save);
		return st;
	}
	switch (n->type) {
	case N_CMD:
		return run_simple(n, flags, NULL);
	case N_PIPE:
		return run_pipeline(n, flags);
	case N_SEQ:
		run_node(n->a, 0);
		if (unwinding())
			return sh.status;
		return run_node(n->b, flags);
	case N_AND:
	case N_OR:
		sh.no_errexit++;
		st = run_node(n->a, 0);
		sh.no_errexit--;
		if (unwinding())
			return st;
		if ((st == 0) == (n->type == N_AND))
			return run_node(n->b, flags);
		return st;
	case N_NOT:
		sh.no_errexit++;
		st = run_node(n->a, 0);
		sh.no_errexit--;
		return sh.status = !st;
	case N_BG:
		return run_bg(n);
	case N_SUBSHELL:
		return run_subshell(n, flags);
	case N_GROUP:
		return run_node(n->a, flags);
	case N_IF:
		sh.no_errexit++;
		st = run_node(n->a, 0);
		sh.no_errexit--;
		if (unwinding())
			return st;
		if (st == 0)
			return run_node(n->b, flags);
		if (n->c)
			return run_node(n->c, flags);
		return sh.status = 0;
	case N_WHILE:
	case N_UNTIL:
		return run_loop(n);
	case N_FOR:
		return run_for(n);
	case N_CASE:
		return run_case(n);
	case N_FUNC:
		func_set(n->name, n->a);
		return sh.status = 0;
	}
	return sh.status;
}
