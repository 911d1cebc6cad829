/*
 * ping - send ICMP echo requests and report replies, like iputils ping:
 *
 *   ping [-c COUNT] [-i INTERVAL] [-s SIZE] [-W TIMEOUT] [-w DEADLINE]
 *        [-t TTL] [-q] HOST
 *
 * Uses an ICMP datagram socket (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP),
 * as unprivileged Linux ping does): the kernel picks the echo identifier
 * and fills in the checksum. The socket is connected to the target so
 * that ICMP errors about our echoes (host unreachable) come back as errors
 * from recv. Each request carries the send time (struct timespec) and a
 * byte pattern; a reply is matched by sequence number and its payload
 * checked. Ends after COUNT replies or COUNT requests plus TIMEOUT
 * (default: forever until ^C), or at DEADLINE; prints the statistics
 * lines as iputils does and exits 0 if any reply came, 1 if none, 2 on
 * errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZE 65507

static volatile sig_atomic_t interrupted;
static long transmitted, received, errors, dups;
static double rtt_min = 1e300, rtt_max, rtt_sum, rtt_sum2;
static unsigned char *seen;       /* bitmap of sequence numbers replied */
static struct timespec start;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static void on_int(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: ping [-c count] [-i interval] [-s size] [-W timeout] "
	        "[-w deadline] [-t ttl] [-q] host\n");
	exit(2);
}

