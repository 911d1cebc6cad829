/*
 * user/coreutils/hexdump.c - hexdump -C [-v] [-n LEN] [-s SKIP] [file...]:
 * the canonical hex+ASCII display, byte for byte as util-linux prints it:
 *   00000000  48 65 6c 6c 6f 0a                                 |Hello.|
 *   00000006
 * A run of lines equal to the one before is shown as a single "*" unless
 * -v. Only -C's format is implemented (it is also the default here).
 * Files are read one after another as one stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int opt_v;
static long long limit = -1;
static unsigned char prev[16];
static int have_prev, starred;
static unsigned long long offset;

static void line(const unsigned char *b, int n)
{
	if (!opt_v && n == 16 && have_prev && !memcmp(b, prev, 16)) {
		if (!starred)
			printf("*\n");
		starred = 1;
		offset += 16;
		return;
	}
	starred = 0;
	printf("%08llx ", offset);
	for (int i = 0; i < 16; i++) {
		if (i == 8)
			putchar(' ');
		if (i < n)
			printf(" %02x", b[i]);
		else
			printf("   ");
	}
	printf("  |");
	for (int i = 0; i < n; i++)
		putchar(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.');
	printf("|\n");
	memcpy(prev, b, 16);
	have_prev = n == 16;
	offset += (unsigned long long)n;
}

static void usage(void)
{
	fprintf(stderr, "usage: hexdump [-Cv] [-n LEN] [-s SKIP] [file...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt;
	long long skip = 0;
	char *end;
	while ((opt = getopt(argc, argv, "Cvn:s:")) != -1) {
		switch (opt) {
		case 'C': break;
		case 'v': opt_v = 1; break;
		case 'n':
			limit = strtoll(optarg, &end, 0);
			if (*end || limit < 0)
				usage();
			break;
		case 's':
			skip = strtoll(optarg, &end, 0);
			if (*end || skip < 0)
				usage();
			break;
		default: usage();
		}
	}
	int nfiles = argc - optind, status = 0;
	unsigned char buf[16];
	int n = 0;
	offset = (unsigned long long)skip;
	for (int i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *name = nfiles ? argv[optind + i] : "-";
		FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
		if (!f) {
			fprintf(stderr, "hexdump: %s: No such file or directory\n", name);
			status = 1;
			continue;
		}
		int c;
		while (limit != 0 && (c = getc(f)) != EOF) {
			if (skip > 0) {
				skip--;
				continue;
			}
			buf[n++] = (unsigned char)c;
			if (limit > 0)
				limit--;
			if (n == 16) {
				line(buf, 16);
				n = 0;
			}
		}
		if (f != stdin)
			fclose(f);
	}
	if (n)
		line(buf, n);
	if (offset || have_prev)
		printf("%08llx\n", offset);
	return status;
}
