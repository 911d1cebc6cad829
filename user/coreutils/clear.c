/*
 * user/coreutils/clear.c - /bin/clear; the work is in user/lib/clear.c,
 * shared with the shell's built-in.
 */
#include <stdlib.h>

#include "clear.h"

int main(int argc, char **argv)
{
	return clear_main(argc, argv, getenv("TERM"));
}
