/*
 * user/sh/jobs.c - jobs: process groups, the terminal, waiting.
 *
 * Every pipeline the shell forks is a job: the processes it runs and, with
 * job control (an interactive shell on its terminal), a process group of
 * its own. A foreground job's group is given the terminal (tcsetpgrp) so
 * that ^C and ^Z reach it and not the shell; the shell takes the terminal
 * back when the job ends or stops. Parent and child both call setpgid and
 * tcsetpgrp, so neither depends on which runs first.
 *
 * Jobs are kept in a list ordered by number. A foreground job leaves the
 * list when it ends; one that stops (^Z) stays as a stopped background job
 * for fg/bg. Background jobs are reaped without blocking before each
 * prompt, which prints the "Done" notices.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

#define MAX_PROCS 64
enum { P_RUNNING, P_STOPPED, P_DONE };

struct job {
	int id;
	pid_t pgid;
	int nproc;
	pid_t pids[MAX_PROCS];
	int ws[MAX_PROCS];
	int state[MAX_PROCS];
	char *text;
	int bg;
	int listed;                 /* in the job list */
	int reported_stop;
	struct job *next;
};
static struct job *jobs;

struct job *job_new(const char *text, int background)
{
	struct job *j = xmalloc(sizeof *j);

	memset(j, 0, sizeof *j);
	j->text = xstrdup(text ? text : "");
	j->bg = background;
	return j;
}

static void job_list_add(struct job *j)
{
	struct job **p = &jobs;
	int id = 1;

	if (j->listed)
		return;
	for (struct job *k = jobs; k; k = k->next)
		if (k->id >= id)
			id = k->id + 1;
	while (*p)
		p = &(*p)->next;
	*p = j;
	j->id = id;
	j->listed = 1;
}

static void job_free(struct job *j)
{
	if (j->listed) {
		for (struct job **p = &jobs; *p; p = &(*p)->next)
			if (*p == j) {
				*p = j->next;
				break;
			}
	}
	free(j->text);
	free(j);
}

void job_set_pgid(struct job *j, pid_t pgid)
{
	j->pgid = pgid;
}

pid_t job_pgid(struct job *j)
{
	return j->pgid;
}

void job_add_proc(struct job *j, pid_t pid)
{
	if (j->nproc == MAX_PROCS)
		return;
	if (!j->pgid)
		j->pgid = pid;
	if (sh.jobctl)
		setpgid(pid, j->pgid);
	j->pids[j->nproc] = pid;
	j->state[j->nproc] = P_RUNNING;
	j->nproc++;
}

void job_child_setup(pid_t pgid, int foreground)
{
	if (sh.jobctl) {
		pid_t me = getpid();

		setpgid(0, pgid ? pgid : me);
		if (foreground)
			tcsetpgrp(sh.tty_fd, pgid ? pgid : me);
	}
	if (sh.interactive) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
	}
}

const char *signal_message(int sig)
{
	static char other[32];

	switch (sig) {
	case SIGHUP: return "Hangup";
	case SIGINT: return "Interrupt";
	case SIGQUIT: return "Quit";
	case SIGILL: return "Illegal instruction";
	case SIGTRAP: return "Trace/breakpoint trap";
	case SIGABRT: return "Aborted";
	case SIGBUS: return "Bus error";
	case SIGFPE: return "Floating point exception";
	case SIGKILL: return "Killed";
	case SIGUSR1: return "User defined signal 1";
	case SIGSEGV: return "Segmentation fault";
	case SIGUSR2: return "User defined signal 2";
	case SIGPIPE: return "Broken pipe";
	case SIGALRM: return "Alarm clock";
	case SIGTERM: return "Terminated";
	case SIGSTOP: case SIGTSTP: return "Stopped";
	case SIGTTIN: return "Stopped (tty input)";
	case SIGTTOU: return "Stopped (tty output)";
	default:
		snprintf(other, sizeof other, "Signal %d", sig);
		return other;
	}
}

int wait_status(int ws)
{
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	if (WIFSTOPPED(ws))
		return 128 + WSTOPSIG(ws);
	return 1;
}

static struct job *find_pid(pid_t pid, int *idx, struct job *extra)
{
	for (struct job *j = extra; j; j = NULL)
		for (int i = 0; i < j->nproc; i++)
			if (j->pids[i] == pid) {
				*idx = i;
				return j;
			}
	for (struct job *j = jobs; j; j = j->next)
		for (int i = 0; i < j->nproc; i++)
			if (j->pids[i] == pid) {
				*idx = i;
				return j;
			}
	return NULL;
}

static void record(pid_t pid, int ws, struct job *extra)
{
	int i;
	struct job *j = find_pid(pid, &i, extra);

	if (!j)
		return;
	if (WIFSTOPPED(ws)) {
		j->state[i] = P_STOPPED;
	} else if (WIFCONTINUED(ws)) {
		j->state[i] = P_RUNNING;
	} else {
		j->state[i] = P_DONE;
		j->ws[i] = ws;
	}
}

