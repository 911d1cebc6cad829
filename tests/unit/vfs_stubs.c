/*
 * tests/unit/vfs_stubs.c - just enough of the kernel core (memory, locks,
 * the current task, user access, time, the block layer, SysRq) for
 * kernel/fs/ to run as an ordinary host process in test_vfs.c and
 * test_procfs.c. Single-threaded: locks only check their pairing; a sleep
 * that would block returns -EINTR so a test can never hang. User memory
 * is host memory; addresses below 4096 fault, which lets tests exercise
 * -EFAULT paths.
 */
#include "kernel.h"
#include "mm.h"
#include "sync.h"
#include "task.h"
#include "uaccess.h"
#include "ktime.h"
#include "block.h"

void *malloc(size_t);
void *calloc(size_t, size_t);
void *realloc(void *, size_t);
void free(void *);
void abort(void);
int vprintf(const char *, va_list);
int posix_memalign(void **, size_t, size_t);

long stub_allocs;         /* live kmalloc + page allocations */
bool stub_quiet = true;   /* kprintf output */
int stub_sigpipe;         /* SIGPIPEs sent */

void *kmalloc(size_t n) { void *p = malloc(n ? n : 1); if (p) stub_allocs++; return p; }
void *kzalloc(size_t n) { void *p = calloc(1, n ? n : 1); if (p) stub_allocs++; return p; }
void *krealloc(void *p, size_t n)
{
	if (!p)
		return kmalloc(n);
	return realloc(p, n);
}
void kfree(void *p) { if (p) { stub_allocs--; free(p); } }
char *kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

phys_addr_t page_alloc_zero(void)
{
	void *p;
	if (posix_memalign(&p, PAGE_SIZE, PAGE_SIZE))
		return 0;
	memset(p, 0, PAGE_SIZE);
	stub_allocs++;
	return virt_to_phys(p);
}
phys_addr_t page_alloc(void) { return page_alloc_zero(); }
void page_free(phys_addr_t p) { stub_allocs--; free(phys_to_virt(p)); }
/* Mapped file pages (kernel/mm/filemap.c): nothing maps files here. */
struct inode;
void page_ref(phys_addr_t p __unused) {}
unsigned page_refcount(phys_addr_t p __unused) { return 1; }
void vm_unmap_file_tail(struct inode *ino __unused, uint64_t from __unused) {}
bool vm_file_mapped_writable(struct inode *ino __unused) { return false; }
/* Address spaces (kernel/mm/vmstat.c): the tests' processes have none. */
struct mm;
struct vm_stats;
void vm_get_stats(struct mm *mm __unused, struct vm_stats *st __unused) { abort(); }
size_t pmm_free_pages(void) { return 1000; }
size_t pmm_total_pages(void) { return 2000; }
/* A heap with 5 of 254 16-byte objects in one slab, 2 large blocks in 3
 * pages: Slab: 16 kB. */
size_t kmalloc_footprint(size_t size) { return size; }
void kmalloc_stats(struct kmalloc_cache_stat st[KMALLOC_CACHES])
{
	memset(st, 0, sizeof(*st) * KMALLOC_CACHES);
	for (int i = 0; i < KMALLOC_CACHES - 1; i++) {
		st[i].size = 16UL << i;
		st[i].per_slab = (PAGE_SIZE - 32) / st[i].size;
	}
	st[0].active = 5;
	st[0].objects = st[0].per_slab;
	st[0].pages = 1;
	st[KMALLOC_CACHES - 1].per_slab = 1;
	st[KMALLOC_CACHES - 1].active = st[KMALLOC_CACHES - 1].objects = 2;
	st[KMALLOC_CACHES - 1].pages = 3;
}

void spin_init(spinlock_t *l, const char *name) { l->locked = 0; l->name = name; }
void spin_lock(spinlock_t *l) { if (l->locked) panic("spin_lock: %s held", l->name); l->locked = 1; }
void spin_unlock(spinlock_t *l) { if (!l->locked) panic("spin_unlock: %s", l->name); l->locked = 0; }
void mutex_init(mutex_t *m, const char *name) { spin_init(&m->lock, name); m->owner = NULL; }
void mutex_lock(mutex_t *m) { if (m->owner) panic("mutex_lock: %s held (deadlock)", m->lock.name); m->owner = current; }
bool mutex_trylock(mutex_t *m) { if (m->owner) return false; m->owner = current; return true; }
void mutex_unlock(mutex_t *m) { if (!m->owner) panic("mutex_unlock: %s not held", m->lock.name); m->owner = NULL; }
void wait_queue_init(wait_queue_t *wq, const char *name) { spin_init(&wq->lock, name); wq->head = NULL; }
void wake_up(wait_queue_t *wq __unused) {}
void wait_prepare(wait_queue_t *wq __unused, struct wait_entry *e) { e->woken = false; }
int wait_sleep(wait_queue_t *wq __unused, struct wait_entry *e __unused,
               bool intr __unused, uint64_t deadline __unused) { return -EINTR; }
