/*
 * kernel/net/af_unix.c - AF_UNIX sockets: creation, names, connections,
 * shutdown, close and readiness. Data transfer is in unix_io.c.
 *
 * Names. A path name is an S_IFSOCK node made in the file system by bind
 * (EADDRINUSE if the name exists); the bound socket keeps a reference to
 * that inode, and connect/sendto find the socket by looking the path up
 * and comparing inodes, so renaming or hard-linking the node works as on
 * Linux and unlinking it makes the name unreachable. A name starting with
 * a NUL byte is Linux's abstract namespace (compared as bytes); binding
 * with just the family autobinds an abstract name of five hex digits.
 *
 * Connections (stream). connect() to a listener makes an "embryo" socket
 * already connected to the client and queues it on the listener; the
 * client can send at once. accept() takes an embryo and attaches it to
 * the new socket. A full backlog makes connect wait (EAGAIN if
 * non-blocking).
 *
 * Close. The peer sees end of file (both directions shut down); if the
 * closed socket had unread data, the peer's next read after its own data
 * reports ECONNRESET once, as on Linux. Files passed in messages that
 * were never received are closed with the queue. Sockets that only
 * in-flight descriptors keep open (a socket's own descriptor in its own
 * queue, two in each other's) are found by the collector in unix_gc.c,
 * which runs after every close while descriptors are in flight.
 */
#include "af_unix.h"
#include "mm.h"
#include "poll.h"
#include "random.h"
#include "task.h"
#include "uaccess.h"

mutex_t unix_lock;
wait_queue_t unix_dgram_wait;
static struct unix_sock *bound_list;

/*
 * Freeing a message puts the files it carries; the last put of a socket
 * purges that socket's queue, whose messages carry more files: a chain of
 * sockets, each in the previous one's queue, would nest one release per
 * link and overrun the kernel stack (100 links did). So messages with
 * files go through free_list, emptied in a loop by the one caller that
 * found nobody at it: a free nested inside it (or made meanwhile by
 * another task) only adds to the list. Messages without files are freed
 * at once: unix_io.c frees those with unix_lock held, which a put must
 * not be.
 */
static spinlock_t free_lock = SPINLOCK_INIT("unix_free");
static struct unix_msg *free_list;
static bool freeing;

void unix_msg_free(struct unix_msg *m)
{
	if (!m->nfds) {
		kfree(m->fds);
		kfree(m);
		return;
	}
	spin_lock(&free_lock);
	m->next = free_list;
	free_list = m;
	if (freeing) {
		spin_unlock(&free_lock);
		return;
	}
	freeing = true;
	while ((m = free_list)) {
		free_list = m->next;
		spin_unlock(&free_lock);
		for (int i = 0; i < m->nfds; i++)
			file_put(m->fds[i]);
		kfree(m->fds);
		kfree(m);
		spin_lock(&free_lock);
	}
	freeing = false;
	spin_unlock(&free_lock);
}

struct unix_msg *unix_queue_take(struct unix_sock *u)
{
	struct unix_msg *head = u->rq_head;
	for (struct unix_msg *m = head; m; m = m->next)
		unix_inflight(m, -1);
	u->rq_head = u->rq_tail = NULL;
	u->rq_bytes = 0;
	u->rq_count = 0;
	return head;
}

void unix_msgs_free_unlocked(struct unix_msg *m)
{
	/* file_put may release another AF_UNIX socket, which takes
	 * unix_lock: free outside it. */
	mutex_unlock(&unix_lock);
	while (m) {
		struct unix_msg *n = m->next;
		unix_msg_free(m);
		m = n;
	}
	mutex_lock(&unix_lock);
}

static void purge_queue(struct unix_sock *u)
{
	unix_msgs_free_unlocked(unix_queue_take(u));
}

void unix_put(struct unix_sock *u)
{
	if (--u->refs == 0)
		kfree(u);
}

static struct unix_sock *unix_alloc(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u));
	if (!u)
		return NULL;
	u->refs = 1;
	u->type = type;
	u->sndbuf = u->rcvbuf = SOCK_DEFAULT_BUF;
	wait_queue_init(&u->wq, "unix");
	return u;
}

