/*
 * user/tests/t-unixgc.c - AF_UNIX sockets kept open only by descriptors in
 * flight (SCM_RIGHTS), and the kernel's collector of them.
 *
 *   t-unixgc cycles N   N times make four unreachable cycles and close
 *                       every descriptor; prints "cycles N done". The
 *                       caller compares kernel memory before and after.
 *   t-unixgc chain N    N sockets, each in the next one's queue, closed
 *                       from the end: N nested closes
 *   t-unixgc ring N     the same closed into a ring: N sockets of garbage
 *   t-unixgc            self-checks (PASS/FAIL lines; exit 0 only if all
 *                       passed): descriptors in flight that a program can
 *                       still receive are not collected, and a socket that
 *                       only its own queue holds is (its peer gets EPIPE).
 *
 * The cycles, each round:
 *  1. a stream pair: a's descriptor sent into a's own queue (over b);
 *  2. a datagram pair whose ends are in each other's queues, with a pipe
 *     end in flight beside them;
 *  3. a datagram socket connected to itself, its descriptor sent to itself;
 *  4. a listener whose connection, not yet accepted, carries the listener.
 * Closing 1's b and 4's client releases a socket, which runs the collector
 * (as on Linux, garbage waits for the next AF_UNIX close); 4 comes last so
 * every round's garbage is collected in that round.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (!ok)
		failures++;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* Send one byte with the descriptors fds[0..n). */
static int send_fds(int s, const int *fds, int n)
{
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * 4)];
	} c;
	memset(&c, 0, sizeof(c));
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = c.buf,
	                     .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)n);
	return (int)sendmsg(s, &mh, MSG_NOSIGNAL);
}

/* Receive one byte and up to 4 descriptors; returns how many came. */
static int recv_fds(int s, int *fds)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * 4)];
	} c;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	if (recvmsg(s, &mh, MSG_DONTWAIT) != 1)
		return -1;
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return 0;
	int n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	memcpy(fds, CMSG_DATA(cm), sizeof(int) * (size_t)n);
	return n;
}

static void pair(int type, int sv[2])
{
	if (socketpair(AF_UNIX, type, 0, sv))
		die("socketpair");
}

static void xsend(int s, const int *fds, int n)
{
	if (send_fds(s, fds, n) != 1)
		die("sendmsg");
}

/* A socket close that releases it: the collector runs (if anything is in
 * flight). */
static void kick(void)
{
	int sv[2];
	pair(SOCK_STREAM, sv);
	close(sv[0]);
	close(sv[1]);
}

static socklen_t abstract(struct sockaddr_un *un, const char *tag, int i)
{
	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	int n = snprintf(un->sun_path + 1, sizeof(un->sun_path) - 1,
	                 "t-unixgc-%d-%s-%d", (int)getpid(), tag, i);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

static void one_round(int i)
{
	int sv[2], p[2];
	/* 1 */
	pair(SOCK_STREAM, sv);
	xsend(sv[1], &sv[0], 1);
	close(sv[0]);
	close(sv[1]);
	/* 2 */
	pair(SOCK_DGRAM, sv);
	if (pipe(p))
		die("pipe");
	int two[2] = { sv[0], p[0] };
	xsend(sv[0], two, 2);
	xsend(sv[1], &sv[1], 1);
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
	/* 3 */
	struct sockaddr_un un;
	socklen_t len = abstract(&un, "d", i);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (d < 0 || bind(d, (void *)&un, len) || connect(d, (void *)&un, len))
		die("dgram");
	xsend(d, &d, 1);
	close(d);
	/* 4 */
	len = abstract(&un, "l", i);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || c < 0 || bind(l, (void *)&un, len) || listen(l, 4) ||
	    connect(c, (void *)&un, len))
		die("listener");
	xsend(c, &l, 1);
	close(l);
	close(c);
}

/* Write through w, read the same bytes from r. */
static int works(int w, int r)
{
	char buf[8] = { 0 };
	return write(w, "ok", 2) == 2 && read(r, buf, sizeof(buf)) == 2 &&
	       !memcmp(buf, "ok", 2);
}

