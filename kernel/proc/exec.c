/*
 * kernel/proc/exec.c - execve: replace the calling process's program.
 *
 * Steps: copy argv/envp into the kernel (they live in the memory about to be
 * replaced); open the file; if it starts with "#!", re-run with the
 * interpreter (up to 4 levels); check the ELF64 header and program headers;
 * build a new address space with every PT_LOAD segment (static, static-PIE
 * at a fixed base, and PT_INTERP programs with their interpreter loaded
 * too); lay out the initial stack as Linux does (argc, argv, envp, auxv,
 * strings, 16 random bytes); only then - past the point of no return -
 * swap address spaces, close O_CLOEXEC descriptors, reset handled signals
 * and start at the entry point. Any failure before that returns an error to
 * the old program, which is untouched.
 */
#include "arch.h"
#include "kernel.h"
#include "ktimer.h"
#include "mm.h"
#include "random.h"
#include "task.h"
#include "uaccess.h"
#include "vfs.h"
#include "vm.h"

#define MAX_ARG_STRLEN (128 * 1024)
#define MAX_ARG_TOTAL (2 * 1024 * 1024)
#define MAX_ARGS 65536
#define PIE_BASE 0x0000555555554000ULL
#define INTERP_BASE 0x00007ffff7fc0000ULL

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PT_GNU_STACK 0x6474e551
#define ET_EXEC 2
#define ET_DYN 3

/* Argument strings gathered into one kernel buffer. */
struct argbuf {
	char *buf;
	size_t len, cap;
	int argc, envc;
};

static int argbuf_add(struct argbuf *a, const char *s, size_t n)
{
	if (a->len + n + 1 > MAX_ARG_TOTAL)
		return -E2BIG;
	if (a->len + n + 1 > a->cap) {
		size_t cap = MAX(a->cap * 2, a->len + n + 1 + 4096);
		char *nb = krealloc(a->buf, cap);
		if (!nb)
			return -ENOMEM;
		a->buf = nb;
		a->cap = cap;
	}
	memcpy(a->buf + a->len, s, n);
	a->buf[a->len + n] = 0;
	a->len += n + 1;
	return 0;
}

static int copy_strings(struct argbuf *a, const char *const *uvec, int *count)
{
	*count = 0;
	if (!uvec)
		return 0;
	char *tmp = kmalloc(MAX_ARG_STRLEN);
	if (!tmp)
		return -ENOMEM;
	int r = 0;
	for (int i = 0;; i++) {
		uint64_t p;
		if (i >= MAX_ARGS) {
			r = -E2BIG;
			break;
		}
		if (copy_from_user(&p, &uvec[i], sizeof(p))) {
			r = -EFAULT;
			break;
		}
		if (!p)
			break;
		long n = strncpy_from_user(tmp, (const char *)p, MAX_ARG_STRLEN);
		if (n < 0) {
			r = n == -ENAMETOOLONG ? -E2BIG : (int)n;
			break;
		}
		if ((r = argbuf_add(a, tmp, n)))
			break;
		(*count)++;
	}
	kfree(tmp);
	return r;
}

/* Drop the first argument string (for #!: argv[0] becomes the script). */
static void argbuf_shift(struct argbuf *a)
{
	size_t first = strlen(a->buf) + 1;
	memmove(a->buf, a->buf + first, a->len - first);
	a->len -= first;
	a->argc--;
}

static int argbuf_prepend(struct argbuf *a, const char *s)
{
	size_t n = strlen(s) + 1;
	int r = argbuf_add(a, s, n - 1); /* grow */
	if (r)
		return r;
	memmove(a->buf + n, a->buf, a->len - n);
	memcpy(a->buf, s, n);
	a->argc++;
	return 0;
}

static int check_exec_permission(struct file *f)
{
	mode_t m = file_mode(f);
	if (S_ISDIR(m))
		return -EACCES;
	if (!S_ISREG(m))
		return -EACCES;
	if (!(m & 0111))
		return -EACCES;
	return 0;
}

struct loaded {
	uint64_t entry, base, phdr, phnum, brk;
};

/* Map one ELF image into mm at bias; name_flag (VMA_EXE or 0) marks
 * its file-backed areas. */
