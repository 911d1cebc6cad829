/*
 * user/tests/t-tcp.c - TCP sockets.
 *
 *   t-tcp                 self-checks over 127.0.0.1 (PASS/FAIL lines)
 *   t-tcp conns HOST PORT N   open N connections at once to an echo
 *                         server, send a line on each, check the echoes
 *   t-tcp send HOST PORT BYTES   send a pattern, report MB/s
 *   t-tcp recv PORT BYTES     accept one connection, check the pattern
 *
 * The self-checks: listen/connect/accept with getsockname/getpeername,
 * 4 MiB each way at once through fork with a checksum, half-close
 * (shutdown SHUT_WR, the peer reads EOF and still answers), a refused
 * port (ECONNREFUSED) blocking and non-blocking (EINPROGRESS, POLLOUT,
 * SO_ERROR), EADDRINUSE and SO_REUSEADDR, MSG_PEEK, FIONREAD,
 * TCP_NODELAY and IP_TTL options, SO_RCVTIMEO, 100 simultaneous
 * connections, RST on close with unread data (ECONNRESET), EPIPE after
 * the peer is gone, EFAULT for a bad buffer, /proc/net/tcp listing the listener, SO_SNDBUF
 * growing with a bulk transfer unless it was set (as on Linux).
 * Exit 0 only if everything passed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (!ok)
		failures++;
}

static struct sockaddr_in sin_of(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static int tcp(void)
{
	return socket(AF_INET, SOCK_STREAM, 0);
}

static int listener(int *port)
{
	int l = tcp();
	struct sockaddr_in a = sin_of("127.0.0.1", 0);
	socklen_t len = sizeof(a);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 128) < 0)
		return -1;
	getsockname(l, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return l;
}

static int connect_to(int port)
{
	int c = tcp();
	struct sockaddr_in a = sin_of("127.0.0.1", port);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(c);
		return -1;
	}
	return c;
}

static unsigned char pattern(size_t i, int seed)
{
	return (unsigned char)(i * 131 + (i >> 12) + seed);
}

/* Send n bytes of pattern(seed) and read n bytes of pattern(rseed). */
static int transfer(int fd, size_t n, int seed, int rseed)
{
	pid_t pid = fork();
	if (pid == 0) {
		static unsigned char b[65536];
		size_t off = 0;
		while (off < n) {
			size_t k = n - off < sizeof(b) ? n - off : sizeof(b);
			for (size_t i = 0; i < k; i++)
				b[i] = pattern(off + i, seed);
			ssize_t w = write(fd, b, k);
			if (w <= 0)
				_exit(1);
			if ((size_t)w < k)
				_exit(1);   /* a blocking write sends everything */
			off += (size_t)w;
		}
		shutdown(fd, SHUT_WR);
		_exit(0);
	}
	static unsigned char b[50000];
	size_t got = 0, bad = 0;
	for (;;) {
		ssize_t r = read(fd, b, sizeof(b));
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			if (b[i] != pattern(got + (size_t)i, rseed))
				bad++;
		got += (size_t)r;
	}
	int st;
	waitpid(pid, &st, 0);
	return got == n && bad == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void test_basic(void)
{
	int port;
	int l = listener(&port);
	check(l >= 0 && port >= 1024, "listen on 127.0.0.1:ephemeral");
	int c = connect_to(port);
	check(c >= 0, "connect");
	struct sockaddr_in a, b, p;
	socklen_t al = sizeof(a);
	int s = accept(l, (struct sockaddr *)&a, &al);
	check(s >= 0 && al == sizeof(a) && a.sin_family == AF_INET, "accept gives the peer address");
	socklen_t bl = sizeof(b), pl = sizeof(p);
	getsockname(c, (struct sockaddr *)&b, &bl);
	getpeername(s, (struct sockaddr *)&p, &pl);
	check(b.sin_port == p.sin_port && b.sin_port == a.sin_port &&
	      b.sin_addr.s_addr == htonl(0x7f000001), "getsockname/getpeername agree");

	FILE *f = fopen("/proc/net/tcp", "r");
	char line[256], want[32];
	int listed = 0;
	snprintf(want, sizeof(want), ":%04X 00000000:0000 0A", port);
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, want))
			listed = 1;
	if (f)
		fclose(f);
	check(listed, "/proc/net/tcp lists the listener");

	close(c);
	close(s);
	close(l);
}

