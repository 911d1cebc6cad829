/*
 * user/coreutils/ps.c - ps [-e] [-f] [aux]: list processes from /proc.
 *
 * Every process is listed (RayOS has one user and one console, so the
 * BSD/SysV selection options -e, -A, a, x all mean "everyone"). Columns:
 *   default   PID PPID USER STAT TIME CMD
 *   -f        UID PID PPID STIME TIME CMD   (CMD is the full command line)
 *   aux (u)   USER PID %CPU %MEM VSZ RSS STAT TIME COMMAND
 * Each process's /proc/<pid>/stat gives the numbers (times in 1/100 s
 * ticks); /proc/<pid>/cmdline the command line (the comm in [brackets]
 * when empty: kernel threads, zombies). A process that exits while we
 * read is skipped. USER is a name from /etc/passwd when there is one.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct proc {
	int pid, ppid;
	char state;
	char comm[64];
	unsigned long utime, stime, start, vsize, rss;
	unsigned uid;
	char cmd[512];
};

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
	if (!l || !r || r < l)
		return -1;
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(p->comm, sizeof(p->comm), "%.*s", (int)(r - l - 1), l + 1);
	/* Fields from 3 (state) on; index f[k] is field k + 3. */
	unsigned long f[24] = { 0 };
	char *s = r + 2;
	p->state = *s;
	s++;
	for (int k = 1; k < 24 && *s; k++)
		f[k] = strtoul(s, &s, 10);
	p->ppid = (int)f[1];
	p->utime = f[11];   /* field 14 */
	p->stime = f[12];   /* field 15 */
	p->start = f[19];   /* field 22 */
	p->vsize = f[20];   /* field 23 */
	p->rss = f[21];     /* field 24 */

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

static const char *user_name(unsigned uid)
{
	static char buf[32];
	struct passwd *pw = getpwuid(uid);
	if (pw)
		return pw->pw_name;
	snprintf(buf, sizeof(buf), "%u", uid);
	return buf;
}

static void cputime(unsigned long ticks, char *buf, size_t n)
{
	unsigned long s = ticks / 100;
	snprintf(buf, n, "%02lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
}

static void usage(void)
{
	fprintf(stderr, "usage: ps [-eAf] [aux]\n");
	exit(2);
}

static int cmp_pid(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv)
{
	int full = 0, bsd = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-') {
			if (!a[1])
				usage();
			for (a++; *a; a++) {
				if (*a == 'f')
					full = 1;
				else if (*a != 'e' && *a != 'A')
					usage();
			}
		} else {
			for (; *a; a++) {
				if (*a == 'u')
					bsd = 1;
				else if (*a != 'a' && *a != 'x')
					usage();
			}
		}
	}

	DIR *d = opendir("/proc");
	if (!d) {
		perror("ps: /proc");
		return 1;
	}
	int pids[4096], n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 4096)
		if (isdigit((unsigned char)e->d_name[0]))
			pids[n++] = atoi(e->d_name);
	closedir(d);
	qsort(pids, (size_t)n, sizeof(int), cmp_pid);

	long mem_kb = 0;
	if (bsd) {
		char buf[256];
		if (read_file("/proc/meminfo", buf, sizeof(buf)) > 0) {
			char *m = strstr(buf, "MemTotal:");
			if (m)
				mem_kb = strtol(m + 9, NULL, 10);
		}
		printf("USER         PID %%CPU %%MEM    VSZ   RSS STAT     TIME COMMAND\n");
	} else if (full) {
		printf("UID          PID    PPID STIME     TIME CMD\n");
	} else {
		printf("  PID  PPID USER     STAT     TIME CMD\n");
	}
	char up[64] = "0";
	read_file("/proc/uptime", up, sizeof(up));
	double uptime = strtod(up, NULL);

	for (int i = 0; i < n; i++) {
		struct proc p;
		if (load(pids[i], &p))
			continue;   /* gone meanwhile */
		char t[32];
		cputime(p.utime + p.stime, t, sizeof(t));
		if (bsd) {
			double secs = uptime - p.start / 100.0;
			double cpu = secs >= 1 ? (p.utime + p.stime) / secs : 0;
			if (cpu > 100)
				cpu = 100;
			double mem = mem_kb ? p.rss * 4 * 100.0 / mem_kb : 0;
			printf("%-8s %6d %4.1f %4.1f %6lu %5lu %-4c %8s %s\n",
			       user_name(p.uid), p.pid, cpu, mem, p.vsize / 1024,
			       p.rss * 4, p.state, t + 3, p.cmd);
		} else if (full) {
			unsigned long s = p.start / 100;
			printf("%-8s %7d %7d %02lu:%02lu %8s %s\n", user_name(p.uid),
			       p.pid, p.ppid, s / 3600 % 100, s / 60 % 60, t, p.cmd);
		} else {
			printf("%5d %5d %-8s %-4c %8s %s\n", p.pid, p.ppid,
			       user_name(p.uid), p.state, t, p.comm);
		}
	}
	return 0;
}
