/*
 * kernel/fs/path.h - splitting path names into components. Pure string
 * code with no kernel dependencies, so the host unit tests build it too
 * (tests/unit/test_path.c).
 */
#ifndef KERNEL_FS_PATH_H
#define KERNEL_FS_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Skip slashes at *p, return the next component's start in *name and its
 * length (0 at the end of the path), and advance *p past it. */
size_t path_component(const char **p, const char **name);
/* Nothing but slashes left: the component just taken was the last. */
bool path_rest_empty(const char *p);
/*
 * Split path into (directory part, last component) for create/remove
 * operations: trailing slashes are ignored, so "a/b//" has last "b".
 * *dir_len is the length of the directory prefix to walk (0 for a bare
 * name; the leading "/" of "/b" counts, so 1). Returns the last
 * component's length (0 for "/" or ""), its start in *last.
 */
size_t path_split_last(const char *path, size_t *dir_len, const char **last);
/* "." and ".." */
static inline bool path_is_dot(const char *n, size_t len)
{
	return len == 1 && n[0] == '.';
}
static inline bool path_is_dotdot(const char *n, size_t len)
{
	return len == 2 && n[0] == '.' && n[1] == '.';
}

#endif
