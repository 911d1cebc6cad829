/*
 * ifup - bring interfaces up as /etc/network.conf says:
 *
 *   ifup -a          every interface listed
 *   ifup IF...       the listed ones
 *
 * /etc/network.conf has one line per interface ('#' starts a comment):
 *
 *   eth0  dhcp
 *   eth1  static 10.77.0.32/24 [gw 10.77.0.1] [dns 10.77.0.1]... [domain lan.test]
 *
 * dhcp runs `dhcpcd IF` (which configures everything and stays in the
 * background); static runs `ifconfig IF ADDR/PREFIX up`, then `route add
 * default gw GW dev IF`, and writes the dns/domain entries to
 * /etc/resolv.conf. Status 0 when every interface came up, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *conf = "/etc/network.conf";

static int run(char *const argv[])
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "ifup: %s: cannot run\n", argv[0]);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int up(char **tok, int n)
{
	char *ifname = tok[0];

	if (n >= 2 && !strcmp(tok[1], "dhcp"))
		return run((char *[]){ "dhcpcd", ifname, NULL });
	if (n < 3 || strcmp(tok[1], "static")) {
		fprintf(stderr, "ifup: %s: expected 'dhcp' or 'static ADDR/PREFIX ...'\n", ifname);
		return -1;
	}
	if (run((char *[]){ "ifconfig", ifname, tok[2], "up", NULL }) < 0)
		return -1;
	char resolv[1024] = "";
	size_t len = 0;
	for (int i = 3; i + 1 < n; i += 2) {
		if (!strcmp(tok[i], "gw")) {
			if (run((char *[]){ "route", "add", "default", "gw", tok[i + 1],
			                    "dev", ifname, NULL }) < 0)
				return -1;
		} else if (!strcmp(tok[i], "dns") && len < sizeof(resolv) - 64) {
			len += snprintf(resolv + len, sizeof(resolv) - len, "nameserver %s\n",
			                tok[i + 1]);
		} else if (!strcmp(tok[i], "domain") && len < sizeof(resolv) - 140) {
			len += snprintf(resolv + len, sizeof(resolv) - len, "search %.128s\n",
			                tok[i + 1]);
		} else {
			fprintf(stderr, "ifup: %s: unknown '%s'\n", ifname, tok[i]);
			return -1;
		}
	}
	if (len) {
		FILE *f = fopen("/etc/resolv.conf", "w");
		if (!f || fprintf(f, "# written by ifup for %s\n%s", ifname, resolv) < 0 ||
		    fclose(f) != 0) {
			perror("ifup: /etc/resolv.conf");
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int all = argc == 2 && !strcmp(argv[1], "-a"), status = 0, found = 0;
	char line[512];
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: ifup -a | ifup IF...\n");
		return 2;
	}
	f = fopen(conf, "r");
	if (!f) {
		perror("ifup: /etc/network.conf");
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#'), *tok[32];
		int n = 0;
		if (hash)
			*hash = 0;
		for (char *t = strtok(line, " \t\n"); t && n < 32; t = strtok(NULL, " \t\n"))
			tok[n++] = t;
		if (!n)
			continue;
		int wanted = all;
		for (int i = 1; i < argc && !wanted; i++)
			wanted = !strcmp(argv[i], tok[0]);
		if (!wanted)
			continue;
		found++;
		if (up(tok, n) < 0) {
			fprintf(stderr, "ifup: %s: failed\n", tok[0]);
			status = 1;
		}
	}
	fclose(f);
	if (!all && found < argc - 1) {
		fprintf(stderr, "ifup: an interface is not in %s\n", conf);
		status = 1;
	}
	return status;
}
