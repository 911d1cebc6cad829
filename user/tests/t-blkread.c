/*
 * user/tests/t-blkread.c - t-blkread [DEV]: read the ext2 superblock (1024
 * bytes at offset 1024) from a block device (default /dev/vda2, the RayOS
 * root partition) with lseek + read, and check the magic number at offset
 * 56: "ext2 magic 0xef53". Works on a host with a file holding an ext2
 * image too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/vda2";
	unsigned char sb[1024];
	ssize_t n, got = 0;
	int fd;

	if (argc > 2) {
		fprintf(stderr, "usage: t-blkread [DEV]\n");
		return 2;
	}
	fd = open(dev, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "t-blkread: %s: %s\n", dev, strerror(errno));
		printf("FAIL\n");
		return 1;
	}
	if (lseek(fd, 1024, SEEK_SET) != 1024) {
		fprintf(stderr, "t-blkread: %s: lseek: %s\n", dev, strerror(errno));
		printf("FAIL\n");
		return 1;
	}
	while (got < (ssize_t)sizeof sb &&
	       (n = read(fd, sb + got, sizeof sb - got)) > 0)
		got += n;
	if (got != (ssize_t)sizeof sb) {
		fprintf(stderr, "t-blkread: %s: short read (%zd bytes): %s\n", dev,
			got, got < 0 ? strerror(errno) : "end of device");
		printf("FAIL\n");
		return 1;
	}
	close(fd);
	unsigned magic = sb[56] | sb[57] << 8;
	printf("ext2 magic %#06x\n", magic);
	printf("%s\n", magic == 0xef53 ? "PASS" : "FAIL: expected 0xef53");
	return magic == 0xef53 ? 0 : 1;
}
