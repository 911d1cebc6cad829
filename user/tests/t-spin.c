/*
 * user/tests/t-spin.c - t-spin: loop forever without a system call, to
 * test that ^C (SIGINT delivered on return from a timer interrupt) and
 * preemption work on a process that never enters the kernel by itself.
 */
#include <stdio.h>

int main(void)
{
	volatile unsigned long n = 0;

	printf("t-spin: spinning; stop me with ^C\n");
	fflush(stdout);
	for (;;)
		n++;
}
