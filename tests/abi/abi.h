/*
 * tests/abi/abi.h - helpers shared by the conformance programs: errno
 * names and the one-line "label: result errno" report (README.md).
 * Everything printed must be the same on Linux and on RayOS, so only
 * results that Linux specifies are printed, never pids, addresses or times.
 */
#ifndef ABI_H
#define ABI_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case ELOOP: return "ELOOP";
	case EBADF: return "EBADF";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case ENOTDIR: return "ENOTDIR";
	case EINVAL: return "EINVAL";
	case EMFILE: return "EMFILE";
	case ENOTTY: return "ENOTTY";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	case ESPIPE: return "ESPIPE";
	case EPIPE: return "EPIPE";
	case ERANGE: return "ERANGE";
	case EDEADLK: return "EDEADLK";
	case ENOSYS: return "ENOSYS";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EOVERFLOW: return "EOVERFLOW";
	case ENOLCK: return "ENOLCK";
	case EOWNERDEAD: return "EOWNERDEAD";
	case ENOTSUP == EOPNOTSUPP ? -1 : ENOTSUP: return "ENOTSUP";
	case ECANCELED: return "ECANCELED";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EISDIR: return "EISDIR";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ENXIO: return "ENXIO";
	case ECONNRESET: return "ECONNRESET";
	default: return "E?";
	}
}

/* "label: ret errno" of a call returning -1/errno. */
#define R(label, expr)                                                        \
	do {                                                                  \
		errno = 0;                                                    \
		long r_ = (long)(expr);                                       \
		printf("%s: %ld %s\n", label, r_, r_ < 0 ? ename(errno) : "0"); \
	} while (0)

/* "label: errname" of a call returning an error number (pthreads). */
#define E(label, expr) printf("%s: %s\n", label, ename(expr))

/* A boolean fact. */
#define CHECK(label, cond) printf("%s: %s\n", label, (cond) ? "yes" : "no")

static inline long abi_ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void abi_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* What /proc/self/fd/<fd> links to, in a static buffer ("" on error). */
static inline const char *fdlink(int fd)
{
	static char buf[4096];
	char p[64];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	long n = readlink(p, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}
#endif