static int load_elf(struct mm *mm, struct file *f, const struct elf64_ehdr *eh,
                    const struct elf64_phdr *ph, uint64_t bias, int name_flag,
                    struct loaded *out)
{
	uint64_t brk = 0;
	out->phdr = 0;
	for (int i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *p = &ph[i];
		if (p->type == PT_PHDR)
			out->phdr = p->vaddr + bias;
		if (p->type != PT_LOAD || p->memsz == 0)
			continue;
		if (p->filesz > p->memsz || p->vaddr + p->memsz < p->vaddr ||
		    p->vaddr + bias + p->memsz > USER_STACK_TOP - USER_STACK_MAX ||
		    (p->vaddr % PAGE_SIZE) != (p->offset % PAGE_SIZE))
			return -ENOEXEC;
		uint64_t start = ALIGN_DOWN(p->vaddr + bias, PAGE_SIZE);
		uint64_t end = ALIGN_UP(p->vaddr + bias + p->memsz, PAGE_SIZE);
		if (start < USER_MIN_ADDR)
			return -ENOEXEC;
		int prot = (p->flags & 4 ? PROT_READ : 0) | (p->flags & 2 ? PROT_WRITE : 0) |
		           (p->flags & 1 ? PROT_EXEC : 0);
		/* As Linux maps it: the pages holding file bytes are the
		 * program's (maps shows its name and offset, name_flag), the
		 * rest of the segment (bss) is anonymous. */
		uint64_t fend = p->filesz ? ALIGN_UP(p->vaddr + bias + p->filesz, PAGE_SIZE) : start;
		mutex_lock(&mm->lock);
		int r = 0;
		if (fend > start) {
			r = vm_map_area(mm, start, fend - start, prot, MAP_PRIVATE | name_flag);
			struct vma *v = r ? NULL : vma_find(mm, start);
			if (v)
				v->pgoff = ALIGN_DOWN(p->offset, PAGE_SIZE);
		}
		if (!r && end > fend)
			r = vm_map_area(mm, fend, end - fend, prot, MAP_PRIVATE);
		mutex_unlock(&mm->lock);
		if (r)
			return r;
		/* The file part, page by page: shared with earlier execs of
		 * the same bytes (exec_pages.c); the rest of the area is
		 * demand-zero. */
		uint64_t va = p->vaddr + bias, off = p->offset, left = p->filesz;
		while (left) {
			unsigned in_page = va % PAGE_SIZE;
			unsigned n = MIN(left, PAGE_SIZE - in_page);
			r = exec_load_page(mm, f, va - in_page, off - in_page, in_page, in_page + n);
			if (r)
				return r;
			va += n;
			off += n;
			left -= n;
		}
		if (p->offset == 0 && !out->phdr)
			out->phdr = p->vaddr + bias + eh->phoff;
		brk = MAX(brk, end);
	}
	out->entry = eh->entry + bias;
	out->base = bias;
	out->phnum = eh->phnum;
	out->brk = brk;
	return 0;
}

static int read_headers(struct file *f, struct elf64_ehdr *eh, struct elf64_phdr **phs)
{
	ssize_t n = kernel_read(f, eh, sizeof(*eh), 0);
	if (n < 0)
		return n;
	if (n < (ssize_t)sizeof(*eh) || memcmp(eh->ident, "\x7f" "ELF", 4) ||
	    eh->ident[4] != 2 || eh->ident[5] != 1 || eh->machine != 62 ||
	    (eh->type != ET_EXEC && eh->type != ET_DYN) ||
	    eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0 || eh->phnum > 128)
		return -ENOEXEC;
	size_t sz = eh->phnum * sizeof(struct elf64_phdr);
	*phs = kmalloc(sz);
	if (!*phs)
		return -ENOMEM;
	if (kernel_read(f, *phs, sz, eh->phoff) != (ssize_t)sz) {
		/* The caller frees *phs too: leave it NULL, or a truncated
		 * ELF frees the headers twice (two later kmallocs then share
		 * one object - the crash that reverted 466b610). */
		kfree(*phs);
		*phs = NULL;
		return -ENOEXEC;
	}
	return 0;
}

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

