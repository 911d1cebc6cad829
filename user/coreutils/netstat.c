/*
 * netstat - list TCP and UDP sockets from /proc/net/tcp and /proc/net/udp.
 *
 *   netstat [-t] [-u] [-l] [-a] [-n]
 *
 * Default: TCP and UDP, connected sockets only; -l listening only, -a all;
 * -t / -u restrict the protocol. Addresses are always numeric (-n is
 * accepted). Columns as Linux's netstat: Proto Recv-Q Send-Q Local
 * Address, Foreign Address, State.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const tcp_states[] = {
	"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
};

static void addr(char *out, size_t n, unsigned ip, unsigned port)
{
	unsigned char *b = (unsigned char *)&ip;
	if (port)
		snprintf(out, n, "%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3], port);
	else
		snprintf(out, n, "%u.%u.%u.%u:*", b[0], b[1], b[2], b[3]);
}

static void list(const char *proto, int listening, int all)
{
	char path[32], line[512];
	snprintf(path, sizeof(path), "/proc/net/%s", proto);
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return;
	}
	fgets(line, sizeof(line), f);   /* header */
	while (fgets(line, sizeof(line), f)) {
		unsigned lip, lport, rip, rport, st, tx, rx;
		if (sscanf(line, " %*d: %x:%x %x:%x %x %x:%x", &lip, &lport, &rip, &rport,
		           &st, &tx, &rx) != 7)
			continue;
		int is_tcp = !strcmp(proto, "tcp");
		int listen = is_tcp ? st == 10 : rport == 0;
		if (!all && listen != listening)
			continue;
		char l[32], r[32];
		addr(l, sizeof(l), lip, lport);
		addr(r, sizeof(r), rip, rport);
		printf("%-5s %6u %6u %-23s %-23s %s\n", proto, rx, tx, l, r,
		       is_tcp ? (st < 12 ? tcp_states[st] : "?") : (listen ? "" : "ESTABLISHED"));
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	int t = 0, u = 0, listening = 0, all = 0, c;
	while ((c = getopt(argc, argv, "tulan")) != -1) {
		switch (c) {
		case 't': t = 1; break;
		case 'u': u = 1; break;
		case 'l': listening = 1; break;
		case 'a': all = 1; break;
		case 'n': break;
		default:
			fprintf(stderr, "usage: netstat [-t] [-u] [-l] [-a] [-n]\n");
			return 2;
		}
	}
	if (!t && !u)
		t = u = 1;
	printf("Proto Recv-Q Send-Q %-23s %-23s State\n", "Local Address", "Foreign Address");
	if (t)
		list("tcp", listening, all);
	if (u)
		list("udp", listening, all);
	return 0;
}
