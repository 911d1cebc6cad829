/*
 * user/sh/builtin_proc.c - built-ins about processes and the system:
 * kill (pids and %jobs, -s NAME, -NAME, -NUM, -l), umask (octal, -S) and
 * times (user and system times of the shell and of its children).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <unistd.h>

#include "sh.h"

int bi_umask(int argc, char **argv)
{
	mode_t m = umask(0);

	umask(m);
	int i = 1, sym = 0;
	if (i < argc && !strcmp(argv[i], "-S")) {
		sym = 1;
		i++;
	}
	if (i >= argc) {
		if (sym) {
			mode_t a = ~m & 0777;
			char b[32], *p = b;
			const char *who = "ugo";
			for (int k = 0; k < 3; k++) {
				int bits = (a >> (6 - 3 * k)) & 7;
				*p++ = who[k];
				*p++ = '=';
				if (bits & 4) *p++ = 'r';
				if (bits & 2) *p++ = 'w';
				if (bits & 1) *p++ = 'x';
				if (k < 2) *p++ = ',';
			}
			*p = 0;
			printf("%s\n", b);
		} else {
			printf("%04o\n", (unsigned)m);
		}
		return 0;
	}
	char *end;
	long v = strtol(argv[i], &end, 8);
	if (*end || v < 0 || v > 0777) {
		sh_error("umask: Illegal mode: %s", argv[i]);
		return 2;
	}
	umask((mode_t)v);
	return 0;
}

int bi_times(int argc, char **argv)
{
	struct tms t;
	long hz = sysconf(_SC_CLK_TCK);

	(void)argc;
	(void)argv;
	if (hz <= 0)
		hz = 100;
	times(&t);
	printf("%ldm%.3fs %ldm%.3fs\n%ldm%.3fs %ldm%.3fs\n",
	       (long)(t.tms_utime / hz / 60), (double)(t.tms_utime % (hz * 60)) / hz,
	       (long)(t.tms_stime / hz / 60), (double)(t.tms_stime % (hz * 60)) / hz,
	       (long)(t.tms_cutime / hz / 60), (double)(t.tms_cutime % (hz * 60)) / hz,
	       (long)(t.tms_cstime / hz / 60), (double)(t.tms_cstime % (hz * 60)) / hz);
	return 0;
}

int bi_kill(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, st = 0;

	if (argc < 2) {
		sh_error("kill: usage: kill [-s sig | -SIG] pid | %%job ...");
		return 2;
	}
	if (!strcmp(argv[1], "-l")) {
		if (argc > 2) {
			int n = atoi(argv[2]);
			if (n > 128)
				n -= 128;
			const char *nm = sig_name(n);
			if (!nm) {
				sh_error("kill: %s: invalid signal", argv[2]);
				return 1;
			}
			printf("%s\n", nm);
			return 0;
		}
		for (int s = 1; s < 32; s++)
			if (sig_name(s))
				printf("%s%c", sig_name(s), s % 8 == 0 ? '\n' : ' ');
		printf("\n");
		return 0;
	}
	if (!strcmp(argv[1], "-s") && argc > 2) {
		sig = sig_number(argv[2]);
		i = 3;
	} else if (argv[1][0] == '-' && argv[1][1] && strcmp(argv[1], "--")) {
		sig = sig_number(argv[1] + 1);
		i = 2;
	} else if (!strcmp(argv[1], "--")) {
		i = 2;
	}
	if (sig < 0) {
		sh_error("kill: invalid signal %s", argv[i - 1]);
		return 2;
	}
	for (; i < argc; i++) {
		if (argv[i][0] == '%') {
			if (job_kill_spec(argv[i], sig))
				st = 1;
			continue;
		}
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (!*argv[i] || *end) {
			sh_error("kill: invalid pid %s", argv[i]);
			st = 1;
			continue;
		}
		if (kill((pid_t)pid, sig) < 0) {
			sh_error("kill: %s: %s", argv[i], strerror(errno));
			st = 1;
		}
	}
	return st;
}
