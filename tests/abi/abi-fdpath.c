/*
 * tests/abi/abi-fdpath.c - the names of open files (see tests/abi/README.md):
 * readlink of /proc/self/fd/N for files opened by absolute and relative
 * paths, through "..", a symlink and a directory descriptor, created with
 * O_CREAT, opened with O_PATH; after the file is unlinked (" (deleted)"),
 * renamed (within its directory, into another, twice, replaced, swapped
 * with RENAME_EXCHANGE), or its directory renamed; directories,
 * /dev/null, pipes, sockets, eventfd/epoll/timerfd; lstat of the link
 * (ls -l); /proc/self/exe, also for a program run through a symlink; the
 * path column of /proc/self/maps for a mapped file (and unlinked), and the
 * trailing space of an unnamed area's line.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define D "/tmp/abi-fdpath.d"

static void show(const char *label, int fd)
{
	printf("%s: %s\n", label, fd < 0 ? ename(errno) : fdlink(fd));
	if (fd >= 0)
		close(fd);
}

/* A link of the form kind:[number]: print kind:[N]. */
static void show_kind(const char *label, int fd)
{
	const char *l = fd < 0 ? "" : fdlink(fd);
	const char *b = strchr(l, '[');
	size_t n = strlen(l);
	bool num = b && n > 2 && l[n - 1] == ']' && b[1] >= '0' && b[1] <= '9';
	if (num)
		printf("%s: %.*s[N]\n", label, (int)(b - l), l);
	else
		printf("%s: %s\n", label, l);
	if (fd >= 0)
		close(fd);
}

