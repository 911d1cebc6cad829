/*
 * user/coreutils/ls.c - ls [-1aACdFhilnrRSt] [--color[=WHEN]] [file...]:
 * list directory contents, in GNU ls's C-locale formats.
 *
 * Every name listed is lstat'ed once into a struct entry; sorting, the
 * long format, -F, colours and -R all work from that. Order: by name
 * (bytewise), or newest first (-t), or largest first (-S), ties by name;
 * -r reverses the whole order, tie-breaks included, as GNU does.
 *
 * Output goes one name per line when stdout is not a terminal (or -1);
 * on a terminal (or with -C) in columns filled down, each column as wide
 * as its longest name plus two spaces, using the most columns that fit
 * in the width TIOCGWINSZ reports (else $COLUMNS, else 80). -l shows
 * GNU's columns, each as wide as its widest value, with a "total" line of
 * 1 KiB blocks per directory, sizes for people with -h (user/lib/human.c).
 *
 * Colours follow GNU's defaults (directories bold blue, links cyan,
 * executables green, ...): on by default when stdout is a terminal and
 * TERM is not "dumb"; --color=never|always|auto changes that.
 *
 * Operands: non-directories are listed first, then each directory, with
 * a "dir:" header when there is more than one operand or with -R. A
 * symlink operand naming a directory is followed unless -l, -d or -F.
 * Exit status as GNU: 2 if an operand cannot be accessed, 1 if something
 * below it cannot (a subdirectory of -R), else 0.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
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

#include "human.h"

static int opt_all, opt_almost, opt_long, opt_one, opt_cols, opt_dir;
static int opt_classify, opt_human, opt_inode, opt_numeric, opt_reverse;
static int opt_recursive, opt_color;
static char opt_sort = 'n';   /* n name, t time, S size */
static int status;
static int printed;           /* something was printed: blank line before a header */

struct entry {
	char *name;     /* as shown */
	char *path;     /* for lstat, readlink and recursion */
	struct stat st;
	int have_st;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fprintf(stderr, "ls: out of memory\n");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

/* ---- order ---- */

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int r = 0;
	if (opt_sort == 't') {
		if (a->st.st_mtim.tv_sec != b->st.st_mtim.tv_sec)
			r = a->st.st_mtim.tv_sec > b->st.st_mtim.tv_sec ? -1 : 1;
		else if (a->st.st_mtim.tv_nsec != b->st.st_mtim.tv_nsec)
			r = a->st.st_mtim.tv_nsec > b->st.st_mtim.tv_nsec ? -1 : 1;
	} else if (opt_sort == 'S' && a->st.st_size != b->st.st_size) {
		r = a->st.st_size > b->st.st_size ? -1 : 1;
	}
	if (!r)
		r = strcmp(a->name, b->name);
	return opt_reverse ? -r : r;
}

/* ---- what a name looks like: colour and -F indicator ---- */

static const char *color_of(const struct entry *e)
{
	mode_t m = e->st.st_mode;
	if (!e->have_st)
		return NULL;
	if (S_ISDIR(m))
		return (m & S_ISVTX) && (m & S_IWOTH) ? "30;42" :
		       (m & S_IWOTH) ? "34;42" : "01;34";
	if (S_ISLNK(m)) {
		struct stat t;
		return stat(e->path, &t) == 0 ? "01;36" : "40;31;01";
	}
	if (S_ISFIFO(m))
		return "40;33";
	if (S_ISSOCK(m))
		return "01;35";
	if (S_ISBLK(m) || S_ISCHR(m))
		return "40;33;01";
	if (m & S_ISUID)
		return "37;41";
	if (m & S_ISGID)
		return "30;43";
	if (m & 0111)
		return "01;32";
	return NULL;
}

static char mode_indicator(mode_t m)
{
	if (S_ISDIR(m)) return '/';
	if (S_ISLNK(m)) return '@';
	if (S_ISFIFO(m)) return '|';
	if (S_ISSOCK(m)) return '=';
	if (S_ISREG(m) && (m & 0111)) return '*';
	return 0;
}

/* -F's mark after a name; -l shows it after a link's target instead. */
static char indicator(const struct entry *e)
{
	if (!opt_classify || !e->have_st ||
	    (opt_long && S_ISLNK(e->st.st_mode)))
		return 0;
	return mode_indicator(e->st.st_mode);
}

static int inode_width;   /* for -i, set per listing */

static int cell_width(const struct entry *e)
{
	return (int)strlen(e->name) + (indicator(e) != 0) +
	       (opt_inode ? inode_width + 1 : 0);
}

