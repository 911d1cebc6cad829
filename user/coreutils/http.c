/*
 * http - an HTTP/1.1 client.
 *
 *   http [-o FILE] [-X METHOD] [-d DATA | -D FILE] [-H 'Name: value']...
 *        [-i] [-q] [-t SECS] [-L MAXREDIRS] URL
 *
 * GET by default, POST when data is given (-d string, -D file). The body
 * goes to stdout or to FILE (-o), with a progress bar on stderr when
 * writing to a file (unless -q); -i prints the status line and headers
 * too. Bodies are read by Content-Length, chunked transfer coding, or to
 * the end of the connection. 301/302/303/307/308 redirects are followed
 * (at most -L, default 5; 303, and 301/302 after POST, turn into GET).
 * Clear errors and exit statuses: 2 usage, 3 DNS failure, 4 connection
 * refused or unreachable, 5 time-out (-t, default 30 s, per connect and
 * per read), 6 bad response, 7 HTTP status >= 400 ("http: HTTP 404 Not
 * Found"), 1 other errors. Only http:// URLs.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { E_USAGE = 2, E_DNS = 3, E_CONN = 4, E_TIMEOUT = 5, E_PROTO = 6, E_STATUS = 7 };

static int timeout_s = 30, quiet, show_headers;
static const char *outfile;
static int outfd = 1;
static char *extra_headers[32];
static int n_headers;

/* The connection's input, buffered. */
static int sock = -1;
static char ibuf[65536];
static size_t ipos, ilen;

static void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("http: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(code);
}

struct url {
	char host[256];
	char port[8];
	char path[2048];
};

static void parse_url(const char *u, struct url *out)
{
	if (strncasecmp(u, "http://", 7))
		die(E_USAGE, "%s: only http:// URLs are supported", u);
	u += 7;
	const char *slash = strchr(u, '/');
	size_t hl = slash ? (size_t)(slash - u) : strlen(u);
	if (hl == 0 || hl >= sizeof(out->host))
		die(E_USAGE, "bad URL host");
	memcpy(out->host, u, hl);
	out->host[hl] = 0;
	strcpy(out->port, "80");
	char *colon = strchr(out->host, ':');
	if (colon) {
		*colon = 0;
		snprintf(out->port, sizeof(out->port), "%s", colon + 1);
	}
	snprintf(out->path, sizeof(out->path), "%s", slash ? slash : "/");
}

static int wait_fd(int fd, short ev)
{
	struct pollfd p = { fd, ev, 0 };
	int r;
	do
		r = poll(&p, 1, timeout_s * 1000);
	while (r < 0 && errno == EINTR);
	return r;
}

static void open_conn(const struct url *u)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int r = getaddrinfo(u->host, u->port, &hints, &res);
	if (r)
		die(E_DNS, "cannot resolve %s: %s", u->host, gai_strerror(r));
	sock = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (sock < 0)
		die(1, "socket: %s", strerror(errno));
	r = connect(sock, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (r < 0 && errno == EINPROGRESS) {
		if (wait_fd(sock, POLLOUT) == 0)
			die(E_TIMEOUT, "connecting to %s port %s: timed out", u->host, u->port);
		int err = 0;
		socklen_t l = sizeof(err);
		getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &l);
		errno = err;
		r = err ? -1 : 0;
	}
	if (r < 0) {
		int e = errno;
		die(e == ETIMEDOUT ? E_TIMEOUT : E_CONN, "connecting to %s port %s: %s",
		    u->host, u->port, e == ECONNREFUSED ? "connection refused" : strerror(e));
	}
	ipos = ilen = 0;
}

