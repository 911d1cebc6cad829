/*
 * kernel/fs/cpio.h - a validating reader for cpio "newc" archives (the
 * initramfs format; magic 070701, or 070702 with checksums). Pure code with
 * no kernel dependencies: the host unit tests build it (tests/unit/).
 *
 * Format: each entry is a 110-byte ASCII header (6-byte magic, then 13
 * fields of 8 hex digits), the NUL-terminated name, padding to a multiple
 * of 4 bytes, the data, padding to 4 again. The entry "TRAILER!!!" ends
 * the archive.
 */
#ifndef KERNEL_FS_CPIO_H
#define KERNEL_FS_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_NAME_MAX 4096 /* PATH_MAX, including the NUL */

struct cpio_entry {
	const char *name;   /* NUL-terminated, inside the archive buffer */
	size_t namelen;     /* without the NUL */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	const void *data;   /* file contents or symlink target */
	size_t size;
	size_t offset;      /* of the header in the archive */
};

struct cpio_reader {
	const uint8_t *buf;
	size_t size;
	size_t off;         /* next header */
	const char *error;  /* why cpio_next() returned -1 */
	size_t error_off;   /* where in the archive */
};

void cpio_init(struct cpio_reader *r, const void *buf, size_t size);
/* Read the next entry: 1 and *e filled, 0 at the trailer, -1 if the
 * archive is malformed (r->error and r->error_off say why and where). */
int cpio_next(struct cpio_reader *r, struct cpio_entry *e);

#endif
