/*
 * user/coreutils/tail.c - tail [-f] [-n N] [-c N] [-N] [file...]: print the
 * last N (10) lines, or with -c the last N bytes, of each file (or stdin,
 * or "-"); "-n +N" / "-c +N" start at line / byte N instead. Several files
 * get "==> name <==" headers like GNU tail. -f then keeps following the
 * files: it checks for new data every 0.2 s (-s: another interval; a
 * sleep loop, there is no inotify) and prints it, with a header when the
 * output switches file, until killed or until --pid's process is gone;
 * a truncated file is read again from its start. -F follows the names:
 * a file replaced (rotated) or removed and created again is reopened.
 * Pipes are not followed (GNU ignores -f for them).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "slurp.h"

static long count = 10;
static int bytes, from_start, follow;

static int write_all(const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w, n -= w;
	}
	return 0;
}

static int tail(int fd, const char *name)
{
	size_t len, start = 0;
	char *b = slurp(fd, &len);
	if (!b) {
		fprintf(stderr, "tail: error reading '%s': %s\n", name, strerror(errno));
		return 1;
	}
	if (bytes) {
		if (from_start)
			start = count > 1 ? (size_t)count - 1 : 0;
		else
			start = (size_t)count >= len ? 0 : len - count;
		if (start > len)
			start = len;
	} else if (from_start) {
		long line = 1;
		while (start < len && line < count)
			if (b[start++] == '\n')
				line++;
	} else {
		/* Walk back over count newlines; a last line without one counts. */
		long left = count;
		start = len;
		if (start && b[start - 1] == '\n')
			start--;
		while (start > 0 && left > 0) {
			if (b[start - 1] == '\n' && --left == 0)
				break;
			start--;
		}
		if (count == 0)
			start = len;
	}
	write_all(b + start, len - start);
	free(b);
	return 0;
}

/* ---- -f and -F ---- */

struct followed {
	const char *name;
	int fd;           /* -1 while the file is missing (-F) */
	dev_t dev;
	ino_t ino;
};

static void note_identity(struct followed *f)
{
	struct stat st;
	if (f->fd >= 0 && fstat(f->fd, &st) == 0) {
		f->dev = st.st_dev;
		f->ino = st.st_ino;
	}
}

/* -F: the name may now be a different file, or none. */
static void check_name(struct followed *f)
{
	struct stat st;
	if (stat(f->name, &st) < 0) {
		if (f->fd >= 0) {
			fprintf(stderr, "tail: '%s' has become inaccessible: %s\n", f->name,
			        strerror(errno));
			close(f->fd);
			f->fd = -1;
		}
		return;
	}
	if (f->fd >= 0 && st.st_dev == f->dev && st.st_ino == f->ino)
		return;
	int fd = open(f->name, O_RDONLY);
	if (fd < 0)
		return;
	fprintf(stderr, "tail: '%s' has %s;  following new file\n", f->name,
	        f->fd >= 0 ? "been replaced" : "appeared");
	if (f->fd >= 0)
		close(f->fd);
	f->fd = fd;
	note_identity(f);
}

/* Print what is appended to the files, polling every interval, until
 * killed (or until process pid is gone). With several files, a header
 * names the file whenever the output switches to another, as GNU. */
static void follow_all(struct followed *f, int n, int last, int by_name,
                       double interval, pid_t pid)
{
	char buf[65536];
	struct timespec nap = { (time_t)interval,
	                        (long)((interval - (time_t)interval) * 1e9) };
	for (;;) {
		int pid_gone = pid > 0 && kill(pid, 0) < 0 && errno == ESRCH;
		int got = 0;
		for (int i = 0; i < n; i++) {
			if (by_name)
				check_name(&f[i]);
			if (f[i].fd < 0)
				continue;
			ssize_t k;
			while ((k = read(f[i].fd, buf, sizeof(buf))) > 0) {
				if (n > 1 && last != i) {
					char hdr[4200];
					int h = snprintf(hdr, sizeof(hdr), "\n==> %s <==\n", f[i].name);
					write_all(hdr, (size_t)h);
					last = i;
				}
				if (write_all(buf, (size_t)k) < 0)
					exit(1);
				got = 1;
			}
			if (k < 0 && errno != EINTR && errno != EAGAIN) {
				fprintf(stderr, "tail: error reading '%s': %s\n", f[i].name,
				        strerror(errno));
				exit(1);
			}
			struct stat st;
			off_t pos = lseek(f[i].fd, 0, SEEK_CUR);
			if (fstat(f[i].fd, &st) == 0 && S_ISREG(st.st_mode) && pos > st.st_size) {
				fprintf(stderr, "tail: %s: file truncated\n", f[i].name);
				lseek(f[i].fd, 0, SEEK_SET);
				got = 1;
			}
		}
		if (pid_gone)
			exit(0);
		if (!got)
			nanosleep(&nap, NULL);
	}
}

