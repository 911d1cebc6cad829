/*
 * user/coreutils/poweroff.c - poweroff [-f] / reboot [-f] (one source; the
 * command name picks the action, so reboot.c just includes this file).
 *
 * Without -f: ask init (process 1) to do it, as busybox does - SIGUSR2 for
 * power off, SIGTERM for reboot - and init stops every process cleanly.
 * With -f: sync and call reboot(2) at once, without asking init.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#ifndef RAYOS_REBOOT
#define NAME "poweroff"
#define SIG SIGUSR2
#define CMD RB_POWER_OFF
#else
#define NAME "reboot"
#define SIG SIGTERM
#define CMD RB_AUTOBOOT
#endif

int main(int argc, char **argv)
{
	int force = 0, opt;

	while ((opt = getopt(argc, argv, "f")) != -1) {
		if (opt != 'f') {
			fprintf(stderr, "usage: " NAME " [-f]\n");
			return 2;
		}
		force = 1;
	}
	if (optind < argc) {
		fprintf(stderr, "usage: " NAME " [-f]\n");
		return 2;
	}
	if (force) {
		sync();
		reboot(CMD);
		fprintf(stderr, NAME ": %s\n", strerror(errno));
		return 1;
	}
	if (kill(1, SIG) < 0) {
		fprintf(stderr, NAME ": cannot signal init: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
