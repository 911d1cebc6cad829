/*
 * user/coreutils/umount.c - umount [-l] DIR...: detach file systems with
 * umount2(2) (-l: MNT_DETACH). Says so plainly when the kernel has no
 * umount (ENOSYS).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int opt, flags = 0;
	while ((opt = getopt(argc, argv, "l")) != -1) {
		if (opt != 'l') {
			fprintf(stderr, "usage: umount [-l] DIR...\n");
			return 2;
		}
		flags |= MNT_DETACH;
	}
	if (optind == argc) {
		fprintf(stderr, "usage: umount [-l] DIR...\n");
		return 2;
	}
	int status = 0;
	for (int i = optind; i < argc; i++) {
		if (umount2(argv[i], flags) == 0)
			continue;
		if (errno == ENOSYS)
			fprintf(stderr, "umount: this kernel does not support umount(2)\n");
		else
			fprintf(stderr, "umount: %s: %s\n", argv[i], strerror(errno));
		status = 32;
	}
	return status;
}
