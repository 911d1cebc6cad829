/*
 * user/coreutils/id.c - id [-u|-g|-G] [-n] [user]: print user and group
 * IDs with names from /etc/passwd and /etc/group, like GNU id:
 * "uid=0(root) gid=0(root) groups=0(root)". For the current process the
 * groups are getgroups(2) plus the effective group; for a named user, the
 * primary group and the groups that list the user. -u, -g, -G print only
 * the numbers (names with -n).
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void put_id(unsigned id, const char *name, int names)
{
	if (names && name)
		fputs(name, stdout);
	else
		printf("%u", id);
}

static const char *gname(gid_t g)
{
	struct group *gr = getgrgid(g);
	return gr ? gr->gr_name : NULL;
}

int main(int argc, char **argv)
{
	int opt, mode = 0, names = 0;
	uid_t uid;
	gid_t gid, groups[256];
	int ng = 0;

	while ((opt = getopt(argc, argv, "ugGn")) != -1) {
		if (opt == 'n')
			names = 1;
		else if (opt == 'u' || opt == 'g' || opt == 'G')
			mode = opt;
		else
			goto usage;
	}
	if (argc - optind > 1 || (names && !mode))
		goto usage;
	if (optind < argc) {
		struct passwd *pw = getpwnam(argv[optind]);
		if (!pw) {
			char *end;
			unsigned long n = strtoul(argv[optind], &end, 10);
			if (*argv[optind] && !*end)
				pw = getpwuid(n);
		}
		if (!pw) {
			fprintf(stderr, "id: '%s': no such user\n", argv[optind]);
			return 1;
		}
		uid = pw->pw_uid, gid = pw->pw_gid;
		groups[ng++] = gid;
		struct group *gr;
		setgrent();
		while ((gr = getgrent()) && ng < 256)
			for (char **m = gr->gr_mem; *m; m++)
				if (strcmp(*m, pw->pw_name) == 0 && gr->gr_gid != gid)
					groups[ng++] = gr->gr_gid;
		endgrent();
	} else {
		uid = geteuid(), gid = getegid();
		groups[ng++] = gid;
		gid_t more[255];
		int n = getgroups(255, more);
		for (int i = 0; i < n; i++)
			if (more[i] != gid)
				groups[ng++] = more[i];
	}
	struct passwd *pw = getpwuid(uid);
	const char *uname = pw ? pw->pw_name : NULL;
	if (mode == 'u') {
		put_id(uid, uname, names);
	} else if (mode == 'g') {
		put_id(gid, gname(gid), names);
	} else if (mode == 'G') {
		for (int i = 0; i < ng; i++) {
			if (i)
				putchar(' ');
			put_id(groups[i], gname(groups[i]), names);
		}
	} else {
		printf("uid=%u", (unsigned)uid);
		if (uname)
			printf("(%s)", uname);
		printf(" gid=%u", (unsigned)gid);
		if (gname(gid))
			printf("(%s)", gname(gid));
		printf(" groups=");
		for (int i = 0; i < ng; i++) {
			printf("%s%u", i ? "," : "", (unsigned)groups[i]);
			if (gname(groups[i]))
				printf("(%s)", gname(groups[i]));
		}
	}
	putchar('\n');
	return fflush(stdout) ? 1 : 0;
usage:
	fprintf(stderr, "usage: id [-u|-g|-G [-n]] [user]\n");
	return 2;
}
