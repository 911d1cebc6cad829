/*
 * user/coreutils/uname.c - uname [-asnrvm]: print system information from
 * uname(2), fields in the fixed order s n r v m like GNU uname (-a prints
 * all five; no option means -s).
 */
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

enum { F_S = 1, F_N = 2, F_R = 4, F_V = 8, F_M = 16, F_ALL = 31 };

int main(int argc, char **argv)
{
	struct utsname u;
	int fields = 0, opt, first = 1;

	while ((opt = getopt(argc, argv, "asnrvm")) != -1) {
		switch (opt) {
		case 'a': fields |= F_ALL; break;
		case 's': fields |= F_S; break;
		case 'n': fields |= F_N; break;
		case 'r': fields |= F_R; break;
		case 'v': fields |= F_V; break;
		case 'm': fields |= F_M; break;
		default:
			fprintf(stderr, "usage: uname [-asnrvm]\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "uname: extra operand '%s'\nusage: uname [-asnrvm]\n",
			argv[optind]);
		return 2;
	}
	if (!fields)
		fields = F_S;
	if (uname(&u) < 0) {
		perror("uname");
		return 1;
	}
	const char *val[] = { u.sysname, u.nodename, u.release, u.version, u.machine };
	for (int i = 0; i < 5; i++) {
		if (!(fields & (1 << i)))
			continue;
		printf("%s%s", first ? "" : " ", val[i]);
		first = 0;
	}
	putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
