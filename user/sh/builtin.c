/*
 * user/sh/builtin.c - commands the shell runs itself: those that change the
 * shell's own state (cd, exit, export, unset, wait) and a few cheap ones
 * (echo, pwd, true, false, :, help). Each is int fn(argc, argv) returning
 * an exit status; the table at the bottom maps names to functions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"
#include "echo.h"

static int bi_true(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 0;
}

static int bi_false(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 1;
}

static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	char cwd[4096];
	int print = 0;

	if (argc > 2) {
		fprintf(stderr, "usage: cd [dir]\n");
		return 2;
	}
	if (dir && strcmp(dir, "-") == 0) {
		dir = var_get("OLDPWD");
		print = 1;
	}
	if (!dir || !*dir) {
		fprintf(stderr, "sh: cd: %s not set\n", print ? "OLDPWD" : "HOME");
		return 1;
	}
	if (getcwd(cwd, sizeof cwd) == NULL)
		cwd[0] = 0;
	if (chdir(dir) < 0) {
		fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	var_set("OLDPWD", cwd, 0);
	if (getcwd(cwd, sizeof cwd))
		var_set("PWD", cwd, 0);
	if (print)
		printf("%s\n", cwd);
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char cwd[4096];

	(void)argc, (void)argv;
	if (!getcwd(cwd, sizeof cwd)) {
		fprintf(stderr, "sh: pwd: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

static int bi_exit(int argc, char **argv)
{
	int st = sh.last_status;

	if (argc > 1) {
		char *end;
		long n = strtol(argv[1], &end, 10);

		if (!*argv[1] || *end) {
			fprintf(stderr, "sh: exit: %s: numeric argument required\n",
				argv[1]);
			n = 2;
		}
		st = (int)(n & 0xff);
	}
	sh.exiting = 1;
	sh.exit_status = st;
	return st;
}

/* echo [-neE] [args]: user/lib/echo.c, shared with /bin/echo. */
static int bi_echo(int argc, char **argv)
{
	return echo_main(argc, argv);
}

static int bi_export(int argc, char **argv)
{
	if (argc == 1) {
		var_print_exports();
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);

		if (!var_name_ok(argv[i], n)) {
			fprintf(stderr, "sh: export: %s: bad variable name\n", argv[i]);
			return 1;
		}
		if (eq) {
			*eq = 0;
			var_set(argv[i], eq + 1, 1);
			*eq = '=';
		} else {
			var_export(argv[i]);
		}
	}
	return 0;
}

static int bi_unset(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		var_unset(argv[i]);
	return 0;
}

static int bi_wait(int argc, char **argv)
{
	(void)argc, (void)argv;
	job_wait_all();
	return 0;
}

static int bi_help(int argc, char **argv);

static const struct {
	const char *name;
	builtin_fn fn;
	const char *help;
} builtins[] = {
	{ ":", bi_true, ":                do nothing, successfully" },
	{ "cd", bi_cd, "cd [dir|-]       change directory (default $HOME)" },
	{ "echo", bi_echo, "echo [-neE] args print arguments" },
	{ "exit", bi_exit, "exit [n]         leave the shell" },
	{ "export", bi_export, "export [n[=v]]   export variables to commands" },
	{ "false", bi_false, "false            fail" },
	{ "help", bi_help, "help             this list" },
	{ "pwd", bi_pwd, "pwd              print the working directory" },
	{ "true", bi_true, "true             succeed" },
	{ "unset", bi_unset, "unset name...    remove variables" },
	{ "wait", bi_wait, "wait             wait for background jobs" },
};
#define NBUILTINS (sizeof builtins / sizeof builtins[0])

static int bi_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("RayOS sh built-in commands:\n");
	for (size_t i = 0; i < NBUILTINS; i++)
		printf("  %s\n", builtins[i].help);
	printf("Also: ; && || | < > >> 2> 2>&1 & 'quotes' \"$VAR\" $? $$ ~ *\n");
	return 0;
}

builtin_fn builtin_find(const char *name)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].fn;
	return NULL;
}
