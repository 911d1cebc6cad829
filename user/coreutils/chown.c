/*
 * user/coreutils/chown.c - chown [-Rh] OWNER[:GROUP] file...,
 * chown [-Rh] :GROUP file...: change the owner and/or group of files.
 * OWNER and GROUP are names (from /etc/passwd and /etc/group) or numbers;
 * "user:" also sets the group to the user's login group. -R recurses
 * (without following symbolic links); -h changes symbolic links
 * themselves.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "walk.h"

static int recursive, no_deref;
static uid_t uid = (uid_t)-1;
static gid_t gid = (gid_t)-1;

static int number(const char *s, unsigned long *v)
{
	char *end;
	*v = strtoul(s, &end, 10);
	return *s && !*end;
}

static int change(const char *path, int top)
{
	struct stat st;
	int status = 0;
	int follow = top && !no_deref;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		fprintf(stderr, "chown: cannot access '%s': %s\n", path, strerror(errno));
		return 1;
	}
	if ((follow ? chown(path, uid, gid) : lchown(path, uid, gid)) < 0) {
		fprintf(stderr, "chown: changing ownership of '%s': %s\n", path, strerror(errno));
		status = 1;
	}
	if (recursive && S_ISDIR(st.st_mode))
		status |= walk_children("chown", path, change);
	return status;
}

int main(int argc, char **argv)
{
	int opt, status = 0;

	while ((opt = getopt(argc, argv, "Rh")) != -1) {
		if (opt == 'R')
			recursive = 1;
		else if (opt == 'h')
			no_deref = 1;
		else
			goto usage;
	}
	if (argc - optind < 2)
		goto usage;
	char spec[256];
	snprintf(spec, sizeof spec, "%s", argv[optind++]);
	char *colon = strchr(spec, ':');
	if (!colon)
		colon = strchr(spec, '.');
	if (colon)
		*colon = 0;
	unsigned long v;
	if (spec[0]) {
		struct passwd *pw = getpwnam(spec);
		if (pw) {
			uid = pw->pw_uid;
			if (colon && !colon[1])
				gid = pw->pw_gid;
		} else if (number(spec, &v)) {
			uid = v;
		} else {
			fprintf(stderr, "chown: invalid user: '%s'\n", argv[optind - 1]);
			return 1;
		}
	}
	if (colon && colon[1]) {
		struct group *gr = getgrnam(colon + 1);
		if (gr)
			gid = gr->gr_gid;
		else if (number(colon + 1, &v))
			gid = v;
		else {
			fprintf(stderr, "chown: invalid group: '%s'\n", argv[optind - 1]);
			return 1;
		}
	}
	for (int i = optind; i < argc; i++)
		status |= change(argv[i], 1);
	return status;
usage:
	fprintf(stderr, "usage: chown [-Rh] OWNER[:GROUP] file...\n");
	return 2;
}
