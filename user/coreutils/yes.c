/*
 * user/coreutils/yes.c - yes [string...]: print the arguments joined by
 * spaces (or "y") and a newline, over and over, until the write fails
 * (e.g. EPIPE when the reader goes away). No options.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[8192];
	size_t len = 0, fill;

	if (argc < 2) {
		strcpy(buf, "y\n");
		len = 2;
	} else {
		for (int i = 1; i < argc; i++) {
			size_t n = strlen(argv[i]);
			if (len + n + 1 > sizeof buf / 2)
				n = sizeof buf / 2 - len - 1;
			memcpy(buf + len, argv[i], n);
			len += n;
			buf[len++] = i + 1 < argc ? ' ' : '\n';
			if (len + 1 >= sizeof buf / 2)
				break;
		}
	}
	/* Fill the buffer with whole copies so each write is large. */
	for (fill = len; fill + len <= sizeof buf; fill += len)
		memcpy(buf + fill, buf, len);
	for (;;) {
		ssize_t w = write(1, buf, fill);
		if (w < 0 && errno != EINTR)
			return 1;
	}
}
