/*
 * tests/abi/abi-fallocate.c - fallocate(2) (see tests/abi/README.md): mode
 * 0 growing a file in /tmp (tmpfs on RayOS), FALLOC_FL_KEEP_SIZE,
 * PUNCH_HOLE|KEEP_SIZE zeroing inside the file and coherent with a shared
 * mapping, and the argument checks in Linux's order: EINVAL, EOPNOTSUPP for
 * unknown and bad mode combinations, EBADF (read-only, O_PATH, closed),
 * ESPIPE (pipe), ENODEV (character device), EFBIG; on a memfd (tmpfs on
 * both) the modes tmpfs refuses.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

#define F "/tmp/abi-fallocate.f"
#define ZERO_RANGE 0x10
#define COLLAPSE_RANGE 0x08

static long size_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) ? -1 : (long)st.st_size;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	unlink(F);
	int fd = open(F, O_CREAT | O_RDWR, 0644);
	R("mode 0", fallocate(fd, 0, 0, 10000));
	printf("size: %ld\n", size_of(fd));
	char buf[16];
	R("reads zeros", pread(fd, buf, 16, 5000));
	CHECK("zeros", !memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
	R("mode 0 inside", fallocate(fd, 0, 100, 200));
	printf("size: %ld\n", size_of(fd));
	R("KEEP_SIZE past the end", fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 100000));
	printf("size: %ld\n", size_of(fd));
	R("offset past the end", fallocate(fd, 0, 20000, 4));
	printf("size: %ld\n", size_of(fd));
	char data[8192];
	memset(data, 'd', sizeof(data));
	pwrite(fd, data, sizeof(data), 0);
	char *m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	R("PUNCH_HOLE|KEEP_SIZE", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1000, 5000));
	printf("size: %ld\n", size_of(fd));
	pread(fd, buf, 1, 999);
	CHECK("byte before the hole kept", buf[0] == 'd');
	pread(fd, buf, 1, 1000);
	CHECK("hole start reads zero", buf[0] == 0);
	pread(fd, buf, 1, 5999);
	CHECK("hole end reads zero", buf[0] == 0);
	pread(fd, buf, 1, 6000);
	CHECK("byte after the hole kept", buf[0] == 'd');
	CHECK("mapping sees the hole", m[999] == 'd' && m[1000] == 0 && m[5999] == 0 && m[6000] == 'd');
	munmap(m, 8192);

	R("len 0", fallocate(fd, 0, 0, 0));
	R("negative len", fallocate(fd, 0, 0, -1));
	R("negative offset", fallocate(fd, 0, -1, 10));
	R("unknown mode", fallocate(fd, 0x100, 0, 10));
	R("PUNCH_HOLE without KEEP_SIZE", fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10));
	R("PUNCH_HOLE with ZERO_RANGE", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE | ZERO_RANGE, 0, 10));
	R("COLLAPSE_RANGE with KEEP_SIZE", fallocate(fd, COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096));
	R("overflowing range", fallocate(fd, 0, INT64_MAX - 10, 100));
	R("bad descriptor before the mode", fallocate(-1, 0x100, 0, 10));
	R("INSERT_RANGE with KEEP_SIZE", fallocate(fd, 0x20 | FALLOC_FL_KEEP_SIZE, 0, 4096));
	R("two operations", fallocate(fd, ZERO_RANGE | COLLAPSE_RANGE, 0, 4096));
	close(fd);
	R("closed descriptor", fallocate(fd, 0, 0, 10));
	fd = open(F, O_RDONLY);
	R("read-only", fallocate(fd, 0, 0, 10));
	R("read-only with len 0", fallocate(fd, 0, 0, 0));
	close(fd);
	fd = open(F, O_PATH);
	R("O_PATH", fallocate(fd, 0, 0, 10));
	R("O_PATH with len 0", fallocate(fd, 0, 0, 0));
	close(fd);
	fd = open(F, O_WRONLY);
	R("write-only", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 10));
	close(fd);
	int p[2];
	pipe(p);
	R("pipe write end", fallocate(p[1], 0, 0, 10));
	R("pipe read end", fallocate(p[0], 0, 0, 10));
	close(p[0]);
	close(p[1]);
	fd = open("/dev/null", O_WRONLY);
	R("character device", fallocate(fd, 0, 0, 10));
	close(fd);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	R("socket", fallocate(s, 0, 0, 10));
	close(s);
	unlink(F);

	/* tmpfs (a memfd on both systems) refuses the other modes */
	fd = (int)syscall(SYS_memfd_create, "falloc", 0);
	R("memfd mode 0", fallocate(fd, 0, 0, 4096));
	printf("memfd size: %ld\n", size_of(fd));
	R("memfd ZERO_RANGE", fallocate(fd, ZERO_RANGE, 0, 10));
	R("memfd COLLAPSE_RANGE", fallocate(fd, COLLAPSE_RANGE, 0, 4096));
	close(fd);
	printf("DONE\n");
	return 0;
}
