/*
 * tests/abi/abi-unix.c - conformance of the socket calls on AF_UNIX
 * sockets (see tests/abi/README.md): socket, socketpair, bind, listen,
 * accept/accept4, connect, send/recv/sendto/recvfrom/sendmsg/recvmsg,
 * shutdown, getsockname/getpeername, get/setsockopt, SCM_RIGHTS, poll.
 *
 * Output is one canonical line per check; path names are compared, never
 * printed, so nothing depends on pids or descriptor numbers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case EINTR: return "EINTR";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case EFAULT: return "EFAULT";
	case EPIPE: return "EPIPE";
	case ENOTSOCK: return "ENOTSOCK";
	case ENOTCONN: return "ENOTCONN";
	case EISCONN: return "EISCONN";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ECONNRESET: return "ECONNRESET";
	case EADDRINUSE: return "EADDRINUSE";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EPROTOTYPE: return "EPROTOTYPE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOPROTOOPT: return "ENOPROTOOPT";
	case EMSGSIZE: return "EMSGSIZE";
	case EDOM: return "EDOM";
	case ESPIPE: return "ESPIPE";
	default: return "E?";
	}
}

#define R(label, expr)                                                        \
	({                                                                    \
		errno = 0;                                                    \
		long r_ = (long)(expr);                                       \
		printf("%s: %ld %s\n", label, r_ < 0 ? -1L : r_,               \
		       r_ < 0 ? ename(errno) : "0");                           \
		r_;                                                           \
	})
/* Like R but prints only success or the error (for descriptors). */
#define OK(label, expr)                                                       \
	({                                                                    \
		errno = 0;                                                    \
		long r_ = (long)(expr);                                       \
		printf("%s: %s\n", label, r_ < 0 ? ename(errno) : "ok");      \
		r_;                                                           \
	})

static void pev(const char *label, int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	poll(&p, 1, 0);
	printf("%s:", label);
	if (p.revents & POLLIN) printf(" IN");
	if (p.revents & POLLOUT) printf(" OUT");
	if (p.revents & POLLERR) printf(" ERR");
	if (p.revents & POLLHUP) printf(" HUP");
	if (!(p.revents & (POLLIN | POLLOUT | POLLERR | POLLHUP))) printf(" -");
	printf("\n");
}

static char dir[64];

static socklen_t mkaddr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s/%s", dir, name);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1);
}

static void test_errors(void)
{
	printf("-- errors\n");
	R("socket bad family", socket(12345, SOCK_STREAM, 0));
	R("socket bad type", socket(AF_UNIX, 99, 0));
	close(OK("socket raw is dgram", socket(AF_UNIX, SOCK_RAW, 0)));
	R("socket bad proto", socket(AF_UNIX, SOCK_STREAM, 7));
	R("socket bad flags", socket(AF_UNIX, SOCK_STREAM | 0x10000, 0));
	int p[2];
	pipe(p);
	R("bind on pipe", bind(p[0], NULL, 0));
	R("listen on pipe", listen(p[0], 1));
	R("shutdown bad fd", shutdown(1000, SHUT_RD));
	close(p[0]);
	close(p[1]);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a;
	R("bind short", bind(s, (struct sockaddr *)&a, 1));
	a.sun_family = AF_INET;
	R("bind wrong family", bind(s, (struct sockaddr *)&a, sizeof(a)));
	R("bind bad ptr", bind(s, (struct sockaddr *)8, sizeof(a)));
	R("listen unbound", listen(s, 5));
	R("accept not listening", accept(s, NULL, NULL));
	R("shutdown unconnected", shutdown(s, SHUT_WR));
	R("shutdown bad how", shutdown(s, 7));
	R("send unconnected", send(s, "x", 1, MSG_NOSIGNAL));
	R("getpeername unconnected", getpeername(s, (struct sockaddr *)&a, &(socklen_t){ sizeof(a) }));
	mkaddr(&a, "nonexistent");
	R("connect missing", connect(s, (struct sockaddr *)&a, sizeof(a)));
	int v = 0;
	R("getsockopt bad level", getsockopt(s, 12345, 1, &v, &(socklen_t){ sizeof(v) }));
	R("setsockopt bad opt", setsockopt(s, SOL_SOCKET, 12345, &v, sizeof(v)));
	R("setsockopt short", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 2));
	struct timeval tv = { 0, 2000000 };
	R("setsockopt bad timeval", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	close(s);
}

