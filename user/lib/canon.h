/* user/lib/canon.h - canonical file names (readlink -f/-e/-m, realpath). */
#ifndef USER_LIB_CANON_H
#define USER_LIB_CANON_H
enum canon_mode {
	CANON_EXISTING,     /* every component must exist (-e) */
	CANON_ALL_BUT_LAST, /* the last one may be missing (-f, realpath) */
	CANON_MISSING,      /* none need exist (-m) */
};
/* The absolute name of path with every symbolic link followed and "."
 * and ".." resolved, into out[PATH_MAX]; NULL with errno set if it
 * cannot be made under mode. follow 0: links are not followed (names
 * only cleaned up, realpath -s). */
char *canonicalize(const char *path, enum canon_mode mode, int follow, char *out);
#endif
