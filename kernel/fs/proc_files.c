/*
 * kernel/fs/proc_files.c - what the files in /proc say, in Linux's
 * formats so that the usual tools (free, uptime, mount) can read them.
 *
 * Each file is a generator (show) or a receiver (write) in the table at
 * the end; procfs.c turns the table into a directory. Per-process
 * directories (/proc/<pid>/) and /proc/self are in proc_pid.c.
 */
#include "vfs.h"
#include "fstype.h"
#include "bcache.h"
#include "mm.h"
#include "ktime.h"
#include "loadavg.h"
#include "procfs.h"
#include "shrinker.h"
#include "sysrq.h"
#include "task.h"
#include "uaccess.h"
#include "version.h"

/* ---- /proc/meminfo ---- */

static void meminfo_line(struct proc_buf *b, const char *name, size_t pages)
{
	/* Linux pads "Name:" to 16 columns and the number to 8. */
	char label[32];
	snprintf(label, sizeof(label), "%s:", name);
	proc_printf(b, "%-16s%8lu kB\n", label,
	            (unsigned long)(pages * (PAGE_SIZE / 1024)));
}

static int meminfo_show(struct proc_buf *b, void *ctx __unused)
{
	size_t total = pmm_total_pages(), free = pmm_free_pages();
	uint64_t cached, dirty;
	bcache_stats(&cached, &dirty);
	/* What the caches on the shrinker list could give back now (clean,
	 * unmapped) counts as available. Cached: the file mapping pages and
	 * exec's shared program pages (Linux's page cache). */
	size_t reclaimable, page_cache;
	shrinkers_count(&reclaimable, &page_cache);
	meminfo_line(b, "MemTotal", total);
	meminfo_line(b, "MemFree", free);
	meminfo_line(b, "MemAvailable", free + reclaimable);
	meminfo_line(b, "Buffers", (size_t)(cached / PAGE_SIZE));
	meminfo_line(b, "Cached", page_cache);
	meminfo_line(b, "Dirty", (size_t)(dirty / PAGE_SIZE));
	/* The kernel heap: slabs and (unlike Linux, which counts them
	 * elsewhere) large kmalloc blocks, so a heap leak shows here. */
	struct kmalloc_cache_stat st[KMALLOC_CACHES];
	kmalloc_stats(st);
	size_t slab = 0;
	for (int i = 0; i < KMALLOC_CACHES; i++)
		slab += st[i].pages;
	meminfo_line(b, "Slab", slab);
	return 0;
}

/* ---- /proc/slabinfo ---- */

/* Linux's version 2.1 format, one line per kmalloc size class (every slab
 * is one page), then "kmalloc-large": one object per allocation bigger
 * than 2 KiB, the pages they take in the slab columns. Comparing two
 * readings shows which size leaks. */
static int slabinfo_show(struct proc_buf *b, void *ctx __unused)
{
	struct kmalloc_cache_stat st[KMALLOC_CACHES];
	kmalloc_stats(st);
	proc_printf(b, "slabinfo - version: 2.1\n"
	               "# name            <active_objs> <num_objs> <objsize> <objperslab>"
	               " <pagesperslab> : tunables <limit> <batchcount> <sharedfactor>"
	               " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	for (int i = 0; i < KMALLOC_CACHES; i++) {
		char name[32];
		if (st[i].size)
			snprintf(name, sizeof(name), "kmalloc-%lu", (unsigned long)st[i].size);
		else
			snprintf(name, sizeof(name), "kmalloc-large");
		proc_printf(b, "%-17s %6lu %6lu %6lu %4lu %4d : tunables %4d %4d %4d"
		               " : slabdata %6lu %6lu %6d\n", name,
		            (unsigned long)st[i].active, (unsigned long)st[i].objects,
		            (unsigned long)st[i].size, (unsigned long)st[i].per_slab, 1,
		            0, 0, 0, (unsigned long)st[i].pages,
		            (unsigned long)st[i].pages, 0);
	}
	return 0;
}

/* ---- /proc/uptime ---- */

