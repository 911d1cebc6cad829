/*
 * kernel/drivers/fbcon.c - a text console on the UEFI GOP framebuffer.
 *
 * A grid of character cells drawn with the PSF font embedded at build time
 * (build/kernel/gen/font.c). Input is a byte stream: UTF-8 is decoded and
 * mapped to glyphs through the font's Unicode table; control characters and
 * a small subset of ANSI/VT100 escape sequences (colours, erase, cursor
 * position) are interpreted; any other escape sequence is consumed
 * silently, never drawn.
 *
 * A shadow copy of the cells lets us redraw the cell under the cursor.
 * Scrolling copies the framebuffer rows up in one pass, but only as wide as
 * the text on each row: we track per row how many columns may hold
 * anything but blank default background ("extent"), since under TCG a
 * full-screen copy costs tens of milliseconds and most of a console is
 * empty. When a write contains many newlines the screen is also scrolled
 * by several lines at once, so bulk output costs one copy per write.
 *
 * Called from console_write(), possibly in interrupt context: one spinlock
 * serialises everything, and nothing here sleeps or allocates after init.
 */
#include "console.h"
#include "mm.h"
#include "sync.h"
#include "psf.h"

extern const unsigned char console_font_psf[];
extern const size_t console_font_psf_size;

struct cell {
	uint16_t glyph;
	uint8_t fg, bg;   /* palette indices */
};

enum esc_state { ST_NORMAL, ST_ESC, ST_CSI, ST_OSC, ST_SKIP1 };

#define MAX_PARAMS 8

static struct {
	volatile uint32_t *fb;
	uint32_t width, height, stride; /* stride in pixels */
	struct psf_font font;
	uint16_t *umap;                 /* code point -> glyph */
	unsigned cols, rows;
	struct cell *cells;
	uint16_t *extent;               /* per row: columns that may be non-blank */
	unsigned cx, cy;
	bool wrap_pending;              /* wrote the last column; wrap on next */
	bool cursor_visible;
	uint8_t fg, bg;
	bool bold, reverse;
	uint32_t palette[16];           /* pixel values */
	/* Escape sequence parser */
	enum esc_state state;
	unsigned params[MAX_PARAMS];
	unsigned nparams;
	bool private_mode;              /* CSI ? ... */
	/* UTF-8 decoder */
	uint32_t ucs;
	int utf8_more;
} fbc;

static spinlock_t fbcon_lock = SPINLOCK_INIT("fbcon");

/* The VGA text-mode palette: 8 normal colours, then their bright forms. */
static const uint32_t vga_rgb[16] = {
	0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
	0x555555, 0xff5555, 0x55ff55, 0xffff55, 0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};
#define DEFAULT_FG 7
#define DEFAULT_BG 0

static uint32_t channel(uint32_t v8, uint8_t pos, uint8_t size)
{
	if (size == 0 || size > 8)
		return 0;
	return (v8 >> (8 - size)) << pos;
}

