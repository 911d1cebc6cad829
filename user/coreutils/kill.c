/*
 * user/coreutils/kill.c - kill [-s NAME | -NAME | -NUM] pid...,
 * kill -l [NUM]: send a signal (TERM by default) to processes (a negative
 * pid names a process group). Signal names are accepted with or without
 * "SIG", in any case. -l lists the signal names, or names the signal of
 * NUM (an exit status above 128 works too).
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *names[] = {
	[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS", [SIGFPE] = "FPE",
	[SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM",
	[SIGSTKFLT] = "STKFLT", [SIGCHLD] = "CHLD", [SIGCONT] = "CONT",
	[SIGSTOP] = "STOP", [SIGTSTP] = "TSTP", [SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU",
	[SIGURG] = "URG", [SIGXCPU] = "XCPU", [SIGXFSZ] = "XFSZ",
	[SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH",
	[SIGIO] = "IO", [SIGPWR] = "PWR", [SIGSYS] = "SYS",
};
#define NNAMES ((int)(sizeof names / sizeof names[0]))

static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*s && !*end)
		return n >= 0 && n < 65 ? (int)n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < NNAMES; i++)
		if (names[i] && strcasecmp(s, names[i]) == 0)
			return i;
	if (strcasecmp(s, "IOT") == 0)
		return SIGABRT;
	if (strcasecmp(s, "POLL") == 0)
		return SIGIO;
	return -1;
}

static int list(int argc, char **argv, int i)
{
	if (i == argc) {
		for (int s = 1; s < NNAMES; s++)
			if (names[s])
				printf("%s%c", names[s], s % 8 == 0 || s == NNAMES - 1 ? '\n' : ' ');
		return 0;
	}
	int status = 0;
	for (; i < argc; i++) {
		char *end;
		long n = strtol(argv[i], &end, 10);
		if (*argv[i] && !*end) {
			if (n > 128)
				n -= 128;
			if (n > 0 && n < NNAMES && names[n]) {
				puts(names[n]);
				continue;
			}
		} else {
			int s = parse_signal(argv[i]);
			if (s > 0) {
				printf("%d\n", s);
				continue;
			}
		}
		fprintf(stderr, "kill: unknown signal: %s\n", argv[i]);
		status = 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (i < argc && (strcmp(argv[i], "-l") == 0 || strcmp(argv[i], "-L") == 0))
		return list(argc, argv, i + 1);
	if (i < argc && strcmp(argv[i], "-s") == 0) {
		if (i + 1 >= argc)
			goto usage;
		sig = parse_signal(argv[i + 1]);
		if (sig < 0) {
			fprintf(stderr, "kill: unknown signal: %s\n", argv[i + 1]);
			return 2;
		}
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0 &&
		   !(isdigit((unsigned char)argv[i][1]) && i + 1 == argc)) {
		sig = parse_signal(argv[i] + 1);
		if (sig < 0) {
			fprintf(stderr, "kill: unknown signal: %s\n", argv[i] + 1);
			goto usage;
		}
		i++;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc)
		goto usage;
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (!*argv[i] || *end) {
			fprintf(stderr, "kill: %s: arguments must be process or job IDs\n", argv[i]);
			status = 1;
			continue;
		}
		if (kill(pid, sig) < 0) {
			fprintf(stderr, "kill: (%ld) - %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
usage:
	fprintf(stderr, "usage: kill [-s NAME | -NAME | -NUM] pid...\n       kill -l [NUM]\n");
	return 2;
}
