/*
 * kernel/drivers/tty.c - the console terminal.
 *
 * One tty serves the whole console: bytes typed on the serial line or the
 * PS/2 keyboard arrive through tty_input() (interrupt context) and pass the
 * line discipline: input translation (ICRNL...), signal characters (^C
 * SIGINT, ^\ SIGQUIT, ^Z SIGTSTP to the foreground process group), and in
 * canonical mode line editing (erase, ^U kill, ^W word erase) with echo.
 * Finished lines (or, in raw mode, single bytes) go to the read buffer that
 * read() drains. Output applies OPOST/ONLCR and goes to every console.
 *
 * The termios layout is Linux's struct termios (36 bytes) as TCGETS/TCSETS
 * use it. Job control: the session that acquired the tty (TIOCSCTTY) owns
 * it; reads from a background process group get SIGTTIN, as in Linux.
 */
#include "console.h"
#include "kernel.h"
#include "ktime.h"
#include "sync.h"
#include "task.h"
#include "tty.h"
#include "uaccess.h"
#include "vfs.h"

#define NCCS 19
struct k_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};
struct k_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSUSP 10
#define VEOL 11
#define VWERASE 14
#define VLNEXT 15

#define ISIG 0x1
#define ICANON 0x2
#define ECHO 0x8
#define ECHOE 0x10
#define ECHOK 0x20
#define ECHONL 0x40
#define NOFLSH 0x80
#define TOSTOP 0x100
#define ECHOCTL 0x200
#define IEXTEN 0x8000
#define INLCR 0x40
#define IGNCR 0x80
#define ICRNL 0x100
#define ISTRIP 0x20
#define OPOST 0x1
#define ONLCR 0x4

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCXONC 0x540a
#define TCFLSH 0x540b
#define TIOCSCTTY 0x540e
#define TIOCGPGRP 0x540f
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541b
#define TIOCNOTTY 0x5422
#define TIOCGSID 0x5429

#define INBUF 4096
#define LINEBUF 1024

struct tty {
	spinlock_t lock;
	struct k_termios termios;
	struct k_winsize winsize;
	char in[INBUF];          /* bytes ready for read() */
	size_t in_head, in_len;
	size_t eof_marks;        /* pending ^D (each ends one read) */
	char line[LINEBUF];      /* the line being edited (canonical mode) */
	size_t line_len;
	bool lnext;              /* next byte is literal (^V) */
	pid_t pgrp, sid;
	wait_queue_t readers;
	spinlock_t out_lock;
};

static struct tty console_tty;

static void tty_reset_termios(struct tty *t)
{
	memset(&t->termios, 0, sizeof(t->termios));
	t->termios.c_iflag = ICRNL | 0x400 /* IXON */;
	t->termios.c_oflag = OPOST | ONLCR;
	t->termios.c_cflag = 0x4bf; /* B38400 CS8 CREAD HUPCL */
	t->termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | 0x800 | IEXTEN;
	const uint8_t cc[NCCS] = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0 };
	memcpy(t->termios.c_cc, cc, NCCS);
}

/* Raw output to the consoles, applying OPOST/ONLCR. */
static void tty_output(struct tty *t, const char *buf, size_t len)
{
	bool onlcr = (t->termios.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR);
	char tmp[256];
	size_t n = 0;
	spin_lock(&t->out_lock);
	for (size_t i = 0; i < len; i++) {
		if (n + 2 > sizeof(tmp)) {
			console_write(tmp, n);
			n = 0;
		}
		if (buf[i] == '\n' && onlcr)
			tmp[n++] = '\r';
		tmp[n++] = buf[i];
	}
	if (n)
		console_write(tmp, n);
	spin_unlock(&t->out_lock);
}

static void echo_char(struct tty *t, char c)
{
	if (!(t->termios.c_lflag & ECHO))
		return;
	if ((t->termios.c_lflag & ECHOCTL) && ((uint8_t)c < 32 && c != '\n' && c != '\t')) {
		char s[2] = { '^', (char)(c + 64) };
		tty_output(t, s, 2);
	} else if (c == 127 && (t->termios.c_lflag & ECHOCTL)) {
		tty_output(t, "^?", 2);
	} else {
		tty_output(t, &c, 1);
	}
}

