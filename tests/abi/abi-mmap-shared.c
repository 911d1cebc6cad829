/*
 * tests/abi/abi-mmap-shared.c - file mappings (see tests/abi/README.md):
 * MAP_SHARED seen by two processes (inherited and mapped separately),
 * coherence with read()/write(), write-back on msync, munmap and exit,
 * MAP_PRIVATE copy-on-write from the file, SIGBUS past the end of the
 * file and after ftruncate, EACCES/ENODEV/EBADF cases, partial munmap,
 * mprotect, mremap and MADV_DONTNEED on file mappings.
 *
 * Without arguments it runs in /tmp (tmpfs on RayOS) and in /var/tmp (the
 * disk: ext2 on RayOS); with one, in that directory only (the integration
 * tests run it on the FAT ESP).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define PG 4096

static char path[512];

/* A fresh file of len bytes, byte i = 'a' + i % 26; an O_RDWR fd. */
static int make_file(size_t len)
{
	unlink(path);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	char buf[PG];
	for (size_t off = 0; off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)('a' + (off + i) % 26);
		if (write(fd, buf, n) != (ssize_t)n)
			return -1;
	}
	return fd;
}

/* n bytes at off, read through a descriptor opened afresh. */
static int file_has(off_t off, const char *want, size_t n)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t got = pread(fd, buf, n, off);
	close(fd);
	return got == (ssize_t)n && !memcmp(buf, want, n);
}

static void *volatile fault_want; /* read by the handler */

/* Exit with the fault's signal and code, +128 if si_addr is not the
 * address touched. (A handler also keeps the kernel from logging the
 * fault on the console.) */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	_exit(sig * 10 + si->si_code + (si->si_addr == fault_want ? 0 : 128));
}

/* How a child that runs fn(arg) ends: "exit 0" or the fault it got. */
static const char *child_end(void (*fn)(void *), void *arg)
{
	static char res[64];
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };
		sigaction(SIGBUS, &sa, NULL);
		sigaction(SIGSEGV, &sa, NULL);
		fault_want = arg;
		fn(arg);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st))
		return "killed";
	int e = WEXITSTATUS(st);
	if (e == 0)
		return "exit 0";
	int sig = (e & 127) / 10, code = (e & 127) % 10;
	snprintf(res, sizeof(res), "%s code %d%s", sig == SIGBUS ? "SIGBUS" : sig == SIGSEGV ? "SIGSEGV" : "other",
	         code, e & 128 ? " wrong si_addr" : "");
	return res;
}

static void touch_read(void *p) { (void)*(volatile char *)p; }
static void touch_write(void *p) { *(volatile char *)p = 'z'; }

