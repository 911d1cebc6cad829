/*
 * user/sh/job.c - process groups, the terminal, and waiting for children.
 *
 * With job control on (an interactive shell on a terminal), every pipeline
 * runs in its own process group. A foreground pipeline's group is made the
 * terminal's foreground group, so ^C (SIGINT from the tty) goes to it and
 * not to the shell; when it is done the shell takes the terminal back. The
 * shell ignores SIGTTOU so that tcsetpgrp from the background is allowed.
 * Both parent and child call setpgid/tcsetpgrp, so whichever runs first
 * wins the race and neither depends on the other.
 *
 * Background jobs are remembered in a small table and reaped without
 * blocking before each prompt ("[1] Done  cmd"). Stopping jobs (^Z) and
 * fg/bg are not supported yet: children inherit SIGTSTP ignored.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

#define MAX_JOBS 32

static struct job {
	pid_t pid;
	int id;
	char what[64];
} jobs[MAX_JOBS];

void job_take_terminal(pid_t pgid)
{
	if (sh.jobctl)
		tcsetpgrp(sh.tty_fd, pgid);
}

/* In a child just forked to run part of a pipeline. pgid 0: lead a new
 * group. Resets what the interactive shell ignores or catches. */
void job_child_setup(pid_t pgid, int foreground)
{
	if (sh.jobctl) {
		pid_t me = getpid();

		setpgid(0, pgid ? pgid : me);
		if (foreground)
			tcsetpgrp(sh.tty_fd, pgid ? pgid : me);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
	}
	signal(SIGINT, foreground || sh.jobctl ? SIG_DFL : SIG_IGN);
	signal(SIGQUIT, foreground || sh.jobctl ? SIG_DFL : SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}

/* Like dash: the message printed when a child was killed by a signal. */
static const char *signal_message(int sig)
{
	static char other[32];

	switch (sig) {
	case SIGHUP: return "Hangup";
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
	case SIGALRM: return "Alarm clock";
	case SIGTERM: return "Terminated";
	case SIGSTKFLT: return "Stack fault";
	case SIGXCPU: return "CPU time limit exceeded";
	case SIGXFSZ: return "File size limit exceeded";
	case SIGVTALRM: return "Virtual timer expired";
	case SIGPROF: return "Profiling timer expired";
	case SIGIO: return "I/O possible";
	case SIGPWR: return "Power failure";
	case SIGSYS: return "Bad system call";
	default:
		snprintf(other, sizeof other, "Signal %d", sig);
		return other;
	}
}

/* Turn a wait status into $?; with report, say how a killed child died. */
int status_of(int wstatus, int report)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);

		if (report && sig == SIGINT && sh.interactive)
			fputc('\n', stderr);
		else if (report && sig != SIGINT && sig != SIGPIPE)
			fprintf(stderr, "%s%s\n", signal_message(sig),
				WCOREDUMP(wstatus) ? " (core dumped)" : "");
		return 128 + sig;
	}
	return 1;
}

/* A background child has ended: forget it, and maybe say so. */
static void job_done(pid_t pid, int ws, int report)
{
	for (int j = 0; j < MAX_JOBS; j++) {
		if (jobs[j].pid != pid)
			continue;
		jobs[j].pid = 0;
		if (!report)
			continue;
		if (WIFSIGNALED(ws))
			fprintf(stderr, "[%d] %s  %s\n", jobs[j].id,
				signal_message(WTERMSIG(ws)), jobs[j].what);
		else if (WEXITSTATUS(ws))
			fprintf(stderr, "[%d] Exit %d  %s\n", jobs[j].id,
				WEXITSTATUS(ws), jobs[j].what);
		else
			fprintf(stderr, "[%d] Done  %s\n", jobs[j].id,
				jobs[j].what);
	}
}

/* Wait for every process of a foreground pipeline; the status is that of
 * the last one. Background children reaped meanwhile are recorded too. */
int job_wait_fg(pid_t *pids, int n)
{
	int status = 0, left = n, reported = 0;

	while (left > 0) {
		int ws;
		pid_t pid = waitpid(-1, &ws, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: nothing left to wait for */
		}
		for (int i = 0; i < n; i++) {
			if (pids[i] != pid)
				continue;
			pids[i] = 0;
			left--;
			int killed = WIFSIGNALED(ws) && WTERMSIG(ws) != SIGPIPE &&
				     WTERMSIG(ws) != SIGINT;
			if (i == n - 1)
				status = status_of(ws, !reported);
			else if (killed && !reported)
				status_of(ws, 1);
			if (killed)
				reported = 1;
			pid = 0;
			break;
		}
		if (pid > 0)
			job_done(pid, ws, sh.interactive);
	}
	job_take_terminal(sh.pgid);
	return status;
}

void job_add_bg(pid_t pid, const char *what)
{
	int id = 1;

	for (int j = 0; j < MAX_JOBS; j++)
		if (jobs[j].pid && jobs[j].id >= id)
			id = jobs[j].id + 1;
	for (int j = 0; j < MAX_JOBS; j++) {
		if (jobs[j].pid)
			continue;
		jobs[j].pid = pid;
		jobs[j].id = id;
		snprintf(jobs[j].what, sizeof jobs[j].what, "%s", what);
		break;
	}
	if (sh.interactive)
		fprintf(stderr, "[%d] %d\n", id, (int)pid);
}

/* Collect finished background children without blocking. */
void job_reap_bg(int report)
{
	int ws;
	pid_t pid;

	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0)
		job_done(pid, ws, report);
}

/* The `wait` built-in: block until every background job has ended. */
void job_wait_all(void)
{
	int ws;
	pid_t pid;

	sh_got_sigint = 0;
	for (;;) {
		pid = waitpid(-1, &ws, 0);
		if (pid > 0)
			job_done(pid, ws, 0);
		else if (errno != EINTR || sh_got_sigint)
			break;
	}
}