/* Build argc/argv/envp/auxv on the new stack. Returns the stack pointer. */
static int64_t setup_stack(struct mm *mm, struct argbuf *a, const char *execfn,
                           const struct loaded *prog, const struct loaded *interp)
{
	uint64_t top = USER_STACK_TOP;
	/* RLIMIT_STACK sizes the stack area (at least 64 KiB for the
	 * arguments, at most the layout's USER_STACK_MAX). */
	uint64_t size = ALIGN_UP(MAX(MIN(rlimit_cur(RLIMIT_STACK), USER_STACK_MAX), 64 * 1024), PAGE_SIZE);
	mutex_lock(&mm->lock);
	int r = vm_map_area(mm, top - size, size, PROT_READ | PROT_WRITE,
	                    MAP_PRIVATE | MAP_ANONYMOUS | VMA_STACK);
	mutex_unlock(&mm->lock);
	if (r)
		return r;
	mm->stack_top = top;

	/* Strings and random bytes at the top, written through the direct map
	 * page by page (the new mm is not active yet). */
	size_t execfn_len = strlen(execfn) + 1;
	uint64_t strings = ALIGN_DOWN(top - 16 - a->len - execfn_len - 16, 16);
	uint64_t random = strings + a->len + execfn_len;
	random = ALIGN_UP(random, 16);
	uint8_t rnd[16];
	get_random_bytes(rnd, sizeof(rnd));

	int nptr = 1 + a->argc + 1 + a->envc + 1 + 2 * 20;
	uint64_t sp = ALIGN_DOWN(strings - nptr * 8, 16);
	size_t blk_len = top - sp;
	uint8_t *blk = kzalloc(blk_len);
	if (!blk)
		return -ENOMEM;
	uint64_t *v = (uint64_t *)blk;
	int i = 0;
	v[i++] = a->argc;
	const char *s = a->buf;
	for (int k = 0; k < a->argc; k++) {
		v[i++] = strings + (s - a->buf);
		s += strlen(s) + 1;
	}
	size_t arg_len = (size_t)(s - a->buf); /* argv strings; envp's follow */
	v[i++] = 0;
	for (int k = 0; k < a->envc; k++) {
		v[i++] = strings + (s - a->buf);
		s += strlen(s) + 1;
	}
	v[i++] = 0;
#define AUX(k, val) do { v[i++] = (k); v[i++] = (val); } while (0)
	int aux_first = i;
	AUX(AT_PHDR, prog->phdr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, prog->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, interp ? interp->base : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, prog->entry);
	AUX(AT_UID, current->cred.uid);
	AUX(AT_EUID, current->cred.euid);
	AUX(AT_GID, current->cred.gid);
	AUX(AT_EGID, current->cred.egid);
	AUX(AT_SECURE, 0);
	AUX(AT_HWCAP, 0x178bfbff);
	AUX(AT_CLKTCK, 100);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, strings + a->len);
	AUX(AT_NULL, 0);
#undef AUX
	/* A copy for /proc/<pid>/auxv: the process may overwrite its stack. */
	size_t auxv_len = (size_t)(i - aux_first) * sizeof(uint64_t);
	kfree(mm->auxv);
	if ((mm->auxv = kmalloc(auxv_len))) {
		memcpy(mm->auxv, v + aux_first, auxv_len);
		mm->auxv_len = auxv_len;
	}
	memcpy(blk + (strings - sp), a->buf, a->len);
	memcpy(blk + (strings - sp) + a->len, execfn, execfn_len);
	memcpy(blk + (random - sp), rnd, sizeof(rnd));

	for (uint64_t off = 0; off < blk_len;) {
		uint64_t va = sp + off;
		size_t n = MIN(blk_len - off, PAGE_SIZE - va % PAGE_SIZE);
		char *kp = vm_populate_page(mm, va);
		if (!kp) {
			kfree(blk);
			return -ENOMEM;
		}
		memcpy(kp + va % PAGE_SIZE, blk + off, n);
		off += n;
	}
	kfree(blk);
	mm->arg_start = strings;
	mm->arg_end = mm->env_start = strings + arg_len;
	mm->env_end = strings + a->len;
	return sp;
}

static void set_comm(const char *path)
{
	const char *base = strrchr(path, '/');
	strlcpy(current->comm, base ? base + 1 : path, sizeof(current->comm));
}

/*
 * The program's file for execveat: path relative to dirfd, or with
 * AT_EMPTY_PATH and an empty path the file dirfd itself is open on (musl's
 * fexecve); AT_SYMLINK_NOFOLLOW makes a symlink fail with ELOOP.
 */
static struct file *open_exec_at(int dirfd, const char *path, int flags)
{
	if (!*path && dirfd == AT_FDCWD)
		return ERR_PTR(-EACCES); /* the working directory */
	if (!*path) {
		struct file *df = fd_get(dirfd);
		if (!df)
			return ERR_PTR(-EBADF);
		struct inode *ino = inode_get(df->inode);
		struct file *f = S_ISREG(ino->mode) ? vfs_open_inode(ino, O_RDONLY) : ERR_PTR(-EACCES);
		inode_put(ino);
		if (!IS_ERR(f))
			file_copy_name(f, df);
		file_put(df);
		return f;
	}
	return vfs_open_at(dirfd, path, O_RDONLY | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0);
}