static void print_name(const struct entry *e)
{
	const char *c = opt_color ? color_of(e) : NULL;
	if (c)
		printf("\033[%sm%s\033[0m", c, e->name);
	else
		fputs(e->name, stdout);
	char ind = indicator(e);
	if (ind)
		putchar(ind);
}

static int num_width(unsigned long long v)
{
	int w = 1;
	while (v >= 10) {
		v /= 10;
		w++;
	}
	return w;
}

/* ---- -l ---- */

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

static void owner_name(uid_t uid, char *buf, size_t n)
{
	struct passwd *pw = opt_numeric ? NULL : getpwuid(uid);
	if (pw)
		snprintf(buf, n, "%s", pw->pw_name);
	else
		snprintf(buf, n, "%u", (unsigned)uid);
}

static void group_name(gid_t gid, char *buf, size_t n)
{
	struct group *gr = opt_numeric ? NULL : getgrgid(gid);
	if (gr)
		snprintf(buf, n, "%s", gr->gr_name);
	else
		snprintf(buf, n, "%u", (unsigned)gid);
}

static void size_string(const struct stat *st, char *buf, size_t n)
{
	if (opt_human)
		human_size((unsigned long long)st->st_size, buf, n);
	else
		snprintf(buf, n, "%lld", (long long)st->st_size);
}

static int is_dev(const struct stat *st)
{
	return S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode);
}

struct widths {
	int links, owner, group, size, major, minor;
};

static void long_widths(struct entry *e, int n, struct widths *w)
{
	char buf[64];
	memset(w, 0, sizeof(*w));
	for (int i = 0; i < n; i++) {
		if (!e[i].have_st)
			continue;
		const struct stat *st = &e[i].st;
		int k = num_width(st->st_nlink);
		if (k > w->links) w->links = k;
		owner_name(st->st_uid, buf, sizeof(buf));
		if ((k = (int)strlen(buf)) > w->owner) w->owner = k;
		group_name(st->st_gid, buf, sizeof(buf));
		if ((k = (int)strlen(buf)) > w->group) w->group = k;
		if (is_dev(st)) {
			if ((k = num_width(major(st->st_rdev))) > w->major) w->major = k;
			if ((k = num_width(minor(st->st_rdev))) > w->minor) w->minor = k;
		} else {
			size_string(st, buf, sizeof(buf));
			if ((k = (int)strlen(buf)) > w->size) w->size = k;
		}
	}
	if (w->major && w->major + 2 + w->minor > w->size)
		w->size = w->major + 2 + w->minor;
}

static void print_long(struct entry *e, const struct widths *w)
{
	char mode[11], when[32], owner[64], group[64], size[64];
	const struct stat *st = &e->st;
	time_t now = time(NULL), t = st->st_mtime;
	struct tm *tm = localtime(&t);

	mode_string(st->st_mode, mode);
	owner_name(st->st_uid, owner, sizeof(owner));
	group_name(st->st_gid, group, sizeof(group));
	/* Like GNU: the year instead of the time unless within the last
	 * six months (future times too). */
	if (!tm)
		strcpy(when, "?");
	else if (t > now - 15778476 && t <= now)
		strftime(when, sizeof(when), "%b %e %H:%M", tm);
	else
		strftime(when, sizeof(when), "%b %e  %Y", tm);
	if (is_dev(st)) {
		int pad = w->size - (w->major + 2 + w->minor);
		snprintf(size, sizeof(size), "%*s%*u, %*u", pad, "", w->major,
		         major(st->st_rdev), w->minor, minor(st->st_rdev));
	} else {
		size_string(st, size, sizeof(size));
	}
	if (opt_inode)
		printf("%*lu ", inode_width, (unsigned long)st->st_ino);
	printf("%s %*lu %-*s %-*s %*s %s ", mode, w->links,
	       (unsigned long)st->st_nlink, w->owner, owner, w->group, group,
	       w->size, size, when);
	print_name(e);
	if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX];
		ssize_t k = readlink(e->path, target, sizeof(target) - 1);
		if (k >= 0) {
			target[k] = 0;
			printf(" -> %s", target);
			struct stat t;
			if (opt_classify && stat(e->path, &t) == 0 && mode_indicator(t.st_mode))
				putchar(mode_indicator(t.st_mode));
		}
	}
	putchar('\n');
}

/* ---- short formats ---- */

static int terminal_width(void)
{
	struct winsize ws;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *c = getenv("COLUMNS");
	if (c && atoi(c) > 0)
		return atoi(c);
	return 80;
}

/* Widths of the columns when n cells go down cols columns: each its
 * widest cell plus two spaces, the last column without; the line's
 * length is returned. */