static void in_push(struct tty *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n && t->in_len < INBUF; i++) {
		t->in[(t->in_head + t->in_len) % INBUF] = s[i];
		t->in_len++;
	}
}

static void erase_one(struct tty *t)
{
	if (!t->line_len)
		return;
	char c = t->line[--t->line_len];
	if ((t->termios.c_lflag & (ECHO | ECHOE)) == (ECHO | ECHOE)) {
		tty_output(t, "\b \b", 3);
		if ((uint8_t)c < 32 && (t->termios.c_lflag & ECHOCTL))
			tty_output(t, "\b \b", 3); /* ^X took two columns */
	}
}

static void send_tty_signal(struct tty *t, int sig, char c)
{
	if (!(t->termios.c_lflag & NOFLSH)) {
		t->line_len = 0;
		t->in_len = 0;
		t->eof_marks = 0;
	}
	echo_char(t, c);
	if (t->termios.c_lflag & ECHO)
		tty_output(t, "\n", 1);
	if (t->pgrp > 0) {
		struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };
		send_signal_pgrp(t->pgrp, sig, &info);
	}
}

static void input_char(struct tty *t, char c)
{
	struct k_termios *tm = &t->termios;
	uint32_t lf = tm->c_lflag, ifl = tm->c_iflag;
	if (ifl & ISTRIP)
		c &= 0x7f;
	if (t->lnext) {
		t->lnext = false;
		goto literal;
	}
	if (c == '\r') {
		if (ifl & IGNCR)
			return;
		if (ifl & ICRNL)
			c = '\n';
	} else if (c == '\n' && (ifl & INLCR)) {
		c = '\r';
	}
	if (lf & ISIG) {
		if (c == (char)tm->c_cc[VINTR]) { send_tty_signal(t, SIGINT, c); return; }
		if (c == (char)tm->c_cc[VQUIT]) { send_tty_signal(t, SIGQUIT, c); return; }
		if (c == (char)tm->c_cc[VSUSP]) { send_tty_signal(t, SIGTSTP, c); return; }
	}
	if (lf & ICANON) {
		if ((lf & IEXTEN) && c == (char)tm->c_cc[VLNEXT]) {
			t->lnext = true;
			return;
		}
		if (c == (char)tm->c_cc[VERASE] || c == '\b') {
			erase_one(t);
			return;
		}
		if (c == (char)tm->c_cc[VKILL]) {
			while (t->line_len)
				erase_one(t);
			return;
		}
		if ((lf & IEXTEN) && c == (char)tm->c_cc[VWERASE]) {
			while (t->line_len && t->line[t->line_len - 1] == ' ')
				erase_one(t);
			while (t->line_len && t->line[t->line_len - 1] != ' ')
				erase_one(t);
			return;
		}
		if (c == (char)tm->c_cc[VEOF]) {
			/* ^D: hand over what is typed; on an empty line, EOF. */
			in_push(t, t->line, t->line_len);
			if (!t->line_len)
				t->eof_marks++;
			t->line_len = 0;
			wake_up(&t->readers);
			return;
		}
		if (c == '\n' || (tm->c_cc[VEOL] && c == (char)tm->c_cc[VEOL])) {
			if (t->line_len < LINEBUF)
				t->line[t->line_len++] = c;
			if ((lf & ECHO) || (lf & ECHONL))
				tty_output(t, "\n", 1);
			in_push(t, t->line, t->line_len);
			t->line_len = 0;
			wake_up(&t->readers);
			return;
		}
literal:
		if (lf & ICANON) {
			if (t->line_len < LINEBUF - 1) {
				t->line[t->line_len++] = c;
				echo_char(t, c);
			}
			return;
		}
	}
	in_push(t, &c, 1);
	echo_char(t, c);
	wake_up(&t->readers);
}

void tty_input(const char *buf, size_t len)
{
	struct tty *t = &console_tty;
	if (!t->readers.lock.name)
		return; /* not initialised yet */
	spin_lock(&t->lock);
	for (size_t i = 0; i < len; i++)
		input_char(t, buf[i]);
	spin_unlock(&t->lock);
}

