/*
 * tests/abi/abi-mincore.c - mincore(2) (see tests/abi/README.md): touched
 * and untouched pages of private anonymous memory, after MADV_DONTNEED and
 * munmap of a part; a shared file mapping of a memfd (in memory on both
 * systems); the errors: EINVAL for an unaligned start, ENOMEM for a hole
 * or a range past user space, EFAULT for a bad vector, length 0.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

#define PG 4096

static void show(const char *label, void *addr, size_t len)
{
	unsigned char vec[16];
	memset(vec, 0xee, sizeof(vec));
	errno = 0;
	int r = mincore(addr, len, vec);
	printf("%s: %d %s ", label, r, r < 0 ? ename(errno) : "0");
	for (size_t i = 0; i < (len + PG - 1) / PG && i < sizeof(vec); i++)
		putchar(vec[i] == 0xee ? '-' : '0' + (vec[i] & 1));
	putchar('\n');
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	char *a = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show("fresh anonymous", a, 8 * PG);
	a[0] = 1;
	a[2 * PG] = 1;
	a[7 * PG + 100] = 1;
	show("pages 0 2 7 touched", a, 8 * PG);
	show("a partial last page", a, 7 * PG + 1);
	show("from page 2", a + 2 * PG, 2 * PG);
	madvise(a, 3 * PG, MADV_DONTNEED);
	show("after MADV_DONTNEED of 0-2", a, 8 * PG);
	munmap(a + 4 * PG, PG);
	show("hole at page 4", a, 8 * PG);
	show("after the hole", a + 5 * PG, 3 * PG);
	show("unaligned", a + 1, PG);
	show("length 0", a, 0);
	R("bad vector", mincore(a + 7 * PG, PG, (unsigned char *)8));
	R("past user space", mincore((void *)0x7ffffffff000UL, 1UL << 40, (unsigned char *)a));
	show("unmapped", (void *)0x10000, PG);
	char *ro = mmap(NULL, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show("PROT_NONE", ro, 2 * PG);
	munmap(ro, 2 * PG);
	munmap(a, 8 * PG);

	int fd = (int)syscall(SYS_memfd_create, "mincore", 0);
	char page[PG];
	memset(page, 'x', sizeof(page));
	write(fd, page, PG);
	write(fd, page, PG);
	ftruncate(fd, 4 * PG);
	char *m = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, fd, 0);
	(void)*(volatile char *)m;
	show("memfd: written pages resident, touched or not", m, 2 * PG);
	munmap(m, 4 * PG);
	close(fd);
	printf("DONE\n");
	return 0;
}
