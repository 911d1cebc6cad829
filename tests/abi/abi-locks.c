/*
 * tests/abi/abi-locks.c - advisory locks and a few descriptor ioctls (see
 * tests/abi/README.md): fcntl F_GETLK/F_SETLK/F_SETLKW record locks
 * between processes (ranges, splitting, merging, EOF-relative, conflicts,
 * release on close and on exit, EDEADLK), flock (shared, exclusive,
 * LOCK_NB, conversion, release on close), FIONREAD and FIONBIO.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static const char *path = "/tmp/abi-locks.dat";

static int lk(int fd, int cmd, int type, int whence, long start, long len)
{
	struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &fl);
}

/* What F_GETLK says about [start, start+len) for a would-be locker. */
static void getlk(const char *label, int fd, int type, long start, long len, pid_t holder)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	int r = fcntl(fd, F_GETLK, &fl);
	const char *t = fl.l_type == F_RDLCK ? "RD" : fl.l_type == F_WRLCK ? "WR" : "UN";
	if (fl.l_type == F_UNLCK)
		printf("%s: %d %s\n", label, r, t);
	else
		printf("%s: %d %s start %ld len %ld pid-ok %s\n", label, r, t, (long)fl.l_start,
		       (long)fl.l_len, fl.l_pid == holder ? "yes" : "no");
}

/* Run fn in a child that holds its locks until told to quit. */
static int to_child[2], from_child[2];
static pid_t spawn(void (*fn)(int fd))
{
	pipe(to_child);
	pipe(from_child);
	pid_t p = fork();
	if (!p) {
		int fd = open(path, O_RDWR);
		fn(fd);
		write(from_child[1], "r", 1);
		char c;
		read(to_child[0], &c, 1);
		_exit(0);
	}
	char c;
	read(from_child[0], &c, 1);
	return p;
}

static void finish(pid_t p)
{
	write(to_child[1], "q", 1);
	waitpid(p, NULL, 0);
	close(to_child[0]);
	close(to_child[1]);
	close(from_child[0]);
	close(from_child[1]);
}

static void child_locks(int fd)
{
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);   /* [0,9] write */
	lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10);  /* [20,29] read */
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 100, 0);  /* [100,EOF) write */
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 3, 2);    /* punch [3,4] */
}

