/*
 * user/tests/t-mount.c - t-mount DIR: mount(2), umount2(2) and statfs(2)
 * at the system-call level, where the shell tools cannot reach: bad
 * pointers and flags, what a non-root caller gets, statfs's f_flags on a
 * read-only mount, sync/syncfs/fsync/fdatasync on a tmpfs file. DIR must
 * be an empty directory. Prints PASS/FAIL lines and "t-mount: N failures".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void expect(long r, int err, const char *what)
{
	int e = errno;
	bool ok = err ? (r == -1 && e == err) : r == 0;
	printf("%s: %s -> %ld (%s)\n", ok ? "PASS" : "FAIL", what, r,
	       r ? strerror(e) : "ok");
	if (!ok)
		failures++;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: t-mount DIR\n");
		return 2;
	}
	const char *dir = argv[1];
	expect(syscall(SYS_mount, "x", (char *)0x10, "tmpfs", 0, NULL), EFAULT, "mount bad target");
	expect(syscall(SYS_mount, "x", dir, (char *)0x10, 0, NULL), EFAULT, "mount bad type");
	expect(syscall(SYS_mount, "x", dir, "tmpfs", 0, (char *)0x10), EFAULT, "mount bad data");
	expect(mount("x", dir, "nosuchfs", 0, NULL), ENODEV, "mount unknown type");
	expect(mount("/dev/null", dir, "auto", 0, NULL), ENOTBLK, "mount a char device");
	expect(mount("x", "/dev/null", "tmpfs", 0, NULL), ENOTDIR, "mount on a file");
	expect(mount("x", dir, "tmpfs", MS_BIND, NULL), EINVAL, "bind mount (unsupported)");
	expect(umount2(dir, 0), EINVAL, "umount a plain directory");
	expect(umount2("/", 0), EBUSY, "umount /");
	expect(umount2(dir, 0x100), EINVAL, "umount2 bad flags");
	expect(syscall(SYS_umount2, (char *)0x10, 0), EFAULT, "umount2 bad path");

	expect(mount("t", dir, "tmpfs", MS_RDONLY, NULL), 0, "mount tmpfs ro");
	struct statfs st;
	expect(statfs(dir, &st), 0, "statfs");
	bool ro = (st.f_flags & ST_RDONLY) && st.f_type == 0x01021994;
	printf("%s: statfs f_type %#lx f_flags %#lx\n", ro ? "PASS" : "FAIL",
	       (unsigned long)st.f_type, (unsigned long)st.f_flags);
	failures += !ro;
	expect(mount("t", dir, NULL, MS_REMOUNT, NULL), 0, "remount rw");
	expect(statfs(dir, &st), 0, "statfs");
	if (st.f_flags & ST_RDONLY) {
		printf("FAIL: still ST_RDONLY\n");
		failures++;
	}
	char path[256];
	snprintf(path, sizeof(path), "%s/f", dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	expect(fd >= 0 ? 0 : -1, 0, "create");
	expect(write(fd, "x", 1) == 1 ? 0 : -1, 0, "write");
	expect(fsync(fd), 0, "fsync");
	expect(fdatasync(fd), 0, "fdatasync");
	expect(syncfs(fd), 0, "syncfs");
	expect(fsync(-1), EBADF, "fsync bad fd");
	int p[2];
	if (pipe(p) < 0)
		return 1;
	expect(fsync(p[0]), EINVAL, "fsync a pipe");
	expect(umount2(dir, 0), EBUSY, "umount with a file open");
	close(fd);

	/* Not root: EPERM for both. */
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(65534) < 0)
			_exit(3);
		if (mount("t", dir, "tmpfs", 0, NULL) == 0 || errno != EPERM)
			_exit(1);
		if (umount2(dir, 0) == 0 || errno != EPERM)
			_exit(2);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	expect(WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1, 0,
	       "non-root mount/umount2 -> EPERM");
	expect(umount2(dir, 0), 0, "umount");
	printf("t-mount: %d failures\n", failures);
	return failures != 0;
}
