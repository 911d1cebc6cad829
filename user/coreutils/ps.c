/*
 * user/coreutils/ps.c - ps: list processes from /proc, in procps's
 * formats.
 *
 *   ps              PID PPID USER STAT TIME CMD
 *   ps -f, -ef      UID PID PPID C STIME TTY TIME CMD (CMD: the command line)
 *   ps aux, u       USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
 *   ps -o LIST      any of the fields in the table below, comma or space
 *                   separated, each optionally renamed with field=Header
 *   -p PIDLIST, -u USERLIST select; everything else shows every process
 *   (RayOS has one console, so -e, -A, -a, a and x all mean "everyone").
 *   --no-headers (or -o with only empty headers) drops the header line.
 *
 * Each column is a field of the table: its header, width, alignment and a
 * formatter. Numbers come from /proc/<pid>/stat (times in 1/100 s ticks,
 * start time in ticks since boot, turned into a clock time with
 * /proc/uptime), the real uid from /proc/<pid>/status, the command line
 * from /proc/<pid>/cmdline (the comm in [brackets] when empty: kernel
 * threads, zombies). A process that exits while we read is skipped. The
 * last column is never padded or cut; the others grow to fit, like procps.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct proc {
	int pid, ppid, pgid, sid, tty, nlwp;
	char state;
	char comm[64];
	unsigned long utime, stime, start, vsize, rss;
	unsigned uid;
	char cmd[1024];
};

/* What every formatter may need besides the process. */
static double uptime_s;     /* seconds since boot */
static time_t boot_time;    /* wall clock at boot */
static long mem_kb;         /* MemTotal */

static int read_file(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t len = 0;
	ssize_t k;
	while (len + 1 < n && (k = read(fd, buf + len, n - 1 - len)) > 0)
		len += (size_t)k;
	close(fd);
	buf[len] = 0;
	return (int)len;
}

/* Parse /proc/<pid>/stat: comm may contain spaces and ')', so it runs to
 * the last ')'. Returns 0 or -1. */
static int load(int pid, struct proc *p)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	char *l = strchr(buf, '('), *r = strrchr(buf, ')');
	if (!l || !r || r < l || !r[1] || !r[2])
		return -1;
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(p->comm, sizeof(p->comm), "%.*s", (int)(r - l - 1), l + 1);
	/* Fields from 3 (state) on; f[k] is field k + 3. */
	long f[24] = { 0 };
	char *s = r + 2;
	p->state = *s++;
	for (int k = 1; k < 24 && *s; k++)
		f[k] = strtol(s, &s, 10);
	p->ppid = (int)f[1];
	p->pgid = (int)f[2];
	p->sid = (int)f[3];
	p->tty = (int)f[4];
	p->utime = (unsigned long)f[11];   /* field 14 */
	p->stime = (unsigned long)f[12];   /* field 15 */
	p->nlwp = (int)f[17];              /* field 20 */
	p->start = (unsigned long)f[19];   /* field 22 */
	p->vsize = (unsigned long)f[20];   /* field 23 */
	p->rss = (unsigned long)f[21];     /* field 24 */

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_file(path, buf, sizeof(buf)) > 0) {
		char *u = strstr(buf, "\nUid:");
		if (u)
			p->uid = (unsigned)strtoul(u + 5, NULL, 10);
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	int n = read_file(path, p->cmd, sizeof(p->cmd));
	if (n <= 0) {
		snprintf(p->cmd, sizeof(p->cmd), "[%s]", p->comm);
	} else {
		while (n > 0 && p->cmd[n - 1] == 0)
			n--;
		for (int i = 0; i < n; i++)
			if (p->cmd[i] == 0)
				p->cmd[i] = ' ';
		p->cmd[n] = 0;
	}
	return 0;
}

/* ---- formatters: one value of one field into buf ---- */

typedef void (*fmt_fn)(const struct proc *p, char *buf, size_t n);