static void unbind(struct unix_sock *u)
{
	for (struct unix_sock **pp = &bound_list; *pp; pp = &(*pp)->bound_next) {
		if (*pp == u) {
			*pp = u->bound_next;
			break;
		}
	}
}

/* Close u (unix_lock held): tell the peer, drop queues and references. */
static void unix_release_sock(struct unix_sock *u, bool embryo)
{
	u->dead = true;
	u->state = US_UNCONNECTED;
	u->shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
	if (u->addrlen)
		unbind(u);  /* an embryo is not in the list: no-op */
	struct unix_sock *peer = u->peer;
	u->peer = NULL;
	if (peer && u->type == SOCK_STREAM) {
		peer->shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
		if (u->rq_head || embryo)
			peer->err = ECONNRESET;
	}
	if (peer)
		wake_up(&peer->wq);
	wake_up(&u->wq);
	wake_up(&unix_dgram_wait);
	/* Embryos never accepted: close them like their own sockets. */
	while (u->acq_head) {
		struct unix_sock *e = u->acq_head;
		u->acq_head = e->acq_next;
		unix_release_sock(e, true);
		unix_put(e);
	}
	u->acq_tail = NULL;
	purge_queue(u);
	struct inode *ino = u->ino;
	u->ino = NULL;
	if (peer)
		unix_put(peer);
	if (ino) {
		mutex_unlock(&unix_lock);
		inode_put(ino);
		mutex_lock(&unix_lock);
	}
}

static void unix_release(struct socket *s)
{
	struct unix_sock *u = s->sk;
	mutex_lock(&unix_lock);
	u->sock = NULL;
	unix_release_sock(u, false);
	unix_put(u);
	bool gc = unix_gc_wanted();
	mutex_unlock(&unix_lock);
	s->sk = NULL;
	/* This close may have left garbage: the socket could have been what
	 * kept a cycle of in-flight descriptors reachable (unix_gc.c). */
	if (gc)
		unix_gc();
}

/* ---- names ---- */

/* Check a sockaddr_un: returns the significant length (family + path up
 * to its NUL + 1, or family + abstract bytes), or -EINVAL. */
static int addr_check(const struct sockaddr_storage *a, int len)
{
	if (len < (int)sizeof(sa_family_t) || len > (int)sizeof(struct sockaddr_un) ||
	    a->ss_family != AF_UNIX)
		return -EINVAL;
	if (len == sizeof(sa_family_t))
		return len;
	const struct sockaddr_un *un = (const void *)a;
	if (un->sun_path[0] == 0)
		return len;  /* abstract: every byte counts */
	size_t n = strnlen(un->sun_path, (size_t)len - sizeof(sa_family_t));
	if (n >= UNIX_PATH_MAX)
		return -EINVAL;
	return (int)(sizeof(sa_family_t) + n + 1);
}

/* type 0: any. Linux looks abstract names up by (name, type), so a
 * connect to a name of the other type is ECONNREFUSED, not EPROTOTYPE. */
static struct unix_sock *find_abstract(const struct sockaddr_un *un, int len,
                                       int type)
{
	for (struct unix_sock *u = bound_list; u; u = u->bound_next)
		if (!u->ino && u->addrlen == len && (!type || u->type == type) &&
		    !memcmp(&u->addr, un, (size_t)len))
			return u;
	return NULL;
}

static struct unix_sock *find_inode(struct inode *ino)
{
	for (struct unix_sock *u = bound_list; u; u = u->bound_next)
		if (u->ino == ino)
			return u;
	return NULL;
}

