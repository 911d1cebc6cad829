/*
 * user/lib/canon.c - canonical file names, as gnulib's
 * canonicalize_filename_mode that GNU readlink and realpath use.
 *
 * The name is built one component at a time from the working directory
 * (or "/"): "." is skipped, ".." drops the last component, anything else
 * is looked at with lstat. A symbolic link is replaced by its target
 * (which goes in front of the components still to come; an absolute one
 * starts again from "/"), at most 40 times (ELOOP). A component that does
 * not exist is an error unless the mode allows it: CANON_MISSING always,
 * CANON_ALL_BUT_LAST for the final one only - so a dangling link as the
 * last name gives the name it points to.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canon.h"

char *canonicalize(const char *path, enum canon_mode mode, int follow, char *out)
{
	static char rest[PATH_MAX * 2];
	char name[PATH_MAX + NAME_MAX + 2];
	int links = 0;
	if (!*path) {
		errno = ENOENT;
		return NULL;
	}
	if (path[0] == '/') {
		strcpy(out, "");
	} else if (!getcwd(out, PATH_MAX)) {
		return NULL;
	} else if (!strcmp(out, "/")) {
		out[0] = 0;
	}
	snprintf(rest, sizeof(rest), "%s", path);
	char *p = rest;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char comp[NAME_MAX + 1];
		if (len > NAME_MAX) {
			errno = ENAMETOOLONG;
			return NULL;
		}
		memcpy(comp, p, len);
		comp[len] = 0;
		p += len;
		/* Last: nothing but slashes follows. */
		const char *q = p;
		while (*q == '/')
			q++;
		int last = !*q;
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *s = strrchr(out, '/');
			if (s)
				*s = 0;
			continue;
		}
		snprintf(name, sizeof(name), "%s/%s", out, comp);
		if (strlen(name) >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return NULL;
		}
		struct stat st;
		if (lstat(name, &st) < 0) {
			if (errno == ENOENT &&
			    (mode == CANON_MISSING || (mode == CANON_ALL_BUT_LAST && last))) {
				strcpy(out, name);
				continue;
			}
			return NULL;
		}
		if (S_ISLNK(st.st_mode) && !follow) {
			strcpy(out, name);   /* -s: a link is a name like any other */
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			if (++links > 40) {
				errno = ELOOP;
				return NULL;
			}
			ssize_t n = readlink(name, target, sizeof(target) - 1);
			if (n < 0)
				return NULL;
			target[n] = 0;
			/* The target, then whatever was still to come. */
			char tmp[PATH_MAX * 2];
			if (snprintf(tmp, sizeof(tmp), "%s/%s", target, p) >= (int)sizeof(tmp)) {
				errno = ENAMETOOLONG;
				return NULL;
			}
			strcpy(rest, tmp);
			p = rest;
			if (target[0] == '/')
				out[0] = 0;
			continue;
		}
		if (!S_ISDIR(st.st_mode) && !last && mode != CANON_MISSING) {
			errno = ENOTDIR;
			return NULL;
		}
		strcpy(out, name);
	}
	if (!out[0])
		strcpy(out, "/");
	return out;
}
