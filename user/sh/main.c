/*
 * user/sh/main.c - the RayOS shell: start-up, reading commands, errors,
 * exit, and the memory helpers.
 *
 *   sh [-euxfnCi] [-o opt]                  commands from stdin
 *   sh [options] -c 'cmds' [name [args...]]
 *   sh [options] file [args...]             a script
 *
 * Commands are parsed and run one complete command at a time, from a
 * struct input that reads more as the parser asks: a script file is read
 * whole; stdin that is not a terminal one byte at a time (so that `read`
 * in the script sees the rest); a terminal through the line editor, with
 * PS1 for a new command and PS2 for a continuation line.
 *
 * The interactive shell puts itself in its own process group in the
 * foreground of the terminal and catches SIGINT (trap.c): ^C at the
 * prompt abandons the line; ^C while a loop runs in the shell itself
 * abandons the command (longjmp to sh_abort).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sh.h"

struct shell sh;
jmp_buf sh_abort;
int parse_options(int argc, char **argv, int start, int *stop_dashdash);
void set_positional(int argc, char **argv);

/* ---- memory ---- */
static _Noreturn void out_of_memory(void)
{
	static const char msg[] = "sh: out of memory\n";
	(void)!write(2, msg, sizeof msg - 1);
	_exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

void str_addn(struct str *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

void str_addc(struct str *b, char c)
{
	str_addn(b, &c, 1);
}

void str_adds(struct str *b, const char *s)
{
	str_addn(b, s, strlen(s));
}

char *str_take(struct str *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->n = b->cap = 0;
	return s;
}

/* The expansion stack: chunks numbered from 1; a mark is (chunk, used). */
struct chunk {
	struct chunk *prev;
	size_t used, size;
	size_t index;
	max_align_t data[];
};
static struct chunk *top;
static struct chunk *spare;  /* one freed chunk kept: no mmap per command */

void *stk_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!top || top->used + n > top->size) {
		size_t size = n > 32768 ? n : 32768;
		struct chunk *c;
		if (spare && spare->size >= size) {
			c = spare;
			spare = NULL;
		} else {
			c = xmalloc(sizeof *c + size);
			c->size = size;
		}
		c->prev = top;
		c->used = 0;
		c->index = top ? top->index + 1 : 1;
		top = c;
	}
	void *p = (char *)top->data + top->used;
	top->used += n;
	return p;
}

char *stk_strdup(const char *s)
{
	size_t n = strlen(s);
	char *d = stk_alloc(n + 1);

	memcpy(d, s, n + 1);
	return d;
}

size_t stk_mark(void)
{
	return top ? (top->index << 32) | top->used : 0;
}

void stk_release(size_t mark)
{
	size_t idx = mark >> 32, used = mark & 0xffffffffu;

	while (top && top->index > idx) {
		struct chunk *c = top;
		top = c->prev;
		if (!spare && c->size == 32768)
			spare = c;
		else
			free(c);
	}
	if (top)
		top->used = used;
}

