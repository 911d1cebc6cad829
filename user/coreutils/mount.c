/*
 * user/coreutils/mount.c - mount [-t TYPE] [-o OPTS] [SOURCE DIR]: with no
 * arguments, list the mounts from /proc/mounts as "SOURCE on DIR type
 * TYPE (OPTIONS)", like util-linux; with SOURCE and DIR, call mount(2).
 * -o passes OPTS as the data string (plus "ro" -> MS_RDONLY). When the
 * kernel has no mount(2) (ENOSYS) that is said plainly.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: mount [-t TYPE] [-o OPTIONS] [SOURCE DIR]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int opt;
	const char *type = NULL, *opts = NULL;
	while ((opt = getopt(argc, argv, "t:o:")) != -1) {
		switch (opt) {
		case 't': type = optarg; break;
		case 'o': opts = optarg; break;
		default: return usage();
		}
	}
	if (optind == argc) {
		FILE *f = fopen("/proc/mounts", "r");
		if (!f) {
			perror("mount: /proc/mounts");
			return 1;
		}
		char line[512], src[128], dir[256], fs[64], mo[128];
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%127s %255s %63s %127s", src, dir, fs, mo) == 4 &&
			    (!type || !strcmp(type, fs)))
				printf("%s on %s type %s (%s)\n", src, dir, fs, mo);
		fclose(f);
		return 0;
	}
	if (argc - optind != 2)
		return usage();
	const char *src = argv[optind], *dir = argv[optind + 1];
	unsigned long flags = 0;
	if (opts && (!strcmp(opts, "ro") || !strncmp(opts, "ro,", 3)))
		flags |= MS_RDONLY;
	if (mount(src, dir, type ? type : "auto", flags, opts) < 0) {
		if (errno == ENOSYS)
			fprintf(stderr, "mount: this kernel does not support mount(2)\n");
		else
			fprintf(stderr, "mount: %s on %s: %s\n", src, dir, strerror(errno));
		return 32;  /* util-linux: mount failure */
	}
	return 0;
}
