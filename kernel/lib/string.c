/*
 * kernel/lib/string.c - the string and memory functions the kernel uses.
 * gcc may emit calls to memcpy/memset/memmove/memcmp itself, so these names
 * must exist even in a freestanding kernel.
 */
#include "lib.h"

/*
 * memcpy, memmove and memset move eight bytes per instruction in unrolled
 * loops rather than with "rep movsb/stosb": under QEMU's TCG a rep string
 * instruction runs one byte per iteration of the translated block, which
 * made zeroing a page cost hundreds of microseconds (page faults, exec,
 * fork's copy-on-write). x86 allows unaligned 8-byte accesses, so only the
 * tail is done bytewise. The loops must not be turned back into calls to
 * these very functions (gcc recognises such loops): hence the attribute.
 */
typedef uint64_t __attribute__((may_alias, aligned(1))) u64_any;

#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	for (; n >= 32; n -= 32, d += 32, s += 32) {
		uint64_t a = ((const u64_any *)s)[0], b = ((const u64_any *)s)[1];
		uint64_t c = ((const u64_any *)s)[2], e = ((const u64_any *)s)[3];
		((u64_any *)d)[0] = a;
		((u64_any *)d)[1] = b;
		((u64_any *)d)[2] = c;
		((u64_any *)d)[3] = e;
	}
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(u64_any *)d = *(const u64_any *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with dst above src: copy backwards, each word read
	 * before the word that overlaps it is written. */
	d += n;
	s += n;
	for (; n >= 8; n -= 8) {
		d -= 8;
		s -= 8;
		*(u64_any *)d = *(const u64_any *)s;
	}
	while (n--)
		*--d = *--s;
	return dst;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t v = 0x0101010101010101ULL * (unsigned char)c;
	for (; n >= 32; n -= 32, d += 32) {
		((u64_any *)d)[0] = v;
		((u64_any *)d)[1] = v;
		((u64_any *)d)[2] = v;
		((u64_any *)d)[3] = v;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(u64_any *)d = v;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	/* Skip equal words first (exec compares whole pages). */
	for (; n >= 8 && *(const u64_any *)x == *(const u64_any *)y; n -= 8, x += 8, y += 8)
		;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = 0;
	}
	return n;
}

size_t strlcat(char *dst, const char *src, size_t size)
{
	size_t d = strnlen(dst, size);
	if (d == size)
		return d + strlen(src);
	return d + strlcpy(dst + d, src, size - d);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0 && s[0] == '0') {
		base = 8;
	} else if (base == 0) {
		base = 10;
	}
	for (;; s++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'z')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'Z')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	if (end)
		*end = (char *)s;
	return v;
}