static void self_checks(void)
{
	int keep[2], sv[2], got[4];

	/* A socket whose only descriptor is queued on a socket still open. */
	pair(SOCK_STREAM, keep);
	pair(SOCK_STREAM, sv);
	xsend(keep[0], &sv[0], 1);
	close(sv[0]);
	kick();
	check(recv_fds(keep[1], got) == 1 && works(got[0], sv[1]),
	      "a socket in flight on an open socket survives a collection");
	close(got[0]);
	close(sv[1]);

	/* A chain: a pipe in a's queue, a in b's, b in keep[1]'s: all
	 * reachable (a and b are candidates, b is held from outside them,
	 * so what a's queue holds must be kept as well). */
	int p[2];
	if (pipe(p))
		die("pipe");
	pair(SOCK_STREAM, sv);
	xsend(sv[1], &p[1], 1);        /* the pipe into a's queue */
	xsend(sv[0], &sv[0], 1);       /* a into b's queue */
	xsend(keep[0], &sv[1], 1);     /* b into keep[1]'s */
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	kick();
	int b = -1, a = -1, w = -1;
	if (recv_fds(keep[1], got) == 1) {
		b = got[0];
		if (recv_fds(b, got) == 1)
			a = got[0];
		if (a >= 0 && recv_fds(a, got) == 1)
			w = got[0];
	}
	check(a >= 0 && b >= 0 && works(a, b) && works(b, a) && works(w, p[0]),
	      "what only other in-flight sockets hold, reachable from an open one, survives");
	close(a);
	close(b);
	close(w);
	close(p[0]);

	/* A connection waiting on a live listener carries the listener and a
	 * socket: accepting it gives both back. */
	struct sockaddr_un un;
	socklen_t len = abstract(&un, "check", 0);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || c < 0 || bind(l, (void *)&un, len) || listen(l, 4) ||
	    connect(c, (void *)&un, len))
		die("listener");
	pair(SOCK_STREAM, sv);
	int two[2] = { l, sv[0] };
	xsend(c, two, 2);
	close(c);
	close(sv[0]);
	kick();
	int e = accept(l, NULL, NULL);
	int n = e >= 0 ? recv_fds(e, got) : -1;
	check(n == 2 && works(got[1], sv[1]),
	      "a socket in flight on a connection not yet accepted survives");
	if (n == 2) {
		close(got[0]);
		close(got[1]);
	}
	close(e);
	close(sv[1]);
	close(l);

	/* The other way: a holds only itself, b is open. Collecting a closes
	 * it, so b's peer is gone. */
	pair(SOCK_STREAM, sv);
	xsend(sv[1], &sv[0], 1);
	close(sv[0]);
	kick();
	errno = 0;
	check(send(sv[1], "x", 1, MSG_NOSIGNAL) < 0 && errno == EPIPE,
	      "a socket only its own queue holds is collected (peer gets EPIPE)");
	close(sv[1]);
	close(keep[0]);
	close(keep[1]);
}

/* Socket b[i]'s queue holds b[i-1], for i < n; then b[n-1] is closed, and
 * each socket's close closes the one its queue holds. With ring, b[0]'s
 * queue holds b[n-1] as well: nothing but the collector frees them. */
static void chain(int n, int ring)
{
	int sv[2], prev = -1, first_a = -1;
	for (int i = 0; i < n; i++) {
		pair(SOCK_STREAM, sv);
		if (prev >= 0) {
			xsend(sv[0], &prev, 1);
			close(prev);
		}
		if (i == 0 && ring)
			first_a = sv[0];
		else
			close(sv[0]);
		prev = sv[1];
	}
	if (ring)
		xsend(first_a, &prev, 1);
	close(prev);
	if (ring)
		close(first_a);
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && !strcmp(argv[1], "cycles")) {
		int n = atoi(argv[2]);
		for (int i = 0; i < n; i++)
			one_round(i);
		printf("cycles %d done\n", n);
		return 0;
	}
	if (argc == 3 && (!strcmp(argv[1], "chain") || !strcmp(argv[1], "ring"))) {
		int n = atoi(argv[2]);
		chain(n, argv[1][0] == 'r');
		printf("%s %d done\n", argv[1], n);
		return 0;
	}
	self_checks();
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
