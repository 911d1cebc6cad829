/*
 * kernel/proc/sys_system.c - system-wide information and control: uname,
 * sysinfo, reboot, getrandom, syslog (the kernel log for dmesg).
 */
#include "arch.h"
#include "kernel.h"
#include "klog.h"
#include "ktime.h"
#include "mm.h"
#include "random.h"
#include "task.h"
#include "uaccess.h"
#include "version.h"
#include "fstype.h"

struct k_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

static char hostname[65] = "rayos";
static char domainname[65] = "(none)";

long sys_uname(struct k_utsname *u)
{
	struct k_utsname n;
	memset(&n, 0, sizeof(n));
	strlcpy(n.sysname, "RayOS", sizeof(n.sysname));
	strlcpy(n.nodename, hostname, sizeof(n.nodename));
	strlcpy(n.release, RAYOS_RELEASE, sizeof(n.release));
	strlcpy(n.version, RAYOS_VERSION_STRING, sizeof(n.version));
	strlcpy(n.machine, "x86_64", sizeof(n.machine));
	strlcpy(n.domainname, domainname, sizeof(n.domainname));
	return copy_to_user(u, &n, sizeof(n)) ? -EFAULT : 0;
}

static long set_name(char *dst, const char *u, int len)
{
	if (current->cred.euid != 0)
		return -EPERM;
	if (len < 0 || len > 64)
		return -EINVAL;
	char buf[65];
	if (copy_from_user(buf, u, len))
		return -EFAULT;
	buf[len] = 0;
	strlcpy(dst, buf, 65);
	return 0;
}

long sys_sethostname(const char *u, int len) { return set_name(hostname, u, len); }
long sys_setdomainname(const char *u, int len) { return set_name(domainname, u, len); }

struct k_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char f[4];
};

long sys_sysinfo(struct k_sysinfo *u)
{
	struct k_sysinfo si;
	memset(&si, 0, sizeof(si));
	si.uptime = time_ns() / NSEC_PER_SEC;
	si.totalram = pmm_total_pages();
	si.freeram = pmm_free_pages();
	si.procs = task_count();
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(u, &si, sizeof(si)) ? -EFAULT : 0;
}

#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_CMD_RESTART 0x01234567
#define REBOOT_CMD_HALT 0xCDEF0123
#define REBOOT_CMD_POWER_OFF 0x4321FEDC
#define REBOOT_CMD_CAD_ON 0x89ABCDEF
#define REBOOT_CMD_CAD_OFF 0x00000000

void fs_sync_all(void);

long sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd)
{
	if (current->cred.euid != 0)
		return -EPERM;
	if (magic1 != REBOOT_MAGIC1 || (magic2 != REBOOT_MAGIC2 && magic2 != 85072278 &&
	                                 magic2 != 369367448 && magic2 != 537993216))
		return -EINVAL;
	switch (cmd) {
	case REBOOT_CMD_CAD_ON:
	case REBOOT_CMD_CAD_OFF:
		return 0;
	case REBOOT_CMD_RESTART:
	case REBOOT_CMD_HALT:
	case REBOOT_CMD_POWER_OFF:
		/* Disk file systems written back and marked clean first. */
		vfs_shutdown();
		break;
	default:
		return -EINVAL;
	}
	switch (cmd) {
	case REBOOT_CMD_RESTART:
		kprintf("reboot: restarting system\n");
		machine_reboot();
	case REBOOT_CMD_HALT:
		kprintf("reboot: system halted\n");
		machine_halt();
	case REBOOT_CMD_POWER_OFF:
		kprintf("reboot: power down\n");
		machine_power_off();
	default:
		return -EINVAL;
	}
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

long sys_getrandom(void *ubuf, size_t len, unsigned flags)
{
	/* GRND_INSECURE: the pool never blocks here anyway; it may not be
	 * combined with GRND_RANDOM. */
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (len > 33554431)
		len = 33554431;
	uint8_t tmp[256];
	size_t done = 0;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(tmp));
		get_random_bytes(tmp, n);
		if (copy_to_user((char *)ubuf + done, tmp, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}

/* syslog(2): enough for dmesg. READ_ALL gives the newest len bytes of the
 * log from the first whole line, and not before the point of the last
 * CLEAR (as Linux; /dev/kmsg readers are not affected). Clearing is for
 * root (Linux: CAP_SYSLOG). */
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_BUFFER 10

static uint64_t klog_clear_pos;

static long syslog_read(char *ubuf, int len)
{
	if (len < 0)
		return -EINVAL;
	uint64_t head = klog_head();
	uint64_t pos = head > (uint64_t)len ? head - len : 0;
	uint64_t clear = READ_ONCE(klog_clear_pos);
	if (pos < clear)
		pos = clear;
	char *k = kmalloc(len ? len : 1);
	if (!k)
		return -ENOMEM;
	/* Starting inside a line: begin at the next one. */
	char before = '\n';
	if (pos > 0 && pos != clear) {
		uint64_t p = pos - 1;
		if (klog_read(&before, 1, &p) != 1 || p != pos)
			before = 0;   /* overwritten meanwhile: be careful */
	}
	size_t n = klog_read(k, (size_t)len, &pos);
	size_t skip = 0;
	if (before != '\n') {
		const char *nl = memchr_local(k, '\n', n);
		skip = nl ? (size_t)(nl - k) + 1 : n;
	}
	long r = copy_to_user(ubuf, k + skip, n - skip) ? -EFAULT : (long)(n - skip);
	kfree(k);
	return r;
}

long sys_syslog(int type, char *ubuf, int len)
{
	switch (type) {
	case SYSLOG_ACTION_READ_ALL:
		return syslog_read(ubuf, len);
	case SYSLOG_ACTION_READ_CLEAR: {
		if (current->cred.euid != 0)
			return -EPERM;
		uint64_t head = klog_head();
		long r = syslog_read(ubuf, len);
		if (r >= 0)
			WRITE_ONCE(klog_clear_pos, head);
		return r;
	}
	case SYSLOG_ACTION_CLEAR:
		if (current->cred.euid != 0)
			return -EPERM;
		WRITE_ONCE(klog_clear_pos, klog_head());
		return 0;
	case SYSLOG_ACTION_SIZE_BUFFER:
		return 64 * 1024;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		printk_set_level(len);
		return 0;
	default:
		return -EINVAL;
	}
}

/* One CPU, one NUMA node. */
long sys_getcpu(unsigned *ucpu, unsigned *unode, void *cache __unused)
{
	unsigned zero = 0;
	if ((ucpu && copy_to_user(ucpu, &zero, sizeof(zero))) ||
	    (unode && copy_to_user(unode, &zero, sizeof(zero))))
		return -EFAULT;
	return 0;
}
