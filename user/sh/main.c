/*
 * user/sh/main.c - the RayOS shell: start-up, input, the prompt.
 *
 *   sh                      commands from stdin (interactive on a terminal)
 *   sh -c 'cmds' [name [args...]]
 *   sh file [args...]       a script: lines in order, # comments
 *
 * Input is read with read(2): on the console the kernel's tty does the
 * line editing (canonical mode), so a read returns one line. Text is run
 * as soon as it is complete; a line that ends inside quotes, after a
 * backslash, or after | && || is continued with a "> " prompt.
 *
 * The interactive shell puts itself in its own process group in the
 * foreground of the terminal, ignores SIGTTOU/SIGTTIN/SIGTSTP/SIGQUIT, and
 * catches SIGINT so that ^C at the prompt abandons the line and prints a
 * fresh prompt (the foreground job, in its own group, gets the ^C itself).
 * Prompt: user@host:cwd# for root, user@host:cwd$ for anyone else.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sh.h"

struct shell sh;
volatile sig_atomic_t sh_got_sigint;

/* ---- arena: per-line memory ---- */
struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};
static struct block *arena;

void *arena_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!arena || arena->used + n > arena->size) {
		size_t size = n > 65536 ? n : 65536;
		struct block *b = malloc(sizeof *b + size);
		if (!b) {
			fprintf(stderr, "sh: out of memory\n");
			exit(2);
		}
		b->next = arena;
		b->used = 0;
		b->size = size;
		arena = b;
	}
	void *p = (char *)arena->data + arena->used;
	arena->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(const char *s, size_t n)
{
	char *d = arena_alloc(n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

void arena_reset(void)
{
	while (arena) {
		struct block *next = arena->next;
		free(arena);
		arena = next;
	}
}

/* ---- input ---- */
struct reader {
	int fd;
	char buf[4096];
	size_t pos, len;
};

enum { LINE_OK, LINE_EOF, LINE_INTR };

/* Read one line (without its newline) into a malloc'd *out. */
static int read_line(struct reader *r, char **out)
{
	size_t n = 0, cap = 128;
	char *line = malloc(cap);

	if (!line)
		return LINE_EOF;
	for (;;) {
		if (r->pos == r->len) {
			ssize_t got = read(r->fd, r->buf, sizeof r->buf);
			if (got < 0 && errno == EINTR && sh_got_sigint) {
				free(line);
				return LINE_INTR;
			}
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				if (n == 0) {
					free(line);
					return LINE_EOF;
				}
				break;
			}
			r->pos = 0;
			r->len = got;
		}
		char c = r->buf[r->pos++];
		/* A terminal that does not map CR to NL still ends the line. */
		if (c == '\n' || (c == '\r' && sh.interactive))
			break;
		if (n + 2 > cap) {
			char *l = realloc(line, cap *= 2);
			if (!l) {
				free(line);
				return LINE_EOF;
			}
			line = l;
		}
		line[n++] = c;
	}
	line[n] = 0;
	*out = line;
	return LINE_OK;
}

/* ---- running text ---- */
enum { RUN_OK, RUN_INCOMPLETE, RUN_ERROR };
static const char *run_error;

static int run_text(const char *text)
{
	struct token *toks;
	struct list *l;
	enum lex_status ls;
	enum parse_status ps;

	arena_reset();
	ls = lex(text, &toks, &run_error);
	if (ls == LEX_INCOMPLETE) {
		run_error = "unterminated quote";
		return RUN_INCOMPLETE;
	}
	if (ls == LEX_ERROR)
		return RUN_ERROR;
	ps = parse(toks, &l, &run_error);
	if (ps != PARSE_OK)
		return ps == PARSE_INCOMPLETE ? RUN_INCOMPLETE : RUN_ERROR;
	run_list(l);
	return RUN_OK;
}

/* ---- the prompt ---- */
static char prompt_user[64], prompt_host[72];

static void prompt_init(void)
{
	uid_t uid = getuid();
	struct passwd *pw = getpwuid(uid);
	struct utsname u;

	if (pw && pw->pw_name[0])
		snprintf(prompt_user, sizeof prompt_user, "%s", pw->pw_name);
	else if (uid == 0)
		strcpy(prompt_user, "root");
	else
		snprintf(prompt_user, sizeof prompt_user, "%u", (unsigned)uid);

	if (uname(&u) == 0 && u.nodename[0] && strcmp(u.nodename, "(none)"))
		snprintf(prompt_host, sizeof prompt_host, "%s", u.nodename);
	else {
		FILE *f = fopen("/etc/hostname", "r");

		if (!f || !fgets(prompt_host, sizeof prompt_host, f))
			strcpy(prompt_host, "rayos");
		prompt_host[strcspn(prompt_host, "\n")] = 0;
		if (f)
			fclose(f);
	}
}

static void print_prompt(int continuation)
{
	char cwd[4096];

	if (continuation) {
		fputs("> ", stderr);
		return;
	}
	if (!getcwd(cwd, sizeof cwd))
		strcpy(cwd, "?");
	fprintf(stderr, "%s@%s:%s%s ", prompt_user, prompt_host, cwd,
		geteuid() == 0 ? "#" : "$");
}

/* ---- start-up ---- */
static void on_sigint(int sig)
{
	(void)sig;
	sh_got_sigint = 1;
}

static void setup_interactive(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint; /* no SA_RESTART: read() returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);

	/* Job control needs a controlling terminal we can hand around. */
	sh.tty_fd = 0;
	if (tcgetpgrp(0) < 0)
		return;
	if (getpgrp() != getpid() && setpgid(0, 0) < 0)
		return;
	sh.pgid = getpgrp();
	if (tcsetpgrp(0, sh.pgid) < 0)
		return;
	sh.jobctl = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: sh [-c command [name [arg...]]] [file [arg...]]\n");
	return 2;
}

static void syntax_error(const char *where, int lineno)
{
	if (where)
		fprintf(stderr, "sh: %s: line %d: syntax error: %s\n", where,
			lineno, run_error);
	else
		fprintf(stderr, "sh: syntax error: %s\n", run_error);
	sh.last_status = 2;
}

/* Read and run commands from fd until EOF or `exit`. */
static void run_fd(int fd, const char *where)
{
	struct reader *r = calloc(1, sizeof *r);
	char *acc = NULL;
	size_t acclen = 0;
	int lineno = 0;

	if (!r)
		return;
	r->fd = fd;
	while (!sh.exiting) {
		char *line;
		int got;

		if (sh.interactive) {
			job_reap_bg(1);
			print_prompt(acc != NULL);
		}
		sh_got_sigint = 0;
		got = read_line(r, &line);
		if (got == LINE_INTR) {
			fputc('\n', stderr);
			free(acc);
			acc = NULL;
			acclen = 0;
			continue;
		}
		if (got == LINE_EOF) {
			if (acc) {
				run_error = "unexpected end of file";
				syntax_error(where, lineno);
			}
			break;
		}
		lineno++;
		size_t n = strlen(line);
		char *a = realloc(acc, acclen + n + 2);
		if (!a)
			break;
		acc = a;
		memcpy(acc + acclen, line, n);
		acclen += n;
		acc[acclen++] = '\n';
		acc[acclen] = 0;
		free(line);

		int st = run_text(acc);
		if (st == RUN_INCOMPLETE)
			continue;
		if (st == RUN_ERROR) {
			syntax_error(where, lineno);
			if (!sh.interactive) {
				sh.exiting = 1;
				sh.exit_status = 2;
			}
		}
		free(acc);
		acc = NULL;
		acclen = 0;
	}
	free(acc);
	free(r);
}

int main(int argc, char **argv)
{
	extern char **environ;
	const char *cmd = NULL, *file = NULL;
	int i = 1;

	sh.pid = getpid();
	var_import_environ(environ);
	if (!var_get("PATH"))
		var_set("PATH", "/bin:/sbin:/usr/bin", 0);
	sh.name = argv[0][0] == '-' ? argv[0] + 1 : argv[0];

	if (i < argc && strcmp(argv[i], "-c") == 0) {
		if (++i >= argc)
			return usage();
		cmd = argv[i++];
		if (i < argc)
			sh.name = argv[i++];
	} else if (i < argc && strcmp(argv[i], "--") == 0) {
		i++;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
		return usage();
	}
	if (!cmd && i < argc) {
		file = argv[i];
		sh.name = argv[i++];
	}
	sh.args = argv + i;
	sh.nargs = argc - i;

	if (cmd) {
		int st = run_text(cmd);
		if (st != RUN_OK) {
			if (st == RUN_INCOMPLETE)
				run_error = "unexpected end of file";
			syntax_error("-c", 1);
			return 2;
		}
	} else if (file) {
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", file, strerror(errno));
			return errno == ENOENT ? ST_NOTFOUND : ST_NOEXEC;
		}
		run_fd(fd, file);
		close(fd);
	} else {
		sh.interactive = isatty(0) && isatty(2);
		if (sh.interactive) {
			prompt_init();
			setup_interactive();
		}
		run_fd(0, NULL);
	}
	fflush(stdout);
	return sh.exiting ? sh.exit_status : sh.last_status;
}
