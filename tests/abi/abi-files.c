/*
 * tests/abi/abi-files.c - descriptors and file I/O (see tests/abi/README.md):
 * open flags and errors (EEXIST, ENOTDIR, EISDIR, ENOENT, ENAMETOOLONG,
 * EMFILE, EBADF, EFAULT), dup/dup2/dup3/F_DUPFD(_CLOEXEC), F_GETFL/F_SETFL,
 * lseek (SEEK_SET/CUR/END, holes), pread/pwrite, readv/writev, pipes
 * (capacity, O_NONBLOCK, PIPE_BUF atomicity, EOF, SIGPIPE/EPIPE), sendfile,
 * readlink of /proc/self/exe and /proc/self/fd/N, FIONREAD, ftruncate,
 * getdents64.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

/* This musl has no preadv2/pwritev2 wrappers. */
#define RWF_HIPRI 1
#define RWF_DSYNC 2
#define preadv2(fd, iov, n, off, fl) syscall(SYS_preadv2, fd, iov, n, (long)(off), 0L, fl)
#define pwritev2(fd, iov, n, off, fl) syscall(SYS_pwritev2, fd, iov, n, (long)(off), 0L, fl)

#define DIR_ "/tmp/abi-files.d"
#define FILE_ DIR_ "/f"
#define BAD ((void *)8) /* an unmapped user address */

/* "label: ok" for a call returning a descriptor or count, else "-1 ERR". */
#define OK(label, expr)                                                       \
	do {                                                                  \
		errno = 0;                                                    \
		long r_ = (long)(expr);                                       \
		if (r_ >= 0)                                                  \
			printf("%s: ok\n", label);                            \
		else                                                          \
			printf("%s: %ld %s\n", label, r_, ename(errno));      \
	} while (0)

static void cleanup(void)
{
	DIR *d = opendir(DIR_);
	if (d) {
		struct dirent *e;
		char p[300];
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), DIR_ "/%s", e->d_name);
			if (unlink(p) < 0)
				rmdir(p);
		}
		closedir(d);
	}
	rmdir(DIR_);
}