static uint32_t make_pixel(const struct rayos_framebuffer *fb, uint32_t rgb)
{
	return channel(rgb >> 16 & 0xff, fb->red_pos, fb->red_size) |
	       channel(rgb >> 8 & 0xff, fb->green_pos, fb->green_size) |
	       channel(rgb & 0xff, fb->blue_pos, fb->blue_size);
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_cell(unsigned x, unsigned y, bool inverse)
{
	const struct cell *c = &fbc.cells[y * fbc.cols + x];
	const uint8_t *g = psf_glyph(&fbc.font, c->glyph);
	uint32_t fg = fbc.palette[c->fg], bg = fbc.palette[c->bg];
	volatile uint32_t *row = fbc.fb + (size_t)y * fbc.font.height * fbc.stride +
	                         (size_t)x * fbc.font.width;

	/* A blank in the default background does not widen the row. */
	if (inverse || c->bg != DEFAULT_BG || c->glyph != fbc.umap[' '])
		fbc.extent[y] = MAX(fbc.extent[y], x + 1);
	if (inverse) {
		uint32_t t = fg;
		fg = bg;
		bg = t;
	}
	for (unsigned py = 0; py < fbc.font.height; py++) {
		const uint8_t *bits = g + py * fbc.font.bytes_per_row;
		for (unsigned px = 0; px < fbc.font.width; px++)
			row[px] = bits[px / 8] & (0x80 >> (px % 8)) ? fg : bg;
		row += fbc.stride;
	}
}

/* Fill pixel rows [y0, y0+nlines), columns [0, width), with pixel. */
static void fill_pixels(unsigned y0, unsigned nlines, unsigned width,
                        uint32_t pixel)
{
	for (unsigned y = y0; y < y0 + nlines && y < fbc.height; y++) {
		volatile uint32_t *row = fbc.fb + (size_t)y * fbc.stride;
		for (unsigned x = 0; x < width; x++)
			row[x] = pixel;
	}
}

/* Copy the first width pixels of pixel row src to pixel row dst, two
 * pixels at a time when alignment allows (it always does on GOP modes). */
static void copy_pixels(unsigned dst, unsigned src, unsigned width)
{
	volatile uint32_t *d = fbc.fb + (size_t)dst * fbc.stride;
	volatile uint32_t *s = fbc.fb + (size_t)src * fbc.stride;

	if (width % 2 == 0 && fbc.stride % 2 == 0) {
		volatile uint64_t *d8 = (volatile uint64_t *)d;
		volatile uint64_t *s8 = (volatile uint64_t *)s;
		for (unsigned i = 0; i < width / 2; i++)
			d8[i] = s8[i];
	} else {
		for (unsigned i = 0; i < width; i++)
			d[i] = s[i];
	}
}

static uint8_t cur_fg(void)
{
	uint8_t fg = fbc.fg;
	if (fbc.bold && fg < 8)
		fg += 8;
	return fbc.reverse ? fbc.bg : fg;
}

static uint8_t cur_bg(void)
{
	return fbc.reverse ? fbc.fg : fbc.bg;
}

/* Blank cells [x0, x1) of row y in the current background. */
static void clear_cells(unsigned y, unsigned x0, unsigned x1)
{
	for (unsigned x = x0; x < x1 && x < fbc.cols; x++) {
		struct cell *c = &fbc.cells[y * fbc.cols + x];
		c->glyph = fbc.umap[' '];
		c->fg = cur_fg();
		c->bg = cur_bg();
		draw_cell(x, y, false);
	}
}

/* Scroll the text up by n lines (1 <= n <= rows). */
static void scroll(unsigned n)
{
	unsigned fh = fbc.font.height, fw = fbc.font.width;

	if (n > fbc.rows)
		n = fbc.rows;
	/* Move rows up, each only as wide as the wider of the text leaving
	 * and the text arriving. */
	for (unsigned y = 0; y + n < fbc.rows; y++) {
		unsigned w = MAX(fbc.extent[y], fbc.extent[y + n]) * fw;
		for (unsigned py = 0; py < fh && w; py++)
			copy_pixels(y * fh + py, (y + n) * fh + py, w);
		fbc.extent[y] = fbc.extent[y + n];
	}
	if (n < fbc.rows)
		memmove(fbc.cells, fbc.cells + n * fbc.cols,
		        (fbc.rows - n) * fbc.cols * sizeof(struct cell));
	/* Blank the rows that came in at the bottom. */
	for (unsigned y = fbc.rows - n; y < fbc.rows; y++) {
		bool plain = cur_bg() == DEFAULT_BG;
		unsigned w = plain ? fbc.extent[y] : fbc.cols;

		for (unsigned x = 0; x < fbc.cols; x++) {
			struct cell *c = &fbc.cells[y * fbc.cols + x];
			c->glyph = fbc.umap[' '];
			c->fg = cur_fg();
			c->bg = cur_bg();
		}
		fill_pixels(y * fh, fh, w * fw, fbc.palette[cur_bg()]);
		fbc.extent[y] = plain ? 0 : fbc.cols;
	}
}

/* ---- cursor and text ------------------------------------------------------------ */

static void cursor_draw(bool on)
{
	unsigned x = MIN(fbc.cx, fbc.cols - 1);
	if (fbc.cursor_visible)
		draw_cell(x, fbc.cy, on);
}

/* Line feed at the bottom: scroll by 1 + the newlines still to come in
 * this write (up to the next escape sequence), so that a burst of output
 * costs one scroll instead of one per line. */
static void newline(const char *rest, size_t len)
{
	fbc.cx = 0;
	fbc.wrap_pending = false;
	if (fbc.cy + 1 < fbc.rows) {
		fbc.cy++;
		return;
	}
	unsigned extra = 0;
	for (size_t i = 0; i < len && rest[i] != '\033' && extra + 1 < fbc.rows; i++)
		if (rest[i] == '\n')
			extra++;
	scroll(1 + extra);
	fbc.cy = fbc.rows - 1 - extra;
}

static void put_glyph(uint32_t cp, const char *rest, size_t len)
{
	struct cell *c;

	if (fbc.wrap_pending)
		newline(rest, len);
	c = &fbc.cells[fbc.cy * fbc.cols + fbc.cx];
	c->glyph = fbc.umap[cp < PSF_MAP_MAX ? cp : '?'];
	c->fg = cur_fg();
	c->bg = cur_bg();
	draw_cell(fbc.cx, fbc.cy, false);
	if (fbc.cx + 1 < fbc.cols)
		fbc.cx++;
	else
		fbc.wrap_pending = true;
}

/* ---- escape sequences ------------------------------------------------------------- */

static unsigned param(unsigned i, unsigned dflt)
{
	return i < fbc.nparams && fbc.params[i] ? fbc.params[i] : dflt;
}

static void sgr(void)
{
	if (fbc.nparams == 0)
		fbc.nparams = 1, fbc.params[0] = 0;
	for (unsigned i = 0; i < fbc.nparams; i++) {
		unsigned p = fbc.params[i];
		if (p == 0) {
			fbc.fg = DEFAULT_FG;
			fbc.bg = DEFAULT_BG;
			fbc.bold = fbc.reverse = false;
		} else if (p == 1) {
			fbc.bold = true;
		} else if (p == 22) {
			fbc.bold = false;
		} else if (p == 7) {
			fbc.reverse = true;
		} else if (p == 27) {
			fbc.reverse = false;
		} else if (p >= 30 && p <= 37) {
			fbc.fg = p - 30;
		} else if (p == 39) {
			fbc.fg = DEFAULT_FG;
		} else if (p >= 40 && p <= 47) {
			fbc.bg = p - 40;
		} else if (p == 49) {
			fbc.bg = DEFAULT_BG;
		} else if (p >= 90 && p <= 97) {
			fbc.fg = p - 90 + 8;
		} else if (p >= 100 && p <= 107) {
			fbc.bg = p - 100 + 8;
		}
		/* Anything else (underline, 256 colours, ...) is ignored. */
	}
}

static void csi_final(char f)
{
	unsigned n;

	fbc.wrap_pending = false;
	switch (f) {
	case 'm':
		sgr();
		break;
	case 'H':
	case 'f':
		fbc.cy = MIN(param(0, 1), fbc.rows) - 1;
		fbc.cx = MIN(param(1, 1), fbc.cols) - 1;
		break;
	case 'A':
		n = param(0, 1);
		fbc.cy = n > fbc.cy ? 0 : fbc.cy - n;
		break;
	case 'B':
		fbc.cy = MIN(fbc.cy + param(0, 1), fbc.rows - 1);
		break;
	case 'C':
		fbc.cx = MIN(fbc.cx + param(0, 1), fbc.cols - 1);
		break;
	case 'D':
		n = param(0, 1);
		fbc.cx = n > fbc.cx ? 0 : fbc.cx - n;
		break;
	case 'G':
		fbc.cx = MIN(param(0, 1), fbc.cols) - 1;
		break;
	case 'K':
		n = fbc.nparams ? fbc.params[0] : 0;
		if (n == 0)
			clear_cells(fbc.cy, fbc.cx, fbc.cols);
		else if (n == 1)
			clear_cells(fbc.cy, 0, fbc.cx + 1);
		else if (n == 2)
			clear_cells(fbc.cy, 0, fbc.cols);
		break;
	case 'J':
		n = fbc.nparams ? fbc.params[0] : 0;
		if (n == 0) {
			clear_cells(fbc.cy, fbc.cx, fbc.cols);
			for (unsigned y = fbc.cy + 1; y < fbc.rows; y++)
				clear_cells(y, 0, fbc.cols);
		} else if (n == 1) {
			for (unsigned y = 0; y < fbc.cy; y++)
				clear_cells(y, 0, fbc.cols);
			clear_cells(fbc.cy, 0, fbc.cx + 1);
		} else if (n == 2 || n == 3) {
			/* Whole screen: scrolling it away is one fill. */
			scroll(fbc.rows);
		}
		break;
	case 'h':
	case 'l':
		if (fbc.private_mode && param(0, 0) == 25)
			fbc.cursor_visible = f == 'h';
		break;
	default:
		break; /* unsupported: swallowed */
	}
}

/* Feed one byte to the escape-sequence parser. Returns true if consumed. */
static bool escape_byte(char ch)
{
	switch (fbc.state) {
	case ST_NORMAL:
		if (ch != '\033')
			return false;
		fbc.state = ST_ESC;
		return true;
	case ST_ESC:
		if (ch == '[') {
			fbc.state = ST_CSI;
			fbc.nparams = 0;
			fbc.private_mode = false;
			memset(fbc.params, 0, sizeof(fbc.params));
		} else if (ch == ']') {
			fbc.state = ST_OSC;
		} else if (ch == '(' || ch == ')' || ch == '*' || ch == '+' || ch == '#') {
			fbc.state = ST_SKIP1; /* charset designation: one more byte */
		} else {
			fbc.state = ST_NORMAL; /* two-byte escape: ignored */
		}
		return true;
	case ST_SKIP1:
		fbc.state = ST_NORMAL;
		return true;
	case ST_OSC:
		/* Operating system command: ends with BEL or ESC \ . */
		if (ch == '\a')
			fbc.state = ST_NORMAL;
		else if (ch == '\033')
			fbc.state = ST_ESC;
		return true;
	case ST_CSI:
		if (ch >= '0' && ch <= '9') {
			if (fbc.nparams == 0)
				fbc.nparams = 1;
			unsigned *p = &fbc.params[fbc.nparams - 1];
			if (*p < 10000)
				*p = *p * 10 + (ch - '0');
		} else if (ch == ';') {
			if (fbc.nparams == 0)
				fbc.nparams = 1;
			if (fbc.nparams < MAX_PARAMS)
				fbc.nparams++;
		} else if (ch == '?' || ch == '>' || ch == '=') {
			fbc.private_mode = true;
		} else if (ch >= 0x40 && ch <= 0x7e) {
			fbc.state = ST_NORMAL;
			csi_final(ch);
		} else if (ch == '\033') {
			fbc.state = ST_ESC; /* aborted sequence */
		}
		/* Intermediate bytes (0x20-0x2f) and others are ignored. */
		return true;
	}
	return false;
}

static void control(char ch, const char *rest, size_t len)
{
	switch (ch) {
	case '\n':
		newline(rest, len);
		break;
	case '\r':
		fbc.cx = 0;
		fbc.wrap_pending = false;
		break;
	case '\b':
		if (fbc.cx > 0)
			fbc.cx--;
		fbc.wrap_pending = false;
		break;
	case '\t':
		fbc.cx = MIN((fbc.cx + 8) & ~7u, fbc.cols - 1);
		break;
	default:
		break; /* BEL and the rest: nothing to draw */
	}
}

static void fbcon_write(struct console *con __unused, const char *buf, size_t len)
{
	spin_lock(&fbcon_lock);
	cursor_draw(false);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = buf[i];
		const char *rest = buf + i + 1;
		size_t rlen = len - i - 1;

		if (escape_byte(ch))
			continue;
		if (fbc.utf8_more) {
			if ((ch & 0xc0) == 0x80) {
				fbc.ucs = fbc.ucs << 6 | (ch & 0x3f);
				if (--fbc.utf8_more == 0)
					put_glyph(fbc.ucs, rest, rlen);
				continue;
			}
			fbc.utf8_more = 0;
			put_glyph(0xfffd, rest, rlen); /* truncated sequence */
		}
		if (ch < 0x20 || ch == 0x7f) {
			control(ch, rest, rlen);
		} else if (ch < 0x80) {
			put_glyph(ch, rest, rlen);
		} else if (ch >= 0xc2 && ch <= 0xf4) {
			fbc.utf8_more = ch >= 0xf0 ? 3 : ch >= 0xe0 ? 2 : 1;
			fbc.ucs = ch & (0x3f >> fbc.utf8_more);
		} else {
			put_glyph(0xfffd, rest, rlen);
		}
	}
	cursor_draw(true);
	spin_unlock(&fbcon_lock);
}

