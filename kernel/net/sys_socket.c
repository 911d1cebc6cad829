/*
 * kernel/net/sys_socket.c - the socket system calls.
 *
 * Everything user-facing happens here: addresses are copied into a
 * struct sockaddr_storage (EINVAL beyond 128 bytes), data is gathered
 * from / scattered to the user's iovec through a kernel buffer, and
 * SCM_RIGHTS control messages are turned into file references on send
 * and back into new descriptors on receive. The families see only kernel
 * memory (net/socket.h).
 *
 * Stream sockets move data in chunks of at most SOCK_CHUNK bytes: a send
 * loops until everything is queued (or the socket would block and some
 * was sent); a receive returns after the first chunk unless more is
 * already there (or MSG_WAITALL). A stream family may copy received data
 * to the user's iovec itself (sock_msg.ucopy, iter_ucopy: TCP copies
 * from its receive ring), which saves the copy through the kernel buffer:
 * under emulation each copy of a bulk download cost about as much as the
 * rest of the receive path. Datagrams are one buffer of at most
 * SOCK_DGRAM_MAX bytes each way. Sending, a stream family may likewise
 * copy from the user's iovec into its own buffer (send_ucopy,
 * sock_msg.ufetch: TCP into its send ring), one copy less for uploads;
 * write(2) on a socket takes the same path (file_ops.write_user).
 */
#include "net/socket.h"
#include "mm.h"
#include "signal.h"
#include "task.h"
#include "uaccess.h"

#define SOCK_CHUNK (64 * 1024)
#define SOCK_DGRAM_MAX (256 * 1024)
#define OPTMEM_MAX 20480   /* Linux's net.core.optmem_max: control data */
#define UIO_MAXIOV 1024

struct user_msghdr {
	void *msg_name;
	int msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	int msg_flags;
};

struct cmsghdr {
	size_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
};
#define CMSG_ALIGN(n) ALIGN_UP((size_t)(n), sizeof(size_t))
#define CMSG_HDR CMSG_ALIGN(sizeof(struct cmsghdr))

static struct files_struct *files(void)
{
	return current->files;
}

