/*
 * tests/abi/abi-memfd.c - memfd_create and file seals (see
 * tests/abi/README.md): flags and name errors, MFD_CLOEXEC, the file's
 * type, mode, links and size, read/write/ftruncate/mmap, its /proc/self/fd
 * link and maps line, sharing through fork; F_GET_SEALS/F_ADD_SEALS with
 * and without MFD_ALLOW_SEALING, SEAL_SHRINK/GROW/WRITE/FUTURE_WRITE/SEAL
 * enforced on write, ftruncate, mmap, mprotect and fallocate, EBUSY for a
 * writable mapping, EPERM on a read-only descriptor, EINVAL on other files;
 * MFD_NOEXEC_SEAL and F_SEAL_EXEC.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#define MFD_ALLOW_SEALING 2U
#endif
#define MFD_NOEXEC_SEAL_ 8U
#define MFD_EXEC_ 0x10U
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 1
#define F_SEAL_SHRINK 2
#define F_SEAL_GROW 4
#define F_SEAL_WRITE 8
#endif
#define F_SEAL_FUTURE_WRITE_ 0x10
#define F_SEAL_EXEC_ 0x20

static int mfd(const char *name, unsigned flags)
{
	return (int)syscall(SYS_memfd_create, name, flags);
}

static void test_create(void)
{
	R("unknown flag", mfd("x", 0x100));
	R("EXEC with NOEXEC_SEAL", mfd("x", MFD_EXEC_ | MFD_NOEXEC_SEAL_));
	R("bad name", mfd((const char *)8, 0));
	char name[300];
	memset(name, 'a', sizeof(name));
	name[249] = 0;
	int fd = mfd(name, 0);
	CHECK("249-byte name", fd >= 0);
	close(fd);
	name[249] = 'a';
	name[250] = 0;
	R("250-byte name", mfd(name, 0));
	R("empty name", fd = mfd("", 0));
	close(fd);

	fd = mfd("test", MFD_CLOEXEC);
	CHECK("MFD_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD) == FD_CLOEXEC);
	printf("link: %s\n", fdlink(fd));
	struct stat st;
	fstat(fd, &st);
	CHECK("regular file", S_ISREG(st.st_mode));
	printf("mode: %o\n", st.st_mode & 07777);
	printf("nlink: %ld size: %ld\n", (long)st.st_nlink, (long)st.st_size);
	CHECK("access mode O_RDWR", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	R("write", write(fd, "hello memfd", 11));
	R("lseek", lseek(fd, 0, SEEK_SET));
	char buf[32] = { 0 };
	R("read", read(fd, buf, sizeof(buf)));
	printf("read back: %s\n", buf);
	R("ftruncate 8192", ftruncate(fd, 8192));
	fstat(fd, &st);
	printf("size: %ld\n", (long)st.st_size);
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("mmap shared", m != MAP_FAILED);
	CHECK("mapping has the data", !memcmp(m, "hello memfd", 11));
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(m + 4096, "from child", 10);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	R("pread", pread(fd, buf, 10, 4096));
	printf("child's store: %.10s\n", buf);
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool named = false;
	char start[32];
	snprintf(start, sizeof(start), "%08lx-", (unsigned long)m);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, start, strlen(start)))
			named = strstr(line, " /memfd:test (deleted)\n") != NULL;
	if (f)
		fclose(f);
	CHECK("maps names /memfd:test (deleted)", named);
	munmap(m, 8192);
	close(fd);
}

static void test_seals(void)
{
	int fd = mfd("noseal", 0);
	R("F_GET_SEALS without ALLOW_SEALING", fcntl(fd, F_GET_SEALS));
	R("F_ADD_SEALS without ALLOW_SEALING", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	close(fd);

	fd = mfd("seal", MFD_ALLOW_SEALING);
	R("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	R("unknown seal", fcntl(fd, F_ADD_SEALS, 0x100));
	write(fd, "0123456789", 10);
	R("F_SEAL_SHRINK", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	R("shrink", ftruncate(fd, 5));
	R("grow", ftruncate(fd, 4096));
	R("same size", ftruncate(fd, 4096));
	R("F_SEAL_GROW", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	R("grow after GROW", ftruncate(fd, 8192));
	R("write inside", pwrite(fd, "ab", 2, 100));
	R("write past the end", pwrite(fd, "ab", 2, 4096));
	R("write crossing the end", pwrite(fd, "ab", 2, 4095));
	R("fallocate inside", fallocate(fd, 0, 0, 100));
	R("fallocate past the end", fallocate(fd, 0, 0, 8192));
	R("fallocate KEEP_SIZE past the end", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8192));
	char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	R("F_SEAL_WRITE with a writable mapping", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	munmap(w, 4096);
	char *pr = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	R("F_SEAL_WRITE with a private mapping", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	R("F_GET_SEALS now", fcntl(fd, F_GET_SEALS));
	pr[0] = 'x'; /* a private copy may still be written */
	CHECK("private store", pr[0] == 'x');
	munmap(pr, 4096);
	R("write after WRITE", pwrite(fd, "ab", 2, 0));
	R("zero-length write", pwrite(fd, "ab", 0, 0));
	R("mmap shared writable", (long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == -1 ? -1 : 0);
	char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("mmap shared read-only", r != MAP_FAILED);
	R("mprotect to writable", mprotect(r, 4096, PROT_READ | PROT_WRITE));
	munmap(r, 4096);
	R("punch hole", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10));
	char buf[11] = { 0 };
	pread(fd, buf, 10, 0);
	printf("contents: %s\n", buf);
	R("F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	R("add after SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	R("re-add after SEAL", fcntl(fd, F_ADD_SEALS, 0));
	R("F_GET_SEALS at the end", fcntl(fd, F_GET_SEALS));
	close(fd);

	fd = mfd("ro", MFD_ALLOW_SEALING);
	int o = open("/proc/self/exe", O_RDONLY);
	R("F_GET_SEALS of another file", fcntl(o, F_GET_SEALS));
	close(o);
	o = open("/dev/null", O_WRONLY);
	R("F_ADD_SEALS of another file", fcntl(o, F_ADD_SEALS, F_SEAL_WRITE));
	close(o);
	o = open("/proc/self/exe", O_PATH);
	R("F_GET_SEALS of O_PATH", fcntl(o, F_GET_SEALS));
	close(o);
	close(fd);

	fd = mfd("future", MFD_ALLOW_SEALING);
	ftruncate(fd, 4096);
	char *keep = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	R("F_SEAL_FUTURE_WRITE with a writable mapping", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE_));
	keep[0] = 'k';
	R("write after FUTURE_WRITE", write(fd, "x", 1));
	R("new writable mapping", (long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == -1 ? -1 : 0);
	pread(fd, buf, 1, 0);
	CHECK("old mapping still writes", buf[0] == 'k');
	R("ftruncate after FUTURE_WRITE", ftruncate(fd, 8192));
	munmap(keep, 4096);
	close(fd);

	fd = mfd("exec", MFD_NOEXEC_SEAL_);
	struct stat st;
	fstat(fd, &st);
	printf("NOEXEC_SEAL mode: %o\n", st.st_mode & 07777);
	R("NOEXEC_SEAL seals", fcntl(fd, F_GET_SEALS));
	R("chmod +x", fchmod(fd, 0755));
	R("chmod -w", fchmod(fd, 0644));
	R("write", write(fd, "x", 1));
	close(fd);
	fd = mfd("exec2", MFD_ALLOW_SEALING | MFD_EXEC_);
	R("F_SEAL_EXEC on an executable", fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC_));
	R("seals implied", fcntl(fd, F_GET_SEALS));
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_create();
	test_seals();
	printf("DONE\n");
	return 0;
}
