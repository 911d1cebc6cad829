/*
 * user/coreutils/dmesg.c - dmesg [-r] [-c | -C] [-n LEVEL]: print or
 * clear the kernel log with syslog(2) (klogctl).
 *
 * The log is read whole (SYSLOG_ACTION_READ_ALL, or READ_CLEAR for -c,
 * which reads and clears in one step so no line is lost in between);
 * the kernel keeps lines as "<L>[ seconds.micros] text", and dmesg drops
 * the "<L>" level prefix unless -r (raw). -C only clears (CLEAR): later
 * reads start after that point. -n sets the level of messages that reach
 * the console (CONSOLE_LEVEL). Errors read like util-linux's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_BUFFER 10

static void usage(void)
{
	fprintf(stderr, "usage: dmesg [-r] [-c | -C] [-n LEVEL]\n");
	exit(2);
}

static void print_log(const char *buf, int raw)
{
	for (const char *p = buf; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *s = p;
		if (!raw && s[0] == '<') {
			const char *gt = memchr(s, '>', len);
			if (gt && gt - s <= 4) {
				len -= (size_t)(gt + 1 - s);
				s = gt + 1;
			}
		}
		fwrite(s, 1, len, stdout);
		putchar('\n');
		p = nl ? nl + 1 : p + len;
	}
}

int main(int argc, char **argv)
{
	int opt, raw = 0, clear = 0, print = 1, level = 0;
	while ((opt = getopt(argc, argv, "rcCn:")) != -1) {
		switch (opt) {
		case 'r': raw = 1; break;
		case 'c': clear = 1; break;
		case 'C': clear = 1; print = 0; break;
		case 'n': {
			char *end;
			level = (int)strtol(optarg, &end, 10);
			if (*end || level < 1 || level > 8) {
				fprintf(stderr, "dmesg: unknown level '%s'\n", optarg);
				return 2;
			}
			print = 0;
			break;
		}
		default:
			usage();
		}
	}
	if (optind < argc)
		usage();
	if (level) {
		if (klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, level) < 0) {
			fprintf(stderr, "dmesg: klogctl failed: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	if (!print) {
		if (klogctl(SYSLOG_ACTION_CLEAR, NULL, 0) < 0) {
			fprintf(stderr, "dmesg: clear kernel buffer failed: %s\n",
			        strerror(errno));
			return 1;
		}
		return 0;
	}
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (size <= 0)
		size = 1 << 16;
	char *buf = malloc((size_t)size + 1);
	if (!buf) {
		fprintf(stderr, "dmesg: out of memory\n");
		return 1;
	}
	int n = klogctl(clear ? SYSLOG_ACTION_READ_CLEAR : SYSLOG_ACTION_READ_ALL,
	                buf, size);
	if (n < 0) {
		fprintf(stderr, "dmesg: read kernel buffer failed: %s\n",
		        strerror(errno));
		return 1;
	}
	buf[n] = 0;
	print_log(buf, raw);
	return fflush(stdout) ? 1 : 0;
}
