/*
 * user/sh/exec.c - running a parsed command list.
 *
 *   run_list      items in order; `cmd &` forks a subshell for the and-or
 *                 list and does not wait for it
 *   run_andor     && and ||: a pipeline runs only if the previous status
 *                 allows it; $? is updated after every pipeline
 *   run_pipeline  one fork per command, pipes between them, all in one
 *                 process group (job.c), then wait for all of them.
 *                 A lone built-in (or a line of only assignments and
 *                 redirections) runs inside the shell instead, with its
 *                 redirections undone afterwards.
 *   exec_program  PATH search and execve; "not found" is 127, a file that
 *                 cannot be executed 126; a file the kernel cannot execute
 *                 (ENOEXEC) is run as a shell script.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

/* Saved copies of fds a built-in's redirections replaced. */
struct saved_fd {
	int fd, copy; /* copy -1: fd was closed before */
};
#define MAX_SAVED 16

/* Apply redirections. With save, remember what they replace. Returns -1
 * (after a message) on failure. */
static int apply_redirs(struct redir *r, struct saved_fd *save, int *nsave)
{
	for (; r; r = r->next) {
		char *word = expand_single(r->word);
		int fd = -1;

		if (save && *nsave < MAX_SAVED) {
			save[*nsave].fd = r->fd;
			save[*nsave].copy = fcntl(r->fd, F_DUPFD_CLOEXEC, 10);
			(*nsave)++;
		}
		switch (r->type) {
		case R_IN: fd = open(word, O_RDONLY); break;
		case R_OUT: fd = open(word, O_WRONLY | O_CREAT | O_TRUNC, 0666); break;
		case R_APPEND: fd = open(word, O_WRONLY | O_CREAT | O_APPEND, 0666); break;
		case R_RDWR: fd = open(word, O_RDWR | O_CREAT, 0666); break;
		case R_DUP_IN:
		case R_DUP_OUT:
			if (strcmp(word, "-") == 0) {
				close(r->fd);
				continue;
			}
			char *end;
			long n = strtol(word, &end, 10);
			if (!*word || *end || n < 0 || n > 1023) {
				fprintf(stderr, "sh: %s: bad file descriptor number\n", word);
				return -1;
			}
			if (dup2((int)n, r->fd) < 0) {
				fprintf(stderr, "sh: %ld: %s\n", n, strerror(errno));
				return -1;
			}
			continue;
		}
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", word, strerror(errno));
			return -1;
		}
		if (fd != r->fd) {
			dup2(fd, r->fd);
			close(fd);
		}
	}
	return 0;
}

static void restore_redirs(struct saved_fd *save, int nsave)
{
	for (int i = nsave - 1; i >= 0; i--) {
		if (save[i].copy >= 0) {
			dup2(save[i].copy, save[i].fd);
			close(save[i].copy);
		} else {
			close(save[i].fd);
		}
	}
}

/* NAME=value at the start of a raw word? Returns the length of NAME. */
static size_t assignment_len(const char *w)
{
	const char *eq = strchr(w, '=');

	if (!eq || !var_name_ok(w, eq - w))
		return 0;
	return eq - w;
}

/* Split a command's raw words into leading assignments and the expanded
 * argv. Returns argc; *nassign is how many raw words were assignments. */
static int expand_command(struct command *c, char ***argvp, int *nassign)
{
	char **argv = NULL;
	int argc = 0, cap = 0, i = 0;

	while (i < c->nwords && assignment_len(c->words[i]))
		i++;
	*nassign = i;
	for (; i < c->nwords; i++) {
		int n;
		char **f = expand_word(c->words[i], &n);

		if (argc + n + 1 > cap) {
			int ncap = (argc + n + 1) * 2;
			char **a = arena_alloc(ncap * sizeof(char *));
			if (argc)
				memcpy(a, argv, argc * sizeof(char *));
			argv = a;
			cap = ncap;
		}
		memcpy(argv + argc, f, n * sizeof(char *));
		argc += n;
	}
	if (!argv)
		argv = arena_alloc(sizeof(char *));
	argv[argc] = NULL;
	*argvp = argv;
	return argc;
}

static void do_assignments(struct command *c, int nassign, int export)
{
	for (int i = 0; i < nassign; i++) {
		size_t n = assignment_len(c->words[i]);
		char *name = arena_strndup(c->words[i], n);

		var_set(name, expand_single(c->words[i] + n + 1), export);
	}
}

static void try_exec(const char *path, char **argv, char **envp)
{
	execve(path, argv, envp);
	if (errno == ENOEXEC) {
		/* Not a binary the kernel knows: run it as a script. */
		int argc = 0;
		while (argv[argc])
			argc++;
		char **nargv = calloc(argc + 2, sizeof(char *));
		if (!nargv)
			return;
		nargv[0] = "sh";
		nargv[1] = (char *)path;
		memcpy(nargv + 2, argv + 1, argc * sizeof(char *));
		execve("/bin/sh", nargv, envp);
		errno = ENOEXEC;
	}
}

static void __attribute__((noreturn)) exec_program(char **argv)
{
	char **envp = var_environ();
	const char *path = var_get("PATH");
	int err = ENOENT;

	if (strchr(argv[0], '/')) {
		try_exec(argv[0], argv, envp);
		err = errno;
	} else {
		if (!path)
			path = "/bin:/sbin:/usr/bin";
		for (const char *p = path;; p++) {
			const char *colon = strchr(p, ':');
			size_t n = colon ? (size_t)(colon - p) : strlen(p);
			char full[4096];

			snprintf(full, sizeof full, "%.*s%s%s", (int)n,
				 n ? p : ".", "/", argv[0]);
			try_exec(full, argv, envp);
			if (errno == EACCES || errno == ENOEXEC || errno == E2BIG ||
			    errno == ENOMEM || errno == ETXTBSY)
				err = errno; /* found something, but it failed */
			if (!colon)
				break;
			p = colon;
		}
	}
	if (err == ENOENT || err == ENOTDIR) {
		fprintf(stderr, "sh: %s: not found\n", argv[0]);
		_exit(ST_NOTFOUND);
	}
	fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(err));
	_exit(ST_NOEXEC);
}