static void test_options(void)
{
	printf("-- options\n");
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int v = -1;
	socklen_t l = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l);
	printf("SO_TYPE %d len %d\n", v, (int)l);
	getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &l);
	printf("SO_DOMAIN %d\n", v);
	getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &l);
	printf("SO_ERROR %d\n", v);
	printf("cloexec %d nonblock %d\n", fcntl(s, F_GETFD) & FD_CLOEXEC,
	       (fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
	v = 10000;
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &l);
	printf("SO_RCVBUF 10000 -> %d\n", v);
	v = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v));
	v = 0;
	getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &l);
	printf("SO_REUSEADDR %d\n", v);
	struct timeval tv = { 1, 500000 }, tv2;
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	l = sizeof(tv2);
	getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv2, &l);
	printf("SO_SNDTIMEO %ld.%06ld len %d\n", (long)tv2.tv_sec, (long)tv2.tv_usec, (int)l);
	struct linger lg = { 1, 5 }, lg2;
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	l = sizeof(lg2);
	getsockopt(s, SOL_SOCKET, SO_LINGER, &lg2, &l);
	printf("SO_LINGER %d %d\n", lg2.l_onoff, lg2.l_linger);
	struct stat st;
	fstat(s, &st);
	printf("S_ISSOCK %d\n", S_ISSOCK(st.st_mode));
	R("lseek", lseek(s, 0, SEEK_SET));
	char c;
	R("recv empty nonblock", recv(s, &c, 1, 0));
	close(s);
}

