/*
 * user/coreutils/whoami.c - whoami: print the name of the effective user
 * (from /etc/passwd), or fail with "cannot find name for user ID N".
 */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: whoami\n");
		return 2;
	}
	uid_t u = geteuid();
	struct passwd *pw = getpwuid(u);
	if (!pw) {
		fprintf(stderr, "whoami: cannot find name for user ID %u\n", (unsigned)u);
		return 1;
	}
	puts(pw->pw_name);
	return fflush(stdout) ? 1 : 0;
}