/* In a child: run one command of a pipeline; never returns. */
static void __attribute__((noreturn)) run_in_child(struct command *c,
						     char **argv, int argc,
						     int nassign)
{
	builtin_fn b;

	if (apply_redirs(c->redirs, NULL, NULL) < 0)
		_exit(1);
	do_assignments(c, nassign, 1);
	if (argc == 0)
		_exit(0);
	if ((b = builtin_find(argv[0])) != NULL) {
		int st = b(argc, argv);
		fflush(stdout);
		_exit(st);
	}
	exec_program(argv);
}

/* A lone built-in, or only assignments/redirections: run in the shell. */
static int run_in_shell(struct command *c, char **argv, int argc, int nassign)
{
	struct saved_fd save[MAX_SAVED];
	int nsave = 0, st = 0;

	fflush(stdout);
	if (apply_redirs(c->redirs, save, &nsave) < 0)
		st = 1;
	else if (argc == 0)
		do_assignments(c, nassign, 0);
	else {
		do_assignments(c, nassign, 0);
		st = builtin_find(argv[0])(argc, argv);
		fflush(stdout);
		fflush(stderr);
	}
	restore_redirs(save, nsave);
	return st;
}

static int run_pipeline(struct pipeline *p)
{
	pid_t *pids = arena_alloc(p->ncmds * sizeof(pid_t));
	pid_t pgid = 0;
	int in = -1, i = 0, st;
	struct command *c = p->cmds;
	char **argv = NULL; /* a lone command is expanded here, once */
	int argc = 0, nassign = 0;

	if (p->ncmds == 1) {
		argc = expand_command(c, &argv, &nassign);
		if (argc == 0 || builtin_find(argv[0])) {
			st = run_in_shell(c, argv, argc, nassign);
			return p->bang ? !st : st;
		}
	}
	fflush(stdout);
	fflush(stderr);
	for (; c; c = c->next, i++) {
		int pfd[2] = { -1, -1 };
		pid_t pid;

		if (c->next && pipe(pfd) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			break;
		}
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "sh: fork: %s\n", strerror(errno));
			close(pfd[0]);
			close(pfd[1]);
			break;
		}
		if (pid == 0) {
			job_child_setup(pgid, 1);
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (pfd[1] >= 0) {
				dup2(pfd[1], 1);
				close(pfd[1]);
				close(pfd[0]);
			}
			if (!argv) /* in a pipeline, each child expands its own */
				argc = expand_command(c, &argv, &nassign);
			run_in_child(c, argv, argc, nassign);
		}
		if (sh.jobctl)
			setpgid(pid, pgid ? pgid : pid);
		if (!pgid) {
			pgid = pid;
			job_take_terminal(pgid);
		}
		pids[i] = pid;
		if (in >= 0)
			close(in);
		if (pfd[1] >= 0)
			close(pfd[1]);
		in = pfd[0];
	}
	if (in >= 0)
		close(in);
	if (i == 0) {
		job_take_terminal(sh.pgid);
		st = 2;
	} else {
		st = job_wait_fg(pids, i);
	}
	return p->bang ? !st : st;
}

static int run_andor(struct andor *a)
{
	int st = run_pipeline(a->pipe);

	sh.last_status = st;
	for (; a->next && !sh.exiting; a = a->next) {
		if ((a->op == OP_AND && st != 0) || (a->op == OP_OR && st == 0))
			continue;
		st = run_pipeline(a->next->pipe);
		sh.last_status = st;
	}
	return st;
}

/* Text of an and-or list for job messages: the first command's words. */
static void describe(struct andor *a, char *buf, size_t n)
{
	struct command *c = a->pipe->cmds;

	buf[0] = 0;
	for (int i = 0; i < c->nwords; i++) {
		if (i)
			strncat(buf, " ", n - strlen(buf) - 1);
		strncat(buf, c->words[i], n - strlen(buf) - 1);
	}
	if (a->next || a->pipe->ncmds > 1)
		strncat(buf, " ...", n - strlen(buf) - 1);
}

static void run_background(struct andor *a)
{
	char what[64];
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		sh.last_status = 2;
		return;
	}
	if (pid == 0) {
		/* A subshell in its own group, never the foreground one. */
		int jobctl = sh.jobctl;

		if (jobctl)
			setpgid(0, 0);
		sh.interactive = sh.jobctl = 0;
		signal(SIGINT, jobctl ? SIG_DFL : SIG_IGN);
		signal(SIGQUIT, jobctl ? SIG_DFL : SIG_IGN);
		if (!jobctl) {
			int fd = open("/dev/null", O_RDONLY);
			if (fd >= 0 && fd != 0) {
				dup2(fd, 0);
				close(fd);
			}
		}
		_exit(run_andor(a));
	}
	if (sh.jobctl)
		setpgid(pid, pid);
	sh.last_bg = pid;
	sh.last_status = 0;
	describe(a, what, sizeof what);
	job_add_bg(pid, what);
}

int run_list(struct list *l)
{
	for (; l && !sh.exiting; l = l->next) {
		if (l->background)
			run_background(l->andor);
		else
			run_andor(l->andor);
	}
	return sh.last_status;
}
