/*
 * user/coreutils/clear.c - clear [-x]: clear the terminal.
 *
 * There is no terminfo database, and every terminal RayOS talks to (its
 * own framebuffer console, a serial line to an xterm-like emulator)
 * understands the ANSI sequences, so clear writes what ncurses' clear
 * sends for xterm: cursor home, erase the screen and (unless -x) the
 * scrollback. TERM=dumb has no such sequences: nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int scrollback = 1, opt;
	while ((opt = getopt(argc, argv, "x")) != -1) {
		if (opt != 'x') {
			fprintf(stderr, "usage: clear [-x]\n");
			return 2;
		}
		scrollback = 0;
	}
	if (optind < argc) {
		fprintf(stderr, "usage: clear [-x]\n");
		return 2;
	}
	const char *term = getenv("TERM");
	if (term && !strcmp(term, "dumb"))
		return 0;
	fputs(scrollback ? "\033[H\033[2J\033[3J" : "\033[H\033[2J", stdout);
	return fflush(stdout) ? 1 : 0;
}
