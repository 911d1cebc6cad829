/*
 * user/tests/t-tty.c - the console in raw mode. `t-tty` prints the window
 * size (TIOCGWINSZ) and its foreground process group (TIOCGPGRP), switches
 * the terminal to raw mode with TCSETS (tcsetattr), prints "ready", reads
 * single keys without waiting for Enter and prints each as "key XX" (hex)
 * until it reads 'q', then restores the old mode (TCSETSW) and prints PASS
 * if the restored settings read back equal.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
	struct winsize ws;
	if (ioctl(0, TIOCGWINSZ, &ws)) {
		perror("t-tty: TIOCGWINSZ");
		return 1;
	}
	printf("winsize %ux%u, foreground group %d, my group %d\n", ws.ws_col, ws.ws_row,
	       (int)tcgetpgrp(0), (int)getpgrp());
	struct termios old, raw;
	if (tcgetattr(0, &old)) {
		perror("t-tty: tcgetattr");
		return 1;
	}
	raw = old;
	cfmakeraw(&raw);
	raw.c_oflag |= OPOST | ONLCR; /* keep "\n" readable in the output */
	if (tcsetattr(0, TCSANOW, &raw)) {
		perror("t-tty: tcsetattr");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	char c;
	int keys = 0;
	while (read(0, &c, 1) == 1) {
		printf("key %02x\n", (unsigned char)c);
		fflush(stdout);
		keys++;
		if (c == 'q')
			break;
	}
	tcsetattr(0, TCSADRAIN, &old);
	struct termios back;
	tcgetattr(0, &back);
	int ok = keys > 0 && back.c_lflag == old.c_lflag && back.c_iflag == old.c_iflag &&
	         !memcmp(back.c_cc, old.c_cc, sizeof(old.c_cc));
	puts(ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