static void seconds(struct proc_buf *b, uint64_t ns, const char *end)
{
	uint64_t cs = ns / (NSEC_PER_SEC / 100);
	proc_printf(b, "%lu.%02lu%s", (unsigned long)(cs / 100),
	            (unsigned long)(cs % 100), end);
}

static int uptime_show(struct proc_buf *b, void *ctx __unused)
{
	seconds(b, time_ns(), " ");
	/* The second number is the time the CPUs spent idle. */
	seconds(b, idle_time_ns(), "\n");
	return 0;
}

/* ---- /proc/loadavg ---- */

/* The 1, 5 and 15 minute load averages the scheduler tick keeps
 * (kernel/proc/loadavg.c), shown with two decimals rounded as Linux;
 * then runnable/total tasks and the highest pid in use. */
static void load_figure(struct proc_buf *b, unsigned long v, const char *end)
{
	v += LOADAVG_FIXED_1 / 200;
	proc_printf(b, "%lu.%02lu%s", v >> LOADAVG_FSHIFT,
	            ((v & (LOADAVG_FIXED_1 - 1)) * 100) >> LOADAVG_FSHIFT, end);
}

static int loadavg_show(struct proc_buf *b, void *ctx __unused)
{
	int running = 0, total = 0;
	pid_t last = 0;
	unsigned long avg[3];
	loadavg_get(avg);
	spin_lock(&tasks_lock);
	for (struct task *t = all_tasks; t; t = t->all_next) {
		if (t->tid <= 0 || t->state == TASK_DEAD)
			continue;
		total++;
		if (t->state == TASK_RUNNABLE && t->mm)
			running++;
		if (t->tid > last)
			last = t->tid;
	}
	spin_unlock(&tasks_lock);
	for (int i = 0; i < 3; i++)
		load_figure(b, avg[i], " ");
	proc_printf(b, "%d/%d %d\n", running, total, last);
	return 0;
}

/* ---- /proc/version ---- */

static int version_show(struct proc_buf *b, void *ctx __unused)
{
	proc_printf(b, "RayOS version %s (rayos@build) (gcc version %s) %s\n",
	            RAYOS_RELEASE, __VERSION__, RAYOS_VERSION_STRING);
	return 0;
}

/* ---- /proc/mounts ---- */

/* One line per mount, Linux's "source target type options 0 0". Mount
 * points are named as seen from the reader's root, as Linux does. */
static int mounts_show(struct proc_buf *b, void *ctx __unused)
{
	char *buf = kmalloc(PATH_MAX);
	char opts[256];
	struct inode *root = fs_get_root();
	int err = buf && root ? 0 : -ENOMEM;
	mutex_lock(&vfs_mount_lock);
	for (struct super_block *sb = mount_next(NULL); sb && !err;
	     sb = mount_next(sb)) {
		long perr;
		const char *path = inode_path(sb->root, root, buf, &perr);
		if (!path)
			continue;  /* e.g. no longer reachable: leave it out */
		mount_options(sb, opts, sizeof(opts));
		proc_printf(b, "%s %s %s %s 0 0\n", mount_source(sb), path,
		            sb->fstype ? sb->fstype->name : sb->type, opts);
	}
	mutex_unlock(&vfs_mount_lock);
	inode_put(root);
	kfree(buf);
	return err;
}

/* ---- /proc/filesystems ---- */

/* Linux's layout: "nodev" before types that need no device, a tab, the
 * name. The boot-time file systems first, then the registry. */
static int filesystems_show(struct proc_buf *b, void *ctx __unused)
{
	proc_printf(b, "nodev\tramfs\nnodev\tdevfs\nnodev\tproc\n");
	for (struct fs_type *t = fs_type_next(NULL); t; t = fs_type_next(t))
		proc_printf(b, "%s\t%s\n", t->needs_device ? "" : "nodev", t->name);
	return 0;
}

/* ---- /proc/caches (RayOS) ---- */

/* One line per cache on the shrinker list (shrinker.h), in kB: the
 * memory it holds, how much of that it could give back now (these two
 * count slab overhead: the buffer cache's 1 KiB blocks take 1.6 KiB
 * each), and how much it has given back so far under memory pressure
 * and drop_caches, as its scan() reported it (the buffer cache reports
 * block bytes). */
