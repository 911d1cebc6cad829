/*
 * kernel/main.c - how the machine comes up. kmain() is entered from
 * _start (kernel/arch/x86_64/entry.S) with the boot manager's information;
 * the order below is the order of dependencies, top to bottom.
 */
#include <rayos/bootinfo.h>

#include "acpi.h"
#include "arch.h"
#include "bcache.h"
#include "block.h"
#include "console.h"
#include "fstype.h"
#include "irq.h"
#include "kernel.h"
#include "klog.h"
#include "ktime.h"
#include "mm.h"
#include "net/socket.h"
#include "paging.h"
#include "pci.h"
#include "task.h"
#include "ktimer.h"
#include "net/netif.h"
#include "tty.h"
#include "uaccess.h"
#include "version.h"
#include "vfs.h"
#include "vm.h"

void pmm_init(const struct rayos_bootinfo *bi);
void pmm_reclaim_boot(const struct rayos_bootinfo *bi);
struct sighand *sighand_copy(struct sighand *old);
int kernel_execve(const char *path, const char *const argv[], const char *const envp[]);
uint64_t tsc_to_ns(uint64_t delta);
extern bool panic_reboot;

static char init_path[256] = "/sbin/init";
static char root_spec[128];      /* root=LABEL=... / PARTUUID=... / /dev/vdaN */
static char root_fstype[32];     /* rootfstype= */
static unsigned long root_flags; /* "ro" on the command line: MS_RDONLY */
static uint64_t handoff_tsc;

static void parse_cmdline(const char *cmdline)
{
	char buf[RAYOS_CMDLINE_MAX];
	strlcpy(buf, cmdline, sizeof(buf));
	for (char *tok = buf, *next; tok && *tok; tok = next) {
		while (*tok == ' ')
			tok++;
		next = strchr(tok, ' ');
		if (next)
			*next++ = 0;
		if (!strncmp(tok, "loglevel=", 9))
			printk_set_level(strtoul(tok + 9, NULL, 10));
		else if (!strcmp(tok, "quiet"))
			printk_set_level(4);
		else if (!strcmp(tok, "panic=reboot"))
			panic_reboot = true;
		else if (!strncmp(tok, "ip=", 3))
			net_cmdline_ip(tok + 3);
		else if (!strncmp(tok, "init=", 5))
			strlcpy(init_path, tok + 5, sizeof(init_path));
		else if (!strncmp(tok, "root=", 5))
			strlcpy(root_spec, tok + 5, sizeof(root_spec));
		else if (!strncmp(tok, "rootfstype=", 11))
			strlcpy(root_fstype, tok + 11, sizeof(root_fstype));
		else if (!strncmp(tok, "bcache.writeback_ms=", 20))
			bcache_writeback_ms = strtoul(tok + 20, NULL, 10);
		else if (!strncmp(tok, "bcache.limit_mb=", 16))
			bcache_set_limit(strtoul(tok + 16, NULL, 10) << 20);
		else if (!strcmp(tok, "ro"))
			root_flags |= MS_RDONLY;
		else if (!strcmp(tok, "rw"))
			root_flags &= ~(unsigned long)MS_RDONLY;
	}
}

/* PID 1: a kernel thread that turns itself into /sbin/init. */
static void init_thread(void *arg __unused)
{
	struct task *t = current;
	t->files = files_new();
	t->fs = fs_struct_new();
	t->sighand = sighand_copy(NULL);
	if (IS_ERR_OR_NULL(t->files) || IS_ERR_OR_NULL(t->fs) || !t->sighand)
		panic("init: out of memory");
	t->pgid = t->sid = t->tgid;
	struct file *con = vfs_open_kernel("/dev/console", O_RDWR, 0);
	if (IS_ERR(con)) {
		kprintf(KERN_WARNING "init: cannot open /dev/console (error %ld)\n", PTR_ERR(con));
	} else {
		for (int fd = 0; fd < 3; fd++)
			fd_install(t->files, con, fd, false);
		file_put(con);
	}
	t->frame = (struct trap_frame *)(t->kstack + KSTACK_SIZE) - 1;
	static const char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/sbin:/bin:/usr/bin", NULL };
	const char *tries[] = { init_path, "/sbin/init", "/bin/sh" };
	uint64_t ms = tsc_to_ns(rdtsc() - handoff_tsc) / NSEC_PER_MSEC;
	kprintf("kernel: up in %lu ms since the boot manager's handoff; starting %s\n",
	        (unsigned long)ms, init_path);
	for (unsigned i = 0; i < ARRAY_SIZE(tries); i++) {
		const char *argv[] = { tries[i], NULL };
		int r = kernel_execve(tries[i], argv, envp);
		if (r == 0)
			trap_return(t->frame);
		kprintf(KERN_ERR "init: cannot run %s (error %d)\n", tries[i], r);
	}
	panic("no working init found; try passing init= on the command line");
}

void kmain(struct rayos_bootinfo *bi)
{
	cpu_init();
	serial_early_init();
	if (bi->magic != RAYOS_BOOTINFO_MAGIC || bi->version != RAYOS_BOOTINFO_VERSION)
		panic("boot information has magic %#lx version %u; expected %#llx version %u",
		      (unsigned long)bi->magic, bi->version, RAYOS_BOOTINFO_MAGIC, RAYOS_BOOTINFO_VERSION);
	handoff_tsc = bi->handoff_tsc;
	bi->cmdline[RAYOS_CMDLINE_MAX - 1] = 0;
	bi->entry_title[RAYOS_TITLE_MAX - 1] = 0;
	parse_cmdline(bi->cmdline);
	kprintf("RayOS %s (x86_64) booting \"%s\"\n", RAYOS_RELEASE, bi->entry_title);
	kprintf("command line: %s\n", bi->cmdline);
	symbols_init(bi->symtab_phys, bi->symtab_size, bi->strtab_phys, bi->strtab_size);

	gdt_init();
	idt_init();
	pmm_init(bi);
	paging_init(bi);
	pmm_reclaim_boot(bi);

	acpi_init(bi->acpi_rsdp);
	lapic_init();
	ioapic_init();
	sched_init();
	timer_init();
	rtc_init();
	syscall_init();
	fbcon_init(&bi->fb);

	vfs_init();
	if (bi->initrd_phys) {
		int r = initramfs_unpack(phys_to_virt(bi->initrd_phys), bi->initrd_size);
		if (r)
			kprintf(KERN_ERR "initramfs: unpacking failed (error %d)\n", r);
	} else {
		kprintf(KERN_WARNING "initramfs: none was loaded\n");
	}
	tty_init();
	kmsg_init();
	sock_init();
	serial_init_irq();
	ps2kbd_init();
	irq_enable();

	pci_init();
	virtio_blk_init();
	fstype_init();
	/* The disk root replaces the initramfs before init starts; without
	 * root= (or if it cannot be mounted) the initramfs stays "/". */
	if (root_spec[0])
		vfs_mount_root_device(root_spec, root_fstype[0] ? root_fstype : NULL,
		                      root_flags);
	vfs_mount_boot_extras();
	net_init();
	virtio_net_init();
	e1000_init();

	kprintf("mm: %zu MiB free of %zu MiB\n", pmm_free_pages() * PAGE_SIZE >> 20,
	        pmm_total_pages() * PAGE_SIZE >> 20);
	if (!kthread_create("init", init_thread, NULL))
		panic("cannot create the init task");
	/* After init, which must be pid 1; it runs once we leave kmain. */
	bcache_init();
	filemap_init();     /* caches that give pages back (shrinker.h) */
	exec_pages_init();
	ktimer_start();
	net_start();
	sched_boot_done();
}
