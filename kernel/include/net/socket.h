/*
 * kernel/include/net/socket.h - the BSD socket layer (kernel/net/socket.c)
 * and the interface every address family implements.
 *
 * A socket is a struct file (S_IFSOCK inode on the internal sockfs) whose
 * priv is a struct socket. The system calls (socket, bind, connect,
 * sendmsg, ...) live in socket.c; they copy everything between user and
 * kernel memory and hand the family's proto_ops only KERNEL buffers, so no
 * protocol ever faults on a user address while holding its locks:
 *
 *   - addresses as struct sockaddr_storage (at most 128 bytes) + length;
 *   - data as one contiguous kernel buffer (socket.c gathers/scatters the
 *     user iovec around it, a chunk at a time for stream sockets);
 *   - control data in decoded form: SCM_RIGHTS travels as an array of
 *     struct file references (struct sock_msg.fds), converted from and to
 *     descriptors by socket.c.
 *
 * Generic SOL_SOCKET options are kept in struct socket by socket.c
 * (SO_REUSEADDR, SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF, SO_RCVTIMEO,
 * SO_SNDTIMEO, SO_LINGER, SO_BROADCAST ...) and then also offered to the
 * family's setsockopt, which may act on them (TCP starts keep-alive).
 * SO_ERROR, and every other level, are the family's.
 *
 * Families register with sock_register() at boot (AF_UNIX in
 * kernel/net/af_unix.c, AF_INET in kernel/net/af_inet.c).
 */
#ifndef KERNEL_NET_SOCKET_H
#define KERNEL_NET_SOCKET_H

#include "kernel.h"
#include "sync.h"
#include "vfs.h"

#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define AF_NETLINK 16
#define AF_PACKET 17
#define AF_MAX 46

#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_SEQPACKET 5
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK O_NONBLOCK
#define SOCK_CLOEXEC O_CLOEXEC

/* send/recv flags (Linux values) */
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_MORE 0x8000
#define MSG_CMSG_CLOEXEC 0x40000000
/* Kernel only (a bit Linux leaves unused; do_recv strips it from the
 * user's flags): a stream recvmsg called again after data was taken in
 * this recv(2) leaves a pending error (ECONNRESET, a TCP error) for the
 * next call and returns -EAGAIN, as Linux's loops stop at sk_err once
 * they copied something. */
#define MSG_KEEPERR 0x10000000

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

#define SOL_SOCKET 1
#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL 38
#define SO_DOMAIN 39

#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2
#define SCM_MAX_FD 253          /* Linux's limit per message */

#define SOCK_DEFAULT_BUF (208 * 1024) /* Linux's rmem/wmem_default */
#define SOCK_MIN_BUF 4608
#define SOCK_MAX_BUF (4 * 1024 * 1024)

typedef uint16_t sa_family_t;
struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};
struct sockaddr_storage {
	sa_family_t ss_family;
	char ss_data[126];
};
struct linger {
	int l_onoff;
	int l_linger;
};
struct ucred {
	int32_t pid;
	uint32_t uid, gid;
};

/* One message between socket.c and a family, all in kernel memory. */
struct sock_msg {
	void *buf;                      /* data */
	size_t len;
	struct sockaddr_storage *addr;  /* send: destination or NULL;
	                                   recv: filled with the source */
	int addrlen;                    /* in: send length; out: recv length */
	struct file **fds;              /* SCM_RIGHTS: send: the files (socket.c
	                                   holds the references; a family that
	                                   keeps them takes its own);
	                                   recv: a kmalloc'ed array the family
	                                   hands over with its references */
	int nfds;
	int msg_flags;                  /* recv: MSG_TRUNC, MSG_CTRUNC out */
	bool want_fds;                  /* recv: the caller can take fds */
	/* recv, stream sockets: when ucopy is set the family may instead
	 * copy the data straight to the caller's buffers, ucopy(uit, k, n)
	 * (0 or -EFAULT; it advances), and set ucopied: one copy less for
	 * bulk receives. At most len bytes either way. */
	int (*ucopy)(void *uit, const void *k, size_t n);
	void *uit;
	bool ucopied;
	/* send, stream sockets of a send_ucopy family: the data is not in
	 * buf but in the caller's buffers; ufetch(uit, k, n) copies the next
	 * n of the len bytes into k (0 or -EFAULT; it advances). */
	int (*ufetch)(void *uit, void *k, size_t n);
};