/*
 * exec's name for a program found through a descriptor, as Linux's:
 * "/dev/fd/N" for the descriptor itself, "/dev/fd/N/path" for a relative
 * path below it; it is what a #! interpreter is given and AT_EXECFN.
 */
static char *exec_name_at(int dirfd, char *path)
{
	if (dirfd == AT_FDCWD || path[0] == '/')
		return path;
	char *n = kmalloc(strlen(path) + 32);
	if (n)
		snprintf(n, strlen(path) + 32, *path ? "/dev/fd/%d/%s" : "/dev/fd/%d", dirfd, path);
	return n;
}

static int do_execve(int dirfd, char *path, int flags, struct argbuf *a)
{
	struct file *f = NULL, *interp_f = NULL;
	struct elf64_phdr *ph = NULL, *iph = NULL;
	struct mm *mm = NULL;
	char *interp_path = NULL, *name;
	int r;
	char execfn[256];

	/* A script found through a close-on-exec descriptor cannot be
	 * handed to its interpreter by name: Linux fails it with ENOENT. */
	bool name_gone = dirfd != AT_FDCWD && path[0] != '/' && fd_get_cloexec(dirfd) == 1;
	if (!(name = exec_name_at(dirfd, path))) {
		kfree(path);
		return -ENOMEM;
	}
	strlcpy(execfn, name, sizeof(execfn));
	for (int depth = 0;; depth++) {
		f = depth ? vfs_open_kernel(path, O_RDONLY, 0) : open_exec_at(dirfd, path, flags);
		if (IS_ERR(f)) {
			r = PTR_ERR(f);
			f = NULL;
			goto out;
		}
		if ((r = check_exec_permission(f)))
			goto out;
		char hdr[256];
		ssize_t n = kernel_read(f, hdr, sizeof(hdr) - 1, 0);
		if (n < 0) {
			r = n;
			goto out;
		}
		hdr[n] = 0;
		if (n < 2 || hdr[0] != '#' || hdr[1] != '!')
			break;
		/* #!interpreter [one optional argument] */
		if (depth >= 4) {
			r = -ELOOP;
			goto out;
		}
		char *nl = strchr(hdr, '\n');
		if (!nl && n == sizeof(hdr) - 1) {
			r = -ENOEXEC;
			goto out;
		}
		if (nl)
			*nl = 0;
		char *p = hdr + 2;
		while (*p == ' ' || *p == '\t')
			p++;
		char *interp = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		char *arg = NULL;
		if (*p) {
			*p++ = 0;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p) {
				arg = p;
				char *e = arg + strlen(arg);
				while (e > arg && (e[-1] == ' ' || e[-1] == '\t'))
					*--e = 0;
			}
		}
		if (!*interp) {
			r = -ENOEXEC;
			goto out;
		}
		if (depth == 0 && name_gone) {
			r = -ENOENT;
			goto out;
		}
		/* argv becomes: interp [arg] path argv[1..] */
		if (a->argc > 0)
			argbuf_shift(a);
		if ((r = argbuf_prepend(a, depth ? path : name)) ||
		    (arg && (r = argbuf_prepend(a, arg))) || (r = argbuf_prepend(a, interp)))
			goto out;
		if (name != path)
			kfree(name);
		kfree(path);
		name = path = kstrdup(interp);
		dirfd = AT_FDCWD;
		file_put(f);
		f = NULL;
		if (!path) {
			r = -ENOMEM;
			goto out;
		}
	}

	struct elf64_ehdr eh, ieh;
	if ((r = read_headers(f, &eh, &ph)))
		goto out;
	for (int i = 0; i < eh.phnum; i++) {
		if (ph[i].type != PT_INTERP)
			continue;
		if (ph[i].filesz < 2 || ph[i].filesz > 256) {
			r = -ENOEXEC;
			goto out;
		}
		interp_path = kzalloc(ph[i].filesz + 1);
		if (!interp_path) {
			r = -ENOMEM;
			goto out;
		}
		if (kernel_read(f, interp_path, ph[i].filesz, ph[i].offset) != (ssize_t)ph[i].filesz) {
			r = -ENOEXEC;
			goto out;
		}
	}

	mm = mm_new();
	if (!mm) {
		r = -ENOMEM;
		goto out;
	}
	file_get(f); /* for /proc/<pid>/exe, named as it was opened */
	mm->exe_file = f;
	struct loaded prog, interp_l;
	uint64_t bias = eh.type == ET_DYN ? PIE_BASE : 0;
	if ((r = load_elf(mm, f, &eh, ph, bias, VMA_EXE, &prog)))
		goto out;
	if (interp_path) {
		interp_f = vfs_open_kernel(interp_path, O_RDONLY, 0);
		if (IS_ERR(interp_f)) {
			r = PTR_ERR(interp_f);
			interp_f = NULL;
			goto out;
		}
		if ((r = read_headers(interp_f, &ieh, &iph)) ||
		    (r = load_elf(mm, interp_f, &ieh, iph, ieh.type == ET_DYN ? INTERP_BASE : 0, 0, &interp_l)))
			goto out;
	}
	mm->brk_start = mm->brk = ALIGN_UP(prog.brk, PAGE_SIZE);
	int64_t sp = setup_stack(mm, a, execfn, &prog, interp_path ? &interp_l : NULL);
	if (sp < 0) {
		r = sp;
		goto out;
	}

	/* Point of no return. */
	exec_kill_other_threads();
	struct task *t = current;
	posix_timers_exec(t);
	struct mm *old = t->mm;
	irq_push_off();
	t->mm = mm;
	mm_activate(mm);
	irq_pop_off();
	mm = NULL;
	if (old)
		mm_put(old);
	vfork_release(t);
	files_close_on_exec(t->files);
	/* Handled signals go back to the default; ignored ones stay ignored. */
	if (t->sighand->refcount > 1) {
		struct sighand *s = kmalloc(sizeof(*s));
		if (s) {
			memcpy(s->action, t->sighand->action, sizeof(s->action));
			spin_init(&s->lock, "sighand");
			s->refcount = 1;
			__atomic_sub_fetch(&t->sighand->refcount, 1, __ATOMIC_ACQ_REL);
			t->sighand = s;
		}
	}
	for (int s = 1; s <= NSIG; s++) {
		struct k_sigaction *ka = &t->sighand->action[s];
		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->mask = 0;
		ka->restorer = 0;
	}
	t->sas_sp = t->sas_size = 0;
	t->fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	t->clear_child_tid = 0;
	set_comm(execfn);
	fpu_init_state(t->fpu);
	fpu_restore(t->fpu);

	struct trap_frame *tf = t->frame;
	memset(tf, 0, sizeof(*tf));
	tf->rip = interp_path ? interp_l.entry : prog.entry;
	tf->rsp = sp;
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	tf->rflags = 0x202;
	tf->vector = 0;
	r = 0;