static int parse_count(const char *s)
{
	char *end;
	from_start = *s == '+';
	if (*s == '+' || *s == '-')
		s++;
	count = strtol(s, &end, 10);
	if (end == s || *end || count < 0) {
		fprintf(stderr, "tail: invalid number: '%s'\n", s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "follow", optional_argument, NULL, 'f' },
		{ "retry", no_argument, NULL, 'R' },
		{ "pid", required_argument, NULL, 'p' },
		{ "sleep-interval", required_argument, NULL, 's' },
		{ 0, 0, 0, 0 }
	};
	int opt, status = 0, by_name = 0;
	double interval = 0.2;
	pid_t pid = 0;
	char *end;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		if (parse_count(argv[1] + 1))
			return 2;
		argv[1] = argv[0];
		argv++, argc--;
	}
	while ((opt = getopt_long(argc, argv, "fFn:c:s:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			follow = 1;
			if (optarg && !strcmp(optarg, "name"))
				by_name = 1;
			else if (optarg && strcmp(optarg, "descriptor"))
				goto usage;
			break;
		case 'F': follow = by_name = 1; break;
		case 'R': break;   /* -F retries anyway */
		case 'p':
			pid = (pid_t)strtol(optarg, &end, 10);
			if (*end || pid <= 0) {
				fprintf(stderr, "tail: invalid PID: '%s'\n", optarg);
				return 2;
			}
			break;
		case 's':
			interval = strtod(optarg, &end);
			if (*end || end == optarg || interval < 0) {
				fprintf(stderr, "tail: invalid number of seconds: '%s'\n", optarg);
				return 2;
			}
			break;
		case 'n': case 'c':
			bytes = opt == 'c';
			if (parse_count(optarg))
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	int nfiles = argc - optind;
	if (nfiles == 0)
		argv[--optind] = "-", nfiles = 1;
	struct followed *fl = calloc((size_t)nfiles, sizeof(*fl));
	int nfl = 0, last = -1;
	if (!fl)
		return 1;
	for (int i = optind; i < argc; i++) {
		const char *name = argv[i];
		int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "tail: cannot open '%s' for reading: %s\n", name, strerror(errno));
			status = 1;
			if (by_name) {   /* -F: wait for it to appear */
				fl[nfl].name = name;
				fl[nfl++].fd = -1;
			}
			continue;
		}
		if (nfiles > 1) {
			char hdr[4200];
			int n = snprintf(hdr, sizeof hdr, "%s==> %s <==\n", i > optind ? "\n" : "",
					 fd == 0 ? "standard input" : name);
			write_all(hdr, n);
		}
		status |= tail(fd, name);
		struct stat st;
		/* A pipe has nothing more to say once it ended (GNU ignores -f). */
		if (follow && !(fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))) {
			fl[nfl].name = fd == 0 ? "standard input" : name;
			fl[nfl].fd = fd;
			note_identity(&fl[nfl]);
			last = nfl++;
		} else if (fd) {
			close(fd);
		}
	}
	if (follow && nfl) {
		/* Headers switch from whatever was printed last. */
		follow_all(fl, nfl, nfiles > 1 ? last : 0, by_name, interval, pid);
	}
	if (follow && by_name && !nfl)
		fprintf(stderr, "tail: no files remaining\n");
	return status;
usage:
	fprintf(stderr, "usage: tail [-fF] [-n [+]N] [-c [+]N] [-s SECONDS] [--pid=PID] [file...]\n");
	return 2;
}