/* The socket behind fd with a file reference in *fp. */
static struct socket *sock_get(int fd, struct file **fp, long *err)
{
	struct file *f = fd_get(fd);
	*err = -EBADF;
	if (!f)
		return NULL;
	struct socket *s = sock_from_file(f);
	if (!s) {
		file_put(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	*fp = f;
	return s;
}

static int addr_from_user(const void *uaddr, int len,
                          struct sockaddr_storage *a)
{
	if (len < 0 || (size_t)len > sizeof(*a))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	if (len && copy_from_user(a, uaddr, (size_t)len))
		return -EFAULT;
	return 0;
}

/* Copy an address out: at most *ulen bytes, and the real length to ulen. */
static int addr_to_user(const struct sockaddr_storage *a, int len,
                        void *uaddr, int *ulenp)
{
	int ulen;
	if (copy_from_user(&ulen, ulenp, sizeof(ulen)))
		return -EFAULT;
	if (ulen < 0)
		return -EINVAL;
	size_t n = MIN((size_t)ulen, (size_t)len);
	if (n && copy_to_user(uaddr, a, n))
		return -EFAULT;
	return copy_to_user(ulenp, &len, sizeof(len));
}

static int install(struct file *f, bool cloexec)
{
	int fd = fd_install(files(), f, 0, cloexec);
	file_put(f);
	return fd;
}

#define SOCK_MAX 11  /* Linux: types from here on are EINVAL */

long sys_socket(int family, int type, int protocol)
{
	if ((type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) ||
	    (type & SOCK_TYPE_MASK) >= SOCK_MAX)
		return -EINVAL;
	long err;
	struct file *f = sock_create_file(family, type & SOCK_TYPE_MASK, protocol,
	                                  (unsigned)type & SOCK_NONBLOCK, &err);
	if (!f)
		return err;
	return install(f, type & SOCK_CLOEXEC);
}

long sys_socketpair(int family, int type, int protocol, int *usv)
{
	if ((type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) ||
	    (type & SOCK_TYPE_MASK) >= SOCK_MAX)
		return -EINVAL;
	if (!user_range_ok((uint64_t)usv, 2 * sizeof(int)))
		return -EFAULT;
	long err;
	unsigned fl = (unsigned)type & SOCK_NONBLOCK;
	int t = type & SOCK_TYPE_MASK;
	struct file *a = sock_create_file(family, t, protocol, fl, &err);
	if (!a)
		return err;
	struct file *b = sock_create_file(family, t, protocol, fl, &err);
	if (!b) {
		file_put(a);
		return err;
	}
	struct socket *sa = sock_from_file(a), *sb = sock_from_file(b);
	err = sa->ops->socketpair ? sa->ops->socketpair(sa, sb) : -EOPNOTSUPP;
	if (err) {
		file_put(a);
		file_put(b);
		return err;
	}
	bool cloexec = type & SOCK_CLOEXEC;
	int fds[2];
	fds[0] = install(a, cloexec);
	if (fds[0] < 0) {
		file_put(b);
		return fds[0];
	}
	fds[1] = install(b, cloexec);
	if (fds[1] < 0) {
		fd_close(fds[0]);
		return fds[1];
	}
	if (copy_to_user(usv, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_bind(int fd, const void *uaddr, int len)
{
	struct sockaddr_storage a;
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	err = addr_from_user(uaddr, len, &a);
	if (!err)
		err = s->ops->bind ? s->ops->bind(s, &a, len) : -EOPNOTSUPP;
	file_put(f);
	return err;
}

long sys_connect(int fd, const void *uaddr, int len)
{
	struct sockaddr_storage a;
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	err = addr_from_user(uaddr, len, &a);
	if (!err)
		err = s->ops->connect ? s->ops->connect(s, &a, len, f->flags & O_NONBLOCK)
		                      : -EOPNOTSUPP;
	file_put(f);
	return err;
}

long sys_listen(int fd, int backlog)
{
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	if (backlog < 0 || backlog > 4096)
		backlog = 4096;   /* Linux: clamped to somaxconn */
	err = s->ops->listen ? s->ops->listen(s, backlog) : -EOPNOTSUPP;
	file_put(f);
	return err;
}

long sys_accept4(int fd, void *uaddr, int *ulen, int flags)
{
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	if (!s->ops->accept) {
		file_put(f);
		return -EOPNOTSUPP;
	}
	struct file *nf = sock_alloc_like(s, (unsigned)flags & SOCK_NONBLOCK);
	if (!nf) {
		file_put(f);
		return -ENOMEM;
	}
	struct socket *ns = sock_from_file(nf);
	err = s->ops->accept(s, ns, f->flags & O_NONBLOCK);
	file_put(f);
	if (err) {
		file_put(nf);   /* ns->sk is NULL: release does nothing */
		return err;
	}
	if (uaddr) {
		struct sockaddr_storage a;
		int alen = sizeof(a);
		memset(&a, 0, sizeof(a));
		if (ns->ops->getname(ns, &a, &alen, true) < 0)
			alen = 0;
		err = addr_to_user(&a, alen, uaddr, ulen);
		if (err) {
			file_put(nf);
			return err;
		}
	}
	return install(nf, flags & SOCK_CLOEXEC);
}

long sys_accept(int fd, void *uaddr, int *ulen)
{
	return sys_accept4(fd, uaddr, ulen, 0);
}

static long do_getname(int fd, void *uaddr, int *ulen, bool peer)
{
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	struct sockaddr_storage a;
	int alen = sizeof(a);
	memset(&a, 0, sizeof(a));
	err = s->ops->getname ? s->ops->getname(s, &a, &alen, peer) : -EOPNOTSUPP;
	if (!err)
		err = addr_to_user(&a, alen, uaddr, ulen);
	file_put(f);
	return err;
}

long sys_getsockname(int fd, void *uaddr, int *ulen)
{
	return do_getname(fd, uaddr, ulen, false);
}

long sys_getpeername(int fd, void *uaddr, int *ulen)
{
	return do_getname(fd, uaddr, ulen, true);
}

long sys_shutdown(int fd, int how)
{
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	if (how < SHUT_RD || how > SHUT_RDWR)
		err = -EINVAL;
	else
		err = s->ops->shutdown ? s->ops->shutdown(s, how) : -EOPNOTSUPP;
	file_put(f);
	return err;
}

long sys_setsockopt(int fd, int level, int name, const void *uval, int len)
{
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	char kval[256];
	err = -EINVAL;
	if (len < 0)
		goto out;
	size_t n = MIN((size_t)len, sizeof(kval));
	memset(kval, 0, sizeof(kval));
	err = -EFAULT;
	if (n && copy_from_user(kval, uval, n))
		goto out;
	err = sock_setsockopt(s, level, name, kval, (unsigned)n);
out:
	file_put(f);
	return err;
}

long sys_getsockopt(int fd, int level, int name, void *uval, int *ulen)
{
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	int len;
	char kval[256];
	err = -EFAULT;
	if (copy_from_user(&len, ulen, sizeof(len)))
		goto out;
	err = -EINVAL;
	if (len < 0)
		goto out;
	unsigned n = (unsigned)MIN((size_t)len, sizeof(kval));
	memset(kval, 0, sizeof(kval));
	err = sock_getsockopt(s, level, name, kval, &n);
	if (err)
		goto out;
	err = -EFAULT;
	if ((n && copy_to_user(uval, kval, n)) ||
	    copy_to_user(ulen, &n, sizeof(int)))
		goto out;
	err = 0;
out:
	file_put(f);
	return err;
}

/* ---- data ---- */

/* An iovec being walked: where the next byte goes / comes from. */
struct iov_iter {
	struct iovec *iov;
	size_t cnt, idx, off, left;
};

static int iter_init(struct iov_iter *it, struct iovec *iov, size_t cnt)
{
	it->iov = iov;
	it->cnt = cnt;
	it->idx = it->off = it->left = 0;
	for (size_t i = 0; i < cnt; i++) {
		if ((ssize_t)iov[i].iov_len < 0 ||
		    __builtin_add_overflow(it->left, iov[i].iov_len, &it->left) ||
		    (ssize_t)it->left < 0)
			return -EINVAL;
		if (!user_range_ok((uint64_t)iov[i].iov_base, iov[i].iov_len))
			return -EFAULT;
	}
	return 0;
}

/* Copy n bytes between the iterator and buf, advancing it. */
static int iter_copy(struct iov_iter *it, void *buf, size_t n, bool to_user)
{
	char *k = buf;
	while (n) {
		struct iovec *v = &it->iov[it->idx];
		size_t c = MIN(n, v->iov_len - it->off);
		char *u = (char *)v->iov_base + it->off;
		if (c && (to_user ? copy_to_user(u, k, c) : copy_from_user(k, u, c)))
			return -EFAULT;
		k += c;
		n -= c;
		it->off += c;
		it->left -= c;
		if (it->off == v->iov_len) {
			it->idx++;
			it->off = 0;
		}
	}
	return 0;
}

/* Decode the user's control messages: SCM_RIGHTS into file references. */
static int control_from_user(const void *uctl, size_t len, struct sock_msg *m)
{
	if (!len)
		return 0;
	if (len > OPTMEM_MAX)
		return -ENOBUFS;
	char *ctl = kmalloc(len);
	if (!ctl)
		return -ENOMEM;
	int err = -EFAULT;
	if (copy_from_user(ctl, uctl, len))
		goto out;
	for (size_t off = 0; off + sizeof(struct cmsghdr) <= len;) {
		struct cmsghdr *c = (struct cmsghdr *)(ctl + off);
		err = -EINVAL;
		if (c->cmsg_len < sizeof(struct cmsghdr) || c->cmsg_len > len - off)
			goto out;
		size_t dlen = c->cmsg_len - CMSG_HDR;
		if (c->cmsg_level != SOL_SOCKET)
			goto out;
		if (c->cmsg_type == SCM_RIGHTS) {
			int n = (int)(dlen / sizeof(int));
			if (m->fds || n <= 0 || n > SCM_MAX_FD)
				goto out;
			m->fds = kzalloc(sizeof(struct file *) * (size_t)n);
			err = -ENOMEM;
			if (!m->fds)
				goto out;
			const int *fdv = (const int *)(ctl + off + CMSG_HDR);
			for (int i = 0; i < n; i++) {
				m->fds[i] = fd_get(fdv[i]);
				err = -EBADF;
				if (!m->fds[i])
					goto out;
				m->nfds++;
			}
		} else if (c->cmsg_type != SCM_CREDENTIALS) {
			goto out;  /* credentials are accepted and not passed on */
		}
		off += CMSG_ALIGN(c->cmsg_len);
	}
	err = 0;
out:
	kfree(ctl);
	return err;
}

static void put_fds(struct file **fds, int n)
{
	for (int i = 0; i < n; i++)
		file_put(fds[i]);
	kfree(fds);
}

/* Install received files and write the SCM_RIGHTS message; files that do
 * not fit (MSG_CTRUNC) or cannot be installed are closed. Returns the
 * control length used. */
static long control_to_user(struct sock_msg *m, void *uctl, size_t ulen,
                            bool cloexec)
{
	if (!m->nfds)
		return 0;
	size_t room = ulen > CMSG_HDR ? (ulen - CMSG_HDR) / sizeof(int) : 0;
	int n = (int)MIN(room, (size_t)m->nfds);
	if (n < m->nfds)
		m->msg_flags |= MSG_CTRUNC;
	long used = 0;
	if (n > 0) {
		int *fdv = kmalloc(sizeof(int) * (size_t)n);
		int got = 0;
		if (fdv) {
			for (; got < n; got++) {
				int fd = fd_install(files(), m->fds[got], 0, cloexec);
				if (fd < 0)
					break;
				fdv[got] = fd;
			}
		}
		if (got < n)
			m->msg_flags |= MSG_CTRUNC;
		if (got > 0) {
			struct cmsghdr c = { CMSG_HDR + sizeof(int) * (size_t)got,
			                     SOL_SOCKET, SCM_RIGHTS };
			if (copy_to_user(uctl, &c, sizeof(c)) ||
			    copy_to_user((char *)uctl + CMSG_HDR, fdv,
			                 sizeof(int) * (size_t)got))
				used = -EFAULT;
			else
				used = (long)c.cmsg_len;
		}
		kfree(fdv);
	}
	put_fds(m->fds, m->nfds);
	m->fds = NULL;
	m->nfds = 0;
	return used;
}

static bool is_stream(struct socket *s)
{
	return s->type == SOCK_STREAM;
}

static int iter_ufetch(void *it, void *k, size_t n)
{
	return iter_copy(it, k, n, false);
}

/* A stream send whose family copies from the user itself (send_ucopy):
 * one call with all of it, no kernel buffer in between. */
static long send_direct(struct socket *s, struct iov_iter *it,
                        struct sock_msg *m, int flags)
{
	m->buf = NULL;
	m->len = it->left;
	m->ufetch = iter_ufetch;
	m->uit = it;
	ssize_t r = s->ops->sendmsg(s, m, flags);
	if (r == -EPIPE && !(flags & MSG_NOSIGNAL))
		send_signal(current, SIGPIPE, NULL);
	return r;
}

static long do_send(struct socket *s, struct file *f, struct iov_iter *it,
                    struct sock_msg *m, int flags)
{
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;   /* no urgent data (kernel/net/README.md) */
	if (f->flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	size_t total = it->left;
	if (is_stream(s) && s->ops->send_ucopy && !m->fds)
		return send_direct(s, it, m, flags);
	size_t cap = is_stream(s) ? MIN(total, (size_t)SOCK_CHUNK)
	                          : MIN(total, (size_t)SOCK_DGRAM_MAX + 1);
	char *kbuf = kmalloc(cap ? cap : 1);
	if (!kbuf)
		return -ENOMEM;
	size_t done = 0;
	long err = 0;
	do {
		size_t n = MIN(it->left, cap);
		if (!is_stream(s) && total > SOCK_DGRAM_MAX) {
			err = -EMSGSIZE;
			break;
		}
		if (iter_copy(it, kbuf, n, false)) {
			err = -EFAULT;
			break;
		}
		m->buf = kbuf;
		m->len = n;
		ssize_t r = s->ops->sendmsg(s, m, flags);
		/* Address and rights go with the first piece only. */
		if (m->fds)
			put_fds(m->fds, m->nfds);
		m->fds = NULL;
		m->nfds = 0;
		m->addr = NULL;
		m->addrlen = 0;
		if (r < 0) {
			err = r;
			break;
		}
		done += (size_t)r;
		if ((size_t)r < n)
			break;
	} while (it->left);
	kfree(kbuf);
	if (m->fds)
		put_fds(m->fds, m->nfds);
	if (err == -EPIPE && !(flags & MSG_NOSIGNAL) && !done)
		send_signal(current, SIGPIPE, NULL);
	return done ? (long)done : err;
}

static int iter_ucopy(void *it, const void *k, size_t n)
{
	return iter_copy(it, (void *)k, n, true);
}

/* once: a single call of the family (read(2)). Streams otherwise take
 * more if it is already there; those further calls carry MSG_KEEPERR so
 * that an error the family reports only once (AF_UNIX's ECONNRESET after
 * the peer's last data, TCP's error after data) waits for the next call
 * instead of being swallowed behind the data returned now. */
static long do_recv(struct socket *s, struct file *f, struct iov_iter *it,
                    struct sock_msg *m, int flags, bool once)
{
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;   /* no urgent data (kernel/net/README.md) */
	flags &= ~MSG_KEEPERR;
	if (f->flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	size_t total = it->left;
	size_t cap = is_stream(s) ? MIN(total, (size_t)SOCK_CHUNK)
	                          : MIN(total, (size_t)SOCK_DGRAM_MAX);
	bool direct = is_stream(s) && s->ops->recv_ucopy;
	char *kbuf = direct ? NULL : kmalloc(cap ? cap : 1);
	if (!kbuf && !direct)
		return -ENOMEM;
	size_t done = 0;
	long err = 0;
	m->ucopy = direct ? iter_ucopy : NULL;
	m->uit = it;
	for (;;) {
		m->buf = kbuf;
		m->len = MIN(it->left, cap);
		m->ucopied = false;
		ssize_t r = s->ops->recvmsg(s, m, flags);
		if (r < 0) {
			err = r;
			break;
		}
		/* A datagram longer than the buffer: MSG_TRUNC says so and
		 * r is its real length (MSG_TRUNC asked for it). */
		size_t copy = MIN((size_t)r, m->len);
		if (!m->ucopied && iter_copy(it, kbuf, copy, true)) {
			err = -EFAULT;
			break;
		}
		if (!is_stream(s))
			return kfree(kbuf), r;
		done += copy;
		if (once || r == 0 || !it->left || (flags & MSG_PEEK) || m->nfds)
			break;
		/* More only if it is there already, unless MSG_WAITALL. */
		if (!(flags & MSG_WAITALL))
			flags |= MSG_DONTWAIT;
		flags |= MSG_KEEPERR;
	}
	kfree(kbuf);
	if (done && (err == -EAGAIN || err == -ERESTARTSYS || err == -EINTR))
		err = 0;
	return done ? (long)done : err;
}

/* writev(2) on a socket, f: one sendmsg(2) without flags over the whole
 * iovec, so a datagram socket sends one datagram (file_ops.writev_user);
 * write(2) is the one-entry case. */
ssize_t sock_writev_user(struct file *f, const struct iovec *iov, int cnt)
{
	struct socket *s = f->priv;
	struct sock_msg m = { 0 };
	struct iov_iter it;
	long err = iter_init(&it, (struct iovec *)iov, (size_t)cnt);
	if (!err)
		err = do_send(s, f, &it, &m, 0);
	return err;
}

ssize_t sock_write_user(struct file *f, const void *ubuf, size_t len)
{
	struct iovec v = { (void *)ubuf, len };
	return sock_writev_user(f, &v, 1);
}

long sys_sendto(int fd, const void *ubuf, size_t len, int flags,
                const void *uaddr, int alen)
{
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	struct sockaddr_storage a;
	struct sock_msg m = { 0 };
	struct iovec v = { (void *)ubuf, len };
	struct iov_iter it;
	err = iter_init(&it, &v, 1);
	if (!err && uaddr) {
		err = addr_from_user(uaddr, alen, &a);
		m.addr = &a;
		m.addrlen = alen;
	}
	if (!err)
		err = do_send(s, f, &it, &m, flags);
	file_put(f);
	return err;
}

/* read(2) on a socket, f: recv(2) without flags (file_ops.read_user),
 * so that stream data can go straight to the user's buffer
 * (sock_msg.ucopy) instead of through two kernel buffers. */
ssize_t sock_readv_user(struct file *f, const struct iovec *iov, int cnt)
{
	struct socket *s = f->priv;
	struct sock_msg m = { 0 };
	struct iov_iter it;
	long err = iter_init(&it, (struct iovec *)iov, (size_t)cnt);
	if (!err)
		err = do_recv(s, f, &it, &m, 0, true);
	if (m.fds)
		put_fds(m.fds, m.nfds);
	return err;
}

ssize_t sock_read_user(struct file *f, void *ubuf, size_t len)
{
	struct iovec v = { ubuf, len };
	return sock_readv_user(f, &v, 1);
}

long sys_recvfrom(int fd, void *ubuf, size_t len, int flags, void *uaddr,
                  int *ulen)
{
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	struct sockaddr_storage a;
	memset(&a, 0, sizeof(a));
	struct sock_msg m = { .addr = &a };
	struct iovec v = { ubuf, len };
	struct iov_iter it;
	err = iter_init(&it, &v, 1);
	if (!err)
		err = do_recv(s, f, &it, &m, flags, false);
	if (m.fds)
		put_fds(m.fds, m.nfds);
	if (err >= 0 && uaddr) {
		long e = addr_to_user(&a, m.addrlen, uaddr, ulen);
		if (e)
			err = e;
	}
	file_put(f);
	return err;
}

/* Copy in a msghdr and its iovec (kfree'd by the caller). */
static long get_msghdr(const struct user_msghdr *umsg, struct user_msghdr *h,
                       struct iovec **iov, struct iov_iter *it)
{
	if (copy_from_user(h, umsg, sizeof(*h)))
		return -EFAULT;
	if (h->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	*iov = kmalloc(sizeof(struct iovec) * (h->msg_iovlen ? h->msg_iovlen : 1));
	if (!*iov)
		return -ENOMEM;
	if (copy_from_user(*iov, h->msg_iov, sizeof(struct iovec) * h->msg_iovlen))
		return -EFAULT;
	return iter_init(it, *iov, h->msg_iovlen);
}

long sys_sendmsg(int fd, const struct user_msghdr *umsg, int flags)
{
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	struct user_msghdr h;
	struct iovec *iov = NULL;
	struct iov_iter it;
	struct sockaddr_storage a;
	struct sock_msg m = { 0 };
	err = get_msghdr(umsg, &h, &iov, &it);
	if (!err && h.msg_name) {
		err = addr_from_user(h.msg_name, h.msg_namelen, &a);
		m.addr = &a;
		m.addrlen = h.msg_namelen;
	}
	if (!err)
		err = control_from_user(h.msg_control, h.msg_controllen, &m);
	if (!err)
		err = do_send(s, f, &it, &m, flags);
	else if (m.fds)
		put_fds(m.fds, m.nfds);
	kfree(iov);
	file_put(f);
	return err;
}

long sys_recvmsg(int fd, struct user_msghdr *umsg, int flags)
{
	struct file *f;
	long err;
	struct socket *s = sock_get(fd, &f, &err);
	if (!s)
		return err;
	struct user_msghdr h;
	struct iovec *iov = NULL;
	struct iov_iter it;
	struct sockaddr_storage a;
	memset(&a, 0, sizeof(a));
	struct sock_msg m = { .addr = &a };
	err = get_msghdr(umsg, &h, &iov, &it);
	if (err)
		goto out;
	m.want_fds = h.msg_control && h.msg_controllen;
	err = do_recv(s, f, &it, &m, flags, false);
	if (err < 0) {
		if (m.fds)
			put_fds(m.fds, m.nfds);
		goto out;
	}
	long cl = control_to_user(&m, h.msg_control, h.msg_controllen,
	                          flags & MSG_CMSG_CLOEXEC);
	if (cl < 0) {
		err = cl;
		goto out;
	}
	size_t ctllen = (size_t)cl;
	int nlen = h.msg_name ? MIN(m.addrlen, h.msg_namelen) : 0;
	if (nlen < 0)
		nlen = 0;
	if ((nlen && copy_to_user(h.msg_name, &a, (size_t)nlen)) ||
	    copy_to_user(&umsg->msg_namelen, &m.addrlen, sizeof(int)) ||
	    copy_to_user(&umsg->msg_controllen, &ctllen, sizeof(ctllen)) ||
	    copy_to_user(&umsg->msg_flags, &m.msg_flags, sizeof(int)))
		err = -EFAULT;
out:
	kfree(iov);
	file_put(f);
	return err;
}
