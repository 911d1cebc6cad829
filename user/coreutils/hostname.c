/*
 * user/coreutils/hostname.c - hostname [NAME]: print the host name (from
 * uname), or set it to NAME with sethostname(2) (root only).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: hostname [NAME]\n");
		return 2;
	}
	if (argc == 2) {
		if (sethostname(argv[1], strlen(argv[1])) < 0) {
			fprintf(stderr, "hostname: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	struct utsname u;
	if (uname(&u) < 0) {
		fprintf(stderr, "hostname: %s\n", strerror(errno));
		return 1;
	}
	puts(u.nodename);
	return fflush(stdout) ? 1 : 0;
}
