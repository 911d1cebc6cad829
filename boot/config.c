/*
 * boot/config.c - parser for \rayos\boot.cfg (format: docs/boot-manager.md).
 *
 * Design: one pass over the buffer, line by line. Each line is copied into a
 * bounded local buffer, trimmed, and classified as comment, "[id]" header or
 * "key=value". Entries are built in place in cfg->entries[cfg->nentries] and
 * only committed (nentries++) when the next header or the end of the file
 * shows them complete, so an entry without kernel= simply never appears.
 * Errors never abort the parse: they are recorded as "FILE:LINE: message"
 * and the offending line is skipped, because a boot manager that refuses the
 * whole file over one typo leaves the user with nothing to boot.
 *
 * No libc: the same object is linked into the EFI application (freestanding)
 * and into the host unit test, so the few string helpers live here.
 */
#include <stdarg.h>
#include "config.h"

#define LINE_MAX_LEN 2048

enum state {
	ST_GLOBAL,  /* before the first [id] */
	ST_ENTRY,   /* inside a valid [id]; cur points at it */
	ST_SKIP,    /* inside a rejected [id]; its lines are ignored */
};

struct parser {
	struct bootcfg *cfg;
	const char *name;
	enum state state;
	struct bootcfg_entry *cur;
	unsigned seen;             /* keys already set in cur (bit per key) */
	char default_id[BOOTCFG_ID_MAX];
	int default_line;          /* 0 = no default= line */
};

/* ---- tiny freestanding string helpers ------------------------------------ */

