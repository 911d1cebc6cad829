/*
 * user/sh/redir.c - redirections: < > >| >> <> <& >& n>&- and
 * here-documents.
 *
 * For an external command they are applied in the child after fork and
 * simply stay. For built-ins, functions and compound commands the shell
 * applies them to itself: each fd it changes is first saved with
 * F_DUPFD_CLOEXEC above 10 and put back by redir_restore. A here-document
 * is a pipe: the body is written into it by the shell when it fits in the
 * pipe buffer, by a forked writer otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

struct saved_fd {
	int fd, saved;           /* saved -1: fd was closed before */
	struct saved_fd *next;
};

static int save_fd(int fd, struct saved_fd **save)
{
	if (!save)
		return 0;
	for (struct saved_fd *s = *save; s; s = s->next)
		if (s->fd == fd)
			return 0;
	struct saved_fd *s = xmalloc(sizeof *s);
	s->fd = fd;
	s->saved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (s->saved < 0 && errno != EBADF) {
		free(s);
		sh_error("%d: %s", fd, strerror(errno));
		return -1;
	}
	s->next = *save;
	*save = s;
	return 0;
}

void redir_restore(struct saved_fd *save)
{
	fflush(stdout);
	fflush(stderr);
	while (save) {
		struct saved_fd *next = save->next;
		if (save->saved >= 0) {
			dup2(save->saved, save->fd);
			close(save->saved);
		} else {
			close(save->fd);
		}
		free(save);
		save = next;
	}
}

/* A pipe whose read end delivers text. */
int redir_setup_heredoc(struct redir *r)
{
	int p[2];
	const char *text = r->quoted ? r->body : expand_heredoc(r->body);
	size_t n = strlen(text);

	if (pipe(p) < 0) {
		sh_error("pipe: %s", strerror(errno));
		return -1;
	}
	if (n <= 4096) {
		if (n)
			(void)!write(p[1], text, n);
	} else {
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			signal(SIGPIPE, SIG_DFL);
			const char *t = text;
			while (n) {
				ssize_t w = write(p[1], t, n);
				if (w <= 0)
					_exit(1);
				t += w;
				n -= w;
			}
			_exit(0);
		}
		/* the writer is reaped with the other children (jobs.c) */
	}
	close(p[1]);
	return p[0];
}

static int open_target(struct redir *r, const char *name)
{
	int flags;

	switch (r->type) {
	case R_IN: flags = O_RDONLY; break;
	case R_RDWR: flags = O_RDWR | O_CREAT; break;
	case R_APPEND: flags = O_WRONLY | O_CREAT | O_APPEND; break;
	case R_OUT:
		if (sh.opt_C) {
			struct stat st;
			if (stat(name, &st) == 0 && S_ISREG(st.st_mode)) {
				sh_error("cannot create %s: File exists", name);
				return -1;
			}
		}
		/* fall through */
	default: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
	}
	int fd = open(name, flags | O_CLOEXEC, 0666);
	if (fd < 0)
		sh_error("cannot %s %s: %s", r->type == R_IN ? "open" : "create",
			 name, strerror(errno));
	return fd;
}

int redir_apply(struct redir *r, struct saved_fd **save)
{
	for (; r; r = r->next) {
		int fd = -1;

		if (r->type == R_HEREDOC) {
			fd = redir_setup_heredoc(r);
		} else if (r->type == R_DUPIN || r->type == R_DUPOUT) {
			const char *w = expand_str(r->word);
			if (strcmp(w, "-") == 0) {
				if (save_fd(r->fd, save) < 0)
					return -1;
				close(r->fd);
				continue;
			}
			char *end;
			long m = strtol(w, &end, 10);
			if (!*w || *end || m < 0 || m > 1023 ||
			    fcntl((int)m, F_GETFD) < 0) {
				sh_error("%s: Bad file descriptor", w);
				return -1;
			}
			if (m == r->fd)
				continue;
			if (save_fd(r->fd, save) < 0)
				return -1;
			if (dup2((int)m, r->fd) < 0) {
				sh_error("%d: %s", r->fd, strerror(errno));
				return -1;
			}
			continue;
		} else {
			fd = open_target(r, expand_str(r->word));
		}
		if (fd < 0)
			return -1;
		if (fd == r->fd) {
			fcntl(fd, F_SETFD, 0);
			continue;
		}
		if (save_fd(r->fd, save) < 0) {
			close(fd);
			return -1;
		}
		if (dup2(fd, r->fd) < 0) {
			sh_error("%d: %s", r->fd, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}
