/*
 * user/lib/slurp.c - read a whole descriptor into one growing buffer; for
 * the modes of head and tail that need to see the end of their input
 * before they can print anything.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "slurp.h"

char *slurp(int fd, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = malloc(cap);
	ssize_t r;
	while (b && (r = read(fd, b + n, cap - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(b);
			return NULL;
		}
		n += r;
		if (n == cap) {
			char *bigger = realloc(b, cap *= 2);
			if (!bigger)
				free(b);
			b = bigger;
		}
	}
	*len = n;
	return b;
}
