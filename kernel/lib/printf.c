/*
 * kernel/lib/printf.c - vsnprintf for the kernel: %d %i %u %x %X %o %p %s %c
 * %%, with flags '-', '0', '#', ' ', '+', width and precision (also '*'), and
 * length modifiers hh h l ll z t j. No floating point (the kernel has none).
 * Output is always NUL-terminated when size > 0; the return value is the
 * length the full output would have had, as in C99.
 */
#include "lib.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, int left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;
	if (!left)
		while (fill-- > 0)
			put(o, pad);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, unsigned long long v, bool neg, int base, bool upper,
                       int width, int prec, bool left, bool zero, bool alt, char sign)
{
	char tmp[72];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	if (v == 0 && prec != 0)
		tmp[n++] = '0';
	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	while (n < prec && n < 64)
		tmp[n++] = '0';
	char prefix[3];
	int pn = 0;
	if (neg)
		prefix[pn++] = '-';
	else if (sign)
		prefix[pn++] = sign;
	if (alt && base == 16) {
		prefix[pn++] = '0';
		prefix[pn++] = upper ? 'X' : 'x';
	} else if (alt && base == 8 && tmp[n - 1] != '0') {
		tmp[n++] = '0';
	}
	int total = n + pn;
	int fill = width > total ? width - total : 0;
	if (!left && !(zero && prec < 0))
		while (fill-- > 0)
			put(o, ' ');
	for (int i = 0; i < pn; i++)
		put(o, prefix[i]);
	if (!left && zero && prec < 0)
		while (fill-- > 0)
			put(o, '0');
	while (n > 0)
		put(o, tmp[--n]);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		bool left = false, zero = false, alt = false;
		char sign = 0;
		for (;; fmt++) {
			if (fmt[1] == '-')
				left = true;
			else if (fmt[1] == '0')
				zero = true;
			else if (fmt[1] == '#')
				alt = true;
			else if (fmt[1] == ' ')
				sign = sign ? sign : ' ';
			else if (fmt[1] == '+')
				sign = '+';
			else
				break;
		}
		fmt++;
		int width = 0, prec = -1;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long */
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng = 1;
			else
				break;
		}
		unsigned long long u;
		long long s;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 1 ? (lng == 1 ? va_arg(ap, long) : va_arg(ap, long long)) : va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng == -2)
				s = (signed char)s;
			put_number(&o, s < 0 ? -(unsigned long long)s : (unsigned long long)s, s < 0, 10,
			           false, width, prec, left, zero, false, sign);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng >= 1 ? (lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned long long))
			             : va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng == -2)
				u = (unsigned char)u;
			put_number(&o, u, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X', width,
			           prec, left, zero, alt, 0);
			break;
		case 'p':
			u = (unsigned long)va_arg(ap, void *);
			put_number(&o, u, false, 16, false, width, prec, left, zero, true, 0);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			size_t n = prec >= 0 ? strnlen(str, prec) : strlen(str);
			put_padded(&o, str, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