static size_t slen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static int seq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void scopy(char *dst, const char *src, size_t cap)
{
	size_t i = 0;
	for (; src[i] && i + 1 < cap; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

static void mzero(void *p, size_t n)
{
	volatile char *c = p; /* volatile: keep the compiler from emitting memset */
	while (n--)
		*c++ = 0;
}

/* Bounded appender used to format error messages. */
struct sbuf {
	char *s;
	size_t cap, len;
};

static void sb_putc(struct sbuf *b, char c)
{
	if (b->len + 1 < b->cap)
		b->s[b->len++] = c;
	b->s[b->len] = 0;
}

static void sb_puts(struct sbuf *b, const char *s)
{
	while (*s)
		sb_putc(b, *s++);
}

static void sb_putd(struct sbuf *b, long v)
{
	char tmp[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
	if (v < 0)
		sb_putc(b, '-');
	do {
		tmp[n++] = '0' + u % 10;
		u /= 10;
	} while (u);
	while (n)
		sb_putc(b, tmp[--n]);
}

/* "%q": the string in double quotes, cut at 40 characters. */
static void sb_putq(struct sbuf *b, const char *s)
{
	size_t i;
	sb_putc(b, '"');
	for (i = 0; s[i] && i < 40; i++)
		sb_putc(b, s[i]);
	if (s[i])
		sb_puts(b, "...");
	sb_putc(b, '"');
}

/* Record "NAME:LINE: message"; supports %s %q %d only. */
static void errorf(struct parser *p, int line, const char *fmt, ...)
{
	struct bootcfg *cfg = p->cfg;
	struct sbuf b;
	va_list ap;

	if (cfg->nerrors >= BOOTCFG_MAX_ERRORS) {
		cfg->errors_dropped++;
		return;
	}
	b.s = cfg->errors[cfg->nerrors++];
	b.cap = BOOTCFG_ERROR_MAX;
	b.len = 0;
	b.s[0] = 0;
	sb_puts(&b, p->name);
	sb_putc(&b, ':');
	sb_putd(&b, line);
	sb_puts(&b, ": ");
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%' || !fmt[1]) {
			sb_putc(&b, *fmt);
			continue;
		}
		switch (*++fmt) {
		case 's': sb_puts(&b, va_arg(ap, const char *)); break;
		case 'q': sb_putq(&b, va_arg(ap, const char *)); break;
		case 'd': sb_putd(&b, va_arg(ap, int)); break;
		default: sb_putc(&b, *fmt); break;
		}
	}
	va_end(ap);
}

/* ---- entries -------------------------------------------------------------- */

/* Finish the entry being built: commit it when complete. */
static void close_entry(struct parser *p)
{
	struct bootcfg_entry *e = p->cur;

	if (p->state == ST_ENTRY) {
		if (!e->kernel[0]) {
			errorf(p, e->line, "missing kernel= in entry %q", e->id);
		} else {
			if (!e->title[0])
				scopy(e->title, e->id, sizeof e->title);
			p->cfg->nentries++;
		}
	}
	p->state = ST_SKIP;
	p->cur = 0;
}

static int valid_id(const char *id)
{
	if (!*id)
		return 0;
	for (; *id; id++) {
		char c = *id;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

static void header(struct parser *p, int line, char *s)
{
	struct bootcfg *cfg = p->cfg;
	size_t n = slen(s);
	struct bootcfg_entry *e;
	int i;

	close_entry(p);
	if (s[n - 1] != ']') {
		errorf(p, line, "expected \"]\" at the end of %q", s);
		return;
	}
	s[n - 1] = 0;
	s++;
	if (!valid_id(s)) {
		errorf(p, line, "bad entry id %q (use letters, digits, - _ .)", s);
		return;
	}
	if (slen(s) >= BOOTCFG_ID_MAX) {
		errorf(p, line, "entry id %q too long (max %d characters)", s,
		       BOOTCFG_ID_MAX - 1);
		return;
	}
	for (i = 0; i < cfg->nentries; i++) {
		if (seq(cfg->entries[i].id, s)) {
			errorf(p, line, "duplicate entry id %q (first on line %d)",
			       s, cfg->entries[i].line);
			return;
		}
	}
	if (cfg->nentries >= BOOTCFG_MAX_ENTRIES) {
		errorf(p, line, "too many entries (limit %d); ignoring [%s]",
		       BOOTCFG_MAX_ENTRIES, s);
		return;
	}
	e = &cfg->entries[cfg->nentries];
	mzero(e, sizeof *e);
	scopy(e->id, s, sizeof e->id);
	e->line = line;
	p->cur = e;
	p->seen = 0;
	p->state = ST_ENTRY;
}

/* ---- key=value ------------------------------------------------------------ */

/* Copy a value into a field of cap bytes; report when it does not fit. */
static int set_value(struct parser *p, int line, const char *key, char *dst,
		     size_t cap, const char *val)
{
	if (slen(val) >= cap) {
		errorf(p, line, "value of %s= too long (max %d characters)", key,
		       (int)cap - 1);
		return -1;
	}
	scopy(dst, val, cap);
	return 0;
}

/* Paths may use '/' or '\'; the firmware wants '\' and an absolute path. */
static int set_path(struct parser *p, int line, const char *key, char *dst,
		    const char *val)
{
	char tmp[BOOTCFG_PATH_MAX + 1];
	size_t i = 0, j = 0;

	if (val[0] != '/' && val[0] != '\\')
		tmp[j++] = '\\';
	for (; val[i] && j < sizeof tmp - 1; i++)
		tmp[j++] = val[i] == '/' ? '\\' : val[i];
	tmp[j] = 0;
	if (val[i]) /* did not even fit in tmp */
		return set_value(p, line, key, dst, BOOTCFG_PATH_MAX, val);
	return set_value(p, line, key, dst, BOOTCFG_PATH_MAX, tmp);
}

static void set_timeout(struct parser *p, int line, const char *val)
{
	long v = 0;
	const char *s = val;

	if (seq(val, "menu") || seq(val, "-1")) {
		p->cfg->timeout = BOOTCFG_TIMEOUT_FOREVER;
		return;
	}
	if (!*s)
		goto bad;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			goto bad;
		v = v * 10 + (*s - '0');
		if (v > BOOTCFG_TIMEOUT_MAX) {
			errorf(p, line, "timeout %q too large (max %d seconds)",
			       val, BOOTCFG_TIMEOUT_MAX);
			return;
		}
	}
	p->cfg->timeout = (int)v;
	return;
bad:
	errorf(p, line, "bad timeout %q (want seconds, -1 or menu)", val);
}

static const char *const entry_keys[] = { "title", "kernel", "initrd", "cmdline" };
#define NENTRY_KEYS (sizeof entry_keys / sizeof entry_keys[0])

static void keyvalue(struct parser *p, int line, char *key, char *val)
{
	struct bootcfg_entry *e = p->cur;
	unsigned k;
	int is_global = seq(key, "timeout") || seq(key, "default");

	if (p->state == ST_SKIP)
		return; /* inside a rejected entry, already reported */

	for (k = 0; k < NENTRY_KEYS; k++)
		if (seq(key, entry_keys[k]))
			break;
	if (k == NENTRY_KEYS && !is_global) {
		errorf(p, line, "unknown key %q", key);
		return;
	}
	if (is_global) {
		if (p->state != ST_GLOBAL) {
			errorf(p, line, "%s= must come before the first [entry]", key);
			return;
		}
		if (seq(key, "timeout")) {
			set_timeout(p, line, val);
		} else if (!*val) {
			errorf(p, line, "empty value for default=");
		} else {
			set_value(p, line, key, p->default_id, sizeof p->default_id, val);
			p->default_line = line;
		}
		return;
	}
	if (p->state == ST_GLOBAL) {
		errorf(p, line, "line outside any entry (%s= needs an [id] above it)", key);
		return;
	}
	if (p->seen & (1u << k)) {
		errorf(p, line, "duplicate key %s= in entry %q", key, e->id);
		return;
	}
	if (!*val && k != 3) { /* only cmdline may be empty */
		errorf(p, line, "empty value for %s=", key);
		return;
	}
	switch (k) {
	case 0: if (set_value(p, line, key, e->title, sizeof e->title, val)) return; break;
	case 1: if (set_path(p, line, key, e->kernel, val)) return; break;
	case 2: if (set_path(p, line, key, e->initrd, val)) return; break;
	case 3: if (set_value(p, line, key, e->cmdline, sizeof e->cmdline, val)) return; break;
	}
	p->seen |= 1u << k;
}

/* ---- lines ---------------------------------------------------------------- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static char *trim(char *s)
{
	size_t n;
	while (is_space(*s))
		s++;
	n = slen(s);
	while (n && is_space(s[n - 1]))
		s[--n] = 0;
	return s;
}

static void parse_line(struct parser *p, int line, char *s)
{
	char *eq, *c;

	for (c = s; *c; c++) {
		if ((unsigned char)*c >= 0x7f || ((unsigned char)*c < 0x20 && *c != '\t')) {
			errorf(p, line, "non-ASCII or control character in line");
			return;
		}
	}
	s = trim(s);
	if (!*s || *s == '#')
		return;
	if (*s == '[') {
		header(p, line, s);
		return;
	}
	for (eq = s; *eq && *eq != '='; eq++)
		;
	if (!*eq) {
		if (p->state == ST_GLOBAL)
			errorf(p, line, "line outside any entry (expected key=value or [id]): %q", s);
		else if (p->state == ST_ENTRY)
			errorf(p, line, "expected key=value, got %q", s);
		return;
	}
	*eq = 0;
	keyvalue(p, line, trim(s), trim(eq + 1));
}

int bootcfg_parse(struct bootcfg *cfg, const char *name, const char *buf,
		  size_t len)
{
	struct parser p;
	char line_buf[LINE_MAX_LEN];
	size_t pos = 0;
	int line = 0, i;

	mzero(cfg, sizeof *cfg);
	mzero(&p, sizeof p);
	cfg->timeout = BOOTCFG_DEFAULT_TIMEOUT;
	p.cfg = cfg;
	p.name = name;
	p.state = ST_GLOBAL;

	while (pos < len) {
		size_t n = 0;
		int too_long = 0;

		line++;
		/* NUL bytes are kept as 0x01 so the ASCII check reports them */
		for (; pos < len && buf[pos] != '\n'; pos++) {
			if (n + 1 < sizeof line_buf)
				line_buf[n++] = buf[pos] ? buf[pos] : 1;
			else
				too_long = 1;
		}
		pos++; /* the '\n' */
		if (n && line_buf[n - 1] == '\r')
			n--; /* CRLF files */
		line_buf[n] = 0;
		if (too_long)
			errorf(&p, line, "line too long (max %d characters)",
			       LINE_MAX_LEN - 1);
		else
			parse_line(&p, line, line_buf);
	}
	close_entry(&p);

	cfg->default_index = 0;
	if (p.default_line) {
		for (i = 0; i < cfg->nentries; i++)
			if (seq(cfg->entries[i].id, p.default_id))
				break;
		if (i < cfg->nentries)
			cfg->default_index = i;
		else
			errorf(&p, p.default_line,
			       "default=%s names no entry; using the first one",
			       p.default_id);
	}
	return cfg->nentries;
}