static int layout(struct entry *e, int n, int cols, int *colw)
{
	int rows = (n + cols - 1) / cols, len = 0;
	for (int c = 0; c < cols; c++)
		colw[c] = 0;
	for (int i = 0; i < n; i++) {
		int c = i / rows;
		int k = cell_width(&e[i]) + (c == cols - 1 ? 0 : 2);
		if (k > colw[c]) {
			len += k - colw[c];
			colw[c] = k;
		}
	}
	return len;
}

/* Names down the columns, GNU's way: the most columns (at most one per
 * three characters) whose line stays shorter than the width; a tab
 * moves to the next column where it does not overshoot. */
static void print_columns(struct entry *e, int n)
{
	if (!n)
		return;
	int width = terminal_width();
	int cols = width / 3 < n ? width / 3 : n;
	if (cols < 1)
		cols = 1;
	int *colw = xmalloc(sizeof(int) * cols);
	while (cols > 1 && layout(e, n, cols, colw) >= width)
		cols--;
	layout(e, n, cols, colw);
	int rows = (n + cols - 1) / cols;
	for (int r = 0; r < rows; r++) {
		int pos = 0;
		for (int c = 0, i = r; i < n; c++, i += rows) {
			if (opt_inode)
				printf("%*lu ", inode_width, (unsigned long)e[i].st.st_ino);
			print_name(&e[i]);
			if (i + rows >= n)
				break;
			int from = pos + cell_width(&e[i]), to = pos + colw[c];
			while (from < to) {
				if (to / 8 > (from + 1) / 8) {
					putchar('\t');
					from += 8 - from % 8;
				} else {
					putchar(' ');
					from++;
				}
			}
			pos = to;
		}
		putchar('\n');
	}
	free(colw);
}

/* Sort and print one group of entries (a directory's, or the file
 * operands); total: print the "total" line of -l. */
static void print_entries(struct entry *e, int n, int total)
{
	qsort(e, n, sizeof(*e), cmp_entry);
	inode_width = 0;
	for (int i = 0; opt_inode && i < n; i++)
		if (num_width(e[i].st.st_ino) > inode_width)
			inode_width = num_width(e[i].st.st_ino);
	if (n || total)
		printed = 1;
	if (opt_long) {
		struct widths w;
		long_widths(e, n, &w);
		if (total) {
			unsigned long long kib = 0;
			for (int i = 0; i < n; i++)
				kib += (unsigned long long)e[i].st.st_blocks / 2;
			char buf[32];
			if (opt_human)
				human_size(kib * 1024, buf, sizeof(buf));
			else
				snprintf(buf, sizeof(buf), "%llu", kib);
			printf("total %s\n", buf);
		}
		for (int i = 0; i < n; i++)
			if (e[i].have_st)
				print_long(&e[i], &w);
	} else if (opt_one) {
		for (int i = 0; i < n; i++) {
			if (opt_inode)
				printf("%*lu ", inode_width, (unsigned long)e[i].st.st_ino);
			print_name(&e[i]);
			putchar('\n');
		}
	} else {
		print_columns(e, n);
	}
}

static void free_entries(struct entry *e, int n)
{
	for (int i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].path);
	}
	free(e);
}

/* ---- directories ---- */

static int skip_name(const char *name)
{
	if (name[0] != '.')
		return 0;
	if (opt_all)
		return 0;
	if (opt_almost)
		return !strcmp(name, ".") || !strcmp(name, "..");
	return 1;
}

/* List directory path; a failure to open it makes the status at least
 * fail_status (2 for operands, 1 below them, as GNU). */
static void list_dir(const char *path, int header, int fail_status)
{
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "ls: cannot open directory '%s': %s\n", path,
		        strerror(errno));
		if (status < fail_status)
			status = fail_status;
		return;
	}
	if (header) {
		printf("%s%s:\n", printed ? "\n" : "", path);
		printed = 1;
	}
	struct entry *e = NULL;
	struct dirent *de;
	int n = 0, cap = 0;
	while ((de = readdir(d)) != NULL) {
		if (skip_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			e = realloc(e, cap * sizeof(*e));
			if (!e) {
				fprintf(stderr, "ls: out of memory\n");
				exit(2);
			}
		}
		size_t plen = strlen(path);
		e[n].name = xstrdup(de->d_name);
		e[n].path = xmalloc(plen + strlen(de->d_name) + 2);
		sprintf(e[n].path, "%s%s%s", path,
		        plen && path[plen - 1] == '/' ? "" : "/", de->d_name);
		e[n].have_st = lstat(e[n].path, &e[n].st) == 0;
		if (!e[n].have_st) {
			memset(&e[n].st, 0, sizeof(e[n].st));
			fprintf(stderr, "ls: cannot access '%s': %s\n", e[n].path,
			        strerror(errno));
			status = status ? status : 1;
		}
		n++;
	}
	closedir(d);
	print_entries(e, n, 1);
	/* -R: the subdirectories, in the order they were listed. */
	for (int i = 0; opt_recursive && i < n; i++)
		if (e[i].have_st && S_ISDIR(e[i].st.st_mode) &&
		    strcmp(e[i].name, ".") && strcmp(e[i].name, ".."))
			list_dir(e[i].path, 1, 1);
	free_entries(e, n);
}

