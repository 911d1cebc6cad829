/*
 * user/lib/echo.h - code shared by /bin/sh's built-in echo and /bin/echo
 * (user/lib/echo.c).
 */
#ifndef RAYOS_USER_LIB_ECHO_H
#define RAYOS_USER_LIB_ECHO_H

/* echo [-neE] [string...] to stdout (not flushed); returns 0. */
int echo_main(int argc, char **argv);

#endif
