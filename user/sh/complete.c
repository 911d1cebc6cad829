/*
 * user/sh/complete.c - Tab completion for the line editor.
 *
 * The word before the cursor is completed as a command name (built-ins,
 * functions, aliases, executables in PATH) when it is in command position
 * and has no '/', otherwise as a path (directories get a '/'). One
 * candidate is inserted whole, followed by a space (or nothing after a
 * directory); several extend the word to their common prefix, or, when
 * that adds nothing, are listed below the line.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

struct cands {
	char **v;
	int n, cap;
};

static void add(struct cands *c, const char *s)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->v[i], s))
			return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = xstrdup(s);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void from_dir(struct cands *c, const char *dir, const char *prefix,
		     const char *show_dir, int exec_only)
{
	DIR *d = opendir(*dir ? dir : ".");
	struct dirent *de;
	size_t pl = strlen(prefix);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, pl))
			continue;
		if (de->d_name[0] == '.' && prefix[0] != '.')
			continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char full[4096];
		struct stat st;
		snprintf(full, sizeof full, "%s%s", *dir ? dir : "./", de->d_name);
		int isdir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
		if (exec_only && (isdir || access(full, X_OK) != 0))
			continue;
		char name[4096];
		snprintf(name, sizeof name, "%s%s%s", show_dir, de->d_name,
			 isdir ? "/" : "");
		add(c, name);
	}
	closedir(d);
}

char *complete(const char *line, int pos, int *newpos, int *listed)
{
	int start = pos;
	struct cands c = { 0 };

	while (start > 0 && !strchr(" \t;|&<>()", line[start - 1]))
		start--;
	char *word = xstrndup(line + start, pos - start);
	int p = start;
	while (p > 0 && (line[p - 1] == ' ' || line[p - 1] == '\t'))
		p--;
	int cmdpos = p == 0 || strchr(";|&(", line[p - 1]);

	if (cmdpos && !strchr(word, '/')) {
		size_t wl = strlen(word);
		for (const struct builtin *b = builtins; b->name; b++)
			if (!strncmp(b->name, word, wl))
				add(&c, b->name);
		const char *path = var_get("PATH");
		while (path && *path) {
			const char *e = strchr(path, ':');
			size_t l = e ? (size_t)(e - path) : strlen(path);
			char dir[4096];
			snprintf(dir, sizeof dir, "%.*s/", (int)l, path);
			from_dir(&c, dir, word, "", 1);
			if (!e)
				break;
			path = e + 1;
		}
	} else {
		char *slash = strrchr(word, '/');
		char dir[4096];
		const char *prefix = word, *show = "";
		if (slash) {
			snprintf(dir, sizeof dir, "%.*s", (int)(slash - word + 1), word);
			prefix = slash + 1;
			show = dir;
		} else {
			dir[0] = 0;
		}
		char showbuf[4096];
		snprintf(showbuf, sizeof showbuf, "%s", show);
		from_dir(&c, dir, prefix, showbuf, 0);
	}

	char *result = NULL;
	if (c.n > 0) {
		qsort(c.v, c.n, sizeof *c.v, cmp);
		size_t common = strlen(c.v[0]);
		for (int i = 1; i < c.n; i++) {
			size_t k = 0;
			while (k < common && c.v[i][k] == c.v[0][k])
				k++;
			common = k;
		}
		const char *ins = c.v[0];
		size_t inslen = common;
		int add_space = 0;
		if (c.n == 1) {
			inslen = strlen(ins);
			add_space = ins[inslen - 1] != '/';
		}
		if (inslen > strlen(word) || c.n == 1) {
			struct str b = { 0 };
			str_addn(&b, line, start);
			str_addn(&b, ins, inslen);
			if (add_space)
				str_addc(&b, ' ');
			*newpos = b.n;
			str_adds(&b, line + pos);
			result = str_take(&b);
		} else {
			/* list the candidates under the line */
			fputs("\r\n", stderr);
			for (int i = 0; i < c.n; i++) {
				const char *nm = c.v[i], *sl = strrchr(nm, '/');
				if (sl && sl[1])
					nm = sl + 1;
				else if (sl) { /* a directory: "dir/" */
					const char *q = sl;
					while (q > c.v[i] && q[-1] != '/')
						q--;
					nm = q;
				}
				fprintf(stderr, "%s%s", nm, i + 1 < c.n ? "  " : "");
			}
			fputs("\r\n", stderr);
			fflush(stderr);
			*listed = 1;
		}
	}
	for (int i = 0; i < c.n; i++)
		free(c.v[i]);
	free(c.v);
	free(word);
	return result;
}
