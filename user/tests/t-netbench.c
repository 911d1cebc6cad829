/*
 * user/tests/t-netbench.c - TCP throughput and connection set-up rate, the
 * guest side of tools/bench_net.py. The same static binary runs on RayOS
 * and in the Linux reference guest's initramfs, so both are measured with
 * the same code.
 *
 *   t-netbench serve PORT       listen on three ports, one connection at a
 *                               time each, until killed:
 *                                 PORT    sink: read until EOF, then close
 *                                 PORT+1  source: write until the peer
 *                                         goes away
 *                                 PORT+2  accept and close at once
 *   t-netbench put HOST PORT BYTES   send BYTES to a sink (shutdown, wait
 *                               for its close), print MB/s
 *   t-netbench get HOST PORT BYTES   read BYTES from a source (PORT+1 of
 *                               serve), print MB/s
 *   t-netbench connect HOST PORT N   N connections to PORT+2 one after
 *                               another, print connections/s
 *
 * Every read and write moves 64 KiB, as iperf does; the data is a fixed
 * pattern made once, so the figure is the network path's, not the
 * pattern generator's. Results are one line, "netbench: ...", with the
 * elapsed time from CLOCK_MONOTONIC.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536

static unsigned char buf[CHUNK];

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int listen_on(int port)
{
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	if (l < 0)
		return -1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 64) < 0) {
		close(l);
		return -1;
	}
	return l;
}

static int connect_to(const char *host, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int c = socket(AF_INET, SOCK_STREAM, 0);

	if (c < 0 || inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
	    connect(c, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("netbench: connect %s:%d: %s\n", host, port, strerror(errno));
		if (c >= 0)
			close(c);
		return -1;
	}
	return c;
}

static int serve(int port)
{
	int l[3];
	struct pollfd pf[3];

	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < 3; i++) {
		l[i] = listen_on(port + i);
		if (l[i] < 0) {
			printf("netbench: listen %d: %s\n", port + i, strerror(errno));
			return 1;
		}
		pf[i] = (struct pollfd){ .fd = l[i], .events = POLLIN };
	}
	printf("netbench: serving on %d-%d\n", port, port + 2);
	for (;;) {
		if (poll(pf, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		for (int i = 0; i < 3; i++) {
			if (!(pf[i].revents & POLLIN))
				continue;
			int c = accept(l[i], NULL, NULL);
			if (c < 0)
				continue;
			if (i == 0)
				while (read(c, buf, CHUNK) > 0)
					;
			else if (i == 1)
				while (write(c, buf, CHUNK) > 0)
					;
			close(c);
		}
	}
}

static void report(const char *what, long long n, double t)
{
	printf("netbench: %s %lld bytes in %.3f s, %.2f MB/s\n", what, n, t, n / t / 1e6);
}

static int put(const char *host, int port, long long n)
{
	int c = connect_to(host, port);
	double t0 = now_s();

	if (c < 0)
		return 1;
	for (long long off = 0; off < n;) {
		size_t k = n - off < CHUNK ? (size_t)(n - off) : CHUNK;
		ssize_t w = write(c, buf, k);
		if (w <= 0) {
			printf("netbench: write: %s\n", strerror(errno));
			return 1;
		}
		off += w;
	}
	shutdown(c, SHUT_WR);
	while (read(c, buf, CHUNK) > 0)   /* the sink closes after EOF */
		;
	report("put", n, now_s() - t0);
	close(c);
	return 0;
}

static int get(const char *host, int port, long long n)
{
	int c = connect_to(host, port + 1);
	long long got = 0;
	double t0 = now_s();

	if (c < 0)
		return 1;
	while (got < n) {
		ssize_t r = read(c, buf, CHUNK);
		if (r <= 0) {
			printf("netbench: read after %lld bytes: %s\n", got,
			       r ? strerror(errno) : "EOF");
			return 1;
		}
		got += r;
	}
	report("get", got, now_s() - t0);
	close(c);
	return 0;
}

static int connects(const char *host, int port, int n)
{
	double t0 = now_s();

	for (int i = 0; i < n; i++) {
		int c = connect_to(host, port + 2);
		if (c < 0)
			return 1;
		close(c);
	}
	double t = now_s() - t0;
	printf("netbench: connect %d in %.3f s, %.1f per second\n", n, t, n / t);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + (i >> 12) + 9);
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "put"))
		return put(argv[2], atoi(argv[3]), atoll(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "get"))
		return get(argv[2], atoi(argv[3]), atoll(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "connect"))
		return connects(argv[2], atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: t-netbench serve PORT | put HOST PORT BYTES | "
	        "get HOST PORT BYTES | connect HOST PORT N\n");
	return 2;
}
