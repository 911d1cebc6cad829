/*
 * tests/abi/abi-ofdlocks.c - open file description locks, fcntl
 * F_OFD_GETLK/F_OFD_SETLK/F_OFD_SETLKW (see tests/abi/README.md): owned by
 * the description, so two opens in one process conflict and dup/fork
 * share; l_pid must be 0 and reads back -1; they conflict with the same
 * process's POSIX locks; closing a duplicate keeps them, closing the last
 * reference drops them; ranges split; a blocked F_OFD_SETLKW.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define F "/tmp/abi-ofdlocks.f"
#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif

static int lk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &fl);
}

static void getlk(const char *label, int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	int r = fcntl(fd, cmd, &fl);
	if (r < 0)
		printf("%s: -1 %s\n", label, ename(errno));
	else if (fl.l_type == F_UNLCK)
		printf("%s: unlocked\n", label);
	else
		printf("%s: %s %ld+%ld pid %s\n", label, fl.l_type == F_WRLCK ? "F_WRLCK" : "F_RDLCK",
		       (long)fl.l_start, (long)fl.l_len,
		       fl.l_pid == -1 ? "-1" : fl.l_pid == getpid() ? "self" : fl.l_pid > 0 ? "other" : "0");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	unlink(F);
	int a = open(F, O_CREAT | O_RDWR, 0644);
	int b = open(F, O_RDWR);
	struct flock bad = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_pid = 1 };
	R("l_pid not 0", fcntl(a, F_OFD_SETLK, &bad));
	R("l_pid not 0 for F_OFD_GETLK", fcntl(a, F_OFD_GETLK, &bad));
	R("bad type", lk(a, F_OFD_SETLK, 7, 0, 10));
	R("write lock on a", lk(a, F_OFD_SETLK, F_WRLCK, 0, 100));
	R("again on a", lk(a, F_OFD_SETLK, F_WRLCK, 0, 100));
	R("write lock on b, same process", lk(b, F_OFD_SETLK, F_WRLCK, 50, 10));
	R("read lock on b", lk(b, F_OFD_SETLK, F_RDLCK, 0, 1));
	R("past a's range on b", lk(b, F_OFD_SETLK, F_WRLCK, 100, 10));
	getlk("F_OFD_GETLK from b", b, F_OFD_GETLK, F_RDLCK, 0, 0);
	getlk("F_OFD_GETLK from a", a, F_OFD_GETLK, F_WRLCK, 0, 0);
	getlk("POSIX F_GETLK sees it", a, F_GETLK, F_WRLCK, 0, 0);
	R("POSIX F_SETLK conflicts", lk(a, F_SETLK, F_WRLCK, 10, 1));
	R("POSIX lock elsewhere", lk(a, F_SETLK, F_WRLCK, 200, 10));
	getlk("F_OFD_GETLK sees the POSIX lock", b, F_OFD_GETLK, F_WRLCK, 150, 0);
	R("b conflicts with the POSIX lock", lk(b, F_OFD_SETLK, F_WRLCK, 205, 1));
	R("POSIX unlock", lk(a, F_SETLK, F_UNLCK, 200, 10));

	int c = dup(a);
	R("through a duplicate: same owner", lk(c, F_OFD_SETLK, F_WRLCK, 0, 100));
	close(c);
	R("closing the duplicate keeps it", lk(b, F_OFD_SETLK, F_WRLCK, 0, 1));
	R("unlock the middle", lk(a, F_OFD_SETLK, F_UNLCK, 20, 10));
	getlk("first range", b, F_OFD_GETLK, F_WRLCK, 0, 0);
	getlk("second range", b, F_OFD_GETLK, F_WRLCK, 20, 0);
	R("the hole is free for b", lk(b, F_OFD_SETLK, F_WRLCK, 20, 10));
	R("b unlocks it", lk(b, F_OFD_SETLK, F_UNLCK, 20, 10));

	pid_t pid = fork();
	if (pid == 0) {
		printf("child: same description: %d\n", lk(a, F_OFD_SETLK, F_WRLCK, 0, 10));
		errno = 0;
		int r = lk(a, F_SETLK, F_WRLCK, 0, 10);
		printf("child: POSIX lock on it: %d %s\n", r, r < 0 ? ename(errno) : "0");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	R("after the child exits, still held", lk(b, F_OFD_SETLK, F_WRLCK, 0, 1));
	close(a);
	R("after the last close, free", lk(b, F_OFD_SETLK, F_WRLCK, 0, 100));

	/* a blocked F_OFD_SETLKW: another description waits for b */
	int p[2];
	pipe(p);
	pid = fork();
	if (pid == 0) {
		int d = open(F, O_RDWR);
		close(p[0]);
		errno = 0;
		int r = lk(d, F_OFD_SETLK, F_WRLCK, 0, 1);
		printf("child: F_OFD_SETLK: %d %s\n", r, r < 0 ? ename(errno) : "0");
		write(p[1], "w", 1);
		r = lk(d, F_OFD_SETLKW, F_WRLCK, 0, 1);
		printf("child: F_OFD_SETLKW after the unlock: %d\n", r);
		_exit(0);
	}
	close(p[1]);
	char ch;
	read(p[0], &ch, 1);
	usleep(200000);
	int un = lk(b, F_OFD_SETLK, F_UNLCK, 0, 0);
	int st;
	waitpid(pid, &st, 0); /* then print: the child prints when it wakes */
	printf("unlock: %d\n", un);
	CHECK("child exited 0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
	close(b);
	unlink(F);
	printf("DONE\n");
	return 0;
}