int unix_find(const struct sockaddr_storage *a, int len, int type,
              struct unix_sock **res)
{
	len = addr_check(a, len);
	if (len < 0)
		return len;
	if (len == sizeof(sa_family_t))
		return -EINVAL;
	const struct sockaddr_un *un = (const void *)a;
	struct unix_sock *u;
	if (un->sun_path[0] == 0) {
		mutex_lock(&unix_lock);
		u = find_abstract(un, len, type);
	} else {
		struct inode *ino;
		int err = path_lookup(un->sun_path, LOOKUP_FOLLOW, &ino);
		if (err)
			return err;
		if ((ino->mode & S_IFMT) != S_IFSOCK) {
			inode_put(ino);
			return -ECONNREFUSED;
		}
		err = inode_permission(ino, MAY_WRITE);
		if (err) {
			inode_put(ino);
			return err;
		}
		mutex_lock(&unix_lock);
		u = find_inode(ino);
		inode_put(ino);
	}
	if (!u || u->dead) {
		mutex_unlock(&unix_lock);
		return -ECONNREFUSED;
	}
	if (u->type != type) {
		mutex_unlock(&unix_lock);
		return -EPROTOTYPE;
	}
	u->refs++;
	mutex_unlock(&unix_lock);
	*res = u;
	return 0;
}

/* Make the S_IFSOCK node for path; returns its inode (new reference). */
static int make_node(const char *path, struct inode **res)
{
	struct walk_last wl;
	int err = path_parent_at(AT_FDCWD, path, &wl);
	if (err)
		return err;
	struct inode *dir = wl.dir, *old = NULL;
	if (wl.kind || wl.trailing_slash) {
		err = wl.kind ? -EADDRINUSE : -ENOENT;
		goto out;
	}
	err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
	if (err)
		goto out;
	mode_t mode = S_IFSOCK | (0777 & ~fs_umask());
	mutex_lock(&vfs_ns_lock);
	err = dir->iops && dir->iops->lookup
	      ? dir->iops->lookup(dir, wl.name, wl.len, &old) : -ENOTDIR;
	if (!err) {
		inode_put(old);
		err = -EADDRINUSE;
	} else if (err == -ENOENT) {
		err = dir->iops->mknod ? dir->iops->mknod(dir, wl.name, wl.len, mode, 0)
		                       : -EPERM;
		if (!err)
			err = dir->iops->lookup(dir, wl.name, wl.len, res);
	}
	mutex_unlock(&vfs_ns_lock);
out:
	inode_put(dir);
	return err;
}

static int autobind(struct unix_sock *u)
{
	static const char hex[] = "0123456789abcdef";
	for (int tries = 0; tries < 1024; tries++) {
		uint32_t r;
		get_random_bytes(&r, sizeof(r));
		struct sockaddr_un un = { .sun_family = AF_UNIX };
		for (int i = 0; i < 5; i++)
			un.sun_path[1 + i] = hex[(r >> (4 * i)) & 15];
		int len = (int)sizeof(sa_family_t) + 6;
		if (!find_abstract(&un, len, 0)) {
			u->addr = un;
			u->addrlen = len;
			u->bound_next = bound_list;
			bound_list = u;
			return 0;
		}
	}
	return -EADDRINUSE;
}

static int unix_bind(struct socket *s, const struct sockaddr_storage *a, int len)
{
	struct unix_sock *u = s->sk;
	len = addr_check(a, len);
	if (len < 0)
		return len;
	const struct sockaddr_un *un = (const void *)a;
	struct inode *ino = NULL;
	/* As Linux, the node is made first: binding a bound socket to an
	 * existing path is EADDRINUSE. (A new path made for an already
	 * bound socket stays behind; Linux removes it.) */
	if (len > (int)sizeof(sa_family_t) && un->sun_path[0]) {
		int err = make_node(un->sun_path, &ino);
		if (err)
			return err;
	}
	mutex_lock(&unix_lock);
	int err = 0;
	if (u->addrlen) {
		err = -EINVAL;
	} else if (len == sizeof(sa_family_t)) {
		err = autobind(u);
	} else if (!ino && find_abstract(un, len, u->type)) {
		err = -EADDRINUSE;
	} else {
		memcpy(&u->addr, un, (size_t)len);
		u->addrlen = len;
		u->ino = ino;
		ino = NULL;
		u->bound_next = bound_list;
		bound_list = u;
	}
	mutex_unlock(&unix_lock);
	inode_put(ino);   /* lost a race with another bind of this socket */
	return err;
}

