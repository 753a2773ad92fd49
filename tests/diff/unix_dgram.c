/* AF_UNIX datagram sockets made with socket(2): sendto a name, the
 * sender's name in recvfrom and recvmsg, connect, and passing files to a
 * named socket. */
#include "check.h"
#include "unix_addr.h"
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

static void print_name(const char *what, struct sockaddr_un *addr,
		       socklen_t len)
{
	if (len > offsetof(struct sockaddr_un, sun_path) &&
	    addr->sun_path[0] == '\0')
		printf("%s: len %u abstract\n", what, len);
	else if (len > offsetof(struct sockaddr_un, sun_path))
		printf("%s: len %u path %s\n", what, len, addr->sun_path);
	else
		printf("%s: len %u\n", what, len);
}

static void recv_and_print(int fd, int flags)
{
	char buf[64] = {0};
	struct sockaddr_un from;
	socklen_t from_len = sizeof(from);
	long n = CHECK(recvfrom(fd, buf, sizeof(buf) - 1, flags,
				(struct sockaddr *)&from, &from_len));

	if (n >= 0) {
		printf("data %s\n", buf);
		print_name("from", &from, from_len);
	}
}

int main(void)
{
	struct sockaddr_un a_addr, b_addr, c_addr;
	socklen_t a_len, b_len, c_len;

	enter_tmpdir();
	a_len = make_addr(&a_addr, "a");
	b_len = make_addr(&b_addr, "b");
	c_len = make_addr(&c_addr, "c");
	int a = CHECK(socket(AF_UNIX, SOCK_DGRAM, 0));
	int b = CHECK(socket(AF_UNIX, SOCK_DGRAM, 0));
	int c = CHECK(socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0));
	int u = CHECK(socket(AF_UNIX, SOCK_DGRAM, 0));
	CHECK(bind(a, (struct sockaddr *)&a_addr, a_len));
	CHECK(bind(b, (struct sockaddr *)&b_addr, b_len));
	CHECK(bind(c, (struct sockaddr *)&c_addr, c_len));

	/* Unconnected sockets need a destination. */
	CHECK(send(a, "x", 1, 0));
	CHECK(write(a, "x", 1));
	CHECK(getpeername(a, NULL, NULL));
	CHECK(listen(a, 1));
	CHECK(accept(a, NULL, NULL));

	CHECK(sendto(a, "hello", 5, 0, (struct sockaddr *)&b_addr, b_len));
	CHECK(sendto(u, "anon", 4, 0, (struct sockaddr *)&b_addr, b_len));
	CHECK(sendto(u, "", 0, 0, (struct sockaddr *)&b_addr, b_len));
	int avail = -1;
	CHECK(ioctl(b, FIONREAD, &avail));
	SAY("next datagram %d bytes\n", avail);
	recv_and_print(b, MSG_PEEK);
	recv_and_print(b, 0);
	recv_and_print(b, 0);
	recv_and_print(b, 0);
	recv_and_print(c, 0);

	/* recvmsg reports the name and truncation. */
	CHECK(sendto(a, "truncated", 9, 0, (struct sockaddr *)&b_addr, b_len));
	char small[4];
	struct sockaddr_un from;
	struct iovec iov = {small, sizeof(small)};
	struct msghdr mh = {.msg_name = &from,
			    .msg_namelen = sizeof(from),
			    .msg_iov = &iov,
			    .msg_iovlen = 1};
	CHECK(recvmsg(b, &mh, 0));
	print_name("recvmsg from", &from, mh.msg_namelen);
	EXPECT(mh.msg_flags & MSG_TRUNC);
	CHECK(sendto(a, "whole", 5, 0, (struct sockaddr *)&b_addr, b_len));
	CHECK(recv(b, small, sizeof(small), MSG_TRUNC));

	/* Destinations that are not datagram sockets. */
	struct sockaddr_un bad;
	socklen_t bad_len = make_addr(&bad, "missing");
	CHECK(sendto(a, "x", 1, 0, (struct sockaddr *)&bad, bad_len));
	write_file("regular", "", 0644);
	bad_len = make_addr(&bad, "regular");
	CHECK(sendto(a, "x", 1, 0, (struct sockaddr *)&bad, bad_len));
	int st = socket(AF_UNIX, SOCK_STREAM, 0);
	bad_len = make_addr(&bad, "stream");
	CHECK(bind(st, (struct sockaddr *)&bad, bad_len));
	CHECK(sendto(a, "x", 1, 0, (struct sockaddr *)&bad, bad_len));
	CHECK(sendto(a, "x", 1, 0, (struct sockaddr *)&bad, 1));
	close(st);

	/* A connected socket sends to its peer and takes datagrams only
	 * from it. */
	CHECK(connect(a, (struct sockaddr *)&b_addr, b_len));
	CHECK(connect(b, (struct sockaddr *)&a_addr, a_len));
	struct sockaddr_un peer;
	socklen_t peer_len = sizeof(peer);
	CHECK(getpeername(a, (struct sockaddr *)&peer, &peer_len));
	print_name("peer", &peer, peer_len);
	CHECK(send(a, "connected", 9, 0));
	recv_and_print(b, 0);
	CHECK(write(b, "reply", 5));
	recv_and_print(a, 0);
	CHECK(sendto(c, "intruder", 8, 0, (struct sockaddr *)&b_addr, b_len));
	CHECK(connect(c, (struct sockaddr *)&b_addr, b_len));
	/* AF_UNSPEC dissolves the association. */
	struct sockaddr unspec = {.sa_family = AF_UNSPEC};
	CHECK(connect(b, &unspec, sizeof(unspec)));
	CHECK(getpeername(b, NULL, NULL));
	CHECK(sendto(c, "welcome", 7, 0, (struct sockaddr *)&b_addr, b_len));
	recv_and_print(b, 0);

	/* A full queue blocks, or fails with EAGAIN on a non-blocking
	 * socket. */
	int sent = 0;
	while (sendto(c, "fill", 4, 0, (struct sockaddr *)&b_addr, b_len) == 4)
		sent++;
	/* NOTE: the count differs under moat, whose host queue takes more
	 * than net.unix.max_dgram_qlen datagrams. */
	printf("queue full: %s after some datagrams: %s\n", errno_name(errno),
	       sent > 0 ? "yes" : "no");
	struct pollfd pfd = {.fd = b, .events = POLLIN};
	CHECK(poll(&pfd, 1, 0));

	/* After the peer closes, the first send is refused and the socket
	 * is no longer connected. */
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un d_addr;
	socklen_t d_len = make_addr(&d_addr, "d");
	CHECK(bind(d, (struct sockaddr *)&d_addr, d_len));
	int e = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(connect(e, (struct sockaddr *)&d_addr, d_len));
	close(d);
	CHECK(send(e, "x", 1, 0));
	CHECK(send(e, "x", 1, 0));
	CHECK(sendto(e, "x", 1, 0, (struct sockaddr *)&d_addr, d_len));

	/* Files pass to a named socket. */
	int f = CHECK(socket(AF_UNIX, SOCK_DGRAM, 0));
	struct sockaddr_un f_addr;
	socklen_t f_len = make_addr(&f_addr, "f");
	CHECK(bind(f, (struct sockaddr *)&f_addr, f_len));
	int pipefd[2];
	CHECK(pipe(pipefd));
	char control[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec siov = {"fd", 2};
	struct msghdr smh = {.msg_name = &f_addr,
			     .msg_namelen = f_len,
			     .msg_iov = &siov,
			     .msg_iovlen = 1,
			     .msg_control = control,
			     .msg_controllen = sizeof(control)};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&smh);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &pipefd[1], sizeof(int));
	CHECK(sendmsg(u, &smh, 0));
	char rbuf[8] = {0};
	char rcontrol[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec riov = {rbuf, sizeof(rbuf)};
	struct msghdr rmh = {.msg_iov = &riov,
			     .msg_iovlen = 1,
			     .msg_control = rcontrol,
			     .msg_controllen = sizeof(rcontrol)};
	CHECK(recvmsg(f, &rmh, 0));
	cmsg = CMSG_FIRSTHDR(&rmh);
	EXPECT(cmsg && cmsg->cmsg_type == SCM_RIGHTS);
	if (cmsg) {
		int got;
		memcpy(&got, CMSG_DATA(cmsg), sizeof(got));
		CHECK(write(got, "via", 3));
		char pbuf[4] = {0};
		CHECK(read(pipefd[0], pbuf, 3));
		SAY("pipe got %s\n", pbuf);
	}

	/* shutdown(SHUT_WR) stops sends. */
	CHECK(shutdown(u, SHUT_WR));
	CHECK(
	    sendto(u, "x", 1, MSG_NOSIGNAL, (struct sockaddr *)&f_addr, f_len));
	CHECK(unlink("a"));
	return 0;
}
