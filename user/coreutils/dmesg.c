/*
 * user/coreutils/dmesg.c - dmesg [-r] [-c | -C]: print the kernel log,
 * read whole with syslog(2) (klogctl SYSLOG_ACTION_READ_ALL). The kernel
 * keeps lines as "<L>[ seconds.micros] text"; dmesg drops the "<L>" level
 * prefix unless -r (raw). -c prints then clears the log, -C only clears.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int opt, raw = 0, clear = 0, print = 1;
	while ((opt = getopt(argc, argv, "rcC")) != -1) {
		switch (opt) {
		case 'r': raw = 1; break;
		case 'c': clear = 1; break;
		case 'C': clear = 1; print = 0; break;
		default:
			fprintf(stderr, "usage: dmesg [-r] [-c | -C]\n");
			return 2;
		}
	}
	if (print) {
		int size = klogctl(10, NULL, 0);   /* SIZE_BUFFER */
		if (size <= 0)
			size = 1 << 16;
		char *buf = malloc((size_t)size + 1);
		if (!buf) {
			fprintf(stderr, "dmesg: out of memory\n");
			return 1;
		}
		int n = klogctl(3, buf, size);     /* READ_ALL */
		if (n < 0) {
			perror("dmesg: syslog");
			return 1;
		}
		buf[n] = 0;
		for (char *p = buf; *p;) {
			char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char *s = p;
			if (!raw && s[0] == '<') {
				char *gt = memchr(s, '>', len);
				if (gt && gt - s <= 4) {
					len -= (size_t)(gt + 1 - s);
					s = gt + 1;
				}
			}
			fwrite(s, 1, len, stdout);
			putchar('\n');
			p = nl ? nl + 1 : p + strlen(p);
		}
	}
	if (clear && klogctl(5, NULL, 0) < 0) {  /* CLEAR */
		perror("dmesg: syslog");
		return 1;
	}
	return 0;
}