/* ---- messages and exit ---- */
void sh_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (sh.script)
		fprintf(stderr, "sh: %s: line %d: ", sh.script, sh.lineno);
	else
		fputs("sh: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void syntax_error_msg(const char *name, int lineno)
{
	fflush(stdout);
	if (name)
		fprintf(stderr, "sh: %s: line %d: syntax error: %s\n", name, lineno,
			parse_error);
	else
		fprintf(stderr, "sh: syntax error: %s\n", parse_error);
}

_Noreturn void sh_exit(int status)
{
	sh.status = status;
	trap_run_exit();
	fflush(stdout);
	fflush(stderr);
	exit(status & 255);
}

/* ---- running input ---- */
/* Parse and run each complete command of in; returns the last status.
 * A syntax error: status 2; fatal (exit) in a non-interactive shell
 * reading a script or -c, just the status for eval and traps. */
static const char *cmd_name;   /* "-c" when running sh -c */

static int run_input(struct input *in, int fatal)
{
	const char *oscript = sh.script;

	for (;;) {
		struct node *n;
		sh.script = in->name;
		enum parse_status st = parse_command(in, &n);
		if (st == P_EOF)
			break;
		if (st == P_ERROR) {
			syntax_error_msg(in->name ? in->name : fatal ? cmd_name : NULL,
					 in->lineno);
			sh.status = 2;
			if (fatal && !sh.interactive)
				sh_exit(2);
			input_discard(in);
			break;
		}
		if (n && !sh.opt_n)
			run_node(n, 0);
		tree_free(n);
		if (sh.exiting || sh.returning)
			break;
	}
	sh.script = oscript;
	return sh.status;
}

int run_text(const char *text, const char *name)
{
	struct input in;
	int olineno = sh.lineno;

	input_init_string(&in, text, name);
	in.lineno = name ? sh.lineno : 1;
	int st = run_input(&in, 1);
	free(in.buf);
	sh.lineno = olineno;
	return st;
}

/* A script or sourced file: read it whole. */
int run_file_fd(int fd, const char *name)
{
	struct str text = { 0 };
	char buf[8192];
	ssize_t r;

	while ((r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		str_addn(&text, buf, r);
	}
	close(fd);
	char *t = str_take(&text);
	struct input in;
	input_init_string(&in, t, name);
	free(t);
	int fr = sh.func_depth;
	int st = run_input(&in, 1);
	if (sh.returning && sh.func_depth == fr)
		sh.returning = 0;   /* `return` ends a sourced file */
	free(in.buf);
	return st;
}

/* ---- stdin and the terminal ---- */
static int first_line;

static void input_append(struct input *in, const char *s, size_t n)
{
	if (in->len + n + 1 > in->cap) {
		in->cap = (in->len + n + 1) * 2;
		in->buf = xrealloc(in->buf, in->cap);
	}
	memcpy(in->buf + in->len, s, n);
	in->len += n;
	in->buf[in->len] = 0;
}

static int more_stdin(struct input *in)
{
	char c;
	size_t before = in->len;

	for (;;) {
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return in->len > before;
		input_append(in, &c, 1);
		if (c == '\n')
			return 1;
	}
}

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

/* PS1 with \u \h \w \W \$ \n \\, then parameter expansion; by default
 * user@host:cwd# (or $ when not root). */
char *prompt_string(void)
{
	const char *ps1 = var_get("PS1");
	char cwd[PATH_MAX];
	struct str b = { 0 };

	if (!getcwd(cwd, sizeof cwd))
		strcpy(cwd, "?");
	if (!ps1)
		ps1 = "\\u@\\h:\\w\\$ ";
	for (const char *p = ps1; *p; p++) {
		if (*p != '\\' || !p[1]) {
			str_addc(&b, *p);
			continue;
		}
		switch (*++p) {
		case 'u': str_adds(&b, prompt_user); break;
		case 'h': str_adds(&b, prompt_host); break;
		case 'w': str_adds(&b, cwd); break;
		case 'W': {
			const char *s = strrchr(cwd, '/');
			str_adds(&b, s && s[1] ? s + 1 : cwd);
			break;
		}
		case '$': str_addc(&b, geteuid() == 0 ? '#' : '$'); break;
		case 'n': str_addc(&b, '\n'); break;
		case '\\': str_addc(&b, '\\'); break;
		default: str_addc(&b, '\\'); str_addc(&b, *p); break;
		}
	}
	char *raw = str_take(&b);
	size_t mark = stk_mark();
	char *r = strchr(raw, '$') || strchr(raw, '`') ? xstrdup(expand_heredoc(raw)) : xstrdup(raw);
	stk_release(mark);
	free(raw);
	return r;
}

static int more_interactive(struct input *in)
{
	char *prompt;

	if (first_line) {
		job_notify();
		prompt = prompt_string();
	} else {
		const char *ps2 = var_get("PS2");
		prompt = xstrdup(ps2 ? ps2 : "> ");
	}
	first_line = 0;
	char *line = line_read(prompt);
	free(prompt);
	if (!line)
		return 0;
	input_append(in, line, strlen(line));
	input_append(in, "\n", 1);
	free(line);
	return 1;
}

static void setup_job_control(void)
{
	int fd = fcntl(0, F_DUPFD_CLOEXEC, 10);

	if (fd < 0)
		return;
	sh.tty_fd = fd;
	if (tcgetpgrp(fd) < 0)
		return;
	/* wait until we are in the foreground (like other shells) */
	for (int i = 0; i < 100 && tcgetpgrp(fd) != getpgrp(); i++)
		kill(-getpgrp(), SIGTTIN);
	if (getpgrp() != getpid() && setpgid(0, 0) < 0)
		return;
	sh.pgid = getpgrp();
	if (tcsetpgrp(fd, sh.pgid) < 0)
		return;
	sh.jobctl = 1;
	sh.opt_m = 1;
}

static void interactive_loop(void)
{
	struct input in;

	memset(&in, 0, sizeof in);
	in.lineno = 1;
	in.more = more_interactive;
	in.interactive = 1;
	hist_load();
	for (;;) {
		if (setjmp(sh_abort)) {
			/* ^C in a running loop, or an expansion error */
			sh.breaking = sh.continuing = sh.returning = 0;
			sh.no_errexit = 0;
			sh.loop_depth = 0;
			while (sh.func_depth > 0) {
				var_pop_scope();
				sh.func_depth--;
			}
			fflush(stdout);
		}
		in.len = in.pos = 0;
		in.eof = 0;
		first_line = 1;
		got_sigint = 0;
		struct node *n;
		enum parse_status st = parse_command(&in, &n);
		if (got_sigint && st != P_OK)
			continue;               /* ^C at a prompt: a fresh one */
		if (st == P_EOF)
			break;
		/* the text typed, for the history */
		if (in.len > 1) {
			char *h = xstrndup(in.buf, in.len - 1);
			if (h[strspn(h, " \t\n")])
				hist_add(h);
			free(h);
		}
		if (st == P_ERROR) {
			syntax_error_msg(NULL, 0);
			sh.status = 2;
			continue;
		}
		if (n)
			run_node(n, 0);
		tree_free(n);
		if (sh.exiting)
			break;
	}
	if (!sh.exiting)
		fputs("exit\n", stderr);
}

static int usage(void)
{
	fprintf(stderr, "usage: sh [-euxfnCi] [-o option] [-c command [name [arg...]] | file [arg...]]\n");
	return 2;
}

int main(int argc, char **argv)
{
	extern char **environ;
	const char *cmd = NULL, *file = NULL;
	int i = 1, force_i = 0, read_stdin = 0, opt_c = 0;

	sh.pid = getpid();
	var_import_environ(environ);
	if (!var_get("PATH"))
		var_set("PATH", "/bin:/sbin:/usr/bin", 0);
	var_set("PPID", NULL, 0);
	{
		char b[24];
		snprintf(b, sizeof b, "%d", (int)getppid());
		var_set("PPID", b, 0);
	}
	if (!var_get("IFS"))
		var_set("IFS", " \t\n", 0);
	if (!var_get("PS2"))
		var_set("PS2", "> ", 0);
	if (!var_get("PS4"))
		var_set("PS4", "+ ", 0);
	sh.arg0 = argv[0];

	/* options: letters of set, plus c, s, i */
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if ((a[0] != '-' && a[0] != '+') || !a[1])
			break;
		if (a[1] == 'o') {
			int dd;
			char *v[3] = { "set", argv[i], i + 1 < argc ? argv[i + 1] : NULL };
			if (!v[2] || parse_options(3, v, 1, &dd) < 0)
				return usage();
			i++;
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			if (*p == 'c')
				opt_c = 1;
			else if (*p == 's')
				read_stdin = 1;
			else if (*p == 'i')
				force_i = 1;
			else {
				char opt[3] = { a[0], *p, 0 };
				char *v[2] = { "set", opt };
				int dd;
				if (parse_options(2, v, 1, &dd) < 0)
					return usage();
			}
		}
	}
	if (opt_c) {
		if (i >= argc) {
			sh_error("-c requires an argument");
			return 2;
		}
		cmd = argv[i++];
		if (i < argc)
			sh.arg0 = argv[i++];
	} else if (!read_stdin && i < argc) {
		file = argv[i];
		sh.arg0 = argv[i++];
	}
	set_positional(argc - i, argv + i);

	if (cmd) {
		struct input in;
		input_init_string(&in, cmd, NULL);
		cmd_name = "-c";
		run_input(&in, 1);
	} else if (file) {
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			sh_error("%s: %s", file, e == ENOENT ? "not found" : strerror(e));
			sh_exit(e == ENOENT ? ST_NOTFOUND : ST_NOEXEC);
		}
		sh.script = file;
		run_file_fd(fd, file);
	} else {
		sh.interactive = force_i || (isatty(0) && isatty(2));
		trap_init();
		if (sh.interactive) {   /* -i on a pipe: prompts, no job control */
			prompt_init();
			if (isatty(0))
				setup_job_control();
			interactive_loop();
		} else {
			struct input in;
			memset(&in, 0, sizeof in);
			in.lineno = 1;
			in.more = more_stdin;
			run_input(&in, 1);
		}
	}
	sh_exit(sh.status);
}
