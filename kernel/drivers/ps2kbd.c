/*
 * kernel/drivers/ps2kbd.c - PS/2 keyboard behind the i8042 controller.
 *
 * The controller translates the keyboard's scancodes to set 1, so one
 * table per shift state covers the main block; E0-prefixed codes are the
 * cursor/editing keys, which we turn into the escape sequences an xterm
 * sends (the tty and user programs only ever see bytes). US layout. Key
 * presses are delivered with tty_input() from the IRQ 1 handler.
 *
 * Probing never hangs: every wait on the controller is bounded (~100 ms),
 * and a machine whose FADT says "no 8042" is only used if the controller
 * passes its self-test anyway. Caps/Num Lock LEDs are not driven.
 */
#include "console.h"
#include "acpi.h"
#include "irq.h"
#include "ktime.h"
#include "arch.h"

#define I8042_DATA   0x60
#define I8042_STATUS 0x64 /* read */
#define I8042_CMD    0x64 /* write */

#define ST_OUT_FULL  0x01
#define ST_IN_FULL   0x02
#define ST_AUX_DATA  0x20

#define CFG_IRQ1     0x01
#define CFG_IRQ12    0x02
#define CFG_CLK1_OFF 0x10
#define CFG_CLK2_OFF 0x20
#define CFG_XLATE    0x40

/* Set 1 make codes 0x00-0x39, unshifted and shifted; 0 = no character. */
static const char keymap[0x3a] = {
	0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0x7f, '\t',
	'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\r', 0, 'a', 's',
	'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
	'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};
static const char keymap_shift[0x3a] = {
	0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0x7f, '\t',
	'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0, 'A', 'S',
	'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
	'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

/* Keypad 0x47-0x53 with Num Lock on. */
static const char keypad_digits[13] = "789-456+1230.";

#define SC_LCTRL  0x1d
#define SC_LSHIFT 0x2a
#define SC_RSHIFT 0x36
#define SC_LALT   0x38
#define SC_CAPS   0x3a
#define SC_NUM    0x45

static struct {
	bool shift_l, shift_r, ctrl_l, ctrl_r, alt_l, alt_r;
	bool caps, num;
	bool e0;          /* previous byte was the E0 prefix */
	int skip;         /* bytes of a Pause (E1) sequence still to drop */
} kbd;

/* Escape sequence for a navigation key (E0-prefixed code, or the keypad
 * with Num Lock off), or NULL. */
static const char *nav_sequence(uint8_t code)
{
	switch (code) {
	case 0x48: return "\033[A";
	case 0x50: return "\033[B";
	case 0x4d: return "\033[C";
	case 0x4b: return "\033[D";
	case 0x47: return "\033[H";
	case 0x4f: return "\033[F";
	case 0x49: return "\033[5~";
	case 0x51: return "\033[6~";
	case 0x52: return "\033[2~";
	case 0x53: return "\033[3~";
	default: return NULL;
	}
}

static const char *function_key(uint8_t code)
{
	static const char *const f1_10[10] = {
		"\033OP", "\033OQ", "\033OR", "\033OS", "\033[15~",
		"\033[17~", "\033[18~", "\033[19~", "\033[20~", "\033[21~",
	};
	if (code >= 0x3b && code <= 0x44)
		return f1_10[code - 0x3b];
	if (code == 0x57)
		return "\033[23~";
	if (code == 0x58)
		return "\033[24~";
	return NULL;
}

/* What Ctrl does to a character, as on a VT100. */
static char ctrl_of(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= '@' && c <= '_'))
		return c & 0x1f;
	switch (c) {
	case ' ': case '2': return 0;
	case '6': return 0x1e;
	case '-': case '/': return 0x1f;
	case '8': case '?': return 0x7f;
	default: return c;
	}
}

static void send(const char *s, size_t n)
{
	if (n)
		tty_input(s, n);
}

static void send_str(const char *s)
{
	send(s, strlen(s));
}