static void test_pair_stream(void)
{
	printf("-- socketpair stream\n");
	int sv[2];
	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pev("fresh", sv[0]);
	R("write", write(sv[0], "hello", 5));
	pev("readable", sv[1]);
	R("write2", send(sv[0], " world", 6, 0));
	char buf[64] = { 0 };
	R("peek", recv(sv[1], buf, 3, MSG_PEEK));
	R("read", read(sv[1], buf, sizeof(buf)));
	printf("got '%s'\n", buf);
	R("recv nonblock", recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	struct sockaddr_un a;
	socklen_t l = sizeof(a);
	R("getsockname", getsockname(sv[0], (struct sockaddr *)&a, &l));
	printf("len %d family %d\n", (int)l, a.sun_family);
	l = sizeof(a);
	R("getpeername", getpeername(sv[0], (struct sockaddr *)&a, &l));
	printf("len %d\n", (int)l);
	struct ucred cr;
	l = sizeof(cr);
	getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &l);
	printf("peercred pid ok %d uid ok %d\n", cr.pid == getpid(), cr.uid == getuid());
	R("shutdown wr", shutdown(sv[0], SHUT_WR));
	R("read eof", read(sv[1], buf, sizeof(buf)));
	pev("after peer shut wr", sv[1]);
	R("write after shut", send(sv[0], "x", 1, MSG_NOSIGNAL));
	R("reverse write", write(sv[1], "back", 4));
	R("reverse read", read(sv[0], buf, sizeof(buf)));
	close(sv[1]);
	pev("peer closed", sv[0]);
	R("send to closed", send(sv[0], "x", 1, MSG_NOSIGNAL));
	signal(SIGPIPE, SIG_IGN);
	R("write to closed", write(sv[0], "x", 1));
	signal(SIGPIPE, SIG_DFL);
	close(sv[0]);

	/* Unread data at close: the peer reads it, then ECONNRESET, then 0. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "abc", 3);
	write(sv[1], "zz", 2);
	close(sv[1]);
	R("read data", read(sv[0], buf, sizeof(buf)));
	R("read reset", read(sv[0], buf, sizeof(buf)));
	R("read then eof", read(sv[0], buf, sizeof(buf)));
	close(sv[0]);

	/* The same through recv() and recvmsg(), which take more data when
	 * it is there: the reset is not swallowed by that second look. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "abc", 3);
	write(sv[1], "zz", 2);
	close(sv[1]);
	R("recv data", recv(sv[0], buf, sizeof(buf), 0));
	R("recv reset", recv(sv[0], buf, sizeof(buf), 0));
	R("recv then eof", recv(sv[0], buf, sizeof(buf), 0));
	close(sv[0]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "abc", 3);
	write(sv[1], "zz", 2);
	close(sv[1]);
	{
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		R("recvmsg data", recvmsg(sv[0], &mh, 0));
		R("recvmsg reset", recvmsg(sv[0], &mh, 0));
		R("recvmsg then eof", recvmsg(sv[0], &mh, 0));
	}
	close(sv[0]);

	/* A blocked reader is woken by a child's write; 1 MiB in order. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		static unsigned char big[1 << 20];
		for (size_t i = 0; i < sizeof(big); i++)
			big[i] = (unsigned char)(i * 7 + (i >> 10));
		size_t off = 0;
		while (off < sizeof(big)) {
			ssize_t n = write(sv[1], big + off, sizeof(big) - off);
			if (n <= 0)
				_exit(1);
			off += (size_t)n;
		}
		_exit(0);
	}
	close(sv[1]);
	size_t total = 0, bad = 0;
	for (;;) {
		ssize_t n = read(sv[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++, total++)
			if (buf[i] != (char)(unsigned char)(total * 7 + (total >> 10)))
				bad++;
	}
	int st;
	waitpid(pid, &st, 0);
	printf("1MiB: total %zu bad %zu child %d\n", total, bad, WEXITSTATUS(st));
	close(sv[0]);
}

static void test_pair_dgram(void)
{
	printf("-- socketpair dgram\n");
	int sv[2];
	R("socketpair", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	R("send a", send(sv[0], "first", 5, 0));
	R("send b", send(sv[0], "second!", 7, 0));
	R("send empty", send(sv[0], "", 0, 0));
	R("send MSG_OOB", send(sv[0], "x", 1, MSG_OOB));
	char buf[64] = { 0 };
	R("recv trunc", recv(sv[1], buf, 3, 0));
	R("recv MSG_TRUNC", recv(sv[1], buf, 2, MSG_PEEK | MSG_TRUNC));
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	R("recvmsg", recvmsg(sv[1], &mh, 0));
	printf("flags trunc %d\n", (mh.msg_flags & MSG_TRUNC) != 0);
	R("recv MSG_OOB", recv(sv[1], buf, sizeof(buf), MSG_OOB));
	R("recv empty dgram", recv(sv[1], buf, sizeof(buf), 0));
	R("recv none", recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	struct timeval tv = { 0, 100000 };
	setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	R("recv timeout", recv(sv[1], buf, sizeof(buf), 0));
	static char huge[300000];
	R("send too big", send(sv[0], huge, sizeof(huge), 0));
	int n = 0;
	while (send(sv[0], "x", 1, MSG_DONTWAIT) == 1 && n < 100000)
		n++;
	printf("queue fills: %s\n", n > 0 && n < 100000 ? "yes" : "no");
	printf("full errno %s\n", ename(errno));
	close(sv[1]);
	R("send to closed", send(sv[0], "x", 1, 0));
	close(sv[0]);
}

static void test_listen(void)
{
	printf("-- listen/connect/accept\n");
	struct sockaddr_un a, b;
	socklen_t alen = mkaddr(&a, "srv");
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	R("bind", bind(l, (struct sockaddr *)&a, alen));
	struct stat st;
	R("stat node", stat(a.sun_path, &st));
	printf("node is socket %d\n", S_ISSOCK(st.st_mode));
	R("bind again", bind(l, (struct sockaddr *)&a, alen));
	int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
	R("bind in use", bind(l2, (struct sockaddr *)&a, alen));
	int c0 = socket(AF_UNIX, SOCK_STREAM, 0);
	R("connect before listen", connect(c0, (struct sockaddr *)&a, alen));
	close(c0);
	R("listen", listen(l, 2));
	int v;
	socklen_t vl = sizeof(v);
	getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
	printf("SO_ACCEPTCONN %d\n", v);
	pev("listener idle", l);
	fcntl(l, F_SETFL, O_NONBLOCK);
	R("accept empty", accept(l, NULL, NULL));
	fcntl(l, F_SETFL, 0);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	R("dgram connect to stream", connect(d, (struct sockaddr *)&a, alen));
	close(d);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	R("connect", connect(c, (struct sockaddr *)&a, alen));
	R("connect again", connect(c, (struct sockaddr *)&a, alen));
	R("send before accept", send(c, "early", 5, 0));
	pev("listener pending", l);
	socklen_t blen = sizeof(b);
	memset(&b, 0x55, sizeof(b));
	int s = OK("accept4", accept4(l, (struct sockaddr *)&b, &blen, SOCK_CLOEXEC));
	printf("peer addr len %d family %d\n", (int)blen, b.sun_family);
	printf("accepted cloexec %d\n", fcntl(s, F_GETFD) & FD_CLOEXEC);
	blen = sizeof(b);
	getsockname(s, (struct sockaddr *)&b, &blen);
	printf("accepted name matches %d\n", blen == alen && !strcmp(b.sun_path, a.sun_path));
	blen = sizeof(b);
	getpeername(c, (struct sockaddr *)&b, &blen);
	printf("client peer name matches %d\n", blen == alen && !strcmp(b.sun_path, a.sun_path));
	blen = 4;
	getsockname(l, (struct sockaddr *)&b, &blen);
	printf("short getsockname len is full %d\n", blen == alen);
	char buf[32] = { 0 };
	R("recv early", recv(s, buf, sizeof(buf), 0));
	R("recvfrom", recvfrom(c, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL));
	close(s);
	close(c);
	/* Backlog: with backlog 2 a non-blocking connect eventually fails. */
	int cs[8], ok = 0;
	for (int i = 0; i < 8; i++) {
		cs[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (connect(cs[i], (struct sockaddr *)&a, alen) == 0)
			ok++;
		else
			printf("backlog full: %s\n", ename(errno));
	}
	printf("backlog accepted some %d\n", ok >= 2 && ok < 8);
	close(l);
	pev("client of closed listener", cs[0]);
	R("read from closed listener", recv(cs[0], buf, sizeof(buf), 0));
	for (int i = 0; i < 8; i++)
		close(cs[i]);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	R("connect to closed", connect(c, (struct sockaddr *)&a, alen));
	close(c);
	unlink(a.sun_path);
	close(l2);
}

static void test_abstract_and_dgram(void)
{
	printf("-- abstract and datagram names\n");
	struct sockaddr_un a, b, from;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "abi-unix-%d", (int)getpid());
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	                             strlen(a.sun_path + 1));
	int r = socket(AF_UNIX, SOCK_DGRAM, 0);
	R("bind abstract", bind(r, (struct sockaddr *)&a, alen));
	int r2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	R("bind abstract in use", bind(r2, (struct sockaddr *)&a, alen));
	close(r2);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	R("send unconnected", send(s, "x", 1, 0));
	R("sendto unnamed", sendto(s, "one", 3, 0, (struct sockaddr *)&a, alen));
	char buf[32] = { 0 };
	socklen_t fl = sizeof(from);
	R("recvfrom", recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl));
	printf("from unnamed len %d\n", (int)fl);
	socklen_t blen = mkaddr(&b, "cli");
	R("bind path", bind(s, (struct sockaddr *)&b, blen));
	R("sendto named", sendto(s, "two", 3, 0, (struct sockaddr *)&a, alen));
	fl = sizeof(from);
	R("recvfrom", recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl));
	printf("from named matches %d\n", fl == blen && !strcmp(from.sun_path, b.sun_path));
	/* r answers to s's path name. */
	R("reply", sendto(r, "back", 4, 0, (struct sockaddr *)&from, fl));
	R("recv reply", recv(s, buf, sizeof(buf), 0));
	int t = socket(AF_UNIX, SOCK_DGRAM, 0);
	R("connect to r", connect(t, (struct sockaddr *)&a, alen));
	R("connect r to t-less", connect(r, (struct sockaddr *)&b, blen));
	R("send to r connected elsewhere", send(t, "x", 1, 0));
	struct sockaddr_un un = { .sun_family = AF_UNSPEC };
	R("disconnect r", connect(r, (struct sockaddr *)&un, sizeof(un.sun_family)));
	R("send to r again", send(t, "x", 1, 0));
	int st = socket(AF_UNIX, SOCK_STREAM, 0);
	R("stream connect to dgram", connect(st, (struct sockaddr *)&a, alen));
	close(st);
	/* autobind */
	int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
	R("autobind", bind(ab, (struct sockaddr *)&un, sizeof(sa_family_t)));
	struct sockaddr_un n;
	socklen_t nl = sizeof(n);
	un.sun_family = AF_UNIX;
	bind(ab, (struct sockaddr *)&un, sizeof(sa_family_t));
	getsockname(ab, (struct sockaddr *)&n, &nl);
	printf("autobind len %d abstract %d\n", (int)nl, n.sun_path[0] == 0);
	close(ab);
	close(t);
	close(s);
	close(r);
	unlink(b.sun_path);
}

