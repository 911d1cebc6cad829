/*
 * tests/abi/abi-personality.c - personality(2) (see tests/abi/README.md):
 * the query 0xffffffff, PER_LINUX, setting flags and reading them back,
 * the upper half of the argument ignored, inheritance by fork and by a
 * thread, kept across exec.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static long pers(unsigned long v)
{
	return syscall(SYS_personality, v);
}

static void *thread(void *arg)
{
	(void)arg;
	printf("thread sees: %#lx\n", pers(0xffffffff));
	return NULL;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1) {
		printf("after exec: %#lx\n", pers(0xffffffff));
		return 0;
	}
	printf("query: %#lx\n", pers(0xffffffff));
	printf("PER_LINUX returns old: %#lx\n", pers(PER_LINUX));
	printf("set ADDR_NO_RANDOMIZE, old: %#lx\n", pers(PER_LINUX | ADDR_NO_RANDOMIZE));
	printf("query: %#lx\n", pers(0xffffffff));
	printf("upper half ignored: %#lx\n", pers(0x1ffffffffUL));
	printf("query: %#lx\n", pers(0xffffffff));
	pthread_t t;
	pthread_create(&t, NULL, thread, NULL);
	pthread_join(t, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child sees: %#lx\n", pers(0xffffffff));
		execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
		_exit(1);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK("child exited 0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	printf("back to PER_LINUX, old: %#lx\n", pers(PER_LINUX));
	printf("query: %#lx\n", pers(0xffffffff));
	printf("DONE\n");
	return 0;
}