static bool readable(struct tty *t)
{
	if (t->termios.c_lflag & ICANON) {
		if (t->eof_marks)
			return true;
		for (size_t i = 0; i < t->in_len; i++) {
			char c = t->in[(t->in_head + i) % INBUF];
			if (c == '\n' || (t->termios.c_cc[VEOL] && c == (char)t->termios.c_cc[VEOL]))
				return true;
		}
		return t->in_len >= INBUF; /* full: hand out what there is */
	}
	size_t min = t->termios.c_cc[VMIN];
	return t->in_len >= (min ? min : 1);
}

/* Background process groups may not read their controlling terminal. */
static int job_control_check(struct tty *t, int sig)
{
	struct task *me = current;
	if (!t->sid || me->sid != t->sid || !t->pgrp || me->pgid == t->pgrp)
		return 0;
	struct k_sigaction *a = &me->sighand->action[sig];
	if (a->handler == SIG_IGN || (me->blocked & sigmask(sig)))
		return sig == SIGTTIN ? -EIO : 0;
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };
	send_signal_pgrp(me->pgid, sig, &info);
	return -ERESTARTSYS;
}

static ssize_t tty_read(struct file *f, void *buf, size_t n, off_t *off __unused)
{
	struct tty *t = &console_tty;
	int r = job_control_check(t, SIGTTIN);
	if (r)
		return r;
	if (!n)
		return 0;
	bool canon = t->termios.c_lflag & ICANON;
	uint8_t vmin = t->termios.c_cc[VMIN], vtime = t->termios.c_cc[VTIME];
	if (!canon && vmin == 0) {
		/* Polling read, or a read with an overall timeout. */
		if (vtime)
			__wait_event(&t->readers, READ_ONCE(t->in_len) > 0, true,
			             time_ns() + vtime * 100 * NSEC_PER_MSEC);
	} else if (!readable(t)) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(&t->readers, readable(t)))
			return -ERESTARTSYS;
	}
	spin_lock(&t->lock);
	size_t done = 0;
	char *out = buf;
	if (canon && t->eof_marks && t->in_len == 0) {
		t->eof_marks--;
		spin_unlock(&t->lock);
		return 0;
	}
	while (done < n && t->in_len) {
		char c = t->in[t->in_head];
		t->in_head = (t->in_head + 1) % INBUF;
		t->in_len--;
		out[done++] = c;
		if (canon && c == '\n')
			break;
	}
	spin_unlock(&t->lock);
	return done;
}

static ssize_t tty_write(struct file *f __unused, const void *buf, size_t n, off_t *off __unused)
{
	struct tty *t = &console_tty;
	if (t->termios.c_lflag & TOSTOP) {
		int r = job_control_check(t, SIGTTOU);
		if (r)
			return r;
	}
	tty_output(t, buf, n);
	return n;
}

static bool session_alive(pid_t sid)
{
	struct task *leader = process_find(sid);
	return leader && leader->state != TASK_ZOMBIE && leader->state != TASK_DEAD;
}

