/*
 * user/sh/lineedit.c - reading a command line from a terminal.
 *
 * The terminal is put in raw mode (no canonical editing, no echo, no
 * signal keys) while a line is typed, and restored before the command
 * runs. Keys: printable characters insert; Left/Right (^B/^F), Home/End
 * (^A/^E), Backspace, Delete (^D on a non-empty line), ^K (kill to end),
 * ^U (kill to start), ^W (kill word), ^L (clear screen), Up/Down (^P/^N)
 * for history (history.c), Tab for completion (complete.c), Enter to
 * accept, ^C to abandon the line, ^D on an empty line for end of input.
 *
 * Redrawing never prints the prompt again (except after a completion
 * list or ^L): the cursor moves back over the edited text, which is
 * rewritten and the rest of the line cleared. Long lines that wrap are
 * not handled specially.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

struct ed {
	char *buf;
	int len, cap, cur;
	int shown_cur;       /* where the terminal's cursor is */
	const char *prompt;
};

static void out(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(2, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

static void outs(const char *s)
{
	out(s, strlen(s));
}

static void move_left(int n)
{
	char b[16];

	if (n <= 0)
		return;
	snprintf(b, sizeof b, "\033[%dD", n);
	outs(b);
}

/* Rewrite the line from the start of the edited text. */
static void refresh(struct ed *e)
{
	move_left(e->shown_cur);
	out(e->buf, e->len);
	outs("\033[K");
	move_left(e->len - e->cur);
	e->shown_cur = e->cur;
}

static void set_text(struct ed *e, const char *s)
{
	int n = strlen(s);

	if (n + 1 > e->cap) {
		e->cap = n + 64;
		e->buf = xrealloc(e->buf, e->cap);
	}
	memcpy(e->buf, s, n + 1);
	e->len = e->cur = n;
}

static void insert(struct ed *e, const char *s, int n)
{
	if (e->len + n + 1 > e->cap) {
		e->cap = (e->len + n + 1) * 2;
		e->buf = xrealloc(e->buf, e->cap);
	}
	memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
	memcpy(e->buf + e->cur, s, n);
	e->len += n;
	e->cur += n;
	if (e->cur == e->len) {     /* typing at the end: just echo */
		out(s, n);
		e->shown_cur = e->cur;
	} else {
		refresh(e);
	}
}

static void delete_range(struct ed *e, int from, int to)
{
	if (from >= to)
		return;
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->cur = from;
	refresh(e);
}

static void redraw_all(struct ed *e)
{
	outs("\r");
	outs(e->prompt);
	e->shown_cur = 0;
	refresh(e);
}

static void do_complete(struct ed *e)
{
	int newpos, listed = 0;
	char *nl = complete(e->buf, e->cur, &newpos, &listed);

	if (listed) {
		if (nl) {
			set_text(e, nl);
			e->cur = newpos;
		}
		free(nl);
		redraw_all(e);
		return;
	}
	if (!nl) {
		outs("\a");
		return;
	}
	set_text(e, nl);
	e->cur = newpos;
	free(nl);
	refresh(e);
}

/* Not a terminal: plain read up to a newline. */
static char *read_plain(const char *prompt)
{
	struct str b = { 0 };
	char c;

	outs(prompt);
	for (;;) {
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR) {
			if (got_sigint) {
				free(b.s);
				outs("\n");
				return NULL;
			}
			continue;
		}
		if (r <= 0) {
			if (!b.n) {
				free(b.s);
				return NULL;
			}
			break;
		}
		if (c == '\n')
			break;
		str_addc(&b, c);
	}
	return str_take(&b);
}

char *line_read(const char *prompt)
{
	struct termios old, raw;
	struct ed e = { 0 };
	int hist_pos = hist_count();
	char *saved_line = NULL;

	if (tcgetattr(0, &old) < 0)
		return read_plain(prompt);
	raw = old;
	raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(ICRNL | INLCR | IXON);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(0, TCSADRAIN, &raw);
	fflush(stdout);
	fflush(stderr);
	e.prompt = prompt;
	outs(prompt);
	set_text(&e, "");

	for (;;) {
		unsigned char c;
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (e.len)
				break;
			free(e.buf);
			e.buf = NULL;
			break;
		}
		if (c == '\r' || c == '\n') {
			break;
		} else if (c == 3) {                    /* ^C */
			outs("^C\r\n");
			got_sigint = 1;
			free(e.buf);
			e.buf = NULL;
			break;
		} else if (c == 4) {                    /* ^D */
			if (e.len == 0) {
				free(e.buf);
				e.buf = NULL;
				outs("\r\n");
				break;
			}
			delete_range(&e, e.cur, e.cur < e.len ? e.cur + 1 : e.cur);
		} else if (c == 127 || c == 8) {        /* Backspace */
			if (e.cur > 0)
				delete_range(&e, e.cur - 1, e.cur);
		} else if (c == 1) {                    /* ^A */
			e.cur = 0;
			refresh(&e);
		} else if (c == 5) {                    /* ^E */
			e.cur = e.len;
			refresh(&e);
		} else if (c == 2) {                    /* ^B */
			if (e.cur > 0)
				e.cur--;
			refresh(&e);
		} else if (c == 6) {                    /* ^F */
			if (e.cur < e.len)
				e.cur++;
			refresh(&e);
		} else if (c == 11) {                   /* ^K */
			delete_range(&e, e.cur, e.len);
		} else if (c == 21) {                   /* ^U */
			delete_range(&e, 0, e.cur);
		} else if (c == 23) {                   /* ^W */
			int p = e.cur;
			while (p > 0 && e.buf[p - 1] == ' ')
				p--;
			while (p > 0 && e.buf[p - 1] != ' ')
				p--;
			delete_range(&e, p, e.cur);
		} else if (c == 12) {                   /* ^L */
			outs("\033[H\033[2J");
			redraw_all(&e);
		} else if (c == '\t') {
			do_complete(&e);
		} else if (c == 16 || c == 14 || c == 27) { /* ^P ^N ESC */
			int key = c == 16 ? 'A' : c == 14 ? 'B' : 0;
			if (c == 27) {
				unsigned char s[3];
				if (read(0, &s[0], 1) != 1)
					continue;
				if (s[0] != '[' && s[0] != 'O')
					continue;
				if (read(0, &s[1], 1) != 1)
					continue;
				key = s[1];
				if (key >= '0' && key <= '9') {
					if (read(0, &s[2], 1) != 1 || s[2] != '~')
						continue;
					key = key == '1' || key == '7' ? 'H' :
					      key == '4' || key == '8' ? 'F' :
					      key == '3' ? 'X' : 0;
				}
			}
			switch (key) {
			case 'A':
			case 'B':
				if (key == 'A' && hist_pos > 0) {
					if (hist_pos == hist_count()) {
						free(saved_line);
						saved_line = xstrdup(e.buf);
					}
					hist_pos--;
					set_text(&e, hist_at(hist_pos));
				} else if (key == 'B' && hist_pos < hist_count()) {
					hist_pos++;
					set_text(&e, hist_pos == hist_count()
						 ? (saved_line ? saved_line : "")
						 : hist_at(hist_pos));
				} else {
					break;
				}
				refresh(&e);
				break;
			case 'C':
				if (e.cur < e.len)
					e.cur++;
				refresh(&e);
				break;
			case 'D':
				if (e.cur > 0)
					e.cur--;
				refresh(&e);
				break;
			case 'H':
				e.cur = 0;
				refresh(&e);
				break;
			case 'F':
				e.cur = e.len;
				refresh(&e);
				break;
			case 'X':
				delete_range(&e, e.cur, e.cur < e.len ? e.cur + 1 : e.cur);
				break;
			}
		} else if (c >= 32) {
			char ch = c;
			insert(&e, &ch, 1);
		}
	}
	if (e.buf) {
		if (e.shown_cur != e.len) {
			e.cur = e.len;
			refresh(&e);
		}
		outs("\r\n");
	}
	free(saved_line);
	tcsetattr(0, TCSADRAIN, &old);
	return e.buf;
}
