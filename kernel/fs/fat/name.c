/*
 * kernel/fs/fat/name.c - file names: UTF-8 <-> UTF-16 for VFAT long names,
 * 8.3 short names and their aliases, the long-entry checksum.
 *
 * Names follow Linux's vfat with iocharset=utf8 and shortname=mixed:
 * control characters and * ? < > | " : \ and a trailing space are refused,
 * trailing dots are dropped, comparison ignores ASCII case, a name that is a plain
 * upper-case 8.3 name is stored as a short entry alone and any other
 * gets a long entry plus a short alias ("FOO.TXT" for "foo.txt", else
 * "LONGNA~1.TXT" and so on; see dir.c for the uniqueness search).
 * Short entries found on disk are shown with the Windows NT lower-case
 * flags applied.
 */
#include "fat.h"

static bool long_ok(uint32_t c)
{
	if (c < 0x20)
		return false;
	switch (c) {
	case '*': case '?': case '<': case '>': case '|': case '"':
	case ':': case '\\': case '/':
		return false;
	}
	return true;
}

/* Characters allowed in a short name as they are (letters upper-cased). */
static bool short_ok(uint16_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '$': case '%': case '\'': case '-': case '_': case '@': case '~':
	case '`': case '!': case '(': case ')': case '{': case '}': case '^':
	case '#': case '&':
		return true;
	}
	return false;
}

static uint16_t upper(uint16_t c)
{
	return (c >= 'a' && c <= 'z') ? (uint16_t)(c - 32) : c;
}

int fat_name_to_utf16(const char *name, size_t len, uint16_t *out)
{
	while (len && name[len - 1] == '.')
		len--;
	if (!len || name[len - 1] == ' ')
		return -EINVAL; /* as Linux: no trailing space */
	int n = 0;
	const uint8_t *s = (const uint8_t *)name;
	for (size_t i = 0; i < len;) {
		uint32_t c = s[i], min;
		int more;
		if (c < 0x80) {
			more = 0; min = 0;
		} else if ((c & 0xe0) == 0xc0) {
			more = 1; c &= 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			more = 2; c &= 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			more = 3; c &= 0x07; min = 0x10000;
		} else {
			return -EINVAL;
		}
		if (i + 1 + more > len)
			return -EINVAL;
		for (int k = 1; k <= more; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -EINVAL;
			c = c << 6 | (s[i + k] & 0x3f);
		}
		i += 1 + more;
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c < 0xe000) ||
		    !long_ok(c))
			return -EINVAL;
		if (c >= 0x10000) {
			if (n + 2 > NAME_MAX)
				return -ENAMETOOLONG;
			c -= 0x10000;
			out[n++] = (uint16_t)(0xd800 | (c >> 10));
			out[n++] = (uint16_t)(0xdc00 | (c & 0x3ff));
		} else {
			if (n + 1 > NAME_MAX)
				return -ENAMETOOLONG;
			out[n++] = (uint16_t)c;
		}
	}
	return n;
}

int fat_utf16_to_name(const uint16_t *u, int n, char *out)
{
	int o = 0;
	for (int i = 0; i < n; i++) {
		uint32_t c = u[i];
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < n &&
		    u[i + 1] >= 0xdc00 && u[i + 1] < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (u[i + 1] - 0xdc00);
			i++;
		} else if (c >= 0xd800 && c < 0xe000) {
			return -EIO; /* a lone surrogate */
		}
		if (c == 0 || c == '/')
			return -EIO;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	if (o > NAME_MAX)
		return -EIO; /* the VFS cannot pass it back in: hide it */
	out[o] = 0;
	return o;
}

bool fat_utf16_eq(const uint16_t *a, int an, const uint16_t *b, int bn)
{
	if (an != bn)
		return false;
	for (int i = 0; i < an; i++)
		if (upper(a[i]) != upper(b[i]))
			return false;
	return true;
}

uint8_t fat_lfn_csum(const uint8_t name[11])
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
	return sum;
}

bool fat_plain_short(const uint16_t *u, int n, uint8_t sfn[11], bool *need_lfn)
{
	memset(sfn, ' ', 11);
	*need_lfn = false;
	int dot = -1;
	for (int i = 0; i < n; i++) {
		if (u[i] == '.') {
			if (dot >= 0)
				return false;
			dot = i;
		} else if (!short_ok(u[i])) {
			return false;
		}
	}
	int base = dot < 0 ? n : dot, ext = dot < 0 ? 0 : n - dot - 1;
	if (base < 1 || base > 8 || ext > 3 || (dot >= 0 && ext == 0))
		return false;
	for (int i = 0; i < base; i++) {
		sfn[i] = (uint8_t)upper(u[i]);
		*need_lfn |= sfn[i] != u[i];
	}
	for (int i = 0; i < ext; i++) {
		sfn[8 + i] = (uint8_t)upper(u[dot + 1 + i]);
		*need_lfn |= sfn[8 + i] != u[dot + 1 + i];
	}
	if (sfn[0] == DELETED_MARK)
		sfn[0] = 0x05;
	return true;
}

void fat_alias_basis(const uint16_t *u, int n, uint8_t sfn[11], int *baselen)
{
	memset(sfn, ' ', 11);
	int start = 0;
	while (start < n && (u[start] == '.' || u[start] == ' '))
		start++;
	int dot = -1;
	for (int i = n - 1; i > start; i--)
		if (u[i] == '.') {
			dot = i;
			break;
		}
	int end = dot < 0 ? n : dot, b = 0;
	for (int i = start; i < end && b < 8; i++) {
		if (u[i] == ' ' || u[i] == '.')
			continue;
		sfn[b++] = short_ok(u[i]) ? (uint8_t)upper(u[i]) : '_';
	}
	if (b == 0)
		sfn[b++] = '_';
	if (dot >= 0) {
		int e = 0;
		for (int i = dot + 1; i < n && e < 3; i++) {
			if (u[i] == ' ')
				continue;
			sfn[8 + e++] = short_ok(u[i]) ? (uint8_t)upper(u[i]) : '_';
		}
	}
	*baselen = b;
}

int fat_short_to_utf16(const struct fat_dirent *de, uint16_t *out)
{
	int n = 0, b = 8, e = 3;
	while (b > 0 && de->name[b - 1] == ' ')
		b--;
	while (e > 0 && de->name[8 + e - 1] == ' ')
		e--;
	for (int i = 0; i < b; i++) {
		uint16_t c = de->name[i];
		if (i == 0 && c == 0x05)
			c = DELETED_MARK;
		if ((de->ntres & FCASE_LOWER_BASE) && c >= 'A' && c <= 'Z')
			c += 32;
		out[n++] = c;
	}
	if (e) {
		out[n++] = '.';
		for (int i = 0; i < e; i++) {
			uint16_t c = de->name[8 + i];
			if ((de->ntres & FCASE_LOWER_EXT) && c >= 'A' && c <= 'Z')
				c += 32;
			out[n++] = c;
		}
	}
	return n;
}

uint32_t fat_hash_name(const uint16_t *u, int n)
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < n; i++) {
		h ^= upper(u[i]);
		h *= 16777619u;
	}
	return h;
}
