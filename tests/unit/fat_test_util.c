/*
 * tests/unit/fat_test_util.c - helpers shared by the FAT host tests; see
 * fat_test.h.
 */
#include "fat_test.h"
#include "task.h"
#include "host/blockfile.h"
#include "bcache.h"

extern struct task stub_task;
extern bool stub_quiet;
char *getenv(const char *);
int snprintf(char *, size_t, const char *, ...);
void abort(void);
long sys_umount2(const char *, int);

static void assert_umount(long err)
{
	if (err) {
		kprintf("umount: %ld\n", err);
		abort();
	}
}
void qsort(void *, size_t, size_t, int (*)(const void *, const void *));

void fatt_setup(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	stub_quiet = !getenv("UNIT_VERBOSE"); /* the kernel log */
	vfs_init();
	stub_task.files = files_new();
	stub_task.fs = fs_struct_new();
	fat_init();
}

const char *fatt_path(const char *name)
{
	static char bufs[8][512];
	static int next;
	char *p = bufs[next++ % 8];
	snprintf(p, 512, "%s/%s", hio_tmpdir(), name);
	return p;
}

const char *fatt_mkfs(const char *name, const char *opts, unsigned size_kib)
{
	const char *img = fatt_path(name);
	if (hio_run("rm -f '%s' && mkfs.fat %s -C '%s' %u >/dev/null", img, opts,
	            img, size_kib))
		return NULL;
	return img;
}

struct fatt_mount fatt_mount(const char *img, const char *dir,
                             unsigned long flags, const char *opts)
{
	struct fatt_mount m = { 0 };
	m.bd = blockfile_open(img, "vdb", false);
	if (!m.bd) {
		m.err = -EIO;
		return m;
	}
	struct fs_type *t = fs_type_find("vfat");
	struct super_block *sb = t ? t->mount(m.bd, flags, opts) : ERR_PTR(-ENODEV);
	if (IS_ERR(sb)) {
		m.err = (int)PTR_ERR(sb);
		blockfile_close(m.bd);
		m.bd = NULL;
		return m;
	}
	m.sb = sb;
	if (!dir)
		return m;
	snprintf(m.dir, sizeof(m.dir), "%s", dir);
	sys_mkdir(dir, 0755);
	struct inode *onto;
	if (path_lookup(dir, LOOKUP_FOLLOW, &onto) == 0) {
		if (vfs_mount(sb, onto) == 0)
			m.onto = onto;
		else
			inode_put(onto);
	}
	return m;
}

void fatt_umount(struct fatt_mount *m)
{
	if (!m->sb)
		return;
	if (m->onto) {
		inode_put(m->onto);
		m->onto = NULL;
		assert_umount(sys_umount2(m->dir, 0));
	} else {
		m->sb->fstype->umount(m->sb);
		super_free(m->sb);
	}
	m->sb = NULL;
	assert_umount(bcache_invalidate(m->bd)); /* no buffer reference leaked */
	blockfile_close(m->bd);
	m->bd = NULL;
}

long fatt_write(const char *path, const void *data, size_t len, int flags)
{
	long fd = sys_open(path, O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0)
		return fd;
	size_t done = 0;
	while (done < len) {
		long k = sys_write((int)fd, (const char *)data + done, len - done);
		if (k <= 0) {
			sys_close((int)fd);
			return k ? k : -EIO;
		}
		done += (size_t)k;
	}
	return sys_close((int)fd);
}

char *fatt_read(const char *path, size_t *len, long *err)
{
	long fd = sys_open(path, O_RDONLY, 0);
	*err = fd < 0 ? fd : 0;
	if (fd < 0)
		return NULL;
	struct kstat st;
	sys_fstat((int)fd, &st);
	size_t cap = (size_t)st.size + 1, n = 0;
	char *buf = hio_malloc(cap);
	for (;;) {
		long k = sys_read((int)fd, buf + n, cap - n);
		if (k < 0) {
			*err = k;
			break;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n == cap) { /* longer than its size says: a bug */
			*err = -E2BIG;
			break;
		}
	}
	sys_close((int)fd);
	if (*err) {
		hio_free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *fatt_list(const char *path)
{
	long fd = sys_open(path, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return NULL;
	static char dents[65536];
	char **names = hio_malloc(sizeof(char *) * 70000);
	size_t count = 0, total = 1;
	long n;
	while ((n = sys_getdents64((int)fd, dents, sizeof(dents))) > 0) {
		for (long off = 0; off < n;) {
			uint16_t reclen = *(uint16_t *)(dents + off + 16);
			char *name = dents + off + 19;
			if (strcmp(name, ".") && strcmp(name, "..") && count < 70000) {
				size_t l = strlen(name) + 1;
				names[count] = hio_malloc(l);
				memcpy(names[count++], name, l);
				total += l;
			}
			off += reclen;
		}
	}
	sys_close((int)fd);
	qsort(names, count, sizeof(char *), cmp_str);
	char *out = hio_malloc(total), *p = out;
	for (size_t i = 0; i < count; i++) {
		size_t l = strlen(names[i]);
		memcpy(p, names[i], l);
		p[l] = '\n';
		p += l + 1;
		hio_free(names[i]);
	}
	*p = 0;
	hio_free(names);
	return n < 0 ? (hio_free(out), NULL) : out;
}

void fatt_pattern(void *buf, size_t len, unsigned seed)
{
	uint32_t x = seed * 2654435761u + 1;
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

int fatt_fsck(const char *img)
{
	int st = hio_run("fsck.fat -n '%s' > '%s.fsck' 2>&1", img, img);
	if (st)
		hio_run("cat '%s.fsck'", img);
	return st;
}
