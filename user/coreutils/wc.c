/*
 * user/coreutils/wc.c - wc [-lwcmL] [file...]: count newlines, words
 * (runs of non-space), characters (-m: bytes, as GNU in the C locale),
 * bytes and the longest line's width (-L, tabs to multiples of 8) of each
 * file (or stdin, or "-"), with a "total" line for several files (its -L
 * the largest). Without options lines, words and bytes are printed.
 * Columns are formatted like GNU wc: one count alone from stdin is printed
 * bare; otherwise every count is right-aligned to the width of the largest
 * (at least 7 for stdin, at least 1 for regular files' total size).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct count { unsigned long l, w, c, L; int ok; };

static int opt_l, opt_w, opt_c, opt_m, opt_L;

static int count_fd(int fd, const char *name, struct count *ct)
{
	static char buf[65536];
	int inword = 0;
	unsigned long col = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
			return -1;
		}
		ct->c += n;
		for (ssize_t i = 0; i < n; i++) {
			unsigned char ch = buf[i];
			if (ch == '\n' || ch == '\r' || ch == '\f') {
				if (ch == '\n')
					ct->l++;
				col = 0;
			} else if (ch == '\t') {
				col = (col / 8 + 1) * 8;
			} else if (isprint(ch)) {
				col++;
			}
			if (col > ct->L)
				ct->L = col;
			if (isspace(ch)) {
				inword = 0;
			} else if (!inword) {
				inword = 1;
				ct->w++;
			}
		}
	}
	return 0;
}

static void print(const struct count *ct, int w, const char *name)
{
	const char *sp = "";
	if (opt_l) { printf("%*lu", w, ct->l); sp = " "; }
	if (opt_w) { printf("%s%*lu", sp, w, ct->w); sp = " "; }
	if (opt_m) { printf("%s%*lu", sp, w, ct->c); sp = " "; }
	if (opt_c) { printf("%s%*lu", sp, w, ct->c); sp = " "; }
	if (opt_L) { printf("%s%*lu", sp, w, ct->L); }
	if (name)
		printf(" %s", name);
	putchar('\n');
}

int main(int argc, char **argv)
{
	int opt, status = 0, nonreg = 0;

	while ((opt = getopt(argc, argv, "lwcmL")) != -1) {
		switch (opt) {
		case 'l': opt_l = 1; break;
		case 'w': opt_w = 1; break;
		case 'c': opt_c = 1; break;
		case 'm': opt_m = 1; break;
		case 'L': opt_L = 1; break;
		default:
			fprintf(stderr, "usage: wc [-lwcmL] [file...]\n");
			return 2;
		}
	}
	if (!opt_l && !opt_w && !opt_c && !opt_m && !opt_L)
		opt_l = opt_w = opt_c = 1;
	int nfiles = argc - optind, nf = nfiles ? nfiles : 1;
	struct count cts[nf], total = { 0, 0, 0, 0, 1 };
	unsigned long sizes = 0;
	memset(cts, 0, sizeof cts);
	for (int i = 0; i < nf; i++) {
		const char *name = nfiles ? argv[optind + i] : "-";
		int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);
		struct stat st;
		if (fd < 0) {
			fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
			status = 1;
			continue;
		}
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			sizes += st.st_size;
		else
			nonreg = 1;
		if (count_fd(fd, name, &cts[i]) == 0)
			cts[i].ok = 1;
		else
			status = 1;
		if (fd)
			close(fd);
		total.l += cts[i].l, total.w += cts[i].w, total.c += cts[i].c;
		if (cts[i].L > total.L)
			total.L = cts[i].L;
	}
	int fields = opt_l + opt_w + opt_c + opt_m + opt_L, w;
	if (fields == 1 && nf == 1) {
		w = 1;
	} else {
		char tmp[32];
		w = snprintf(tmp, sizeof tmp, "%lu", sizes);
		if (nonreg && w < 7)
			w = 7;
	}
	for (int i = 0; i < nf; i++)
		if (cts[i].ok)
			print(&cts[i], w, nfiles ? argv[optind + i] : NULL);
	if (nfiles > 1)
		print(&total, w, "total");
	return fflush(stdout) ? 1 : status;
}
