/* kernel/include/klog.h - the kernel log ring buffer (kernel/lib/printk.c).
 * Each line is stored as "<L>[ seconds.micros] text\n", L the level. */
#ifndef KERNEL_KLOG_H
#define KERNEL_KLOG_H
#include "kernel.h"
#include "sync.h"
void printk_set_level(int level);
void printk_panic_mode(void);
void printk_time_ready(void);
size_t klog_read(char *dst, size_t n, uint64_t *pos);
uint64_t klog_head(void);
extern wait_queue_t klog_wait;
void kmsg_init(void); /* /dev/kmsg (kernel/drivers/kmsg.c); after vfs_init() */
static inline const char *memchr_local(const char *p, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == c)
			return p + i;
	return NULL;
}
#endif
