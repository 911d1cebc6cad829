/*
 * tests/abi/abi-creds.c - user and group identities (see
 * tests/abi/README.md): getresuid/getresgid, setuid/setreuid/setresuid
 * transitions and their EPERM rules once root is dropped, the same for
 * groups, getgroups/setgroups (sizes, EINVAL, EFAULT, EPERM), setfsuid,
 * and what a dropped process may still do: kill, chown, chmod, open of a
 * root-only file, access() with the real against the effective uid.
 * Every check runs in a child, which starts as root (the suite runs as
 * root on the host and in RayOS).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define F "/tmp/abi-creds.f"
#define BAD ((void *)8)

static void ids(const char *label)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("%s: uid %u/%u/%u gid %u/%u/%u\n", label, r, e, s, gr, ge, gs);
}

static void in_child(void (*fn)(void))
{
	pid_t c = fork();
	if (c == 0) {
		fn();
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("child status: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static void uid_transitions(void)
{
	ids("start");
	R("setresuid 1000 2000 0", setresuid(1000, 2000, 0));
	ids("after setresuid");
	R("setresuid back to 0 via saved", setresuid(-1, 0, -1));
	ids("euid back");
	R("setreuid 1000 1000", setreuid(1000, 1000));
	ids("after setreuid");
	R("seteuid 0 after dropping all", seteuid(0));
	R("setuid 0 after dropping all", setuid(0));
	R("setresuid 2000 -1 -1", setresuid(2000, -1, -1));
	R("setresuid to own ids", setresuid(1000, 1000, 1000));
	R("setuid own", setuid(1000));
	R("setgid 0 unprivileged", setgid(0));
	R("setgroups unprivileged", setgroups(0, NULL));
	R("kill init unprivileged", kill(1, 0));
	R("kill self", kill(getpid(), 0));
	R("chown unprivileged", chown(F, 1000, 1000));
	R("chmod other's file", chmod(F, 0777));
	R("open root-only file", open(F, O_RDONLY));
	R("setpriority lower nice unprivileged", setpriority(0, 0, -5));
	R("setresuid -1 -1 -1", setresuid(-1, -1, -1));
	ids("end");
}

static void setuid_from_root(void)
{
	R("setuid 1000 as root", setuid(1000));
	ids("after setuid as root");
	R("setuid 0 again", setuid(0));
}

static void seteuid_only(void)
{
	R("seteuid 1000", seteuid(1000));
	ids("after seteuid");
	R("access as real root", access(F, R_OK));
	R("open as effective 1000", open(F, O_RDONLY));
	R("faccessat AT_EACCESS", faccessat(AT_FDCWD, F, R_OK, AT_EACCESS));
	R("seteuid 0 via real/saved", seteuid(0));
	ids("back");
	R("setfsuid returns old", setfsuid(1000));
	R("setfsuid query", setfsuid(-1));
	R("open as fsuid 1000", open(F, O_RDONLY));
	setfsuid(0);
	R("open as fsuid 0", open(F, O_RDONLY) >= 0 ? 0 : -1);
}

static void groups(void)
{
	gid_t list[4] = { 5, 6, 7, 6 };
	R("setgroups 4", setgroups(4, list));
	R("getgroups size query", getgroups(0, NULL));
	gid_t out[8];
	int n = getgroups(8, out);
	printf("getgroups:");
	for (int i = 0; i < n; i++)
		printf(" %u", out[i]);
	printf("\n");
	R("getgroups too small", getgroups(2, out));
	R("getgroups negative", syscall(SYS_getgroups, -1, out));
	R("getgroups bad buffer", syscall(SYS_getgroups, 8, BAD));
	R("setgroups bad pointer", syscall(SYS_setgroups, 2, BAD));
	R("setgroups huge", syscall(SYS_setgroups, 100000000, list));
	R("setgroups 0", setgroups(0, NULL));
	R("getgroups after clearing", getgroups(0, NULL));
	R("setresgid 10 20 30", setresgid(10, 20, 30));
	ids("after setresgid");
	R("setregid -1 30", setregid(-1, 30));
	ids("after setregid");
	R("setuid 1000", setuid(1000));
	R("setgid to saved 10 unprivileged", setgid(10));
	R("setgid 99 unprivileged", setgid(99));
	R("setresgid 30 -1 -1 unprivileged", setresgid(30, -1, -1));
	ids("groups end");
}

/* kill permission: the sender's real or effective uid must match the
 * target's real or saved uid; SIGCONT within the session is always fine. */
static pid_t target;

static void signaller(void)
{
	R("setresuid 1000 1000 1000", setresuid(1000, 1000, 1000));
	R("kill target whose saved uid matches", kill(target, 0));
	union sigval v = { 0 };
	R("sigqueue target whose saved uid matches", sigqueue(target, 0, v));
	R("kill root parent", kill(getppid(), 0));
	R("sigqueue root parent", sigqueue(getppid(), 0, v));
	R("sigqueue init", sigqueue(1, 0, v));
	R("SIGCONT to root parent in the session", kill(getppid(), SIGCONT));
	R("tgkill root parent", syscall(SYS_tgkill, getppid(), getppid(), 0));
}

static void kill_rules(void)
{
	target = fork();
	if (target == 0) {
		setresuid(2000, 2000, 1000);
		for (;;)
			pause();
	}
	/* Let the target drop its ids first. */
	for (int i = 0; i < 200; i++) {
		char path[64], line[256];
		snprintf(path, sizeof(path), "/proc/%d/status", target);
		FILE *f = fopen(path, "r");
		int dropped = 0;
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "Uid:", 4) && strstr(line, "2000"))
				dropped = 1;
		if (f)
			fclose(f);
		if (dropped)
			break;
		abi_msleep(10);
	}
	in_child(signaller);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int fd = open(F, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	close(fd);
	chown(F, 0, 0);
	chmod(F, 0600);
	in_child(uid_transitions);
	in_child(setuid_from_root);
	in_child(seteuid_only);
	in_child(groups);
	kill_rules();
	unlink(F);
	puts("DONE");
	return 0;
}