static void test_record(void)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "0123456789abcdefghij0123456789", 30);
	pid_t p = spawn(child_locks);
	getlk("getlk over write head", fd, F_RDLCK, 0, 3, p);
	getlk("getlk in the punched hole", fd, F_WRLCK, 3, 2, p);
	getlk("getlk write tail", fd, F_RDLCK, 5, 1, p);
	getlk("getlk read range for reader", fd, F_RDLCK, 20, 10, p);
	getlk("getlk read range for writer", fd, F_WRLCK, 25, 1, p);
	getlk("getlk free gap", fd, F_WRLCK, 10, 10, p);
	getlk("getlk to EOF", fd, F_RDLCK, 5000, 1, p);
	R("setlk conflicting write", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	R("setlk shared read", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 5));
	R("setlk in hole", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 3, 2));
	R("unlock own", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	finish(p);
	getlk("after holder exit", fd, F_WRLCK, 0, 0, p);

	/* Our own locks merge and split. */
	pid_t me = getpid();
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10);
	pid_t q = fork();
	if (!q) {
		getlk("merged adjacent", fd, F_RDLCK, 15, 1, me);
		_exit(0);
	}
	waitpid(q, NULL, 0);
	lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 5);
	q = fork();
	if (!q) {
		getlk("split by a read lock", fd, F_RDLCK, 0, 0, me);
		getlk("the read part", fd, F_WRLCK, 5, 5, me);
		_exit(0);
	}
	waitpid(q, NULL, 0);

	/* Closing any descriptor of the file drops all our record locks. */
	int fd2 = open(path, O_RDONLY);
	close(fd2);
	q = fork();
	if (!q) {
		getlk("after closing another fd", fd, F_WRLCK, 0, 0, me);
		_exit(0);
	}
	waitpid(q, NULL, 0);

	/* Errors. */
	R("setlk bad type", lk(fd, F_SETLK, 9, SEEK_SET, 0, 1));
	R("setlk bad whence", lk(fd, F_SETLK, F_RDLCK, 7, 0, 1));
	R("setlk negative start", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, -5, 1));
	R("getlk F_UNLCK", lk(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1));
	R("setlk bad pointer", fcntl(fd, F_SETLK, (void *)16));
	R("setlk bad fd", lk(-1, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	int ro = open(path, O_RDONLY);
	R("write lock on read-only fd", lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	R("read lock on read-only fd", lk(ro, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	close(ro);
	R("negative length", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, -5));
	q = fork();
	if (!q) {
		getlk("negative length covers [5,9]", fd, F_WRLCK, 0, 0, me);
		_exit(0);
	}
	waitpid(q, NULL, 0);
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	close(fd);
}

/*
 * Whether a child's blocking lock call waited for our unlock. The child says
 * "about to lock" through a pipe, then locks and says "got it". We give it
 * 80 ms in which it must not get the lock, then unlock, and it must get it.
 * No clock is read: a child slowed down by a loaded machine only makes the
 * first half easier, so the check fails only if the lock was not respected.
 */
static int waits_for_unlock(int (*lock)(int fd), int (*unlock)(void))
{
	int to_parent[2];
	pipe(to_parent);
	pid_t p = fork();
	if (!p) {
		int c = open(path, O_RDWR);
		write(to_parent[1], "a", 1);
		int r = lock(c);
		write(to_parent[1], r == 0 ? "g" : "e", 1);
		_exit(0);
	}
	char ch = 0;
	read(to_parent[0], &ch, 1);
	abi_msleep(80);
	struct pollfd pfd = { .fd = to_parent[0], .events = POLLIN };
	int early = poll(&pfd, 1, 0);
	unlock();
	read(to_parent[0], &ch, 1);
	int st;
	waitpid(p, &st, 0);
	close(to_parent[0]);
	close(to_parent[1]);
	return early == 0 && ch == 'g';
}

static int setlkw_byte0(int fd) { return lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1); }
static int flock_ex(int fd) { return flock(fd, LOCK_EX); }
static int unlock_fd = -1;
static int unlock_byte0(void) { return lk(unlock_fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1); }
static int unlock_flock(void) { return flock(unlock_fd, LOCK_UN); }

/* Wait (up to 5 s) until process p sleeps, as /proc/<p>/stat's state says:
 * after its last message the child does nothing but block on the lock. */
static void wait_until_asleep(pid_t p)
{
	char name[64], buf[256];
	snprintf(name, sizeof(name), "/proc/%d/stat", (int)p);
	for (int i = 0; i < 500; i++) {
		int fd = open(name, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = 0;
			char *paren = strrchr(buf, ')');
			if (paren && paren[1] == ' ' && paren[2] == 'S')
				return;
		}
		abi_msleep(10);
	}
}

static void test_setlkw(void)
{
	int fd = open(path, O_RDWR);
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
	unlock_fd = fd;
	printf("setlkw waited for the unlock: %s\n",
	       waits_for_unlock(setlkw_byte0, unlock_byte0) ? "yes" : "no");
	pid_t p;
	int st;

	/* Deadlock: we hold byte 0 and wait for byte 1, the child the reverse. */
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
	int sync[2];
	pipe(sync);
	p = fork();
	if (!p) {
		int f2 = open(path, O_RDWR);
		lk(f2, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
		write(sync[1], "x", 1);
		int r = lk(f2, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1); /* blocks on us */
		_exit(r == 0 ? 0 : 2);
	}
	char c;
	read(sync[0], &c, 1);
	wait_until_asleep(p); /* the child must be blocked before we ask */
	R("setlkw that would deadlock", lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1));
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	waitpid(p, &st, 0);
	printf("child got its lock: %s\n", WIFEXITED(st) && !WEXITSTATUS(st) ? "yes" : "no");
	close(fd);
}

static void test_flock(void)
{
	int a = open(path, O_RDWR), b = open(path, O_RDWR);
	R("flock sh", flock(a, LOCK_SH));
	R("flock sh other description", flock(b, LOCK_SH | LOCK_NB));
	R("flock ex while shared", flock(b, LOCK_EX | LOCK_NB));
	R("flock unlock b", flock(b, LOCK_UN));
	R("flock convert a to ex", flock(a, LOCK_EX | LOCK_NB));
	R("flock sh while ex", flock(b, LOCK_SH | LOCK_NB));
	int dup_a = dup(a);
	R("flock through a dup shares the lock", flock(dup_a, LOCK_EX | LOCK_NB));
	close(dup_a);
	R("still held after closing the dup", flock(b, LOCK_EX | LOCK_NB));
	pid_t p = fork();
	if (!p) {
		/* The child shares a's description, so it owns the lock too. */
		int r = flock(a, LOCK_EX | LOCK_NB);
		_exit(r == 0 ? 0 : 1);
	}
	int st;
	waitpid(p, &st, 0);
	printf("child through inherited fd: %s\n", WEXITSTATUS(st) == 0 ? "ok" : "refused");
	close(a);
	R("free after the last close", flock(b, LOCK_EX | LOCK_NB));
	R("flock bad op", flock(b, 77));
	R("flock bad fd", flock(-1, LOCK_SH));
	flock(b, LOCK_UN);
	/* A blocking flock waits for the holder. */
	flock(b, LOCK_EX);
	unlock_fd = b;
	printf("blocking flock waited: %s\n", waits_for_unlock(flock_ex, unlock_flock) ? "yes" : "no");
	close(b);
}

static void test_ioctls(void)
{
	int p[2];
	pipe(p);
	int n = -1;
	R("FIONREAD empty pipe", ioctl(p[0], FIONREAD, &n));
	printf("bytes: %d\n", n);
	write(p[1], "hello", 5);
	R("FIONREAD", ioctl(p[0], FIONREAD, &n));
	printf("bytes: %d\n", n);
	int on = 1;
	char buf[8];
	read(p[0], buf, 5);
	R("FIONBIO on", ioctl(p[0], FIONBIO, &on));
	R("read would block", read(p[0], buf, 1));
	printf("O_NONBLOCK set: %s\n", fcntl(p[0], F_GETFL) & O_NONBLOCK ? "yes" : "no");
	on = 0;
	R("FIONBIO off", ioctl(p[0], FIONBIO, &on));
	printf("O_NONBLOCK set: %s\n", fcntl(p[0], F_GETFL) & O_NONBLOCK ? "yes" : "no");
	R("FIONREAD bad fd", ioctl(-1, FIONREAD, &n));
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_record();
	test_setlkw();
	test_flock();
	test_ioctls();
	unlink(path);
	printf("DONE\n");
	return 0;
}
