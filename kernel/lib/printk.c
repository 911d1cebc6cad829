/*
 * kernel/lib/printk.c - the kernel log.
 *
 * kprintf formats a message, stamps each line with the monotonic time and a
 * level, keeps it in a ring buffer (what dmesg reads) and writes it to every
 * console if its level is at or below the console log level (loglevel= on
 * the command line; `quiet` means 4). Lines are assembled per call, so a
 * message printed in pieces without "\n" continues the current line.
 *
 * Everything runs under one spinlock with interrupts off, so interrupt
 * handlers may log. A panic takes the log over without the lock
 * (printk_panic_mode) so that a CPU that died holding it can still report.
 */
#include "console.h"
#include "kernel.h"
#include "klog.h"
#include "ktime.h"
#include "sync.h"

#define LOG_SIZE (64 * 1024)

static char log_buf[LOG_SIZE];
static uint64_t log_head;      /* total bytes ever written */
static spinlock_t log_lock = SPINLOCK_INIT("printk");
static int console_level = 6;
static bool at_line_start = true;
static int line_level = 6;
static bool panic_mode;
static bool time_ready;
wait_queue_t klog_wait = WAIT_QUEUE_INIT("klog");

void printk_set_level(int level) { console_level = level; }
void printk_panic_mode(void) { panic_mode = true; }
void printk_time_ready(void) { time_ready = true; }

static void log_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) % LOG_SIZE] = s[i];
	log_head += n;
}

/* Consoles get raw bytes: a log line ends in CR LF there. */
static void emit(const char *s, size_t n, bool to_console)
{
	log_put(s, n);
	if (!to_console)
		return;
	if (n && s[n - 1] == '\n') {
		if (n > 1)
			console_write(s, n - 1);
		console_write("\r\n", 2);
	} else {
		console_write(s, n);
	}
}

void vkprintf(const char *fmt, va_list ap)
{
	char msg[512];
	int len = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (len > (int)sizeof(msg) - 1)
		len = sizeof(msg) - 1;

	if (!panic_mode)
		spin_lock(&log_lock);
	const char *p = msg, *end = msg + len;
	while (p < end) {
		if (at_line_start) {
			line_level = 6;
			if (p[0] == '<' && p + 2 < end && p[1] >= '0' && p[1] <= '7' && p[2] == '>') {
				line_level = p[1] - '0';
				p += 3;
			}
			uint64_t ns = time_ready ? time_ns() : 0;
			char stamp[40];
			int sl = snprintf(stamp, sizeof(stamp), "[%5lu.%06lu] ",
			                  (unsigned long)(ns / 1000000000),
			                  (unsigned long)(ns / 1000 % 1000000));
			char lvl[3] = { '<', (char)('0' + line_level), '>' };
			log_put(lvl, 3);
			emit(stamp, sl, line_level <= console_level);
			at_line_start = false;
			if (p >= end)
				break;
		}
		const char *nl = memchr_local(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p + 1) : (size_t)(end - p);
		emit(p, n, line_level <= console_level);
		p += n;
		if (nl)
			at_line_start = true;
	}
	if (!panic_mode)
		spin_unlock(&log_lock);
	wake_up(&klog_wait);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
}

/* Copy log bytes from position *pos on; returns bytes copied. If the
 * reader fell behind by more than the buffer, it skips ahead. */
size_t klog_read(char *dst, size_t n, uint64_t *pos)
{
	spin_lock(&log_lock);
	if (log_head - *pos > LOG_SIZE)
		*pos = log_head - LOG_SIZE;
	size_t avail = log_head - *pos;
	if (n > avail)
		n = avail;
	for (size_t i = 0; i < n; i++)
		dst[i] = log_buf[(*pos + i) % LOG_SIZE];
	*pos += n;
	spin_unlock(&log_lock);
	return n;
}

uint64_t klog_head(void) { return log_head; }