static void f_pid(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%d", p->pid); }
static void f_ppid(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%d", p->ppid); }
static void f_pgid(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%d", p->pgid); }
static void f_sid(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%d", p->sid); }
static void f_uid(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%u", p->uid); }
static void f_nlwp(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%d", p->nlwp); }
static void f_state(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%c", p->state); }
static void f_comm(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%s", p->comm); }
static void f_args(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%s", p->cmd); }
static void f_vsz(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%lu", p->vsize / 1024); }
static void f_rss(const struct proc *p, char *b, size_t n) { snprintf(b, n, "%lu", p->rss * 4); }

/* procps's STAT: the state, then 's' for a session leader and '+' for
 * the terminal's foreground group are not known here (no tty in stat),
 * so only 's' is added, and 'l' for several threads. */
static void f_stat(const struct proc *p, char *b, size_t n)
{
	snprintf(b, n, "%c%s%s", p->state, p->sid == p->pid ? "s" : "",
	         p->nlwp > 1 ? "l" : "");
}

static void f_user(const struct proc *p, char *b, size_t n)
{
	struct passwd *pw = getpwuid(p->uid);
	if (pw)
		snprintf(b, n, "%s", pw->pw_name);
	else
		snprintf(b, n, "%u", p->uid);
}

/* The controlling terminal from stat's tty_nr (RayOS reports none yet:
 * "?"), named as procps does for the usual Linux devices. */
static void f_tty(const struct proc *p, char *b, size_t n)
{
	int major = (p->tty >> 8) & 0xfff;
	int minor = (p->tty & 0xff) | ((p->tty >> 12) & 0xfff00);
	if (!p->tty)
		snprintf(b, n, "?");
	else if (major == 4 && minor < 64)
		snprintf(b, n, "tty%d", minor);
	else if (major == 4)
		snprintf(b, n, "ttyS%d", minor - 64);
	else if (major >= 136 && major <= 143)
		snprintf(b, n, "pts/%d", (major - 136) * 256 + minor);
	else if (major == 5 && minor == 1)
		snprintf(b, n, "console");
	else
		snprintf(b, n, "%d,%d", major, minor);
}

static double run_seconds(const struct proc *p)
{
	return uptime_s - p->start / 100.0;
}

/* Share of one CPU since the process started, in tenths of a percent. */
static long cpu_permille(const struct proc *p)
{
	double secs = run_seconds(p);
	if (secs <= 0)
		return 0;
	long v = (long)((p->utime + p->stime) / secs * 10);
	return v > 999 ? 999 : v;
}

static void f_pcpu(const struct proc *p, char *b, size_t n)
{
	long v = cpu_permille(p);
	snprintf(b, n, "%ld.%ld", v / 10, v % 10);
}

static void f_c(const struct proc *p, char *b, size_t n)
{
	snprintf(b, n, "%ld", cpu_permille(p) / 10);
}

static void f_pmem(const struct proc *p, char *b, size_t n)
{
	long v = mem_kb ? (long)(p->rss * 4 * 1000 / (unsigned long)mem_kb) : 0;
	snprintf(b, n, "%ld.%ld", v / 10, v % 10);
}

/* CPU time as [DD-]HH:MM:SS (SysV TIME). */
static void f_time(const struct proc *p, char *b, size_t n)
{
	unsigned long s = (p->utime + p->stime) / 100;
	if (s >= 86400)
		snprintf(b, n, "%lu-%02lu:%02lu:%02lu", s / 86400, s / 3600 % 24,
		         s / 60 % 60, s % 60);
	else
		snprintf(b, n, "%02lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
}

/* CPU time as M:SS (BSD TIME of ps aux). */
static void f_bsdtime(const struct proc *p, char *b, size_t n)
{
	unsigned long s = (p->utime + p->stime) / 100;
	snprintf(b, n, "%lu:%02lu", s / 60, s % 60);
}

/* Time since start, [[DD-]HH:]MM:SS. */
static void f_etime(const struct proc *p, char *b, size_t n)
{
	double r = run_seconds(p);
	unsigned long s = r > 0 ? (unsigned long)r : 0;
	if (s >= 86400)
		snprintf(b, n, "%lu-%02lu:%02lu:%02lu", s / 86400, s / 3600 % 24,
		         s / 60 % 60, s % 60);
	else if (s >= 3600)
		snprintf(b, n, "%02lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(b, n, "%02lu:%02lu", s / 60, s % 60);
}

static void f_etimes(const struct proc *p, char *b, size_t n)
{
	double r = run_seconds(p);
	snprintf(b, n, "%lu", r > 0 ? (unsigned long)r : 0UL);
}

/* Start as a clock time: HH:MM today, else "MonDD" (STIME, START). */
static void f_stime(const struct proc *p, char *b, size_t n)
{
	time_t t = boot_time + (time_t)(p->start / 100), now = time(NULL);
	struct tm tm = *localtime(&t), today = *localtime(&now);
	if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday)
		strftime(b, n, "%H:%M", &tm);
	else
		strftime(b, n, "%b%d", &tm);
}

/* Full start time (lstart). */
static void f_lstart(const struct proc *p, char *b, size_t n)
{
	time_t t = boot_time + (time_t)(p->start / 100);
	strftime(b, n, "%a %b %e %H:%M:%S %Y", localtime(&t));
}

struct field {
	const char *name;
	const char *header;
	int width;
	int left;       /* left-aligned */
	fmt_fn fmt;
};

static const struct field fields[] = {
	{ "pid", "PID", 5, 0, f_pid },
	{ "ppid", "PPID", 5, 0, f_ppid },
	{ "pgid", "PGID", 5, 0, f_pgid },
	{ "pgrp", "PGRP", 5, 0, f_pgid },
	{ "sid", "SID", 5, 0, f_sid },
	{ "sess", "SESS", 5, 0, f_sid },
	{ "uid", "UID", 5, 0, f_uid },
	{ "user", "USER", 8, 1, f_user },
	{ "euser", "EUSER", 8, 1, f_user },
	{ "ruser", "RUSER", 8, 1, f_user },
	{ "uname", "USER", 8, 1, f_user },
	{ "stat", "STAT", 4, 1, f_stat },
	{ "state", "S", 1, 1, f_state },
	{ "s", "S", 1, 1, f_state },
	{ "c", "C", 2, 0, f_c },
	{ "%cpu", "%CPU", 4, 0, f_pcpu },
	{ "pcpu", "%CPU", 4, 0, f_pcpu },
	{ "%mem", "%MEM", 4, 0, f_pmem },
	{ "pmem", "%MEM", 4, 0, f_pmem },
	{ "vsz", "VSZ", 6, 0, f_vsz },
	{ "vsize", "VSZ", 6, 0, f_vsz },
	{ "rss", "RSS", 5, 0, f_rss },
	{ "rssize", "RSS", 5, 0, f_rss },
	{ "tty", "TT", 8, 1, f_tty },
	{ "tt", "TT", 8, 1, f_tty },
	{ "time", "TIME", 8, 0, f_time },
	{ "cputime", "TIME", 8, 0, f_time },
	{ "bsdtime", "TIME", 6, 0, f_bsdtime },
	{ "etime", "ELAPSED", 11, 0, f_etime },
	{ "etimes", "ELAPSED", 7, 0, f_etimes },
	{ "stime", "STIME", 5, 0, f_stime },
	{ "start_time", "START", 5, 0, f_stime },
	{ "start", "STARTED", 8, 0, f_stime },
	{ "bsdstart", "START", 6, 0, f_stime },
	{ "lstart", "STARTED", 24, 1, f_lstart },
	{ "nlwp", "NLWP", 4, 0, f_nlwp },
	{ "thcount", "THCNT", 5, 0, f_nlwp },
	{ "comm", "COMMAND", 15, 1, f_comm },
	{ "ucmd", "CMD", 15, 1, f_comm },
	{ "args", "COMMAND", 27, 1, f_args },
	{ "cmd", "CMD", 27, 1, f_args },
	{ "command", "COMMAND", 27, 1, f_args },
};

#define MAXCOLS 32

struct column {
	const struct field *f;
	char header[64];
	int width;
};

static struct column cols[MAXCOLS];
static int ncols;

static void usage(void)
{
	fprintf(stderr, "usage: ps [-eAaf] [-o FORMAT] [-p PID...] [-u USER...] "
	        "[--no-headers] [aux]\n");
	exit(2);
}

/* Add the columns of a format list: "pid,ppid user=WHO args". */
static void add_format(const char *list)
{
	char *copy = strdup(list), *save = NULL;
	if (!copy)
		exit(1);
	for (char *tok = strtok_r(copy, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		char *eq = strchr(tok, '=');
		if (eq)
			*eq = 0;
		const struct field *f = NULL;
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (!strcasecmp(fields[i].name, tok))
				f = &fields[i];
		if (!f) {
			fprintf(stderr, "ps: unknown user-defined format specifier \"%s\"\n", tok);
			usage();
		}
		if (ncols == MAXCOLS) {
			fprintf(stderr, "ps: too many columns\n");
			exit(2);
		}
		struct column *c = &cols[ncols++];
		c->f = f;
		snprintf(c->header, sizeof(c->header), "%s", eq ? eq + 1 : f->header);
		c->width = f->width;
	}
	free(copy);
}

/* ---- selection ---- */

static int sel_pids[256], nsel_pids;
static unsigned sel_uids[64];
static int nsel_uids;

static void add_pids(const char *list)
{
	char *copy = strdup(list), *save = NULL;
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		char *end;
		long v = strtol(t, &end, 10);
		if (*end || v <= 0) {
			fprintf(stderr, "ps: process ID list syntax error\n");
			usage();
		}
		if (nsel_pids < 256)
			sel_pids[nsel_pids++] = (int)v;
	}
	free(copy);
}

static void add_users(const char *list)
{
	char *copy = strdup(list), *save = NULL;
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		struct passwd *pw = getpwnam(t);
		char *end;
		unsigned long v = strtoul(t, &end, 10);
		if (!pw && (*end || !*t)) {
			fprintf(stderr, "ps: user name does not exist\n");
			usage();
		}
		if (nsel_uids < 64)
			sel_uids[nsel_uids++] = pw ? pw->pw_uid : (unsigned)v;
	}
	free(copy);
}

static int selected(const struct proc *p)
{
	if (!nsel_pids && !nsel_uids)
		return 1;
	for (int i = 0; i < nsel_pids; i++)
		if (sel_pids[i] == p->pid)
			return 1;
	for (int i = 0; i < nsel_uids; i++)
		if (sel_uids[i] == p->uid)
			return 1;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv)
{
	int full = 0, bsd_u = 0, headers = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--no-headers") || !strcmp(a, "--no-heading")) {
			headers = 0;
		} else if (!strncmp(a, "--pid", 5) || !strncmp(a, "--user", 6) ||
		           !strncmp(a, "--format", 8)) {
			const char *v = strchr(a, '=') ? strchr(a, '=') + 1 : argv[++i];
			if (!v)
				usage();
			if (a[2] == 'p')
				add_pids(v);
			else if (a[2] == 'u')
				add_users(v);
			else
				add_format(v);
		} else if (a[0] == '-') {
			if (!a[1])
				usage();
			for (a++; *a; a++) {
				if (*a == 'f') {
					full = 1;
				} else if (*a == 'o' || *a == 'p' || *a == 'u' || *a == 'U') {
					/* The value is the rest of this word or the next. */
					const char *v = a[1] ? a + 1 : argv[++i];
					if (!v)
						usage();
					if (*a == 'o')
						add_format(v);
					else if (*a == 'p')
						add_pids(v);
					else
						add_users(v);
					break;
				} else if (!strchr("eAadxw", *a)) {
					usage();
				}
			}
		} else {
			for (; *a; a++) {
				if (*a == 'u')
					bsd_u = 1;
				else if (!strchr("axw", *a))
					usage();
			}
		}
	}
	if (!ncols) {
		if (bsd_u)
			add_format("user,pid,%cpu,%mem,vsz,rss,tty=TTY,stat,start_time,bsdtime,args");
		else if (full)
			add_format("user=UID,pid,ppid,c,stime,tty=TTY,time,args=CMD");
		else
			add_format("pid,ppid,user,stat,time,comm=CMD");
	}
	/* Header widths: a column is at least as wide as its header. */
	int any_header = 0;
	for (int c = 0; c < ncols; c++) {
		int h = (int)strlen(cols[c].header);
		if (h > cols[c].width)
			cols[c].width = h;
		any_header |= h > 0;
	}

	char buf[256];
	if (read_file("/proc/uptime", buf, sizeof(buf)) > 0)
		uptime_s = strtod(buf, NULL);
	boot_time = time(NULL) - (time_t)uptime_s;
	if (read_file("/proc/meminfo", buf, sizeof(buf)) > 0) {
		char *m = strstr(buf, "MemTotal:");
		if (m)
			mem_kb = strtol(m + 9, NULL, 10);
	}

	DIR *d = opendir("/proc");
	if (!d) {
		perror("ps: /proc");
		return 1;
	}
	static int pids[32768];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 32768)
		if (isdigit((unsigned char)e->d_name[0]))
			pids[n++] = atoi(e->d_name);
	closedir(d);
	qsort(pids, (size_t)n, sizeof(int), cmp_int);

	/* Every value first, so the columns can grow to their widest. */
	struct proc *procs = malloc(sizeof(*procs) * (n ? n : 1));
	char (*cells)[MAXCOLS][64] = malloc(sizeof(*cells) * (n ? n : 1));
	if (!procs || !cells) {
		fprintf(stderr, "ps: out of memory\n");
		return 1;
	}
	int rows = 0, found = 0;
	for (int i = 0; i < n; i++) {
		if (load(pids[i], &procs[rows]) || !selected(&procs[rows]))
			continue;   /* gone meanwhile, or not asked for */
		found = 1;
		for (int c = 0; c < ncols - 1; c++) {
			cols[c].f->fmt(&procs[rows], cells[rows][c], sizeof(cells[rows][c]));
			int w = (int)strlen(cells[rows][c]);
			if (w > cols[c].width)
				cols[c].width = w;
		}
		rows++;
	}
	if (headers && any_header) {
		for (int c = 0; c < ncols; c++) {
			int last = c == ncols - 1;
			if (cols[c].f->left)
				printf("%-*s", last ? 0 : cols[c].width, cols[c].header);
			else
				printf("%*s", cols[c].width, cols[c].header);
			putchar(last ? '\n' : ' ');
		}
	}
	/* The last column (usually the command line) is made as it is
	 * printed, whole. */
	static char last_cell[2048];
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < ncols; c++) {
			int last = c == ncols - 1;
			const char *v = cells[r][c];
			if (last) {
				cols[c].f->fmt(&procs[r], last_cell, sizeof(last_cell));
				v = last_cell;
			}
			if (cols[c].f->left)
				printf("%-*s", last ? 0 : cols[c].width, v);
			else
				printf("%*s", cols[c].width, v);
			putchar(last ? '\n' : ' ');
		}
	}
	/* procps: 1 when a selection matched nothing. */
	return fflush(stdout) ? 1 : (found || (!nsel_pids && !nsel_uids)) ? 0 : 1;
}
