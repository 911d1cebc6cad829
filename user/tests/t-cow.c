/*
 * user/tests/t-cow.c - fork shares memory copy-on-write: after fork the
 * child sees the parent's data, writes by either side stay private to it,
 * and a fork of a process with 8 MiB of touched memory does not copy that
 * memory (free memory barely moves until someone writes). Memory mapped
 * MAP_SHARED | MAP_ANONYMOUS, on the other hand, stays shared: what the
 * child writes there, the parent reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE (8 << 20)

static long free_kib(void)
{
	struct sysinfo si;
	sysinfo(&si);
	return (long)(si.freeram * si.mem_unit / 1024);
}

int main(void)
{
	unsigned char *buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("t-cow: mmap");
		return 1;
	}
	for (size_t i = 0; i < SIZE; i += 4096)
		buf[i] = (unsigned char)(i >> 12);
	int pfd[2];
	if (pipe(pfd))
		return 1;
	long before = free_kib();
	pid_t pid = fork();
	if (pid == 0) {
		/* Right after fork: nothing copied yet. */
		long in_child = free_kib();
		int ok = 1;
		for (size_t i = 0; i < SIZE; i += 4096)
			if (buf[i] != (unsigned char)(i >> 12))
				ok = 0;
		buf[0] = 0xee; /* one private copy */
		long drop = before - in_child;
		char msg[128];
		int n = snprintf(msg, sizeof(msg), "%d %ld\n", ok, drop);
		write(pfd[1], msg, n);
		_exit(buf[0] == 0xee ? 0 : 3);
	}
	close(pfd[1]);
	char msg[128] = { 0 };
	read(pfd[0], msg, sizeof(msg) - 1);
	int status;
	waitpid(pid, &status, 0);
	int child_ok = 0;
	long drop = -1;
	int parsed = sscanf(msg, "%d %ld", &child_ok, &drop);
	int ok = parsed == 2 && child_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (buf[0] != 0) {
		puts("parent's page was changed by the child");
		ok = 0;
	}
	buf[4096] = 0x55; /* the parent writes after the child is gone */
	printf("child saw parent's data: %s; free memory dropped by %ld KiB at fork "
	       "(the region is %d KiB)\n", child_ok ? "yes" : "no", drop, SIZE / 1024);
	/* Page tables and a new process cost something; copying would cost 8 MiB.
	 * Free memory may also grow meanwhile (other processes on a busy Linux
	 * host exit), so a negative drop is no sign of copying. */
	if (drop > SIZE / 1024 / 2) {
		puts("fork copied the memory instead of sharing it");
		ok = 0;
	}

	volatile int *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("t-cow: mmap shared");
		return 1;
	}
	shared[0] = 1;
	pid = fork();
	if (pid == 0) {
		shared[0] = 2;
		shared[1024] = 3; /* the second page too */
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("shared mapping after the child wrote: %d %d\n", shared[0], shared[1024]);
	if (shared[0] != 2 || shared[1024] != 3) {
		puts("MAP_SHARED memory was not shared with the child");
		ok = 0;
	}
	puts(ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
