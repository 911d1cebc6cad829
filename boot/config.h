/*
 * boot/config.h - the boot manager's configuration (\rayos\boot.cfg).
 *
 * The parser is plain C over a byte buffer with no EFI or libc dependency,
 * so the very same code runs in the boot manager and in the host unit test
 * (tests/unit/test_bootconfig.c). It never fails as a whole: every bad line
 * becomes one message "FILE:LINE: what is wrong" in cfg->errors and is
 * skipped, so the menu can still offer whatever entries were valid.
 * Format and limits: docs/boot-manager.md.
 */
#ifndef BOOT_CONFIG_H
#define BOOT_CONFIG_H

#include <stddef.h>
#include <rayos/bootinfo.h>

#define BOOTCFG_MAX_ENTRIES  16
#define BOOTCFG_ID_MAX       32   /* bytes incl. NUL */
#define BOOTCFG_TITLE_MAX    RAYOS_TITLE_MAX
#define BOOTCFG_PATH_MAX     128
#define BOOTCFG_CMDLINE_MAX  RAYOS_CMDLINE_MAX
#define BOOTCFG_MAX_ERRORS   16
#define BOOTCFG_ERROR_MAX    160
#define BOOTCFG_TIMEOUT_MAX  3600 /* seconds */
#define BOOTCFG_TIMEOUT_FOREVER (-1)
#define BOOTCFG_DEFAULT_TIMEOUT 3

struct bootcfg_entry {
	char id[BOOTCFG_ID_MAX];
	char title[BOOTCFG_TITLE_MAX];     /* defaults to the id */
	char kernel[BOOTCFG_PATH_MAX];     /* '\'-separated, absolute */
	char initrd[BOOTCFG_PATH_MAX];     /* "" when absent */
	char cmdline[BOOTCFG_CMDLINE_MAX]; /* "" when absent */
	int line;                          /* line of the "[id]" header */
};

struct bootcfg {
	int timeout;        /* seconds; 0 = boot at once; -1 = wait forever */
	int default_index;  /* into entries[]; 0 when there are entries */
	int nentries;
	struct bootcfg_entry entries[BOOTCFG_MAX_ENTRIES];
	int nerrors;        /* messages stored in errors[] */
	int errors_dropped; /* messages beyond BOOTCFG_MAX_ERRORS */
	char errors[BOOTCFG_MAX_ERRORS][BOOTCFG_ERROR_MAX];
};

/*
 * Parse len bytes of buf (need not be NUL-terminated) into *cfg. name is the
 * file name used in error messages, e.g. "\rayos\boot.cfg". Returns the
 * number of valid entries.
 */
int bootcfg_parse(struct bootcfg *cfg, const char *name, const char *buf,
		  size_t len);

#endif /* BOOT_CONFIG_H */
