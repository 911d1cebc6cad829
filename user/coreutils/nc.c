/*
 * nc - connect to or listen on a TCP or UDP port and copy stdin to the
 * socket and the socket to stdout.
 *
 *   nc [-u] [-v] [-w secs] HOST PORT     connect
 *   nc -l [-u] [-v] [-k] [-p] PORT       listen (one peer; -k: keep
 *                                        accepting, one after another)
 *   nc -z [-v] [-w secs] HOST PORT       only check that the port accepts
 *
 * TCP: at end of stdin the sending side is shut down (the peer sees EOF)
 * and nc keeps printing until the peer closes. UDP: each stdin read is a
 * datagram; a listener answers the address the first datagram came from.
 * -w bounds connecting and idle time. Exit 0 when the connection worked.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int udp, verbose, timeout_s = -1;

static void usage(void)
{
	fprintf(stderr, "usage: nc [-u] [-v] [-w secs] host port\n"
	                "       nc -l [-u] [-v] [-k] [-p] port\n"
	                "       nc -z [-v] [-w secs] host port\n");
	exit(2);
}

static int resolve(const char *host, const char *port, struct sockaddr_in *out)
{
	struct addrinfo hints = { .ai_family = AF_INET,
	                          .ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM };
	struct addrinfo *res;
	int r = getaddrinfo(host, port, &hints, &res);
	if (r) {
		fprintf(stderr, "nc: %s: %s\n", host, gai_strerror(r));
		return -1;
	}
	memcpy(out, res->ai_addr, sizeof(*out));
	freeaddrinfo(res);
	return 0;
}

/* Connect with a time limit (-w). */
static int connect_to(const struct sockaddr_in *a)
{
	int s = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	if (timeout_s > 0)
		fcntl(s, F_SETFL, O_NONBLOCK);
	int r = connect(s, (const struct sockaddr *)a, sizeof(*a));
	if (r < 0 && errno == EINPROGRESS) {
		struct pollfd p = { s, POLLOUT, 0 };
		if (poll(&p, 1, timeout_s * 1000) == 0) {
			errno = ETIMEDOUT;
			close(s);
			return -1;
		}
		int err = 0;
		socklen_t l = sizeof(err);
		getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &l);
		r = err ? -1 : 0;
		errno = err;
	}
	if (r < 0) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	fcntl(s, F_SETFL, 0);
	return s;
}

static int write_all(int fd, const char *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy both ways until the peer is done. For UDP, peer is where to send. */
static int pump(int s, struct sockaddr_in *peer, int have_peer)
{
	static char buf[65536];
	struct pollfd p[2] = { { s, POLLIN, 0 }, { 0, POLLIN, 0 } };
	int in_open = 1;
	for (;;) {
		int n = poll(p, in_open ? 2 : 1, timeout_s > 0 ? timeout_s * 1000 : -1);
		if (n == 0)
			return 0;   /* idle time-out */
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			struct sockaddr_in from;
			socklen_t fl = sizeof(from);
			ssize_t r = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
			if (r < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				fprintf(stderr, "nc: %s\n", strerror(errno));
				return 1;
			}
			if (r == 0 && !udp)
				return 0;
			if (udp && !have_peer) {
				*peer = from;
				have_peer = 1;
				connect(s, (struct sockaddr *)peer, sizeof(*peer));
			}
			if (write_all(1, buf, (size_t)r) < 0)
				return 1;
		}
		if (in_open && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t r = read(0, buf, sizeof(buf));
			if (r <= 0) {
				in_open = 0;
				if (!udp)
					shutdown(s, SHUT_WR);
				else if (!have_peer || timeout_s < 0)
					return 0;
				continue;
			}
			if (udp && !have_peer)
				continue;   /* nobody to send to yet */
			if (udp ? send(s, buf, (size_t)r, 0) < 0 : write_all(s, buf, (size_t)r) < 0) {
				fprintf(stderr, "nc: %s\n", strerror(errno));
				return 1;
			}
		}
	}
}

int main(int argc, char **argv)
{
	int listen_mode = 0, keep = 0, scan = 0, c;
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt(argc, argv, "ulkvzpw:q:N")) != -1) {
		switch (c) {
		case 'u': udp = 1; break;
		case 'l': listen_mode = 1; break;
		case 'k': keep = 1; break;
		case 'v': verbose = 1; break;
		case 'z': scan = 1; break;
		case 'p': case 'N': case 'q': break;   /* accepted for compatibility */
		case 'w': timeout_s = atoi(optarg); break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	struct sockaddr_in a = { .sin_family = AF_INET };
	if (listen_mode) {
		if (argc < 1)
			usage();
		a.sin_port = htons((uint16_t)atoi(argv[argc - 1]));
		int l = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0), one = 1;
		setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    (!udp && listen(l, 16) < 0)) {
			fprintf(stderr, "nc: port %s: %s\n", argv[argc - 1], strerror(errno));
			return 1;
		}
		if (udp)
			return pump(l, &a, 0);
		do {
			struct sockaddr_in peer;
			socklen_t pl = sizeof(peer);
			int s = accept(l, (struct sockaddr *)&peer, &pl);
			if (s < 0) {
				fprintf(stderr, "nc: accept: %s\n", strerror(errno));
				return 1;
			}
			if (verbose) {
				unsigned char *ip = (unsigned char *)&peer.sin_addr;
				fprintf(stderr, "nc: connection from %u.%u.%u.%u:%u\n", ip[0], ip[1],
				        ip[2], ip[3], ntohs(peer.sin_port));
			}
			int r = pump(s, &peer, 1);
			close(s);
			if (!keep)
				return r;
		} while (1);
	}
	if (argc != 2)
		usage();
	if (resolve(argv[0], argv[1], &a) < 0)
		return 1;
	int s = connect_to(&a);
	if (s < 0) {
		fprintf(stderr, "nc: %s port %s: %s\n", argv[0], argv[1], strerror(errno));
		return 1;
	}
	if (verbose)
		fprintf(stderr, "nc: connected to %s port %s\n", argv[0], argv[1]);
	if (scan) {
		close(s);
		return 0;
	}
	return pump(s, &a, 1);
}
