/*
 * tests/abi/abi-paths.c - the name space calls (see tests/abi/README.md):
 * openat and the *at family with dirfd (AT_FDCWD, a directory, a file,
 * a bad descriptor), mkdir/rmdir/unlink/unlinkat, link, symlink and
 * readlink (ELOOP, O_NOFOLLOW, dangling links), rename and renameat2
 * (RENAME_NOREPLACE, RENAME_EXCHANGE, directory rules), access/faccessat,
 * chmod/fchmod, stat of each kind of node, utimensat errors.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <utime.h>
#include <unistd.h>

#include "abi.h"

#define D "/tmp/abi-paths.d"
#define BAD ((void *)8)

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif
/* This musl has no renameat2 wrapper. */
#define renameat2(od, o, nd, n, fl) syscall(SYS_renameat2, od, o, nd, n, fl)

static void touch(const char *p, const char *text)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, text, strlen(text));
	close(fd);
}

static void cat(const char *label, const char *p)
{
	char buf[64] = { 0 };
	int fd = open(p, O_RDONLY);
	if (fd < 0) {
		printf("%s: %s\n", label, ename(errno));
		return;
	}
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	printf("%s: \"%s\"\n", label, buf);
}

static void rm_rf(const char *dir)
{
	static const char *names[] = { "a", "b", "c", "f", "g", "h", "l", "loop1", "loop2", "dangling",
	                               "sub/x", "sub/deeper/y", "sub/deeper", "sub", "e/x", "e",
	                               "ne/x", "ne", "dir2/z", "dir2", "x", "hard" };
	char p[256];
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (unlink(p) < 0)
			rmdir(p);
	}
	rmdir(dir);
}

static void test_at(void)
{
	R("mkdir", mkdir(D, 0755));
	touch(D "/f", "file");
	mkdir(D "/sub", 0755);
	int dfd = open(D, O_RDONLY | O_DIRECTORY);
	int ffd = open(D "/f", O_RDONLY);
	int fd = openat(dfd, "f", O_RDONLY);
	CHECK("openat relative to dir", fd >= 0);
	close(fd);
	fd = openat(ffd, D "/f", O_RDONLY);
	CHECK("openat absolute ignores dirfd", fd >= 0);
	close(fd);
	R("openat relative to file", openat(ffd, "x", O_RDONLY));
	R("openat bad dirfd", openat(-5, "f", O_RDONLY));
	R("openat AT_FDCWD missing", openat(AT_FDCWD, "abi-paths-none", O_RDONLY));
	struct stat st;
	R("fstatat", fstatat(dfd, "f", &st, 0));
	printf("fstatat size %ld regular %s\n", (long)st.st_size, S_ISREG(st.st_mode) ? "yes" : "no");
	R("fstatat AT_EMPTY_PATH", fstatat(ffd, "", &st, AT_EMPTY_PATH));
	R("fstatat empty without flag", fstatat(ffd, "", &st, 0));
	R("fstatat bad flags", fstatat(dfd, "f", &st, 0x12345));
	R("mkdirat", mkdirat(dfd, "e", 0755));
	R("mkdirat exists", mkdirat(dfd, "e", 0755));
	R("mkdirat in file", mkdirat(ffd, "e", 0755));
	R("unlinkat file as dir", unlinkat(dfd, "f", AT_REMOVEDIR));
	R("unlinkat dir as file", unlinkat(dfd, "e", 0));
	R("unlinkat bad flags", unlinkat(dfd, "e", 0x1));
	R("unlinkat AT_REMOVEDIR", unlinkat(dfd, "e", AT_REMOVEDIR));
	R("faccessat R_OK", faccessat(dfd, "f", R_OK, 0));
	R("faccessat X_OK on 0644", faccessat(dfd, "f", X_OK, 0));
	R("faccessat bad mode", faccessat(dfd, "f", 0100, 0));
	R("access missing", access(D "/none", F_OK));
	R("access through file", access(D "/f/x", F_OK));
	R("mknodat fifo", mknodat(dfd, "h", S_IFIFO | 0644, 0));
	R("fstatat fifo", fstatat(dfd, "h", &st, 0));
	CHECK("fifo is S_ISFIFO", S_ISFIFO(st.st_mode));
	R("stat dir", stat(D, &st));
	CHECK("dir is S_ISDIR", S_ISDIR(st.st_mode));
	CHECK("dir nlink >= 2", st.st_nlink >= 2);
	R("stat bad pointer", syscall(SYS_stat, D, BAD));
	R("stat path bad pointer", stat(BAD, &st));
	close(dfd);
	close(ffd);
}