static int unix_getname(struct socket *s, struct sockaddr_storage *a,
                        int *len, bool peer)
{
	struct unix_sock *u = s->sk;
	int err = 0;
	mutex_lock(&unix_lock);
	struct unix_sock *w = peer ? u->peer : u;
	if (!w) {
		err = -ENOTCONN;
	} else if (w->addrlen) {
		memcpy(a, &w->addr, (size_t)w->addrlen);
		*len = w->addrlen;
	} else {
		a->ss_family = AF_UNIX;
		*len = sizeof(sa_family_t);
	}
	mutex_unlock(&unix_lock);
	return err;
}

/* ---- connections ---- */

static struct ucred my_cred(void)
{
	struct ucred c = { current->tgid, current->cred.euid, current->cred.egid };
	return c;
}

static int stream_connect(struct unix_sock *u, struct unix_sock *l, bool nonblock)
{
	struct unix_sock *e = unix_alloc(SOCK_STREAM);
	if (!e)
		return -ENOMEM;
	mutex_lock(&unix_lock);
	for (;;) {
		int err = 0;
		if (u->state == US_CONNECTED)
			err = -EISCONN;
		else if (u->state == US_LISTENING)
			err = -EINVAL;
		else if (l->dead || l->state != US_LISTENING)
			err = -ECONNREFUSED;
		if (err) {
			mutex_unlock(&unix_lock);
			kfree(e);
			return err;
		}
		if (l->acq_len <= l->backlog)  /* Linux admits backlog + 1 */
			break;
		mutex_unlock(&unix_lock);
		if (nonblock) {
			kfree(e);
			return -EAGAIN;
		}
		err = wait_event_interruptible_timeout(&l->wq,
		        READ_ONCE(l->acq_len) <= READ_ONCE(l->backlog) ||
		        READ_ONCE(l->dead) || READ_ONCE(l->state) != US_LISTENING,
		        u->sock ? sock_snd_deadline(u->sock) : 0);
		if (err) {
			kfree(e);
			return sock_wait_err(err);
		}
		mutex_lock(&unix_lock);
	}
	e->state = US_CONNECTED;
	e->peer = u;
	u->refs++;
	e->peercred = my_cred();
	/* The embryo reports the listener's name, as on Linux; it is not
	 * in the bound list. */
	e->addr = l->addr;
	e->addrlen = l->addrlen;
	e->sndbuf = l->sndbuf;
	e->rcvbuf = l->rcvbuf;
	u->peer = e;
	e->refs++;
	u->state = US_CONNECTED;
	u->peercred = l->peercred;
	if (l->acq_tail)
		l->acq_tail->acq_next = e;
	else
		l->acq_head = e;
	l->acq_tail = e;
	l->acq_len++;   /* the queue owns e's first reference */
	wake_up(&l->wq);
	mutex_unlock(&unix_lock);
	return 0;
}

static int unix_connect(struct socket *s, const struct sockaddr_storage *a,
                        int len, bool nonblock)
{
	struct unix_sock *u = s->sk, *t;
	if (u->type == SOCK_DGRAM && len >= (int)sizeof(sa_family_t) &&
	    a->ss_family == AF_UNSPEC) {
		mutex_lock(&unix_lock);
		struct unix_sock *old = u->peer;
		u->peer = NULL;
		u->state = US_UNCONNECTED;
		if (old)
			unix_put(old);
		mutex_unlock(&unix_lock);
		return 0;
	}
	int err = unix_find(a, len, u->type, &t);
	if (err)
		return err;
	if (u->type == SOCK_STREAM) {
		err = stream_connect(u, t, nonblock);
		mutex_lock(&unix_lock);
		unix_put(t);
		mutex_unlock(&unix_lock);
		return err;
	}
	mutex_lock(&unix_lock);
	struct unix_sock *old = u->peer;
	u->peer = t;  /* our reference from unix_find */
	u->state = US_CONNECTED;
	if (old)
		unix_put(old);
	mutex_unlock(&unix_lock);
	return 0;
}