static void send_all(const void *b, size_t n)
{
	const char *p = b;
	while (n) {
		ssize_t w = write(sock, p, n);
		if (w < 0 && errno == EAGAIN) {
			if (wait_fd(sock, POLLOUT) == 0)
				die(E_TIMEOUT, "sending: timed out");
			continue;
		}
		if (w < 0)
			die(E_CONN, "sending: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
}

/* Refill the input buffer; 0 at end of connection. */
static size_t fill(void)
{
	for (;;) {
		ssize_t r = read(sock, ibuf, sizeof(ibuf));
		if (r >= 0) {
			ipos = 0;
			ilen = (size_t)r;
			return ilen;
		}
		if (errno == EAGAIN) {
			if (wait_fd(sock, POLLIN) == 0)
				die(E_TIMEOUT, "reading: timed out");
			continue;
		}
		if (errno != EINTR)
			die(E_CONN, "reading: %s", strerror(errno));
	}
}

/* One header line without CRLF; NULL at end of connection. */
static char *get_line(void)
{
	static char line[8192];
	size_t n = 0;
	for (;;) {
		if (ipos == ilen && !fill())
			return n ? line : NULL;
		char ch = ibuf[ipos++];
		if (ch == '\n')
			break;
		if (n + 1 < sizeof(line))
			line[n++] = ch;
	}
	if (n && line[n - 1] == '\r')
		n--;
	line[n] = 0;
	return line;
}

/* ---- output and progress ---- */

static long long total_len = -1, done_len;
static time_t last_draw;

static void progress(int final)
{
	if (quiet || outfd == 1 || !outfile)
		return;
	time_t now = time(NULL);
	if (!final && now == last_draw)
		return;
	last_draw = now;
	if (total_len > 0) {
		int pct = (int)(done_len * 100 / total_len), bars = pct / 5;
		fprintf(stderr, "\r%3d%% [%.*s%*s] %lld bytes", pct, bars,
		        "####################", 20 - bars, "", done_len);
	} else {
		fprintf(stderr, "\r%lld bytes", done_len);
	}
	if (final)
		fputc('\n', stderr);
}

static void out(const char *b, size_t n)
{
	while (n) {
		ssize_t w = write(outfd, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die(1, "writing %s: %s", outfile ? outfile : "stdout", strerror(errno));
		}
		b += w;
		n -= (size_t)w;
	}
}

/* Copy n bytes of body (n < 0: to the end of the connection). */
static void body(long long n)
{
	while (n != 0) {
		if (ipos == ilen && !fill()) {
			if (n > 0)
				die(E_PROTO, "connection closed %lld bytes early", n);
			return;
		}
		size_t k = ilen - ipos;
		if (n > 0 && (long long)k > n)
			k = (size_t)n;
		out(ibuf + ipos, k);
		ipos += k;
		done_len += (long long)k;
		if (n > 0)
			n -= (long long)k;
		progress(0);
	}
}

static void chunked(void)
{
	for (;;) {
		char *l = get_line();
		if (!l)
			die(E_PROTO, "connection closed inside chunked body");
		char *end;
		long long n = strtoll(l, &end, 16);
		if (end == l || n < 0)
			die(E_PROTO, "bad chunk size '%s'", l);
		if (n == 0)
			break;
		body(n);
		l = get_line();   /* CRLF after the chunk */
		if (!l || *l)
			die(E_PROTO, "bad chunk end");
	}
	char *l;
	while ((l = get_line()) && *l)
		;   /* trailer */
}

int main(int argc, char **argv)
{
	const char *method = NULL, *data = NULL, *data_file = NULL;
	int max_redirs = 5, c;
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt(argc, argv, "o:X:d:D:H:iqt:L:")) != -1) {
		switch (c) {
		case 'o': outfile = optarg; break;
		case 'X': method = optarg; break;
		case 'd': data = optarg; break;
		case 'D': data_file = optarg; break;
		case 'H':
			if (n_headers < 32)
				extra_headers[n_headers++] = optarg;
			break;
		case 'i': show_headers = 1; break;
		case 'q': quiet = 1; break;
		case 't': timeout_s = atoi(optarg) > 0 ? atoi(optarg) : 30; break;
		case 'L': max_redirs = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: http [-o file] [-X method] [-d data | -D file] "
			                "[-H header] [-i] [-q] [-t secs] [-L n] URL\n");
			return E_USAGE;
		}
	}
	if (optind != argc - 1)
		die(E_USAGE, "one URL expected");
	char *payload = NULL;
	size_t plen = 0;
	if (data) {
		payload = strdup(data);
		plen = strlen(data);
	} else if (data_file) {
		int fd = open(data_file, O_RDONLY);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0)
			die(1, "%s: %s", data_file, strerror(errno));
		payload = malloc((size_t)st.st_size + 1);
		while (plen < (size_t)st.st_size) {
			ssize_t r = read(fd, payload + plen, (size_t)st.st_size - plen);
			if (r <= 0)
				break;
			plen += (size_t)r;
		}
		close(fd);
	}
	if (!method)
		method = payload ? "POST" : "GET";
	char url[4096];
	snprintf(url, sizeof(url), "%s", argv[optind]);
	for (int redirs = 0;; redirs++) {
		struct url u;
		parse_url(url, &u);
		open_conn(&u);
		char req[8192];
		int n = snprintf(req, sizeof(req),
		                 "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: rayos-http/1.0\r\n"
		                 "Accept: */*\r\nConnection: close\r\n",
		                 method, u.path, u.host);
		for (int i = 0; i < n_headers; i++)
			n += snprintf(req + n, sizeof(req) - (size_t)n, "%s\r\n", extra_headers[i]);
		if (payload)
			n += snprintf(req + n, sizeof(req) - (size_t)n, "Content-Length: %zu\r\n", plen);
		n += snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
		send_all(req, (size_t)n);
		if (payload)
			send_all(payload, plen);
		char *l = get_line();
		int status;
		char reason[256] = "";
		if (!l || sscanf(l, "HTTP/%*d.%*d %d %255[^\r\n]", &status, reason) < 1)
			die(E_PROTO, "bad or no response from %s", u.host);
		if (show_headers)
			printf("%s\n", l);
		long long clen = -1;
		int is_chunked = 0;
		char location[4096] = "";
		while ((l = get_line()) && *l) {
			if (show_headers)
				printf("%s\n", l);
			if (!strncasecmp(l, "Content-Length:", 15))
				clen = strtoll(l + 15, NULL, 10);
			else if (!strncasecmp(l, "Transfer-Encoding:", 18) && strstr(l + 18, "chunked"))
				is_chunked = 1;
			else if (!strncasecmp(l, "Location:", 9)) {
				char *v = l + 9;
				while (*v == ' ')
					v++;
				snprintf(location, sizeof(location), "%s", v);
			}
		}
		if (show_headers) {
			printf("\n");
			fflush(stdout);
		}
		if (status >= 300 && status < 400 && status != 304 && *location) {
			if (redirs >= max_redirs)
				die(E_STATUS, "too many redirects");
			close(sock);
			if (location[0] == '/')
				snprintf(url, sizeof(url), "http://%s:%s%s", u.host, u.port, location);
			else
				snprintf(url, sizeof(url), "%s", location);
			if (status == 303 || ((status == 301 || status == 302) && !strcmp(method, "POST"))) {
				method = "GET";
				free(payload);
				payload = NULL;
				plen = 0;
			}
			continue;
		}
		if (status >= 400) {
			close(sock);
			die(E_STATUS, "HTTP %d %s", status, reason);
		}
		if (outfile) {
			outfd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (outfd < 0)
				die(1, "%s: %s", outfile, strerror(errno));
		}
		total_len = is_chunked ? -1 : clen;
		if (!strcmp(method, "HEAD") || status == 204 || status == 304)
			;
		else if (is_chunked)
			chunked();
		else
			body(clen);
		progress(1);
		if (outfile && close(outfd) < 0)
			die(1, "%s: %s", outfile, strerror(errno));
		close(sock);
		return 0;
	}
}