static int all_done(struct job *j)
{
	for (int i = 0; i < j->nproc; i++)
		if (j->state[i] != P_DONE)
			return 0;
	return 1;
}

static int any_stopped(struct job *j)
{
	for (int i = 0; i < j->nproc; i++)
		if (j->state[i] == P_STOPPED)
			return 1;
	return 0;
}

static int job_status(struct job *j)
{
	return j->nproc ? wait_status(j->ws[j->nproc - 1]) : 0;
}

void job_reap(void)
{
	int ws;
	pid_t pid;

	while ((pid = waitpid(-1, &ws, WNOHANG | WUNTRACED | WCONTINUED)) > 0)
		record(pid, ws, NULL);
}

static char current_mark(struct job *j)
{
	struct job *last = NULL, *prev = NULL;

	for (struct job *k = jobs; k; k = k->next) {
		prev = last;
		last = k;
	}
	return j == last ? '+' : j == prev ? '-' : ' ';
}

static const char *state_text(struct job *j, char *buf, size_t n)
{
	if (any_stopped(j))
		return "Stopped";
	if (!all_done(j))
		return "Running";
	int ws = j->ws[j->nproc - 1];
	if (WIFSIGNALED(ws))
		return signal_message(WTERMSIG(ws));
	if (WEXITSTATUS(ws)) {
		snprintf(buf, n, "Exit %d", WEXITSTATUS(ws));
		return buf;
	}
	return "Done";
}

static void print_job(struct job *j, int with_pid)
{
	char buf[32];

	if (with_pid)
		printf("[%d]%c %d %-22s %s\n", j->id, current_mark(j), (int)j->pgid,
		       state_text(j, buf, sizeof buf), j->text);
	else
		printf("[%d]%c  %-22s %s\n", j->id, current_mark(j),
		       state_text(j, buf, sizeof buf), j->text);
}

void job_notify(void)
{
	job_reap();
	for (struct job *j = jobs, *next; j; j = next) {
		next = j->next;
		if (all_done(j)) {
			if (sh.interactive) {
				print_job(j, 0);
				fflush(stdout);
			}
			if (sh.interactive)
				job_free(j);
		} else if (any_stopped(j) && !j->reported_stop) {
			j->reported_stop = 1;
			if (sh.interactive) {
				print_job(j, 0);
				fflush(stdout);
			}
		}
	}
}

/* Report a foreground child killed by a signal, like dash. */
static void report_signal(struct job *j)
{
	for (int i = 0; i < j->nproc; i++) {
		int ws = j->ws[i];
		if (!WIFSIGNALED(ws))
			continue;
		int sig = WTERMSIG(ws);
		if (sig == SIGINT) {
			if (i == j->nproc - 1 && sh.interactive) {
				fputc('\n', stderr);
				got_sigint = 1; /* ^C also ends the loop around it */
			}
			continue;
		}
		if (sig == SIGPIPE && i != j->nproc - 1)
			continue;
		fprintf(stderr, "%s%s\n", signal_message(sig),
			WCOREDUMP(ws) ? " (core dumped)" : "");
		break;
	}
}

