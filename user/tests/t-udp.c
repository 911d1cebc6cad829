/*
 * user/tests/t-udp.c - UDP sockets.
 *
 *   t-udp                         self-checks over 127.0.0.1 (PASS/FAIL lines)
 *   t-udp echo PORT N             echo N datagrams back to their senders
 *   t-udp client HOST PORT N SIZE send N datagrams of SIZE bytes to an echo
 *                                 server, each checked when it comes back
 *                                 (resent up to 5 times, 1 s apart)
 *
 * The self-checks: ephemeral bind and getsockname, sendto/recvfrom with
 * the sender's address, MSG_PEEK, MSG_TRUNC, EADDRINUSE and SO_REUSEADDR,
 * non-blocking EAGAIN, poll, SO_RCVTIMEO, a 60000-byte datagram, FIONREAD,
 * IP_TTL, ECONNREFUSED on a connected socket after port unreachable,
 * EACCES for broadcast without SO_BROADCAST, EAFNOSUPPORT, shutdown.
 * Exit 0 only if everything passed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
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

static int udp(void)
{
	return socket(AF_INET, SOCK_DGRAM, 0);
}

static int self_checks(void)
{
	struct sockaddr_in a = sin_of("127.0.0.1", 0), b, from;
	socklen_t len = sizeof(b), flen;
	char buf[70000];
	int s = udp(), c = udp();

	check(s >= 0 && c >= 0, "socket(AF_INET, SOCK_DGRAM)");
	check(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "bind 127.0.0.1:0");
	check(getsockname(s, (struct sockaddr *)&b, &len) == 0 && ntohs(b.sin_port) >= 1024 &&
	      b.sin_addr.s_addr == htonl(0x7f000001), "getsockname gives an ephemeral port");

	check(sendto(c, "hello", 5, 0, (struct sockaddr *)&b, sizeof(b)) == 5, "sendto");
	struct sockaddr_in cn;
	socklen_t cl = sizeof(cn);
	getsockname(c, (struct sockaddr *)&cn, &cl);
	check(ntohs(cn.sin_port) != 0, "sendto bound the sender to a port");
	check(recv(s, buf, sizeof(buf), MSG_PEEK) == 5 && !memcmp(buf, "hello", 5), "MSG_PEEK");
	flen = sizeof(from);
	check(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) == 5 &&
	      !memcmp(buf, "hello", 5), "recvfrom gets the datagram");
	check(flen == sizeof(from) && from.sin_port == cn.sin_port &&
	      from.sin_addr.s_addr == htonl(0x7f000001), "recvfrom gives the sender");

	sendto(c, "0123456789", 10, 0, (struct sockaddr *)&b, sizeof(b));
	int avail = -1;
	struct pollfd p = { .fd = s, .events = POLLIN };
	check(poll(&p, 1, 2000) == 1 && (p.revents & POLLIN), "poll: readable");
	check(ioctl(s, FIONREAD, &avail) == 0 && avail == 10, "FIONREAD is the next datagram's size");
	check(recv(s, buf, 4, MSG_TRUNC) == 10 && !memcmp(buf, "0123", 4),
	      "MSG_TRUNC: the real length of a truncated datagram");
	check(recv(s, buf, sizeof(buf), MSG_DONTWAIT) < 0 && errno == EAGAIN,
	      "the rest of a truncated datagram is gone (EAGAIN)");

	memset(buf, 'x', 60000);
	buf[59999] = 'y';
	check(sendto(c, buf, 60000, 0, (struct sockaddr *)&b, sizeof(b)) == 60000,
	      "send a 60000-byte datagram");
	memset(buf, 0, 60000);
	check(recv(s, buf, sizeof(buf), 0) == 60000 && buf[59999] == 'y' && buf[0] == 'x',
	      "receive it whole");
	check(sendto(c, buf, 65508, 0, (struct sockaddr *)&b, sizeof(b)) < 0 &&
	      errno == EMSGSIZE, "65508 bytes: EMSGSIZE");

	int s2 = udp();
	check(bind(s2, (struct sockaddr *)&b, sizeof(b)) < 0 && errno == EADDRINUSE,
	      "second bind to the same port: EADDRINUSE");
	close(s2);
	int one = 1, r1 = udp(), r2 = udp();
	struct sockaddr_in fixed = sin_of("0.0.0.0", 40123);
	setsockopt(r1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(r2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	check(bind(r1, (struct sockaddr *)&fixed, sizeof(fixed)) == 0 &&
	      bind(r2, (struct sockaddr *)&fixed, sizeof(fixed)) == 0,
	      "SO_REUSEADDR on both: same port twice");
	close(r1);
	close(r2);

	fcntl(s, F_SETFL, O_NONBLOCK);
	check(recv(s, buf, 10, 0) < 0 && errno == EAGAIN, "non-blocking recv: EAGAIN");
	fcntl(s, F_SETFL, 0);
	struct timeval tv = { 0, 300000 };
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	check(recv(s, buf, 10, 0) < 0 && errno == EAGAIN, "SO_RCVTIMEO: EAGAIN after the timeout");

	int ttl = 0;
	socklen_t tl = sizeof(ttl);
	check(getsockopt(c, IPPROTO_IP, IP_TTL, &ttl, &tl) == 0 && ttl == 64, "IP_TTL is 64");
	ttl = 5;
	check(setsockopt(c, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == 0 &&
	      getsockopt(c, IPPROTO_IP, IP_TTL, &ttl, &tl) == 0 && ttl == 5, "IP_TTL set to 5");

	/* A closed port answers with port unreachable: ECONNREFUSED. */
	int k = udp();
	struct sockaddr_in closed = sin_of("127.0.0.1", 9);
	check(connect(k, (struct sockaddr *)&closed, sizeof(closed)) == 0, "connect to port 9");
	struct sockaddr_in peer;
	socklen_t pl = sizeof(peer);
	check(getpeername(k, (struct sockaddr *)&peer, &pl) == 0 && peer.sin_port == htons(9),
	      "getpeername");
	send(k, "x", 1, 0);
	tv.tv_usec = 0;
	tv.tv_sec = 3;
	setsockopt(k, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	check(recv(k, buf, 10, 0) < 0 && errno == ECONNREFUSED, "ECONNREFUSED from a closed port");
	check(shutdown(k, SHUT_RD) == 0 && recv(k, buf, 10, 0) == 0, "recv after SHUT_RD: 0");
	close(k);

	struct sockaddr_in bc = sin_of("255.255.255.255", 9);
	check(sendto(c, "b", 1, 0, (struct sockaddr *)&bc, sizeof(bc)) < 0 && errno == EACCES,
	      "broadcast without SO_BROADCAST: EACCES");
	struct sockaddr_in bad = b;
	bad.sin_family = AF_UNIX;
	check(sendto(c, "b", 1, 0, (struct sockaddr *)&bad, sizeof(bad)) < 0 &&
	      errno == EAFNOSUPPORT, "wrong family: EAFNOSUPPORT");
	check(recv(c, buf, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN, "nothing stray arrived");
	close(s);
	close(c);
	return failures ? 1 : 0;
}

static int echo(int port, long n)
{
	int s = udp(), one = 1;
	struct sockaddr_in a = sin_of("0.0.0.0", port), from;
	static char buf[65536];

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("t-udp: bind");
		return 1;
	}
	printf("echo: listening on %d\n", port);
	fflush(stdout);
	for (long i = 0; i < n; i++) {
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (r < 0) {
			perror("t-udp: recvfrom");
			return 1;
		}
		sendto(s, buf, r, 0, (struct sockaddr *)&from, fl);
	}
	printf("echoed %ld\n", n);
	return 0;
}

