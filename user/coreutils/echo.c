/*
 * user/coreutils/echo.c - echo [-neE] [string...]: print the arguments
 * separated by spaces. -n: no trailing newline. -e: interpret \n \t \r \a
 * \b \e \\ \c (stop output) \0NNN (octal); -E (default): do not.
 * The shell has the same command built in; both use user/lib/echo.c
 * (linked in by user/build.mk). This one is for execve callers.
 */
#include <stdio.h>

#include "echo.h"

int main(int argc, char **argv)
{
	echo_main(argc, argv);
	return fflush(stdout) ? 1 : 0;
}