out:
	if (mm)
		mm_put(mm);
	if (f)
		file_put(f);
	if (interp_f)
		file_put(interp_f);
	kfree(ph);
	kfree(iph);
	kfree(interp_path);
	if (name != path)
		kfree(name);
	kfree(path);
	return r;
}

/* Start a program from the kernel (init). */
int kernel_execve(const char *path, const char *const argv[], const char *const envp[])
{
	struct argbuf a = { 0 };
	int r = 0;
	for (int i = 0; argv[i] && !r; i++, a.argc++)
		r = argbuf_add(&a, argv[i], strlen(argv[i]));
	for (int i = 0; envp[i] && !r; i++, a.envc++)
		r = argbuf_add(&a, envp[i], strlen(envp[i]));
	char *p = kstrdup(path);
	if (!r && !p)
		r = -ENOMEM;
	if (!r)
		r = do_execve(AT_FDCWD, p, 0, &a);
	else
		kfree(p);
	kfree(a.buf);
	return r;
}

long sys_execveat(int dirfd, const char *upath, const char *const *uargv,
                  const char *const *uenvp, int flags)
{
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	char *path = user_path(upath, flags & AT_EMPTY_PATH);
	if (IS_ERR(path))
		return PTR_ERR(path);
	struct argbuf a = { 0 };
	int r = copy_strings(&a, uargv, &a.argc);
	int envc = 0;
	if (!r)
		r = copy_strings(&a, uenvp, &envc);
	a.envc = envc;
	if (r) {
		kfree(path);
		kfree(a.buf);
		return r;
	}
	r = do_execve(dirfd, path, flags, &a); /* consumes path */
	kfree(a.buf);
	return r;
}

long sys_execve(const char *upath, const char *const *uargv, const char *const *uenvp)
{
	return sys_execveat(AT_FDCWD, upath, uargv, uenvp, 0);
}
