/*
 * user/tests/t-fork.c - t-fork [N]: fork N children (default 200), child i
 * exiting at once with status i & 0xff, then reap them all with
 * waitpid(-1) and check every pid comes back exactly once with its own
 * status. Prints "forked N, reaped N" and PASS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = 200;
	int forked = 0, reaped = 0, bad = 0;
	pid_t *pids;

	if (argc > 2 || (argc == 2 && (n = strtol(argv[1], NULL, 10)) <= 0)) {
		fprintf(stderr, "usage: t-fork [N]\n");
		return 2;
	}
	pids = calloc(n, sizeof *pids);
	if (!pids)
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			printf("FAIL: fork #%d: %s\n", i, strerror(errno));
			break;
		}
		if (pid == 0)
			_exit(i & 0xff);
		pids[i] = pid;
		forked++;
	}
	for (;;) {
		int st;
		pid_t pid = waitpid(-1, &st, 0);
		int i;

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				printf("FAIL: waitpid: %s\n", strerror(errno));
			break;
		}
		for (i = 0; i < forked && pids[i] != pid; i++)
			;
		if (i == forked) {
			printf("FAIL: waitpid returned unknown or repeated pid %d\n", (int)pid);
			bad++;
			continue;
		}
		pids[i] = 0;
		reaped++;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != (i & 0xff)) {
			printf("FAIL: child %d (pid %d): status %#x, expected exit %d\n",
			       i, (int)pid, st, i & 0xff);
			bad++;
		}
	}
	printf("forked %d, reaped %d\n", forked, reaped);
	if (forked != n || reaped != forked || bad) {
		printf("FAIL\n");
		return 1;
	}
	printf("PASS\n");
	return 0;
}
