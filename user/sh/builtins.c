/*
 * user/sh/builtins.c - the built-in utilities that act on the shell
 * itself: variables, options, directories, control flow, eval and source,
 * exec, aliases, type/command, help, and the table of all built-ins.
 * Input/output built-ins (echo, printf, read, test) are in builtin_io.c,
 * kill, umask and times in builtin_proc.c, jobs and traps in jobs.c and
 * trap.c.
 *
 * Each returns its exit status. Special built-ins (POSIX 2.14) are marked:
 * their variable assignments stay, and functions cannot override them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <unistd.h>

#include "echo.h"
#include "clear.h"
#include "sh.h"

static int bi_colon(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int bi_false(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}

static int bi_echo(int argc, char **argv)
{
	return echo_main(argc, argv);
}

static int bi_clear(int argc, char **argv)
{
	return clear_main(argc, argv, var_get("TERM"));
}

static int number_arg(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static int bi_exit(int argc, char **argv)
{
	int st = sh.status;

	if (argc > 1 && number_arg(argv[1], &st) < 0) {
		sh_error("exit: Illegal number: %s", argv[1]);
		st = 2;
	}
	sh_exit(st & 255);
}

static int loop_control(int argc, char **argv, int *which)
{
	int n = 1;

	if (argc > 1 && (number_arg(argv[1], &n) < 0 || n < 1)) {
		sh_error("%s: Illegal number: %s", argv[0], argv[1]);
		return 2;
	}
	if (sh.loop_depth == 0)
		return 0;
	if (n > sh.loop_depth)
		n = sh.loop_depth;
	*which = n;
	return 0;
}

static int bi_break(int argc, char **argv)
{
	return loop_control(argc, argv, &sh.breaking);
}

static int bi_continue(int argc, char **argv)
{
	return loop_control(argc, argv, &sh.continuing);
}

static int bi_return(int argc, char **argv)
{
	int st = sh.status;

	if (argc > 1 && number_arg(argv[1], &st) < 0) {
		sh_error("return: Illegal number: %s", argv[1]);
		return 2;
	}
	if (sh.func_depth == 0 && !sh.returning) {
		/* outside a function: ends a sourced file, like dash */
	}
	sh.returning = 1;
	sh.status = st & 255;
	return st & 255;
}

static int bi_cd(int argc, char **argv)
{
	const char *dir;
	int print = 0;
	int i = 1;

	while (i < argc && (!strcmp(argv[i], "-L") || !strcmp(argv[i], "-P")))
		i++;
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		dir = var_get("HOME");
		if (!dir || !*dir) {
			sh_error("cd: HOME not set");
			return 1;
		}
	} else if (!strcmp(argv[i], "-")) {
		dir = var_get("OLDPWD");
		if (!dir) {
			sh_error("cd: OLDPWD not set");
			return 1;
		}
		print = 1;
	} else {
		dir = argv[i];
	}
	char old[PATH_MAX], buf[PATH_MAX];
	if (!getcwd(old, sizeof old))
		old[0] = 0;
	const char *target = dir;
	/* CDPATH for relative names not starting with . */
	const char *cdpath = var_get("CDPATH");
	if (cdpath && dir[0] != '/' && dir[0] != '.') {
		for (const char *p = cdpath;;) {
			const char *e = strchr(p, ':');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			snprintf(buf, sizeof buf, "%.*s%s%s", (int)l, p, l ? "/" : "", dir);
			struct stat st;
			if (l && stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) {
				target = buf;
				print = 1;
				break;
			}
			if (!e)
				break;
			p = e + 1;
		}
	}
	if (chdir(target) < 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, "%s", target);
	if (old[0])
		var_set("OLDPWD", old, 0);
	var_set("PWD", cwd, 0);
	if (print)
		printf("%s\n", cwd);
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char cwd[PATH_MAX];

	(void)argc;
	(void)argv;
	if (!getcwd(cwd, sizeof cwd)) {
		sh_error("pwd: %s", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

/* export / readonly [-p] [name[=value]...] */
static int set_flagged(int argc, char **argv, int flag, const char *prefix)
{
	int i = 1, st = 0;

	if (i < argc && !strcmp(argv[i], "-p"))
		i++;
	if (i >= argc) {
		var_list(flag, prefix);
		return 0;
	}
	for (; i < argc; i++) {
		int n = var_name_len(argv[i]);
		if (n == 0 || (argv[i][n] && argv[i][n] != '=')) {
			sh_error("%s: %s: bad variable name", argv[0], argv[i]);
			st = 1;
			continue;
		}
		char *name = xstrndup(argv[i], n);
		if (argv[i][n] == '=') {
			if (var_set(name, argv[i] + n + 1, flag) < 0)
				st = 1;
		} else {
			var_flag(name, flag);
		}
		free(name);
	}
	return st;
}

static int bi_export(int argc, char **argv)
{
	return set_flagged(argc, argv, V_EXPORT, "export ");
}

static int bi_readonly(int argc, char **argv)
{
	return set_flagged(argc, argv, V_READONLY, "readonly ");
}

static int bi_local(int argc, char **argv)
{
	int st = 0;

	for (int i = 1; i < argc; i++) {
		int n = var_name_len(argv[i]);
		if (n == 0 || (argv[i][n] && argv[i][n] != '=')) {
			sh_error("local: %s: bad variable name", argv[i]);
			st = 1;
			continue;
		}
		char *name = xstrndup(argv[i], n);
		if (var_local(name) < 0) {
			if (!sh.interactive)
				sh_exit(2);
			st = 1;
		}
		else if (argv[i][n] == '=')
			var_set(name, argv[i] + n + 1, 0);
		free(name);
	}
	return st;
}

static int bi_unset(int argc, char **argv)
{
	int i = 1, funcs = 0, st = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-f"))
			funcs = 1;
		else if (!strcmp(argv[i], "-v"))
			funcs = 0;
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			sh_error("unset: bad option %s", argv[i]);
			return 2;
		}
	}
	for (; i < argc; i++) {
		if (funcs)
			func_unset(argv[i]);
		else if (var_unset(argv[i]) < 0) {
			if (!sh.interactive)
				sh_exit(2);
			st = 1;
		}
	}
	return st;
}

