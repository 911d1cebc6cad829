/*
 * user/lib/clear.c - clear [-x]: clear the terminal.
 *
 * There is no terminfo database, and every terminal RayOS talks to (its
 * own framebuffer console, a serial line to an xterm-like emulator)
 * understands the ANSI sequences, so clear writes what ncurses' clear
 * sends for xterm: cursor home, erase the screen and (unless -x) the
 * scrollback. TERM=dumb has no such sequences: nothing is written.
 * Options are parsed by hand (no getopt) because the shell calls this
 * as a built-in and getopt's state is global.
 */
#include <stdio.h>
#include <string.h>

#include "clear.h"

int clear_main(int argc, char **argv, const char *term)
{
	int scrollback = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-x")) {
			scrollback = 0;
		} else if (!strcmp(argv[i], "--") && i == argc - 1) {
			break;
		} else {
			fprintf(stderr, "usage: clear [-x]\n");
			return 2;
		}
	}
	if (term && !strcmp(term, "dumb"))
		return 0;
	fputs(scrollback ? "\033[H\033[2J\033[3J" : "\033[H\033[2J", stdout);
	return fflush(stdout) ? 1 : 0;
}
