/*
 * kernel/fs/path.c - path component splitting shared by the path walk
 * (namei.c) and the initramfs unpacker. POSIX paths: any run of slashes
 * separates components; a trailing slash leaves an empty final component,
 * which callers treat as "must be a directory".
 */
#include "path.h"

size_t path_component(const char **p, const char **name)
{
	const char *s = *p;
	while (*s == '/')
		s++;
	*name = s;
	while (*s && *s != '/')
		s++;
	*p = s;
	return (size_t)(s - *name);
}

bool path_rest_empty(const char *p)
{
	while (*p == '/')
		p++;
	return *p == '\0';
}

size_t path_split_last(const char *path, size_t *dir_len, const char **last)
{
	size_t end = 0;
	while (path[end])
		end++;
	while (end > 0 && path[end - 1] == '/')
		end--;
	size_t start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	*last = path + start;
	/* Keep the slashes before the last component only if they are the
	 * root: "/b" walks "/", "a//b" walks "a". */
	size_t d = start;
	while (d > 0 && path[d - 1] == '/')
		d--;
	*dir_len = (d == 0 && start > 0) ? 1 : d;
	return end - start;
}
