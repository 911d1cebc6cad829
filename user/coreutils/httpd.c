/*
 * httpd - a small static-file HTTP/1.1 server.
 *
 *   httpd [-p PORT] [-d ROOT] [-n COUNT]
 *
 * Serves files under ROOT (default the current directory) on PORT
 * (default 80): GET and HEAD with Content-Length, index.html for a
 * directory, 404/403/400/405/501 with small bodies; POST to /echo
 * answers with the request body, read whole first (for testing clients). Paths with ".."
 * components are refused. One child process per connection; the
 * connection is closed after each response. -n: exit after COUNT
 * connections (for tests). Logs one line per request on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void reply(int s, int code, const char *reason, const char *type,
                  long long len, int head)
{
	char h[512];
	int n = snprintf(h, sizeof(h), "HTTP/1.1 %d %s\r\nServer: rayos-httpd\r\n"
	                 "Content-Type: %s\r\nContent-Length: %lld\r\nConnection: close\r\n\r\n",
	                 code, reason, type, len);
	write_all(s, h, (size_t)n);
	(void)head;
}

static void error_page(int s, int code, const char *reason, int head)
{
	char b[128];
	int n = snprintf(b, sizeof(b), "%d %s\n", code, reason);
	reply(s, code, reason, "text/plain", n, head);
	if (!head)
		write_all(s, b, (size_t)n);
}

static const char *mime(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return "application/octet-stream";
	if (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"))
		return "text/html";
	if (!strcasecmp(dot, ".txt"))
		return "text/plain";
	return "application/octet-stream";
}

/* Read the request head into buf; returns its length (with the blank
 * line), the rest of what was read stays after it. */
static ssize_t read_head(int s, char *buf, size_t cap, size_t *got)
{
	*got = 0;
	while (*got < cap - 1) {
		ssize_t r = read(s, buf + *got, cap - 1 - *got);
		if (r <= 0)
			return -1;
		*got += (size_t)r;
		buf[*got] = 0;
		char *end = strstr(buf, "\r\n\r\n");
		if (end)
			return end + 4 - buf;
	}
	return -1;
}

static void serve(int s, const char *root)
{
	static char buf[16384];
	size_t got;
	ssize_t hl = read_head(s, buf, sizeof(buf), &got);
	if (hl < 0) {
		error_page(s, 400, "Bad Request", 0);
		return;
	}
	char method[16], path[2048];
	if (sscanf(buf, "%15s %2047s HTTP/%*d.%*d", method, path) != 2) {
		error_page(s, 400, "Bad Request", 0);
		return;
	}
	fprintf(stderr, "httpd: %s %s\n", method, path);
	int head = !strcmp(method, "HEAD");
	if (!strcmp(method, "POST") && !strcmp(path, "/echo")) {
		long long len = 0;
		for (char *l = strstr(buf, "\r\n"); l && l < buf + hl; l = strstr(l + 2, "\r\n"))
			if (!strncasecmp(l + 2, "Content-Length:", 15))
				len = strtoll(l + 17, NULL, 10);
		/* Read the whole body before answering: a client that sends
		 * everything before reading would otherwise deadlock with us. */
		if (len < 0 || len > (64 << 20)) {
			error_page(s, 413, "Payload Too Large", 0);
			return;
		}
		char *bodybuf = malloc((size_t)len + 1);
		if (!bodybuf) {
			error_page(s, 500, "Internal Server Error", 0);
			return;
		}
		long long have = (long long)got - hl;
		if (have > len)
			have = len;
		memcpy(bodybuf, buf + hl, (size_t)have);
		while (have < len) {
			ssize_t r = read(s, bodybuf + have, (size_t)(len - have));
			if (r <= 0)
				break;
			have += r;
		}
		reply(s, 200, "OK", "application/octet-stream", have, 0);
		write_all(s, bodybuf, (size_t)have);
		free(bodybuf);
		return;
	}
	if (strcmp(method, "GET") && !head) {
		error_page(s, strcmp(method, "POST") ? 501 : 405,
		           strcmp(method, "POST") ? "Not Implemented" : "Method Not Allowed", 0);
		return;
	}
	char *q = strchr(path, '?');
	if (q)
		*q = 0;
	if (path[0] != '/' || strstr(path, "/../") || !strcmp(path + strlen(path) - (strlen(path) >= 3 ? 3 : 0), "/..")) {
		error_page(s, 403, "Forbidden", head);
		return;
	}
	char file[4096];
	snprintf(file, sizeof(file), "%s%s", root, path);
	struct stat st;
	if (stat(file, &st) == 0 && S_ISDIR(st.st_mode)) {
		strncat(file, path[strlen(path) - 1] == '/' ? "index.html" : "/index.html",
		        sizeof(file) - strlen(file) - 1);
		if (stat(file, &st) < 0) {
			error_page(s, 404, "Not Found", head);
			return;
		}
	}
	int fd = open(file, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (errno == EACCES)
			error_page(s, 403, "Forbidden", head);
		else
			error_page(s, 404, "Not Found", head);
		return;
	}
	reply(s, 200, "OK", mime(file), (long long)st.st_size, head);
	if (head)
		return;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r <= 0 || write_all(s, buf, (size_t)r) < 0)
			break;
	}
	close(fd);
}

int main(int argc, char **argv)
{
	int port = 80, count = -1, c;
	const char *root = ".";
	while ((c = getopt(argc, argv, "p:d:n:")) != -1) {
		switch (c) {
		case 'p': port = atoi(optarg); break;
		case 'd': root = optarg; break;
		case 'n': count = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: httpd [-p port] [-d root] [-n count]\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);   /* children are reaped automatically */
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 64) < 0) {
		fprintf(stderr, "httpd: port %d: %s\n", port, strerror(errno));
		return 1;
	}
	fprintf(stderr, "httpd: serving %s on port %d\n", root, port);
	while (count != 0) {
		int s = accept(l, NULL, NULL);
		if (s < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "httpd: accept: %s\n", strerror(errno));
			return 1;
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(l);
			serve(s, root);
			shutdown(s, SHUT_WR);
			/* Drain until the client closes so unread request bytes
			 * do not turn our close into a reset. */
			char tmp[512];
			while (read(s, tmp, sizeof(tmp)) > 0)
				;
			_exit(0);
		}
		close(s);
		if (count > 0)
			count--;
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