static void test_shared(void)
{
	int fd = make_file(3 * PG);
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("shared map", p != MAP_FAILED);
	CHECK("maps the file", p[0] == 'a' && p[PG + 1] == 'a' + (PG + 1) % 26);

	/* A child inherits the mapping: its stores are the parent's. */
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(p + 100, "child", 5);
		memcpy(p + PG + 7, "CHILD", 5);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	CHECK("child's stores seen by parent", !memcmp(p + 100, "child", 5) && !memcmp(p + PG + 7, "CHILD", 5));
	CHECK("child's stores written back at its exit", file_has(100, "child", 5) && file_has(PG + 7, "CHILD", 5));

	/* Another process mapping the file on its own shares the pages. */
	pid = fork();
	if (pid == 0) {
		int fd2 = open(path, O_RDWR);
		char *q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 2 * PG);
		if (q == MAP_FAILED)
			_exit(1);
		memcpy(q + 5, "other", 5);
		_exit(q[0] == p[2 * PG] ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK("separate mapping shares pages", WIFEXITED(st) && WEXITSTATUS(st) == 0 && !memcmp(p + 2 * PG + 5, "other", 5));

	/* Coherence with read() and write() before any msync. */
	memcpy(p + 300, "store", 5);
	char buf[8] = { 0 };
	pread(fd, buf, 5, 300);
	CHECK("read() sees a store", !memcmp(buf, "store", 5));
	pwrite(fd, "wrote", 5, 400);
	CHECK("mapping sees write()", !memcmp(p + 400, "wrote", 5));
	lseek(fd, 2 * PG - 2, SEEK_SET);
	write(fd, "span", 4);
	CHECK("write() across two pages", !memcmp(p + 2 * PG - 2, "span", 4));

	memcpy(p + 500, "msync", 5);
	R("msync MS_SYNC", msync(p, 3 * PG, MS_SYNC));
	CHECK("msync reached the file", file_has(500, "msync", 5));
	memcpy(p + PG + 500, "async", 5);
	R("msync MS_ASYNC", msync(p + PG, PG, MS_ASYNC));
	CHECK("MS_ASYNC reached the file", file_has(PG + 500, "async", 5));

	/* Partial munmap: the rest stays shared; the gone part was written. */
	memcpy(p + PG + 600, "unmap", 5);
	R("munmap middle page", munmap(p + PG, PG));
	CHECK("munmap wrote back", file_has(PG + 600, "unmap", 5));
	memcpy(p + 2 * PG + 600, "third", 5);
	CHECK("last page still shared", file_has(2 * PG + 600, "third", 5));
	printf("hole: %s\n", child_end(touch_read, p + PG));

	/* mprotect: read-only then writable again (the fd is O_RDWR). */
	R("mprotect read-only", mprotect(p, PG, PROT_READ));
	printf("store to read-only page: %s\n", child_end(touch_write, p));
	R("mprotect writable", mprotect(p, PG, PROT_READ | PROT_WRITE));
	p[700] = 'M';
	R("munmap all", munmap(p, 3 * PG));
	CHECK("store after mprotect written back", file_has(700, "M", 1));

	/* mremap moves the mapping with its file. */
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *q = mremap(p, 2 * PG, 3 * PG, MREMAP_MAYMOVE);
	CHECK("mremap grows", q != MAP_FAILED && q[2 * PG + 1000] == 'a' + (2 * PG + 1000) % 26);
	q[2 * PG + 800] = 'R';
	munmap(q, 3 * PG);
	CHECK("moved mapping writes back", file_has(2 * PG + 800, "R", 1));
	close(fd);
}

static void test_private(void)
{
	int fd = make_file(2 * PG);
	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("private map", p != MAP_FAILED && p[1] == 'b');
	/* Untouched private pages show the file as it changes... */
	pwrite(fd, "new", 3, 10);
	s[20] = 'S';
	CHECK("private sees write() before its copy", !memcmp(p + 10, "new", 3) && p[20] == 'S');
	/* ...until the process writes to them. */
	p[30] = 'P';
	pwrite(fd, "later", 5, 40);
	CHECK("private copy keeps its store", p[30] == 'P');
	CHECK("shared does not see private store", s[30] == 'a' + 30 % 26);
	CHECK("private copy misses later write()", p[40] == 'a' + 40 % 26);
	CHECK("file unchanged by private store", file_has(30, "e", 1));
	/* mprotect cannot make a private page write to the file. */
	char *r = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	(void)*(volatile char *)r;
	R("mprotect private writable", mprotect(r, PG, PROT_READ | PROT_WRITE));
	r[0] = 'X';
	char orig = (char)('a' + PG % 26);
	CHECK("private store after mprotect stays private", s[PG] == orig && file_has(PG, &orig, 1));
	/* MADV_DONTNEED drops the private copy: the file shows again. */
	R("madvise DONTNEED private", madvise(p, PG, MADV_DONTNEED));
	CHECK("file read again after DONTNEED", p[30] == 'a' + 30 % 26 && !memcmp(p + 40, "later", 5));
	char *a = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	a[0] = 'q';
	R("madvise DONTNEED anonymous", madvise(a, PG, MADV_DONTNEED));
	CHECK("anonymous zero after DONTNEED", a[0] == 0);
	munmap(a, PG);
	munmap(r, PG);
	munmap(p, 2 * PG);
	munmap(s, 2 * PG);
	close(fd);
}

static void test_eof(void)
{
	int fd = make_file(PG + 100);
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("map past the end", p != MAP_FAILED);
	CHECK("last page's tail reads zero", p[PG + 100] == 0 && p[2 * PG - 1] == 0);
	printf("read past last page: %s\n", child_end(touch_read, p + 2 * PG));
	printf("write past last page: %s\n", child_end(touch_write, p + 3 * PG));
	char *q = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("private read past last page: %s\n", child_end(touch_read, q + 2 * PG));
	/* A store into the last page's tail never reaches the file. */
	p[PG + 200] = 'T';
	msync(p, 2 * PG, MS_SYNC);
	struct stat st;
	fstat(fd, &st);
	printf("size after tail store: %ld\n", (long)st.st_size);

	/* ftruncate while mapped. */
	p[50] = 'K';
	R("ftruncate to 30", ftruncate(fd, 30));
	printf("page cut off: %s\n", child_end(touch_read, p + PG));
	CHECK("first page stays", p[0] == 'a' && p[29] == 'a' + 29 % 26);
	CHECK("tail past new end zeroed", p[30] == 0 && p[50] == 0);
	R("ftruncate to 3 pages", ftruncate(fd, 3 * PG));
	CHECK("grown file maps zeros", p[PG] == 0 && p[2 * PG + 5] == 0);
	p[2 * PG + 5] = 'G';
	R("msync", msync(p, 3 * PG, MS_SYNC));
	CHECK("store in grown part written", file_has(2 * PG + 5, "G", 1));
	munmap(q, 3 * PG);
	munmap(p, 4 * PG);
	close(fd);
}

static void test_errors(void)
{
	int fd = make_file(PG);
	close(fd);
	int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY), rw = open(path, O_RDWR);
	void *p;
	R("shared writable of O_RDONLY", (p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0)) == MAP_FAILED ? -1 : 0);
	R("shared read-only of O_RDONLY", (p = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0)) == MAP_FAILED ? -1 : 0);
	R("mprotect it writable", mprotect(p, PG, PROT_READ | PROT_WRITE));
	munmap(p, PG);
	R("private writable of O_RDONLY", (p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0)) == MAP_FAILED ? -1 : 0);
	munmap(p, PG);
	R("shared of O_WRONLY", mmap(NULL, PG, PROT_WRITE, MAP_SHARED, wo, 0) == MAP_FAILED ? -1 : 0);
	R("private of O_WRONLY", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0) == MAP_FAILED ? -1 : 0);
	R("unaligned offset", mmap(NULL, PG, PROT_READ, MAP_SHARED, rw, 100) == MAP_FAILED ? -1 : 0);
	R("closed fd", mmap(NULL, PG, PROT_READ, MAP_SHARED, 999, 0) == MAP_FAILED ? -1 : 0);
	int dfd = open("/", O_RDONLY | O_DIRECTORY);
	R("directory", mmap(NULL, PG, PROT_READ, MAP_SHARED, dfd, 0) == MAP_FAILED ? -1 : 0);
	int pp[2];
	pipe(pp);
	R("pipe", mmap(NULL, PG, PROT_READ, MAP_SHARED, pp[0], 0) == MAP_FAILED ? -1 : 0);
	int pf = open("/proc/self/status", O_RDONLY);
	R("/proc file", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pf, 0) == MAP_FAILED ? -1 : 0);
	close(pf);
	int op = open(path, O_PATH);
	R("O_PATH fd", mmap(NULL, PG, PROT_READ, MAP_SHARED, op, 0) == MAP_FAILED ? -1 : 0);
	R("no type", mmap(NULL, PG, PROT_READ, 0, rw, 0) == MAP_FAILED ? -1 : 0);
	close(pp[0]);
	close(pp[1]);
	close(op);
	close(dfd);
	close(ro);
	close(wo);
	/* The mapping keeps the file: closing and unlinking do not end it. */
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	close(rw);
	unlink(path);
	((char *)p)[0] = 'U';
	CHECK("mapping outlives fd and name", ((char *)p)[0] == 'U' && ((char *)p)[1] == 'b');
	munmap(p, PG);
}

static void run_in(const char *dir)
{
	snprintf(path, sizeof(path), "%s/abi-mmap-shared.dat", dir);
	test_shared();
	test_private();
	test_eof();
	test_errors();
	unlink(path);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1) {
		run_in(argv[1]);
	} else {
		mkdir("/var", 0755);
		mkdir("/var/tmp", 01777);
		printf("-- /tmp\n");
		run_in("/tmp");
		printf("-- /var/tmp\n");
		run_in("/var/tmp");
	}
	printf("DONE\n");
	return 0;
}