struct socket;
struct proto_ops {
	int family;
	/* Stream recvmsg always copies through sock_msg.ucopy when it is
	 * set (and never into buf): the caller needs no kernel buffer. */
	bool recv_ucopy;
	/* Stream sendmsg takes data through sock_msg.ufetch when it is set:
	 * straight from the user into the family's buffer. */
	bool send_ucopy;
	/* The socket is being closed (last file reference gone). */
	void (*release)(struct socket *s);
	int (*bind)(struct socket *s, const struct sockaddr_storage *a, int len);
	/* Blocking unless nonblock; -EINPROGRESS for a pending non-blocking
	 * connect (the family reports completion via poll POLLOUT/SO_ERROR). */
	int (*connect)(struct socket *s, const struct sockaddr_storage *a,
	               int len, bool nonblock);
	int (*listen)(struct socket *s, int backlog);
	/* Take a connection off the queue and attach it to ns (allocated by
	 * socket.c with the listener's family, type and ops). */
	int (*accept)(struct socket *s, struct socket *ns, bool nonblock);
	/* Own (peer false) or peer address; -ENOTCONN without a peer. */
	int (*getname)(struct socket *s, struct sockaddr_storage *a, int *len,
	               bool peer);
	/* Return bytes sent/received or -errno. flags: MSG_*; MSG_DONTWAIT
	 * is set when the file is non-blocking. */
	ssize_t (*sendmsg)(struct socket *s, struct sock_msg *m, int flags);
	ssize_t (*recvmsg)(struct socket *s, struct sock_msg *m, int flags);
	int (*shutdown)(struct socket *s, int how);
	/* Kernel buffers. -ENOPROTOOPT for an unknown option. */
	int (*setsockopt)(struct socket *s, int level, int name,
	                  const void *val, unsigned len);
	int (*getsockopt)(struct socket *s, int level, int name, void *val,
	                  unsigned *len);
	/* As file_ops.poll. */
	unsigned (*poll)(struct socket *s, wait_queue_t *wq[2]);
	/* Optional: FIONREAD, SIOC*... arg is a raw user value. */
	long (*ioctl)(struct socket *s, unsigned cmd, uint64_t arg);
	/* Optional: connect two fresh sockets to each other. */
	int (*socketpair)(struct socket *a, struct socket *b);
};

struct socket {
	int family, type, protocol;
	const struct proto_ops *ops;
	void *sk;                       /* the family's state */
	struct file *file;              /* the open file (no reference) */
	/* Generic options (SOL_SOCKET), kept by socket.c. */
	bool reuseaddr, keepalive, broadcast, passcred;
	int rcvbuf, sndbuf;             /* bytes, as set (Linux doubles) */
	uint64_t rcvtimeo_ns, sndtimeo_ns; /* 0: none */
	struct linger linger;
	struct ucred cred;              /* of the creator */
};

struct net_family {
	int family;
	/* Set up s->ops and s->sk for (type, protocol); type without flags.
	 * -ESOCKTNOSUPPORT / -EPROTONOSUPPORT when not handled. */
	int (*create)(struct socket *s, int type, int protocol);
};
void sock_register(const struct net_family *f);
/* Boot: register the built-in families (AF_UNIX). */
void sock_init(void);
void af_unix_init(void);

/* The socket of an open file, or NULL when it is not a socket. */
struct socket *sock_from_file(struct file *f);
/* Make a socket file; for a family that must create sockets itself. */
struct file *sock_create_file(int family, int type, int protocol,
                              unsigned flags, long *err);

/* For socket.c and sys_socket.c only. */
struct file *sock_alloc_like(struct socket *listener, unsigned flags);
int sock_setsockopt(struct socket *s, int level, int name, const void *val,
                    unsigned len);
/* read(2) of a socket file: recv(2) with no flags (sys_socket.c). */
ssize_t sock_read_user(struct file *f, void *ubuf, size_t len);
/* write(2) of a socket file: send(2) with no flags (sys_socket.c). */
ssize_t sock_write_user(struct file *f, const void *ubuf, size_t len);
/* readv(2)/writev(2): one recvmsg/sendmsg over the whole iovec. */
ssize_t sock_readv_user(struct file *f, const struct iovec *iov, int cnt);
ssize_t sock_writev_user(struct file *f, const struct iovec *iov, int cnt);
int sock_getsockopt(struct socket *s, int level, int name, void *val,
                    unsigned *len);

/* Deadline (monotonic ns, 0 = none) for a blocking receive/send now. */
uint64_t sock_rcv_deadline(struct socket *s);
uint64_t sock_snd_deadline(struct socket *s);
/* Map a wait result to what the socket call returns: timeout -> -EAGAIN
 * (Linux's SO_RCVTIMEO answer), signal -> -ERESTARTSYS. */
static inline int sock_wait_err(int r)
{
	return r == -ETIMEDOUT ? -EAGAIN : r == -EINTR ? -ERESTARTSYS : r;
}

#endif