static int *option_flag(char c)
{
	switch (c) {
	case 'e': return &sh.opt_e;
	case 'u': return &sh.opt_u;
	case 'x': return &sh.opt_x;
	case 'f': return &sh.opt_f;
	case 'n': return &sh.opt_n;
	case 'C': return &sh.opt_C;
	case 'v': return &sh.opt_v;
	case 'm': return &sh.opt_m;
	}
	return NULL;
}

static const struct { const char *name; char c; } long_opts[] = {
	{ "errexit", 'e' }, { "nounset", 'u' }, { "xtrace", 'x' },
	{ "noglob", 'f' }, { "noexec", 'n' }, { "noclobber", 'C' },
	{ "verbose", 'v' }, { "monitor", 'm' }, { NULL, 0 },
};

void set_positional(int argc, char **argv)
{
	for (int i = 0; i < sh.argc; i++)
		free(sh.argv[i]);
	free(sh.argv);
	sh.argv = xmalloc((argc + 1) * sizeof *sh.argv);
	for (int i = 0; i < argc; i++)
		sh.argv[i] = xstrdup(argv[i]);
	sh.argc = argc;
}

/* Parse option arguments (set, and sh's command line). Returns the index
 * of the first non-option, or -1 after an error. */
int parse_options(int argc, char **argv, int start, int *stop_dashdash)
{
	int i = start;

	*stop_dashdash = 0;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			*stop_dashdash = 1;
			return i + 1;
		}
		if ((a[0] != '-' && a[0] != '+') || !a[1])
			break;
		int on = a[0] == '-';
		if (a[1] == 'o') {
			if (i + 1 >= argc) {
				for (int k = 0; long_opts[k].name; k++)
					printf("%-16s%s\n", long_opts[k].name,
					       *option_flag(long_opts[k].c) ? "on" : "off");
				return argc;
			}
			const char *name = argv[++i];
			int k = 0;
			for (; long_opts[k].name; k++)
				if (!strcmp(long_opts[k].name, name))
					break;
			if (!long_opts[k].name) {
				sh_error("set: Illegal option -o %s", name);
				return -1;
			}
			*option_flag(long_opts[k].c) = on;
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			int *f = option_flag(*p);
			if (!f) {
				sh_error("set: Illegal option %c%c", a[0], *p);
				return -1;
			}
			*f = on;
		}
	}
	return i;
}

static int bi_set(int argc, char **argv)
{
	int dd;

	if (argc == 1) {
		var_list(0, "");
		return 0;
	}
	int i = parse_options(argc, argv, 1, &dd);
	if (i < 0)
		return 2;
	if (i < argc || dd)
		set_positional(argc - i, argv + i);
	return 0;
}

static int bi_shift(int argc, char **argv)
{
	int n = 1;

	if (argc > 1 && number_arg(argv[1], &n) < 0) {
		sh_error("shift: Illegal number: %s", argv[1]);
		return 2;
	}
	if (n > sh.argc) {
		sh_error("shift: can't shift that many");
		if (!sh.interactive)
			sh_exit(2);
		return 2;
	}
	for (int i = 0; i < n; i++)
		free(sh.argv[i]);
	memmove(sh.argv, sh.argv + n, (sh.argc - n) * sizeof *sh.argv);
	sh.argc -= n;
	return 0;
}

