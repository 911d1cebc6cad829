/*
 * user/sh/var.c - shell variables, functions and aliases.
 *
 * Variables live in a hash table (chained), each with its export and
 * readonly flags. The environment handed to execve is built from the
 * exported ones and cached until a variable changes, so a script that runs
 * many commands does not rebuild it each time. `local` in a function saves
 * the variable's old state in the function's scope; var_pop_scope puts it
 * back when the function returns (dynamic scoping, like dash).
 * Functions and aliases are short lists: there are few of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

#define NBUCKETS 256

struct var {
	char *name, *value;     /* value NULL: declared (export X) but unset */
	int flags;
	struct var *next;
};
static struct var *table[NBUCKETS];
static char **env_cache;
static int env_dirty = 1;

struct saved {
	char *name, *value;
	int flags, existed;
	struct saved *next;
};
struct scope {
	struct saved *saved;
	struct scope *up;
};
static struct scope *scopes;

static unsigned hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % NBUCKETS;
}

static struct var *lookup(const char *name)
{
	for (struct var *v = table[hash(name)]; v; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

int var_name_len(const char *s)
{
	int n = 0;

	if (!(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') ||
	      (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while (s[n] == '_' || (s[n] >= 'a' && s[n] <= 'z') ||
	       (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9'))
		n++;
	return n;
}

const char *var_get(const char *name)
{
	struct var *v = lookup(name);

	return v ? v->value : NULL;
}

static struct var *create(const char *name)
{
	struct var *v = lookup(name);

	if (!v) {
		unsigned h = hash(name);
		v = xmalloc(sizeof *v);
		v->name = xstrdup(name);
		v->value = NULL;
		v->flags = 0;
		v->next = table[h];
		table[h] = v;
	}
	return v;
}

int var_set(const char *name, const char *value, int flags)
{
	struct var *v = create(name);

	if (v->flags & V_READONLY) {
		sh_error("%s: is read only", name);
		return -1;
	}
	char *nv = value ? xstrdup(value) : NULL;
	free(v->value);
	v->value = nv;
	v->flags |= flags;
	if (v->flags & V_EXPORT)
		env_dirty = 1;
	return 0;
}

void var_flag(const char *name, int flags)
{
	struct var *v = create(name);

	v->flags |= flags;
	env_dirty = 1;
}

int var_unset(const char *name)
{
	unsigned h = hash(name);

	for (struct var **p = &table[h]; *p; p = &(*p)->next) {
		struct var *v = *p;
		if (strcmp(v->name, name))
			continue;
		if (v->flags & V_READONLY) {
			sh_error("unset: %s: is read only", name);
			return -1;
		}
		*p = v->next;
		if (v->flags & V_EXPORT)
			env_dirty = 1;
		free(v->name);
		free(v->value);
		free(v);
		return 0;
	}
	return 0;
}

void var_import_environ(char **envp)
{
	for (; *envp; envp++) {
		char *eq = strchr(*envp, '=');
		if (!eq)
			continue;
		char *name = xstrndup(*envp, eq - *envp);
		if (var_name_len(name) == (int)strlen(name))
			var_set(name, eq + 1, V_EXPORT);
		free(name);
	}
}

char **var_environ(void)
{
	size_t n = 0, i = 0;

	if (!env_dirty)
		return env_cache;
	if (env_cache) {
		for (char **e = env_cache; *e; e++)
			free(*e);
		free(env_cache);
	}
	for (int h = 0; h < NBUCKETS; h++)
		for (struct var *v = table[h]; v; v = v->next)
			n++;
	env_cache = xmalloc((n + 1) * sizeof *env_cache);
	for (int h = 0; h < NBUCKETS; h++)
		for (struct var *v = table[h]; v; v = v->next) {
			if (!(v->flags & V_EXPORT) || !v->value)
				continue;
			size_t nl = strlen(v->name), vl = strlen(v->value);
			char *e = xmalloc(nl + vl + 2);
			memcpy(e, v->name, nl);
			e[nl] = '=';
			memcpy(e + nl + 1, v->value, vl + 1);
			env_cache[i++] = e;
		}
	env_cache[i] = NULL;
	env_dirty = 0;
	return env_cache;
}

static int cmp_var(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name,
		      (*(struct var *const *)b)->name);
}

/* Print a value in single quotes that the shell reads back. */
static void print_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

/* `set` (flags 0): every variable; `export -p` / `readonly -p`: those with
 * the flag, each line starting with prefix. Sorted by name. */
void var_list(int flags, const char *prefix)
{
	size_t n = 0, i = 0;
	struct var **all;

	for (int h = 0; h < NBUCKETS; h++)
		for (struct var *v = table[h]; v; v = v->next)
			n++;
	all = xmalloc((n + 1) * sizeof *all);
	for (int h = 0; h < NBUCKETS; h++)
		for (struct var *v = table[h]; v; v = v->next)
			if ((v->flags & flags) == flags && (flags || v->value))
				all[i++] = v;
	qsort(all, i, sizeof *all, cmp_var);
	for (size_t k = 0; k < i; k++) {
		fputs(prefix, stdout);
		fputs(all[k]->name, stdout);
		if (all[k]->value) {
			putchar('=');
			print_quoted(all[k]->value);
		}
		putchar('\n');
	}
	free(all);
}

void var_push_scope(void)
{
	struct scope *s = xmalloc(sizeof *s);

	s->saved = NULL;
	s->up = scopes;
	scopes = s;
}

void var_pop_scope(void)
{
	struct scope *s = scopes;

	if (!s)
		return;
	scopes = s->up;
	while (s->saved) {
		struct saved *sv = s->saved;
		s->saved = sv->next;
		struct var *v = lookup(sv->name);
		if (v)
			v->flags &= ~V_READONLY;
		if (sv->existed) {
			v = create(sv->name);
			free(v->value);
			v->value = sv->value;
			v->flags = sv->flags;
			env_dirty = 1;
		} else {
			var_unset(sv->name);
		}
		free(sv->name);
		free(sv);
	}
	free(s);
}

int var_local(const char *name)
{
	struct var *v = lookup(name);

	if (!scopes) {
		sh_error("local: not in a function");
		return -1;
	}
	for (struct saved *sv = scopes->saved; sv; sv = sv->next)
		if (strcmp(sv->name, name) == 0)
			return 0;
	struct saved *sv = xmalloc(sizeof *sv);
	sv->name = xstrdup(name);
	sv->existed = v != NULL;
	sv->value = v && v->value ? xstrdup(v->value) : NULL;
	sv->flags = v ? v->flags : 0;
	sv->next = scopes->saved;
	scopes->saved = sv;
	return 0;
}

/* ---- functions ---- */
struct func {
	char *name;
	struct node *body;
	struct func *next;
};
static struct func *funcs;

struct node *func_get(const char *name)
{
	for (struct func *f = funcs; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f->body;
	return NULL;
}

void func_set(const char *name, struct node *body)
{
	for (struct func *f = funcs; f; f = f->next)
		if (strcmp(f->name, name) == 0) {
			f->body = body; /* the old tree stays: it may be running */
			return;
		}
	struct func *f = xmalloc(sizeof *f);
	f->name = xstrdup(name);
	f->body = body;
	f->next = funcs;
	funcs = f;
}

int func_unset(const char *name)
{
	for (struct func **p = &funcs; *p; p = &(*p)->next)
		if (strcmp((*p)->name, name) == 0) {
			struct func *f = *p;
			*p = f->next;
			free(f->name);
			free(f);
			return 0;
		}
	return -1;
}

/* ---- aliases ---- */
struct alias {
	char *name, *value;
	struct alias *next;
};
static struct alias *aliases;

const char *alias_get(const char *name)
{
	for (struct alias *a = aliases; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a->value;
	return NULL;
}

void alias_set(const char *name, const char *value)
{
	struct alias **p = &aliases;

	for (; *p; p = &(*p)->next) {
		if (strcmp((*p)->name, name) == 0) {
			free((*p)->value);
			(*p)->value = xstrdup(value);
			return;
		}
		if (strcmp((*p)->name, name) > 0)
			break;
	}
	struct alias *a = xmalloc(sizeof *a);
	a->name = xstrdup(name);
	a->value = xstrdup(value);
	a->next = *p;
	*p = a;
}

int alias_unset(const char *name)
{
	for (struct alias **p = &aliases; *p; p = &(*p)->next)
		if (strcmp((*p)->name, name) == 0) {
			struct alias *a = *p;
			*p = a->next;
			free(a->name);
			free(a->value);
			free(a);
			return 0;
		}
	return -1;
}

void alias_unset_all(void)
{
	while (aliases)
		alias_unset(aliases->name);
}

/* Print one alias (or all with name NULL) as name='value'. */
void alias_print(const char *name)
{
	for (struct alias *a = aliases; a; a = a->next) {
		if (name && strcmp(a->name, name))
			continue;
		printf("%s=", a->name);
		print_quoted(a->value);
		putchar('\n');
	}
}
