/*
 * user/coreutils/ls.c - ls [-1al] [file...]: list directory contents.
 *
 * Names are sorted bytewise (the C locale). Output is one name per line
 * when stdout is not a terminal or with -1; on a terminal, names go in
 * columns sorted down the columns, like GNU ls, within the width that
 * TIOCGWINSZ reports (80 if it cannot). -a shows names starting with '.'.
 * -l shows mode, links, owner, group, size, modification time, and the
 * target of symbolic links; owners come from /etc/passwd and /etc/group
 * (numbers when absent).
 * Operands: files are listed first, then each directory (with a "dir:"
 * header when there is more than one operand). A missing operand is
 * reported ("ls: /x: No such file or directory") and the status is 1.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static int opt_all, opt_long, opt_one;
static int status;

struct entry {
	char *name;
	struct stat st;
	int have_st;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void mode_string(mode_t m, char *s)
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	       S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[i + 1] = m & (0400 >> i) ? rwx[i] : '-';
	if (m & S_ISUID) s[3] = s[3] == 'x' ? 's' : 'S';
	if (m & S_ISGID) s[6] = s[6] == 'x' ? 's' : 'S';
	if (m & S_ISVTX) s[9] = s[9] == 'x' ? 't' : 'T';
	s[10] = 0;
}

static void print_long(const char *dir, struct entry *e)
{
	char mode[11], when[32], owner[32], group[32];
	struct passwd *pw = getpwuid(e->st.st_uid);
	struct group *gr = getgrgid(e->st.st_gid);
	time_t now = time(NULL), t = e->st.st_mtime;
	struct tm *tm = localtime(&t);

	mode_string(e->st.st_mode, mode);
	snprintf(owner, sizeof owner, "%s", pw ? pw->pw_name : "");
	if (!pw)
		snprintf(owner, sizeof owner, "%u", (unsigned)e->st.st_uid);
	snprintf(group, sizeof group, "%s", gr ? gr->gr_name : "");
	if (!gr)
		snprintf(group, sizeof group, "%u", (unsigned)e->st.st_gid);
	/* Like GNU: the year instead of the time for dates over 6 months off. */
	if (!tm)
		strcpy(when, "?");
	else if (t > now - 15778476 && t < now + 3600)
		strftime(when, sizeof when, "%b %e %H:%M", tm);
	else
		strftime(when, sizeof when, "%b %e  %Y", tm);
	printf("%s %2lu %-8s %-8s ", mode, (unsigned long)e->st.st_nlink, owner, group);
	if (S_ISCHR(e->st.st_mode) || S_ISBLK(e->st.st_mode))
		printf("%3u, %3u", major(e->st.st_rdev), minor(e->st.st_rdev));
	else
		printf("%8lld", (long long)e->st.st_size);
	printf(" %s %s", when, e->name);
	if (S_ISLNK(e->st.st_mode)) {
		char path[PATH_MAX], target[PATH_MAX];
		ssize_t n;

		snprintf(path, sizeof path, "%s%s%s", dir ? dir : "",
			 dir ? "/" : "", e->name);
		n = readlink(path, target, sizeof target - 1);
		if (n >= 0) {
			target[n] = 0;
			printf(" -> %s", target);
		}
	}
	putchar('\n');
}

static int terminal_width(void)
{
	struct winsize ws;

	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Names in columns, filled down the columns (GNU ls's default). */
static void print_columns(struct entry *e, int n)
{
	int width = terminal_width(), maxlen = 0, cols, rows;

	for (int i = 0; i < n; i++) {
		int len = strlen(e[i].name);
		if (len > maxlen)
			maxlen = len;
	}
	cols = width / (maxlen + 2);
	if (cols < 1)
		cols = 1;
	rows = (n + cols - 1) / cols;
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++) {
			int i = c * rows + r;
			if (i >= n)
				break;
			int last = (c + 1) * rows + r >= n;
			printf("%-*s", last ? 0 : maxlen + 2, e[i].name);
		}
		putchar('\n');
	}
}

static void print_entries(const char *dir, struct entry *e, int n)
{
	qsort(e, n, sizeof *e, cmp_entry);
	if (opt_long) {
		for (int i = 0; i < n; i++)
			if (e[i].have_st)
				print_long(dir, &e[i]);
	} else if (opt_one) {
		for (int i = 0; i < n; i++)
			printf("%s\n", e[i].name);
	} else {
		print_columns(e, n);
	}
}

static void list_dir(const char *path)
{
	DIR *d = opendir(path);
	struct entry *e = NULL;
	struct dirent *de;
	int n = 0, cap = 0;

	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		status = 1;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && !opt_all)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			e = realloc(e, cap * sizeof *e);
			if (!e) {
				fprintf(stderr, "ls: out of memory\n");
				exit(1);
			}
		}
		e[n].name = strdup(de->d_name);
		e[n].have_st = 0;
		if (opt_long) {
			char full[PATH_MAX];
			snprintf(full, sizeof full, "%s/%s", path, de->d_name);
			if (lstat(full, &e[n].st) == 0)
				e[n].have_st = 1;
			else
				fprintf(stderr, "ls: %s: %s\n", full, strerror(errno));
		}
		n++;
	}
	closedir(d);
	print_entries(path, e, n);
	for (int i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

int main(int argc, char **argv)
{
	struct entry *files;
	int nfiles = 0, ndirs = 0, opt;
	char **dirs;

	while ((opt = getopt(argc, argv, "1al")) != -1) {
		switch (opt) {
		case '1': opt_one = 1; break;
		case 'a': opt_all = 1; break;
		case 'l': opt_long = 1; break;
		default:
			fprintf(stderr, "usage: ls [-1al] [file...]\n");
			return 2;
		}
	}
	if (!isatty(1))
		opt_one = 1;
	if (optind == argc)
		argv[--optind] = ".";

	files = calloc(argc, sizeof *files);
	dirs = calloc(argc, sizeof *dirs);
	if (!files || !dirs)
		return 1;
	for (int i = optind; i < argc; i++) {
		struct stat st;

		if (lstat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		/* Follow a symlink operand to a directory, as GNU ls does. */
		if (S_ISLNK(st.st_mode) && !opt_long) {
			struct stat t;
			if (stat(argv[i], &t) == 0 && S_ISDIR(t.st_mode))
				st = t;
		}
		if (S_ISDIR(st.st_mode)) {
			dirs[ndirs++] = argv[i];
		} else {
			files[nfiles].name = argv[i];
			files[nfiles].st = st;
			files[nfiles++].have_st = 1;
		}
	}
	if (nfiles)
		print_entries(NULL, files, nfiles);
	qsort(dirs, ndirs, sizeof *dirs, cmp_str);
	for (int i = 0; i < ndirs; i++) {
		int headers = argc - optind > 1;

		if (headers)
			printf("%s%s:\n", (i || nfiles) ? "\n" : "", dirs[i]);
		list_dir(dirs[i]);
	}
	if (fflush(stdout) != 0)
		status = 1;
	return status;
}
