/*
 * tests/unit/host/hostio.h - libc services for host tests that include
 * kernel headers (see hostio.c).
 */
#ifndef HOST_HOSTIO_H
#define HOST_HOSTIO_H

#include <stddef.h>

/* Run a shell command (printf-style); its exit status, -1 if it died. */
int hio_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run a command and return its standard output (NUL-terminated, malloc'ed). */
char *hio_capture(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *hio_read_file(const char *path, size_t *len);   /* malloc'ed or NULL */
int hio_write_file(const char *path, const void *data, size_t len);
const char *hio_tmpdir(void);   /* a private scratch directory */
void hio_cleanup(void);         /* remove it (unless UNIT_KEEP is set) */
void *hio_malloc(size_t n);     /* libc's, for buffers from the above */
void hio_free(void *p);

#endif