static void key_byte(uint8_t sc)
{
	bool release = sc & 0x80, e0 = kbd.e0;
	uint8_t code = sc & 0x7f;
	bool shift = kbd.shift_l || kbd.shift_r;
	bool ctrl = kbd.ctrl_l || kbd.ctrl_r;
	bool alt = kbd.alt_l || kbd.alt_r;
	char out[2];
	const char *seq;
	char c;

	if (kbd.skip) {
		kbd.skip--;
		return;
	}
	if (sc == 0xe0) {
		kbd.e0 = true;
		return;
	}
	if (sc == 0xe1) {
		kbd.skip = 2;
		return;
	}
	kbd.e0 = false;

	/* Modifiers. E0 2A / E0 AA are fake shifts around some keys. */
	switch (code) {
	case SC_LSHIFT:
		if (!e0)
			kbd.shift_l = !release;
		return;
	case SC_RSHIFT:
		if (!e0)
			kbd.shift_r = !release;
		return;
	case SC_LCTRL:
		if (e0)
			kbd.ctrl_r = !release;
		else
			kbd.ctrl_l = !release;
		return;
	case SC_LALT:
		if (e0)
			kbd.alt_r = !release;
		else
			kbd.alt_l = !release;
		return;
	}
	if (release)
		return;

	if (e0) {
		if (code == 0x1c) {
			send("\r", 1);
		} else if (code == 0x35) {
			send("/", 1);
		} else if ((seq = nav_sequence(code))) {
			send_str(seq);
		}
		return;
	}
	if (code == SC_CAPS) {
		kbd.caps = !kbd.caps;
		return;
	}
	if (code == SC_NUM) {
		kbd.num = !kbd.num;
		return;
	}
	if ((seq = function_key(code))) {
		send_str(seq);
		return;
	}
	if (code >= 0x47 && code <= 0x53) {
		c = keypad_digits[code - 0x47];
		if (c == '-' || c == '+' || kbd.num)
			send(&c, 1);
		else if ((seq = nav_sequence(code)))
			send_str(seq);
		return;
	}
	if (code >= sizeof(keymap))
		return;
	if (code == 0x0f && shift) { /* Shift+Tab: back-tab */
		send_str("\033[Z");
		return;
	}

	c = shift ? keymap_shift[code] : keymap[code];
	if (!c)
		return;
	if (kbd.caps && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		c ^= 0x20; /* Caps Lock inverts the case of letters only */
	if (ctrl)
		c = ctrl_of(c);
	/* Alt sends ESC before the character (xterm's metaSendsEscape). */
	size_t n = 0;
	if (alt)
		out[n++] = '\033';
	out[n++] = c;
	send(out, n);
}

static void kbd_irq(void *ctx __unused)
{
	/* Drain what is there; bounded in case the status port is stuck. */
	for (int i = 0; i < 16; i++) {
		uint8_t st = inb(I8042_STATUS);

		if (!(st & ST_OUT_FULL))
			break;
		uint8_t data = inb(I8042_DATA);
		if (!(st & ST_AUX_DATA))
			key_byte(data);
	}
}

/* ---- controller setup ------------------------------------------------------------ */

static bool wait_input_empty(void)
{
	for (int i = 0; i < 10000; i++) {
		if (!(inb(I8042_STATUS) & ST_IN_FULL))
			return true;
		udelay(10);
	}
	return false;
}

static int read_data(void)
{
	for (int i = 0; i < 10000; i++) {
		if (inb(I8042_STATUS) & ST_OUT_FULL)
			return inb(I8042_DATA);
		udelay(10);
	}
	return -1;
}

static bool write_cmd(uint8_t cmd)
{
	if (!wait_input_empty())
		return false;
	outb(I8042_CMD, cmd);
	return true;
}

static bool write_data(uint8_t v)
{
	if (!wait_input_empty())
		return false;
	outb(I8042_DATA, v);
	return true;
}

static void flush_output(void)
{
	for (int i = 0; i < 64 && (inb(I8042_STATUS) & ST_OUT_FULL); i++)
		inb(I8042_DATA);
}

void ps2kbd_init(void)
{
	int cfg, test;
	int vec;

	if (!acpi.has_8042 && inb(I8042_STATUS) == 0xff) {
		kprintf("ps2kbd: no i8042 controller\n");
		return;
	}
	/* Quiesce both ports while we reconfigure. */
	if (!write_cmd(0xad) || !write_cmd(0xa7)) {
		kprintf(KERN_WARNING "ps2kbd: i8042 not responding\n");
		return;
	}
	flush_output();

	test = write_cmd(0xaa) ? read_data() : -1;
	if (test != 0x55) {
		if (!acpi.has_8042) {
			kprintf("ps2kbd: no i8042 (self-test answered %d)\n", test);
			return;
		}
		kprintf(KERN_WARNING "ps2kbd: i8042 self-test answered %d; "
		        "trying anyway\n", test);
	}

	/* Read the configuration after the self-test, which may reset it. */
	cfg = write_cmd(0x20) ? read_data() : -1;
	if (cfg < 0) {
		kprintf(KERN_WARNING "ps2kbd: cannot read i8042 configuration\n");
		return;
	}
	cfg |= CFG_IRQ1 | CFG_XLATE | CFG_CLK2_OFF;
	cfg &= ~(CFG_IRQ12 | CFG_CLK1_OFF);
	if (!write_cmd(0x60) || !write_data(cfg) || !write_cmd(0xae)) {
		kprintf(KERN_WARNING "ps2kbd: cannot configure i8042\n");
		return;
	}
	/* Make sure the keyboard scans (answer is ACK 0xFA; not required). */
	if (write_data(0xf4))
		read_data();
	flush_output();

	vec = irq_route_isa(1, kbd_irq, NULL);
	if (vec < 0) {
		kprintf(KERN_WARNING "ps2kbd: cannot route IRQ 1: %d\n", vec);
		return;
	}
	kprintf("ps2kbd: i8042 keyboard on IRQ 1 (vector 0x%x)\n", vec);
}