static void test_server_side_transfer(void)
{
	int port, l = listener(&port);
	pid_t pid = fork();
	if (pid == 0) {
		int c = connect_to(port);
		_exit(c >= 0 && transfer(c, 4 << 20, 3, 4) ? 0 : 1);
	}
	int s = accept(l, NULL, NULL);
	int ok = s >= 0 && transfer(s, 4 << 20, 4, 3);
	int st;
	waitpid(pid, &st, 0);
	check(ok && WIFEXITED(st) && WEXITSTATUS(st) == 0, "4 MiB each way, both ends checked");
	close(s);
	close(l);
}

static void test_half_close(void)
{
	int port, l = listener(&port);
	int c = connect_to(port), s = accept(l, NULL, NULL);
	char buf[64];
	write(c, "question", 8);
	shutdown(c, SHUT_WR);
	ssize_t n = read(s, buf, sizeof(buf));
	ssize_t eof = read(s, buf, sizeof(buf));
	check(n == 8 && eof == 0, "half-close: data then EOF");
	check(write(s, "answer", 6) == 6, "half-close: the other way still works");
	n = read(c, buf, sizeof(buf));
	check(n == 6 && !memcmp(buf, "answer", 6), "half-close: answer arrives");
	close(s);
	check(read(c, buf, sizeof(buf)) == 0, "EOF after the peer closes");
	close(c);
	close(l);
}

static void test_refused(void)
{
	int port, l = listener(&port);
	close(l);
	int c = tcp();
	struct sockaddr_in a = sin_of("127.0.0.1", port);
	errno = 0;
	check(connect(c, (struct sockaddr *)&a, sizeof(a)) < 0 && errno == ECONNREFUSED,
	      "connect to a closed port: ECONNREFUSED");
	close(c);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	errno = 0;
	int r = connect(c, (struct sockaddr *)&a, sizeof(a));
	check(r < 0 && errno == EINPROGRESS, "non-blocking connect: EINPROGRESS");
	struct pollfd pf = { c, POLLOUT, 0 };
	poll(&pf, 1, 5000);
	int err = 0;
	socklen_t el = sizeof(err);
	getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el);
	check((pf.revents & POLLOUT) && err == ECONNREFUSED, "refused: POLLOUT and SO_ERROR");
	close(c);

	l = listener(&port);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	a = sin_of("127.0.0.1", port);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	pf.fd = c;
	pf.revents = 0;
	poll(&pf, 1, 5000);
	el = sizeof(err);
	getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el);
	check((pf.revents & POLLOUT) && err == 0, "non-blocking connect completes");
	errno = 0;
	r = connect(c, (struct sockaddr *)&a, sizeof(a));
	check(r == 0 || errno == EISCONN, "connect again: 0 (Linux) or EISCONN");
	close(c);
	close(l);
}