static int client(const char *host, int port, long n, int size)
{
	int s = udp();
	struct sockaddr_in to = sin_of(host, port);
	static char out[65536], in[65536];
	struct timeval tv = { 1, 0 };
	long ok = 0, resent = 0;

	if (size < 8 || size > 65507) {
		fprintf(stderr, "t-udp: size 8..65507\n");
		return 2;
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (long i = 0; i < n; i++) {
		for (int j = 0; j < size; j++)
			out[j] = (char)(i * 7 + j);
		memcpy(out, &i, sizeof(i));
		int got = 0;
		for (int tries = 0; tries < 6 && !got; tries++) {
			if (tries)
				resent++;
			if (sendto(s, out, size, 0, (struct sockaddr *)&to, sizeof(to)) != size) {
				perror("t-udp: sendto");
				return 1;
			}
			for (;;) {
				ssize_t r = recv(s, in, sizeof(in), 0);
				if (r < 0)
					break;   /* timeout: resend */
				long seq;
				memcpy(&seq, in, sizeof(seq));
				if (seq != i)
					continue;   /* a late echo of an earlier one */
				if (r == size && !memcmp(in, out, size))
					got = 1;
				break;
			}
		}
		if (!got) {
			printf("datagram %ld: no correct echo\n", i);
			return 1;
		}
		ok++;
	}
	printf("ok %ld (resent %ld)\n", ok, resent);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 1)
		return self_checks();
	if (argc == 4 && !strcmp(argv[1], "echo"))
		return echo(atoi(argv[2]), atol(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "client"))
		return client(argv[2], atoi(argv[3]), atol(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: t-udp | t-udp echo PORT N | t-udp client HOST PORT N SIZE\n");
	return 2;
}