static int bi_eval(int argc, char **argv)
{
	struct str s = { 0 };

	for (int i = 1; i < argc; i++) {
		if (i > 1)
			str_addc(&s, ' ');
		str_adds(&s, argv[i]);
	}
	char *text = str_take(&s);
	int st = run_text(text, sh.script);
	free(text);
	return st;
}

static int bi_source(int argc, char **argv)
{
	char path[4096];

	if (argc < 2) {
		sh_error("%s: filename argument required", argv[0]);
		return 2;
	}
	const char *file = argv[1];
	if (!strchr(file, '/') && path_search(file, path, sizeof path) == 0)
		file = path;
	else if (!strchr(file, '/')) {
		/* PATH search for readable files, then the current directory */
		const char *p = var_get("PATH");
		file = argv[1];
		while (p && *p) {
			const char *e = strchr(p, ':');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			snprintf(path, sizeof path, "%.*s/%s", (int)l, p, argv[1]);
			if (access(path, R_OK) == 0) {
				file = path;
				break;
			}
			if (!e)
				break;
			p = e + 1;
		}
	}
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		sh_error("%s: cannot open %s: %s", argv[0], argv[1], strerror(errno));
		if (!sh.interactive)
			sh_exit(2);
		return 2;
	}
	char **oargv = sh.argv;
	int oargc = sh.argc;
	if (argc > 2) {
		sh.argv = NULL;
		sh.argc = 0;
		set_positional(argc - 2, argv + 2);
	}
	const char *oscript = sh.script;
	int olineno = sh.lineno;
	int st = run_file_fd(fd, argv[1]);
	sh.script = oscript;
	sh.lineno = olineno;
	if (argc > 2) {
		set_positional(0, NULL);
		free(sh.argv);
		sh.argv = oargv;
		sh.argc = oargc;
	}
	return st;
}

static int bi_exec(int argc, char **argv)
{
	if (argc < 2)
		return 0;   /* redirections only: already applied for good */
	job_child_setup(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	int st = exec_external(argv + 1, 1);
	if (!sh.interactive)
		sh_exit(st);
	return st;
}

/* type / command -v / command -V: what a name would run. */
static int describe(const char *name, int verbose)
{
	char path[4096];
	const char *kws = " if then else elif fi do done case esac while until for { } ! in ";
	char pat[64];

	snprintf(pat, sizeof pat, " %s ", name);
	if (strlen(name) < 40 && strstr(kws, pat)) {
		if (verbose)
			printf("%s is a shell keyword\n", name);
		else
			printf("%s\n", name);
		return 0;
	}
	if (alias_get(name)) {
		if (verbose)
			printf("%s is an alias for %s\n", name, alias_get(name));
		else
			printf("alias %s='%s'\n", name, alias_get(name));
		return 0;
	}
	if (func_get(name)) {
		if (verbose)
			printf("%s is a shell function\n", name);
		else
			printf("%s\n", name);
		return 0;
	}
	const struct builtin *b = builtin_find(name);
	if (b) {
		if (verbose)
			printf("%s is a %sshell builtin\n", name, b->special ? "special " : "");
		else
			printf("%s\n", name);
		return 0;
	}
	if (path_search(name, path, sizeof path) == 0) {
		if (verbose)
			printf("%s is %s\n", name, path);
		else
			printf("%s\n", path);
		return 0;
	}
	if (verbose)
		printf("%s: not found\n", name);
	return 127;
}

static int bi_type(int argc, char **argv)
{
	int st = 0;

	for (int i = 1; i < argc; i++)
		if (describe(argv[i], 1))
			st = 127;
	return st;
}

static int bi_command(int argc, char **argv)
{
	int i = 1, mode = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			mode = 'v';
		else if (!strcmp(argv[i], "-V"))
			mode = 'V';
		else if (!strcmp(argv[i], "-p"))
			;
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			sh_error("command: bad option %s", argv[i]);
			return 2;
		}
	}
	if (i >= argc)
		return 0;
	if (!mode) {
		/* command -p name: run it (functions skipped) */
		const struct builtin *b = builtin_find(argv[i]);
		if (b)
			return b->fn(argc - i, argv + i);
		struct node n = { .type = N_CMD };
		(void)n;
		sh_error("command: -p is not supported for external commands");
		return 2;
	}
	int st = 0;
	for (; i < argc; i++)
		if (describe(argv[i], mode == 'V'))
			st = 127;
	return st;
}

