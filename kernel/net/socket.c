/*
 * kernel/net/socket.c - sockets as files, the family registry and the
 * generic SOL_SOCKET options. The system calls are in sys_socket.c.
 *
 * Design (see kernel/include/net/socket.h): a socket is an S_IFSOCK inode
 * on the internal "sockfs" with one struct file; f->priv is the struct
 * socket and the family's proto_ops do the work with kernel buffers only.
 * read/write on a socket are recv/send without flags; poll is the
 * family's; the last close calls proto_ops.release.
 */
#include "net/socket.h"
#include "ktime.h"
#include "mm.h"
#include "poll.h"
#include "signal.h"
#include "task.h"
#include "uaccess.h"

#define SOCKFS_MAGIC 0x534F434B /* Linux's */

static const struct net_family *families[AF_MAX];

void sock_register(const struct net_family *f)
{
	if (f->family > 0 && f->family < AF_MAX)
		families[f->family] = f;
}

void tcp_init(void);

void sock_init(void)
{
	af_unix_init();
	tcp_init();
}

static ssize_t sock_file_read(struct file *f, void *buf, size_t n,
                              off_t *off __unused)
{
	struct socket *s = f->priv;
	struct sock_msg m = { .buf = buf, .len = n };
	int flags = (f->flags & O_NONBLOCK) ? MSG_DONTWAIT : 0;
	return s->ops->recvmsg(s, &m, flags);
}

static ssize_t sock_file_write(struct file *f, const void *buf, size_t n,
                               off_t *off __unused)
{
	struct socket *s = f->priv;
	struct sock_msg m = { .buf = (void *)buf, .len = n };
	int flags = (f->flags & O_NONBLOCK) ? MSG_DONTWAIT : 0;
	ssize_t r = s->ops->sendmsg(s, &m, flags);
	if (r == -EPIPE)
		send_signal(current, SIGPIPE, NULL);
	return r;
}

static unsigned sock_file_poll(struct file *f, wait_queue_t *wq[2])
{
	struct socket *s = f->priv;
	if (!s->ops->poll) {
		if (wq)
			wq[0] = wq[1] = NULL;
		return POLL_DEFAULT;
	}
	return s->ops->poll(s, wq);
}

static long sock_file_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct socket *s = f->priv;
	return s->ops->ioctl ? s->ops->ioctl(s, cmd, arg) : -ENOTTY;
}

static void sock_file_release(struct file *f)
{
	struct socket *s = f->priv;
	if (s->sk && s->ops->release)
		s->ops->release(s);
	kfree(s);
}

static off_t sock_file_llseek(struct file *f __unused, off_t off __unused,
                              int whence __unused)
{
	return -ESPIPE;
}

static const struct file_ops socket_file_ops = {
	.read = sock_file_read,
	.read_user = sock_read_user,
	.write_user = sock_write_user,
	.readv_user = sock_readv_user,
	.writev_user = sock_writev_user,
	.write = sock_file_write,
	.ioctl = sock_file_ioctl,
	.release = sock_file_release,
	.llseek = sock_file_llseek,
	.poll = sock_file_poll,
};

struct socket *sock_from_file(struct file *f)
{
	return f && f->ops == &socket_file_ops ? f->priv : NULL;
}

static const struct super_ops sockfs_ops = { 0 };
static struct super_block *sockfs;

