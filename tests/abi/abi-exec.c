/*
 * tests/abi/abi-exec.c - execve and posix_spawn (see tests/abi/README.md):
 * argv and envp passed intact, close-on-exec, #! scripts with and without
 * an argument, the error paths (ENOEXEC, E2BIG, ENOENT, EACCES, ENOTDIR,
 * EFAULT), exec from a second thread (the other threads end), fork then
 * exec of a missing file, vfork and exec, posix_spawn (musl's
 * clone(CLONE_VM|CLONE_VFORK)) with file actions and a missing program;
 * execveat relative to a directory descriptor, of a descriptor itself
 * (AT_EMPTY_PATH, musl's fexecve), of a script through a descriptor, and
 * its error paths.
 *
 * The program runs itself again in "show" mode, which prints what it was
 * given; argv[0] and the interpreter path are printed as base names, since
 * the binary lives elsewhere on the host and in RayOS.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define DIR_ "/tmp/abi-exec.d"
#define BAD ((void *)8)

extern char **environ;
static char self[4096];

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static int show(int argc, char **argv)
{
	printf("  argc %d, argv[0] %s\n", argc, base(argv[0]));
	for (int i = 1; i < argc; i++) {
		/* execveat's "/dev/fd/N[/path]": without the descriptor number */
		if (!strncmp(argv[i], "/dev/fd/", 8)) {
			const char *rest = argv[i] + 8 + strspn(argv[i] + 8, "0123456789");
			printf("  argv[%d] \"/dev/fd/(n)%s\"\n", i, rest);
			continue;
		}
		printf("  argv[%d] \"%s\"\n", i, strcmp(argv[i], self) ? argv[i] : "(self)");
	}
	int n = 0;
	for (char **e = environ; *e; e++, n++)
		printf("  env \"%s\"\n", *e);
	printf("  envc %d\n", n);
	return 0;
}

/* "fds A B": A was O_CLOEXEC, B not. */
static int fds(char **argv)
{
	int a = atoi(argv[2]), b = atoi(argv[3]);
	printf("  cloexec fd closed: %s\n", fcntl(a, F_GETFD) < 0 && errno == EBADF ? "yes" : "no");
	printf("  plain fd open: %s, flag %d\n", fcntl(b, F_GETFD) >= 0 ? "yes" : "no",
	       fcntl(b, F_GETFD));
	char buf[8] = { 0 };
	lseek(b, 0, SEEK_SET);
	read(b, buf, 5);
	printf("  plain fd reads: %s\n", buf);
	return 0;
}

static int threads(void)
{
	printf("  gettid after exec from a thread is getpid: %s\n", gettid() == getpid() ? "yes" : "no");
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Threads:", 8))
			printf("  after exec from a thread: %s", line);
	if (f)
		fclose(f);
	return 0;
}

