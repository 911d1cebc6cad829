/* user/lib/walk.h - visit the entries of a directory (chmod -R, chown -R). */
#ifndef USER_LIB_WALK_H
#define USER_LIB_WALK_H
/* Call fn(child path, 0) for every entry of dir except . and ..; returns the
 * OR of fn's results, or 1 after "PROG: cannot read directory" if dir cannot
 * be opened. */
int walk_children(const char *prog, const char *dir, int (*fn)(const char *path, int top));
#endif
