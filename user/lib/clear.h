/*
 * user/lib/clear.h - code shared by /bin/sh's built-in clear and
 * /bin/clear (user/lib/clear.c), so both write the same bytes.
 */
#ifndef RAYOS_USER_LIB_CLEAR_H
#define RAYOS_USER_LIB_CLEAR_H

/* clear [-x] for a terminal of type term (NULL: unknown): returns 0, 1 on
 * a write error, 2 (after "usage:") on a bad option. Flushes stdout.
 * The shell passes its own TERM, which a prefix assignment may have set
 * without touching the environment. */
int clear_main(int argc, char **argv, const char *term);

#endif