static void test_options(void)
{
	int port, l = listener(&port);
	int l2 = tcp();
	struct sockaddr_in a = sin_of("127.0.0.1", port);
	errno = 0;
	check(bind(l2, (struct sockaddr *)&a, sizeof(a)) < 0 && errno == EADDRINUSE,
	      "bind to a listening port: EADDRINUSE");
	close(l2);
	int c = connect_to(port), s = accept(l, NULL, NULL);
	int one = 1, v = 0;
	socklen_t vl = sizeof(v);
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &vl);
	check(v == 1, "TCP_NODELAY");
	int ttl = 7;
	setsockopt(c, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	v = 0;
	getsockopt(c, IPPROTO_IP, IP_TTL, &v, &vl);
	check(v == 7, "IP_TTL");
	write(c, "peekaboo", 8);
	usleep(100000);
	char buf[16];
	int avail = 0;
	ioctl(s, FIONREAD, &avail);
	check(avail == 8, "FIONREAD");
	check(recv(s, buf, 4, MSG_PEEK) == 4 && recv(s, buf, sizeof(buf), 0) == 8,
	      "MSG_PEEK leaves the data");
	/* The send ring takes data straight from the user (tcp_sbuf_fetch):
	 * a bad buffer is EFAULT and queues nothing (SO_RCVTIMEO below). */
	char *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = 0;
	int e1 = send(c, bad, 4096, 0) < 0 ? errno : 0;
	errno = 0;
	int e2 = write(c, bad, 4096) < 0 ? errno : 0;
	check(bad != MAP_FAILED && e1 == EFAULT && e2 == EFAULT,
	      "send/write from a bad buffer: EFAULT");
	munmap(bad, 4096);
	struct timeval tv = { 0, 200000 };
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	errno = 0;
	check(recv(s, buf, sizeof(buf), 0) < 0 && errno == EAGAIN, "SO_RCVTIMEO");
	/* Unread data at close: RST, the peer sees ECONNRESET. */
	write(c, "unread", 6);
	usleep(100000);
	close(s);
	usleep(100000);
	errno = 0;
	ssize_t r = recv(c, buf, sizeof(buf), 0);
	check(r < 0 && errno == ECONNRESET, "close with unread data resets");
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	r = send(c, "x", 1, 0);
	check(r < 0 && errno == EPIPE, "send after reset: EPIPE");
	close(c);
	close(l);
	/* The port is free again for a new listener with SO_REUSEADDR. */
	l = tcp();
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	check(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 1) == 0,
	      "SO_REUSEADDR rebind");
	close(l);
}

static void test_many(void)
{
	enum { N = 100 };
	int port, l = listener(&port);
	int cs[N], ss[N], ok = 1;
	for (int i = 0; i < N; i++) {
		cs[i] = connect_to(port);
		ss[i] = accept(l, NULL, NULL);
		if (cs[i] < 0 || ss[i] < 0)
			ok = 0;
	}
	check(ok, "100 connections open at once");
	for (int i = 0; i < N && ok; i++) {
		char m[16], b[16] = { 0 };
		int n = snprintf(m, sizeof(m), "conn %d", i);
		if (write(cs[i], m, (size_t)n) != n || read(ss[i], b, sizeof(b)) != n ||
		    memcmp(m, b, (size_t)n))
			ok = 0;
	}
	check(ok, "100 connections each carry their own data");
	for (int i = 0; i < N; i++) {
		close(cs[i]);
		close(ss[i]);
	}
	close(l);
}

/* Client for an echo server elsewhere: N connections open at once. */
static int conns(const char *host, int port, int n)
{
	int *fd = calloc((size_t)n, sizeof(int)), ok = 0;
	struct sockaddr_in a = sin_of(host, port);
	for (int i = 0; i < n; i++) {
		fd[i] = tcp();
		if (connect(fd[i], (struct sockaddr *)&a, sizeof(a)) < 0) {
			printf("connect %d: %s\n", i, strerror(errno));
			return 1;
		}
	}
	for (int i = 0; i < n; i++) {
		char m[32];
		int len = snprintf(m, sizeof(m), "line %d\n", i);
		write(fd[i], m, (size_t)len);
	}
	for (int i = 0; i < n; i++) {
		char m[32], b[32] = { 0 };
		int len = snprintf(m, sizeof(m), "line %d\n", i), got = 0;
		while (got < len) {
			ssize_t r = read(fd[i], b + got, sizeof(b) - 1 - (size_t)got);
			if (r <= 0)
				break;
			got += (int)r;
		}
		if (got == len && !memcmp(m, b, (size_t)len))
			ok++;
		close(fd[i]);
	}
	printf("conns: %d of %d echoed\n", ok, n);
	return ok == n ? 0 : 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int send_pattern(const char *host, int port, long long n)
{
	struct sockaddr_in a = sin_of(host, port);
	int c = tcp();
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("send: connect: %s\n", strerror(errno));
		return 1;
	}
	static unsigned char b[65536];
	double t0 = now_s();
	for (long long off = 0; off < n;) {
		size_t k = n - off < (long long)sizeof(b) ? (size_t)(n - off) : sizeof(b);
		for (size_t i = 0; i < k; i++)
			b[i] = pattern((size_t)off + i, 9);
		if (write(c, b, k) != (ssize_t)k) {
			printf("send: write: %s\n", strerror(errno));
			return 1;
		}
		off += (long long)k;
	}
	shutdown(c, SHUT_WR);
	char x;
	while (read(c, &x, 1) > 0)
		;
	double t = now_s() - t0;
	printf("sent %lld bytes in %.2f s (%.2f MB/s)\n", n, t, n / t / 1e6);
	close(c);
	return 0;
}

