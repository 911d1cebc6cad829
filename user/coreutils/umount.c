/*
 * user/coreutils/umount.c - umount [-fl] DIR|SOURCE...: detach file
 * systems with umount2(2) (-l: MNT_DETACH, -f: MNT_FORCE). A SOURCE (a
 * device such as /dev/vda2) is looked up in /proc/mounts and its last
 * mount point detached. Errors read like util-linux's ("target is
 * busy."; EINVAL, not a mount point, as strerror says it); a kernel
 * without umount2 (ENOSYS) is said so plainly. Status 32 when something failed, as util-linux.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: umount [-fl] DIR|SOURCE...\n");
}

/* The last mount point of source in /proc/mounts, into dir. */
static int mount_point_of(const char *source, char *dir, size_t n)
{
	FILE *f = fopen("/proc/mounts", "r");
	char line[1024], src[256], d[512];
	int found = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %511s", src, d) == 2 && !strcmp(src, source)) {
			snprintf(dir, n, "%s", d);
			found = 1;
		}
	if (f)
		fclose(f);
	return found;
}

int main(int argc, char **argv)
{
	int opt, flags = 0;
	while ((opt = getopt(argc, argv, "fl")) != -1) {
		if (opt == 'l')
			flags |= MNT_DETACH;
		else if (opt == 'f')
			flags |= MNT_FORCE;
		else {
			usage();
			return 2;
		}
	}
	if (optind == argc) {
		usage();
		return 2;
	}
	int status = 0;
	for (int i = optind; i < argc; i++) {
		const char *target = argv[i];
		char dir[512];
		struct stat st;
		/* A device (or any non-directory) names what is mounted. */
		if ((stat(target, &st) < 0 || !S_ISDIR(st.st_mode)) &&
		    mount_point_of(target, dir, sizeof(dir)))
			target = dir;
		if (umount2(target, flags) == 0)
			continue;
		status = 32;
		switch (errno) {
		case ENOSYS:
			fprintf(stderr, "umount: %s: this kernel does not support umount(2)\n", target);
			break;
		case EBUSY:
			fprintf(stderr, "umount: %s: target is busy.\n", target);
			break;
		case EPERM:
			fprintf(stderr, "umount: %s: must be superuser to unmount.\n", target);
			break;
		case ENOENT:
			fprintf(stderr, "umount: %s: no mount point specified.\n", target);
			break;
		default:
			fprintf(stderr, "umount: %s: %s\n", target, strerror(errno));
		}
	}
	return status;
}
