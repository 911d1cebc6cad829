/*
 * user/coreutils/chmod.c - chmod [-R] MODE file...: change permission
 * bits. MODE is octal ("755") or symbolic clauses separated by commas,
 * [ugoa]*[+-=][rwxXst]* or [+-=][ugo] ("u+x,go-w", "a=r", "g=u"): with no
 * who letter the umask masks what "+" and "=" set, like GNU chmod; X is
 * x for directories or files already executable by someone. -R recurses
 * into directories (symbolic links are not followed there).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "walk.h"

static const char *mode_arg;
static mode_t cur_umask;
static int recursive;

/* The new mode for a file whose mode is m; -1 if mode_arg is invalid. */
static long apply(const char *s, mode_t m)
{
	char *end;
	long v = strtol(s, &end, 8);
	int isdir = S_ISDIR(m);

	if (*s >= '0' && *s <= '7') {
		if (*end || v < 0 || v > 07777)
			return -1;
		/* Like GNU: 5 or fewer digits keep a directory's set-id bits. */
		if (isdir && strlen(s) < 5)
			v |= m & (S_ISUID | S_ISGID);
		return v;
	}
	m &= 07777;
	for (;;) {
		int who = 0;
		for (; *s && strchr("ugoa", *s); s++)
			who |= *s == 'u' ? 04700 : *s == 'g' ? 02070 : *s == 'o' ? 01007 : 07777;
		int mask = who ? who : (int)(07777 & ~cur_umask);
		if (!who)
			who = 07777;
		if (!*s || !strchr("+-=", *s))
			return -1;
		while (*s && strchr("+-=", *s)) {
			char op = *s++;
			int bits = 0;
			if (*s && strchr("ugo", *s)) {
				int src = *s == 'u' ? (m >> 6) & 7 : *s == 'g' ? (m >> 3) & 7 : m & 7;
				bits = src * 0111;
				s++;
			} else {
				for (; *s && strchr("rwxXst", *s); s++)
					bits |= *s == 'r' ? 0444 : *s == 'w' ? 0222 : *s == 'x' ? 0111 :
						*s == 'X' ? ((isdir || (m & 0111)) ? 0111 : 0) :
						*s == 's' ? 06000 : 01000;
			}
			bits &= who & mask;
			if (op == '+')
				m |= bits;
			else if (op == '-')
				m &= ~bits;
			else
				m = (m & ~who) | bits;
		}
		if (!*s)
			return m;
		if (*s++ != ',')
			return -1;
	}
}

static int change(const char *path, int top)
{
	struct stat st;
	int status = 0;

	if ((top ? stat(path, &st) : lstat(path, &st)) < 0) {
		fprintf(stderr, "chmod: cannot access '%s': %s\n", path, strerror(errno));
		return 1;
	}
	if (S_ISLNK(st.st_mode))
		return 0;
	long m = apply(mode_arg, st.st_mode);
	if (chmod(path, m) < 0) {
		fprintf(stderr, "chmod: changing permissions of '%s': %s\n", path, strerror(errno));
		status = 1;
	}
	if (recursive && S_ISDIR(st.st_mode))
		status |= walk_children("chmod", path, change);
	return status;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;

	/* Options by hand: "-w" or "-x" is a mode, not an option. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "-R") == 0) {
			recursive = 1;
		} else if (strspn(argv[i] + 1, "rwxXst") == strlen(argv[i] + 1) && argv[i][1]) {
			break;
		} else {
			goto usage;
		}
	}
	if (argc - i < 2)
		goto usage;
	mode_arg = argv[i++];
	cur_umask = umask(0);
	umask(cur_umask);
	if (apply(mode_arg, S_IFREG) < 0) {
		fprintf(stderr, "chmod: invalid mode: '%s'\n", mode_arg);
		return 1;
	}
	for (; i < argc; i++)
		status |= change(argv[i], 1);
	return status;
usage:
	fprintf(stderr, "usage: chmod [-R] MODE file...\n");
	return 2;
}