static void cleanup(void)
{
	static const char *files[] = { D "/f", D "/g", D "/h", D "/i", D "/j",
	                               D "/m", D "/new", D "/l", D "/prog",
	                               D "/sub2/k", D "/sub/k", D "/k2", D "/r1", D "/sub/r2",
	                               D "/r3", D "/v", D "/x" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	rmdir(D "/sub");
	rmdir(D "/sub2");
	rmdir(D);
}

static void test_files(void)
{
	close(open(D "/f", O_CREAT | O_WRONLY, 0644));
	mkdir(D "/sub", 0755);
	symlink("f", D "/l");
	show("absolute path", open(D "/f", O_RDONLY));
	show("double slashes and dots", open("/tmp//abi-fdpath.d/./sub/../f", O_RDONLY));
	chdir(D "/sub");
	show("relative with ..", open("../f", O_RDONLY));
	chdir(D);
	show("relative", open("f", O_RDONLY));
	show("through a symlink", open("l", O_RDONLY));
	show("O_PATH", open("f", O_PATH));
	show("O_PATH|O_NOFOLLOW of a symlink", open("l", O_PATH | O_NOFOLLOW));
	int dfd = open(D "/sub", O_RDONLY | O_DIRECTORY);
	show("openat dirfd", openat(dfd, "../f", O_RDONLY));
	show("O_CREAT new", openat(dfd, "k", O_CREAT | O_RDWR, 0644));
	show("O_CREAT existing", open(D "/f", O_CREAT | O_RDWR, 0644));
	show("O_CREAT through a symlink", open(D "/l", O_CREAT | O_RDWR, 0644));
	show("directory", open(D "/sub", O_RDONLY | O_DIRECTORY));
	show("directory dirfd", dup(dfd));
	show("root", open("/", O_RDONLY));
	show("/dev/null", open("/dev/null", O_RDWR));
	int fd = open(D "/f", O_RDONLY);
	int dup_fd = dup(fd);
	show("dup", dup_fd);
	/* ls -l: the fd entries are symlinks */
	char p[64];
	struct stat st;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	CHECK("lstat is a symlink", lstat(p, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK("stat is the file", stat(p, &st) == 0 && S_ISREG(st.st_mode));
	char small[8];
	R("readlink small buffer", readlink(p, small, 5));
	printf("truncated: %.5s\n", small);
	close(fd);

	/* unlink, rename */
	close(open(D "/g", O_CREAT | O_WRONLY, 0644));
	fd = open(D "/g", O_RDONLY);
	unlink(D "/g");
	show("unlinked", fd);
	close(open(D "/h", O_CREAT | O_WRONLY, 0644));
	link(D "/h", D "/i");
	fd = open(D "/h", O_RDONLY);
	unlink(D "/h");
	snprintf(p, sizeof(p), "%s", fdlink(fd));
	CHECK("unlinked with another link is not deleted", !strstr(p, "(deleted)"));
	close(fd);
	close(open(D "/j", O_CREAT | O_WRONLY, 0644));
	fd = open(D "/j", O_RDONLY);
	rename(D "/j", D "/new");
	show("renamed in its directory", fd);
	fd = openat(dfd, "k", O_RDONLY);
	rename(D "/sub", D "/sub2");
	show("its directory renamed", fd);
	rename(D "/sub2", D "/sub");
	close(open(D "/sub/k", O_CREAT | O_WRONLY, 0644));
	fd = open(D "/sub/k", O_RDONLY);
	rename(D "/sub/k", D "/k2");
	show("renamed into another directory", fd);
	unlink(D "/k2");
	close(dfd);
	/* renamed twice, replaced by a rename, swapped */
	close(open(D "/r1", O_CREAT | O_WRONLY, 0644));
	fd = open(D "/r1", O_RDONLY);
	rename(D "/r1", D "/sub/r2");
	rename(D "/sub/r2", D "/r3");
	show("renamed twice", fd);
	close(open(D "/v", O_CREAT | O_WRONLY, 0644));
	int victim = open(D "/v", O_RDONLY);
	rename(D "/r3", D "/v");
	show("replaced by a rename", victim);
	close(open(D "/x", O_CREAT | O_WRONLY, 0644));
	fd = open(D "/v", O_RDONLY);
	int x = open(D "/x", O_RDONLY);
	R("RENAME_EXCHANGE", syscall(SYS_renameat2, AT_FDCWD, D "/v", AT_FDCWD, D "/x", 2));
	show("exchanged, first", fd);
	show("exchanged, second", x);
	unlink(D "/v");
	unlink(D "/x");
	fd = open(D "/f", O_RDONLY);
	close(open(D "/f", O_CREAT | O_WRONLY, 0644));
	show("after another open", fd);
}

static void test_anon(void)
{
	int p[2];
	pipe(p);
	show_kind("pipe read end", p[0]);
	show_kind("pipe write end", p[1]);
	int s[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	show_kind("socketpair", s[0]);
	close(s[1]);
	show_kind("socket", socket(AF_INET, SOCK_DGRAM, 0));
	show_kind("eventfd", eventfd(0, 0));
	show_kind("epoll", epoll_create1(0));
	show_kind("timerfd", timerfd_create(CLOCK_MONOTONIC, 0));
	mkfifo(D "/m", 0644);
	int fd = open(D "/m", O_RDWR);
	show("named FIFO", fd);
}

/* The line of /proc/self/maps for the area starting at addr. */
static int maps_line(void *addr, char *out, size_t size)
{
	static char buf[65536];
	int fd = open("/proc/self/maps", O_RDONLY);
	size_t len = 0;
	long n;
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = 0;
	close(fd);
	char start[32];
	int k = snprintf(start, sizeof(start), "%08lx-", (unsigned long)addr);
	for (char *l = buf; *l;) {
		char *e = strchr(l, '\n');
		if (!e)
			break;
		if (!strncmp(l, start, (size_t)k)) {
			snprintf(out, size, "%.*s", (int)(e - l), l);
			return 0;
		}
		l = e + 1;
	}
	return -1;
}

/* The name column of a maps line: from column 74 (as Linux pads). */
static void show_map_name(const char *label, void *addr)
{
	char line[PATH_MAX + 128];
	if (maps_line(addr, line, sizeof(line))) {
		printf("%s: (no line)\n", label);
		return;
	}
	size_t n = strlen(line);
	printf("%s: %s\n", label, n > 73 && line[72] == ' ' && line[73] != ' ' ? line + 73 : "(bad column)");
}

static void test_maps(void)
{
	int fd = open(D "/f", O_RDWR);
	ftruncate(fd, 4096);
	void *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	show_map_name("maps of a shared file mapping", m);
	void *pm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	show_map_name("maps of a private file mapping", pm);
	close(fd);
	CHECK("still named after close", ({
		char line[PATH_MAX + 128];
		!maps_line(m, line, sizeof(line)) && strstr(line, D "/f");
	}));
	munmap(pm, 4096);
	fd = open(D "/g", O_CREAT | O_RDWR, 0644);
	ftruncate(fd, 4096);
	void *g = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	unlink(D "/g");
	show_map_name("maps of an unlinked file", g);
	munmap(g, 4096);
	char line[PATH_MAX + 128];
	void *a = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok = !maps_line(a, line, sizeof(line));
	size_t n = strlen(line);
	CHECK("anonymous line ends in inode and a space", ok && n > 3 && !strcmp(line + n - 3, " 0 "));
	munmap(a, 8192);
	munmap(m, 4096);
}

static void test_exe(const char *argv0)
{
	char buf[PATH_MAX];
	long n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	struct stat a, b;
	CHECK("exe is absolute", buf[0] == '/');
	CHECK("exe names the program", stat(buf, &a) == 0 && stat("/proc/self/exe", &b) == 0 &&
	      a.st_dev == b.st_dev && a.st_ino == b.st_ino);
	/* The program's own areas in maps: named after it, with offsets */
	FILE *mf = fopen("/proc/self/maps", "r");
	char line[PATH_MAX + 128];
	int segs = 0;
	while (mf && fgets(line, sizeof(line), mf)) {
		char perms[8], path[PATH_MAX];
		unsigned long off, ino;
		path[0] = 0;
		if (sscanf(line, "%*x-%*x %7s %lx %*x:%*x %lu %s", perms, &off, &ino, path) < 3)
			continue;
		if (strcmp(path, buf))
			continue;
		segs++;
		printf("program area: %s offset %08lx inode is the program's: %s\n", perms, off,
		       ino == (unsigned long)a.st_ino ? "yes" : "no");
	}
	if (mf)
		fclose(mf);
	CHECK("program has named areas", segs > 0);
	symlink(buf, D "/prog");
	pid_t pid = fork();
	if (pid == 0) {
		execl(D "/prog", argv0, "exe-child", (char *)NULL);
		_exit(99);
	}
	int status;
	waitpid(pid, &status, 0);
	CHECK("child exited 0", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fflush(stdout);
}

/* Run through the symlink: exe is the file, not the link. */
static int exe_child(void)
{
	char buf[PATH_MAX];
	long n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	const char *base = strrchr(buf, '/');
	printf("exe through a symlink ends with: %s\n", base ? base : buf);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exe-child"))
		return exe_child();
	setvbuf(stdout, NULL, _IONBF, 0);
	cleanup();
	mkdir(D, 0755);
	test_files();
	test_anon();
	test_maps();
	test_exe(argv[0]);
	cleanup();
	printf("DONE\n");
	return 0;
}
