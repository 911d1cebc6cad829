/*
 * user/tests/t-nosys.c - a system call RayOS does not implement must fail
 * with ENOSYS every time (the kernel logs its name once; the integration
 * test checks the log). fanotify_init is one nobody here needs.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	int ok = 1;
	for (int i = 0; i < 3; i++) {
		errno = 0;
		long r = syscall(SYS_fanotify_init, 0, 0);
		if (r != -1 || errno != ENOSYS) {
			printf("call %d: returned %ld, errno %d\n", i, r, errno);
			ok = 0;
		}
	}
	/* A number beyond the table too. */
	errno = 0;
	if (syscall(1000) != -1 || errno != ENOSYS) {
		puts("syscall 1000 did not fail with ENOSYS");
		ok = 0;
	}
	puts(ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
