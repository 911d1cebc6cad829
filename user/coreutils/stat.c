/*
 * user/coreutils/stat.c - stat [-L] [-c FORMAT] file...: show file status.
 * The default output is GNU stat's (File, Size/Blocks/IO Block/type,
 * Device/Inode/Links[/Device type], Access mode/Uid/Gid, the three times
 * with nanoseconds and zone, and " Birth: -": the birth time is not
 * shown). -L follows symbolic links. -c FORMAT prints FORMAT and a
 * newline per file, with GNU's directives %n %N %s %b %B %o %f %F %a %A
 * %u %U %g %G %h %i %d %D %t %T %x %X %y %Y %z %Z %%, and \n \t escapes.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static void mode_string(mode_t m, char *s)
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	       S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[i + 1] = m & (0400 >> i) ? rwx[i] : '-';
	if (m & S_ISUID) s[3] = s[3] == 'x' ? 's' : 'S';
	if (m & S_ISGID) s[6] = s[6] == 'x' ? 's' : 'S';
	if (m & S_ISVTX) s[9] = s[9] == 'x' ? 't' : 'T';
	s[10] = 0;
}

static const char *type_name(const struct stat *st)
{
	mode_t m = st->st_mode;
	return S_ISREG(m) ? (st->st_size ? "regular file" : "regular empty file") :
	       S_ISDIR(m) ? "directory" : S_ISLNK(m) ? "symbolic link" :
	       S_ISCHR(m) ? "character special file" : S_ISBLK(m) ? "block special file" :
	       S_ISFIFO(m) ? "fifo" : S_ISSOCK(m) ? "socket" : "weird file";
}

static const char *user_name(uid_t u)
{
	struct passwd *pw = getpwuid(u);
	return pw ? pw->pw_name : "UNKNOWN";
}

static const char *group_name(gid_t g)
{
	struct group *gr = getgrgid(g);
	return gr ? gr->gr_name : "UNKNOWN";
}

static void put_time(const struct timespec *ts)
{
	char buf[64], zone[16];
	struct tm *tm = localtime(&ts->tv_sec);
	if (!tm) {
		printf("?");
		return;
	}
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", tm);
	strftime(zone, sizeof zone, "%z", tm);
	printf("%s.%09ld %s", buf, ts->tv_nsec, zone);
}

static void put_name(const char *path, const struct stat *st, int quoted)
{
	const char *q = quoted ? "'" : "";
	printf("%s%s%s", q, path, q);
	if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n >= 0) {
			target[n] = 0;
			printf(" -> %s%s%s", q, target, q);
		}
	}
}

static void format(const char *f, const char *path, const struct stat *st)
{
	char mode[11];
	for (; *f; f++) {
		if (*f == '\\' && f[1]) {
			f++;
			putchar(*f == 'n' ? '\n' : *f == 't' ? '\t' : *f == '\\' ? '\\' : *f);
			continue;
		}
		if (*f != '%' || !f[1]) {
			putchar(*f);
			continue;
		}
		switch (*++f) {
		case '%': putchar('%'); break;
		case 'n': fputs(path, stdout); break;
		case 'N': put_name(path, st, 1); break;
		case 's': printf("%lld", (long long)st->st_size); break;
		case 'b': printf("%lld", (long long)st->st_blocks); break;
		case 'B': printf("512"); break;
		case 'o': printf("%ld", (long)st->st_blksize); break;
		case 'f': printf("%x", (unsigned)st->st_mode); break;
		case 'F': fputs(type_name(st), stdout); break;
		case 'a': printf("%o", (unsigned)st->st_mode & 07777); break;
		case 'A': mode_string(st->st_mode, mode); fputs(mode, stdout); break;
		case 'u': printf("%u", (unsigned)st->st_uid); break;
		case 'U': fputs(user_name(st->st_uid), stdout); break;
		case 'g': printf("%u", (unsigned)st->st_gid); break;
		case 'G': fputs(group_name(st->st_gid), stdout); break;
		case 'h': printf("%lu", (unsigned long)st->st_nlink); break;
		case 'i': printf("%lu", (unsigned long)st->st_ino); break;
		case 'd': printf("%lu", (unsigned long)st->st_dev); break;
		case 'D': printf("%lx", (unsigned long)st->st_dev); break;
		case 't': printf("%x", major(st->st_rdev)); break;
		case 'T': printf("%x", minor(st->st_rdev)); break;
		case 'x': put_time(&st->st_atim); break;
		case 'X': printf("%lld", (long long)st->st_atim.tv_sec); break;
		case 'y': put_time(&st->st_mtim); break;
		case 'Y': printf("%lld", (long long)st->st_mtim.tv_sec); break;
		case 'z': put_time(&st->st_ctim); break;
		case 'Z': printf("%lld", (long long)st->st_ctim.tv_sec); break;
		default: putchar('?'); break;
		}
	}
	putchar('\n');
}

static void standard(const char *path, const struct stat *st)
{
	char mode[11], num[32];
	printf("  File: ");
	put_name(path, st, 0);
	printf("\n");
	snprintf(num, sizeof num, "%lld", (long long)st->st_size);
	printf("  Size: %-10s\tBlocks: %-10lld IO Block: %-6ld %s\n", num,
	       (long long)st->st_blocks, (long)st->st_blksize, type_name(st));
	snprintf(num, sizeof num, "%u,%u", major(st->st_dev), minor(st->st_dev));
	printf("Device: %s\tInode: %-11lu Links: ", num, (unsigned long)st->st_ino);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		printf("%-5lu Device type: %u,%u\n", (unsigned long)st->st_nlink,
		       major(st->st_rdev), minor(st->st_rdev));
	else
		printf("%lu\n", (unsigned long)st->st_nlink);
	mode_string(st->st_mode, mode);
	printf("Access: (%04o/%s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n",
	       (unsigned)st->st_mode & 07777, mode, (unsigned)st->st_uid,
	       user_name(st->st_uid), (unsigned)st->st_gid, group_name(st->st_gid));
	printf("Access: ");
	put_time(&st->st_atim);
	printf("\nModify: ");
	put_time(&st->st_mtim);
	printf("\nChange: ");
	put_time(&st->st_ctim);
	printf("\n Birth: -\n");
}

int main(int argc, char **argv)
{
	int opt, follow = 0, status = 0;
	const char *fmt = NULL;

	while ((opt = getopt(argc, argv, "Lc:")) != -1) {
		if (opt == 'L')
			follow = 1;
		else if (opt == 'c')
			fmt = optarg;
		else
			goto usage;
	}
	if (optind == argc)
		goto usage;
	for (int i = optind; i < argc; i++) {
		struct stat st;
		if ((follow ? stat(argv[i], &st) : lstat(argv[i], &st)) < 0) {
			fprintf(stderr, "stat: cannot statx '%s': %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (fmt)
			format(fmt, argv[i], &st);
		else
			standard(argv[i], &st);
	}
	return fflush(stdout) ? 1 : status;
usage:
	fprintf(stderr, "usage: stat [-L] [-c FORMAT] file...\n");
	return 2;
}