static int caches_show(struct proc_buf *b, void *ctx __unused)
{
	proc_printf(b, "%-12s %10s %12s %10s\n", "# name", "kB", "reclaimable", "reclaimed");
	for (struct shrinker *s = shrinker_next(NULL); s; s = shrinker_next(s)) {
		size_t rec = 0, held = s->count(&rec);
		proc_printf(b, "%-12s %10lu %12lu %10lu\n", s->name,
		            (unsigned long)(held * (PAGE_SIZE / 1024)),
		            (unsigned long)(rec * (PAGE_SIZE / 1024)),
		            (unsigned long)(__atomic_load_n(&s->reclaimed, __ATOMIC_RELAXED) *
		                            (PAGE_SIZE / 1024)));
	}
	return 0;
}

/* ---- /proc/sys/vm/drop_caches ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* As on Linux: 1 frees the page cache, 2 reclaimable slab objects, 3
 * both, 4 only silences the message Linux logs; another number or text
 * is EINVAL, and a write of only blanks does nothing (echo may write the
 * newline separately). Every RayOS cache that can give memory back is on
 * the shrinker list and none of them is "slab objects" in Linux's sense,
 * so 1, 2 and 3 all ask the list for everything it can free. Dirty data
 * is not dropped (sync first to drop more, as on Linux). */
static ssize_t drop_caches_write(const char *buf, size_t n, void *ctx __unused)
{
	long v = 0;
	size_t i = 0;
	while (i < n && is_space(buf[i]))
		i++;
	if (i == n)
		return (ssize_t)n;
	size_t digits = i;
	while (i < n && buf[i] >= '0' && buf[i] <= '9' && v < 100)
		v = v * 10 + (buf[i++] - '0');
	if (i == digits)
		return -EINVAL;
	while (i < n && is_space(buf[i]))
		i++;
	if (i != n || v < 1 || v > 4)
		return -EINVAL;
	if (v != 4)
		shrink_caches(SIZE_MAX);
	return (ssize_t)n;
}

static const struct proc_entry proc_sys_vm_entries[] = {
	{ .name = "drop_caches", .mode = S_IFREG | 0200, .write = drop_caches_write },
};

static const struct proc_entry proc_sys_entries[] = {
	{ .name = "vm", .mode = S_IFDIR | 0555, .children = proc_sys_vm_entries,
	  .nchildren = ARRAY_SIZE(proc_sys_vm_entries) },
};

/* ---- /proc/sysrq-trigger ---- */

/* Like Linux, only the first character of a write counts ("c\n" from
 * echo is 'c'); the rest is consumed. */
static ssize_t sysrq_write(const char *buf, size_t n, void *ctx __unused)
{
	if (n)
		sysrq_handle(buf[0]);
	return (ssize_t)n;
}

const struct proc_entry proc_root_entries[] = {
	{ .name = "caches", .mode = S_IFREG | 0444, .show = caches_show },
	{ .name = "loadavg", .mode = S_IFREG | 0444, .show = loadavg_show },
	{ .name = "meminfo", .mode = S_IFREG | 0444, .show = meminfo_show },
	{ .name = "filesystems", .mode = S_IFREG | 0444, .show = filesystems_show },
	{ .name = "mounts", .mode = S_IFREG | 0444, .show = mounts_show },
	{ .name = "net", .mode = S_IFDIR | 0555, .children = proc_net_entries,
	  .nchildren = PROC_NET_NENTRIES },
	{ .name = "slabinfo", .mode = S_IFREG | 0400, .show = slabinfo_show },
	{ .name = "sys", .mode = S_IFDIR | 0555, .children = proc_sys_entries,
	  .nchildren = ARRAY_SIZE(proc_sys_entries) },
	{ .name = "sysrq-trigger", .mode = S_IFREG | 0200, .write = sysrq_write },
	{ .name = "uptime", .mode = S_IFREG | 0444, .show = uptime_show },
	{ .name = "version", .mode = S_IFREG | 0444, .show = version_show },
};
const size_t proc_root_nentries = ARRAY_SIZE(proc_root_entries);