static void test_links(void)
{
	R("link", link(D "/f", D "/hard"));
	struct stat st;
	stat(D "/f", &st);
	printf("nlink after link: %ld\n", (long)st.st_nlink);
	R("link exists", link(D "/f", D "/hard"));
	R("link to dir", link(D "/sub", D "/x"));
	R("link missing", link(D "/none", D "/x"));
	R("unlink hard", unlink(D "/hard"));
	stat(D "/f", &st);
	printf("nlink after unlink: %ld\n", (long)st.st_nlink);

	R("symlink", symlink("f", D "/l"));
	R("symlink exists", symlink("f", D "/l"));
	R("symlink empty target", symlink("", D "/x"));
	char buf[64] = { 0 };
	R("readlink", readlink(D "/l", buf, sizeof(buf)));
	printf("readlink text: %s\n", buf);
	cat("read through symlink", D "/l");
	R("lstat symlink", lstat(D "/l", &st));
	CHECK("lstat is S_ISLNK", S_ISLNK(st.st_mode));
	printf("lstat size: %ld\n", (long)st.st_size);
	R("O_NOFOLLOW on symlink", open(D "/l", O_RDONLY | O_NOFOLLOW));
	int fd = open(D "/l", O_RDONLY | O_NOFOLLOW | O_PATH);
	CHECK("O_PATH|O_NOFOLLOW opens the link", fd >= 0);
	close(fd);
	symlink("loop2", D "/loop1");
	symlink("loop1", D "/loop2");
	R("open symlink loop", open(D "/loop1", O_RDONLY));
	R("stat symlink loop", stat(D "/loop1", &st));
	R("lstat symlink loop", lstat(D "/loop1", &st));
	symlink("nowhere", D "/dangling");
	R("open dangling", open(D "/dangling", O_RDONLY));
	R("stat dangling", stat(D "/dangling", &st));
	R("lstat dangling", lstat(D "/dangling", &st));
	R("rmdir symlink", rmdir(D "/l"));
	R("mkdir over symlink", mkdir(D "/dangling", 0755));
	R("unlink symlink", unlink(D "/dangling"));
	R("readlink on dir", readlink(D, buf, sizeof(buf)));
	R("readlink bad buffer", readlink(D "/l", BAD, 10));
}

static void test_rename(void)
{
	touch(D "/a", "A");
	touch(D "/b", "B");
	R("rename file over file", rename(D "/a", D "/b"));
	cat("b after rename", D "/b");
	R("old name gone", access(D "/a", F_OK));
	R("rename missing", rename(D "/a", D "/c"));
	R("rename to itself", rename(D "/b", D "/b"));
	mkdir(D "/e", 0755);
	mkdir(D "/ne", 0755);
	touch(D "/ne/x", "x");
	R("rename file over dir", rename(D "/b", D "/e"));
	R("rename dir over file", rename(D "/e", D "/b"));
	R("rename dir over non-empty dir", rename(D "/e", D "/ne"));
	R("rename dir into itself", rename(D "/ne", D "/ne/sub"));
	R("rename dir over empty dir", rename(D "/ne", D "/e"));
	cat("moved dir content", D "/e/x");
	R("rename into missing dir", rename(D "/b", D "/none/b"));
	R("rename through file", rename(D "/b", D "/f/b"));
	R("rename . ", rename(D "/e/.", D "/x"));
	touch(D "/a", "C");
	R("RENAME_NOREPLACE exists", renameat2(AT_FDCWD, D "/a", AT_FDCWD, D "/b", RENAME_NOREPLACE));
	R("RENAME_NOREPLACE new", renameat2(AT_FDCWD, D "/a", AT_FDCWD, D "/c", RENAME_NOREPLACE));
	R("RENAME_EXCHANGE", renameat2(AT_FDCWD, D "/b", AT_FDCWD, D "/c", RENAME_EXCHANGE));
	cat("b after exchange", D "/b");
	cat("c after exchange", D "/c");
	R("RENAME_EXCHANGE missing", renameat2(AT_FDCWD, D "/b", AT_FDCWD, D "/none", RENAME_EXCHANGE));
	/* A directory and a file in different directories trade places. */
	mkdir(D "/sub/deeper", 0755);
	touch(D "/sub/deeper/y", "Y");
	R("RENAME_EXCHANGE dir and file across dirs",
	  renameat2(AT_FDCWD, D "/sub/deeper", AT_FDCWD, D "/b", RENAME_EXCHANGE));
	cat("file now in sub", D "/sub/deeper");
	cat("dir content now at b", D "/b/y");
	struct stat st;
	stat(D "/b", &st);
	CHECK("b is a directory now", S_ISDIR(st.st_mode));
	int dfd = open(D "/b", O_RDONLY | O_DIRECTORY);
	R("fstatat .. of moved dir", fstatat(dfd, "..", &st, 0));
	struct stat top;
	stat(D, &top);
	CHECK("moved dir's .. is the top dir", st.st_ino == top.st_ino);
	close(dfd);
	stat(D "/sub", &st);
	printf("sub nlink after losing a dir: %ld\n", (long)st.st_nlink);
	R("RENAME_EXCHANGE dir into its own subtree",
	  renameat2(AT_FDCWD, D "/b", AT_FDCWD, D "/b/y", RENAME_EXCHANGE));
	R("RENAME_EXCHANGE trailing slash on file",
	  renameat2(AT_FDCWD, D "/c/", AT_FDCWD, D "/b", RENAME_EXCHANGE));
	R("RENAME_EXCHANGE same name", renameat2(AT_FDCWD, D "/c", AT_FDCWD, D "/c", RENAME_EXCHANGE));
	R("RENAME_EXCHANGE back", renameat2(AT_FDCWD, D "/sub/deeper", AT_FDCWD, D "/b", RENAME_EXCHANGE));
	cat("b back to a file", D "/b");
	R("renameat2 both flags", renameat2(AT_FDCWD, D "/b", AT_FDCWD, D "/c",
	                                    RENAME_EXCHANGE | RENAME_NOREPLACE));
	R("renameat2 bad flags", renameat2(AT_FDCWD, D "/b", AT_FDCWD, D "/c", 0x100));
}

