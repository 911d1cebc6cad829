/*
 * user/init/init.h - what init.c and shutdown.c share.
 */
#ifndef INIT_H
#define INIT_H

#include <sys/types.h>

enum { SHUTDOWN_REBOOT = 1, SHUTDOWN_POWEROFF, SHUTDOWN_HALT };

extern int init_test_mode; /* --test: running on a host, not as PID 1 */

/* Stop every process and reboot, power off or halt. Never returns. */
void shutdown_system(int action, pid_t shell) __attribute__((noreturn));

#endif
