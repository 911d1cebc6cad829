/*
 * user/tests/t-segv.c - t-segv: write through a NULL pointer. The kernel
 * must kill this process with SIGSEGV (status 139 in the shell, which
 * prints "Segmentation fault") and everything else must carry on.
 * Exit status 1 means the write did NOT fault - a kernel bug.
 */
#include <stdio.h>

int main(void)
{
	volatile int *p = NULL;

	printf("t-segv: writing to address 0\n");
	fflush(stdout);
	*p = 42;
	printf("FAIL: the write to address 0 did not fault\n");
	return 1;
}
