/*
 * user/init/shutdown.c - bringing the system down, as busybox init does:
 * announce it, SIGTERM every process, give them up to two seconds to exit
 * (reaping as they go), SIGKILL whatever is left, sync, then reboot(2).
 *
 * In --test mode (on a host, not PID 1) kill(-1, ...) would hit every
 * process of the user, so only the shell's process group is signalled and
 * init exits instead of calling reboot(2).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#define GRACE_MS 2000

static void kill_all(int sig, pid_t shell)
{
	if (!init_test_mode)
		kill(-1, sig);
	else if (shell > 0)
		kill(-shell, sig); /* the shell leads its own session and group */
}

/* Reap children for up to ms milliseconds; return 1 if none is left. */
static int reap_for(int ms)
{
	for (int waited = 0;; waited += 20) {
		pid_t pid;
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if (pid < 0 && errno == ECHILD)
			return 1;
		if (waited >= ms)
			return 0;
		nanosleep(&ts, NULL);
	}
}

void shutdown_system(int action, pid_t shell)
{
	const char *what = action == SHUTDOWN_REBOOT ? "reboot"
			 : action == SHUTDOWN_POWEROFF ? "power off" : "halt";
	int cmd = action == SHUTDOWN_REBOOT ? RB_AUTOBOOT
		: action == SHUTDOWN_POWEROFF ? RB_POWER_OFF : RB_HALT_SYSTEM;

	/* From here on no further request changes anything. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);

	printf("init: the system is going down for %s\n", what);
	fflush(stdout);
	kill_all(SIGTERM, shell);
	kill_all(SIGCONT, shell);
	if (!reap_for(GRACE_MS)) {
		printf("init: sending SIGKILL to the remaining processes\n");
		fflush(stdout);
		kill_all(SIGKILL, shell);
		reap_for(GRACE_MS);
	}
	sync();
	if (init_test_mode) {
		printf("init: (test mode) would %s now\n", what);
		exit(0);
	}
	reboot(cmd);
	/* Only reached if reboot(2) failed: nothing else to do but wait. */
	perror("init: reboot");
	for (;;)
		pause();
}