static void usage(void)
{
	fprintf(stderr, "usage: ls [-1aACdFhilnrRSt] [--color[=WHEN]] [file...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "color", optional_argument, NULL, 'K' },
		{ "colour", optional_argument, NULL, 'K' },
		{ "all", no_argument, NULL, 'a' },
		{ "almost-all", no_argument, NULL, 'A' },
		{ "directory", no_argument, NULL, 'd' },
		{ "classify", no_argument, NULL, 'F' },
		{ "human-readable", no_argument, NULL, 'h' },
		{ "recursive", no_argument, NULL, 'R' },
		{ "reverse", no_argument, NULL, 'r' },
		{ 0, 0, 0, 0 }
	};
	const char *tty_term = getenv("TERM");
	int color = -1, opt;

	while ((opt = getopt_long(argc, argv, "1aACdFhilnrRSt", longopts, NULL)) != -1) {
		switch (opt) {
		case '1': opt_one = 1; opt_cols = 0; opt_long = 0; break;
		case 'a': opt_all = 1; break;
		case 'A': opt_almost = 1; break;
		case 'C': opt_cols = 1; opt_one = 0; opt_long = 0; break;
		case 'd': opt_dir = 1; break;
		case 'F': opt_classify = 1; break;
		case 'h': opt_human = 1; break;
		case 'i': opt_inode = 1; break;
		case 'l': opt_long = 1; break;
		case 'n': opt_long = 1; opt_numeric = 1; break;
		case 'r': opt_reverse = 1; break;
		case 'R': opt_recursive = 1; break;
		case 'S': opt_sort = 'S'; break;
		case 't': opt_sort = 't'; break;
		case 'K':
			if (!optarg || !strcmp(optarg, "always") || !strcmp(optarg, "yes") ||
			    !strcmp(optarg, "force"))
				color = 1;
			else if (!strcmp(optarg, "never") || !strcmp(optarg, "no") ||
			         !strcmp(optarg, "none"))
				color = 0;
			else if (!strcmp(optarg, "auto") || !strcmp(optarg, "tty") ||
			         !strcmp(optarg, "if-tty"))
				color = -1;
			else {
				fprintf(stderr, "ls: invalid argument '%s' for '--color'\n", optarg);
				usage();
			}
			break;
		default:
			usage();
		}
	}
	int tty = isatty(1);
	opt_color = color >= 0 ? color :
	            tty && !(tty_term && !strcmp(tty_term, "dumb")) && !getenv("NO_COLOR");
	if (!tty && !opt_cols)
		opt_one = 1;
	if (optind == argc)
		argv[--optind] = ".";
	int noperands = argc - optind;

	struct entry *files = calloc(noperands, sizeof(*files));
	struct entry *dirs = calloc(noperands, sizeof(*dirs));
	int nfiles = 0, ndirs = 0;
	if (!files || !dirs)
		return 2;
	for (int i = optind; i < argc; i++) {
		struct stat st;
		if (lstat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: cannot access '%s': %s\n", argv[i],
			        strerror(errno));
			status = 2;
			continue;
		}
		if (S_ISLNK(st.st_mode) && !opt_long && !opt_dir && !opt_classify) {
			struct stat t;
			if (stat(argv[i], &t) == 0 && S_ISDIR(t.st_mode))
				st = t;
		}
		struct entry *e = S_ISDIR(st.st_mode) && !opt_dir ?
		                  &dirs[ndirs++] : &files[nfiles++];
		e->name = xstrdup(argv[i]);
		e->path = xstrdup(argv[i]);
		e->st = st;
		e->have_st = 1;
	}
	if (nfiles)
		print_entries(files, nfiles, 0);
	qsort(dirs, ndirs, sizeof(*dirs), cmp_entry);
	for (int i = 0; i < ndirs; i++)
		list_dir(dirs[i].path, noperands > 1 || opt_recursive, 2);
	free_entries(files, nfiles);
	free_entries(dirs, ndirs);
	if (fflush(stdout) != 0)
		status = 2;
	return status;
}