static struct console fbcon_console = {
	.name = "fbcon",
	.write = fbcon_write,
};

void fbcon_init(const struct rayos_framebuffer *fb)
{
	const char *why;

	if (!fb || !fb->base) {
		kprintf("fbcon: no framebuffer\n");
		return;
	}
	if (fb->bpp != 32 || fb->width == 0 || fb->height == 0 ||
	    fb->pitch < fb->width * 4 || fb->pitch % 4 ||
	    fb->size < (uint64_t)fb->pitch * fb->height) {
		kprintf(KERN_WARNING "fbcon: unsupported framebuffer %ux%u bpp %u "
		        "pitch %u\n", fb->width, fb->height, fb->bpp, fb->pitch);
		return;
	}
	if (psf_parse(console_font_psf, console_font_psf_size, &fbc.font, &why)) {
		kprintf(KERN_ERR "fbcon: built-in font unusable: %s\n", why);
		return;
	}
	fbc.width = fb->width;
	fbc.height = fb->height;
	fbc.stride = fb->pitch / 4;
	fbc.cols = fb->width / fbc.font.width;
	fbc.rows = fb->height / fbc.font.height;
	if (fbc.cols == 0 || fbc.rows == 0) {
		kprintf(KERN_WARNING "fbcon: framebuffer smaller than one glyph\n");
		return;
	}
	fbc.umap = kmalloc(PSF_MAP_MAX * sizeof(uint16_t));
	fbc.cells = kmalloc((size_t)fbc.cols * fbc.rows * sizeof(struct cell));
	fbc.extent = kzalloc(fbc.rows * sizeof(uint16_t));
	fbc.fb = ioremap(fb->base, (size_t)fb->pitch * fb->height);
	if (!fbc.umap || !fbc.cells || !fbc.extent || !fbc.fb) {
		kprintf(KERN_ERR "fbcon: out of memory\n");
		kfree(fbc.umap);
		kfree(fbc.cells);
		kfree(fbc.extent);
		return;
	}
	psf_unicode_map(&fbc.font, fbc.umap, PSF_MAP_MAX);
	for (int i = 0; i < 16; i++)
		fbc.palette[i] = make_pixel(fb, vga_rgb[i]);
	fbc.fg = DEFAULT_FG;
	fbc.bg = DEFAULT_BG;
	fbc.cursor_visible = true;
	fill_pixels(0, fbc.height, fbc.width, fbc.palette[DEFAULT_BG]); /* logo */
	scroll(fbc.rows); /* blank the cells; extents are all 0 */
	fbc.cx = fbc.cy = 0;
	console_register(&fbcon_console);
	kprintf("fbcon: %ux%u, %ux%u font (PSF%d), %ux%u text\n", fb->width,
	        fb->height, fbc.font.width, fbc.font.height, fbc.font.version,
	        fbc.cols, fbc.rows);
}
