/*
 * tests/abi/abi-tcp.c - TCP over loopback: an error after data. The
 * peer writes, then closes with SO_LINGER 0 (a reset); recv() returns
 * the data, the next recv() ECONNRESET, then 0. recv() and recvmsg()
 * take more data if it is already there; that second look must leave
 * the reset for the next call, as Linux does.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "abi.h"

/* A connected pair over 127.0.0.1: *c the client, *s the accepted end. */
static void tcp_pair(int *c, int *s)
{
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
	                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&a, &al);
	*c = socket(AF_INET, SOCK_STREAM, 0);
	connect(*c, (struct sockaddr *)&a, sizeof(a));
	*s = accept(l, NULL, NULL);
	close(l);
}

/* The client sends "abc" and resets; the reset has arrived on return. */
static void data_then_reset(int c)
{
	struct linger lg = { 1, 0 };
	write(c, "abc", 3);
	usleep(200000);
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c);
	usleep(200000);
}

int main(void)
{
	char buf[100];
	int c, s;

	tcp_pair(&c, &s);
	data_then_reset(c);
	R("recv data", recv(s, buf, sizeof(buf), 0));
	R("recv reset", recv(s, buf, sizeof(buf), 0));
	R("recv then eof", recv(s, buf, sizeof(buf), 0));
	close(s);

	tcp_pair(&c, &s);
	data_then_reset(c);
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	R("recvmsg data", recvmsg(s, &mh, 0));
	R("recvmsg reset", recvmsg(s, &mh, 0));
	R("recvmsg then eof", recvmsg(s, &mh, 0));
	close(s);

	printf("DONE\n");
	return 0;
}
