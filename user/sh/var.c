/*
 * user/sh/var.c - shell variables.
 *
 * A small table of name=value pairs with an "exported" flag, kept in
 * malloc'd memory (it outlives the per-line arena). The environment the
 * shell was started with is imported as exported variables; var_environ()
 * builds the envp for execve from the exported ones. A linear table is
 * plenty for the few dozen variables a shell holds.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct var {
	char *name;
	char *value;
	int exported;
};

static struct var *vars;
static int nvars, capvars;

int var_name_ok(const char *s, size_t n)
{
	if (n == 0 || isdigit((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static struct var *find(const char *name)
{
	for (int i = 0; i < nvars; i++)
		if (strcmp(vars[i].name, name) == 0)
			return &vars[i];
	return NULL;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		fprintf(stderr, "sh: out of memory\n");
		exit(2);
	}
	return d;
}

const char *var_get(const char *name)
{
	struct var *v = find(name);

	return v ? v->value : NULL;
}

/* export: 1 to export, 0 to keep the current flag. */
int var_set(const char *name, const char *value, int export)
{
	struct var *v = find(name);

	if (!v) {
		if (nvars == capvars) {
			capvars = capvars ? 2 * capvars : 32;
			vars = realloc(vars, capvars * sizeof *vars);
			if (!vars) {
				fprintf(stderr, "sh: out of memory\n");
				exit(2);
			}
		}
		v = &vars[nvars++];
		v->name = xstrdup(name);
		v->value = NULL;
		v->exported = 0;
	}
	free(v->value);
	v->value = xstrdup(value);
	if (export)
		v->exported = 1;
	return 0;
}

void var_export(const char *name)
{
	struct var *v = find(name);

	if (v)
		v->exported = 1;
	else {
		var_set(name, "", 1);
	}
}

int var_unset(const char *name)
{
	struct var *v = find(name);

	if (!v)
		return 0;
	free(v->name);
	free(v->value);
	*v = vars[--nvars];
	return 0;
}

void var_import_environ(char **envp)
{
	for (; envp && *envp; envp++) {
		char *eq = strchr(*envp, '=');
		char name[256];
		size_t n;

		if (!eq || (n = eq - *envp) >= sizeof name)
			continue;
		memcpy(name, *envp, n);
		name[n] = 0;
		if (var_name_ok(name, n))
			var_set(name, eq + 1, 1);
	}
}

char **var_environ(void)
{
	char **env = malloc((nvars + 1) * sizeof(char *));
	int n = 0;

	if (!env)
		return NULL;
	for (int i = 0; i < nvars; i++) {
		if (!vars[i].exported)
			continue;
		size_t len = strlen(vars[i].name) + strlen(vars[i].value) + 2;
		env[n] = malloc(len);
		if (!env[n])
			break;
		snprintf(env[n++], len, "%s=%s", vars[i].name, vars[i].value);
	}
	env[n] = NULL;
	return env;
}

static int cmp_var(const void *a, const void *b)
{
	return strcmp(((const struct var *)a)->name, ((const struct var *)b)->name);
}

void var_print_exports(void)
{
	qsort(vars, nvars, sizeof *vars, cmp_var);
	for (int i = 0; i < nvars; i++) {
		if (!vars[i].exported)
			continue;
		printf("export %s='", vars[i].name);
		for (const char *p = vars[i].value; *p; p++) {
			if (*p == '\'')
				fputs("'\\''", stdout);
			else
				putchar(*p);
		}
		printf("'\n");
	}
	fflush(stdout);
}
