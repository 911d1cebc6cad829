/*
 * kernel/drivers/kmsg.c - /dev/kmsg: the kernel log, one record per read.
 *
 * The log ring (kernel/lib/printk.c) holds lines "<L>[ sec.usec] text\n".
 * Each read() returns the next complete line of the reader's open file in
 * Linux's /dev/kmsg format,
 *     L,SEQ,USEC,-;text\n
 * with L the level, SEQ the record's number counted from the oldest line
 * this open file could see (the ring does not number records), and USEC
 * the time stamp in microseconds. Unlike Linux, a reader that has caught
 * up gets 0 (end of file) instead of blocking, so `cat /dev/kmsg` ends;
 * a buffer too small for the record gives EINVAL, as on Linux. A reader
 * overtaken by the ring skips to the oldest line still in it. Writes are
 * logged as one printk line each (level 4 unless the text starts "<L>";
 * an empty write, such as a lone newline, logs nothing).
 */
#include "kernel.h"
#include "klog.h"
#include "vfs.h"
#include "mm.h"

#define KMSG_LINE 1024

struct kmsg_reader {
	uint64_t pos;   /* byte position in the log */
	uint64_t seq;
	bool synced;    /* pos is at a line start */
};

static int kmsg_open(struct inode *ino __unused, struct file *f)
{
	struct kmsg_reader *r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	uint64_t head = klog_head();
	r->pos = head > 64 * 1024 ? head - 64 * 1024 : 0;
	r->synced = r->pos == 0;
	f->priv = r;
	return 0;
}

static void kmsg_release(struct file *f)
{
	kfree(f->priv);
}

/* The next whole line into line (without its '\n'); its length, or -1 if
 * there is none yet. */
static long next_line(struct kmsg_reader *r, char *line)
{
	for (;;) {
		uint64_t pos = r->pos;
		size_t n = klog_read(line, KMSG_LINE, &pos);
		const char *nl = memchr_local(line, '\n', n);
		if (!nl) {
			if (n < KMSG_LINE)
				return -1;
			/* A line longer than we take: cut it there. */
			r->pos = pos;
			if (!r->synced)
				continue;
			return KMSG_LINE - 1;
		}
		/* pos - n is where the copy started (klog_read may have skipped
		 * ahead over text the ring lost). */
		r->pos = pos - n + (uint64_t)(nl - line) + 1;
		if (!r->synced) {
			r->synced = true;   /* the first partial line is dropped */
			continue;
		}
		return nl - line;
	}
}

static ssize_t kmsg_read(struct file *f, void *buf, size_t n, off_t *off __unused)
{
	struct kmsg_reader *r = f->priv;
	struct kmsg_reader saved = *r;
	char *line = kmalloc(KMSG_LINE + 64);
	if (!line)
		return -ENOMEM;
	long len = next_line(r, line);
	if (len < 0) {
		kfree(line);
		return 0;
	}
	line[len] = 0;
	int level = 6;
	const char *text = line;
	if (text[0] == '<' && text[1] >= '0' && text[1] <= '7' && text[2] == '>') {
		level = text[1] - '0';
		text += 3;
	}
	unsigned long sec = 0, usec = 0;
	if (text[0] == '[') {
		const char *p = text + 1;
		while (*p == ' ')
			p++;
		for (; *p >= '0' && *p <= '9'; p++)
			sec = sec * 10 + (unsigned long)(*p - '0');
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				usec = usec * 10 + (unsigned long)(*p - '0');
		if (*p == ']') {
			text = p + 1;
			if (*text == ' ')
				text++;
		}
	}
	char *out = kmalloc(KMSG_LINE + 96);
	if (!out) {
		kfree(line);
		return -ENOMEM;
	}
	int k = snprintf(out, KMSG_LINE + 96, "%d,%lu,%lu,-;%s\n", level,
	                 (unsigned long)r->seq, sec * 1000000 + usec, text);
	ssize_t ret;
	if ((size_t)k > n) {
		ret = -EINVAL;
		*r = saved;   /* the record stays unread */
	} else {
		memcpy(buf, out, (size_t)k);
		r->seq++;
		ret = k;
	}
	kfree(out);
	kfree(line);
	return ret;
}

static ssize_t kmsg_write(struct file *f __unused, const void *buf, size_t n,
                          off_t *off __unused)
{
	char line[256];
	size_t k = MIN(n, sizeof(line) - 1);
	memcpy(line, buf, k);
	line[k] = 0;
	if (k && line[k - 1] == '\n')
		line[--k] = 0;
	if (!k)
		return (ssize_t)n;   /* e.g. the newline of a separate write */
	if (line[0] == '<' && line[1] >= '0' && line[1] <= '7' && line[2] == '>')
		kprintf("%s\n", line);
	else
		kprintf(KERN_WARNING "%s\n", line);
	return (ssize_t)n;
}

static const struct file_ops kmsg_ops = {
	.open = kmsg_open,
	.release = kmsg_release,
	.read = kmsg_read,
	.write = kmsg_write,
};

void kmsg_init(void)
{
	devfs_register_chr("kmsg", S_IFCHR | 0644, 1, 11, &kmsg_ops, NULL);
}