/* A socket file with no family state yet (s->sk NULL, ops NULL). */
static struct file *sock_alloc_file(int family, int type, int protocol,
                                    unsigned flags)
{
	if (!sockfs) {
		struct super_block *sb = super_alloc("sockfs", SOCKFS_MAGIC, &sockfs_ops);
		if (!sb)
			return NULL;
		if (__atomic_exchange_n(&sockfs, sb, __ATOMIC_SEQ_CST))
			kprintf_once(KERN_WARNING "socket: sockfs raced\n");
	}
	struct socket *s = kzalloc(sizeof(*s));
	if (!s)
		return NULL;
	struct inode *ino = inode_alloc(sockfs, S_IFSOCK | 0777);
	if (!ino) {
		kfree(s);
		return NULL;
	}
	ino->fops = &socket_file_ops;
	struct file *f = file_alloc(ino, O_RDWR | (flags & O_NONBLOCK));
	inode_put(ino);
	if (!f) {
		kfree(s);
		return NULL;
	}
	s->family = family;
	s->type = type;
	s->protocol = protocol;
	s->file = f;
	s->rcvbuf = s->sndbuf = SOCK_DEFAULT_BUF;
	s->cred.pid = current->tgid;
	s->cred.uid = current->cred.euid;
	s->cred.gid = current->cred.egid;
	f->priv = s;
	return f;
}

struct file *sock_create_file(int family, int type, int protocol,
                              unsigned flags, long *err)
{
	*err = -EAFNOSUPPORT;
	if (family <= 0 || family >= AF_MAX || !families[family])
		return NULL;
	*err = -ENOMEM;
	struct file *f = sock_alloc_file(family, type, protocol, flags);
	if (!f)
		return NULL;
	struct socket *s = f->priv;
	int r = families[family]->create(s, type, protocol);
	if (r) {
		*err = r;
		s->sk = NULL;  /* nothing for release to undo */
		file_put(f);
		return NULL;
	}
	*err = 0;
	return f;
}

/* A socket for accept(): the listener's family, type and ops, no state. */
struct file *sock_alloc_like(struct socket *ls, unsigned flags)
{
	struct file *f = sock_alloc_file(ls->family, ls->type, ls->protocol, flags);
	if (f) {
		struct socket *s = f->priv;
		s->ops = ls->ops;
		/* Inherited options, as Linux copies them from the listener. */
		s->reuseaddr = ls->reuseaddr;
		s->keepalive = ls->keepalive;
		s->rcvbuf = ls->rcvbuf;
		s->sndbuf = ls->sndbuf;
		s->rcvtimeo_ns = ls->rcvtimeo_ns;
		s->sndtimeo_ns = ls->sndtimeo_ns;
		s->linger = ls->linger;
	}
	return f;
}

uint64_t sock_rcv_deadline(struct socket *s)
{
	return s->rcvtimeo_ns ? time_ns() + s->rcvtimeo_ns : 0;
}

uint64_t sock_snd_deadline(struct socket *s)
{
	return s->sndtimeo_ns ? time_ns() + s->sndtimeo_ns : 0;
}

/* ---- SOL_SOCKET options ---- */

struct k_timeval {
	int64_t tv_sec, tv_usec;
};

static int get_int(const void *val, unsigned len, int *out)
{
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(out, val, sizeof(int));
	return 0;
}

