/*
 * kernel/fs/cpio.c - cpio newc parsing with every field checked. The
 * archive comes from outside the kernel (the boot loader loads whatever
 * file it is given), so each header is validated before use: magic, hex
 * digits, name size and termination, alignment, and that the name and the
 * data lie inside the buffer. Arithmetic is done so that no size can wrap.
 */
#include "cpio.h"

void cpio_init(struct cpio_reader *r, const void *buf, size_t size)
{
	r->buf = buf;
	r->size = size;
	r->off = 0;
	r->error = 0;
	r->error_off = 0;
}

static int fail(struct cpio_reader *r, size_t off, const char *why)
{
	r->error = why;
	r->error_off = off;
	return -1;
}

/* 8 hex digits; false if any is not one. */
static int parse_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return 0;
		v = (v << 4) | d;
	}
	*out = v;
	return 1;
}

static int bytes_eq(const void *a, const char *b, size_t n)
{
	const uint8_t *p = a;
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)b[i])
			return 0;
	return 1;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

int cpio_next(struct cpio_reader *r, struct cpio_entry *e)
{
	size_t off = r->off;
	if (off >= r->size)
		return fail(r, off, "missing TRAILER!!! entry");
	if (off % 4)
		return fail(r, off, "misaligned header");
	if (r->size - off < CPIO_HEADER_SIZE)
		return fail(r, off, "truncated header");
	const uint8_t *h = r->buf + off;
	int crc = 0;
	if (bytes_eq(h, "070702", 6))
		crc = 1;
	else if (!bytes_eq(h, "070701", 6))
		return fail(r, off, "bad magic (not cpio newc)");

	uint32_t f[13];
	for (int i = 0; i < 13; i++)
		if (!parse_hex8(h + 6 + 8 * i, &f[i]))
			return fail(r, off + 6 + 8 * (size_t)i, "bad hex field in header");
	/* field order: ino mode uid gid nlink mtime filesize devmajor
	 * devminor rdevmajor rdevminor namesize check */
	uint32_t filesize = f[6], namesize = f[11], check = f[12];
	if (namesize < 2 || namesize > CPIO_NAME_MAX)
		return fail(r, off, "bad name size");
	size_t name_off = off + CPIO_HEADER_SIZE;
	if (r->size - name_off < namesize)
		return fail(r, off, "name runs past the end of the archive");
	const char *name = (const char *)r->buf + name_off;
	if (name[namesize - 1] != '\0')
		return fail(r, name_off, "name not NUL-terminated");
	for (uint32_t i = 0; i + 1 < namesize; i++)
		if (name[i] == '\0')
			return fail(r, name_off, "NUL inside name");
	size_t data_off = align4(name_off + namesize);
	if (filesize == 0 && data_off > r->size)
		data_off = r->size; /* an empty last entry may lack its padding */
	if (data_off > r->size || r->size - data_off < filesize)
		return fail(r, off, "file data runs past the end of the archive");

	e->name = name;
	e->namelen = namesize - 1;
	e->ino = f[0];
	e->mode = f[1];
	e->uid = f[2];
	e->gid = f[3];
	e->nlink = f[4];
	e->mtime = f[5];
	e->devmajor = f[7];
	e->devminor = f[8];
	e->rdevmajor = f[9];
	e->rdevminor = f[10];
	e->data = r->buf + data_off;
	e->size = filesize;
	e->offset = off;

	if (crc) {
		uint32_t sum = 0;
		for (size_t i = 0; i < filesize; i++)
			sum += r->buf[data_off + i];
		if (sum != check)
			return fail(r, off, "checksum mismatch");
	}
	/* The last entry's padding may be missing: clamp to the end. */
	size_t next = align4(data_off + filesize);
	r->off = next < r->size ? next : r->size;
	if (e->namelen == 10 && bytes_eq(name, "TRAILER!!!", 10))
		return 0;
	return 1;
}
