/*
 * user/coreutils/mount.c - mount [-t TYPE] [-o OPTS] [SOURCE DIR]: with no
 * arguments, list the mounts from /proc/mounts as "SOURCE on DIR type
 * TYPE (OPTIONS)", like util-linux; with SOURCE and DIR, call mount(2).
 * -o passes OPTS as the data string; its words ro, rw, remount, nosuid,
 * nodev, noexec, noatime and sync also set the mount flags. "mount -o
 * remount,ro DIR" changes a mounted file system. When the
 * kernel has no mount(2) (ENOSYS) that is said plainly.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* The MS_* flags named in a comma-separated option string. */
static unsigned long option_flags(const char *opts)
{
	static const struct { const char *name; unsigned long flag; } words[] = {
		{ "ro", MS_RDONLY }, { "remount", MS_REMOUNT }, { "nosuid", MS_NOSUID },
		{ "nodev", MS_NODEV }, { "noexec", MS_NOEXEC }, { "noatime", MS_NOATIME },
		{ "sync", MS_SYNCHRONOUS },
	};
	unsigned long flags = 0;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", opts ? opts : "");
	for (char *save, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "rw"))
			flags &= ~(unsigned long)MS_RDONLY;
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (!strcmp(w, words[i].name))
				flags |= words[i].flag;
	}
	return flags;
}

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
	unsigned long flags = option_flags(opts);
	const char *src, *dir;
	if ((flags & MS_REMOUNT) && argc - optind == 1) {
		src = "none";
		dir = argv[optind];
	} else if (argc - optind == 2) {
		src = argv[optind];
		dir = argv[optind + 1];
	} else {
		return usage();
	}
	if (mount(src, dir, type ? type : "auto", flags, opts) < 0) {
		if (errno == ENOSYS)
			fprintf(stderr, "mount: this kernel does not support mount(2)\n");
		else
			fprintf(stderr, "mount: %s on %s: %s\n", src, dir, strerror(errno));
		return 32;  /* util-linux: mount failure */
	}
	return 0;
}