static int set_timeout(uint64_t *ns, const void *val, unsigned len)
{
	struct k_timeval tv;
	if (len < sizeof(tv))
		return -EINVAL;
	memcpy(&tv, val, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*ns = 1;  /* Linux: negative means "time out at once" */
		return 0;
	}
	if (tv.tv_sec > 100000000)
		tv.tv_sec = 100000000;  /* "forever", without overflow */
	*ns = (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000;
	return 0;
}

/* Generic part; then the family may also act on the option. */
int sock_setsockopt(struct socket *s, int level, int name, const void *val,
                    unsigned len)
{
	if (level != SOL_SOCKET)
		return s->ops->setsockopt ? s->ops->setsockopt(s, level, name, val, len)
		                          : -ENOPROTOOPT;
	int v = 0, err = 0;
	switch (name) {
	case SO_RCVTIMEO:
		err = set_timeout(&s->rcvtimeo_ns, val, len);
		break;
	case SO_SNDTIMEO:
		err = set_timeout(&s->sndtimeo_ns, val, len);
		break;
	case SO_LINGER:
		if (len < sizeof(struct linger))
			return -EINVAL;
		memcpy(&s->linger, val, sizeof(struct linger));
		break;
	case SO_REUSEADDR: case SO_KEEPALIVE: case SO_BROADCAST:
	case SO_PASSCRED: case SO_RCVBUF: case SO_SNDBUF: case SO_DEBUG:
	case SO_OOBINLINE: case SO_DONTROUTE: case SO_REUSEPORT:
	case SO_RCVLOWAT:
		err = get_int(val, len, &v);
		if (err)
			return err;
		switch (name) {
		case SO_REUSEADDR: s->reuseaddr = v != 0; break;
		case SO_KEEPALIVE: s->keepalive = v != 0; break;
		case SO_BROADCAST: s->broadcast = v != 0; break;
		case SO_PASSCRED: s->passcred = v != 0; break;
		case SO_RCVBUF: case SO_SNDBUF: {
			/* Linux doubles the value for bookkeeping overhead and
			 * reports the doubled figure. */
			long b = (long)v * 2;
			b = MAX(b, (long)SOCK_MIN_BUF);
			b = MIN(b, (long)SOCK_MAX_BUF);
			if (name == SO_RCVBUF)
				s->rcvbuf = (int)b;
			else
				s->sndbuf = (int)b;
			break;
		}
		default: break; /* accepted, no effect here */
		}
		break;
	default:
		return s->ops->setsockopt ? s->ops->setsockopt(s, level, name, val, len)
		                          : -ENOPROTOOPT;
	}
	if (err)
		return err;
	if (s->ops->setsockopt) {
		int r = s->ops->setsockopt(s, level, name, val, len);
		if (r != -ENOPROTOOPT)
			return r;
	}
	return 0;
}

int sock_getsockopt(struct socket *s, int level, int name, void *val,
                    unsigned *len)
{
	if (level != SOL_SOCKET)
		return s->ops->getsockopt ? s->ops->getsockopt(s, level, name, val, len)
		                          : -ENOPROTOOPT;
	int v;
	switch (name) {
	case SO_TYPE: v = s->type; break;
	case SO_DOMAIN: v = s->family; break;
	case SO_PROTOCOL: v = s->protocol; break;
	case SO_REUSEADDR: v = s->reuseaddr; break;
	case SO_KEEPALIVE: v = s->keepalive; break;
	case SO_BROADCAST: v = s->broadcast; break;
	case SO_PASSCRED: v = s->passcred; break;
	case SO_RCVBUF: v = s->rcvbuf; break;
	case SO_SNDBUF:
		/* TCP reports its send ring, which may have grown. */
		if (s->ops->getsockopt) {
			int r = s->ops->getsockopt(s, level, name, val, len);
			if (r != -ENOPROTOOPT)
				return r;
		}
		v = s->sndbuf;
		break;
	case SO_RCVLOWAT: v = 1; break;
	case SO_RCVTIMEO: case SO_SNDTIMEO: {
		uint64_t ns = name == SO_RCVTIMEO ? s->rcvtimeo_ns : s->sndtimeo_ns;
		struct k_timeval tv = { (int64_t)(ns / 1000000000ull),
		                        (int64_t)(ns % 1000000000ull / 1000) };
		*len = MIN(*len, (unsigned)sizeof(tv));
		memcpy(val, &tv, *len);
		return 0;
	}
	case SO_LINGER:
		*len = MIN(*len, (unsigned)sizeof(struct linger));
		memcpy(val, &s->linger, *len);
		return 0;
	case SO_ERROR:
		if (s->ops->getsockopt) {
			int r = s->ops->getsockopt(s, level, name, val, len);
			if (r != -ENOPROTOOPT)
				return r;
		}
		v = 0;
		break;
	default:
		return s->ops->getsockopt ? s->ops->getsockopt(s, level, name, val, len)
		                          : -ENOPROTOOPT;
	}
	*len = MIN(*len, (unsigned)sizeof(int));
	memcpy(val, &v, *len);
	return 0;
}