static void test_modes(void)
{
	struct stat st;
	R("chmod", chmod(D "/b", 0600));
	stat(D "/b", &st);
	printf("mode after chmod: %o\n", st.st_mode & 07777);
	int fd = open(D "/b", O_RDONLY);
	R("fchmod", fchmod(fd, 0640));
	fstat(fd, &st);
	printf("mode after fchmod: %o\n", st.st_mode & 07777);
	R("fchmod bad fd", fchmod(-1, 0640));
	R("chmod missing", chmod(D "/none", 0644));
	close(fd);
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 0 } };
	R("utimensat", utimensat(AT_FDCWD, D "/b", ts, 0));
	stat(D "/b", &st);
	printf("mtime after utimensat: %ld atime %ld\n", (long)st.st_mtime, (long)st.st_atime);
	struct timespec bad[2] = { { 0, 2000000000 }, { 0, 0 } };
	R("utimensat bad nsec", utimensat(AT_FDCWD, D "/b", bad, 0));
	R("utimensat missing", utimensat(AT_FDCWD, D "/none", ts, 0));
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 5000, 0 } };
	R("utimensat UTIME_OMIT", utimensat(AT_FDCWD, D "/b", omit, 0));
	stat(D "/b", &st);
	printf("after UTIME_OMIT: mtime %ld atime %ld\n", (long)st.st_mtime, (long)st.st_atime);
	struct timeval tv[2] = { { 3000, 500000 }, { 4000, 250000 } };
	R("utimes", utimes(D "/b", tv));
	stat(D "/b", &st);
	printf("after utimes: atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atime,
	       st.st_atim.tv_nsec, (long)st.st_mtime, st.st_mtim.tv_nsec);
	struct timeval badtv[2] = { { 0, 1000000 }, { 0, 0 } };
	R("utimes bad usec", syscall(SYS_utimes, D "/b", badtv));
	R("utimes missing", utimes(D "/none", tv));
	struct utimbuf ub = { 6000, 7000 };
	R("utime", syscall(SYS_utime, D "/b", &ub));
	stat(D "/b", &st);
	printf("after utime: atime %ld mtime %ld nsec %ld\n", (long)st.st_atime, (long)st.st_mtime,
	       st.st_mtim.tv_nsec);
	R("utime bad pointer", syscall(SYS_utime, D "/b", BAD));
	R("futimesat", syscall(SYS_futimesat, AT_FDCWD, D "/b", tv));
	R("futimesat bad dirfd", syscall(SYS_futimesat, -7, "b", tv));
	R("utimes NULL is now", utimes(D "/b", NULL));
	stat(D "/b", &st);
	CHECK("mtime now", st.st_mtime > 1577836800);
	R("mkdir missing parent", mkdir(D "/none/x", 0755));
	R("mkdir trailing slash", mkdir(D "/dir2/", 0755));
	R("rmdir trailing dot", rmdir(D "/dir2/."));
	R("rmdir dir2", rmdir(D "/dir2"));
	R("unlink trailing slash on file", unlink(D "/b/"));
	R("open trailing slash on file", open(D "/b/", O_RDONLY));
	R("creat trailing slash", open(D "/new/", O_RDWR | O_CREAT, 0644));
	R("rmdir /", rmdir("/"));
	R("mkdir empty", mkdir("", 0755));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	umask(022);
	rm_rf(D);
	test_at();
	test_links();
	test_rename();
	test_modes();
	rm_rf(D);
	puts("DONE");
	return 0;
}
