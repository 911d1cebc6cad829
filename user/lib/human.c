/*
 * user/lib/human.c - the -h sizes of ls, du and df, digit for digit like
 * GNU coreutils (human_readable with human_ceiling and powers of 1024):
 * below 1024 the plain number; otherwise the largest unit that leaves a
 * value under 1024, shown with one decimal when it is below 10, and
 * always rounded up, so a size is never understated. Rounding up may
 * reach the next unit ("1.0M" for 1048575 bytes, not "1024K").
 * Integer arithmetic only (128 bits for the tenths of exabytes).
 */
#include <stdio.h>

#include "human.h"

void human_size(unsigned long long n, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	if (n < 1024) {
		snprintf(buf, len, "%llu", n);
		return;
	}
	unsigned long long div = 1024;
	int u = 0;
	while (u < 5 && n / div >= 1024) {
		div *= 1024;
		u++;
	}
	unsigned __int128 tenths = ((unsigned __int128)n * 10 + div - 1) / div;
	if (tenths < 100) {
		snprintf(buf, len, "%u.%u%c", (unsigned)(tenths / 10),
		         (unsigned)(tenths % 10), units[u]);
		return;
	}
	unsigned long long whole = n / div + (n % div != 0);
	if (whole >= 1024 && u < 5)
		snprintf(buf, len, "1.0%c", units[u + 1]);
	else
		snprintf(buf, len, "%llu%c", whole, units[u]);
}
