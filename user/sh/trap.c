/*
 * user/sh/trap.c - trap [action] [condition...], signal names.
 *
 * A trapped signal's handler only records it (trap_pending, pending[]);
 * the action runs between commands (run_node) and after a foreground wait,
 * never inside the handler. The interactive shell catches SIGINT itself
 * (got_sigint: abandon the line being typed) and ignores SIGQUIT, SIGTSTP,
 * SIGTTIN and SIGTTOU; a trap on one of those takes over. In a subshell
 * the actions are forgotten but ignored signals stay ignored (POSIX).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sh.h"

#define NSIG_SH 65

volatile sig_atomic_t trap_pending;
volatile sig_atomic_t got_sigint;
static volatile sig_atomic_t pending[NSIG_SH];
static char *action[NSIG_SH];   /* NULL: default; "": ignore */
static int in_trap;

static const char *const names[] = {
	[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT",
	[SIGILL] = "ILL", [SIGTRAP] = "TRAP", [SIGABRT] = "ABRT",
	[SIGBUS] = "BUS", [SIGFPE] = "FPE", [SIGKILL] = "KILL",
	[SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM",
	[SIGSTKFLT] = "STKFLT", [SIGCHLD] = "CHLD", [SIGCONT] = "CONT",
	[SIGSTOP] = "STOP", [SIGTSTP] = "TSTP", [SIGTTIN] = "TTIN",
	[SIGTTOU] = "TTOU", [SIGURG] = "URG", [SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF",
	[SIGWINCH] = "WINCH", [SIGIO] = "IO", [SIGPWR] = "PWR",
	[SIGSYS] = "SYS",
};

const char *sig_name(int sig)
{
	if (sig == 0)
		return "EXIT";
	if (sig > 0 && sig < (int)(sizeof names / sizeof names[0]) && names[sig])
		return names[sig];
	return NULL;
}

int sig_number(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n >= 0 && n < NSIG_SH ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	if (!strcasecmp(s, "EXIT"))
		return 0;
	for (int i = 1; i < (int)(sizeof names / sizeof names[0]); i++)
		if (names[i] && !strcasecmp(s, names[i]))
			return i;
	return -1;
}

static void on_signal(int sig)
{
	if (sig == SIGINT)
		got_sigint = 1;
	if (sig > 0 && sig < NSIG_SH && action[sig]) {
		pending[sig] = 1;
		trap_pending = 1;
	}
}

/* How the shell itself treats sig when no trap is set. */
static void default_disposition(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	if (sh.interactive && !sh.subshell) {
		if (sig == SIGINT)
			sa.sa_handler = on_signal;
		else if (sig == SIGQUIT || sig == SIGTSTP || sig == SIGTTIN ||
			 sig == SIGTTOU || sig == SIGTERM)
			sa.sa_handler = SIG_IGN;
	}
	sigaction(sig, &sa, NULL);
}

void trap_init(void)
{
	default_disposition(SIGINT);
	default_disposition(SIGQUIT);
	default_disposition(SIGTSTP);
	default_disposition(SIGTTIN);
	default_disposition(SIGTTOU);
	default_disposition(SIGTERM);
}

static void set_trap(int sig, const char *act)
{
	free(action[sig]);
	action[sig] = act ? xstrdup(act) : NULL;
	if (sig == 0)
		return;
	if (!act) {
		default_disposition(sig);
		return;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = *act ? on_signal : SIG_IGN;
	sigaction(sig, &sa, NULL); /* no SA_RESTART: waits notice it */
}

void trap_run_pending(void)
{
	if (!trap_pending || in_trap)
		return;
	trap_pending = 0;
	for (int sig = 1; sig < NSIG_SH; sig++) {
		if (!pending[sig])
			continue;
		pending[sig] = 0;
		if (!action[sig] || !*action[sig])
			continue;
		int st = sh.status;
		in_trap = 1;
		run_text(action[sig], "trap");
		in_trap = 0;
		if (!sh.exiting)
			sh.status = st;
	}
}

void trap_run_exit(void)
{
	char *act = action[0];

	if (!act || !*act)
		return;
	action[0] = NULL;
	int st = sh.status;
	run_text(act, "trap");
	sh.status = st;
	free(act);
}

void trap_reset_for_child(void)
{
	for (int sig = 0; sig < NSIG_SH; sig++) {
		if (action[sig] && *action[sig]) {
			free(action[sig]);
			action[sig] = NULL;
			if (sig)
				signal(sig, SIG_DFL);
		}
	}
}

static void print_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

int bi_trap(int argc, char **argv)
{
	int i = 1, st = 0;

	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i == argc) {
		for (int sig = 0; sig < NSIG_SH; sig++) {
			if (!action[sig])
				continue;
			fputs("trap -- ", stdout);
			print_quoted(action[sig]);
			printf(" %s\n", sig_name(sig) ? sig_name(sig) : "?");
		}
		return 0;
	}
	if (!strcmp(argv[i], "-l")) {
		for (int sig = 1; sig < (int)(sizeof names / sizeof names[0]); sig++)
			if (names[sig])
				printf("%d) %s\n", sig, names[sig]);
		return 0;
	}
	const char *act = argv[i];
	/* "trap N..." with a number first: reset those (POSIX) */
	if (sig_number(act) >= 0 && strspn(act, "0123456789") == strlen(act)) {
		act = "-";
	} else {
		i++;
	}
	for (; i < argc; i++) {
		int sig = sig_number(argv[i]);
		if (sig < 0 || sig == SIGKILL || sig == SIGSTOP) {
			sh_error("trap: %s: bad trap", argv[i]);
			st = 1;
			continue;
		}
		set_trap(sig, strcmp(act, "-") ? act : NULL);
	}
	return st;
}