static int send_fd(int sock, int fd, const char *data)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	memset(cbuf, 0, sizeof(cbuf));
	struct iovec iov = { (void *)data, strlen(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return (int)sendmsg(sock, &mh, 0);
}

/* Returns the received descriptor or -1; prints what arrived. */
static int recv_fd(int sock, size_t ctl)
{
	char cbuf[256], buf[32] = { 0 };
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = ctl ? cbuf : NULL, .msg_controllen = ctl };
	long n = recvmsg(sock, &mh, 0);
	int fd = -1;
	for (struct cmsghdr *c = ctl ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	printf("recvmsg %ld '%s' fd %s ctrunc %d\n", n, buf, fd >= 0 ? "yes" : "no",
	       (mh.msg_flags & MSG_CTRUNC) != 0);
	return fd;
}

static void test_rights(void)
{
	printf("-- SCM_RIGHTS\n");
	int sv[2], p[2];
	char buf[32] = { 0 };
	for (int type = SOCK_STREAM; type <= SOCK_DGRAM; type++) {
		printf("type %d\n", type);
		socketpair(AF_UNIX, type, 0, sv);
		pipe(p);
		R("sendmsg with fd", send_fd(sv[0], p[1], "fd"));
		close(p[1]);
		int fd = recv_fd(sv[1], 256);
		R("write via passed fd", write(fd, "through", 7));
		close(fd);
		R("read pipe", read(p[0], buf, sizeof(buf)));
		R("read pipe eof", read(p[0], buf, sizeof(buf)));
		close(p[0]);
		/* No room for control data: the descriptor is dropped. */
		pipe(p);
		send_fd(sv[0], p[1], "lost");
		close(p[1]);
		recv_fd(sv[1], 0);
		R("pipe eof after drop", read(p[0], buf, sizeof(buf)));
		close(p[0]);
		/* Unreceived descriptors are closed with the socket. */
		pipe(p);
		send_fd(sv[0], p[1], "never");
		close(p[1]);
		close(sv[1]);
		close(sv[0]);
		R("pipe eof after close", read(p[0], buf, sizeof(buf)));
		close(p[0]);
	}
	/* A read takes data up to and including a message with descriptors. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	write(sv[0], "ab", 2);
	send_fd(sv[0], p[0], "cd");
	write(sv[0], "ef", 2);
	close(recv_fd(sv[1], 256));
	close(recv_fd(sv[1], 256));
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { "x", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	int badfd = 999;
	memcpy(CMSG_DATA(c), &badfd, sizeof(int));
	R("sendmsg bad fd", sendmsg(sv[0], &mh, 0));
	c->cmsg_type = 77;
	R("sendmsg bad cmsg type", sendmsg(sv[0], &mh, 0));
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

/* readv/writev on sockets are one recvmsg/sendmsg over the whole iovec:
 * one datagram per writev, one datagram per readv (the rest of it
 * discarded), and a readv of a stream or a pipe returns what is there
 * without waiting to fill every piece. */
static void test_iov(void)
{
	printf("-- readv/writev\n");
	int sv[2];
	char a[8], b[8], c[64];
	R("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	struct iovec w[3] = { { "one,", 4 }, { "two,", 4 }, { "three", 5 } };
	R("writev dgram", writev(sv[0], w, 3));
	R("send next", send(sv[0], "next", 4, 0));
	memset(c, 0, sizeof(c));
	R("recv one datagram", recv(sv[1], c, sizeof(c), MSG_DONTWAIT));
	printf("got %s\n", c);
	R("writev again", writev(sv[0], w, 3));
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	struct iovec r[2] = { { a, 3 }, { b, 7 } };
	R("recv next", recv(sv[1], c, sizeof(c), MSG_DONTWAIT));
	R("readv dgram", readv(sv[1], r, 2));
	printf("pieces %.3s|%.7s\n", a, b);
	R("send short", send(sv[0], "ab", 2, 0));
	R("readv short dgram", readv(sv[1], r, 2));
	R("readv empty", recv(sv[1], c, sizeof(c), MSG_DONTWAIT));
	close(sv[0]);
	close(sv[1]);

	R("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	R("writev stream", writev(sv[0], w, 3));
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	struct iovec r2[3] = { { a, 4 }, { b, 4 }, { c, sizeof(c) } };
	memset(c, 0, sizeof(c));
	R("readv stream", readv(sv[1], r2, 3));
	printf("pieces %.4s|%.4s|%s\n", a, b, c);
	close(sv[0]);
	close(sv[1]);

	int p[2];
	R("pipe", pipe(p));
	R("write pipe", write(p[1], "hello", 5));
	struct iovec r3[2] = { { a, 5 }, { b, 8 } };
	alarm(5);   /* a readv that waited for more would hang here */
	R("readv pipe", readv(p[0], r3, 2));
	alarm(0);
	printf("piece %.5s\n", a);
	R("writev pipe", writev(p[1], w, 3));
	memset(c, 0, sizeof(c));
	R("read pipe", read(p[0], c, sizeof(c)));
	printf("got %s\n", c);
	close(p[0]);
	close(p[1]);
}

#define CHECK(label, cond) printf("%s: %s\n", label, (cond) ? "yes" : "no")

/* Write through w and read it from r: 1 when it arrived. */
static int passes(int w, int r)
{
	char buf[8] = { 0 };
	return write(w, "ok", 2) == 2 && read(r, buf, sizeof(buf)) == 2 &&
	       !memcmp(buf, "ok", 2);
}

/* Sockets whose only descriptors are in flight, but in queues a program
 * can still read: closing other sockets (which runs Linux's collector)
 * must not take them. */
static void test_rights_in_flight(void)
{
	printf("-- SCM_RIGHTS of sockets in flight\n");
	int keep[2], sv[2], t[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, keep);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	R("send a socket", send_fd(keep[0], sv[0], "s"));
	close(sv[0]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, t);
	close(t[0]);
	close(t[1]);
	int a = recv_fd(keep[1], 256);
	CHECK("received socket works", passes(a, sv[1]));
	close(a);
	close(sv[1]);
	/* a in b's queue, b in keep[1]'s. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	R("send a into b", send_fd(sv[0], sv[0], "a"));
	R("send b", send_fd(keep[0], sv[1], "b"));
	close(sv[0]);
	close(sv[1]);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, t);
	close(t[0]);
	close(t[1]);
	int b = recv_fd(keep[1], 256);
	a = recv_fd(b, 256);
	CHECK("chain works a to b", passes(a, b));
	CHECK("chain works b to a", passes(b, a));
	close(a);
	close(b);
	/* A connection not yet accepted carries its listener. */
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	snprintf(un.sun_path, sizeof(un.sun_path), "%s/inflight", dir);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	R("bind", bind(l, (struct sockaddr *)&un, sizeof(un)));
	R("listen", listen(l, 4));
	R("connect", connect(c, (struct sockaddr *)&un, sizeof(un)));
	R("send the listener", send_fd(c, l, "l"));
	int l2 = dup(l);
	close(l);
	close(c);
	socketpair(AF_UNIX, SOCK_STREAM, 0, t);
	close(t[0]);
	close(t[1]);
	int e = accept(l2, NULL, NULL);
	CHECK("accepted", e >= 0);
	int l3 = recv_fd(e, 256);
	int v = 0;
	socklen_t vl = sizeof(v);
	R("received listener SO_ACCEPTCONN",
	  getsockopt(l3, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl) ? -1 : v);
	close(l3);
	close(e);
	close(l2);
	unlink(un.sun_path);
	close(keep[0]);
	close(keep[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(dir, sizeof(dir), "/tmp/abi-unix.%d", (int)getpid());
	mkdir("/tmp", 01777);
	if (mkdir(dir, 0700) < 0) {
		perror("mkdir");
		return 1;
	}
	test_errors();
	test_options();
	test_pair_stream();
	test_pair_dgram();
	test_listen();
	test_abstract_and_dgram();
	test_rights();
	test_iov();
	test_rights_in_flight();
	rmdir(dir);
	printf("DONE\n");
	return 0;
}
