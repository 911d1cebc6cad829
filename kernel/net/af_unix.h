/*
 * kernel/net/af_unix.h - AF_UNIX internals shared by af_unix.c (objects,
 * names, connections) and unix_io.c (moving data).
 *
 * Every AF_UNIX structure is protected by one mutex, unix_lock: the
 * operations are short copies, and one lock makes connect/close/send
 * between two sockets free of lock-order questions.
 */
#ifndef KERNEL_NET_AF_UNIX_H
#define KERNEL_NET_AF_UNIX_H

#include "net/socket.h"

#define UNIX_PATH_MAX 108
struct sockaddr_un {
	sa_family_t sun_family;
	char sun_path[UNIX_PATH_MAX];
};

/* One queued message (a datagram, or a piece of a stream). */
struct unix_msg {
	struct unix_msg *next;
	size_t len, off;            /* data bytes; consumed so far (stream) */
	struct file **fds;          /* SCM_RIGHTS in flight (references) */
	int nfds;
	struct sockaddr_un from;    /* datagram: the sender's name */
	int fromlen;
	char data[];
};

enum unix_state { US_UNCONNECTED, US_LISTENING, US_CONNECTED };

#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2
#define UNIX_DGRAM_QLEN 64   /* datagrams queued to one receiver */

struct unix_sock {
	int refs;                   /* the socket or accept queue, peers */
	int type;
	enum unix_state state;
	bool dead;                  /* released */
	struct socket *sock;        /* NULL while an embryo or after release */
	struct unix_sock *peer;     /* holds a reference */
	struct unix_msg *rq_head, *rq_tail;
	size_t rq_bytes;
	int rq_count;
	int shutdown;               /* RCV_SHUTDOWN | SEND_SHUTDOWN */
	int err;                    /* pending error, reported once */
	/* listening */
	struct unix_sock *acq_head, *acq_tail, *acq_next;
	int backlog, acq_len;
	/* name */
	struct sockaddr_un addr;
	int addrlen;                /* 0: unbound */
	struct inode *ino;          /* a path name's socket inode */
	struct unix_sock *bound_next;
	struct ucred peercred;
	int sndbuf, rcvbuf;
	wait_queue_t wq;            /* every change of this socket */
	/* garbage collection (unix_gc.c) */
	int inflight;               /* references to our file in queued messages */
	int gc_refs;                /* a collection: in-flight refs from outside */
	bool gc_candidate, gc_alive;
	struct unix_sock *gc_next, *gc_prev;  /* gc_list: inflight > 0 */
	struct unix_sock *gc_cand_next, *gc_work_next;
};

extern mutex_t unix_lock;
extern wait_queue_t unix_dgram_wait; /* a datagram was dequeued somewhere */

void unix_msg_free(struct unix_msg *m);
/* Free the list of messages from m on (linked by next), with unix_lock
 * (held) dropped meanwhile: their files may close AF_UNIX sockets. */
void unix_msgs_free_unlocked(struct unix_msg *m);
/* Empty u's queue (unix_lock held): its messages, no longer in flight. */
struct unix_msg *unix_queue_take(struct unix_sock *u);

/* unix_gc.c. Count m's AF_UNIX files in flight (dir +1: m was queued)
 * or no longer (dir -1: its files leave the queue); unix_lock held. */
void unix_inflight(struct unix_msg *m, int dir);
bool unix_gc_wanted(void);       /* anything in flight (unix_lock held) */
void unix_gc(void);              /* collect garbage; without unix_lock */
/* Before a send with descriptors: collect when more than this many
 * references are in flight (Linux's UNIX_INFLIGHT_TRIGGER_GC). */
#define UNIX_GC_TRIGGER 16000
void unix_gc_throttle(void);     /* without unix_lock */
void unix_put(struct unix_sock *u);          /* with unix_lock held */
/* Find the socket bound to a; new reference (unix_lock held). */
int unix_find(const struct sockaddr_storage *a, int len, int type,
              struct unix_sock **res);

ssize_t unix_stream_sendmsg(struct socket *s, struct sock_msg *m, int flags);
ssize_t unix_stream_recvmsg(struct socket *s, struct sock_msg *m, int flags);
ssize_t unix_dgram_sendmsg(struct socket *s, struct sock_msg *m, int flags);
ssize_t unix_dgram_recvmsg(struct socket *s, struct sock_msg *m, int flags);

#endif