static double number(const char *s, const char *what)
{
	char *end;
	double v = strtod(s, &end);
	if (*s == 0 || *end || v < 0) {
		fprintf(stderr, "ping: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

static void stats(const char *host)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	long ms = (t.tv_sec - start.tv_sec) * 1000 + (t.tv_nsec - start.tv_nsec) / 1000000;

	printf("\n--- %s ping statistics ---\n", host);
	printf("%ld packets transmitted, %ld received", transmitted, received);
	if (dups)
		printf(", +%ld duplicates", dups);
	if (errors)
		printf(", +%ld errors", errors);
	printf(", %g%% packet loss, time %ldms\n",
	       transmitted ? (double)(long)(100.0 * (transmitted - received) / transmitted * 1000) / 1000 : 0.0,
	       ms);
	if (received) {
		double avg = rtt_sum / received;
		double var = rtt_sum2 / received - avg * avg;
		printf("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n", rtt_min, avg,
		       rtt_max, var > 0 ? sqrt(var) : 0.0);
	}
}

int main(int argc, char **argv)
{
	long count = -1;
	double interval = 1.0, timeout = 10.0, deadline = 0;
	int size = 56, ttl = 0, quiet = 0, opt;

	while ((opt = getopt(argc, argv, "c:i:s:W:w:t:q")) != -1) {
		switch (opt) {
		case 'c': count = (long)number(optarg, "count"); if (count < 1) usage(); break;
		case 'i': interval = number(optarg, "interval"); break;
		case 's': size = (int)number(optarg, "packet size"); break;
		case 'W': timeout = number(optarg, "timeout"); break;
		case 'w': deadline = number(optarg, "deadline"); break;
		case 't': ttl = (int)number(optarg, "ttl"); break;
		case 'q': quiet = 1; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	if (size > MAX_SIZE - 8) {
		fprintf(stderr, "ping: packet size %d is too large (at most %d)\n",
		        size, MAX_SIZE - 8);
		return 2;
	}
	const char *host = argv[optind];
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_DGRAM }, *ai;
	int gai = getaddrinfo(host, NULL, &hints, &ai);
	if (gai) {
		fprintf(stderr, "ping: %s: %s\n", host, gai_strerror(gai));
		return 2;
	}
	struct sockaddr_in to = *(struct sockaddr_in *)ai->ai_addr;
	freeaddrinfo(ai);
	char addr[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &to.sin_addr, addr, sizeof(addr));

	int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (fd < 0) {
		perror("ping: socket");
		return 2;
	}
	if (ttl > 0 && setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0) {
		perror("ping: IP_TTL");
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		fprintf(stderr, "ping: connect: %s\n", strerror(errno));
		return 2;
	}
	seen = calloc(8192, 1);
	size_t plen = 8 + (size_t)size;
	unsigned char *out = calloc(1, plen), *in = malloc(plen + 64);
	if (!seen || !out || !in)
		return 2;

	signal(SIGINT, on_int);
	printf("PING %s (%s) %d(%d) bytes of data.\n", host, addr, size, size + 28);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	double t0 = now_ms(), next_send = t0, last_send = t0;
	uint16_t seq = 0;

	while (!interrupted) {
		double now = now_ms();
		if (deadline > 0 && now - t0 >= deadline * 1000)
			break;
		if (count >= 0 && received >= count)
			break;
		if (count >= 0 && transmitted >= count && now - last_send >= timeout * 1000)
			break;
		if ((count < 0 || transmitted < count) && now >= next_send) {
			struct icmphdr *ic = (struct icmphdr *)out;
			ic->type = ICMP_ECHO;
			ic->code = 0;
			ic->un.echo.sequence = htons(++seq);
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			for (int i = 0; i < size; i++)
				out[8 + i] = (unsigned char)(i + 8);
			if ((size_t)size >= sizeof(ts))
				memcpy(out + 8, &ts, sizeof(ts));
			if (send(fd, out, plen, 0) < 0) {
				if (!quiet)
					printf("From %s icmp_seq=%u %s\n", addr, seq, strerror(errno));
				errors++;
			}
			transmitted++;
			last_send = now;
			next_send = now + interval * 1000;
			fflush(stdout);
		}
		double wait = next_send - now_ms();
		if (count >= 0 && transmitted >= count)
			wait = last_send + timeout * 1000 - now_ms();
		if (deadline > 0 && t0 + deadline * 1000 - now_ms() < wait)
			wait = t0 + deadline * 1000 - now_ms();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int pr = poll(&pfd, 1, wait > 0 ? (int)(wait + 0.999) : 0);
		if (pr <= 0)
			continue;
		ssize_t n = recv(fd, in, plen + 64, MSG_DONTWAIT);
		double arrived = now_ms();
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (!quiet)
				printf("From %s icmp_seq=%u %s\n", addr, seq,
				       errno == EHOSTUNREACH ? "Destination Host Unreachable" :
				       strerror(errno));
			errors++;
			fflush(stdout);
			continue;
		}
		struct icmphdr *ic = (struct icmphdr *)in;
		if (n < 8 || ic->type != ICMP_ECHOREPLY)
			continue;
		uint16_t rseq = ntohs(ic->un.echo.sequence);
		double rtt = 0;
		if ((size_t)size >= sizeof(struct timespec) && n >= 8 + (ssize_t)sizeof(struct timespec)) {
			struct timespec ts;
			memcpy(&ts, in + 8, sizeof(ts));
			rtt = arrived - (ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6);
		}
		int bad = n != (ssize_t)plen;
		for (int i = sizeof(struct timespec); !bad && i < size; i++)
			if (in[8 + i] != (unsigned char)(i + 8))
				bad = 1;
		int dup = seen[rseq / 8] & (1 << (rseq % 8));
		seen[rseq / 8] |= 1 << (rseq % 8);
		if (dup) {
			dups++;
		} else {
			received++;
			if (rtt < rtt_min) rtt_min = rtt;
			if (rtt > rtt_max) rtt_max = rtt;
			rtt_sum += rtt;
			rtt_sum2 += rtt * rtt;
		}
		if (!quiet) {
			printf("%zd bytes from %s: icmp_seq=%u", n, addr, rseq);
			if ((size_t)size >= sizeof(struct timespec))
				printf(" time=%.3f ms", rtt);
			printf("%s%s\n", dup ? " (DUP!)" : "", bad ? " (BAD CHECK!)" : "");
			fflush(stdout);
		}
	}
	stats(host);
	return received ? 0 : 1;
}