static int bi_alias(int argc, char **argv)
{
	int st = 0;

	if (argc == 1) {
		alias_print(NULL);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq) {
			char *name = xstrndup(argv[i], eq - argv[i]);
			alias_set(name, eq + 1);
			free(name);
		} else if (alias_get(argv[i])) {
			alias_print(argv[i]);
		} else {
			sh_error("alias: %s not found", argv[i]);
			st = 1;
		}
	}
	return st;
}

static int bi_unalias(int argc, char **argv)
{
	int st = 0;

	if (argc > 1 && !strcmp(argv[1], "-a")) {
		alias_unset_all();
		return 0;
	}
	for (int i = 1; i < argc; i++)
		if (alias_unset(argv[i]) < 0) {
			sh_error("unalias: %s not found", argv[i]);
			st = 1;
		}
	return st;
}

static int bi_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("RayOS sh, a POSIX shell. Built-in commands:\n");
	for (const struct builtin *b = builtins; b->name; b++)
		printf("  %-10s %s\n", b->name, b->help);
	printf("Grammar: ; & && || | ! ( ) { } if while until for case, "
	       "functions, redirections < > >| >> <> <& >& << <<-\n");
	return 0;
}

const struct builtin builtins[] = {
	{ ".", bi_source, 1, "FILE [ARGS]: run FILE in this shell" },
	{ ":", bi_colon, 1, "do nothing, successfully" },
	{ "[", bi_test, 0, "EXPR ]: same as test" },
	{ "alias", bi_alias, 0, "[NAME[=VALUE]...]: define or list aliases" },
	{ "bg", bi_bg, 0, "[%JOB]: continue a stopped job in the background" },
	{ "break", bi_break, 1, "[N]: leave N loops" },
	{ "cd", bi_cd, 0, "[DIR | -]: change directory (HOME by default)" },
	{ "clear", bi_clear, 0, "clear the terminal" },
	{ "command", bi_command, 0, "[-v|-V] NAME...: run or describe, skipping functions" },
	{ "continue", bi_continue, 1, "[N]: next iteration of the Nth loop" },
	{ "echo", bi_echo, 0, "[-neE] [ARG...]: print arguments" },
	{ "eval", bi_eval, 1, "[ARG...]: run the arguments as a command" },
	{ "exec", bi_exec, 1, "[CMD [ARG...]]: replace the shell, or keep redirections" },
	{ "exit", bi_exit, 1, "[N]: leave the shell" },
	{ "export", bi_export, 1, "[-p] [NAME[=VALUE]...]: export variables" },
	{ "false", bi_false, 0, "fail" },
	{ "fg", bi_fg, 0, "[%JOB]: bring a job to the foreground" },
	{ "help", bi_help, 0, "this list" },
	{ "history", bi_history, 0, "[-c]: list the command history" },
	{ "jobs", bi_jobs, 0, "[-l|-p]: list jobs" },
	{ "kill", bi_kill, 0, "[-s SIG|-SIG] PID|%JOB...: send a signal" },
	{ "local", bi_local, 0, "NAME[=VALUE]...: function-local variables" },
	{ "printf", bi_printf, 0, "FORMAT [ARG...]: formatted output" },
	{ "pwd", bi_pwd, 0, "print the current directory" },
	{ "read", bi_read, 0, "[-r] [-p PROMPT] NAME...: read a line into variables" },
	{ "readonly", bi_readonly, 1, "[-p] [NAME[=VALUE]...]: make variables read-only" },
	{ "return", bi_return, 1, "[N]: leave a function" },
	{ "set", bi_set, 1, "[-euxfnC] [-o OPT] [--] [ARG...]: options, positional parameters" },
	{ "shift", bi_shift, 1, "[N]: drop positional parameters" },
	{ "source", bi_source, 0, "FILE [ARGS]: same as ." },
	{ "test", bi_test, 0, "EXPR: evaluate a condition" },
	{ "times", bi_times, 1, "print process times" },
	{ "trap", bi_trap, 1, "[ACTION] SIGNAL...: run ACTION on a signal or EXIT" },
	{ "true", bi_colon, 0, "succeed" },
	{ "type", bi_type, 0, "NAME...: what NAME would run" },
	{ "umask", bi_umask, 0, "[-S] [MODE]: file creation mask" },
	{ "unalias", bi_unalias, 0, "[-a] NAME...: remove aliases" },
	{ "unset", bi_unset, 1, "[-f|-v] NAME...: remove variables or functions" },
	{ "wait", bi_wait, 0, "[PID|%JOB...]: wait for background jobs" },
	{ NULL, NULL, 0, NULL },
};

const struct builtin *builtin_find(const char *name)
{
	/* the table is sorted: binary search */
	int lo = 0, hi = (int)(sizeof builtins / sizeof builtins[0]) - 2;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = strcmp(name, builtins[mid].name);
		if (c == 0)
			return &builtins[mid];
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return NULL;
}