static void test_open(void)
{
	R("mkdir", mkdir(DIR_, 0755));
	R("mkdir again", mkdir(DIR_, 0755));
	int fd = open(FILE_, O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK("O_CREAT|O_EXCL new", fd >= 0);
	close(fd);
	R("O_CREAT|O_EXCL exists", open(FILE_, O_RDWR | O_CREAT | O_EXCL, 0644));
	OK("O_CREAT exists", fd = open(FILE_, O_RDWR | O_CREAT, 0644));
	close(fd);
	R("O_DIRECTORY on file", open(FILE_, O_RDONLY | O_DIRECTORY));
	OK("O_DIRECTORY on dir", fd = open(DIR_, O_RDONLY | O_DIRECTORY));
	close(fd);
	R("O_WRONLY dir", open(DIR_, O_WRONLY));
	R("O_RDWR dir", open(DIR_, O_RDWR));
	R("O_CREAT dir", open(DIR_, O_RDONLY | O_CREAT, 0644));
	R("missing", open(DIR_ "/nope", O_RDONLY));
	R("missing dir in path", open(DIR_ "/nope/x", O_RDONLY | O_CREAT, 0644));
	R("file as dir in path", open(FILE_ "/x", O_RDONLY));
	R("empty path", open("", O_RDONLY));
	R("bad path pointer", open(BAD, O_RDONLY));
	char longname[NAME_MAX + 20];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	R("name too long", open(longname, O_RDONLY | O_CREAT, 0644));
	static char longpath[PATH_MAX + 10];
	for (size_t i = 0; i < sizeof(longpath) - 1; i++)
		longpath[i] = i % 2 ? '/' : 'x';
	longpath[sizeof(longpath) - 1] = 0;
	R("path too long", open(longpath, O_RDONLY));
	OK("O_TRUNC", fd = open(FILE_, O_WRONLY | O_TRUNC));
	R("read on O_WRONLY", read(fd, longname, 1));
	close(fd);
	OK("O_RDONLY", fd = open(FILE_, O_RDONLY));
	R("write on O_RDONLY", write(fd, "x", 1));
	R("ftruncate on O_RDONLY", ftruncate(fd, 0));
	close(fd);
	OK("O_PATH", fd = open(FILE_, O_PATH));
	R("read on O_PATH", read(fd, longname, 1));
	close(fd);

	/* EBADF everywhere. */
	char c;
	R("read -1", read(-1, &c, 1));
	R("write 1000", write(1000, &c, 1));
	R("close -1", close(-1));
	R("close 1000", close(1000));
	R("lseek -1", lseek(-1, 0, SEEK_SET));
	R("fstat -1", fstat(-1, &(struct stat){ 0 }));
	R("dup -1", dup(-1));
	R("dup2 -1", dup2(-1, 10));
	R("fcntl -1", fcntl(-1, F_GETFL));
	R("ftruncate -1", ftruncate(-1, 0));
	R("fsync -1", fsync(-1));
	R("getdents64 -1", syscall(SYS_getdents64, -1, longname, sizeof(longname)));
	R("pread -1", pread(-1, &c, 1, 0));
	R("ioctl -1", ioctl(-1, FIONREAD, &(int){ 0 }));
	fd = open(FILE_, O_RDWR);
	close(fd);
	R("read closed", read(fd, &c, 1));

	/* EFAULT for bad user buffers. */
	fd = open(FILE_, O_RDWR);
	write(fd, "abc", 3);
	lseek(fd, 0, SEEK_SET);
	R("read into bad buffer", read(fd, BAD, 3));
	R("write from bad buffer", write(fd, BAD, 3));
	R("fstat bad buffer", syscall(SYS_fstat, fd, BAD));
	R("pipe bad pointer", syscall(SYS_pipe2, BAD, 0));
	close(fd);
}

static void test_emfile(void)
{
	struct rlimit old, rl;
	getrlimit(RLIMIT_NOFILE, &old);
	rl = old;
	rl.rlim_cur = 16;
	setrlimit(RLIMIT_NOFILE, &rl);
	int n = 0, fd, last_err = 0;
	while ((fd = open(FILE_, O_RDONLY)) >= 0)
		n++;
	last_err = errno;
	printf("EMFILE after filling: %s, highest below limit %s\n", ename(last_err),
	       fcntl(15, F_GETFD) >= 0 ? "yes" : "no");
	R("dup at limit", dup(0));
	R("pipe at limit", pipe((int[2]){ 0, 0 }));
	R("F_DUPFD at limit", fcntl(0, F_DUPFD, 0));
	R("F_DUPFD beyond limit", fcntl(0, F_DUPFD, 16));
	R("dup2 beyond limit", dup2(0, 16));
	for (int i = 3; i < 16; i++)
		close(i);
	setrlimit(RLIMIT_NOFILE, &old);
	(void)n;
}

static void test_dup(void)
{
	int fd = open(FILE_, O_RDWR | O_TRUNC);
	write(fd, "hello world", 11);
	int d = dup(fd);
	CHECK("dup shares offset", lseek(d, 0, SEEK_CUR) == 11);
	lseek(d, 2, SEEK_SET);
	CHECK("dup offset moves both", lseek(fd, 0, SEEK_CUR) == 2);
	R("dup2 to itself", dup2(fd, fd) == fd ? 0 : -1);
	R("dup3 to itself", dup3(fd, fd, 0));
	R("dup2 to 100", dup2(fd, 100));
	R("F_GETFD after dup2", fcntl(100, F_GETFD));
	R("dup3 O_CLOEXEC", dup3(fd, 101, O_CLOEXEC));
	R("F_GETFD after dup3", fcntl(101, F_GETFD));
	int e = fcntl(fd, F_DUPFD_CLOEXEC, 50);
	CHECK("F_DUPFD_CLOEXEC >= 50", e >= 50);
	R("F_GETFD of F_DUPFD_CLOEXEC", fcntl(e, F_GETFD));
	int g = fcntl(fd, F_DUPFD, 50);
	CHECK("F_DUPFD next free", g > e);
	R("F_DUPFD negative", fcntl(fd, F_DUPFD, -1));
	R("F_SETFD", fcntl(g, F_SETFD, FD_CLOEXEC));
	R("F_GETFD", fcntl(g, F_GETFD));
	close(d);
	close(e);
	close(g);
	close(100);
	close(101);

	int fl = fcntl(fd, F_GETFL);
	CHECK("F_GETFL O_RDWR", (fl & O_ACCMODE) == O_RDWR);
	R("F_SETFL O_APPEND|O_NONBLOCK", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
	fl = fcntl(fd, F_GETFL);
	CHECK("F_GETFL has O_APPEND", fl & O_APPEND);
	CHECK("F_GETFL has O_NONBLOCK", fl & O_NONBLOCK);
	lseek(fd, 0, SEEK_SET);
	write(fd, "!", 1);
	CHECK("O_APPEND writes at end", lseek(fd, 0, SEEK_CUR) == 12);
	R("F_SETFL ignores access mode", fcntl(fd, F_SETFL, O_RDONLY));
	CHECK("still O_RDWR", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	R("fcntl bad cmd", fcntl(fd, 9999));
	close(fd);
}

static void test_seek_io(void)
{
	int fd = open(FILE_, O_RDWR | O_TRUNC);
	R("write 10", write(fd, "0123456789", 10));
	R("SEEK_SET 3", lseek(fd, 3, SEEK_SET));
	R("SEEK_CUR 2", lseek(fd, 2, SEEK_CUR));
	R("SEEK_END -1", lseek(fd, -1, SEEK_END));
	R("SEEK_SET negative", lseek(fd, -1, SEEK_SET));
	R("SEEK_CUR before start", lseek(fd, -100, SEEK_CUR));
	R("bad whence", lseek(fd, 0, 77));
	R("SEEK_END +100", lseek(fd, 100, SEEK_END));
	R("write after hole", write(fd, "Z", 1));
	struct stat st;
	fstat(fd, &st);
	printf("size with hole: %ld\n", (long)st.st_size);
	char buf[128];
	R("pread in hole", pread(fd, buf, 4, 50));
	CHECK("hole reads zeros", !buf[0] && !buf[1] && !buf[2] && !buf[3]);
	R("pread at end", pread(fd, buf, 10, 111));
	R("pread past end", pread(fd, buf, 10, 500));
	R("pread negative offset", pread(fd, buf, 1, -1));
	R("pwrite 2 at 1", pwrite(fd, "ab", 2, 1));
	CHECK("pwrite keeps offset", lseek(fd, 0, SEEK_CUR) == 111);
	pread(fd, buf, 4, 0);
	printf("after pwrite: %.4s\n", buf);

	struct iovec iov[3] = { { "one ", 4 }, { "", 0 }, { "two", 3 } };
	lseek(fd, 0, SEEK_SET);
	R("writev", writev(fd, iov, 3));
	char a[3], b[5];
	struct iovec riov[2] = { { a, 3 }, { b, 5 } };
	lseek(fd, 0, SEEK_SET);
	R("readv", readv(fd, riov, 2));
	printf("readv: %.3s|%.4s\n", a, b);
	R("readv bad count", readv(fd, riov, -1));
	R("readv too many", readv(fd, riov, 1025));
	struct iovec biov[1] = { { BAD, 4 } };
	R("readv bad buffer", readv(fd, biov, 1));
	R("writev bad iov", writev(fd, BAD, 1));
	R("preadv", preadv(fd, riov, 2, 4));
	printf("preadv: %.3s\n", a);

	R("ftruncate 5", ftruncate(fd, 5));
	fstat(fd, &st);
	printf("size after ftruncate: %ld\n", (long)st.st_size);
	R("ftruncate grow 4096", ftruncate(fd, 4096));
	R("pread grown", pread(fd, buf, 4, 4000));
	CHECK("grown part is zeros", !buf[0] && !buf[3]);
	R("ftruncate negative", ftruncate(fd, -1));
	int dfd = open(DIR_, O_RDONLY);
	R("ftruncate dir", ftruncate(dfd, 0));
	R("read dir", read(dfd, buf, 4));
	R("write dir", write(dfd, buf, 4));
	close(dfd);
	R("truncate path", truncate(FILE_, 2));
	R("truncate missing", truncate(DIR_ "/nope", 2));
	R("truncate dir", truncate(DIR_, 2));
	fstat(fd, &st);
	printf("size after truncate: %ld\n", (long)st.st_size);

	int n = 0;
	R("FIONREAD file", ioctl(fd, FIONREAD, &n));
	printf("FIONREAD file value: %d\n", n);
	close(fd);
}

static volatile int sigpipes;
static void on_pipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void test_pipes(void)
{
	int p[2];
	R("pipe2 bad flags", pipe2(p, 0x1234));
	R("pipe2 O_NONBLOCK|O_CLOEXEC", pipe2(p, O_NONBLOCK | O_CLOEXEC));
	R("pipe F_GETFD", fcntl(p[0], F_GETFD));
	CHECK("pipe read end O_RDONLY", (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
	CHECK("pipe write end O_WRONLY", (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	R("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
	R("F_GETPIPE_SZ on file", fcntl(0 + open(FILE_, O_RDONLY), F_GETPIPE_SZ));
	char c;
	R("read empty nonblocking", read(p[0], &c, 1));
	R("lseek pipe", lseek(p[0], 0, SEEK_SET));
	R("pread pipe", pread(p[0], &c, 1, 0));
	R("write to read end", write(p[0], "x", 1));
	static char big[70000];
	long total = 0, w;
	while ((w = write(p[1], big, 4096)) > 0)
		total += w;
	printf("filled: %ld bytes, then %s\n", total, ename(errno));
	int n = 0;
	R("FIONREAD full pipe", ioctl(p[0], FIONREAD, &n));
	printf("FIONREAD value: %d\n", n);
	/* Less than PIPE_BUF free: a small write is all or nothing. (Linux
	 * frees room a page at a time, so only whole pages are read here.) */
	R("read 100", read(p[0], big, 100));
	R("write 200 into 100 free", write(p[1], big, 200));
	R("read to a page", read(p[0], big, 3996));
	R("write 5000 into 4096 free", write(p[1], big, 5000));
	R("read 65536", read(p[0], big, 65536));
	close(p[1]);
	R("read at EOF", read(p[0], &c, 1));
	close(p[0]);

	/* F_SETPIPE_SZ: a power of two of at least a page; the data stays. */
	pipe2(p, O_NONBLOCK);
	R("F_SETPIPE_SZ 0", fcntl(p[1], F_SETPIPE_SZ, 0));
	R("F_GETPIPE_SZ after", fcntl(p[0], F_GETPIPE_SZ));
	total = 0;
	while ((w = write(p[1], big, 1000)) > 0)
		total += w;
	printf("filled 4096 pipe with 1000s: %ld, then %s\n", total, ename(errno));
	R("F_SETPIPE_SZ 5000", fcntl(p[1], F_SETPIPE_SZ, 5000));
	R("write 1000 more", write(p[1], big, 1000));
	R("F_SETPIPE_SZ 4096 below content", fcntl(p[1], F_SETPIPE_SZ, 4096));
	R("F_SETPIPE_SZ 65536", fcntl(p[0], F_SETPIPE_SZ, 65536));
	R("F_SETPIPE_SZ 1 MiB", fcntl(p[0], F_SETPIPE_SZ, 1 << 20));
	R("F_SETPIPE_SZ too big", fcntl(p[0], F_SETPIPE_SZ, 0x80000001u));
	R("F_SETPIPE_SZ on file", fcntl(open(FILE_, O_RDONLY), F_SETPIPE_SZ, 4096));
	total = 0;
	while ((w = read(p[0], big, 3000)) > 0)
		total += w;
	printf("read back after resizes: %ld\n", total);
	close(p[0]);
	close(p[1]);

	pipe(p);
	close(p[0]);
	signal(SIGPIPE, on_pipe);
	R("write no reader", write(p[1], "x", 1));
	printf("SIGPIPE count: %d\n", sigpipes);
	signal(SIGPIPE, SIG_IGN);
	R("write no reader, ignored", write(p[1], "x", 1));
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	pid_t c2 = fork();
	if (c2 == 0) {
		int q[2];
		pipe(q);
		close(q[0]);
		write(q[1], "x", 1);
		_exit(0);
	}
	int st;
	waitpid(c2, &st, 0);
	printf("write no reader default: %s %d\n", WIFSIGNALED(st) ? "killed" : "exited",
	       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));

	/* PIPE_BUF-sized writes of two writers never interleave. */
	pipe(p);
	pid_t w1 = fork();
	if (w1 == 0) {
		char m[PIPE_BUF];
		memset(m, 'A', sizeof(m));
		for (int i = 0; i < 40; i++)
			write(p[1], m, sizeof(m));
		_exit(0);
	}
	pid_t w2 = fork();
	if (w2 == 0) {
		char m[PIPE_BUF];
		memset(m, 'B', sizeof(m));
		for (int i = 0; i < 40; i++)
			write(p[1], m, sizeof(m));
		_exit(0);
	}
	close(p[1]);
	static char rec[PIPE_BUF];
	int whole = 0, mixed = 0;
	size_t have = 0;
	long r;
	while ((r = read(p[0], rec + have, sizeof(rec) - have)) > 0) {
		have += r;
		if (have == sizeof(rec)) {
			size_t k = 1;
			while (k < sizeof(rec) && rec[k] == rec[0])
				k++;
			if (k == sizeof(rec))
				whole++;
			else
				mixed++;
			have = 0;
		}
	}
	waitpid(w1, &st, 0);
	waitpid(w2, &st, 0);
	printf("PIPE_BUF writes: %d whole, %d mixed\n", whole, mixed);
	close(p[0]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A blocked pipe read or write and a signal: EINTR without SA_RESTART,
 * restarted with it (the data written later arrives). */
static void test_eintr(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	int p[2];
	pipe(p);
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	char c;
	R("blocked read, signal", read(p[0], &c, 1));
	static char big[65536];
	write(p[1], big, sizeof(big) - 10);
	setitimer(ITIMER_REAL, &it, NULL);
	R("blocked write nothing written, signal", write(p[1], big, 100));
	close(p[0]);
	close(p[1]);
	/* One page free (Linux counts room in pages): 4096 of 8192 go in. */
	pipe(p);
	write(p[1], big, sizeof(big) - 4096);
	setitimer(ITIMER_REAL, &it, NULL);
	R("blocked write partly written, signal", write(p[1], big, 8192));
	close(p[0]);
	close(p[1]);

	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pipe(p);
	pid_t c2 = fork();
	if (c2 == 0) {
		abi_msleep(300);
		write(p[1], "late", 4);
		_exit(0);
	}
	setitimer(ITIMER_REAL, &it, NULL);
	char buf[8] = { 0 };
	R("SA_RESTART read", read(p[0], buf, 4));
	printf("SA_RESTART read got: %s\n", buf);
	int st;
	waitpid(c2, &st, 0);
	close(p[0]);
	close(p[1]);
	signal(SIGALRM, SIG_DFL);

	/* O_APPEND wins over pwrite's offset on Linux. */
	int fd = open(FILE_, O_RDWR | O_TRUNC | O_APPEND);
	write(fd, "abc", 3);
	R("pwrite O_APPEND", pwrite(fd, "Z", 1, 0));
	pread(fd, buf, 4, 0);
	printf("after pwrite O_APPEND: %.4s\n", buf);
	close(fd);
}

/* close_range, preadv2/pwritev2, posix_fadvise, readahead. */
static void test_more_fd_calls(void)
{
	int a = open(FILE_, O_RDONLY), b = dup2(a, 40), c = dup2(a, 41), d = dup2(a, 45);
	(void)b;
	(void)c;
	(void)d;
	R("close_range bad flags", syscall(SYS_close_range, 40, 45, 1));
	R("close_range first > last", syscall(SYS_close_range, 45, 40, 0));
	R("close_range CLOEXEC", syscall(SYS_close_range, 40, 41, 4));
	R("F_GETFD after CLOSE_RANGE_CLOEXEC", fcntl(41, F_GETFD));
	R("close_range", syscall(SYS_close_range, 40, 44, 0));
	R("fd 40 closed", fcntl(40, F_GETFD));
	R("fd 41 closed", fcntl(41, F_GETFD));
	R("fd 45 kept", fcntl(45, F_GETFD));
	R("close_range UNSHARE to ~0", syscall(SYS_close_range, 45, ~0u, 2));
	R("fd 45 closed", fcntl(45, F_GETFD));
	close(a);

	int fd = open(FILE_, O_RDWR | O_TRUNC);
	write(fd, "0123456789", 10);
	char x[4] = { 0 };
	struct iovec v = { x, 3 };
	R("preadv2 at 2", preadv2(fd, &v, 1, 2, 0));
	printf("preadv2 got: %s, position %ld\n", x, (long)lseek(fd, 0, SEEK_CUR));
	lseek(fd, 5, SEEK_SET);
	R("preadv2 at -1 (position)", preadv2(fd, &v, 1, -1, 0));
	printf("preadv2 got: %s, position %ld\n", x, (long)lseek(fd, 0, SEEK_CUR));
	R("preadv2 RWF_HIPRI", preadv2(fd, &v, 1, 0, RWF_HIPRI));
	R("preadv2 unknown flag", preadv2(fd, &v, 1, 0, 0x40000000));
	struct iovec w = { "ab", 2 };
	R("pwritev2 at 0", pwritev2(fd, &w, 1, 0, 0));
	R("pwritev2 at -1", pwritev2(fd, &w, 1, -1, RWF_DSYNC));
	pread(fd, x, 3, 0);
	printf("after pwritev2: %.3s position %ld\n", x, (long)lseek(fd, 0, SEEK_CUR));
	R("preadv2 bad fd", preadv2(-1, &v, 1, 0, 0));
	R("preadv2 negative offset", preadv2(fd, &v, 1, -5, 0));

	E("posix_fadvise SEQUENTIAL", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
	E("posix_fadvise DONTNEED", posix_fadvise(fd, 0, 100, POSIX_FADV_DONTNEED));
	E("posix_fadvise bad advice", posix_fadvise(fd, 0, 0, 77));
	E("posix_fadvise negative len", posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL));
	E("posix_fadvise bad fd", posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL));
	int p[2];
	pipe(p);
	E("posix_fadvise pipe", posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL));
	R("readahead", readahead(fd, 0, 100));
	R("readahead pipe", readahead(p[0], 0, 100));
	R("readahead bad fd", readahead(-1, 0, 100));
	R("sync_file_range flags 0", sync_file_range(fd, 0, 0, 0));
	R("sync_file_range WRITE", sync_file_range(fd, 0, 100, SYNC_FILE_RANGE_WRITE));
	R("sync_file_range bad flags", sync_file_range(fd, 0, 0, 0x100));
	R("sync_file_range negative offset", sync_file_range(fd, -1, 0, 0));
	R("sync_file_range pipe", sync_file_range(p[0], 0, 0, 0));
	R("sync_file_range bad fd", sync_file_range(-1, 0, 0, 0));
	R("O_TMPFILE read-only", open(DIR_, O_TMPFILE | O_RDONLY, 0600));
	R("O_TMPFILE with O_CREAT", open(DIR_, O_TMPFILE | O_CREAT | O_RDWR, 0600));
	R("O_TMPFILE missing dir", open(DIR_ "/none", O_TMPFILE | O_RDWR, 0600));
	R("O_TMPFILE in a file", open(FILE_, O_TMPFILE | O_RDWR, 0600));
	int wo = open(FILE_, O_WRONLY);
	R("readahead write-only", readahead(wo, 0, 100));
	close(wo);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void test_copy_file_range(void)
{
	const char *g = DIR_ "/cfr";
	int in = open(FILE_, O_RDWR | O_TRUNC);
	write(in, "0123456789", 10);
	int out = open(g, O_RDWR | O_CREAT | O_TRUNC, 0644);
	loff_t oi = 2, oo = 0;
	R("copy_file_range with offsets", copy_file_range(in, &oi, out, &oo, 5, 0));
	printf("offsets after: %ld %ld, positions %ld %ld\n", (long)oi, (long)oo,
	       (long)lseek(in, 0, SEEK_CUR), (long)lseek(out, 0, SEEK_CUR));
	lseek(in, 8, SEEK_SET);
	R("copy_file_range positions", copy_file_range(in, NULL, out, NULL, 100, 0));
	printf("positions after: %ld %ld\n", (long)lseek(in, 0, SEEK_CUR), (long)lseek(out, 0, SEEK_CUR));
	char buf[16] = { 0 };
	pread(out, buf, sizeof(buf) - 1, 0);
	printf("copied: %s\n", buf);
	R("copy_file_range at EOF", copy_file_range(in, NULL, out, NULL, 100, 0));
	R("copy_file_range flags", copy_file_range(in, NULL, out, NULL, 1, 1));
	R("copy_file_range bad in", copy_file_range(-1, NULL, out, NULL, 1, 0));
	int ro = open(g, O_RDONLY);
	R("copy_file_range to read-only", copy_file_range(in, NULL, ro, NULL, 1, 0));
	int ap = open(g, O_WRONLY | O_APPEND);
	R("copy_file_range to O_APPEND", copy_file_range(in, NULL, ap, NULL, 1, 0));
	int dfd = open(DIR_, O_RDONLY);
	R("copy_file_range from dir", copy_file_range(dfd, NULL, out, NULL, 1, 0));
	int p[2];
	pipe(p);
	R("copy_file_range to pipe", copy_file_range(in, NULL, p[1], NULL, 1, 0));
	oi = 0;
	oo = 2;
	R("copy_file_range overlapping", copy_file_range(in, &oi, in, &oo, 5, 0));
	oo = 5;
	R("copy_file_range same file apart", copy_file_range(in, &oi, in, &oo, 5, 0));
	pread(in, buf, 10, 0);
	printf("same file after: %.10s\n", buf);
	oi = -1;
	R("copy_file_range negative offset", copy_file_range(in, &oi, out, NULL, 1, 0));
	oo = -1;
	R("copy_file_range negative out offset", copy_file_range(in, NULL, out, &oo, 1, 0));
	oi = 0x7ffffffffffffff0LL;
	R("copy_file_range offset near the end", copy_file_range(in, &oi, out, NULL, 100, 0));
	R("copy_file_range bad offset pointer", copy_file_range(in, BAD, out, NULL, 1, 0));
	R("copy_file_range zero length", copy_file_range(in, NULL, out, NULL, 0, 0));
	close(p[0]);
	close(p[1]);
	close(dfd);
	close(ap);
	close(ro);
	close(in);
	close(out);
	unlink(g);
}

static void test_sendfile(void)
{
	int fd = open(FILE_, O_RDWR | O_TRUNC);
	write(fd, "abcdefghij", 10);
	int p[2];
	pipe(p);
	off_t off = 2;
	R("sendfile with offset", sendfile(p[1], fd, &off, 4));
	printf("offset after: %ld, file offset %ld\n", (long)off, (long)lseek(fd, 0, SEEK_CUR));
	char buf[16] = { 0 };
	read(p[0], buf, sizeof(buf));
	printf("sent: %s\n", buf);
	lseek(fd, 7, SEEK_SET);
	R("sendfile from file offset", sendfile(p[1], fd, NULL, 100));
	printf("file offset after: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	memset(buf, 0, sizeof(buf));
	read(p[0], buf, sizeof(buf));
	printf("sent: %s\n", buf);
	R("sendfile at EOF", sendfile(p[1], fd, NULL, 100));
	off = 100;
	R("sendfile offset past EOF", sendfile(p[1], fd, &off, 10));
	R("sendfile bad in", sendfile(p[1], -1, NULL, 1));
	R("sendfile bad out", sendfile(-1, fd, NULL, 1));
	off = -1;
	R("sendfile negative offset", sendfile(p[1], fd, &off, 1));
	R("sendfile bad offset pointer", sendfile(p[1], fd, BAD, 1));
	int ro = open(FILE_, O_RDONLY);
	R("sendfile to read-only file", sendfile(ro, fd, NULL, 1));
	int wo = open(FILE_, O_WRONLY);
	R("sendfile from write-only file", sendfile(p[1], wo, NULL, 1));
	close(ro);
	close(wo);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void test_proc_links(void)
{
	char buf[PATH_MAX], want[64];
	long n = readlink("/proc/self/exe", buf, sizeof(buf));
	buf[n > 0 ? n : 0] = 0;
	const char *base = strrchr(buf, '/');
	printf("/proc/self/exe ends with: %s\n", base ? base : "(none)");
	int fd = open(FILE_, O_RDONLY);
	snprintf(want, sizeof(want), "/proc/self/fd/%d", fd);
	n = readlink(want, buf, sizeof(buf));
	buf[n > 0 ? n : 0] = 0;
	printf("/proc/self/fd/N: %s\n", buf);
	R("readlink small buffer", readlink(want, buf, 4));
	printf("truncated: %.4s\n", buf);
	R("readlink zero buffer", readlink(want, buf, 0));
	R("readlink not a link", readlink(FILE_, buf, sizeof(buf)));
	R("readlink missing", readlink(DIR_ "/nope", buf, sizeof(buf)));
	close(fd);
	int p[2];
	pipe(p);
	snprintf(want, sizeof(want), "/proc/self/fd/%d", p[0]);
	n = readlink(want, buf, sizeof(buf));
	buf[n > 0 ? n : 0] = 0;
	CHECK("pipe link is pipe:[N]", !strncmp(buf, "pipe:[", 6) && buf[n - 1] == ']');
	close(p[0]);
	close(p[1]);
	R("readlink closed fd", readlink(want, buf, sizeof(buf)));
	fd = open(DIR_, O_RDONLY | O_DIRECTORY);
	snprintf(want, sizeof(want), "/proc/self/fd/%d", fd);
	n = readlink(want, buf, sizeof(buf));
	buf[n > 0 ? n : 0] = 0;
	printf("/proc/self/fd/N of a directory: %s\n", buf);
	close(fd);
	fd = open("/", O_RDONLY | O_DIRECTORY);
	snprintf(want, sizeof(want), "/proc/self/fd/%d", fd);
	n = readlink(want, buf, sizeof(buf));
	buf[n > 0 ? n : 0] = 0;
	printf("/proc/self/fd/N of /: %s\n", buf);
	close(fd);
	static char cwd[PATH_MAX];
	n = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK("/proc/self/cwd is getcwd", n > 0 && !strcmp(buf, getcwd(cwd, sizeof(cwd))));
}

static void test_getdents(void)
{
	mkdir(DIR_ "/sub", 0755);
	close(open(DIR_ "/g", O_CREAT | O_WRONLY, 0644));
	int fd = open(DIR_, O_RDONLY | O_DIRECTORY);
	char buf[4096];
	int seen = 0, dots = 0, types_ok = 1;
	long n;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 {
				uint64_t ino;
				int64_t off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *d = (void *)(buf + off);
			if (!strcmp(d->name, ".") || !strcmp(d->name, ".."))
				dots++;
			else
				seen++;
			if (!strcmp(d->name, "sub") && d->type != DT_DIR)
				types_ok = 0;
			if (!strcmp(d->name, "g") && d->type != DT_REG)
				types_ok = 0;
			if (d->reclen % 8)
				types_ok = 0;
			off += d->reclen;
		}
	}
	printf("getdents64: %d entries, %d dots, types ok %s, end %ld\n", seen, dots,
	       types_ok ? "yes" : "no", n);
	R("getdents64 tiny buffer", (lseek(fd, 0, SEEK_SET), syscall(SYS_getdents64, fd, buf, 8)));
	R("getdents64 bad buffer", syscall(SYS_getdents64, fd, BAD, sizeof(buf)));
	close(fd);
	fd = open(FILE_, O_RDONLY);
	R("getdents64 on file", syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	close(fd);
	R("rmdir non-empty", rmdir(DIR_));
	R("rmdir file", rmdir(FILE_));
	R("unlink dir", unlink(DIR_ "/sub"));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	cleanup();
	test_open();
	test_emfile();
	test_dup();
	test_seek_io();
	test_pipes();
	test_eintr();
	test_more_fd_calls();
	test_copy_file_range();
	test_sendfile();
	test_proc_links();
	test_getdents();
	cleanup();
	puts("DONE");
	return 0;
}