static long tty_ioctl(struct file *f __unused, unsigned cmd, uint64_t arg)
{
	struct tty *t = &console_tty;
	struct task *me = current;
	void *u = (void *)arg;
	switch (cmd) {
	case TCGETS:
		return copy_to_user(u, &t->termios, sizeof(t->termios)) ? -EFAULT : 0;
	case TCSETSF:
		spin_lock(&t->lock);
		t->in_len = 0;
		t->line_len = 0;
		t->eof_marks = 0;
		spin_unlock(&t->lock);
		/* fallthrough */
	case TCSETS:
	case TCSETSW: {
		struct k_termios n;
		if (copy_from_user(&n, u, sizeof(n)))
			return -EFAULT;
		spin_lock(&t->lock);
		bool was_canon = t->termios.c_lflag & ICANON;
		t->termios = n;
		if (was_canon && !(n.c_lflag & ICANON) && t->line_len) {
			/* Leaving canonical mode: the partial line becomes input. */
			in_push(t, t->line, t->line_len);
			t->line_len = 0;
		}
		spin_unlock(&t->lock);
		wake_up(&t->readers);
		return 0;
	}
	case TIOCGWINSZ:
		return copy_to_user(u, &t->winsize, sizeof(t->winsize)) ? -EFAULT : 0;
	case TIOCSWINSZ: {
		struct k_winsize w;
		if (copy_from_user(&w, u, sizeof(w)))
			return -EFAULT;
		t->winsize = w;
		if (t->pgrp > 0)
			send_signal_pgrp(t->pgrp, SIGWINCH, NULL);
		return 0;
	}
	case TIOCGPGRP: {
		int pg = t->pgrp;
		return copy_to_user(u, &pg, sizeof(pg)) ? -EFAULT : 0;
	}
	case TIOCSPGRP: {
		int pg;
		if (copy_from_user(&pg, u, sizeof(pg)))
			return -EFAULT;
		if (pg <= 0)
			return -EINVAL;
		if (!t->sid || me->sid != t->sid)
			return -ENOTTY;
		int r = job_control_check(t, SIGTTOU);
		if (r)
			return r;
		bool in_session = false;
		spin_lock(&tasks_lock);
		for (struct task *o = all_tasks; o; o = o->all_next)
			if (o->pgid == pg && o->sid == t->sid && o->state != TASK_DEAD)
				in_session = true;
		spin_unlock(&tasks_lock);
		if (!in_session)
			return -EPERM;
		t->pgrp = pg;
		return 0;
	}
	case TIOCGSID:
		if (!t->sid)
			return -ENOTTY;
		return copy_to_user(u, &t->sid, sizeof(int)) ? -EFAULT : 0;
	case TIOCSCTTY:
		if (me->sid != me->tgid)
			return -EPERM; /* only a session leader */
		if (t->sid == me->sid)
			return 0;
		if (t->sid && session_alive(t->sid) && !(arg == 1 && me->cred.euid == 0))
			return -EPERM;
		t->sid = me->sid;
		t->pgrp = me->pgid;
		return 0;
	case TIOCNOTTY:
		if (t->sid != me->sid)
			return -ENOTTY;
		if (me->sid == me->tgid) {
			if (t->pgrp > 0) {
				send_signal_pgrp(t->pgrp, SIGHUP, NULL);
				send_signal_pgrp(t->pgrp, SIGCONT, NULL);
			}
			t->sid = 0;
			t->pgrp = 0;
		}
		return 0;
	case FIONREAD: {
		int n = t->in_len;
		return copy_to_user(u, &n, sizeof(n)) ? -EFAULT : 0;
	}
	case TCFLSH:
		spin_lock(&t->lock);
		if (arg == 0 || arg == 2) {
			t->in_len = 0;
			t->line_len = 0;
			t->eof_marks = 0;
		}
		spin_unlock(&t->lock);
		return 0;
	case TCXONC:
		return 0;
	default:
		return -ENOTTY;
	}
}

/* Readable when read() would not block: a finished line (or end of file)
 * in canonical mode; in raw mode VMIN bytes when VTIME is 0, else one byte
 * (Linux's input_available_p for poll). Output never blocks. */
static unsigned tty_poll(struct file *f __unused, wait_queue_t *wq[2])
{
	struct tty *t = &console_tty;
	if (wq) {
		wq[0] = &t->readers;
		wq[1] = NULL;
	}
	unsigned ev = POLLOUT | POLLWRNORM;
	bool ready;
	spin_lock(&t->lock);
	if (t->termios.c_lflag & ICANON) {
		ready = readable(t);
	} else {
		uint8_t vmin = t->termios.c_cc[VMIN], vtime = t->termios.c_cc[VTIME];
		ready = t->in_len >= (vmin && !vtime ? vmin : 1);
	}
	spin_unlock(&t->lock);
	if (ready)
		ev |= POLLIN | POLLRDNORM;
	return ev;
}

static const struct file_ops tty_ops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
};

void tty_init(void)
{
	struct tty *t = &console_tty;
	spin_init(&t->lock, "tty");
	spin_init(&t->out_lock, "tty_out");
	tty_reset_termios(t);
	t->winsize.ws_row = 24;
	t->winsize.ws_col = 80;
	wait_queue_init(&t->readers, "tty_readers");
	devfs_register_chr("console", S_IFCHR | 0600, 5, 1, &tty_ops, t);
	devfs_register_chr("tty", S_IFCHR | 0666, 5, 0, &tty_ops, t);
	devfs_register_chr("ttyS0", S_IFCHR | 0660, 4, 64, &tty_ops, t);
}