static int recv_pattern(int port, long long n)
{
	int l = tcp(), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0) {
		printf("recv: %s\n", strerror(errno));
		return 1;
	}
	printf("recv: listening on %d\n", port);
	int s = accept(l, NULL, NULL);
	static unsigned char b[65536];
	long long got = 0, bad = 0;
	double t0 = now_s();
	for (;;) {
		ssize_t r = read(s, b, sizeof(b));
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			if (b[i] != pattern((size_t)got + (size_t)i, 9))
				bad++;
		got += r;
	}
	double t = now_s() - t0;
	printf("recv %s: %lld bytes, %lld bad, %.2f MB/s\n",
	       got == n && !bad ? "ok" : "FAILED", got, bad, got / t / 1e6);
	close(s);
	close(l);
	return got == n && !bad ? 0 : 1;
}

/* Write n bytes to a connection on port whose reader (a child) drains
 * them; the sender's SO_SNDBUF before and after. sndbuf > 0: set first. */
static int sndbuf_run(int port, int l, int sndbuf, int *before, int *after)
{
	int c = tcp();
	if (sndbuf > 0)
		setsockopt(c, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	struct sockaddr_in a = sin_of("127.0.0.1", port);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
		return 0;
	int s = accept(l, NULL, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		static char b[65536];
		close(c);
		while (read(s, b, sizeof(b)) > 0)
			;
		_exit(0);
	}
	close(s);
	socklen_t vl = sizeof(int);
	getsockopt(c, SOL_SOCKET, SO_SNDBUF, before, &vl);
	static char b[65536];
	int ok = 1;
	for (int i = 0; i < 128 && ok; i++)   /* 8 MiB */
		ok = write(c, b, sizeof(b)) == (ssize_t)sizeof(b);
	vl = sizeof(int);
	getsockopt(c, SOL_SOCKET, SO_SNDBUF, after, &vl);
	close(c);
	int st;
	waitpid(pid, &st, 0);
	return ok;
}

static void test_sndbuf(void)
{
	int port, l = listener(&port), before = 0, after = 0;
	int ok = sndbuf_run(port, l, 0, &before, &after);
	printf("SO_SNDBUF default: %d, after 8 MiB: %d\n", before, after);
	check(ok && before > 0 && after > before, "SO_SNDBUF grows with a bulk transfer");
	ok = sndbuf_run(port, l, 65536, &before, &after);
	printf("SO_SNDBUF set to 65536: %d, after 8 MiB: %d\n", before, after);
	check(ok && before == 131072 && after == 131072,
	      "a set SO_SNDBUF reports twice the value and does not grow");
	close(l);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "send"))
		return send_pattern(argv[2], atoi(argv[3]), atoll(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "recv"))
		return recv_pattern(atoi(argv[2]), atoll(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "conns"))
		return conns(argv[2], atoi(argv[3]), atoi(argv[4]));
	test_basic();
	test_server_side_transfer();
	test_half_close();
	test_refused();
	test_options();
	test_many();
	test_sndbuf();
	printf("t-tcp: %d failures\n", failures);
	return failures ? 1 : 0;
}