/* Run argv (path) in a child and report how it ended. */
static void run(const char *label, const char *path, char *const argv[], char *const envp[])
{
	printf("%s:\n", label);
	pid_t c = fork();
	if (c == 0) {
		execve(path, argv, envp);
		printf("  execve failed: %s\n", ename(errno));
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	printf("  status: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

/* The same for execveat(dirfd, path, ..., flags). */
static void run_at(const char *label, int dirfd, const char *path, char *const argv[],
                   char *const envp[], int flags)
{
	printf("%s:\n", label);
	pid_t c = fork();
	if (c == 0) {
		syscall(SYS_execveat, dirfd, path, argv, envp, flags);
		printf("  execveat failed: %s\n", ename(errno));
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	printf("  status: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	write(fd, text, strlen(text));
	close(fd);
	chmod(path, mode);
}

static void test_args(void)
{
	char *argv[] = { "zero", "show", "a b", "", "tab\there", "last", NULL };
	char *envp[] = { "X=1", "EMPTY=", "NOEQUALS", NULL };
	run("argv and envp", self, argv, envp);
	char *argv2[] = { "only", "show", NULL };
	char *envp2[] = { NULL };
	run("empty envp", self, argv2, envp2);
	static char big[200000];
	memset(big, 'x', sizeof(big) - 1);
	char *argv3[] = { "big", "show", big, NULL };
	R("execve one 200 KB string", execve(self, argv3, envp2));
	static char *many[200];
	static char chunk[100000];
	memset(chunk, 'y', sizeof(chunk) - 1);
	many[0] = "many";
	for (int i = 1; i < 199; i++)
		many[i] = chunk;
	many[199] = NULL;
	R("execve 20 MB of args", execve(self, many, envp2));
	R("execve bad argv", syscall(SYS_execve, self, BAD, envp2));
	char *badarg[] = { "x", BAD, NULL };
	R("execve bad argv string", execve(self, badarg, envp2));
	R("execve bad envp", syscall(SYS_execve, self, argv2, BAD));
}

static void test_errors(void)
{
	char *argv[] = { "x", "show", NULL };
	char *envp[] = { NULL };
	mkdir(DIR_, 0755);
	write_file(DIR_ "/garbage", "this is not a program\n", 0755);
	R("ENOEXEC garbage", execve(DIR_ "/garbage", argv, envp));
	write_file(DIR_ "/empty", "", 0755);
	R("ENOEXEC empty file", execve(DIR_ "/empty", argv, envp));
	write_file(DIR_ "/noexec", "#!/bin/sh\n", 0644);
	R("EACCES not executable", execve(DIR_ "/noexec", argv, envp));
	R("EACCES directory", execve(DIR_, argv, envp));
	R("ENOENT missing", execve(DIR_ "/missing", argv, envp));
	R("ENOENT empty path", execve("", argv, envp));
	R("ENOTDIR file in path", execve(DIR_ "/garbage/x", argv, envp));
	R("EFAULT path", syscall(SYS_execve, BAD, argv, envp));
	write_file(DIR_ "/badinterp", "#!" DIR_ "/missing-interp\n", 0755);
	R("ENOENT missing interpreter", execve(DIR_ "/badinterp", argv, envp));
	write_file(DIR_ "/nointerp", "#!\n", 0755);
	R("ENOEXEC #! without interpreter", execve(DIR_ "/nointerp", argv, envp));
	run("fork then exec missing", DIR_ "/missing", argv, envp);
}

static void test_scripts(void)
{
	char text[4200];
	char *envp[] = { "S=1", NULL };
	snprintf(text, sizeof(text), "#!%s show\n", self);
	write_file(DIR_ "/s1", text, 0755);
	char *argv[] = { "s1", "x", "y", NULL };
	run("#! with argument", DIR_ "/s1", argv, envp);
	snprintf(text, sizeof(text), "#! %s   show two words  \n", self);
	write_file(DIR_ "/s2", text, 0755);
	run("#! argument with spaces", DIR_ "/s2", argv, envp);
	snprintf(text, sizeof(text), "#!%s\n", self);
	write_file(DIR_ "/s3", text, 0755);
	char *argv3[] = { "s3", "show", NULL };
	run("#! without argument", DIR_ "/s3", argv3, envp);
	snprintf(text, sizeof(text), "#!%s show\n", DIR_ "/s1");
	write_file(DIR_ "/s4", text, 0755);
	run("#! of a #! script", DIR_ "/s4", argv, envp);
}

static void test_cloexec(void)
{
	write_file(DIR_ "/data", "hello", 0644);
	int a = open(DIR_ "/data", O_RDONLY | O_CLOEXEC);
	int b = open(DIR_ "/data", O_RDONLY);
	lseek(b, 3, SEEK_SET);
	char sa[16], sb[16];
	snprintf(sa, sizeof(sa), "%d", a);
	snprintf(sb, sizeof(sb), "%d", b);
	char *argv[] = { "fds", "fds", sa, sb, NULL };
	char *envp[] = { NULL };
	run("close-on-exec", self, argv, envp);
	close(a);
	close(b);
}

static void test_execveat(void)
{
	char *argv[] = { "at", "show", "x", NULL };
	char *envp[] = { "A=1", NULL };
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", self);
	*strrchr(dir, '/') = 0;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	run_at("execveat relative to a directory fd", dfd, base(self), argv, envp, 0);
	int fd = open(self, O_RDONLY);
	run_at("execveat AT_EMPTY_PATH", fd, "", argv, envp, AT_EMPTY_PATH);
	int pfd = open(self, O_PATH);
	run_at("execveat AT_EMPTY_PATH of an O_PATH fd", pfd, "", argv, envp, AT_EMPTY_PATH);
	run_at("execveat absolute path ignores dirfd", 12345, self, argv, envp, 0);
	int sdir = open(DIR_, O_RDONLY | O_DIRECTORY);
	run_at("execveat #! script relative to a fd", sdir, "s1", argv, envp, 0);
	int cdir = open(DIR_, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	run_at("execveat #! script relative to a cloexec fd", cdir, "s1", argv, envp, 0);
	int sfd = open(DIR_ "/s1", O_RDONLY | O_CLOEXEC);
	run_at("execveat AT_EMPTY_PATH #! script, cloexec fd", sfd, "", argv, envp, AT_EMPTY_PATH);
	int cself = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	run_at("execveat ELF relative to a cloexec fd", cself, base(self), argv, envp, 0);
	close(cself);
	symlink(self, DIR_ "/link");
	run_at("execveat through a symlink", sdir, "link", argv, envp, 0);
	R("execveat AT_SYMLINK_NOFOLLOW on a symlink",
	  syscall(SYS_execveat, sdir, "link", argv, envp, AT_SYMLINK_NOFOLLOW));
	R("execveat bad flags", syscall(SYS_execveat, dfd, base(self), argv, envp, 0x8000));
	R("execveat empty path without AT_EMPTY_PATH", syscall(SYS_execveat, fd, "", argv, envp, 0));
	R("execveat AT_EMPTY_PATH of AT_FDCWD",
	  syscall(SYS_execveat, AT_FDCWD, "", argv, envp, AT_EMPTY_PATH));
	R("execveat AT_EMPTY_PATH of a directory",
	  syscall(SYS_execveat, dfd, "", argv, envp, AT_EMPTY_PATH));
	R("execveat AT_EMPTY_PATH of a bad fd", syscall(SYS_execveat, 999, "", argv, envp, AT_EMPTY_PATH));
	R("execveat bad dirfd", syscall(SYS_execveat, 999, "x", argv, envp, 0));
	R("execveat dirfd not a directory", syscall(SYS_execveat, fd, "x", argv, envp, 0));
	R("execveat missing relative", syscall(SYS_execveat, sdir, "missing", argv, envp, 0));
	R("execveat EFAULT path", syscall(SYS_execveat, sdir, BAD, argv, envp, 0));
	close(dfd);
	close(fd);
	close(pfd);
	close(sdir);
	close(cdir);
	close(sfd);
	unlink(DIR_ "/link");
}

static void *exec_thread(void *arg)
{
	(void)arg;
	char *argv[] = { "t", "threads", NULL };
	char *envp[] = { NULL };
	execve(self, argv, envp);
	printf("  exec from thread failed: %s\n", ename(errno));
	_exit(1);
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void test_thread_exec(void)
{
	printf("exec from a thread:\n");
	pid_t c = fork();
	if (c == 0) {
		pthread_t t1, t2;
		pthread_create(&t1, NULL, sleeper, NULL);
		pthread_create(&t2, NULL, exec_thread, NULL);
		for (;;)
			pause();
	}
	int st;
	pid_t w = waitpid(c, &st, 0);
	printf("  waited for the process: %s, status: %s %d\n", w == c ? "yes" : "no",
	       WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

static void test_vfork_spawn(void)
{
	printf("vfork and exec:\n");
	char *argv[] = { "v", "show", "vforked", NULL };
	char *envp[] = { "V=1", NULL };
	pid_t c = vfork();
	if (c == 0) {
		execve(self, argv, envp);
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	printf("  status: %d\n", WEXITSTATUS(st));

	printf("posix_spawn:\n");
	pid_t pid;
	char *sargv[] = { "sp", "show", "spawned", NULL };
	/* The child may print before posix_spawn returns: report after. */
	int e = posix_spawn(&pid, self, NULL, NULL, sargv, envp);
	waitpid(pid, &st, 0);
	E("  posix_spawn", e);
	printf("  status: %d\n", WEXITSTATUS(st));
	E("posix_spawn missing", posix_spawn(&pid, DIR_ "/missing", NULL, NULL, sargv, envp));
	E("posix_spawn not executable", posix_spawn(&pid, DIR_ "/noexec", NULL, NULL, sargv, envp));
	E("posix_spawn garbage", posix_spawn(&pid, DIR_ "/garbage", NULL, NULL, sargv, envp));

	printf("posix_spawn with file actions:\n");
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 9, DIR_ "/data", O_RDONLY, 0);
	char *fargv[] = { "fa", "fds", "200", "9", NULL };
	e = posix_spawn(&pid, self, &fa, NULL, fargv, envp);
	waitpid(pid, &st, 0);
	E("  posix_spawn", e);
	printf("  status: %d\n", WEXITSTATUS(st));
	posix_spawn_file_actions_destroy(&fa);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 9, DIR_ "/missing", O_RDONLY, 0);
	E("posix_spawn failing open", posix_spawn(&pid, self, &fa, NULL, fargv, envp));
	posix_spawn_file_actions_destroy(&fa);
	char *pargv[] = { "sp", "show", "via PATH", NULL };
	char *penv[] = { NULL };
	E("posix_spawnp missing", posix_spawnp(&pid, "abi-exec-no-such-program", NULL, NULL, pargv, penv));
}

static void cleanup(void)
{
	static const char *files[] = { "garbage", "empty", "noexec", "badinterp", "nointerp",
	                               "s1", "s2", "s3", "s4", "data", "link" };
	char p[256];
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), DIR_ "/%s", files[i]);
		unlink(p);
	}
	rmdir(DIR_);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	long n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	if (argc > 3 && !strcmp(argv[1], "fds"))
		return fds(argv);
	if (argc > 1 && !strcmp(argv[1], "threads"))
		return threads();
	/* Anything else given (a script's argument too): show it, never run
	 * the tests again. */
	if (argc != 1)
		return show(argc, argv);
	/* The limits decide E2BIG: make them the same everywhere. */
	struct rlimit rl;
	getrlimit(RLIMIT_STACK, &rl);
	rl.rlim_cur = 8 << 20;
	setrlimit(RLIMIT_STACK, &rl);
	cleanup();
	test_args();
	test_errors();
	test_scripts();
	test_cloexec();
	test_execveat();
	test_thread_exec();
	test_vfork_spawn();
	cleanup();
	puts("DONE");
	return 0;
}
