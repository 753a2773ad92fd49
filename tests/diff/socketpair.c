/* socketpair(AF_UNIX): stream and datagram I/O, shutdown and fd passing. */
#include "check.h"
#include <sys/socket.h>
#include <sys/un.h>

int main(void)
{
	int sv[2], dg[2];
	char buf[64] = {0};

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK(write(sv[0], "ping", 4));
	CHECK(read(sv[1], buf, sizeof(buf)));
	SAY("got %s\n", buf);
	CHECK(send(sv[1], "pong", 4, 0));
	memset(buf, 0, sizeof(buf));
	CHECK(recv(sv[0], buf, sizeof(buf), 0));
	SAY("got %s\n", buf);
	CHECK(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT));
	CHECK(shutdown(sv[0], SHUT_WR));
	CHECK(read(sv[1], buf, sizeof(buf)));
	CHECK(write(sv[1], "after", 5));
	CHECK(read(sv[0], buf, sizeof(buf)));
	signal(SIGPIPE, SIG_IGN);
	CHECK(write(sv[0], "x", 1));
	CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL));
	CHECK(close(sv[1]));
	CHECK(read(sv[0], buf, sizeof(buf)));

	/* Datagrams keep their boundaries. */
	CHECK(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, dg));
	CHECK(fcntl(dg[0], F_GETFD));
	CHECK(write(dg[0], "one", 3));
	CHECK(write(dg[0], "three", 5));
	CHECK(read(dg[1], buf, 2));
	CHECK(read(dg[1], buf, sizeof(buf)));

	/* SCM_RIGHTS passes a descriptor. */
	int seq[2], p[2];
	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, seq));
	pipe(p);
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {"f", 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
	CHECK(sendmsg(seq[0], &msg, 0));
	close(p[1]);
	char rbuf[4];
	struct iovec riov = {rbuf, sizeof(rbuf)};
	struct msghdr rmsg = {.msg_iov = &riov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	CHECK(recvmsg(seq[1], &rmsg, 0));
	cm = CMSG_FIRSTHDR(&rmsg);
	int passed = -1;
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&passed, CMSG_DATA(cm), sizeof(int));
	SAY("received a descriptor: %s\n", passed >= 0 ? "yes" : "no");
	CHECK(write(passed, "through", 7));
	memset(buf, 0, sizeof(buf));
	CHECK(read(p[0], buf, sizeof(buf)));
	SAY("pipe got %s\n", buf);

	/* Errors. */
	CHECK(socketpair(AF_INET, SOCK_STREAM, 0, sv));
	CHECK(socketpair(AF_UNIX, 999, 0, sv));
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, (int *)1));
	int type = 0;
	socklen_t len = sizeof(type);
	CHECK(getsockopt(seq[0], SOL_SOCKET, SO_TYPE, &type, &len));
	SAY("SO_TYPE is SOCK_SEQPACKET: %s\n", type == SOCK_SEQPACKET ? "yes" : "no");
	CHECK(read(999, buf, 1));

	/* A forked child talks over the pair. */
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		char in[16] = {0};
		read(sv[1], in, sizeof(in));
		for (char *c = in; *c; c++)
			*c = *c - 'a' + 'A';
		write(sv[1], in, strlen(in));
		_exit(0);
	}
	close(sv[1]);
	write(sv[0], "shout", 5);
	memset(buf, 0, sizeof(buf));
	CHECK(read(sv[0], buf, sizeof(buf)));
	SAY("child replied %s\n", buf);
	wait_and_print(pid, "child");
	return 0;
}
