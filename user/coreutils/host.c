/*
 * host - look names up through the C library's resolver (musl's: /etc/hosts,
 * then A queries over UDP to the servers of /etc/resolv.conf), printing
 * like BIND's host:
 *
 *   host NAME        "NAME has address A" per IPv4 address; an alias
 *                    (CNAME) first as "NAME is an alias for CANON."
 *   host ADDRESS     "A.B.C.D.in-addr.arpa domain name pointer NAME."
 *
 * Exit status 0 when found, 1 when the name does not exist ("Host NAME not
 * found: 3(NXDOMAIN)") or the lookup failed ("... 2(SERVFAIL)" for a
 * server that did not answer usefully).
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: host NAME|ADDRESS\n");
		return 1;
	}
	const char *name = argv[1];
	struct in_addr a;

	if (inet_pton(AF_INET, name, &a) == 1) {
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = a };
		char host[NI_MAXHOST];
		unsigned char *b = (unsigned char *)&a;
		int r = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host,
		                    sizeof(host), NULL, 0, NI_NAMEREQD);
		if (r) {
			printf("Host %u.%u.%u.%u.in-addr.arpa. not found: 3(NXDOMAIN)\n",
			       b[3], b[2], b[1], b[0]);
			return 1;
		}
		printf("%u.%u.%u.%u.in-addr.arpa domain name pointer %s.\n", b[3],
		       b[2], b[1], b[0], host);
		return 0;
	}

	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM,
	                          .ai_flags = AI_CANONNAME }, *res;
	int r = getaddrinfo(name, NULL, &hints, &res);
	if (r == EAI_NONAME || r == EAI_NODATA) {
		printf("Host %s not found: 3(NXDOMAIN)\n", name);
		return 1;
	}
	if (r) {
		printf("Host %s not found: 2(SERVFAIL) (%s)\n", name, gai_strerror(r));
		return 1;
	}
	size_t nl = strlen(name);
	const char *cn = res->ai_canonname;
	/* NAME expanded by a search domain of resolv.conf is not an alias. */
	if (cn && strcasecmp(cn, name) &&
	    !(strncasecmp(cn, name, nl) == 0 && cn[nl] == '.'))
		printf("%s is an alias for %s.\n", name, res->ai_canonname);
	const char *shown = res->ai_canonname ? res->ai_canonname : name;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		char buf[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, buf,
		          sizeof(buf));
		printf("%s has address %s\n", shown, buf);
	}
	freeaddrinfo(res);
	return 0;
}