/* Wait for a foreground job: until it ends or stops. */
int job_wait_fg(struct job *j)
{
	int st;

	if (sh.jobctl && j->pgid)
		tcsetpgrp(sh.tty_fd, j->pgid);
	while (!all_done(j) && !any_stopped(j)) {
		int ws;
		pid_t pid = waitpid(-1, &ws, sh.jobctl ? WUNTRACED : 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		record(pid, ws, j);
	}
	if (sh.jobctl) {
		tcsetpgrp(sh.tty_fd, sh.pgid);
	}
	if (any_stopped(j)) {
		j->bg = 1;
		job_list_add(j);
		j->reported_stop = 1;
		fputc('\n', stdout);
		print_job(j, 0);
		fflush(stdout);
		return 128 + SIGTSTP;
	}
	report_signal(j);
	st = job_status(j);
	job_free(j);
	trap_run_pending();
	return st;
}

void job_started_bg(struct job *j)
{
	job_list_add(j);
	if (sh.interactive) {
		fprintf(stderr, "[%d] %d\n", j->id, (int)j->pids[j->nproc - 1]);
	}
	/* a script that starts many jobs and never waits: forget old ones */
	int n = 0;
	for (struct job *k = jobs; k; k = k->next)
		n++;
	if (n > 200) {
		job_reap();
		for (struct job *k = jobs, *next; k && n > 100; k = next) {
			next = k->next;
			if (all_done(k)) {
				job_free(k);
				n--;
			}
		}
	}
}

/* %N, %+, %%, %-, %string, or a pid. */
static struct job *find_job(const char *spec, int quiet)
{
	struct job *last = NULL, *prev = NULL;

	for (struct job *k = jobs; k; k = k->next) {
		prev = last;
		last = k;
	}
	if (!spec || !strcmp(spec, "%") || !strcmp(spec, "%%") || !strcmp(spec, "%+")) {
		if (!last && !quiet)
			sh_error("no current job");
		return last;
	}
	if (!strcmp(spec, "%-")) {
		if (!prev && !quiet)
			sh_error("no previous job");
		return prev;
	}
	if (spec[0] == '%') {
		char *end;
		long id = strtol(spec + 1, &end, 10);
		for (struct job *k = jobs; k; k = k->next) {
			if (!*end && end != spec + 1 && k->id == id)
				return k;
			if (*end && !strncmp(k->text, spec + 1, strlen(spec + 1)))
				return k;
		}
		if (!quiet)
			sh_error("%s: no such job", spec);
		return NULL;
	}
	pid_t pid = atoi(spec);
	int i;
	struct job *j = find_pid(pid, &i, NULL);
	if (!j && !quiet)
		sh_error("%s: no such job", spec);
	return j;
}

int bi_jobs(int argc, char **argv)
{
	int with_pid = argc > 1 && !strcmp(argv[1], "-l");
	int only_pid = argc > 1 && !strcmp(argv[1], "-p");

	job_reap();
	for (struct job *j = jobs, *next; j; j = next) {
		next = j->next;
		if (only_pid)
			printf("%d\n", (int)j->pgid);
		else
			print_job(j, with_pid);
		if (all_done(j))
			job_free(j);
	}
	return 0;
}

static void continue_job(struct job *j)
{
	for (int i = 0; i < j->nproc; i++)
		if (j->state[i] == P_STOPPED)
			j->state[i] = P_RUNNING;
	j->reported_stop = 0;
	if (sh.jobctl)
		kill(-j->pgid, SIGCONT);
	else
		for (int i = 0; i < j->nproc; i++)
			kill(j->pids[i], SIGCONT);
}

int bi_fg(int argc, char **argv)
{
	struct job *j = find_job(argc > 1 ? argv[1] : NULL, 0);

	if (!j)
		return 1;
	if (!sh.jobctl) {
		sh_error("fg: no job control");
		return 1;
	}
	printf("%s\n", j->text);
	fflush(stdout);
	j->bg = 0;
	tcsetpgrp(sh.tty_fd, j->pgid);
	continue_job(j);
	/* job_wait_fg frees it when it ends; keep the list consistent */
	for (struct job **p = &jobs; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
	j->listed = 0;
	int id = j->id;
	int st = job_wait_fg(j);
	(void)id;
	return st;
}

int bi_bg(int argc, char **argv)
{
	struct job *j = find_job(argc > 1 ? argv[1] : NULL, 0);

	if (!j)
		return 1;
	j->bg = 1;
	continue_job(j);
	printf("[%d]%c %s &\n", j->id, current_mark(j), j->text);
	return 0;
}

int job_kill_spec(const char *spec, int sig)
{
	struct job *j = find_job(spec, 0);

	if (!j)
		return 1;
	int r = sh.jobctl && j->pgid ? kill(-j->pgid, sig) : kill(j->pids[0], sig);
	if (r < 0) {
		sh_error("kill: %s: %s", spec, strerror(errno));
		return 1;
	}
	if (any_stopped(j) && sig != SIGCONT && sig != SIGSTOP &&
	    sig != SIGTSTP)
		continue_job(j);
	return 0;
}

/* wait [pid|%job...] */
int bi_wait(int argc, char **argv)
{
	int st = 0;

	got_sigint = 0;
	if (argc < 2) {
		for (;;) {
			int busy = 0;
			for (struct job *j = jobs; j; j = j->next)
				if (!all_done(j) && !any_stopped(j))
					busy = 1;
			if (!busy)
				break;
			int ws;
			pid_t pid = waitpid(-1, &ws, 0);
			if (pid < 0 && errno == EINTR) {
				if (trap_pending || got_sigint)
					return 128 + SIGINT;
				continue;
			}
			if (pid < 0)
				break;
			record(pid, ws, NULL);
		}
		for (struct job *j = jobs, *next; j; j = next) {
			next = j->next;
			if (all_done(j))
				job_free(j);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct job *j = find_job(argv[i], 1);
		if (!j) {
			st = 127;
			continue;
		}
		while (!all_done(j)) {
			int ws;
			pid_t pid = waitpid(-1, &ws, 0);
			if (pid < 0 && errno == EINTR) {
				if (trap_pending || got_sigint)
					return 128 + SIGINT;
				continue;
			}
			if (pid < 0)
				break;
			record(pid, ws, NULL);
		}
		st = job_status(j);
		job_free(j);
	}
	return st;
}