void wait_finish(wait_queue_t *wq __unused, struct wait_entry *e __unused) {}
void irq_push_off(void) {}
void irq_pop_off(void) {}

struct task stub_task;
struct task *current_task(void) { return &stub_task; }
/* The task list for /proc/<pid> (proc_pid.c): the stub task alone, a
 * process once a test gives it a tid; no address space. */
spinlock_t tasks_lock = SPINLOCK_INIT("tasks");
struct task *all_tasks = &stub_task;
void mm_get(struct mm *mm __unused) {}
void mm_put(struct mm *mm __unused) {}
ssize_t mm_read(struct mm *mm __unused, uint64_t a __unused, void *b __unused,
                size_t n __unused) { return 0; }
int send_signal(struct task *t __unused, int sig, const struct ksiginfo *i __unused)
{
	if (sig == SIGPIPE)
		stub_sigpipe++;
	return 0;
}

static bool bad_user(const void *p, size_t n)
{
	return n && (uint64_t)p < 4096;
}
int copy_from_user(void *d, const void *s, size_t n)
{
	if (bad_user(s, n)) return -EFAULT;
	memcpy(d, s, n);
	return 0;
}
int copy_to_user(void *d, const void *s, size_t n)
{
	if (bad_user(d, n)) return -EFAULT;
	memcpy(d, s, n);
	return 0;
}
long strncpy_from_user(char *d, const char *s, size_t max)
{
	if (bad_user(s, 1)) return -EFAULT;
	size_t n = strnlen(s, max);
	if (n == max) return -ENAMETOOLONG;
	memcpy(d, s, n + 1);
	return (long)n;
}

uint64_t stub_time_ns = 12345678901ULL; /* monotonic clock: 12.34 s */
uint64_t time_ns(void) { return stub_time_ns; }
int stub_sysrq_key = -1;                 /* last /proc/sysrq-trigger key */
void sysrq_handle(char key) { stub_sysrq_key = (unsigned char)key; }
uint64_t time_realtime_ns(void) { static uint64_t t = 1700000000ULL * NSEC_PER_SEC; return t += 1000; }

void kprintf(const char *fmt, ...)
{
	if (stub_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	abort();
	for (;;) {}
}

/* A RAM disk of 16 sectors named "vdb". */
static uint8_t disk[16 * SECTOR_SIZE];
static int rd_read(struct blockdev *bd __unused, uint64_t lba, uint32_t c, void *buf)
{ memcpy(buf, disk + lba * SECTOR_SIZE, c * SECTOR_SIZE); return 0; }
static int rd_write(struct blockdev *bd __unused, uint64_t lba, uint32_t c, const void *buf)
{ memcpy(disk + lba * SECTOR_SIZE, buf, c * SECTOR_SIZE); return 0; }
static const struct blockdev_ops rd_ops = { rd_read, rd_write, NULL };
static struct blockdev ramdisk = { .name = "vdb", .sectors = 16, .ops = &rd_ops };
struct blockdev *blockdevs;
void stub_add_ramdisk(void) { blockdevs = &ramdisk; }
/* Weak: tests/unit/host/blockfile.c replaces them when linked. */
__attribute__((weak)) int block_read(struct blockdev *bd, uint64_t lba, uint32_t c, void *buf)
{
	if (lba + c > bd->sectors) return -EIO;
	return bd->ops->read(bd, lba, c, buf);
}
__attribute__((weak)) int block_write(struct blockdev *bd, uint64_t lba, uint32_t c, const void *buf)
{
	if (lba + c > bd->sectors) return -EIO;
	return bd->ops->write(bd, lba, c, buf);
}
__attribute__((weak)) int block_flush(struct blockdev *bd __unused) { return 0; }

/* The buffer cache's flusher thread (kernel/fs/bcache.c) is not run on
 * the host; bcache_sync() does its work in the tests. */
struct task *kthread_create(const char *name __unused, void (*fn)(void *) __unused,
                            void *arg __unused) { return NULL; }
int sleep_until(uint64_t deadline __unused, bool intr __unused) { return -EINTR; }

/* /proc/net's files come from kernel/net/, which is not linked here: empty
 * files of the same names stand in. */
#include "procfs.h"
#include "vfs.h"
static int stub_net_show(struct proc_buf *b __unused, void *ctx __unused) { return 0; }
const struct proc_entry proc_net_entries[PROC_NET_NENTRIES] = {
	{ .name = "arp", .mode = S_IFREG | 0444, .show = stub_net_show },
	{ .name = "dev", .mode = S_IFREG | 0444, .show = stub_net_show },
	{ .name = "route", .mode = S_IFREG | 0444, .show = stub_net_show },
	{ .name = "tcp", .mode = S_IFREG | 0444, .show = stub_net_show },
	{ .name = "udp", .mode = S_IFREG | 0444, .show = stub_net_show },
};