static int unix_listen(struct socket *s, int backlog)
{
	struct unix_sock *u = s->sk;
	int err = 0;
	if (u->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	mutex_lock(&unix_lock);
	if (!u->addrlen || u->state == US_CONNECTED)
		err = -EINVAL;
	else {
		u->state = US_LISTENING;
		u->backlog = backlog;
		u->peercred = my_cred();
		wake_up(&u->wq);
	}
	mutex_unlock(&unix_lock);
	return err;
}

static int unix_accept(struct socket *s, struct socket *ns, bool nonblock)
{
	struct unix_sock *u = s->sk;
	mutex_lock(&unix_lock);
	for (;;) {
		if (u->state != US_LISTENING) {
			mutex_unlock(&unix_lock);
			return -EINVAL;
		}
		if (u->acq_head)
			break;
		mutex_unlock(&unix_lock);
		if (nonblock)
			return -EAGAIN;
		int err = wait_event_interruptible_timeout(&u->wq,
		        READ_ONCE(u->acq_head) != NULL ||
		        READ_ONCE(u->state) != US_LISTENING,
		        sock_rcv_deadline(s));
		if (err)
			return sock_wait_err(err);
		mutex_lock(&unix_lock);
	}
	struct unix_sock *e = u->acq_head;
	u->acq_head = e->acq_next;
	if (!u->acq_head)
		u->acq_tail = NULL;
	u->acq_len--;
	e->acq_next = NULL;
	e->sock = ns;
	ns->sk = e;
	wake_up(&u->wq);  /* room in the backlog */
	mutex_unlock(&unix_lock);
	return 0;
}

static int unix_socketpair(struct socket *a, struct socket *b)
{
	struct unix_sock *ua = a->sk, *ub = b->sk;
	mutex_lock(&unix_lock);
	ua->peer = ub;
	ub->peer = ua;
	ua->refs++;
	ub->refs++;
	ua->state = ub->state = US_CONNECTED;
	ua->peercred = ub->peercred = my_cred();
	mutex_unlock(&unix_lock);
	return 0;
}

static int unix_shutdown(struct socket *s, int how)
{
	struct unix_sock *u = s->sk;
	int mask = how == SHUT_RD ? RCV_SHUTDOWN
	         : how == SHUT_WR ? SEND_SHUTDOWN : RCV_SHUTDOWN | SEND_SHUTDOWN;
	mutex_lock(&unix_lock);
	u->shutdown |= mask;
	struct unix_sock *p = u->peer;
	if (p && u->type == SOCK_STREAM) {
		if (mask & RCV_SHUTDOWN)
			p->shutdown |= SEND_SHUTDOWN;
		if (mask & SEND_SHUTDOWN)
			p->shutdown |= RCV_SHUTDOWN;
		wake_up(&p->wq);
	}
	wake_up(&u->wq);
	mutex_unlock(&unix_lock);
	return 0;
}

static unsigned unix_poll(struct socket *s, wait_queue_t *wq[2])
{
	struct unix_sock *u = s->sk;
	unsigned ev = 0;
	if (wq) {
		wq[0] = &u->wq;
		wq[1] = u->type == SOCK_DGRAM ? &unix_dgram_wait : &u->wq;
	}
	mutex_lock(&unix_lock);
	if (u->err)
		ev |= POLLERR;
	if (u->shutdown == (RCV_SHUTDOWN | SEND_SHUTDOWN))
		ev |= POLLHUP;
	if (u->shutdown & RCV_SHUTDOWN)
		ev |= POLLIN | POLLRDNORM | 0x2000 /* POLLRDHUP */;
	if (u->rq_head || (u->state == US_LISTENING && u->acq_head))
		ev |= POLLIN | POLLRDNORM;
	if (u->type == SOCK_STREAM) {
		if (u->state == US_UNCONNECTED)
			ev |= POLLHUP;
		/* Writable unless our bytes fill the peer's queue (Linux
		 * counts them against our send buffer, closed peer or not). */
		if (u->state != US_LISTENING &&
		    (!u->peer || u->peer->dead ||
		     u->peer->rq_bytes < (size_t)u->sndbuf))
			ev |= POLLOUT | POLLWRNORM;
	} else {
		struct unix_sock *p = u->peer;
		if (!p || p->dead ||
		    (p->rq_count < UNIX_DGRAM_QLEN &&
		     p->rq_bytes < (size_t)p->rcvbuf))
			ev |= POLLOUT | POLLWRNORM;
	}
	mutex_unlock(&unix_lock);
	return ev;
}

#define FIONREAD 0x541B
#define SIOCINQ FIONREAD
#define SIOCOUTQ 0x5411

static long unix_ioctl(struct socket *s, unsigned cmd, uint64_t arg)
{
	struct unix_sock *u = s->sk;
	if (cmd != SIOCINQ)
		return -ENOTTY;
	mutex_lock(&unix_lock);
	size_t n = 0;
	if (u->type == SOCK_STREAM) {
		for (struct unix_msg *m = u->rq_head; m; m = m->next)
			n += m->len - m->off;
	} else if (u->rq_head) {
		n = u->rq_head->len;
	}
	mutex_unlock(&unix_lock);
	int v = (int)n;
	return copy_to_user((void *)arg, &v, sizeof(v));
}

static int unix_setsockopt(struct socket *s, int level, int name,
                           const void *val __unused, unsigned len __unused)
{
	struct unix_sock *u = s->sk;
	if (level == SOL_SOCKET && (name == SO_SNDBUF || name == SO_RCVBUF)) {
		mutex_lock(&unix_lock);
		u->sndbuf = s->sndbuf;
		u->rcvbuf = s->rcvbuf;
		mutex_unlock(&unix_lock);
		return 0;
	}
	return -ENOPROTOOPT;
}

static int unix_getsockopt(struct socket *s, int level, int name, void *val,
                           unsigned *len)
{
	struct unix_sock *u = s->sk;
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	mutex_lock(&unix_lock);
	int err = 0;
	if (name == SO_ERROR) {
		int v = u->err;
		u->err = 0;
		*len = MIN(*len, (unsigned)sizeof(v));
		memcpy(val, &v, *len);
	} else if (name == SO_ACCEPTCONN) {
		int v = u->state == US_LISTENING;
		*len = MIN(*len, (unsigned)sizeof(v));
		memcpy(val, &v, *len);
	} else if (name == SO_PEERCRED) {
		struct ucred c = u->peer || u->state == US_LISTENING
		                 ? u->peercred : (struct ucred){ 0, ~0u, ~0u };
		*len = MIN(*len, (unsigned)sizeof(c));
		memcpy(val, &c, *len);
	} else {
		err = -ENOPROTOOPT;
	}
	mutex_unlock(&unix_lock);
	return err;
}

static const struct proto_ops unix_stream_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_connect,
	.listen = unix_listen,
	.accept = unix_accept,
	.getname = unix_getname,
	.sendmsg = unix_stream_sendmsg,
	.recvmsg = unix_stream_recvmsg,
	.shutdown = unix_shutdown,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.poll = unix_poll,
	.ioctl = unix_ioctl,
	.socketpair = unix_socketpair,
};

static const struct proto_ops unix_dgram_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_connect,
	.getname = unix_getname,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
	.shutdown = unix_shutdown,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.poll = unix_poll,
	.ioctl = unix_ioctl,
	.socketpair = unix_socketpair,
};

static int unix_create(struct socket *s, int type, int protocol)
{
	if (protocol != 0 && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	if (type == SOCK_RAW)
		type = s->type = SOCK_DGRAM;  /* as Linux */
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	struct unix_sock *u = unix_alloc(type);
	if (!u)
		return -ENOMEM;
	u->sock = s;
	s->sk = u;
	s->ops = type == SOCK_STREAM ? &unix_stream_ops : &unix_dgram_ops;
	return 0;
}

static const struct net_family unix_family = { AF_UNIX, unix_create };

void af_unix_init(void)
{
	mutex_init(&unix_lock, "unix");
	wait_queue_init(&unix_dgram_wait, "unix_dgram");
	sock_register(&unix_family);
}
